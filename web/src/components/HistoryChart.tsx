import type { Address } from "viem";
import { useHistory } from "../hooks";
import { explain } from "../lib/client";
import { level, usd } from "../lib/format";
import type { HistoryPoint } from "../lib/reads";

/** NAV per share and index level over time, from on-chain reads at event blocks and sampled blocks. */
export function HistoryChart({ vault }: { vault: Address }) {
  const history = useHistory(vault);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {history.isPending ? <p role="status">Reading history from the chain…</p> : null}
      {history.error !== null ? <p className="error">{explain(history.error)}</p> : null}
      {history.data !== undefined && history.data.length < 2 ? <p className="muted">Not enough history yet.</p> : null}
      {history.data !== undefined && history.data.length >= 2 ? (
        <div className="charts">
          <Line points={history.data} value={(p) => Number(p.navPerShare) / 1e6} title="NAV per share (USDT)" format={(p) => usd(p.navPerShare, 4)} />
          <Line points={history.data} value={(p) => Number(p.indexLevel) / 1e18} title="Index level" format={(p) => level(p.indexLevel)} />
          <p className="small muted">
            {history.data.length} points from block {history.data[0]!.block.toString()} to {history.data.at(-1)!.block.toString()}: every deposit, redemption and rebalance, plus sampled blocks. Dots mark events.
          </p>
        </div>
      ) : null}
    </section>
  );
}

function Line({ points, value, title, format }: { points: HistoryPoint[]; value: (p: HistoryPoint) => number; title: string; format: (p: HistoryPoint) => string }) {
  const W = 320;
  const H = 120;
  const pad = 6;
  const values = points.map(value);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (max - min < 1e-9) {
    min -= 1;
    max += 1;
  }
  // x by block number: a local chain mines many blocks in the same second.
  const b0 = Number(points[0]!.block);
  const b1 = Math.max(b0 + 1, Number(points.at(-1)!.block));
  const x = (p: HistoryPoint): number => pad + ((Number(p.block) - b0) / (b1 - b0)) * (W - 2 * pad);
  const y = (v: number): number => H - pad - ((v - min) / (max - min)) * (H - 2 * pad);
  const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p).toFixed(1)},${y(values[i]!).toFixed(1)}`).join(" ");
  const first = points[0]!;
  const last = points.at(-1)!;
  return (
    <figure className="chart">
      <figcaption>
        {title}: {format(first)} → <strong>{format(last)}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} from ${format(first)} to ${format(last)}`}>
        <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} className="axis" />
        <path d={d} className="series" />
        {points.map((p, i) =>
          p.event === undefined ? null : (
            <circle key={p.block.toString()} cx={x(p)} cy={y(values[i]!)} r={3} className="dot">
              <title>{`block ${p.block}: ${p.event}, ${format(p)}`}</title>
            </circle>
          ),
        )}
      </svg>
    </figure>
  );
}
