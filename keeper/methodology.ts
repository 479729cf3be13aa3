/**
 * Target-weight methodologies. Every function returns integer {bps} summing to exactly 10_000,
 * in the order of its input, using exact bigint arithmetic and largest-remainder rounding
 * (ties go to the earlier entry, so results are deterministic).
 *
 *  - equalWeights:      1/n each
 *  - marketCapWeights:  price × circulating supply, each name capped at `capBps`, the excess
 *                       redistributed pro rata among the uncapped names, repeated until no name
 *                       is above the cap
 *  - customWeights:     a table of positive numbers (bps, percentages, anything), normalised
 */
import { BPS, BPS_N, pow10 } from "./units";

export class MethodologyError extends Error {
  override readonly name = "MethodologyError";
}

export interface TargetWeight {
  readonly id: string;
  /** {bps} */
  readonly bps: number;
}

export interface MarketCapInput {
  readonly id: string;
  /** D18{USD/tok} */
  readonly priceD18: bigint;
  /** {tok} circulating supply in the token's smallest unit. */
  readonly circulatingSupply: bigint;
  readonly decimals: number;
}

/** Max number of constituents: each must be able to hold at least 1 bps. */
const MAX_CONSTITUENTS = BPS;

function checkIds(ids: readonly string[]): void {
  if (ids.length === 0) throw new MethodologyError("at least one constituent is required");
  if (ids.length > MAX_CONSTITUENTS) {
    throw new MethodologyError(`too many constituents: ${ids.length} > ${MAX_CONSTITUENTS}`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (id.trim() === "") throw new MethodologyError("constituent id must not be empty");
    const key = id.toLowerCase();
    if (seen.has(key)) throw new MethodologyError(`duplicate constituent: ${id}`);
    seen.add(key);
  }
}

/**
 * Split `total` units proportionally to `numerators` (all ≥ 0, sum > 0) by largest remainder.
 * Returns integers summing exactly to `total`; each is floor or floor + 1 of its exact share.
 */
export function allocate(numerators: readonly bigint[], total: number = BPS): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new MethodologyError(`total must be a non-negative safe integer, got ${total}`);
  }
  if (numerators.some((n) => n < 0n)) throw new MethodologyError("numerators must be ≥ 0");
  const sum = numerators.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new MethodologyError("numerators must not all be zero");
  const t = BigInt(total);
  const floors = numerators.map((n) => (n * t) / sum);
  const remainders = numerators.map((n) => (n * t) % sum);
  let left = total - Number(floors.reduce((a, b) => a + b, 0n));
  const order = remainders
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = floors.map(Number);
  for (const { i } of order) {
    if (left === 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}

/** 1/n each, the first (10_000 mod n) names get one extra bps. */
export function equalWeights(ids: readonly string[]): TargetWeight[] {
  checkIds(ids);
  const bps = allocate(ids.map(() => 1n));
  return ids.map((id, i) => ({ id, bps: bps[i] ?? 0 }));
}

/**
 * Market-cap weights with a per-name cap. Capped names get exactly `capBps`; the rest share
 * the remainder pro rata to market cap. Throws when the cap is infeasible (n × cap < 10_000).
 */
export function marketCapWeights(inputs: readonly MarketCapInput[], capBps: number = BPS): TargetWeight[] {
  checkIds(inputs.map((x) => x.id));
  if (!Number.isInteger(capBps) || capBps <= 0 || capBps > BPS) {
    throw new MethodologyError(`cap must be an integer bps in (0, 10000], got ${capBps}`);
  }
  if (inputs.length * capBps < BPS) {
    throw new MethodologyError(
      `cap ${capBps} bps is infeasible for ${inputs.length} constituents (needs n × cap ≥ 10000)`,
    );
  }
  const maxDecimals = Math.max(...inputs.map((x) => x.decimals));
  const caps = inputs.map((x) => {
    if (x.priceD18 <= 0n) throw new MethodologyError(`price of ${x.id} must be positive`);
    if (x.circulatingSupply <= 0n) throw new MethodologyError(`circulating supply of ${x.id} must be positive`);
    if (!Number.isInteger(x.decimals) || x.decimals < 0 || x.decimals > 36) {
      throw new MethodologyError(`decimals of ${x.id} must be an integer in [0, 36], got ${x.decimals}`);
    }
    // Market cap scaled by a common 10^maxDecimals so names with different decimals compare exactly.
    return x.priceD18 * x.circulatingSupply * pow10(maxDecimals - x.decimals);
  });

  const capped = new Set<number>();
  const cap = BigInt(capBps);
  for (;;) {
    const remaining = BPS_N - cap * BigInt(capped.size); // {bps} left for the uncapped names
    let uncappedSum = 0n;
    caps.forEach((mc, i) => {
      if (!capped.has(i)) uncappedSum += mc;
    });
    // Every uncapped name whose pro-rata share of `remaining` is above the cap becomes capped.
    // Capping only raises the others' shares, so marking all of them in one round is exact.
    const over = caps
      .map((mc, i) => ({ mc, i }))
      .filter(({ mc, i }) => !capped.has(i) && remaining * mc > cap * uncappedSum);
    if (over.length === 0) break;
    for (const { i } of over) capped.add(i);
  }

  const remaining = BPS - capBps * capped.size;
  const uncappedIdx = caps.map((_, i) => i).filter((i) => !capped.has(i));
  const shares =
    uncappedIdx.length === 0 ? [] : allocate(uncappedIdx.map((i) => caps[i] ?? 0n), remaining);
  const bps = caps.map(() => capBps);
  uncappedIdx.forEach((i, k) => {
    bps[i] = shares[k] ?? 0;
  });
  return inputs.map((x, i) => ({ id: x.id, bps: bps[i] ?? 0 }));
}

/** Decimal places kept from custom weights given as non-integers. */
const CUSTOM_SCALE = 1_000_000_000;

/** A custom table of positive weights, normalised to bps. Integer bps summing to 10_000 pass unchanged. */
export function customWeights(
  table: Readonly<Record<string, number>> | readonly { readonly id: string; readonly weight: number }[],
): TargetWeight[] {
  const entries = Array.isArray(table)
    ? (table as readonly { id: string; weight: number }[]).map((e) => [e.id, e.weight] as const)
    : Object.entries(table as Readonly<Record<string, number>>);
  checkIds(entries.map(([id]) => id));
  for (const [id, w] of entries) {
    if (typeof w !== "number" || !Number.isFinite(w) || w <= 0) {
      throw new MethodologyError(`weight of ${id} must be a positive finite number, got ${String(w)}`);
    }
  }
  const allIntegers = entries.every(([, w]) => Number.isSafeInteger(w));
  const numerators = entries.map(([, w]) =>
    allIntegers ? BigInt(w) : BigInt(Math.round(w * CUSTOM_SCALE)),
  );
  if (numerators.some((n) => n === 0n)) {
    throw new MethodologyError("a weight is too small to represent (below 1e-9 of the unit)");
  }
  const bps = allocate(numerators);
  return entries.map(([id], i) => ({ id, bps: bps[i] ?? 0 }));
}

/** Throws unless `weights` are integer bps in [0, 10000] summing to exactly 10_000. */
export function assertValidWeights(weights: readonly TargetWeight[]): void {
  checkIds(weights.map((w) => w.id));
  let sum = 0;
  for (const w of weights) {
    if (!Number.isInteger(w.bps) || w.bps < 0 || w.bps > BPS) {
      throw new MethodologyError(`weight of ${w.id} must be an integer bps in [0, 10000], got ${w.bps}`);
    }
    sum += w.bps;
  }
  if (sum !== BPS) throw new MethodologyError(`weights sum to ${sum} bps, not 10000`);
}
