import type { Address } from "viem";
import { useDetails, useRolesAndRebalance, useWallet } from "../hooks";
import { explain } from "../lib/client";
import { age, driftFraction, level, pct, price18, route, short, shares as fmtShares, usd } from "../lib/format";
import { rebalanceSummary, vaultState } from "../lib/quote";
import type { VaultDetails } from "../lib/reads";
import { BatchPanel } from "./BatchPanel";
import { DepositPanel } from "./DepositPanel";
import { HistoryChart } from "./HistoryChart";
import { Position } from "./Position";
import { RedeemPanel } from "./RedeemPanel";
import { StateBadge } from "./StateBadge";

export function IndexPage({ vault }: { vault: Address }) {
  const details = useDetails(vault);
  const { address } = useWallet();
  if (details.isPending) return <p role="status">Loading the index…</p>;
  if (details.error !== null) {
    return (
      <p role="alert" className="error">
        Could not read this index: {explain(details.error)} <a href="#/">Back to the list</a>
      </p>
    );
  }
  const d = details.data;
  const s = d.status;
  return (
    <article aria-labelledby="index-title">
      <p>
        <a href="#/">← All indexes</a>
      </p>
      <h1 id="index-title">
        {s.name} <span className="muted">{s.symbol}</span> <StateBadge state={vaultState(s)} />
      </h1>
      <dl className="stats" data-testid="stats">
        <div>
          <dt>NAV / share</dt>
          <dd data-testid="nav-per-share">{usd(s.navPerShare, 4)}</dd>
        </div>
        <div>
          <dt>Index level</dt>
          <dd data-testid="index-level">{level(s.indexLevel)}</dd>
        </div>
        <div>
          <dt>TVL</dt>
          <dd data-testid="tvl">{usd(s.nav)}</dd>
        </div>
        <div>
          <dt>Shares outstanding</dt>
          <dd>{fmtShares(s.totalSupply, 2)}</dd>
        </div>
      </dl>
      {s.priceError !== undefined ? (
        <p role="alert" className="warn">
          Prices cannot be read right now: {s.priceError}
        </p>
      ) : null}
      <div className="grid">
        <div className="main-col">
          <Basket details={d} />
          <HistoryChart vault={vault} />
          <RebalanceAndRoles details={d} />
        </div>
        <div className="side-col">
          <DepositPanel status={s} />
          <RedeemPanel status={s} />
          <BatchPanel status={s} />
          {address === undefined ? (
            <section className="card" aria-labelledby="position-title">
              <h2 id="position-title">My position</h2>
              <p className="muted">Connect a wallet to see your shares and receipts. Everything else works read-only.</p>
            </section>
          ) : (
            <Position status={s} account={address} />
          )}
        </div>
      </div>
    </article>
  );
}

function Basket({ details }: { details: VaultDetails }) {
  const s = details.status;
  const threshold = s.rebalance?.thresholdBps ?? 0n;
  return (
    <section className="card" aria-labelledby="basket-title">
      <h2 id="basket-title">Basket</h2>
      <div className="scroll">
        <table data-testid="basket">
          <thead>
            <tr>
              <th scope="col">Token and route</th>
              <th scope="col">Target</th>
              <th scope="col">Current</th>
              <th scope="col">Drift{threshold > 0n ? ` (threshold ${pct(threshold)})` : ""}</th>
              <th scope="col">Chainlink price</th>
              <th scope="col">Price age</th>
            </tr>
          </thead>
          <tbody>
            {s.constituents.map((c, i) => {
              const feed = details.feeds[i];
              const stale = feed?.stale === true;
              const frac = driftFraction(c.deviationBps, threshold);
              return (
                <tr key={c.token}>
                  <th scope="row">
                    {c.symbol}
                    <div className="small muted route">{route(details.routeSymbols[i] ?? [], c.fees)}</div>
                  </th>
                  <td>{pct(c.targetBps)}</td>
                  <td>{pct(c.weightBps)}</td>
                  <td>
                    <div
                      className={`bar ${frac >= 1 ? "over" : frac >= 0.6 ? "near" : ""}`}
                      role="meter"
                      aria-valuemin={0}
                      aria-valuemax={Number(threshold)}
                      aria-valuenow={Number(c.deviationBps)}
                      aria-label={`${c.symbol} drift ${pct(c.deviationBps)} of a ${pct(threshold)} threshold`}
                    >
                      <span style={{ width: `${Math.round(frac * 100)}%` }} />
                    </div>
                    <span className="small">{pct(c.deviationBps)}</span>
                  </td>
                  <td>{price18(c.priceD18)}</td>
                  <td className={stale ? "stale" : ""}>
                    {feed === undefined ? "?" : `${age(0, feed.ageSeconds)}${stale ? " (stale)" : ""}`}
                  </td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">USDT (idle)</th>
              <td>{pct(0)}</td>
              <td>{pct(s.idleWeightBps)}</td>
              <td />
              <td>{s.usdtPriceD18 === 0n ? "?" : price18(s.usdtPriceD18)}</td>
              <td />
            </tr>
          </tbody>
        </table>
      </div>
      <p className="small muted">
        Largest drift {pct(s.drift.maxBps)}, summed {pct(s.drift.sumBps)} ({s.drift.source === "vault" ? "the vault's own report" : "computed here"}).
      </p>
    </section>
  );
}

function RebalanceAndRoles({ details }: { details: VaultDetails }) {
  const s = details.status;
  const extra = useRolesAndRebalance(s.vault);
  const r = s.rebalance;
  const last = extra.data?.lastRebalance;
  const summary = last === undefined ? undefined : rebalanceSummary(last);
  const cooldownLeft = r === undefined ? 0n : r.cooldownEndsAt - s.timestamp;
  return (
    <>
      <section className="card" aria-labelledby="rebalance-title">
        <h2 id="rebalance-title">Rebalance</h2>
        {r === undefined ? (
          <p className="muted">This vault reports no rebalance status.</p>
        ) : (
          <dl className="kv" data-testid="rebalance">
            <dt>Status</dt>
            <dd>{s.rebalancing ? `in progress (${r.steps} steps so far)` : r.due ? "due: a keeper may rebalance now" : r.reason}</dd>
            <dt>Threshold</dt>
            <dd>{pct(r.thresholdBps)} largest drift</dd>
            <dt>Keeper window</dt>
            <dd>
              {cooldownLeft > 0n ? `cooldown, ends in ${age(s.timestamp, r.cooldownEndsAt)}` : "open"}
              {details.permissionlessAt > 0n
                ? details.permissionlessAt > s.timestamp
                  ? `; the keeper has it, anyone may rebalance in ${age(s.timestamp, details.permissionlessAt)}`
                  : "; anyone may rebalance now (the keeper missed its window)"
                : ""}
            </dd>
            <dt>Last rebalance</dt>
            <dd data-testid="last-rebalance">
              {last === undefined || summary === undefined
                ? "none yet"
                : `block ${last.blockNumber}: turnover ${pct(summary.turnoverBps)} of NAV, cost ${pct(summary.costBps)}, drift ${pct(last.maxDriftBeforeBps)} → ${pct(last.maxDriftAfterBps)}${last.complete ? "" : " (continues)"}`}
            </dd>
          </dl>
        )}
      </section>
      <section className="card" aria-labelledby="fees-title">
        <h2 id="fees-title">Fees and roles</h2>
        <dl className="kv" data-testid="fees">
          <dt>Mint fee</dt>
          <dd>{pct(s.fees.mintBps)}</dd>
          <dt>Burn fee</dt>
          <dd>{pct(s.fees.burnBps)}</dd>
          <dt>Management fee</dt>
          <dd>{pct(s.fees.managementBpsPerYear)} a year</dd>
          <dt>Fee recipient</dt>
          <dd title={s.fees.recipient}>{short(s.fees.recipient)}</dd>
          <dt>Max slippage per swap</dt>
          <dd>{pct(s.maxSlippageBps)}</dd>
          <dt>Minimum deposit</dt>
          <dd>{usd(s.minDeposit)}</dd>
          {(extra.data?.roles ?? []).map((r) => (
            <div key={r.role} className="kvrow">
              <dt>{r.role}</dt>
              <dd>{r.holders.length === 0 ? "nobody" : r.holders.map((h) => short(h)).join(", ")}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
