import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useApp } from "../context";
import { invalidateVault, useQueryClient, useWallet, useWalletState } from "../hooks";
import { deposit, explain, fmtUnits, vaultAbi, parseAmount, preflightDeposit, quoteDeposit, type DepositResult, type VaultStatus } from "../lib/client";
import { pct, shares as fmtShares, usd } from "../lib/format";
import { approvalNeeded, costBps, deadlineAfter, depositBlocker, parseSlippage, planDeposit, usdtPathClosed } from "../lib/quote";
import { Steps, update, type Step } from "./Steps";

/** The amount after the user stopped typing for a moment. */
export function useDebounced<T>(value: T, ms = 350): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function tryParse<T>(fn: () => T): { value?: T; error?: string } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export function DepositPanel({ status }: { status: VaultStatus }) {
  const { client, config } = useApp();
  const queryClient = useQueryClient();
  const { address, wallet, wrongChain } = useWallet();
  const walletState = useWalletState(status.vault, status.asset, address);
  const ids = useId();
  const [amountText, setAmountText] = useState("1000");
  const [slippageText, setSlippageText] = useState("0.5");
  const [deadlineText, setDeadlineText] = useState("20");
  const [steps, setSteps] = useState<Step[]>([]);
  const [error, setError] = useState<string>();
  const [receipt, setReceipt] = useState<DepositResult>();
  const [busy, setBusy] = useState(false);

  const amount = tryParse(() => parseAmount(amountText.trim() === "" ? "0" : amountText, 6, "Amount"));
  const slippage = tryParse(() => parseSlippage(slippageText));
  const deadlineMinutes = Number(deadlineText);
  const deadlineOk = Number.isFinite(deadlineMinutes) && deadlineMinutes >= 1 && deadlineMinutes <= 24 * 60;
  const assets = useDebounced(amount.value ?? 0n);
  const closed = usdtPathClosed(status, "deposit");

  const quote = useQuery({
    queryKey: ["quote-deposit", status.vault, assets.toString(), status.blockNumber.toString()],
    enabled: assets > 0n && closed === undefined,
    placeholderData: (prev) => prev,
    queryFn: async () => {
      if (config.quoter === undefined) {
        const preview = await client.readContract({ address: status.vault, abi: vaultAbi, functionName: "previewDeposit", args: [assets] });
        return { assets, mintFee: (assets * BigInt(status.fees.mintBps)) / 10_000n, legs: [], expectedShares: preview, previewShares: preview, allocation: "vault floor (no QuoterV2 configured)" };
      }
      return quoteDeposit(client, status, config.quoter, assets);
    },
  });
  const q = quote.data !== undefined && quote.data.assets === assets ? quote.data : undefined;
  const plan = q !== undefined && slippage.value !== undefined ? planDeposit(q, slippage.value) : undefined;
  const ws = walletState.data;
  const blocker = ws === undefined || amount.value === undefined ? undefined : depositBlocker({ assets: amount.value, balance: ws.usdt });
  const approval = ws === undefined || amount.value === undefined ? undefined : approvalNeeded(ws.allowance, amount.value);

  const canSend = wallet !== undefined && address !== undefined && !wrongChain && closed === undefined && blocker === undefined && plan !== undefined && amount.value === assets && deadlineOk && !busy;

  async function run(): Promise<void> {
    if (wallet === undefined || address === undefined || plan === undefined || amount.value === undefined) return;
    const assetsNow = amount.value;
    setBusy(true);
    setError(undefined);
    setReceipt(undefined);
    const needsApproval = approval?.needed ?? true;
    let current: Step[] = [
      { key: "check", label: "Check the deposit with the vault", state: "active" },
      { key: "approve", label: `Approve exactly ${fmtUnits(assetsNow, 6, 6)} USDT`, state: needsApproval ? "todo" : "skipped" },
      { key: "deposit", label: "Deposit", state: "todo" },
    ];
    const set = (key: string, patch: Partial<Step>): void => {
      current = update(current, key, patch);
      setSteps(current);
    };
    setSteps(current);
    try {
      const now = (await client.getBlock()).timestamp;
      const deadline = deadlineAfter(now, deadlineMinutes);
      const problem = await preflightDeposit(client, status.vault, address, { assets: assetsNow, minShares: plan.minShares, deadline });
      if (problem !== undefined) {
        set("check", { state: "failed" });
        setError(problem);
        return;
      }
      set("check", { state: "done" });
      if (needsApproval) set("approve", { state: "active" });
      else set("deposit", { state: "active" });
      const result = await deposit(client, wallet, status, { assets: assetsNow, minShares: plan.minShares, deadline }, {
        sent: (label, hash) => set(label === "deposit" ? "deposit" : "approve", { state: "active", hash }),
        confirmed: (label) => {
          if (label === "approve") {
            set("approve", { state: "done" });
            set("deposit", { state: "active" });
          } else if (label === "deposit") set("deposit", { state: "done" });
        },
      });
      setReceipt(result);
    } catch (e) {
      const active = current.find((s) => s.state === "active");
      if (active !== undefined) set(active.key, { state: "failed" });
      setError(explain(e));
    } finally {
      setBusy(false);
      await invalidateVault(queryClient, status.vault);
    }
  }

  return (
    <section className="card" aria-labelledby={`${ids}-title`} data-testid="deposit">
      <h2 id={`${ids}-title`}>Deposit USDT</h2>
      {closed !== undefined ? (
        <p role="status" className="warn" data-testid="deposit-closed">
          {closed}
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) void run();
        }}
      >
        <label htmlFor={`${ids}-amount`}>Deposit amount (USDT)</label>
        <input id={`${ids}-amount`} inputMode="decimal" autoComplete="off" value={amountText} onChange={(e) => setAmountText(e.target.value)} aria-invalid={amount.error !== undefined} />
        {amount.error !== undefined ? <p className="error small">{amount.error}</p> : null}
        <div className="row">
          <div>
            <label htmlFor={`${ids}-slippage`}>Slippage tolerance (%)</label>
            <input id={`${ids}-slippage`} inputMode="decimal" value={slippageText} onChange={(e) => setSlippageText(e.target.value)} aria-invalid={slippage.error !== undefined} />
          </div>
          <div>
            <label htmlFor={`${ids}-deadline`}>Deadline (minutes)</label>
            <input id={`${ids}-deadline`} inputMode="numeric" value={deadlineText} onChange={(e) => setDeadlineText(e.target.value)} aria-invalid={!deadlineOk} />
          </div>
        </div>
        {slippage.error !== undefined ? <p className="error small">{slippage.error}</p> : null}
        {!deadlineOk ? <p className="error small">The deadline must be between 1 minute and 24 hours.</p> : null}

        {quote.isFetching && q === undefined ? <p role="status">Quoting on Uniswap…</p> : null}
        {quote.error !== null && amount.value === assets ? (
          <p role="alert" className="error" data-testid="quote-error">
            Could not quote: {explain(quote.error)}
          </p>
        ) : null}
        {q !== undefined && plan !== undefined ? (
          <div className="quote" data-testid="deposit-quote">
            <dl className="kv">
              <dt>You receive at least</dt>
              <dd data-testid="min-shares">{fmtShares(plan.minShares)} shares</dd>
              <dt>Expected</dt>
              <dd data-testid="expected-shares">{fmtShares(q.expectedShares)} shares</dd>
              <dt>Mint fee</dt>
              <dd data-testid="mint-fee">{usd(q.mintFee)}</dd>
              <dt>Worst price impact</dt>
              <dd>{pct(plan.worstImpactBps)}</dd>
            </dl>
            {q.legs.length > 0 ? (
              <div className="scroll">
                <table className="legs" aria-label="Price impact of each swap (QuoterV2)">
                  <thead>
                    <tr>
                      <th scope="col">Buys</th>
                      <th scope="col">USDT in</th>
                      <th scope="col">Out</th>
                      <th scope="col">Impact</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.legs.map((l) => (
                      <tr key={l.token}>
                        <th scope="row">{l.symbol}</th>
                        <td>{fmtUnits(l.amountIn, 6, 2)}</td>
                        <td>{fmtUnits(l.amountOut, l.decimals, 6)}</td>
                        <td data-testid={`impact-${l.symbol}`}>{pct(l.impactBps)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="small muted">{q.allocation}</p>
            )}
          </div>
        ) : null}

        {ws !== undefined ? (
          <p className="small" data-testid="deposit-wallet">
            Your USDT: {fmtUnits(ws.usdt, 6, 2)} · allowance to this vault: {fmtUnits(ws.allowance, 6, 2)}
            {approval?.needed === true && amount.value !== undefined ? ` · an approval of exactly ${fmtUnits(amount.value, 6, 2)} USDT comes first${approval.resetFirst ? " (USDT resets the old allowance to 0 first)" : ""}` : ""}
          </p>
        ) : null}
        {blocker !== undefined && amount.value !== undefined && amount.value > 0n ? (
          <p role="alert" className="error" data-testid="deposit-blocker">
            {blocker}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={!canSend}>
          {address === undefined ? "Connect a wallet to deposit" : wrongChain ? "Switch network to deposit" : busy ? "Depositing…" : approval?.needed === false ? "Deposit" : "Approve and deposit"}
        </button>
      </form>
      <Steps steps={steps} label="Deposit progress" />
      {error !== undefined ? (
        <p role="alert" className="error" data-testid="deposit-error">
          {error}
        </p>
      ) : null}
      {receipt !== undefined ? (
        <div className="receipt" data-testid="deposit-receipt" role="status">
          <h3>Deposit receipt</h3>
          <dl className="kv">
            <dt>USDT in</dt>
            <dd data-testid="receipt-assets">{fmtUnits(receipt.assets, 6, 6)} USDT</dd>
            <dt>Shares received</dt>
            <dd data-testid="receipt-shares">{fmtUnits(receipt.shares, 18, 18)}</dd>
            <dt>Value received (Chainlink)</dt>
            <dd data-testid="receipt-value">{fmtUnits(receipt.valueIn, 6, 6)} USDT</dd>
            <dt>Mint fee</dt>
            <dd>{fmtUnits(receipt.mintFee, 6, 6)} USDT</dd>
            <dt>Execution cost</dt>
            <dd data-testid="receipt-cost">{pct(costBps(receipt.assets, receipt.valueIn))} (fee and swaps)</dd>
            <dt>Transaction</dt>
            <dd className="small" data-testid="receipt-hash">
              {receipt.hash} (block {receipt.blockNumber.toString()})
            </dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
