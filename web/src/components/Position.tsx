import { useState } from "react";
import type { Address } from "viem";
import { invalidateVault, useActivity, useDeferred, useQueryClient, useWallet, useWalletState } from "../hooks";
import { useApp } from "../context";
import { owedTokens } from "../lib/batch";
import { claim, explain, fmtUnits, type VaultStatus } from "../lib/client";
import type { OwedToken } from "../lib/reads";
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
      <SetAside status={status} account={account} />
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

/**
 * Tokens the vault set aside for the wallet: an in-kind redemption whose transfer of a token failed (a token that
 * blocks the receiver, say) keeps the amount in the vault for the wallet to `claim(token, to)` later. Shown only when
 * something is owed.
 */
function SetAside({ status, account }: { status: VaultStatus; account: Address }) {
  const { client } = useApp();
  const queryClient = useQueryClient();
  const { wallet, wrongChain } = useWallet();
  const deferred = useDeferred(status, account);
  const [busy, setBusy] = useState<Address>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const owed = owedTokens(deferred.data ?? []);
  if (owed.length === 0 && error === undefined && done === undefined) return null;

  async function run(t: OwedToken): Promise<void> {
    if (wallet === undefined) return;
    setBusy(t.token);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await claim(client, wallet, status.vault, t.token, account);
      setDone(`Claimed ${fmtUnits(r.amount, t.decimals, t.decimals)} ${t.symbol} (tx ${short(r.hash)}).`);
    } catch (e) {
      setError(`Could not claim ${t.symbol}: ${explain(e)} It stays set aside for you; try again once the token lets you receive it.`);
    } finally {
      setBusy(undefined);
      await invalidateVault(queryClient, status.vault);
    }
  }

  return (
    <div data-testid="set-aside">
      <h3>Set aside for you</h3>
      {owed.length > 0 ? (
        <>
          <p className="small muted">An in-kind redemption could not transfer these tokens to you, so the vault kept them for you. Claim them when the token lets you receive it.</p>
          <ul className="plain">
            {owed.map((t) => (
              <li key={t.token} className="row tight" data-testid={`set-aside-${t.symbol}`}>
                <span>
                  <strong>{fmtUnits(t.amount, t.decimals, t.decimals)}</strong> {t.symbol}
                </span>
                <button type="button" disabled={wallet === undefined || wrongChain || busy !== undefined} onClick={() => void run(t)}>
                  {busy === t.token ? "Claiming…" : `Claim ${t.symbol}`}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {error !== undefined ? (
        <p role="alert" className="error" data-testid="set-aside-error">
          {error}
        </p>
      ) : null}
      {done !== undefined ? (
        <p role="status" className="receipt" data-testid="set-aside-result">
          {done}
        </p>
      ) : null}
    </div>
  );
}
