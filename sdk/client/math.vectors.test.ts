// The vectors in test/vectors/math.json, which the Solidity libraries also run (test/unit/SharedVectors.t.sol):
// the client's drift and valuation cannot drift apart from DriftLib's and OracleLib's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { repoRoot } from "../local/paths";
import { driftBps, valueInUsdt } from "./math";

const big = z.string().regex(/^\d+$/).transform((s) => BigInt(s));
const vectors = z
  .object({
    drift: z.array(z.object({ name: z.string(), values: z.array(big), targetsBps: z.array(z.number().int()), idle: big, maxBps: big, sumBps: big })),
    valuation: z.array(
      z.object({ name: z.string(), amount: big, priceD18: big, decimals: z.number().int(), usdtPriceD18: big, valueUsdtDown: big }),
    ),
  })
  .parse(JSON.parse(readFileSync(join(repoRoot(), "test", "vectors", "math.json"), "utf8")));

describe("shared math vectors (test/vectors/math.json)", () => {
  it("test_drift_matchesTheSharedVectors", () => {
    expect(vectors.drift.length).toBeGreaterThanOrEqual(5);
    for (const v of vectors.drift) {
      const r = driftBps(v.values, v.targetsBps, v.idle);
      expect({ name: v.name, max: r.maxBps, sum: r.sumBps }).toEqual({ name: v.name, max: v.maxBps, sum: v.sumBps });
    }
  });

  it("test_valuation_matchesTheSharedVectors", () => {
    expect(vectors.valuation.length).toBeGreaterThanOrEqual(3);
    for (const v of vectors.valuation) {
      const value = valueInUsdt(v.amount, { priceD18: v.priceD18, decimals: v.decimals }, v.usdtPriceD18);
      expect({ name: v.name, value }).toEqual({ name: v.name, value: v.valueUsdtDown });
    }
  });
});
