// Number formatting and plain-text tables for the CLI and the demo (no dependencies, bigints exact).

/** `value` (raw units with `decimals`) as a decimal string with at most `digits` fraction digits (rounded down). */
export function fmtUnits(value: bigint, decimals: number, digits = 2): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  let fraction = (abs % base).toString().padStart(decimals, "0").slice(0, digits);
  fraction = fraction.replace(/0+$/, "");
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${wholeText}${fraction === "" ? "" : `.${fraction}`}`;
}

/** {USDT units} → "12,345.67 USDT". */
export function fmtUsdt(units: bigint, digits = 2): string {
  return `${fmtUnits(units, 6, digits)} USDT`;
}

/** {bps} → "12.34 %". */
export function fmtBps(bps: bigint | number, digits = 2): string {
  const n = Number(bps) / 100;
  return `${n.toFixed(digits)} %`;
}

/** Parses a decimal amount ("1000", "0.5", "1_000.25") into raw units; throws a readable error. */
export function parseAmount(text: string, decimals: number, what: string): bigint {
  const clean = text.replace(/[_,]/g, "");
  const match = /^(\d+)(?:\.(\d+))?$/.exec(clean);
  if (match === null) throw new Error(`${what}: "${text}" is not a positive decimal number`);
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) throw new Error(`${what}: at most ${decimals} decimals`);
  return BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

export type Align = "left" | "right";

/** Renders rows as an aligned text table with a header rule. Numbers are right-aligned by default. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const alignOf = (i: number): Align => align?.[i] ?? (i === 0 ? "left" : "right");
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (alignOf(i) === "left" ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Key/value block: "label   value" lines aligned on the labels. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** "0x1234…abcd" */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
