// The ERC-7540 batch of a vault (IndexVaultBatch): find it through the IndexBatchFactory, read the open epoch and a
// controller's pending/claimable amounts, and send requests, cancellations, claims and settlements through the
// client's transaction path (each call simulated first, so a refusal is decoded before anything is signed; `*Calls`
// builders for a dry run). Browser-safe: viem and the generated ABIs only.
import { encodeFunctionData, erc20Abi, getAddress, parseEventLogs, zeroAddress, type Abi, type Address, type Hex, type Log } from "viem";
import { iIndexBatchFactoryAbi, iIndexVaultBatchAbi } from "../generated/abis";
import { allowanceCalls, sendCalls, silentProgress, usdtPaymentCalls, type ContractCall, type Progress, type TxOutcome } from "./tx";
import type { AnyPublicClient, Wallet } from "./vault";

/** The batch's ABI (the ERC-7540 interface IIndexVaultBatch) and the batch factory's. */
export const batchAbi = iIndexVaultBatchAbi;
export const batchFactoryAbi = iIndexBatchFactoryAbi;

/** The open epoch as `epochStatus()` returns it. */
export interface EpochStatusValue {
  epoch: bigint;
  /** {USDT units} */
  pendingAssets: bigint;
  /** {share} */
  pendingShares: bigint;
  /** {s} 0: no request yet */
  openedAt: bigint;
  /** {s} */
  age: bigint;
  /** {USDT units} */
  grossValue: bigint;
  due: boolean;
  /** {s} 0: nothing pending */
  permissionlessAt: bigint;
}

export interface BatchPolicyValue {
  /** {s} */
  maxWait: number;
  /** {s} */
  gracePeriod: number;
  /** {USDT units} */
  minSettleValue: bigint;
  /** {USDT units} */
  minRequestAssets: bigint;
  /** {share} */
  minRequestShares: bigint;
}

export interface BatchStatus {
  batch: Address;
  vault: Address;
  asset: Address;
  status: EpochStatusValue;
  policy: BatchPolicyValue;
}

/** A controller's position in a batch. */
export interface BatchPosition {
  controller: Address;
  /** The open epoch (the requestId of requests made now). */
  epoch: bigint;
  /** {USDT units} deposit requested in the open epoch (cancellable) */
  pendingAssets: bigint;
  /** {share} redemption requested in the open epoch (cancellable) */
  pendingShares: bigint;
  /** {USDT units} settled deposit requests not yet claimed */
  claimableDepositAssets: bigint;
  /** {share} what those claim */
  claimableShares: bigint;
  /** {share} settled redeem requests not yet claimed */
  claimableRedeemShares: bigint;
  /** {USDT units} what those claim */
  claimableAssets: bigint;
}

/** The batch of `vault` recorded by the batch factory, or undefined when none was created. */
export async function batchOf(client: AnyPublicClient, batchFactory: Address, vault: Address): Promise<Address | undefined> {
  const batch = await client.readContract({ address: batchFactory, abi: batchFactoryAbi, functionName: "batchOf", args: [vault] });
  return batch === zeroAddress ? undefined : getAddress(batch);
}

/** The batch's vault, asset, open epoch and keeper policy (one multicall-free round of reads). */
export async function readBatchStatus(client: AnyPublicClient, batch: Address): Promise<BatchStatus> {
  const [vault, asset, status, policy] = await Promise.all([
    client.readContract({ address: batch, abi: batchAbi, functionName: "vault" }),
    client.readContract({ address: batch, abi: batchAbi, functionName: "asset" }),
    client.readContract({ address: batch, abi: batchAbi, functionName: "epochStatus" }),
    client.readContract({ address: batch, abi: batchAbi, functionName: "policy" }),
  ]);
  return {
    batch: getAddress(batch),
    vault: getAddress(vault),
    asset: getAddress(asset),
    status: { ...status },
    policy: {
      maxWait: Number(policy.maxWait),
      gracePeriod: Number(policy.gracePeriod),
      minSettleValue: BigInt(policy.minSettleValue),
      minRequestAssets: BigInt(policy.minRequestAssets),
      minRequestShares: BigInt(policy.minRequestShares),
    },
  };
}

/** `controller`'s pending (open epoch) and claimable (settled epochs) amounts. */
export async function readBatchPosition(client: AnyPublicClient, batch: Address, controller: Address): Promise<BatchPosition> {
  const { epoch } = await client.readContract({ address: batch, abi: batchAbi, functionName: "epochStatus" });
  const read = (functionName: "maxDeposit" | "maxMint" | "maxRedeem" | "maxWithdraw") =>
    client.readContract({ address: batch, abi: batchAbi, functionName, args: [controller] });
  const [pendingAssets, pendingShares, claimableDepositAssets, claimableShares, claimableRedeemShares, claimableAssets] = await Promise.all([
    client.readContract({ address: batch, abi: batchAbi, functionName: "pendingDepositRequest", args: [epoch, controller] }),
    client.readContract({ address: batch, abi: batchAbi, functionName: "pendingRedeemRequest", args: [epoch, controller] }),
    read("maxDeposit"),
    read("maxMint"),
    read("maxRedeem"),
    read("maxWithdraw"),
  ]);
  return { controller: getAddress(controller), epoch, pendingAssets, pendingShares, claimableDepositAssets, claimableShares, claimableRedeemShares, claimableAssets };
}

const call = (label: string, batch: Address, functionName: string, args: readonly unknown[]): ContractCall => ({
  label,
  address: batch,
  abi: batchAbi as Abi,
  functionName,
  args,
});

export interface RequestArgs {
  /** {USDT units} for a deposit request, {share} for a redeem request */
  amount: bigint;
  /** Who may claim (default: the owner). */
  controller?: Address;
}

/** Approval of exactly `amount` USDT to the batch (through zero first, as USDT requires), then `requestDeposit`. */
export async function requestDepositCalls(client: AnyPublicClient, owner: Address, batch: Address, asset: Address, args: RequestArgs): Promise<ContractCall[]> {
  return [
    ...(await usdtPaymentCalls(client, owner, asset, batch, args.amount)),
    call("request deposit", batch, "requestDeposit", [args.amount, args.controller ?? owner, owner]),
  ];
}

/** Approval of `amount` shares to the batch (it pulls them), then `requestRedeem`. */
export async function requestRedeemCalls(client: AnyPublicClient, owner: Address, batch: Address, vault: Address, args: RequestArgs): Promise<ContractCall[]> {
  const balance = await client.readContract({ address: vault, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  if (balance < args.amount) throw new Error(`${owner} holds ${balance} share units, ${args.amount} needed`);
  return [
    ...(await allowanceCalls(client, owner, vault, batch, args.amount)),
    call("request redeem", batch, "requestRedeem", [args.amount, args.controller ?? owner, owner]),
  ];
}

export type BatchSide = "deposit" | "redeem";

export function cancelRequestCalls(batch: Address, side: BatchSide, controller: Address, receiver: Address = controller): ContractCall[] {
  return [call(`cancel ${side} request`, batch, side === "deposit" ? "cancelDepositRequest" : "cancelRedeemRequest", [controller, receiver])];
}

/**
 * The ERC-7540 claims of `controller`'s settled requests: `deposit(assets, receiver, controller)` for every claimable
 * deposit (shares out) and `redeem(shares, receiver, controller)` for every claimable redemption (USDT out). Empty
 * when nothing is claimable.
 */
export function claimSettledCalls(batch: Address, position: BatchPosition, receiver: Address = position.controller): ContractCall[] {
  const calls: ContractCall[] = [];
  if (position.claimableDepositAssets > 0n) calls.push(call("claim shares", batch, "deposit", [position.claimableDepositAssets, receiver, position.controller]));
  if (position.claimableRedeemShares > 0n) calls.push(call("claim USDT", batch, "redeem", [position.claimableRedeemShares, receiver, position.controller]));
  return calls;
}

/** The keeper's (or an operator's) batched claims: `claimDeposits` / `claimRedeems` for many controllers at once. */
export function keeperClaimCalls(batch: Address, depositors: readonly Address[], redeemers: readonly Address[]): ContractCall[] {
  const calls: ContractCall[] = [];
  if (depositors.length > 0) calls.push(call("claim deposits", batch, "claimDeposits", [depositors]));
  if (redeemers.length > 0) calls.push(call("claim redeems", batch, "claimRedeems", [redeemers]));
  return calls;
}

export function settleBatchCalls(batch: Address): ContractCall[] {
  return [call("settle", batch, "settle", [])];
}

/**
 * The keeper's one transaction: settle the open epoch, then push the listed controllers' claims (`multicall` of
 * `settle`, `claimDeposits`, `claimRedeems`). Each request still passes through the claimable state: the claims are
 * separate calls after the settlement. Cheaper than three transactions by two transaction bases and every slot the
 * settlement already warmed (`npm run bench`, the batch rows). A listed controller with nothing claimable is skipped.
 */
export function settleAndClaimCalls(batch: Address, depositors: readonly Address[], redeemers: readonly Address[]): ContractCall[] {
  const data = settleAndClaimData(depositors, redeemers);
  if (data.length === 1) return settleBatchCalls(batch);
  return [call("settle and push claims", batch, "multicall", [data])];
}

/** The keeper's `multicall` payload: `settle`, then `claimDeposits` / `claimRedeems` for non-empty lists. */
export function settleAndClaimData(depositors: readonly Address[], redeemers: readonly Address[]): Hex[] {
  const data: Hex[] = [encodeFunctionData({ abi: batchAbi, functionName: "settle", args: [] })];
  if (depositors.length > 0) data.push(encodeFunctionData({ abi: batchAbi, functionName: "claimDeposits", args: [depositors] }));
  if (redeemers.length > 0) data.push(encodeFunctionData({ abi: batchAbi, functionName: "claimRedeems", args: [redeemers] }));
  return data;
}

/** The claims a transaction paid out of `batch`: its own Deposit / Withdraw events (the vault's ERC-4626 events of a
 *  net flow have the same signatures, so they are told apart by address). */
export function claimsPaidBy(batch: Address, logs: readonly Log[]): { shares: bigint; assets: bigint; deposits: number; redeems: number; controllers: number } {
  const own = logs.filter((l) => l.address.toLowerCase() === batch.toLowerCase());
  const deposits = parseEventLogs({ abi: batchAbi, eventName: "Deposit", logs: own });
  const redeems = parseEventLogs({ abi: batchAbi, eventName: "Withdraw", logs: own });
  const paid = new Set([...deposits.map((e) => `d:${e.args.owner}`), ...redeems.map((e) => `r:${e.args.owner}`)]);
  return {
    shares: deposits.reduce((t, e) => t + e.args.shares, 0n),
    assets: redeems.reduce((t, e) => t + e.args.assets, 0n),
    deposits: deposits.length,
    redeems: redeems.length,
    controllers: paid.size,
  };
}

/** What a settlement did (the `EpochSettled` event). */
export interface SettlementResult extends TxOutcome {
  epoch: bigint;
  depositAssets: bigint;
  redeemShares: bigint;
  sharesOut: bigint;
  assetsOut: bigint;
  netAssets: bigint;
  netShares: bigint;
  crossValue: bigint;
  fees: bigint;
  /** Gas the settlement used inside the batch (the event's metric). */
  settlementGas: bigint;
}

export function settlementOf(out: TxOutcome): SettlementResult {
  const [event] = parseEventLogs({ abi: batchAbi, eventName: "EpochSettled", logs: out.receipt.logs });
  if (event === undefined) throw new Error(`settle ${out.hash}: no EpochSettled event`);
  const e = event.args;
  return {
    ...out,
    epoch: e.epoch,
    depositAssets: e.depositAssets,
    redeemShares: e.redeemShares,
    sharesOut: e.sharesOut,
    assetsOut: e.assetsOut,
    netAssets: e.netAssets,
    netShares: e.netShares,
    crossValue: e.crossValue,
    fees: e.fees,
    settlementGas: e.gasUsed,
  };
}

export interface RequestResult {
  /** The approvals' and the request's transactions, in order. */
  outcomes: TxOutcome[];
  /** The epoch the request joined. */
  requestId: bigint;
  /** {gas} all of them */
  gasUsed: bigint;
}

/** Sends a request's calls (approvals first) and reads its requestId from the request's event. */
async function sendRequest(client: AnyPublicClient, wallet: Wallet, calls: readonly ContractCall[], side: BatchSide, progress: Progress): Promise<RequestResult> {
  const outcomes = await sendCalls(client, wallet, calls, progress);
  const last = outcomes[outcomes.length - 1]!;
  const eventName = side === "deposit" ? "DepositRequest" : "RedeemRequest";
  const [event] = parseEventLogs({ abi: batchAbi, eventName, logs: last.receipt.logs });
  if (event === undefined) throw new Error(`${side === "deposit" ? "requestDeposit" : "requestRedeem"} ${last.hash}: no ${eventName} event`);
  return { outcomes, requestId: event.args.requestId, gasUsed: outcomes.reduce((g, o) => g + o.gasUsed, 0n) };
}

/** Approve exactly `amount` USDT, then `requestDeposit`. Returns the outcomes (approvals first) and the requestId (epoch). */
export async function requestDeposit(
  client: AnyPublicClient,
  wallet: Wallet,
  status: { readonly batch: Address; readonly asset: Address },
  args: RequestArgs,
  progress: Progress = silentProgress,
): Promise<RequestResult> {
  return sendRequest(client, wallet, await requestDepositCalls(client, wallet.account.address, status.batch, status.asset, args), "deposit", progress);
}

/** Approve the shares, then `requestRedeem`. */
export async function requestRedeem(
  client: AnyPublicClient,
  wallet: Wallet,
  status: { readonly batch: Address; readonly vault: Address },
  args: RequestArgs,
  progress: Progress = silentProgress,
): Promise<RequestResult> {
  return sendRequest(client, wallet, await requestRedeemCalls(client, wallet.account.address, status.batch, status.vault, args), "redeem", progress);
}

/** Cancels the pending `side` request of the wallet (or of `controller`, as its operator): exactly what was put in comes back. */
export async function cancelRequest(
  client: AnyPublicClient,
  wallet: Wallet,
  batch: Address,
  side: BatchSide,
  controller: Address = wallet.account.address,
  progress: Progress = silentProgress,
): Promise<TxOutcome & { amount: bigint }> {
  const [out] = await sendCalls(client, wallet, cancelRequestCalls(batch, side, controller, wallet.account.address), progress);
  const eventName = side === "deposit" ? "DepositRequestCancelled" : "RedeemRequestCancelled";
  const [event] = parseEventLogs({ abi: batchAbi, eventName, logs: out!.receipt.logs });
  if (event === undefined) throw new Error(`cancel ${out!.hash}: no ${eventName} event`);
  const args = event.args as { assets?: bigint; shares?: bigint };
  return { ...out!, amount: args.assets ?? args.shares ?? 0n };
}

/** Claims everything settled for the wallet (or for `controller`, as its operator). */
export async function claimSettled(
  client: AnyPublicClient,
  wallet: Wallet,
  batch: Address,
  controller: Address = wallet.account.address,
  progress: Progress = silentProgress,
): Promise<{ outcomes: TxOutcome[]; shares: bigint; assets: bigint }> {
  const position = await readBatchPosition(client, batch, controller);
  const calls = claimSettledCalls(batch, position, wallet.account.address === controller ? controller : wallet.account.address);
  if (calls.length === 0) throw new Error(`nothing to claim for ${controller}: no settled request (pending ones wait for the next settlement)`);
  const outcomes = await sendCalls(client, wallet, calls, progress);
  let shares = 0n;
  let assets = 0n;
  for (const o of outcomes) {
    for (const e of parseEventLogs({ abi: batchAbi, eventName: "Deposit", logs: o.receipt.logs })) shares += e.args.shares;
    for (const e of parseEventLogs({ abi: batchAbi, eventName: "Withdraw", logs: o.receipt.logs })) assets += e.args.assets;
  }
  return { outcomes, shares, assets };
}

/** Settles the open epoch (keeper role; anyone after the grace period). */
export async function settleBatch(client: AnyPublicClient, wallet: Wallet, batch: Address, progress: Progress = silentProgress): Promise<SettlementResult> {
  const [out] = await sendCalls(client, wallet, settleBatchCalls(batch), progress);
  return settlementOf(out!);
}

/** What the keeper's settle-and-claim transaction did: the settlement and the claims it pushed. */
export interface SettleAndClaimResult extends SettlementResult {
  /** {share} pushed to depositors ({USDT units} to redeemers), from the claims' Deposit / Withdraw events */
  claimedShares: bigint;
  claimedAssets: bigint;
  /** controllers paid */
  claimed: number;
}

/**
 * Settles the open epoch and pushes the claims of the listed controllers in one transaction (`settleAndClaimCalls`).
 * The lists come from the open epoch's request logs (`epochControllers(…, status.epoch)`); a controller whose request
 * was mined after they were read is not in them and is left to claim itself (or to the next `claimDeposits`).
 */
export async function settleAndClaim(
  client: AnyPublicClient,
  wallet: Wallet,
  batch: Address,
  depositors: readonly Address[],
  redeemers: readonly Address[],
  progress: Progress = silentProgress,
): Promise<SettleAndClaimResult> {
  const [out] = await sendCalls(client, wallet, settleAndClaimCalls(batch, depositors, redeemers), progress);
  const settled = settlementOf(out!);
  const paid = claimsPaidBy(batch, out!.receipt.logs);
  return { ...settled, claimedShares: paid.shares, claimedAssets: paid.assets, claimed: paid.controllers };
}

/** The controllers that requested in `epoch` (from DepositRequest / RedeemRequest logs, indexed by requestId). */
export async function epochControllers(
  client: AnyPublicClient,
  batch: Address,
  epoch: bigint,
  fromBlock: bigint = 0n,
): Promise<{ depositors: Address[]; redeemers: Address[] }> {
  const [deposits, redeems] = await Promise.all([
    client.getContractEvents({ address: batch, abi: batchAbi, eventName: "DepositRequest", args: { requestId: epoch }, fromBlock }),
    client.getContractEvents({ address: batch, abi: batchAbi, eventName: "RedeemRequest", args: { requestId: epoch }, fromBlock }),
  ]);
  const unique = (xs: readonly (Address | undefined)[]): Address[] => [...new Set(xs.filter((x): x is Address => x !== undefined).map((x) => getAddress(x)))];
  return { depositors: unique(deposits.map((l) => l.args.controller)), redeemers: unique(redeems.map((l) => l.args.controller)) };
}
