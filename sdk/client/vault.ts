// Reads of an index vault, every call at one block: its status (NAV, weights against targets, drift, fees, pause and
// rebalancing state, each feed named by its token), its constituents, and the factory's registry.
import { erc20Abi, type Account, type Address, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { factoryAbi, vaultAbi } from "./abis";
import { explainError } from "./errors";
import { readVaultFeeds, staleFeedsText, type NamedFeed } from "./feeds";
import { BPS, driftBps } from "./math";
import type { Route } from "./routes";
import { uniswapV3PoolAbi } from "../generated/abis";

/** ConstantsLib.PAUSE_* */
export const PAUSE = { deposit: 1, depositInKind: 2, redeem: 4 } as const;
/** IIndexVaultRebalancer.RebalanceReason, in declaration order. */
export const REBALANCE_REASONS = ["UnderThreshold", "Cooldown", "Due", "Continue", "TimedOut", "BelowMinTrade"] as const;
const REASON_TEXT = ["under threshold", "cooldown", "due", "continuing", "timed out", "below min trade"] as const;

/** Any viem public client on a known chain (a node over HTTP, a browser wallet's provider, hardhat's provider, …). */
export type AnyPublicClient = PublicClient<Transport, Chain>;
/** Any viem wallet client on a known chain with its account. */
export type Wallet = WalletClient<Transport, Chain, Account>;

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
  /** The same buy route as a `Route` (routes.ts). */
  route: Route;
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
  /** Every feed of the vault (USDT's first), named by token, with its age and staleness. */
  feeds: NamedFeed[];
  /**
   * Why prices could not be read (NAV and the basket's values are then UNKNOWN, not zero: see `pricesKnown`), e.g.
   * "feed for WBTC stale since …"; undefined when all is well.
   */
  priceError?: string;
  /** False when the vault could not value its basket (NAV, values, weights are then 0 placeholders). */
  pricesKnown: boolean;
}

/** Thrown when an address is not an index vault (no code, an EOA, a token, another contract). */
export class NotAVaultError extends Error {
  override readonly name = "NotAVaultError";
}

/**
 * Checks that `address` is an index vault: it has code and answers the vault's views (`config`, `constituentCount`).
 * Tells "no contract at …" (an EOA, a wrong chain) from "a contract that is not an index vault" (a token, …).
 */
export async function assertVault(client: AnyPublicClient, address: Address): Promise<void> {
  const code = await client.getCode({ address });
  if (code === undefined || code === "0x") throw new NotAVaultError(`no contract at ${address} on chain ${client.chain.id}: not an index vault (an EOA, or the wrong chain?)`);
  try {
    await Promise.all([
      client.readContract({ address, abi: vaultAbi, functionName: "config" }),
      client.readContract({ address, abi: vaultAbi, functionName: "constituentCount" }),
    ]);
  } catch {
    let what = "a contract";
    try {
      const symbol = await client.readContract({ address, abi: erc20Abi, functionName: "symbol" });
      what = `the token ${symbol}`;
    } catch {
      // not a token either
    }
    throw new NotAVaultError(`${address} is ${what}, not an index vault`);
  }
}

/** One consistent read of a vault (every call at the same block). */
export async function readVaultStatus(client: AnyPublicClient, vault: Address): Promise<VaultStatus> {
  const block = await client.getBlock();
  const blockNumber = block.number;
  const v = { address: vault, abi: vaultAbi, blockNumber } as const;
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
  const [symbols, fees, feeds] = await Promise.all([
    Promise.all(infos.map((c) => client.readContract({ address: c.token, abi: erc20Abi, functionName: "symbol", blockNumber }))),
    Promise.all(infos.map((c) => Promise.all(c.pools.map((pool) => client.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "fee", blockNumber }))))),
    readVaultFeeds(client, vault, blockNumber),
  ]);

  let priceError: string | undefined;
  let states: readonly { balance: bigint; price: bigint; value: bigint; currentWeightBps: bigint }[] = [];
  let idleUsdt = 0n;
  let nav = 0n;
  let navPerShare = 0n;
  let indexLevel = 0n;
  let usdtPriceD18 = 0n;
  try {
    const [basket, nps, level] = await Promise.all([
      client.readContract({ ...v, functionName: "basket" }),
      client.readContract({ ...v, functionName: "navPerShare" }),
      client.readContract({ ...v, functionName: "indexLevel" }),
    ]);
    [states, idleUsdt, nav] = basket;
    navPerShare = nps;
    indexLevel = level;
    usdtPriceD18 = feeds[0]?.priceD18 ?? 0n;
  } catch (error) {
    // Name the feeds by token when they are the cause; else the vault's own reason.
    priceError = staleFeedsText(feeds) ?? explainError(error).message;
    idleUsdt = await client.readContract({ address: asset, abi: erc20Abi, functionName: "balanceOf", args: [vault], blockNumber });
  }

  const offChain = driftBps(infos.map((_, i) => states[i]?.value ?? 0n), infos.map((c) => c.targetWeightBps), idleUsdt);
  const constituents: ConstituentStatus[] = infos.map((c, i) => {
    const s = states[i];
    const value = s?.value ?? 0n;
    const targetBps = BigInt(c.targetWeightBps);
    const deviationBps = nav === 0n ? 0n : (offChain.deviationsBps[i] ?? 0n);
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
      route: { tokens: [...c.path], fees: (fees[i] ?? []).map(Number) },
    };
  });

  // Drift as DriftLib defines it (math.ts), until the vault's own report replaces it.
  let drift: VaultStatus["drift"] = { maxBps: offChain.maxBps, sumBps: offChain.sumBps, source: "off-chain" };
  let rebalance: RebalanceInfo | undefined;
  if (priceError === undefined) {
    try {
      const [report, status] = await Promise.all([
        client.readContract({ ...v, functionName: "driftReport" }),
        client.readContract({ ...v, functionName: "rebalanceStatus" }),
      ]);
      drift = { maxBps: report.maxDeviationBps, sumBps: report.sumDeviationBps, source: "vault" };
      rebalance = {
        due: status.due,
        reason: REASON_TEXT[status.reason] ?? `reason ${status.reason}`,
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
    feeds,
    pricesKnown: priceError === undefined,
    ...(priceError === undefined ? {} : { priceError }),
  };
}

/** The factory's registry: every vault it created. */
export async function listVaults(client: AnyPublicClient, factory: Address): Promise<readonly Address[]> {
  return client.readContract({ address: factory, abi: factoryAbi, functionName: "vaults" });
}

/** {share} `account`'s share balance. */
export async function shareBalance(client: AnyPublicClient, vault: Address, account: Address): Promise<bigint> {
  return client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [account] });
}

/** {tok units} what `account` may `claim` of each token (set aside for it during an in-kind redeem whose transfer failed). */
export async function readClaimable(client: AnyPublicClient, vault: Address, account: Address, tokens: readonly Address[]): Promise<{ token: Address; amount: bigint }[]> {
  return Promise.all(tokens.map(async (token) => ({ token, amount: await client.readContract({ address: vault, abi: vaultAbi, functionName: "claimable", args: [account, token] }) })));
}


