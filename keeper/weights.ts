/**
 * A target-weights specification (JSON, validated with zod) and its evaluation with the
 * methodology: what an index manager writes to say how the basket is weighted.
 *
 *   { "kind": "equal", "tokens": ["0x…", "0x…"] }
 *   { "kind": "marketCap", "capBps": 4000, "constituents": [
 *       { "token": "0x…", "priceUsd": "3000.12", "circulatingSupply": "120000000", "decimals": 18 } ] }
 *   { "kind": "custom", "weights": { "0x…": 60, "0x…": 40 } }
 *
 * Prices and supplies are decimal strings (exact: no float rounding); supplies are whole tokens.
 */
import { z } from "zod";
import {
  assertValidWeights,
  customWeights,
  equalWeights,
  marketCapWeights,
  type TargetWeight,
} from "./methodology";
import type { Address } from "./types";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((s) => s as Address);

const decimal = z.string().regex(/^\d+(\.\d+)?$/, "must be a non-negative decimal string, e.g. \"3000.25\"");

/** "3000.25" with `scale` decimals → 3000250…n (truncating extra decimals). */
export function parseDecimal(value: string, scale: number): bigint {
  const [whole = "0", frac = ""] = value.split(".");
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt((frac + "0".repeat(scale)).slice(0, scale) || "0");
}

export const weightsSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("equal"), tokens: z.array(address).min(1) }).strict(),
  z
    .object({
      kind: z.literal("marketCap"),
      capBps: z.number().int().min(1).max(10_000).default(10_000),
      constituents: z
        .array(
          z
            .object({
              token: address,
              priceUsd: decimal,
              /** Whole tokens (decimals allowed). */
              circulatingSupply: decimal,
              decimals: z.number().int().min(0).max(36),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  z.object({ kind: z.literal("custom"), weights: z.record(z.string(), z.number()) }).strict(),
]);

export type WeightsSpec = z.output<typeof weightsSpecSchema>;

export interface TokenWeight {
  readonly token: Address;
  /** {bps} */
  readonly bps: number;
}

/** Validate a spec; throws with every issue and its path. */
export function parseWeightsSpec(raw: unknown): WeightsSpec {
  const parsed = weightsSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`invalid weights spec:\n  - ${issues.join("\n  - ")}`);
  }
  return parsed.data;
}

/** Target weights in {bps}, summing to exactly 10,000, in the spec's order. */
export function computeTargetWeights(spec: WeightsSpec): TokenWeight[] {
  let weights: TargetWeight[];
  switch (spec.kind) {
    case "equal":
      weights = equalWeights(spec.tokens);
      break;
    case "marketCap":
      weights = marketCapWeights(
        spec.constituents.map((c) => ({
          id: c.token,
          priceD18: parseDecimal(c.priceUsd, 18),
          circulatingSupply: parseDecimal(c.circulatingSupply, c.decimals),
          decimals: c.decimals,
        })),
        spec.capBps,
      );
      break;
    case "custom":
      for (const key of Object.keys(spec.weights)) {
        if (!/^0x[0-9a-fA-F]{40}$/.test(key)) throw new Error(`custom weights: ${key} is not a token address`);
      }
      weights = customWeights(spec.weights);
      break;
  }
  assertValidWeights(weights);
  return weights.map((w) => ({ token: w.id as Address, bps: w.bps }));
}
