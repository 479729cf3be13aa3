// The wallet transactions of a vault: every send is simulated first (a refusal is decoded before anything is
// signed), a `dryRun` simulates the whole sequence (approvals included) and reports gas and cost without signing, and
// a transaction mined reverted is explained from its own execution (debug_traceTransaction, else a replay of its
// block up to it), or honestly "reason not available from this node".
import {
  encodeFunctionData,
  erc20Abi,
  parseEventLogs,
  type Abi,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { approveNoReturnAbi, vaultAbi } from "./abis";
import { decodeRevertData, explainError, type RevertInfo } from "./errors";
import type { AnyPublicClient, Wallet } from "./vault";

export interface Progress {
  sent(label: string, hash: Hash): void;
  confirmed(label: string, receipt: TransactionReceipt): void;
}

export const silentProgress: Progress = { sent: () => {}, confirmed: () => {} };

/** One contract call of a sequence. */
export interface ContractCall {
  readonly label: string;
  readonly address: Address;
  readonly abi: Abi;
  readonly functionName: string;
  readonly args?: readonly unknown[];
}

export interface TxOutcome {
  hash: Hash;
  blockNumber: bigint;
  /** {gas} */
  gasUsed: bigint;
  receipt: TransactionReceipt;
}

/** A transaction mined reverted, with the reason decoded from its own execution when the node allows it. */
export class TransactionRevertedError extends Error {
  override readonly name = "TransactionRevertedError";
  constructor(
    readonly label: string,
    readonly hash: Hash,
    readonly revert: RevertInfo,
    readonly gasUsed: bigint,
  ) {
    super(`${label}: transaction ${hash} reverted (gas used ${gasUsed}): ${revert.message}`);
  }
}

/** The honest answer when no node method recovers a mined transaction's revert reason. */
export const REASON_UNAVAILABLE = "reverted; reason not available from this node";

interface TraceFrame {
  to?: Address;
  gas?: Hex;
  output?: Hex;
  error?: string;
  revertReason?: string;
  calls?: TraceFrame[];
}

/** The first frame of a callTracer tree (depth first, `frame` itself first) that satisfies `match`, if any. */
export function findFrame<F extends { calls?: F[] }>(frame: F, match: (f: F) => boolean): F | undefined {
  if (match(frame)) return frame;
  for (const call of frame.calls ?? []) {
    const found = findFrame(call, match);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A mined revert caused by running out of gas, in plain words: the transaction itself, or a call inside it (which
 * gets only 63/64 of what is left; its caller then reverts with nothing of its own or with whatever it makes of the
 * failure). Either way the limit the transaction was sent with was too low for the path it took.
 */
export function outOfGasReason(frame: TraceFrame): RevertInfo | undefined {
  // The outermost frame that ran out of gas (the transaction itself first).
  const oog = findFrame(frame, (f) => f.error !== undefined && /out ?of ?gas/i.test(f.error));
  if (oog === undefined) return undefined;
  const where = oog === frame ? "the transaction ran out of gas" : `a call inside it (to ${oog.to ?? "a contract"}) ran out of gas and the transaction reverted with it`;
  return { message: `${where}: its gas limit was too low for this path; send it again with a higher gas limit` };
}

/**
 * Why the mined transaction `hash` reverted, from its OWN execution (so a front-run earlier in the same block is
 * seen): `debug_traceTransaction` (anvil, geth, erigon, reth with debug enabled); else `eth_simulateV1` replaying the
 * block's preceding transactions and then this one on the parent block; else REASON_UNAVAILABLE.
 */
export async function minedRevertReason(client: PublicClient, hash: Hash): Promise<RevertInfo> {
  try {
    const frame = (await client.request({ method: "debug_traceTransaction", params: [hash, { tracer: "callTracer" }] } as never)) as TraceFrame;
    const decoded = frame.output !== undefined && frame.output !== "0x" ? decodeRevertData(frame.output) : undefined;
    // Out of gas anywhere in the tree is the cause, whatever a caller turned it into (an empty revert, a "TF", a
    // SafeERC20 failure, a try/catch fallback that reverts later).
    const oog = outOfGasReason(frame);
    if (oog !== undefined) return decoded === undefined ? oog : { message: `${oog.message} (it then reverted with: ${decoded.message})` };
    if (decoded !== undefined) return decoded;
    if (frame.error !== undefined) return { message: frame.revertReason ?? `reverted: ${frame.error}` };
  } catch {
    // no debug namespace on this node: replay instead
  }
  try {
    const tx = await client.getTransaction({ hash });
    const block = await client.getBlock({ blockNumber: tx.blockNumber, includeTransactions: true });
    const before = block.transactions.filter((t) => t.transactionIndex < tx.transactionIndex);
    const { results } = await (client as unknown as {
      simulateBlocks: (a: unknown) => Promise<{ calls: { status: string; data: Hex; error?: unknown }[] }[]>;
    }).simulateBlocks({
      blockNumber: tx.blockNumber - 1n,
      validation: false,
      blocks: [
        {
          blockOverrides: { time: block.timestamp, number: block.number },
          calls: [...before, tx].map((t) => ({ account: t.from, to: t.to ?? undefined, data: t.input, value: t.value, gas: t.gas })),
        },
      ],
    }).then((blocks) => ({ results: blocks[0]?.calls ?? [] }));
    const mine = results[results.length - 1];
    if (mine !== undefined && mine.status === "failure") {
      const decoded = mine.data !== undefined && mine.data !== "0x" ? decodeRevertData(mine.data) : explainError(mine.error);
      return decoded;
    }
  } catch {
    // eth_simulateV1 unsupported
  }
  return { message: REASON_UNAVAILABLE };
}

/** Simulates (so a revert is decoded before anything is signed), sends and waits for the receipt. */
export async function send(
  client: AnyPublicClient,
  wallet: Wallet,
  label: string,
  call: Omit<ContractCall, "label">,
  progress: Progress,
): Promise<TxOutcome> {
  const { request } = await client.simulateContract({ ...call, account: wallet.account } as Parameters<AnyPublicClient["simulateContract"]>[0]);
  // Gas: the estimate plus a margin (try/catch paths such as oracle reads and deferred transfers make the bare
  // estimate fragile).
  const estimate = await client.estimateContractGas({ ...call, account: wallet.account } as Parameters<AnyPublicClient["estimateContractGas"]>[0]);
  const gas = (estimate * 13n) / 10n;
  const hash = await wallet.writeContract({ ...(request as object), gas } as Parameters<Wallet["writeContract"]>[0]);
  progress.sent(label, hash);
  return confirmSent(client, label, hash, progress);
}

/** Waits for `hash`; a revert is thrown as TransactionRevertedError with the reason from the transaction's own execution. */
export async function confirmSent(client: AnyPublicClient, label: string, hash: Hash, progress: Progress = silentProgress): Promise<TxOutcome> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new TransactionRevertedError(label, hash, await minedRevertReason(client, hash), receipt.gasUsed);
  progress.confirmed(label, receipt);
  return { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, receipt };
}

/** What a sequence of calls would do, simulated in order as one account on the latest block; nothing is signed. */
export interface DryRunResult {
  readonly dryRun: true;
  readonly calls: readonly { readonly label: string; readonly gas: bigint }[];
  /** {gas} sum over the calls. */
  readonly gas: bigint;
  /** {wei} per gas, the node's current estimate (maxFeePerGas, or the legacy gas price). */
  readonly gasPriceWei: bigint;
  /** {wei} gas × gasPriceWei: the most the sequence would cost at the current fee estimate. */
  readonly costWei: bigint;
}

/**
 * Simulates `calls` in order as `account` (eth_simulateV1, so a deposit is simulated after its approval); a call
 * that would revert throws its decoded reason. On a node without eth_simulateV1 each call is simulated alone.
 */
export async function dryRunCalls(client: AnyPublicClient, account: Address, calls: readonly ContractCall[]): Promise<DryRunResult> {
  let gasUsed: bigint[];
  try {
    const { results } = await client.simulateCalls({
      account,
      calls: calls.map((c) => ({ to: c.address, data: encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args } as never) })),
    });
    gasUsed = results.map((r, i) => {
      if (r.status !== "success") {
        const revert = r.data !== undefined && r.data !== "0x" ? decodeRevertData(r.data) : explainError(r.error);
        throw new DryRunRevertError(calls[i]!.label, revert);
      }
      return r.gasUsed;
    });
  } catch (error) {
    if (error instanceof DryRunRevertError) throw error;
    // No eth_simulateV1: estimate each call alone (a later call may then fail on state an earlier one would set).
    gasUsed = [];
    for (const c of calls) {
      try {
        gasUsed.push(await client.estimateContractGas({ ...c, account } as Parameters<AnyPublicClient["estimateContractGas"]>[0]));
      } catch (cause) {
        throw new DryRunRevertError(c.label, explainError(cause));
      }
    }
  }
  const fees = await client.estimateFeesPerGas().catch(async () => ({ maxFeePerGas: await client.getGasPrice() }));
  const gasPriceWei = fees.maxFeePerGas ?? 0n;
  const gas = gasUsed.reduce((a, b) => a + b, 0n);
  return { dryRun: true, calls: calls.map((c, i) => ({ label: c.label, gas: gasUsed[i] ?? 0n })), gas, gasPriceWei, costWei: gas * gasPriceWei };
}

/** A dry run found that a call would revert. */
export class DryRunRevertError extends Error {
  override readonly name = "DryRunRevertError";
  constructor(
    readonly label: string,
    readonly revert: RevertInfo,
  ) {
    super(`${label} would revert: ${revert.message}`);
  }
}

/** Sends `calls` in order (each simulated first), or with `dryRun` simulates them together and sends nothing. */
export async function sendCalls(client: AnyPublicClient, wallet: Wallet, calls: readonly ContractCall[], progress: Progress, dryRun: true): Promise<DryRunResult>;
export async function sendCalls(client: AnyPublicClient, wallet: Wallet, calls: readonly ContractCall[], progress: Progress, dryRun?: false): Promise<TxOutcome[]>;
export async function sendCalls(client: AnyPublicClient, wallet: Wallet, calls: readonly ContractCall[], progress: Progress, dryRun = false): Promise<DryRunResult | TxOutcome[]> {
  if (dryRun) return dryRunCalls(client, wallet.account.address, calls);
  const out: TxOutcome[] = [];
  for (const { label, ...call } of calls) out.push(await send(client, wallet, label, call, progress));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Allowances
// ---------------------------------------------------------------------------------------------------------------

/** The approvals that make `spender`'s allowance at least `amount`: through zero first, as USDT requires. */
export async function allowanceCalls(client: AnyPublicClient, owner: Address, token: Address, spender: Address, amount: bigint): Promise<ContractCall[]> {
  const allowance = await client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
  if (allowance >= amount) return [];
  const approve = (label: string, value: bigint): ContractCall => ({ label, address: token, abi: approveNoReturnAbi, functionName: "approve", args: [spender, value] });
  return allowance === 0n ? [approve("approve", amount)] : [approve("reset allowance", 0n), approve("approve", amount)];
}

/** Refuses an `owner` holding less than `amount` {USDT units} of `usdt`; else the approvals that let `spender` pull it. */
export async function usdtPaymentCalls(client: AnyPublicClient, owner: Address, usdt: Address, spender: Address, amount: bigint): Promise<ContractCall[]> {
  const balance = await client.readContract({ address: usdt, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  if (balance < amount) throw new Error(`${owner} holds ${Number(balance) / 1e6} USDT, ${Number(amount) / 1e6} needed`);
  return allowanceCalls(client, owner, usdt, spender, amount);
}

/** Approves `spender` for at least `amount` of `token`, through zero first as USDT requires. Returns the approvals' gas. */
export async function ensureAllowance(client: AnyPublicClient, wallet: Wallet, token: Address, spender: Address, amount: bigint, progress: Progress): Promise<bigint> {
  const outcomes = await sendCalls(client, wallet, await allowanceCalls(client, wallet.account.address, token, spender, amount), progress);
  return outcomes.reduce((g, o) => g + o.gasUsed, 0n);
}

/** The call that sets `spender`'s allowance of `token` back to zero (undefined when it already is). */
export async function revokeCall(client: AnyPublicClient, owner: Address, token: Address, spender: Address): Promise<ContractCall | undefined> {
  const allowance = await client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
  return allowance === 0n ? undefined : { label: "revoke allowance", address: token, abi: approveNoReturnAbi, functionName: "approve", args: [spender, 0n] };
}

// ---------------------------------------------------------------------------------------------------------------
// Vault entry points: each has a `*Calls` builder (the sequence, for a dry run or a batch) and a sender.
// ---------------------------------------------------------------------------------------------------------------

function eventOf<T>(label: string, out: TxOutcome, eventName: string): T {
  const [event] = parseEventLogs({ abi: vaultAbi, eventName: eventName as never, logs: out.receipt.logs });
  if (event === undefined) throw new Error(`${label} ${out.hash}: no ${eventName} event`);
  return (event as unknown as { args: T }).args;
}

export interface DepositArgs {
  /** {USDT units} */
  assets: bigint;
  /** {share} */
  minShares: bigint;
  /** {s} unix time */
  deadline: bigint;
  receiver?: Address;
}

/** Approval(s) then `deposit(assets, receiver, minShares, deadline)`; refuses a wallet without the USDT. */
export async function depositCalls(client: AnyPublicClient, owner: Address, vault: Address, asset: Address, args: DepositArgs): Promise<ContractCall[]> {
  return [
    ...(await usdtPaymentCalls(client, owner, asset, vault, args.assets)),
    { label: "deposit", address: vault, abi: vaultAbi as Abi, functionName: "deposit", args: [args.assets, args.receiver ?? owner, args.minShares, args.deadline] },
  ];
}

export interface DepositResult extends TxOutcome {
  /** {USDT units} */
  assets: bigint;
  mintFee: bigint;
  /** {USDT units} Chainlink value of what was bought */
  valueIn: bigint;
  /** {share} */
  shares: bigint;
}

/** `deposit(assets, receiver, minShares, deadline)` after the USDT approval. */
export async function deposit(
  client: AnyPublicClient,
  wallet: Wallet,
  status: { readonly vault: Address; readonly asset: Address },
  args: DepositArgs,
  progress: Progress = silentProgress,
): Promise<DepositResult> {
  const outs = await sendCalls(client, wallet, await depositCalls(client, wallet.account.address, status.vault, status.asset, args), progress);
  const out = outs[outs.length - 1]!;
  const e = eventOf<{ assets: bigint; mintFee: bigint; valueIn: bigint; shares: bigint }>("deposit", out, "Deposited");
  return { ...out, assets: e.assets, mintFee: e.mintFee, valueIn: e.valueIn, shares: e.shares };
}

export interface RedeemArgs {
  /** {share} */
  shares: bigint;
  /** {USDT units} */
  minAssets: bigint;
  /** {s} unix time */
  deadline: bigint;
  receiver?: Address;
}

export function redeemCalls(owner: Address, vault: Address, args: RedeemArgs): ContractCall[] {
  return [{ label: "redeem", address: vault, abi: vaultAbi as Abi, functionName: "redeem", args: [args.shares, args.receiver ?? owner, owner, args.minAssets, args.deadline] }];
}

export interface RedeemResult extends TxOutcome {
  shares: bigint;
  /** {USDT units} */
  proceeds: bigint;
  burnFee: bigint;
  assets: bigint;
}

/** `redeem(shares, receiver, owner, minAssets, deadline)`. */
export async function redeem(client: AnyPublicClient, wallet: Wallet, vault: Address, args: RedeemArgs, progress: Progress = silentProgress): Promise<RedeemResult> {
  const [out] = await sendCalls(client, wallet, redeemCalls(wallet.account.address, vault, args), progress);
  const e = eventOf<{ shares: bigint; proceeds: bigint; burnFee: bigint; assets: bigint }>("redeem", out!, "Redeemed");
  return { ...out!, shares: e.shares, proceeds: e.proceeds, burnFee: e.burnFee, assets: e.assets };
}

export function redeemInKindCalls(owner: Address, vault: Address, args: { shares: bigint; receiver?: Address }): ContractCall[] {
  return [{ label: "redeem in kind", address: vault, abi: vaultAbi as Abi, functionName: "redeemInKind", args: [args.shares, args.receiver ?? owner, owner] }];
}

export interface InKindResult extends TxOutcome {
  shares: bigint;
  /** {share} burn fee (redeem) or mint fee (deposit) taken in shares */
  feeShares: bigint;
  /** {tok units} constituents in order, then USDT */
  amounts: readonly bigint[];
}
export type RedeemInKindResult = InKindResult;

/** `redeemInKind(shares, receiver, owner)`: the pro-rata basket itself (never paused, no oracle). */
export async function redeemInKind(client: AnyPublicClient, wallet: Wallet, vault: Address, args: { shares: bigint; receiver?: Address }, progress: Progress = silentProgress): Promise<InKindResult> {
  const [out] = await sendCalls(client, wallet, redeemInKindCalls(wallet.account.address, vault, args), progress);
  const e = eventOf<{ shares: bigint; feeShares: bigint; amounts: readonly bigint[] }>("redeemInKind", out!, "RedeemedInKind");
  return { ...out!, shares: e.shares, feeShares: e.feeShares, amounts: e.amounts };
}

/** Approvals of every token `previewDepositInKind(shares)` asks for, then `depositInKind(shares, receiver)`. */
export async function depositInKindCalls(client: AnyPublicClient, owner: Address, vault: Address, tokens: readonly Address[], args: { shares: bigint; receiver?: Address }): Promise<ContractCall[]> {
  const amounts = await client.readContract({ address: vault, abi: vaultAbi, functionName: "previewDepositInKind", args: [args.shares] });
  const calls: ContractCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const amount = amounts[i] ?? 0n;
    if (amount === 0n) continue;
    const balance = await client.readContract({ address: tokens[i]!, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
    if (balance < amount) throw new Error(`${owner} holds ${balance} units of ${tokens[i]}, ${amount} needed for ${args.shares} shares in kind`);
    calls.push(...(await allowanceCalls(client, owner, tokens[i]!, vault, amount)).map((c) => ({ ...c, label: `${c.label} ${tokens[i]}` })));
  }
  calls.push({ label: "deposit in kind", address: vault, abi: vaultAbi as Abi, functionName: "depositInKind", args: [args.shares, args.receiver ?? owner] });
  return calls;
}

/** `depositInKind(shares, receiver)`: the pro-rata basket in, `shares` out (tokens: constituents in order, then USDT). */
export async function depositInKind(client: AnyPublicClient, wallet: Wallet, vault: Address, tokens: readonly Address[], args: { shares: bigint; receiver?: Address }, progress: Progress = silentProgress): Promise<InKindResult> {
  const outs = await sendCalls(client, wallet, await depositInKindCalls(client, wallet.account.address, vault, tokens, args), progress);
  const out = outs[outs.length - 1]!;
  const e = eventOf<{ shares: bigint; feeShares: bigint; amounts: readonly bigint[] }>("depositInKind", out, "DepositedInKind");
  return { ...out, shares: e.shares, feeShares: e.feeShares, amounts: e.amounts };
}

export function claimCalls(vault: Address, token: Address, to: Address): ContractCall[] {
  return [{ label: "claim", address: vault, abi: vaultAbi as Abi, functionName: "claim", args: [token, to] }];
}

/** `claim(token, to)`: what an in-kind redeem set aside for the caller in `token`. Returns the amount. */
export async function claim(client: AnyPublicClient, wallet: Wallet, vault: Address, token: Address, to: Address = wallet.account.address, progress: Progress = silentProgress): Promise<TxOutcome & { amount: bigint }> {
  const [out] = await sendCalls(client, wallet, claimCalls(vault, token, to), progress);
  const e = eventOf<{ amount: bigint }>("claim", out!, "Claimed");
  return { ...out!, amount: e.amount };
}
