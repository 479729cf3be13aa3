import type { Address } from "viem";
import { useActivity, useWalletState } from "../hooks";
import { explain, fmtUnits, type VaultStatus } from "../lib/client";
import { pct, shares as fmtShares, short, usd } from "../lib/format";
import { costBps, sharesValue } from "../lib/quote";

export function Position({ status, account }: { status: VaultStatus; account: Address }) {
  const ws = useWalletState(status.vault, status.asset, account);
  const activity = useActivity(status.vault, account);
  return (
    <section className="card" aria-labelledby="position-title" data-testid="position">
      <h2 id="position-title">My position</h2>
      {ws.data !== undefined ? (
        <dl className="kv">
          <dt>Shares</dt>
          <dd data-testid="position-shares">{fmtUnits(ws.data.shares, 18, 6)}</dd>
          <dt>Value</dt>
          <dd data-testid="position-value">{usd(sharesValue(ws.data.shares, status.navPerShare))}</dd>
          <dt>USDT in wallet</dt>
          <dd>{usd(ws.data.usdt)}</dd>
        </dl>
      ) : ws.error !== null ? (
        <p className="error">{explain(ws.error)}</p>
      ) : (
        <p role="status">Reading your position…</p>
      )}
      <h3>My deposits and redemptions</h3>
      {activity.data === undefined || activity.data.length === 0 ? (
        <p className="muted">{activity.isPending ? "Reading…" : "None yet."}</p>
      ) : (
        <div className="scroll">
          <table data-testid="activity">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Block</th>
                <th scope="col">Shares</th>
                <th scope="col">USDT</th>
                <th scope="col">Value</th>
                <th scope="col">Cost</th>
                <th scope="col">Tx</th>
              </tr>
            </thead>
            <tbody>
              {activity.data.map((a) => (
                <tr key={`${a.hash}-${a.kind}`}>
                  <th scope="row">{a.kind}</th>
                  <td>{a.blockNumber.toString()}</td>
                  <td>{fmtShares(a.shares)}</td>
                  <td>{a.kind === "redeem in kind" ? "in kind" : usd(a.usdt)}</td>
                  <td>{usd(a.value)}</td>
                  <td>{a.kind === "deposit" ? pct(costBps(a.usdt, a.value)) : a.kind === "redeem" ? pct(costBps(a.value, a.usdt)) : "—"}</td>
                  <td className="small">{short(a.hash)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
