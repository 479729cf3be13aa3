import { describe, expect, it } from "vitest";
import { depositSplit, driftBps } from "./math";

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

describe("depositSplit (IndexVault._allocation)", () => {
  const dust = 10n ** 4n;
  it("splits an empty basket by target, the remainder to the largest leg", () => {
    const { amounts, kept } = depositSplit(100_000_001n, [0n, 0n, 0n], [3000n, 3000n, 4000n], 0n, 0n, dust);
    expect(amounts).toEqual([30_000_000n, 30_000_000n, 40_000_001n]);
    expect(kept).toBe(0n);
  });
  it("follows current holdings, not targets, and keeps the idle share in USDT", () => {
    // holdings 50/30/20 of a 1,000 USDT basket plus 100 idle (NAV 1,100): a 110 USDT deposit keeps 10 in USDT
    const { amounts, kept } = depositSplit(110_000_000n, [500_000_000n, 300_000_000n, 200_000_000n], [3333n, 3333n, 3334n], 100_000_000n, 1_100_000_000n, dust);
    expect(amounts).toEqual([50_000_000n, 30_000_000n, 20_000_000n]);
    expect(kept).toBe(10_000_000n);
  });
  it("moves legs of at most one swap dust and the rounding remainder to the largest leg", () => {
    const { amounts, kept } = depositSplit(10_000_007n, [999_000n, 1_000n, 0n], [5000n, 5000n, 0n], 0n, 1_000_000n, dust);
    // the second leg (10,000 = one cent) is dust: it joins the largest leg with the rounding remainder
    expect(amounts).toEqual([10_000_007n, 0n, 0n]);
    expect(kept).toBe(0n);
    expect(amounts.reduce((a, b) => a + b, 0n) + kept).toBe(10_000_007n);
  });
});
