import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formatUnits, parseEventLogs, type Hash } from "viem";
import { useApp } from "../context";
import { invalidateVault, useQueryClient, useWallet, useWalletState } from "../hooks";
import {
  explain,
  fmtUnits,
  vaultAbi,
  parseAmount,
  quoteRedeem,
  redeem,
  redeemInKind,
  type Progress,
  type RedeemInKindResult,
  type RedeemResult,
  type VaultStatus,
} from "../lib/client";
import { pct, usd } from "../lib/format";
import { costBps, deadlineAfter, parseSlippage, planRedeem, sharesValue, splitInKind, usdtPathClosed } from "../lib/quote";
import { useDebounced } from "./DepositPanel";
import { Steps, type Step } from "./Steps";

export function RedeemPanel({ status }: { status: VaultStatus }) {
  const { client, config } = useApp();
  const queryClient = useQueryClient();
  const { address, wallet, wrongChain } = useWallet();
  const walletState = useWalletState(status.vault, status.asset, address);
  const ids = useId();
  const [sharesText, setSharesText] = useState("");
  const [slippageText, setSlippageText] = useState("0.5");
  const [deadlineText, setDeadlineText] = useState("20");
  const [steps, setSteps] = useState<Step[]>([]);
  const [error, setError] = useState<string>();
  const [receipt, setReceipt] = useState<{ usdt?: RedeemResult & { valueBefore: bigint }; inKind?: RedeemInKindResult }>();
  const [busy, setBusy] = useState(false);

  let shares: bigint | undefined;
  let sharesError: string | undefined;
  try {
    shares = sharesText.trim() === "" ? 0n : parseAmount(sharesText, 18, "Shares");
  } catch (e) {
    sharesError = (e as Error).message;
  }
  let slippageBps: number | undefined;
  let slippageError: string | undefined;
  try {
    slippageBps = parseSlippage(slippageText);
  } catch (e) {
    slippageError = (e as Error).message;
  }
  const deadlineMinutes = Number(deadlineText);
  const deadlineOk = Number.isFinite(deadlineMinutes) && deadlineMinutes >= 1 && deadlineMinutes <= 24 * 60;
  const debounced = useDebounced(shares ?? 0n);
  const closed = usdtPathClosed(status, "redeem");
  const ws = walletState.data;
  const tooMany = ws !== undefined && shares !== undefined && shares > ws.shares;

  const quote = useQuery({
    queryKey: ["quote-redeem", status.vault, debounced.toString(), status.blockNumber.toString(), closed ?? "open"],
    enabled: debounced > 0n && !tooMany,
    placeholderData: (prev) => prev,
    queryFn: async () => {
      const inKind = await client.readContract({ address: status.vault, abi: vaultAbi, functionName: "previewRedeemInKind", args: [debounced] });
      if (closed !== undefined) return { shares: debounced, inKind, usdt: undefined };
      if (config.quoter === undefined) {
        const preview = await client.readContract({ address: status.vault, abi: vaultAbi, functionName: "previewRedeem", args: [debounced] });
        return { shares: debounced, inKind, usdt: { shares: debounced, legs: [], idle: 0n, burnFee: 0n, expectedAssets: preview, previewAssets: preview } };
      }
      return { shares: debounced, inKind, usdt: await quoteRedeem(client, status, config.quoter, debounced) };
    },
  });
  const q = quote.data !== undefined && quote.data.shares === shares ? quote.data : undefined;
  const minAssets = q?.usdt !== undefined && closed === undefined && slippageBps !== undefined ? planRedeem(q.usdt, slippageBps) : undefined;
  const ready = wallet !== undefined && address !== undefined && !wrongChain && shares !== undefined && shares > 0n && !tooMany && !busy;

  /** One redemption transaction as one step: progress, receipt, the decoded error, a refresh of the vault's reads. */
  async function runStep<T extends { hash: Hash }>(key: string, label: string, send: (progress: Progress) => Promise<T>, done: (r: T) => void): Promise<void> {
    setBusy(true);
    setError(undefined);
    setReceipt(undefined);
    setSteps([{ key, label, state: "active" }]);
    try {
      const r = await send({ sent: (_l, hash) => setSteps([{ key, label, state: "active", hash }]), confirmed: () => {} });
      setSteps([{ key, label, state: "done", hash: r.hash }]);
      done(r);
      setSharesText("");
    } catch (e) {
      setSteps((s) => s.map((x) => ({ ...x, state: "failed" })));
      setError(explain(e));
    } finally {
      setBusy(false);
      await invalidateVault(queryClient, status.vault);
    }
  }

  async function runUsdt(): Promise<void> {
    if (!ready || shares === undefined || minAssets === undefined || wallet === undefined) return;
    let valueBefore = 0n;
    await runStep(
      "redeem",
      "Redeem to USDT",
      async (progress) => {
        const block = await client.getBlock();
        valueBefore = sharesValue(shares, status.navPerShare);
        return redeem(client, wallet, status.vault, { shares, minAssets, deadline: deadlineAfter(block.timestamp, deadlineMinutes) }, progress);
      },
      (r) => setReceipt({ usdt: { ...r, valueBefore } }),
    );
  }

  async function runInKind(): Promise<void> {
    if (!ready || shares === undefined || wallet === undefined) return;
    await runStep("inkind", "Redeem in kind", (progress) => redeemInKind(client, wallet, status.vault, { shares }, progress), (r) => setReceipt({ inKind: r }));
  }

  const tokens = [...status.constituents.map((c) => ({ token: c.token, symbol: c.symbol, decimals: c.decimals })), { token: status.asset, symbol: "USDT", decimals: 6 }];
  const inKindSplit =
    receipt?.inKind === undefined
      ? undefined
      : splitInKind(
          tokens,
          receipt.inKind.amounts,
          parseEventLogs({ abi: vaultAbi, eventName: "TransferDeferred", logs: receipt.inKind.receipt.logs }).map((e) => ({ token: e.args.token, amount: e.args.amount })),
        );
  return (
    <section className="card" aria-labelledby={`${ids}-title`} data-testid="redeem">
      <h2 id={`${ids}-title`}>Redeem</h2>
      {closed !== undefined ? (
        <p role="status" className="warn" data-testid="redeem-closed">
          {closed} Redeeming in kind works now: you receive your share of each token in the basket, with no swap and no
          oracle.
        </p>
      ) : null}
      <label htmlFor={`${ids}-shares`}>Shares to redeem</label>
      <div className="row tight">
        <input id={`${ids}-shares`} inputMode="decimal" autoComplete="off" value={sharesText} onChange={(e) => setSharesText(e.target.value)} aria-invalid={sharesError !== undefined || tooMany} />
        <button type="button" disabled={ws === undefined || ws.shares === 0n} onClick={() => ws !== undefined && setSharesText(formatUnits(ws.shares, 18))}>
          Max
        </button>
      </div>
      {sharesError !== undefined ? <p className="error small">{sharesError}</p> : null}
      {tooMany && ws !== undefined ? (
        <p role="alert" className="error" data-testid="redeem-blocker">
          You hold only {fmtUnits(ws.shares, 18, 6)} shares.
        </p>
      ) : null}
      <div className="row">
        <div>
          <label htmlFor={`${ids}-slippage`}>Redeem slippage tolerance (%)</label>
          <input id={`${ids}-slippage`} inputMode="decimal" value={slippageText} onChange={(e) => setSlippageText(e.target.value)} aria-invalid={slippageError !== undefined} />
        </div>
        <div>
          <label htmlFor={`${ids}-deadline`}>Redeem deadline (minutes)</label>
          <input id={`${ids}-deadline`} inputMode="numeric" value={deadlineText} onChange={(e) => setDeadlineText(e.target.value)} aria-invalid={!deadlineOk} />
        </div>
      </div>
      {slippageError !== undefined ? <p className="error small">{slippageError}</p> : null}
      {q !== undefined ? (
        <div className="quote" data-testid="redeem-quote">
          <dl className="kv">
            {q.usdt !== undefined && minAssets !== undefined && closed === undefined ? (
              <>
                <dt>You receive at least</dt>
                <dd data-testid="min-assets">{usd(minAssets)}</dd>
                <dt>Expected</dt>
                <dd>{usd(q.usdt.expectedAssets)}</dd>
                <dt>Burn fee</dt>
                <dd>{usd(q.usdt.burnFee)}</dd>
              </>
            ) : null}
            <dt>In kind you receive</dt>
            <dd data-testid="in-kind-preview">
              {tokens
                .map((t, i) => ({ t, a: q.inKind[i] ?? 0n }))
                .filter((x) => x.a > 0n)
                .map((x) => `${fmtUnits(x.a, x.t.decimals, 6)} ${x.t.symbol}`)
                .join(" + ") || "nothing"}
            </dd>
          </dl>
        </div>
      ) : null}
      <div className="row tight">
        <button type="button" className="primary" disabled={!ready || closed !== undefined || minAssets === undefined || !deadlineOk} onClick={() => void runUsdt()}>
          Redeem to USDT
        </button>
        <button type="button" disabled={!ready} onClick={() => void runInKind()}>
          Redeem in kind
        </button>
      </div>
      {address === undefined ? <p className="small muted">Connect a wallet to redeem.</p> : null}
      <Steps steps={steps} label="Redemption progress" />
      {error !== undefined ? (
        <p role="alert" className="error" data-testid="redeem-error">
          {error}
        </p>
      ) : null}
      {receipt?.usdt !== undefined ? (
        <div className="receipt" role="status" data-testid="redeem-receipt">
          <h3>Redemption receipt</h3>
          <dl className="kv">
            <dt>Shares redeemed</dt>
            <dd>{fmtUnits(receipt.usdt.shares, 18, 18)}</dd>
            <dt>USDT received</dt>
            <dd data-testid="redeem-receipt-assets">{fmtUnits(receipt.usdt.assets, 6, 6)} USDT</dd>
            <dt>Burn fee</dt>
            <dd>{fmtUnits(receipt.usdt.burnFee, 6, 6)} USDT</dd>
            <dt>Execution cost</dt>
            <dd>{pct(costBps(receipt.usdt.valueBefore, receipt.usdt.assets))} against NAV (fee and swaps)</dd>
            <dt>Transaction</dt>
            <dd className="small">{receipt.usdt.hash}</dd>
          </dl>
        </div>
      ) : null}
      {receipt?.inKind !== undefined ? (
        <div className="receipt" role="status" data-testid="inkind-receipt">
          <h3>In-kind receipt</h3>
          <dl className="kv">
            <dt>Shares redeemed</dt>
            <dd>{fmtUnits(receipt.inKind.shares, 18, 18)}</dd>
            <dt>Received</dt>
            <dd data-testid="inkind-receipt-amounts">{(inKindSplit?.received ?? []).map((x) => `${fmtUnits(x.amount, x.decimals, x.decimals)} ${x.symbol}`).join(" + ") || "nothing"}</dd>
            {inKindSplit !== undefined && inKindSplit.setAside.length > 0 ? (
              <>
                <dt>Set aside for you</dt>
                <dd data-testid="inkind-receipt-set-aside">
                  {inKindSplit.setAside.map((x) => `${fmtUnits(x.amount, x.decimals, x.decimals)} ${x.symbol}`).join(" + ")}: the token refused the transfer to you, so the vault keeps it for you to claim in My position.
                </dd>
              </>
            ) : null}
            <dt>Transaction</dt>
            <dd className="small">{receipt.inKind.hash}</dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
