/** Fixed-point helpers. Decimals are normalised here and nowhere else. */

import { absBig, pow10, valueD18 } from "../sdk/client/math";

export { absBig, pow10, valueD18 };

/** {bps} one whole. */
export const BPS = 10_000;
export const BPS_N = 10_000n;
/** D18 one. */
export const WAD = 10n ** 18n;

/** {tok} amount worth `value` D18{USD} at `priceD18` D18{USD/tok}, rounded down. */
export function amountFromValue(value: bigint, decimals: number, priceD18: bigint): bigint {
  if (priceD18 <= 0n) throw new RangeError("price must be positive");
  return (value * pow10(decimals)) / priceD18;
}

/** {bps} part / whole, rounded down; 0 when whole is 0. Safe for |result| < 2^53. */
export function toBps(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Number((part * BPS_N) / whole);
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** D18{USD} → "$1,234.56" (rounded down to the cent), for log messages only. */
export function formatUsd(valueD18Usd: bigint): string {
  const negative = valueD18Usd < 0n;
  const cents = absBig(valueD18Usd) / 10n ** 16n;
  const dollars = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const rest = (cents % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}$${dollars}.${rest}`;
}

/** {wei} → gwei as a decimal string with up to 3 decimals, for log messages only. */
export function formatGwei(wei: bigint): string {
  const milli = wei / 1_000_000n;
  const whole = milli / 1000n;
  const frac = (milli % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return frac === "" ? `${whole}` : `${whole}.${frac}`;
}

/** gwei (a non-negative finite number, up to 9 decimals) → {wei}. */
export function gweiToWei(gwei: number): bigint {
  if (!Number.isFinite(gwei) || gwei < 0) throw new RangeError(`invalid gwei amount ${gwei}`);
  return BigInt(Math.round(gwei * 1e9));
}
