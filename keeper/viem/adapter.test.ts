import { describe, expect, it } from "vitest";
import { driftBps } from "./adapter.js";

const E18 = 10n ** 18n;

describe("driftBps", () => {
  it("test_driftBps_matchesTheVaultDefinitionWithIdleAsAPosition", () => {
    // $560k / $440k against 50/50: 600 bps each side.
    expect(driftBps([560_000n * E18, 440_000n * E18], [5_000, 5_000], 0n)).toEqual({ maxBps: 600, sumBps: 1_200 });
    // $450k / $450k + $100k idle: each constituent 500 bps under, idle 1,000 bps over.
    expect(driftBps([450_000n * E18, 450_000n * E18], [5_000, 5_000], 100_000n * E18)).toEqual({ maxBps: 1_000, sumBps: 2_000 });
  });

  it("test_driftBps_roundsUpOnceAndEmptyIsZero", () => {
    // Thirds against 3,333/3,333/3,334 bps, NAV 3: numerators 1, 1, 2 → max ⌈2/3⌉ = 1, sum ⌈4/3⌉ = 2
    // (summed before dividing: rounding each first would give 3).
    expect(driftBps([1n, 1n, 1n], [3_333, 3_333, 3_334], 0n)).toEqual({ maxBps: 1, sumBps: 2 });
    expect(driftBps([0n, 0n], [5_000, 5_000], 0n)).toEqual({ maxBps: 0, sumBps: 0 });
  });
});
