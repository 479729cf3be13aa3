import { describe, expect, it } from "vitest";
import { driftBps } from "./math";

const E18 = 10n ** 18n;

describe("driftBps", () => {
  it("test_driftBps_matchesTheVaultDefinitionWithIdleAsAPosition", () => {
    // $560k / $440k against 50/50: 600 bps each side.
    expect(driftBps([560_000n * E18, 440_000n * E18], [5_000, 5_000], 0n)).toMatchObject({ maxBps: 600n, sumBps: 1_200n, deviationsBps: [600n, 600n] });
    // $450k / $450k + $100k idle: each constituent 500 bps under, idle 1,000 bps over.
    expect(driftBps([450_000n * E18, 450_000n * E18], [5_000, 5_000], 100_000n * E18)).toMatchObject({ maxBps: 1_000n, sumBps: 2_000n, deviationsBps: [500n, 500n] });
  });

  it("test_driftBps_roundsUpOnceAndEmptyIsZero", () => {
    // Thirds against 3,333/3,333/3,334 bps, NAV 3: numerators 1, 1, 2 → max ⌈2/3⌉ = 1, sum ⌈4/3⌉ = 2
    // (summed before dividing: rounding each first would give 3).
    expect(driftBps([1n, 1n, 1n], [3_333, 3_333, 3_334], 0n)).toMatchObject({ maxBps: 1n, sumBps: 2n });
    expect(driftBps([0n, 0n], [5_000, 5_000], 0n)).toMatchObject({ maxBps: 0n, sumBps: 0n });
  });
});
