// Reads and drives an index vault with viem and the generated ABIs: the status a wallet (or the demo) shows, quotes
// for deposits and redemptions from QuoterV2 along the vault's own routes, and the wallet transactions. Shared by the
// CLI commands and the demo.
import {
  encodePacked,
  erc20Abi,
  parseEventLogs,
  type Abi,
  type Address,
  type Hash,
  type TransactionReceipt,
} from "viem";
import { abis, iIndexFactoryAbi, indexVaultAbi, mockAggregatorAbi, quoterV2Abi, uniswapV3PoolAbi } from "../sdk/generated/abis";
import type { ProtocolPublicClient, ProtocolWalletClient } from "../sdk/protocol";

export const BPS = 10_000n;
/** ConstantsLib.PAUSE_* */
export const PAUSE = { deposit: 1, depositInKind: 2, redeem: 4 } as const;
/** 10^(share decimals − USDT decimals): ERC-4626 virtual shares of the vault (`_decimalsOffset`). */
const VIRTUAL_SHARES = 10n ** 12n;

/**
 * The rebalancing module's interface (views and `rebalance`), called at the vault's address. Taken from the generated
 * ABIs when the build has it, so the CLI works against vaults with and without it.
 */
export const rebalancerAbi: Abi | undefined = (abis as Record<string, Abi>)["IIndexVaultRebalancer"];

/** Any viem client on a known chain (sdk/protocol.ts). */
export type AnyPublicClient = ProtocolPublicClient;
export type Wallet = ProtocolWalletClient;

export interface ConstituentStatus {
  index: number;
  token: Address;
  symbol: string;
  decimals: number;
  /** {tok units} held for shareholders */
  balance: bigint;
  /** D18{USD/tok} Chainlink price */
  priceD18: bigint;
  /** {USDT units} */
  value: bigint;
  /** {bps} */
  weightBps: bigint;
  /** {bps} */
  targetBps: bigint;
  /** {bps} |weight − target|, rounded up */
  deviationBps: bigint;
  /** Buy route tokens, USDT first, and the fee tier of each hop {hundredths of a bip}. */
  path: Address[];
  fees: number[];
}

export interface RebalanceInfo {
  due: boolean;
  reason: string;
  thresholdBps: bigint;
  cooldownEndsAt: bigint;
  steps: bigint;
}

export interface VaultStatus {
  vault: Address;
  name: string;
  symbol: string;
  blockNumber: bigint;
  timestamp: bigint;
  asset: Address;
  /** {USDT units} */
  nav: bigint;
  /** {USDT units per 1e18 shares} */
  navPerShare: bigint;
  /** D18{1} */
  indexLevel: bigint;
  /** {share} */
  totalSupply: bigint;
  /** {share} management-fee shares the next interaction mints */
  pendingFeeShares: bigint;
  /** {USDT units} */
  idleUsdt: bigint;
  /** {bps} */
  idleWeightBps: bigint;
  constituents: ConstituentStatus[];
  drift: { maxBps: bigint; sumBps: bigint; source: "vault" | "off-chain" };
  rebalance?: RebalanceInfo;
  fees: { mintBps: number; burnBps: number; managementBpsPerYear: number; recipient: Address };
  maxSlippageBps: number;
  /** {USDT units} */
  minDeposit: bigint;
  paused: { deposit: boolean; depositInKind: boolean; redeem: boolean };
  rebalancing: boolean;
  /** D18{USD/USDT} */
  usdtPriceD18: bigint;
  /** Why prices could not be read (the basket's values are then zero); undefined when all is well. */
  priceError?: string;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
const abs = (a: bigint): bigint => (a < 0n ? -a : a);

/** Chainlink answer scaled to 18 decimals. */
async function feedPriceD18(client: AnyPublicClient, feed: Address, blockNumber: bigint): Promise<bigint> {
  const [decimals, round] = await Promise.all([
    client.readContract({ address: feed, abi: mockAggregatorAbi, functionName: "decimals", blockNumber }),
    client.readContract({ address: feed, abi: mockAggregatorAbi, functionName: "latestRoundData", blockNumber }),
  ]);
  return round[1] * 10n ** BigInt(18 - decimals);
}

/** One consistent read of a vault (every call at the same block). */
export async function readVaultStatus(client: AnyPublicClient, vault: Address): Promise<VaultStatus> {
  const block = await client.getBlock();
  const blockNumber = block.number;
  const v = { address: vault, abi: indexVaultAbi, blockNumber } as const;
  const [name, symbol, asset, config, count, totalSupply, pendingFeeShares] = await Promise.all([
    client.readContract({ ...v, functionName: "name" }),
    client.readContract({ ...v, functionName: "symbol" }),
    client.readContract({ ...v, functionName: "asset" }),
    client.readContract({ ...v, functionName: "config" }),
    client.readContract({ ...v, functionName: "constituentCount" }),
    client.readContract({ ...v, functionName: "totalSupply" }),
    client.readContract({ ...v, functionName: "pendingManagementFeeShares" }),
  ]);
  const infos = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) => client.readContract({ ...v, functionName: "constituent", args: [BigInt(i)] })),
  );
  const [symbols, fees] = await Promise.all([
    Promise.all(infos.map((c) => client.readContract({ address: c.token, abi: erc20Abi, functionName: "symbol", blockNumber }))),
    Promise.all(infos.map((c) => Promise.all(c.pools.map((pool) => client.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "fee", blockNumber }))))),
  ]);

  let priceError: string | undefined;
  let states: readonly { balance: bigint; price: bigint; value: bigint; currentWeightBps: bigint }[] = [];
  let idleUsdt = 0n;
  let nav = 0n;
  let navPerShare = 0n;
  let indexLevel = 0n;
  let usdtPriceD18 = 0n;
  try {
    const [basket, nps, level, usdtPrice] = await Promise.all([
      client.readContract({ ...v, functionName: "basket" }),
      client.readContract({ ...v, functionName: "navPerShare" }),
      client.readContract({ ...v, functionName: "indexLevel" }),
      feedPriceD18(client, config.usdtFeed, blockNumber),
    ]);
    [states, idleUsdt, nav] = basket;
    navPerShare = nps;
    indexLevel = level;
    usdtPriceD18 = usdtPrice;
  } catch (error) {
    const { explainError } = await import("./errors");
    priceError = explainError(error).message;
    idleUsdt = await client.readContract({ address: asset, abi: erc20Abi, functionName: "balanceOf", args: [vault], blockNumber });
  }

  const constituents: ConstituentStatus[] = infos.map((c, i) => {
    const s = states[i];
    const value = s?.value ?? 0n;
    const targetBps = BigInt(c.targetWeightBps);
    const deviationBps = nav === 0n ? 0n : ceilDiv(abs(value * BPS - targetBps * nav), nav);
    return {
      index: i,
      token: c.token,
      symbol: symbols[i] ?? "?",
      decimals: c.tokenDecimals,
      balance: s?.balance ?? 0n,
      priceD18: s?.price ?? 0n,
      value,
      weightBps: s?.currentWeightBps ?? 0n,
      targetBps,
      deviationBps,
      path: [...c.path],
      fees: (fees[i] ?? []).map(Number),
    };
  });

  // Drift as DriftLib defines it: idle USDT is a position with target 0; one rounding up.
  let drift: VaultStatus["drift"] = { maxBps: 0n, sumBps: 0n, source: "off-chain" };
  if (nav > 0n) {
    const idleDev = ceilDiv(idleUsdt * BPS, nav);
    const sumExact = constituents.reduce((sum, c) => sum + abs(c.value * BPS - c.targetBps * nav), idleUsdt * BPS);
    drift = {
      maxBps: constituents.reduce((m, c) => (c.deviationBps > m ? c.deviationBps : m), idleDev),
      sumBps: ceilDiv(sumExact, nav),
      source: "off-chain",
    };
  }
  let rebalance: RebalanceInfo | undefined;
  if (rebalancerAbi !== undefined && priceError === undefined) {
    try {
      const [report, status] = (await Promise.all([
        client.readContract({ address: vault, abi: rebalancerAbi, functionName: "driftReport", blockNumber }),
        client.readContract({ address: vault, abi: rebalancerAbi, functionName: "rebalanceStatus", blockNumber }),
      ])) as [{ maxDeviationBps: bigint; sumDeviationBps: bigint }, { due: boolean; reason: number; thresholdBps: bigint; cooldownEndsAt: bigint; steps: bigint }];
      drift = { maxBps: report.maxDeviationBps, sumBps: report.sumDeviationBps, source: "vault" };
      const reasons = ["under threshold", "cooldown", "due", "continuing", "timed out", "below min trade"];
      rebalance = {
        due: status.due,
        reason: reasons[status.reason] ?? `reason ${status.reason}`,
        thresholdBps: status.thresholdBps,
        cooldownEndsAt: status.cooldownEndsAt,
        steps: status.steps,
      };
    } catch {
      // A vault without the module (or a build without it): the off-chain drift stands.
    }
  }

  return {
    vault,
    name,
    symbol,
    blockNumber,
    timestamp: block.timestamp,
    asset,
    nav,
    navPerShare,
    indexLevel,
    totalSupply,
    pendingFeeShares,
    idleUsdt,
    idleWeightBps: nav === 0n ? 0n : (idleUsdt * BPS) / nav,
    constituents,
    drift,
    ...(rebalance === undefined ? {} : { rebalance }),
    fees: { mintBps: config.mintFeeBps, burnBps: config.burnFeeBps, managementBpsPerYear: config.managementFeeBps, recipient: config.feeRecipient },
    maxSlippageBps: config.maxSlippageBps,
    minDeposit: config.minDeposit,
    paused: {
      deposit: (config.pauseFlags & PAUSE.deposit) !== 0,
      depositInKind: (config.pauseFlags & PAUSE.depositInKind) !== 0,
      redeem: (config.pauseFlags & PAUSE.redeem) !== 0,
    },
    rebalancing: config.rebalancing,
    usdtPriceD18,
    ...(priceError === undefined ? {} : { priceError }),
  };
}

/** {USDT units} value of `amount` of a constituent at its Chainlink price. */
export function valueInUsdt(amount: bigint, c: Pick<ConstituentStatus, "priceD18" | "decimals">, usdtPriceD18: bigint): bigint {
  if (usdtPriceD18 === 0n) return 0n;
  return (amount * c.priceD18 * 10n ** 6n) / (10n ** BigInt(c.decimals) * usdtPriceD18);
}

/** Uniswap V3 packed path; `reverse` for selling (token → USDT). */
export function encodeRoute(path: readonly Address[], fees: readonly number[], reverse = false): `0x${string}` {
  const tokens = reverse ? [...path].reverse() : [...path];
  const tiers = reverse ? [...fees].reverse() : [...fees];
  const types: ("address" | "uint24")[] = [];
  const values: (Address | number)[] = [];
  tokens.forEach((t, i) => {
    types.push("address");
    values.push(t);
    if (i < tiers.length) {
      types.push("uint24");
      values.push(tiers[i]!);
    }
  });
  return encodePacked(types, values);
}

async function quoteRoute(client: AnyPublicClient, quoter: Address, path: `0x${string}`, amountIn: bigint): Promise<bigint> {
  if (amountIn === 0n) return 0n;
  const { result } = await client.simulateContract({ address: quoter, abi: quoterV2Abi, functionName: "quoteExactInput", args: [path, amountIn] });
  return result[0];
}

export interface Leg {
  symbol: string;
  token: Address;
  /** The constituent's decimals. */
  decimals: number;
  /** {tokIn units}: USDT for a deposit leg, the constituent for a redemption leg. */
  amountIn: bigint;
  /** {tokOut units} QuoterV2's answer. */
  amountOut: bigint;
  /** {USDT units} Chainlink value of the input. */
  valueIn: bigint;
  /** {USDT units} Chainlink value of the output. */
  valueOut: bigint;
  /** {bps} value lost against the oracle, pool fees included (negative: better than the oracle). */
  impactBps: number;
  /** Fee tier of each hop {hundredths of a bip}. */
  fees: number[];
}

export interface DepositQuote {
  /** {USDT units} */
  assets: bigint;
  /** {USDT units} */
  mintFee: bigint;
  legs: Leg[];
  /** {share} from the quotes at the current NAV. */
  expectedShares: bigint;
  /** {share} the vault's own floor (`previewDeposit`: every swap at its worst allowed price). */
  previewShares: bigint;
  /** "pro-rata" (by target) or "flow-aware" (the vault's depositAllocation). */
  allocation: string;
}

/** How a deposit's net USDT is split: the vault's flow-aware allocation when it has one, else pro rata by target. */
async function allocate(client: AnyPublicClient, status: VaultStatus, net: bigint): Promise<{ amounts: bigint[]; kind: string }> {
  if (rebalancerAbi !== undefined && status.nav > 0n) {
    try {
      const amounts = (await client.readContract({
        address: status.vault,
        abi: rebalancerAbi,
        functionName: "depositAllocation",
        args: [status.constituents.map((c) => c.value), status.constituents.map((c) => c.targetBps), net],
      })) as readonly bigint[];
      return { amounts: [...amounts], kind: "flow-aware" };
    } catch {
      // fall through
    }
  }
  const amounts = status.constituents.map((c) => (net * c.targetBps) / BPS);
  const rest = net - amounts.reduce((a, b) => a + b, 0n);
  amounts[amounts.length - 1] = (amounts[amounts.length - 1] ?? 0n) + rest;
  return { amounts, kind: "pro-rata" };
}

/** Expected shares and each leg's price impact for a USDT deposit. */
export async function quoteDeposit(client: AnyPublicClient, status: VaultStatus, quoter: Address, assets: bigint): Promise<DepositQuote> {
  const mintFee = (assets * BigInt(status.fees.mintBps)) / BPS;
  const { amounts, kind } = await allocate(client, status, assets - mintFee);
  const legs = await Promise.all(
    status.constituents.map(async (c, i): Promise<Leg> => {
      const amountIn = amounts[i] ?? 0n;
      const amountOut = await quoteRoute(client, quoter, encodeRoute(c.path, c.fees), amountIn);
      const valueIn = status.usdtPriceD18 === 0n ? amountIn : (amountIn * status.usdtPriceD18) / 10n ** 18n;
      const valueOut = valueInUsdt(amountOut, c, status.usdtPriceD18);
      return { symbol: c.symbol, token: c.token, decimals: c.decimals, amountIn, amountOut, valueIn, valueOut, impactBps: impact(valueIn, valueOut), fees: c.fees };
    }),
  );
  const valueIn = legs.reduce((s, l) => s + l.valueOut, 0n);
  const supply = status.totalSupply + status.pendingFeeShares;
  const expectedShares = (valueIn * (supply + VIRTUAL_SHARES)) / (status.nav + 1n);
  let previewShares = 0n;
  try {
    previewShares = await client.readContract({ address: status.vault, abi: indexVaultAbi, functionName: "previewDeposit", args: [assets] });
  } catch {
    previewShares = 0n;
  }
  return { assets, mintFee, legs, expectedShares, previewShares, allocation: kind };
}

export interface RedeemQuote {
  /** {share} */
  shares: bigint;
  legs: Leg[];
  /** {USDT units} pro-rata idle USDT */
  idle: bigint;
  /** {USDT units} */
  burnFee: bigint;
  /** {USDT units} after the burn fee, from the quotes. */
  expectedAssets: bigint;
  /** {USDT units} the vault's own floor (`previewRedeem`). */
  previewAssets: bigint;
}

/** Expected USDT and each leg's price impact for redeeming `shares`. */
export async function quoteRedeem(client: AnyPublicClient, status: VaultStatus, quoter: Address, shares: bigint): Promise<RedeemQuote> {
  const supply = status.totalSupply + status.pendingFeeShares;
  if (supply === 0n) throw new Error("the vault has no shares");
  const legs = await Promise.all(
    status.constituents.map(async (c): Promise<Leg> => {
      const amountIn = (c.balance * shares) / supply;
      const amountOut = await quoteRoute(client, quoter, encodeRoute(c.path, c.fees, true), amountIn);
      const valueIn = valueInUsdt(amountIn, c, status.usdtPriceD18);
      const valueOut = status.usdtPriceD18 === 0n ? amountOut : (amountOut * status.usdtPriceD18) / 10n ** 18n;
      return { symbol: c.symbol, token: c.token, decimals: c.decimals, amountIn, amountOut, valueIn, valueOut, impactBps: impact(valueIn, valueOut), fees: c.fees };
    }),
  );
  const idle = (status.idleUsdt * shares) / supply;
  const proceeds = idle + legs.reduce((s, l) => s + l.amountOut, 0n);
  const burnFee = ceilDiv(proceeds * BigInt(status.fees.burnBps), BPS);
  let previewAssets = 0n;
  try {
    previewAssets = await client.readContract({ address: status.vault, abi: indexVaultAbi, functionName: "previewRedeem", args: [shares] });
  } catch {
    previewAssets = 0n;
  }
  return { shares, legs, idle, burnFee, expectedAssets: proceeds - burnFee, previewAssets };
}

function impact(valueIn: bigint, valueOut: bigint): number {
  if (valueIn === 0n) return 0;
  return Number(((valueIn - valueOut) * 1_000_000n) / valueIn) / 100;
}

/** Applies a slippage bound: `amount` × (1 − bps). */
export function withSlippage(amount: bigint, slippageBps: number): bigint {
  return (amount * (BPS - BigInt(slippageBps))) / BPS;
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------------------------------

export interface Progress {
  sent(label: string, hash: Hash): void;
  confirmed(label: string, receipt: TransactionReceipt): void;
}

export const silentProgress: Progress = { sent: () => {}, confirmed: () => {} };

export interface TxOutcome {
  hash: Hash;
  blockNumber: bigint;
  /** {gas} */
  gasUsed: bigint;
  receipt: TransactionReceipt;
}

/** Simulates (so a revert is decoded before anything is signed), sends and waits for the receipt. */
export async function send(
  client: AnyPublicClient,
  wallet: Wallet,
  label: string,
  call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] },
  progress: Progress,
): Promise<TxOutcome> {
  const { request } = await client.simulateContract({ ...call, account: wallet.account } as Parameters<AnyPublicClient["simulateContract"]>[0]);
  // Gas: the estimate plus a margin (try/catch paths such as oracle reads and deferred transfers make the bare
  // estimate fragile).
  const estimate = await client.estimateContractGas({ ...call, account: wallet.account } as Parameters<AnyPublicClient["estimateContractGas"]>[0]);
  const gas = (estimate * 13n) / 10n;
  const hash = await wallet.writeContract({ ...(request as object), gas } as Parameters<Wallet["writeContract"]>[0]);
  progress.sent(label, hash);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    // Replay at the parent block to recover the reason.
    let reason = "";
    try {
      await client.simulateContract({ ...call, account: wallet.account, blockNumber: receipt.blockNumber - 1n } as Parameters<AnyPublicClient["simulateContract"]>[0]);
    } catch (error) {
      const { explainError } = await import("./errors");
      reason = `: ${explainError(error).message}`;
    }
    throw new Error(`${label}: transaction ${hash} reverted (gas used ${receipt.gasUsed} of ${gas})${reason}`);
  }
  progress.confirmed(label, receipt);
  return { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, receipt };
}

/**
 * ERC-20 `approve` without a return value: USDT on mainnet (and its local mock) returns nothing, which a strict
 * decoder rejects. Derived from viem's standard ERC-20 ABI.
 */
export const approveNoReturnAbi = erc20Abi
  .filter((item) => item.type === "function" && item.name === "approve")
  .map((item) => ({ ...item, outputs: [] })) as Abi;

/** Approves `spender` for at least `amount` of `token`, through zero first as USDT requires. Returns the approvals' gas. */
export async function ensureAllowance(client: AnyPublicClient, wallet: Wallet, token: Address, spender: Address, amount: bigint, progress: Progress): Promise<bigint> {
  const owner = wallet.account.address;
  const allowance = await client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
  if (allowance >= amount) return 0n;
  let gas = 0n;
  if (allowance !== 0n) gas += (await send(client, wallet, "reset allowance", { address: token, abi: approveNoReturnAbi, functionName: "approve", args: [spender, 0n] }, progress)).gasUsed;
  gas += (await send(client, wallet, "approve", { address: token, abi: approveNoReturnAbi, functionName: "approve", args: [spender, amount] }, progress)).gasUsed;
  return gas;
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
  status: Pick<VaultStatus, "vault" | "asset">,
  args: { assets: bigint; minShares: bigint; deadline: bigint; receiver?: Address },
  progress: Progress = silentProgress,
): Promise<DepositResult> {
  const balance = await client.readContract({ address: status.asset, abi: erc20Abi, functionName: "balanceOf", args: [wallet.account.address] });
  if (balance < args.assets) {
    throw new Error(`${wallet.account.address} holds ${Number(balance) / 1e6} USDT, ${Number(args.assets) / 1e6} needed`);
  }
  await ensureAllowance(client, wallet, status.asset, status.vault, args.assets, progress);
  const receiver = args.receiver ?? wallet.account.address;
  const out = await send(
    client,
    wallet,
    "deposit",
    { address: status.vault, abi: indexVaultAbi, functionName: "deposit", args: [args.assets, receiver, args.minShares, args.deadline] },
    progress,
  );
  const [event] = parseEventLogs({ abi: indexVaultAbi, eventName: "Deposited", logs: out.receipt.logs });
  if (event === undefined) throw new Error(`deposit ${out.hash}: no Deposited event`);
  return { ...out, assets: event.args.assets, mintFee: event.args.mintFee, valueIn: event.args.valueIn, shares: event.args.shares };
}

export interface RedeemResult extends TxOutcome {
  shares: bigint;
  /** {USDT units} */
  proceeds: bigint;
  burnFee: bigint;
  assets: bigint;
}

/** `redeem(shares, receiver, owner, minAssets, deadline)`. */
export async function redeem(
  client: AnyPublicClient,
  wallet: Wallet,
  vault: Address,
  args: { shares: bigint; minAssets: bigint; deadline: bigint; receiver?: Address },
  progress: Progress = silentProgress,
): Promise<RedeemResult> {
  const owner = wallet.account.address;
  const out = await send(
    client,
    wallet,
    "redeem",
    { address: vault, abi: indexVaultAbi, functionName: "redeem", args: [args.shares, args.receiver ?? owner, owner, args.minAssets, args.deadline] },
    progress,
  );
  const [event] = parseEventLogs({ abi: indexVaultAbi, eventName: "Redeemed", logs: out.receipt.logs });
  if (event === undefined) throw new Error(`redeem ${out.hash}: no Redeemed event`);
  return { ...out, shares: event.args.shares, proceeds: event.args.proceeds, burnFee: event.args.burnFee, assets: event.args.assets };
}

export interface RedeemInKindResult extends TxOutcome {
  shares: bigint;
  feeShares: bigint;
  /** {tok units} constituents in order, then USDT */
  amounts: readonly bigint[];
}

/** `redeemInKind(shares, receiver, owner)`: the pro-rata basket itself (never paused, no oracle). */
export async function redeemInKind(
  client: AnyPublicClient,
  wallet: Wallet,
  vault: Address,
  args: { shares: bigint; receiver?: Address },
  progress: Progress = silentProgress,
): Promise<RedeemInKindResult> {
  const owner = wallet.account.address;
  const out = await send(
    client,
    wallet,
    "redeem in kind",
    { address: vault, abi: indexVaultAbi, functionName: "redeemInKind", args: [args.shares, args.receiver ?? owner, owner] },
    progress,
  );
  const [event] = parseEventLogs({ abi: indexVaultAbi, eventName: "RedeemedInKind", logs: out.receipt.logs });
  if (event === undefined) throw new Error(`redeemInKind ${out.hash}: no RedeemedInKind event`);
  return { ...out, shares: event.args.shares, feeShares: event.args.feeShares, amounts: event.args.amounts };
}

/** The factory's registry: every vault it created. */
export async function listVaults(client: AnyPublicClient, factory: Address): Promise<readonly Address[]> {
  return client.readContract({ address: factory, abi: iIndexFactoryAbi, functionName: "vaults" });
}
