// The app's pure decisions about a vault's ERC-7540 batch (IndexVaultBatch): the open epoch's phase and timing in
// plain words, who may settle it now, what its settlement will do (the contract's netting rule, mirrored), whether a
// request can be sent, and which of the user's rows to show. No chain access: tested in vitest.
import { BPS, type BatchPolicyValue, type BatchPosition, type VaultStatus } from "./client";
import { fmtUnits, shares as fmtShares, usd } from "./format";

/** The open epoch as epochStatus() returns it (the fields these decisions need). */
export interface EpochView {
  epoch: bigint;
  /** {USDT units} */
  pendingAssets: bigint;
  /** {share} */
  pendingShares: bigint;
  /** {s} 0: no request yet */
  openedAt: bigint;
  /** {USDT units} deposits + redeem shares at NAV */
  grossValue: bigint;
  /** The keeper policy calls for a settlement now (and the vault accepts one). */
  due: boolean;
  /** {s} earliest settlement by anyone (0: nothing pending) */
  permissionlessAt: bigint;
}

/** One plain line on why a batch is cheaper and what it costs in time. */
export const BATCH_PITCH =
  "A batch pools everyone's requests and settles them together: deposits and redemptions are netted and one set of swaps serves every user, so each pays a fraction of the gas. The price is set at the settlement, later, not now.";

export type EpochPhase = "empty" | "collecting" | "due" | "open to anyone";

/** The open epoch's phase: nothing queued, collecting, due for the keeper, or past the keeper's window. */
export function epochPhase(e: EpochView, now: bigint): EpochPhase {
  if (e.pendingAssets === 0n && e.pendingShares === 0n) return "empty";
  if (e.permissionlessAt > 0n && now >= e.permissionlessAt) return "open to anyone";
  return e.due ? "due" : "collecting";
}

/** {s} as its two largest units, rounded down: "45 s", "1 min 30 s", "3 h", "1 d 23 h", "2 d". */
export function duration(seconds: bigint | number): string {
  let s = Math.max(0, Math.floor(Number(seconds)));
  const units: [number, string][] = [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  const parts: string[] = [];
  for (const [size, name] of units) {
    if (parts.length === 2) break;
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0) parts.push(`${n} ${name}`);
    else if (parts.length === 1) break; // "1 d 0 h 5 min" reads as "1 d"
  }
  return parts.length === 0 ? "0 s" : parts.join(" ");
}

/** When the open epoch settles, in plain words (age against the policy's max wait and settle size). */
export function settleTiming(e: EpochView, policy: Pick<BatchPolicyValue, "maxWait" | "gracePeriod" | "minSettleValue">, now: bigint): string {
  const maxWait = BigInt(policy.maxWait);
  const size = `${usd(policy.minSettleValue, 0)} queued`;
  switch (epochPhase(e, now)) {
    case "empty":
      return `Nothing is queued. The first request opens the batch; the keeper settles it once it is ${duration(maxWait)} old or ${size}, whichever comes first.`;
    case "collecting": {
      const oldest = now - e.openedAt;
      const left = maxWait > oldest ? maxWait - oldest : 0n;
      return `Oldest request ${duration(oldest)} old of a ${duration(maxWait)} maximum wait: the keeper settles in about ${duration(left)}, or sooner once ${size} (${usd(e.grossValue, 0)} now). Anyone may settle in ${duration(e.permissionlessAt - now)}.`;
    }
    case "due": {
      const reason = now - e.openedAt >= maxWait ? `its oldest request reached the ${duration(maxWait)} maximum wait` : `${usd(e.grossValue, 0)} is queued (settle size ${usd(policy.minSettleValue, 0)})`;
      return `Due now: ${reason}; the keeper settles next. Anyone may settle in ${duration(e.permissionlessAt - now)}.`;
    }
    case "open to anyone":
      return `The keeper let its window pass (${duration(maxWait)} maximum wait + ${duration(policy.gracePeriod)} grace): anyone may settle now.`;
  }
}

/** Why a settlement would wait now because of the vault (the batch's own checks, mirrored); undefined: it would not. */
export function settlementWait(s: Pick<VaultStatus, "priceError" | "rebalancing" | "paused">, e: Pick<EpochView, "pendingAssets" | "pendingShares">): string | undefined {
  if (e.pendingAssets > 0n && s.paused.deposit) return "The settlement waits: USDT deposits are paused on the vault. Requests stay cancellable.";
  if (e.pendingShares > 0n && s.paused.redeem) return "The settlement waits: USDT redemptions are paused on the vault. Requests stay cancellable.";
  if (s.rebalancing) return "The settlement waits: a multi-step rebalance is in progress. Requests stay cancellable.";
  if (s.priceError !== undefined) return `The settlement waits for a valid price (${s.priceError.replace(/\.$/, "")}). Requests stay cancellable.`;
  return undefined;
}

/**
 * Who may settle now, mirroring `settle()`: a holder of the vault's KEEPER_ROLE whenever something is pending, anyone
 * else from `permissionlessAt` (the policy's max wait plus grace period after the first request).
 */
export function settleAccess(e: EpochView, now: bigint, isKeeper: boolean): { allowed: boolean; why: string } {
  if (e.pendingAssets === 0n && e.pendingShares === 0n) return { allowed: false, why: "Nothing to settle: no request is queued." };
  if (isKeeper) return { allowed: true, why: "Your wallet holds the vault's keeper role: you may settle now." };
  if (now >= e.permissionlessAt) return { allowed: true, why: "The keeper's window is over: anyone may settle now, you included." };
  return { allowed: false, why: `Only the keeper may settle now; anyone may in ${duration(e.permissionlessAt - now)}.` };
}

export interface SettlementPreview {
  kind: "nothing" | "net deposit" | "net redeem" | "balanced";
  /** {USDT units} to go into the vault as one deposit */
  netAssets: bigint;
  /** {share} to be redeemed in the vault at once */
  netShares: bigint;
  /** {USDT units} NAV value crossed between depositors and redeemers without a swap */
  crossValue: bigint;
  line: string;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/**
 * What settling the open epoch now would do: the contract's `_net` (deposits D, redeem shares S worth V at NAV, mint
 * fee fm, burn fee fb, the vault's minimum deposit as the smallest net flow worth a vault call). `valueS` is the
 * batch's `convertToAssets(S)`; undefined when the vault has no price (then only the pure cases are described).
 */
export function settlementPreview(args: { pendingAssets: bigint; pendingShares: bigint; valueS: bigint | undefined; mintBps: bigint | number; minDeposit: bigint }): SettlementPreview {
  const d = args.pendingAssets;
  const s = args.pendingShares;
  const none = { netAssets: 0n, netShares: 0n, crossValue: 0n };
  if (d === 0n && s === 0n) return { kind: "nothing", ...none, line: "Nothing to settle yet." };
  if (s === 0n) {
    return {
      kind: "net deposit",
      ...none,
      netAssets: d,
      line:
        d < args.minDeposit
          ? `${usd(d)} of deposits is below the vault's ${usd(args.minDeposit)} minimum: the settlement waits for more.`
          : `One vault deposit of ${usd(d)} (one set of swaps) mints the shares every depositor shares pro rata.`,
    };
  }
  if (d === 0n) return { kind: "net redeem", ...none, netShares: s, line: `One vault redemption of ${fmtShares(s)} shares (one set of swaps) pays the USDT every redeemer shares pro rata.` };
  const valueS = args.valueS;
  if (valueS === undefined || valueS === 0n) return { kind: "balanced", ...none, line: "Deposits and redemptions are netted at the vault's NAV once a price is valid; only the difference goes through the vault." };
  const fm = BigInt(args.mintBps);
  const threshold = args.minDeposit > 1n ? args.minDeposit : 1n;
  const costS = ceilDiv(valueS * BPS, BPS - fm);
  if (d >= costS && d - costS >= threshold) {
    const netAssets = d - costS;
    return { kind: "net deposit", netAssets, netShares: 0n, crossValue: valueS, line: `${usd(valueS)} of deposits buys the redeemers' shares at NAV with no swap; only the rest, ${usd(netAssets)}, goes into the vault as one deposit.` };
  }
  const crossValue = d - ceilDiv(d * fm, BPS);
  if (d < costS && valueS - crossValue >= threshold) {
    const netShares = s - (s * crossValue) / valueS;
    return { kind: "net redeem", netAssets: 0n, netShares, crossValue, line: `${usd(crossValue)} of redeemed shares go to the depositors at NAV with no swap; only the rest, ${fmtShares(netShares)} shares, is redeemed in the vault at once.` };
  }
  return { kind: "balanced", netAssets: 0n, netShares: 0n, crossValue: crossValue < valueS ? crossValue : valueS, line: "Deposits and redemptions cancel out: depositors take the redeemers' shares at NAV, redeemers their USDT, and nothing is swapped." };
}

/** What the user should see of their own requests: pending ones (cancellable) and what settled ones owe them. */
export function myBatchRows(p: BatchPosition | undefined): { pendingDeposit: boolean; pendingRedeem: boolean; claimShares: boolean; claimUsdt: boolean; any: boolean } {
  const pendingDeposit = (p?.pendingAssets ?? 0n) > 0n;
  const pendingRedeem = (p?.pendingShares ?? 0n) > 0n;
  const claimShares = (p?.claimableDepositAssets ?? 0n) > 0n;
  const claimUsdt = (p?.claimableRedeemShares ?? 0n) > 0n;
  return { pendingDeposit, pendingRedeem, claimShares, claimUsdt, any: pendingDeposit || pendingRedeem || claimShares || claimUsdt };
}

/** Why a request cannot be sent yet (amount, the batch's minimum request, the wallet's balance); undefined: it can. */
export function requestBlocker(args: { side: "deposit" | "redeem"; amount: bigint | undefined; minimum: bigint; balance: bigint | undefined }): string | undefined {
  const unit = (v: bigint): string => (args.side === "deposit" ? `${fmtUnits(v, 6, 2)} USDT` : `${fmtShares(v, 6)} shares`);
  if (args.amount === undefined || args.amount === 0n) return "Enter an amount.";
  if (args.amount < args.minimum) return `The batch's smallest ${args.side} request is ${unit(args.minimum)} (a bound against spam).`;
  if (args.balance !== undefined && args.balance < args.amount) return `You hold only ${unit(args.balance)}.`;
  return undefined;
}

/** The tokens the vault set aside for the user (in-kind transfers that failed), with their amounts, non-zero only. */
export function owedTokens<T extends { amount: bigint }>(rows: readonly T[]): T[] {
  return rows.filter((r) => r.amount > 0n);
}
