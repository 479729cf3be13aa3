// The app's pure decisions over what the vault client read and quoted: a vault's state, whether the USDT paths are
// open, the bounds a deposit or redemption is sent with, and receipt arithmetic. No chain access: tested in vitest.
import { BPS, withSlippage, type DepositQuote, type RedeemQuote, type VaultStatus } from "./client";

export type VaultState = "open" | "paused" | "rebalancing" | "price invalid";

/** One word for a vault's state: price invalid beats rebalancing beats paused beats open. */
export function vaultState(s: Pick<VaultStatus, "priceError" | "rebalancing" | "paused">): VaultState {
  if (s.priceError !== undefined) return "price invalid";
  if (s.rebalancing) return "rebalancing";
  if (s.paused.deposit || s.paused.redeem) return "paused";
  return "open";
}

/** Why USDT deposits (or redemptions) cannot go through now, in plain words; undefined when they can. */
export function usdtPathClosed(s: Pick<VaultStatus, "priceError" | "rebalancing" | "paused">, path: "deposit" | "redeem"): string | undefined {
  if (s.priceError !== undefined) return `Prices cannot be trusted right now (${s.priceError.replace(/\.$/, "")}), so USDT ${path === "deposit" ? "deposits" : "redemptions"} wait for a fresh price.`;
  if (s.rebalancing) return `A multi-step rebalance is in progress: USDT ${path === "deposit" ? "deposits" : "redemptions"} wait until it completes.`;
  if (path === "deposit" && s.paused.deposit) return "USDT deposits are paused by the vault's guardian.";
  if (path === "redeem" && s.paused.redeem) return "USDT redemptions are paused by the vault's guardian.";
  return undefined;
}

/** {s} deadline `minutes` after `now` {s}. */
export function deadlineAfter(nowSeconds: bigint, minutes: number): bigint {
  return nowSeconds + BigInt(Math.max(0, Math.round(minutes * 60)));
}

/** Slippage tolerance {bps} from a percent text ("0.5"); throws a readable error outside (0, 50] %. */
export function parseSlippage(text: string): number {
  const pct = Number(text);
  if (text.trim() === "" || !Number.isFinite(pct) || pct <= 0 || pct > 50) throw new Error("Slippage tolerance must be a percentage above 0 and at most 50.");
  return Math.round(pct * 100);
}

export interface DepositPlan {
  /** {share} sent as minShares: the quoted shares less the tolerance, never below the vault's own floor. */
  minShares: bigint;
  /** {bps} the worst leg's price impact against Chainlink, pool fee included (fractional: the client's Leg.impactBps). */
  worstImpactBps: number;
  /** {USDT units} Chainlink value the quotes expect to buy. */
  expectedValue: bigint;
}

/** The bounds a deposit is sent with. */
export function planDeposit(quote: Pick<DepositQuote, "expectedShares" | "previewShares" | "legs">, slippageBps: number): DepositPlan {
  const fromQuote = withSlippage(quote.expectedShares, slippageBps);
  // previewDeposit assumes every swap at its worst allowed price: the vault itself never mints fewer.
  const minShares = fromQuote > quote.previewShares ? fromQuote : quote.previewShares;
  const worstImpactBps = quote.legs.reduce((m, l) => Math.max(m, l.impactBps), 0);
  return { minShares, worstImpactBps, expectedValue: quote.legs.reduce((s, l) => s + l.valueOut, 0n) };
}

/** The bound a USDT redemption is sent with: quoted USDT less the tolerance (the vault's floor when no quote). */
export function planRedeem(quote: Pick<RedeemQuote, "expectedAssets" | "previewAssets">, slippageBps: number): bigint {
  const fromQuote = withSlippage(quote.expectedAssets, slippageBps);
  return fromQuote > quote.previewAssets ? fromQuote : quote.previewAssets;
}

/** {bps} what a trade cost: `paid` against the value `got` (negative: got more than paid). Rounded up. */
export function costBps(paid: bigint, got: bigint): number {
  if (paid === 0n) return 0;
  const diff = paid - got;
  const scaled = diff * BPS;
  const bps = diff >= 0n ? (scaled + paid - 1n) / paid : scaled / paid;
  return Number(bps);
}

/** {USDT units} value of `shares` at `navPerShare` {USDT units per 1e18 shares}. */
export function sharesValue(shares: bigint, navPerShare: bigint): bigint {
  return (shares * navPerShare) / 10n ** 18n;
}

/**
 * Why a deposit cannot start yet, from the wallet's balance (allowance is the approve step's job; the vault's own
 * rules, such as its minimum deposit, are checked by the vault in the dry run and explained from its custom error).
 */
export function depositBlocker(args: { assets: bigint; balance: bigint }): string | undefined {
  if (args.assets === 0n) return "Enter an amount.";
  if (args.balance < args.assets) return `Your balance is too low: you hold ${fmt6(args.balance)} USDT and the deposit needs ${fmt6(args.assets)} USDT.`;
  return undefined;
}

/** Whether the approve step is needed, and for what. */
export function approvalNeeded(allowance: bigint, assets: bigint): { needed: boolean; resetFirst: boolean } {
  return { needed: allowance < assets, resetFirst: allowance !== 0n && allowance < assets };
}

/** A rebalance receipt in bps of NAV: turnover (the larger of sold and bought) and the value lost to trading. */
export function rebalanceSummary(r: { navBefore: bigint; sold: bigint; bought: bigint; cost: bigint }): { turnoverBps: number; costBps: number } {
  if (r.navBefore === 0n) return { turnoverBps: 0, costBps: 0 };
  const turnover = r.sold > r.bought ? r.sold : r.bought;
  return { turnoverBps: Number((turnover * BPS) / r.navBefore), costBps: Number((r.cost * BPS + r.navBefore - 1n) / r.navBefore) };
}

function fmt6(v: bigint): string {
  const whole = (v / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = (v % 1_000_000n).toString().padStart(6, "0").slice(0, 2).replace(/0+$/, "");
  return frac === "" ? whole : `${whole}.${frac}`;
}

/**
 * An in-kind receipt split into what reached the wallet and what the vault set aside (a `TransferDeferred` for the
 * token: its transfer to the receiver failed, the amount waits for `claim`). `amounts` is the event's list
 * (constituents, then USDT), `tokens` the same order.
 */
export function splitInKind<T extends { token: string }>(
  tokens: readonly T[],
  amounts: readonly bigint[],
  deferred: readonly { token: string; amount: bigint }[],
): { received: (T & { amount: bigint })[]; setAside: (T & { amount: bigint })[] } {
  const aside = (token: string): bigint => deferred.filter((d) => d.token.toLowerCase() === token.toLowerCase()).reduce((s, d) => s + d.amount, 0n);
  const rows = tokens.map((t, i) => ({ t, total: amounts[i] ?? 0n, aside: aside(t.token) }));
  return {
    received: rows.filter((r) => r.total > r.aside).map((r) => ({ ...r.t, amount: r.total - r.aside })),
    setAside: rows.filter((r) => r.aside > 0n).map((r) => ({ ...r.t, amount: r.aside })),
  };
}
