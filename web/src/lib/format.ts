// Display formatting on top of the CLI's exact bigint formatters (cli/format.ts through the client adapter).
import { fmtBps, fmtUnits } from "./client";

export { fmtBps, fmtUnits };

/** {USDT units} → "$12,345.67". */
export function usd(units: bigint, digits = 2): string {
  const negative = units < 0n;
  return `${negative ? "-" : ""}$${fmtUnits(negative ? -units : units, 6, digits)}`;
}

/** D18{USD/tok} → "$64,000.12" (4 decimals under $1). */
export function price18(d18: bigint): string {
  return `$${fmtUnits(d18, 18, d18 < 10n ** 18n ? 4 : 2)}`;
}

/** {share} (18 decimals) → "1,234.5678". */
export function shares(v: bigint, digits = 4): string {
  return fmtUnits(v, 18, digits);
}

/** D18{1} index level → "1,012.34". */
export function level(v: bigint): string {
  return fmtUnits(v, 18, 2);
}

/** {bps} → "1.25 %" (bps as a number or bigint; keeps the sign). */
export function pct(bps: bigint | number, digits = 2): string {
  return fmtBps(bps, digits);
}

/** Age of a timestamp {s} against `now` {s}: "45 s", "12 min", "3 h", "2 d". */
export function age(timestamp: bigint | number, now: bigint | number): string {
  const s = Math.max(0, Number(now) - Number(timestamp));
  if (s < 120) return `${s} s`;
  if (s < 7_200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3_600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** "0x1234…abcd" */
export function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Fee tier {hundredths of a bip} → "0.3 %". */
export function feeTier(fee: number): string {
  return `${fee / 10_000} %`;
}

/** A route "USDT → WETH → WBTC (0.05 %, 0.3 %)" from symbols and fee tiers. */
export function route(symbols: readonly string[], fees: readonly number[]): string {
  return `${symbols.join(" → ")}${fees.length > 0 ? ` (${fees.map(feeTier).join(", ")})` : ""}`;
}

/** Fraction of the drift threshold used, clamped to [0, 1] (for the drift bar). */
export function driftFraction(deviationBps: bigint, thresholdBps: bigint): number {
  if (thresholdBps <= 0n) return 0;
  const f = Number(deviationBps) / Number(thresholdBps);
  return Math.min(1, Math.max(0, f));
}
