import { useId, useState } from "react";
import { formatUnits, type Hash } from "viem";
import { useApp } from "../context";
import { invalidateVault, useBatch, useQueryClient, useWallet } from "../hooks";
import { cancelRequest, claimSettled, explain, fmtUnits, parseAmount, requestDeposit, requestRedeem, settleBatch, type Progress, type VaultStatus } from "../lib/client";
import { BATCH_PITCH, epochPhase, myBatchRows, requestBlocker, settleAccess, settlementPreview, settlementWait, settleTiming } from "../lib/batch";
import { shares as fmtShares, usd } from "../lib/format";
import { Steps, update, type Step } from "./Steps";

function parseOr(text: string, decimals: number, what: string): { value?: bigint; error?: string } {
  try {
    return { value: parseAmount(text.trim() === "" ? "0" : text, decimals, what) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * The vault's ERC-7540 batch (when the app knows the IndexBatchFactory and the vault has one): queue a deposit or a
 * redemption for the next settlement, see the open epoch and what its settlement will do, cancel a pending request,
 * claim what a settled one owes, and settle when the contract lets this wallet.
 */
export function BatchPanel({ status }: { status: VaultStatus }) {
  const { client, config } = useApp();
  const queryClient = useQueryClient();
  const { address, wallet, wrongChain } = useWallet();
  const view = useBatch(status.vault, address);
  const ids = useId();
  const [depositText, setDepositText] = useState("");
  const [redeemText, setRedeemText] = useState("");
  const [steps, setSteps] = useState<Step[]>([]);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (config.batchFactory === undefined) return null;
  if (view.isPending) {
    return (
      <section className="card" aria-label="Batched requests">
        <p role="status">Reading the batch…</p>
      </section>
    );
  }
  if (view.error !== null) {
    return (
      <section className="card" aria-label="Batched requests">
        <p className="error">Could not read this index's batch: {explain(view.error)}</p>
      </section>
    );
  }
  const v = view.data;
  if (v === null) return null; // this vault has no batch (anyone can create it through the IndexBatchFactory)

  const e = v.batch.status;
  const policy = v.batch.policy;
  const mine = v.mine;
  const rows = myBatchRows(mine?.position);
  const phase = epochPhase(e, v.now);
  const access = settleAccess(e, v.now, mine?.isKeeper ?? false);
  const wait = settlementWait(status, e);
  const preview = settlementPreview({ pendingAssets: e.pendingAssets, pendingShares: e.pendingShares, valueS: v.valueS, mintBps: status.fees.mintBps, minDeposit: status.minDeposit });
  const depositAmount = parseOr(depositText, 6, "Amount");
  const redeemAmount = parseOr(redeemText, 18, "Shares");
  const depositBlocker = depositAmount.error ?? requestBlocker({ side: "deposit", amount: depositAmount.value, minimum: policy.minRequestAssets, balance: mine?.usdt });
  const redeemBlocker = redeemAmount.error ?? requestBlocker({ side: "redeem", amount: redeemAmount.value, minimum: policy.minRequestShares, balance: mine?.shares });
  const canAct = wallet !== undefined && address !== undefined && !wrongChain && !busy;

  /** Runs one batch action: its transactions become steps as the wallet sends them; errors in plain words. */
  async function act(name: string, labels: Record<string, string>, fn: (progress: Progress) => Promise<string>): Promise<void> {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    let current: Step[] = [];
    setSteps(current);
    const upsert = (key: string, state: Step["state"], hash?: Hash): void => {
      current = current.some((s) => s.key === key)
        ? update(current, key, { state, ...(hash === undefined ? {} : { hash }) })
        : [...current, { key, label: labels[key] ?? key, state, ...(hash === undefined ? {} : { hash }) }];
      setSteps(current);
    };
    try {
      setResult(await fn({ sent: (label, hash) => upsert(label, "active", hash), confirmed: (label) => upsert(label, "done") }));
    } catch (err) {
      const active = current.find((s) => s.state === "active");
      upsert(active?.key ?? name, "failed");
      setError(explain(err));
    } finally {
      setBusy(false);
      await invalidateVault(queryClient, status.vault);
    }
  }

  const requestDepositNow = (): Promise<void> => {
    const assets = depositAmount.value!;
    return act("request deposit", { approve: `Approve exactly ${fmtUnits(assets, 6, 6)} USDT to the batch`, "reset allowance": "Reset the old USDT allowance to 0 (USDT requires it)", "request deposit": "Request the deposit" }, async (progress) => {
      const r = await requestDeposit(client, wallet!, v.batch, { amount: assets }, progress);
      setDepositText("");
      return `Queued ${fmtUnits(assets, 6, 6)} USDT for the settlement of epoch ${r.requestId}.`;
    });
  };
  const requestRedeemNow = (): Promise<void> => {
    const shares = redeemAmount.value!;
    return act("request redeem", { approve: `Approve ${fmtShares(shares, 6)} shares to the batch`, "reset allowance": "Reset the old share allowance to 0", "request redeem": "Request the redemption" }, async (progress) => {
      const r = await requestRedeem(client, wallet!, v.batch, { amount: shares }, progress);
      setRedeemText("");
      return `Queued ${fmtUnits(shares, 18, 6)} shares for the settlement of epoch ${r.requestId}.`;
    });
  };
  const cancel = (side: "deposit" | "redeem"): Promise<void> =>
    act(`cancel ${side} request`, { [`cancel ${side} request`]: `Cancel the ${side} request` }, async (progress) => {
      const r = await cancelRequest(client, wallet!, v.batch.batch, side, address!, progress);
      return side === "deposit" ? `Cancelled: ${fmtUnits(r.amount, 6, 6)} USDT is back in your wallet.` : `Cancelled: ${fmtUnits(r.amount, 18, 6)} shares are back in your wallet.`;
    });
  const claim = (): Promise<void> =>
    act("claim", { "claim shares": "Claim your shares", "claim USDT": "Claim your USDT" }, async (progress) => {
      const r = await claimSettled(client, wallet!, v.batch.batch, address!, progress);
      const parts = [...(r.shares > 0n ? [`${fmtUnits(r.shares, 18, 6)} shares`] : []), ...(r.assets > 0n ? [`${fmtUnits(r.assets, 6, 6)} USDT`] : [])];
      return `Claimed ${parts.join(" and ")}.`;
    });
  const settle = (): Promise<void> =>
    act("settle", { settle: `Settle epoch ${e.epoch}` }, async (progress) => {
      const r = await settleBatch(client, wallet!, v.batch.batch, progress);
      const flow = r.netAssets > 0n ? `${usd(r.netAssets)} deposited in the vault` : r.netShares > 0n ? `${fmtShares(r.netShares)} shares redeemed in the vault` : "nothing sent through the vault (balanced)";
      return `Settled epoch ${r.epoch}: ${flow}; depositors receive ${fmtUnits(r.sharesOut, 18, 6)} shares, redeemers ${fmtUnits(r.assetsOut, 6, 6)} USDT. Claim below.`;
    });

  const p = mine?.position;
  return (
    <section className="card" aria-labelledby={`${ids}-title`} data-testid="batch">
      <h2 id={`${ids}-title`}>Batched requests (ERC-7540)</h2>
      <p className="small" data-testid="batch-pitch">
        {BATCH_PITCH}
      </p>
      <dl className="kv" data-testid="batch-state">
        <dt>Open epoch</dt>
        <dd data-testid="batch-epoch">
          {e.epoch.toString()} ({phase})
        </dd>
        <dt>Queued deposits</dt>
        <dd data-testid="batch-pending-assets">{fmtUnits(e.pendingAssets, 6, 6)} USDT</dd>
        <dt>Queued redemptions</dt>
        <dd data-testid="batch-pending-shares">
          {fmtUnits(e.pendingShares, 18, 6)} shares{e.pendingShares > 0n && v.valueS !== undefined ? ` (${usd(v.valueS)} at NAV)` : ""}
        </dd>
        <dt>When it settles</dt>
        <dd data-testid="batch-timing">{settleTiming(e, policy, v.now)}</dd>
        <dt>The settlement will</dt>
        <dd data-testid="batch-preview">{preview.line}</dd>
      </dl>
      {wait !== undefined && phase !== "empty" ? (
        <p role="status" className="warn" data-testid="batch-wait">
          {wait}
        </p>
      ) : null}

      <h3>My batch requests</h3>
      {address === undefined ? (
        <p className="small muted">Connect a wallet to queue requests and see yours.</p>
      ) : !rows.any || p === undefined ? (
        <p className="small muted" data-testid="batch-mine-none">
          You have no request in this batch.
        </p>
      ) : (
        <ul className="plain" data-testid="batch-mine">
          {rows.pendingDeposit ? (
            <li className="row tight">
              <span data-testid="batch-my-deposit">
                Deposit request: <strong>{fmtUnits(p.pendingAssets, 6, 6)} USDT</strong>, waiting for the settlement of epoch {p.epoch.toString()}
              </span>
              <button type="button" disabled={!canAct} onClick={() => void cancel("deposit")}>
                Cancel deposit request
              </button>
            </li>
          ) : null}
          {rows.pendingRedeem ? (
            <li className="row tight">
              <span data-testid="batch-my-redeem">
                Redeem request: <strong>{fmtUnits(p.pendingShares, 18, 6)} shares</strong>, waiting for the settlement of epoch {p.epoch.toString()}
              </span>
              <button type="button" disabled={!canAct} onClick={() => void cancel("redeem")}>
                Cancel redeem request
              </button>
            </li>
          ) : null}
          {rows.claimShares || rows.claimUsdt ? (
            <li className="row tight">
              <span data-testid="batch-my-claimable">
                Settled, yours to claim:{" "}
                {[
                  ...(rows.claimShares ? [`${fmtUnits(p.claimableShares, 18, 6)} shares (for ${fmtUnits(p.claimableDepositAssets, 6, 6)} USDT)`] : []),
                  ...(rows.claimUsdt ? [`${fmtUnits(p.claimableAssets, 6, 6)} USDT (for ${fmtUnits(p.claimableRedeemShares, 18, 6)} shares)`] : []),
                ].join(" and ")}
              </span>
              <button type="button" className="primary" disabled={!canAct} onClick={() => void claim()}>
                Claim
              </button>
            </li>
          ) : null}
        </ul>
      )}

      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (canAct && depositBlocker === undefined) void requestDepositNow();
        }}
      >
        <label htmlFor={`${ids}-deposit`}>Request deposit (USDT)</label>
        <div className="row tight">
          <input id={`${ids}-deposit`} inputMode="decimal" autoComplete="off" value={depositText} onChange={(ev) => setDepositText(ev.target.value)} aria-invalid={depositText !== "" && depositBlocker !== undefined} />
          <button type="submit" disabled={!canAct || depositBlocker !== undefined}>
            Approve and request deposit
          </button>
        </div>
        {depositText !== "" && depositBlocker !== undefined ? (
          <p className="error small" data-testid="batch-deposit-blocker">
            {depositBlocker}
          </p>
        ) : null}
      </form>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (canAct && redeemBlocker === undefined) void requestRedeemNow();
        }}
      >
        <label htmlFor={`${ids}-redeem`}>Request redeem (shares)</label>
        <div className="row tight">
          <input id={`${ids}-redeem`} inputMode="decimal" autoComplete="off" value={redeemText} onChange={(ev) => setRedeemText(ev.target.value)} aria-invalid={redeemText !== "" && redeemBlocker !== undefined} />
          <button type="button" disabled={mine === undefined || mine.shares === 0n} onClick={() => mine !== undefined && setRedeemText(formatUnits(mine.shares, 18))} aria-label="Request all my shares">
            All
          </button>
          <button type="submit" disabled={!canAct || redeemBlocker !== undefined}>
            Approve and request redeem
          </button>
        </div>
        {redeemText !== "" && redeemBlocker !== undefined ? (
          <p className="error small" data-testid="batch-redeem-blocker">
            {redeemBlocker}
          </p>
        ) : null}
      </form>

      <h3>Settlement</h3>
      <p className="small" data-testid="batch-settle-access">
        {access.why}
      </p>
      <button type="button" disabled={!canAct || !access.allowed || wait !== undefined} onClick={() => void settle()}>
        Settle now
      </button>

      <Steps steps={steps} label="Batch progress" />
      {error !== undefined ? (
        <p role="alert" className="error" data-testid="batch-error">
          {error}
        </p>
      ) : null}
      {result !== undefined ? (
        <p role="status" className="receipt" data-testid="batch-result">
          {result}
        </p>
      ) : null}
    </section>
  );
}
