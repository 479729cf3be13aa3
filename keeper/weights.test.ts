import { describe, expect, it } from "vitest";
import { computeTargetWeights, parseDecimal, parseWeightsSpec } from "./weights";

const A = "0x00000000000000000000000000000000000000e1";
const B = "0x00000000000000000000000000000000000000b1";
const C = "0x00000000000000000000000000000000000000c1";

describe("weights spec", () => {
  it("test_parseDecimal_exactAndTruncating", () => {
    expect(parseDecimal("3000.25", 18)).toBe(300025n * 10n ** 16n);
    expect(parseDecimal("7", 0)).toBe(7n);
    expect(parseDecimal("1.123456789", 6)).toBe(1_123_456n);
  });

  it("test_computeTargetWeights_equal", () => {
    expect(computeTargetWeights(parseWeightsSpec({ kind: "equal", tokens: [A, B, C] }))).toEqual([
      { token: A, bps: 3334 },
      { token: B, bps: 3333 },
      { token: C, bps: 3333 },
    ]);
  });

  it("test_computeTargetWeights_cappedMarketCapFromDecimalStrings", () => {
    // Caps $600M / $300M / $100M with a 50 % cap: A capped, the other 50 % split 3:1.
    const spec = parseWeightsSpec({
      kind: "marketCap",
      capBps: 5000,
      constituents: [
        { token: A, priceUsd: "3000", circulatingSupply: "200000", decimals: 18 },
        { token: B, priceUsd: "60000.0", circulatingSupply: "5000", decimals: 8 },
        { token: C, priceUsd: "0.5", circulatingSupply: "200000000", decimals: 6 },
      ],
    });
    expect(computeTargetWeights(spec).map((w) => w.bps)).toEqual([5000, 3750, 1250]);
  });

  it("test_computeTargetWeights_custom", () => {
    expect(computeTargetWeights(parseWeightsSpec({ kind: "custom", weights: { [A]: 2, [B]: 1, [C]: 1 } })).map((w) => w.bps)).toEqual([
      5000, 2500, 2500,
    ]);
    expect(() => computeTargetWeights(parseWeightsSpec({ kind: "custom", weights: { WETH: 1 } }))).toThrow("is not a token address");
  });

  it("test_parseWeightsSpec_reportsIssuesWithPaths", () => {
    expect(() => parseWeightsSpec({ kind: "marketCap", constituents: [{ token: "0x1", priceUsd: "-1", circulatingSupply: "1", decimals: 18 }] })).toThrow(
      /constituents\.0\.token: must be a 0x-prefixed[\s\S]*constituents\.0\.priceUsd: must be a non-negative decimal/,
    );
    expect(() => parseWeightsSpec({ kind: "magic" })).toThrow(/kind: Invalid discriminator value/);
  });
});
