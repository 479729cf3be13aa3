// A dependency-free SVG chart of the demo's story: the index level (top) and each constituent's weight against its
// target (bottom), one point per step.

export interface ChartPoint {
  /** Short step label for the x axis. */
  label: string;
  /** D18{1} index level as a number (1,000 at inception). */
  indexLevel: number;
  /** {bps} current weight per constituent, in basket order. */
  weightsBps: number[];
}

export interface ChartInput {
  title: string;
  symbols: string[];
  /** {bps} target per constituent (constant over the story). */
  targetsBps: number[];
  /** {bps} the rebalance threshold, drawn as a band around each target; undefined: none. */
  thresholdBps?: number;
  points: ChartPoint[];
}

const PALETTE = ["#f7931a", "#627eea", "#2a9d8f", "#e76f51", "#8e44ad", "#e9c46a", "#264653", "#d62828", "#06d6a0", "#118ab2"];

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fix = (n: number): string => (Math.round(n * 10) / 10).toString();

/** "Nice" axis bounds and ticks around [lo, hi]. */
function niceTicks(lo: number, hi: number, count = 5): { min: number; max: number; ticks: number[] } {
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const rough = (hi - lo) / count;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return { min, max, ticks };
}

export function renderChart(input: ChartInput): string {
  const W = 960;
  const H = 640;
  const left = 100;
  const right = 150;
  const plotW = W - left - right;
  const top1 = 70;
  const h1 = 170;
  const top2 = top1 + h1 + 70;
  const h2 = 230;
  const n = input.points.length;
  const x = (i: number): number => left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="34" font-size="20" font-weight="bold" fill="#222">${esc(input.title)}</text>`);

  // Panel 1: index level
  const levels = input.points.map((p) => p.indexLevel);
  const pad = Math.max(1, (Math.max(...levels) - Math.min(...levels)) * 0.08);
  const a1 = niceTicks(Math.min(...levels) - pad, Math.max(...levels) + pad);
  const y1 = (v: number): number => top1 + h1 - ((v - a1.min) / (a1.max - a1.min)) * h1;
  out.push(`<text x="${left}" y="${top1 - 12}" font-size="14" fill="#444">Index level (1,000 at inception)</text>`);
  for (const t of a1.ticks) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${fix(y1(t))}" y2="${fix(y1(t))}" stroke="#eee"/>`);
    out.push(`<text x="${left - 8}" y="${fix(y1(t) + 4)}" font-size="11" text-anchor="end" fill="#666">${t.toLocaleString("en-US")}</text>`);
  }
  out.push(`<polyline fill="none" stroke="#222" stroke-width="2.5" points="${input.points.map((p, i) => `${fix(x(i))},${fix(y1(p.indexLevel))}`).join(" ")}"/>`);
  input.points.forEach((p, i) => {
    out.push(`<circle cx="${fix(x(i))}" cy="${fix(y1(p.indexLevel))}" r="3.5" fill="#222"/>`);
  });
  const last = input.points[n - 1];
  if (last !== undefined) {
    out.push(`<text x="${fix(x(n - 1) + 8)}" y="${fix(y1(last.indexLevel) + 4)}" font-size="12" fill="#222">${last.indexLevel.toFixed(1)}</text>`);
  }

  // Panel 2: weights vs targets
  const all = input.points.flatMap((p) => p.weightsBps).concat(input.targetsBps).map((b) => b / 100);
  const band = (input.thresholdBps ?? 0) / 100;
  const a2 = niceTicks(Math.max(0, Math.min(...all) - band), Math.min(100, Math.max(...all) + band));
  const y2 = (pct: number): number => top2 + h2 - ((pct - a2.min) / (a2.max - a2.min)) * h2;
  out.push(`<text x="${left}" y="${top2 - 12}" font-size="14" fill="#444">Weights (solid) vs targets (dashed)${band > 0 ? `, shaded: ±${band}% rebalance threshold` : ""}</text>`);
  for (const t of a2.ticks) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${fix(y2(t))}" y2="${fix(y2(t))}" stroke="#eee"/>`);
    out.push(`<text x="${left - 8}" y="${fix(y2(t) + 4)}" font-size="11" text-anchor="end" fill="#666">${t}%</text>`);
  }
  input.symbols.forEach((symbol, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const target = (input.targetsBps[k] ?? 0) / 100;
    if (band > 0) {
      const yTop = y2(Math.min(a2.max, target + band));
      const yBottom = y2(Math.max(a2.min, target - band));
      out.push(`<rect x="${left}" y="${fix(yTop)}" width="${plotW}" height="${fix(yBottom - yTop)}" fill="${color}" opacity="0.08"/>`);
    }
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${fix(y2(target))}" y2="${fix(y2(target))}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    const pts = input.points.map((p, i) => `${fix(x(i))},${fix(y2((p.weightsBps[k] ?? 0) / 100))}`);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${pts.join(" ")}"/>`);
    input.points.forEach((p, i) => out.push(`<circle cx="${fix(x(i))}" cy="${fix(y2((p.weightsBps[k] ?? 0) / 100))}" r="3" fill="${color}"/>`));
    // legend
    const ly = top2 + 14 + k * 20;
    out.push(`<line x1="${left + plotW + 20}" x2="${left + plotW + 44}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2.5"/>`);
    out.push(`<text x="${left + plotW + 50}" y="${ly + 4}" font-size="12" fill="#222">${esc(symbol)} (${target}%)</text>`);
  });

  // x axis labels and step separators
  input.points.forEach((p, i) => {
    out.push(`<line x1="${fix(x(i))}" x2="${fix(x(i))}" y1="${top1}" y2="${top1 + h1}" stroke="#f3f3f3"/>`);
    out.push(`<line x1="${fix(x(i))}" x2="${fix(x(i))}" y1="${top2}" y2="${top2 + h2}" stroke="#f3f3f3"/>`);
    out.push(
      `<text x="${fix(x(i))}" y="${top2 + h2 + 18}" font-size="11" fill="#444" text-anchor="end" transform="rotate(-30 ${fix(x(i))} ${top2 + h2 + 18})">${esc(p.label)}</text>`,
    );
  });
  out.push(`<rect x="${left}" y="${top1}" width="${plotW}" height="${h1}" fill="none" stroke="#ccc"/>`);
  out.push(`<rect x="${left}" y="${top2}" width="${plotW}" height="${h2}" fill="none" stroke="#ccc"/>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
