import { describe, expect, it } from "vitest";
import {
  MethodologyError,
  allocate,
  assertValidWeights,
  customWeights,
  equalWeights,
  marketCapWeights,
  type MarketCapInput,
} from "./methodology";

const E18 = 10n ** 18n;

/** Names A, B, C… with market caps in the given ratio ($1 price, 18 decimals). */
function caps(...ratio: number[]): MarketCapInput[] {
  return ratio.map((r, i) => ({
    id: String.fromCharCode(65 + i),
    priceD18: E18,
    circulatingSupply: BigInt(r) * 1_000_000n * E18,
    decimals: 18,
  }));
}

const bpsOf = (w: { bps: number }[]) => w.map((x) => x.bps);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Deterministic pseudo-random numbers (LCG) so the property test is reproducible. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("allocate", () => {
  it("test_allocate_largestRemainderTiesGoToEarlierEntries", () => {
    expect(allocate([1n, 1n, 1n])).toEqual([3334, 3333, 3333]);
    expect(allocate([1n, 1n, 1n], 2)).toEqual([1, 1, 0]);
    expect(allocate([2n, 1n], 10)).toEqual([7, 3]); // 6.67 → 7, 3.33 → 3
  });

  it("test_allocate_rejectsAllZeroAndNegative", () => {
    expect(() => allocate([0n, 0n])).toThrow(MethodologyError);
    expect(() => allocate([1n, -1n])).toThrow(/≥ 0/);
  });
});

describe("equalWeights", () => {
  it("test_equalWeights_splitsEvenlyAndSumsExactly", () => {
    expect(bpsOf(equalWeights(["A", "B", "C"]))).toEqual([3334, 3333, 3333]);
    expect(bpsOf(equalWeights(["A"]))).toEqual([10_000]);
    expect(bpsOf(equalWeights(["A", "B", "C", "D"]))).toEqual([2500, 2500, 2500, 2500]);
    for (const n of [6, 7, 9, 11, 13, 17, 101]) {
      const w = bpsOf(equalWeights(Array.from({ length: n }, (_, i) => `T${i}`)));
      expect(sum(w)).toBe(10_000);
      expect(Math.max(...w) - Math.min(...w)).toBeLessThanOrEqual(1);
    }
  });

  it("test_equalWeights_rejectsEmptyAndDuplicateIds", () => {
    expect(() => equalWeights([])).toThrow("at least one constituent is required");
    expect(() => equalWeights(["WETH", "weth"])).toThrow("duplicate constituent: weth");
    expect(() => equalWeights(["A", " "])).toThrow("must not be empty");
  });
});

describe("marketCapWeights", () => {
  it("test_marketCapWeights_uncappedIsProRata", () => {
    expect(bpsOf(marketCapWeights(caps(1, 1, 2)))).toEqual([2500, 2500, 5000]);
  });

  it("test_marketCapWeights_capRedistributesExcessInOneRound", () => {
    // 70/20/10 capped at 40%: A=4000, the other 6000 split 2:1.
    expect(bpsOf(marketCapWeights(caps(70, 20, 10), 4000))).toEqual([4000, 4000, 2000]);
  });

  it("test_marketCapWeights_redistributionNeedingTwoRounds", () => {
    // Round 1 caps A (60%); B's share of the remaining 70% becomes 43.75% > 30% → round 2 caps B;
    // C and D split 40% 2:1.
    expect(bpsOf(marketCapWeights(caps(60, 25, 10, 5), 3000))).toEqual([3000, 3000, 2667, 1333]);
  });

  it("test_marketCapWeights_redistributionNeedingThreeRounds", () => {
    // Round 1 caps A, B; C then holds 48% × 12/20 = 28.8% > 26% → capped; D takes the last 22%.
    expect(bpsOf(marketCapWeights(caps(50, 30, 12, 8), 2600))).toEqual([2600, 2600, 2600, 2200]);
  });

  it("test_marketCapWeights_capExactlyFeasibleGivesEqualWeights", () => {
    expect(bpsOf(marketCapWeights(caps(97, 1, 1, 1), 2500))).toEqual([2500, 2500, 2500, 2500]);
  });

  it("test_marketCapWeights_comparesAcrossDecimalsExactly", () => {
    const w = marketCapWeights([
      { id: "WBTC", priceD18: 50_000n * E18, circulatingSupply: 2n * 10n ** 8n, decimals: 8 }, // $100k
      { id: "WETH", priceD18: 2_000n * E18, circulatingSupply: 50n * E18, decimals: 18 }, // $100k
      { id: "USDC", priceD18: E18, circulatingSupply: 200_000n * 10n ** 6n, decimals: 6 }, // $200k
    ]);
    expect(bpsOf(w)).toEqual([2500, 2500, 5000]);
  });

  it("test_marketCapWeights_randomInputsSumExactlyAndRespectTheCap", () => {
    const rand = lcg(42);
    for (let run = 0; run < 300; run++) {
      const n = 2 + Math.floor(rand() * 15);
      const minCap = Math.ceil(10_000 / n);
      const cap = minCap + Math.floor(rand() * (10_001 - minCap));
      const inputs = Array.from({ length: n }, (_, i) => ({
        id: `T${i}`,
        priceD18: BigInt(1 + Math.floor(rand() * 1e9)) * 10n ** 9n,
        circulatingSupply: BigInt(1 + Math.floor(rand() * 1e12)),
        decimals: Math.floor(rand() * 19),
      }));
      const w = bpsOf(marketCapWeights(inputs, cap));
      expect(sum(w)).toBe(10_000);
      expect(Math.max(...w)).toBeLessThanOrEqual(cap);
      expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
    }
  });

  it("test_marketCapWeights_rejectsInfeasibleCap", () => {
    expect(() => marketCapWeights(caps(1, 1, 1, 1), 2499)).toThrow(
      "cap 2499 bps is infeasible for 4 constituents (needs n × cap ≥ 10000)",
    );
  });

  it("test_marketCapWeights_rejectsBadInputs", () => {
    const [a, b] = caps(1, 1);
    if (a === undefined || b === undefined) throw new Error("fixture");
    expect(() => marketCapWeights([a, { ...b, priceD18: 0n }])).toThrow("price of B must be positive");
    expect(() => marketCapWeights([a, { ...b, circulatingSupply: 0n }])).toThrow("circulating supply of B");
    expect(() => marketCapWeights([a, { ...b, decimals: 1.5 }])).toThrow("decimals of B");
    expect(() => marketCapWeights([a, b], 0)).toThrow("cap must be an integer bps");
    expect(() => marketCapWeights([a, b], 10_001)).toThrow("cap must be an integer bps");
    expect(() => marketCapWeights([a, { ...b, id: "A" }])).toThrow("duplicate constituent: A");
  });
});

describe("customWeights", () => {
  it("test_customWeights_bpsTableSummingTo10000IsUnchanged", () => {
    expect(customWeights({ WETH: 6000, WBTC: 3000, LINK: 1000 })).toEqual([
      { id: "WETH", bps: 6000 },
      { id: "WBTC", bps: 3000 },
      { id: "LINK", bps: 1000 },
    ]);
  });

  it("test_customWeights_normalisesPercentagesAndFractions", () => {
    expect(bpsOf(customWeights({ A: 60, B: 40 }))).toEqual([6000, 4000]);
    expect(bpsOf(customWeights([{ id: "A", weight: 33.3 }, { id: "B", weight: 33.3 }, { id: "C", weight: 33.4 }]))).toEqual([
      3330, 3330, 3340,
    ]);
    expect(bpsOf(customWeights({ A: 1, B: 1, C: 1 }))).toEqual([3334, 3333, 3333]);
    expect(bpsOf(customWeights({ A: 0.5, B: 0.25, C: 0.25 }))).toEqual([5000, 2500, 2500]);
  });

  it("test_customWeights_rejectsBadWeights", () => {
    expect(() => customWeights({ A: 1, B: 0 })).toThrow("weight of B must be a positive finite number, got 0");
    expect(() => customWeights({ A: 1, B: -5 })).toThrow("got -5");
    expect(() => customWeights({ A: 1, B: Number.NaN })).toThrow("got NaN");
    expect(() => customWeights({ A: 1, B: 1e-12 })).toThrow("too small");
    expect(() => customWeights({})).toThrow("at least one constituent");
  });
});

describe("assertValidWeights", () => {
  it("test_assertValidWeights_acceptsExactAndRejectsOff", () => {
    expect(() => assertValidWeights([{ id: "A", bps: 5000 }, { id: "B", bps: 5000 }])).not.toThrow();
    expect(() => assertValidWeights([{ id: "A", bps: 5000 }, { id: "B", bps: 4999 }])).toThrow(
      "weights sum to 9999 bps, not 10000",
    );
    expect(() => assertValidWeights([{ id: "A", bps: 10_000.5 }])).toThrow("integer bps");
  });
});
