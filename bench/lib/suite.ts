// The benchmark suite: whole-transaction gas of USDT deposit/redeem against the same legs swapped directly through
// Uniswap's SwapRouter, in-kind paths, and per-leg slippage against the V3 maths. Runs on any BenchEnv.
import { maxUint256, type Address, type TransactionReceipt } from "viem";
import { indexVaultAbi } from "../../sdk/generated/abis";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import { confirm, snapshot, type BenchEnv, type BenchToken } from "./env";
import { executeLegsThroughRouter, legsFromReceipt, type Leg } from "./legs";
import { quoteSingle, theoryForLeg } from "./pools";
import { shortfallBps } from "./v3math";
import { gasBreakdown, type GasBreakdown } from "./trace";
import { opcodeProfile, type OpcodeProfile } from "./opcodes";
import { assertPoolsTraded } from "./warmup";
import {
  approveToken,
  approveUsdt,
  createVault,
  depositInKind,
  depositUsdt,
  fundForDeposit,
  redeemInKind,
  redeemUsdt,
  shareBalance,
  tokenBalance,
  type ProtocolDeployment,
} from "./vault";

export interface GasRow {
  constituents: number;
  gas: number;
  rawSwapGas: number;
  ratio: number;
}

export interface InKindRow {
  constituents: number;
  depositGas: number;
  redeemGas: number;
}

export interface SlippageRow {
  usd: number;
  leg: string;
  realisedBps: number;
  theoryBps: number;
}

export interface RebalanceRow {
  constituents: number;
  gas: number | null;
  turnoverRatio: number | null;
}

/** Everything measured for one basket size, with the detail behind the headline numbers. */
export interface SizeResult {
  deposit: GasRow;
  redeem: GasRow;
  inKind: InKindRow;
  breakdown: { deposit: GasBreakdown; redeem: GasBreakdown; rawBuy: GasBreakdown; rawSell: GasBreakdown };
  /** The vault's own frames, opcode by opcode (only for the profiled size). */
  profile?: { deposit: OpcodeProfile; redeem: OpcodeProfile };
}

export interface SlippageDetail extends SlippageRow {
  side: "buy" | "sell";
  amountIn: string;
  realisedOut: string;
  theoryOut: string;
  spotOut: string;
  quoterOut: string | null;
  ticksCrossed: number;
  /** {bps} realised − theory (positive: the vault got less than theory). */
  diffBps: number;
}

/** {USDT units} Deposit size of the gas rows. */
export const GAS_DEPOSIT_USD = 10_000;
export const SLIPPAGE_SIZES_USD = [1_000, 10_000, 100_000, 1_000_000] as const;
const USDT_UNIT = 1_000_000n;

function wallet(env: BenchEnv, i: number): LocalWalletClient {
  const w = env.wallets[i];
  if (w === undefined) throw new Error(`BenchEnv needs at least ${i + 1} wallets`);
  return w;
}

/** Roles of the funded accounts in a benchmark. */
export function actors(env: BenchEnv) {
  return { seeder: wallet(env, 1), user: wallet(env, 2), trader: wallet(env, 3), inKind: wallet(env, 4), attacker: wallet(env, 5) };
}

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 10_000) / 10_000;
}

/** Prepares a raw-router trader: USDT and every token held (non-zero balances, like the vault's) and approved. */
async function prepareTrader(env: BenchEnv, trader: LocalWalletClient, tokens: readonly BenchToken[], usdt: bigint, vault: Address): Promise<void> {
  await env.fund(env.market.usdt, trader.account.address, usdt);
  await approveUsdt(env, trader, env.market.swapRouter, maxUint256);
  for (const t of tokens) {
    // Twice what the vault holds now covers the redemption legs of a deposit of the same size.
    const held = await tokenBalance(env, t.address, vault);
    await env.fund(t.address, trader.account.address, held * 2n + 1n);
    await approveToken(env, trader, t.address, env.market.swapRouter, maxUint256);
  }
}

/**
 * Gas of a steady-state USDT deposit and redeem into an n-constituent vault that already holds the basket (a second
 * depositor), against the same legs (same amounts, same pools, same pre-state) through SwapRouter.multicall in one
 * transaction by a trader that already holds every token; plus the in-kind paths. On the local chain every pool on the
 * routes must have been traded both ways first (bench/lib/warmup.ts), as any live mainnet pool has.
 */
export async function measureSize(
  env: BenchEnv,
  protocol: ProtocolDeployment,
  tokens: readonly BenchToken[],
  options: { profile?: boolean } = {},
): Promise<SizeResult> {
  await assertPoolsTraded(env, tokens);
  const a = actors(env);
  const n = tokens.length;
  const vault = await createVault(env, protocol, tokens);
  const assets = BigInt(GAS_DEPOSIT_USD) * USDT_UNIT;
  await fundForDeposit(env, vault, a.seeder, assets);
  await depositUsdt(env, vault, a.seeder, assets);
  // A running vault has accrued its management fee before: the fee recipient already holds shares, so the measured
  // deposit pays that balance's ordinary update, not its one-time first write (~17k, paid once per vault).
  await confirm(env, await a.seeder.writeContract({ address: vault, abi: indexVaultAbi, functionName: "accrueManagementFee", gas: 1_000_000n }));
  await fundForDeposit(env, vault, a.user, assets);
  await prepareTrader(env, a.trader, tokens, assets * 2n, vault);

  const revertBeforeDeposit = await snapshot(env);
  const depositReceipt = await depositUsdt(env, vault, a.user, assets);
  const depositLegs = legsFromReceipt(depositReceipt, tokens, true, env.market.usdt);
  const depositBreakdown = await gasBreakdown(env, depositReceipt.transactionHash, depositReceipt.gasUsed, tokens);
  const own = [vault, protocol.implementation];
  const depositProfile = options.profile === true ? await opcodeProfile(env, depositReceipt.transactionHash, own) : undefined;

  const revertBeforeRedeem = await snapshot(env);
  const shares = await shareBalance(env, vault, a.user.account.address);
  const redeemReceipt = await redeemUsdt(env, vault, a.user, shares);
  const redeemLegs = legsFromReceipt(redeemReceipt, tokens, false, env.market.usdt);
  const redeemBreakdown = await gasBreakdown(env, redeemReceipt.transactionHash, redeemReceipt.gasUsed, tokens);
  const redeemProfile = options.profile === true ? await opcodeProfile(env, redeemReceipt.transactionHash, own) : undefined;

  await revertBeforeRedeem();
  const rawSell = await executeLegsThroughRouter(env, a.trader, redeemLegs);
  const rawSellBreakdown = await gasBreakdown(env, rawSell.transactionHash, rawSell.gasUsed, tokens);

  await revertBeforeDeposit();
  const revertAgain = await snapshot(env);
  const rawBuy = await executeLegsThroughRouter(env, a.trader, depositLegs);
  const rawBuyBreakdown = await gasBreakdown(env, rawBuy.transactionHash, rawBuy.gasUsed, tokens);
  await revertAgain();

  // In kind: a third holder brings the pro-rata basket for as many shares as the USDT deposit minted, then leaves.
  const inKindShares = shares;
  const inKindDeposit = await depositInKind(env, vault, a.inKind, inKindShares);
  const held = await shareBalance(env, vault, a.inKind.account.address);
  const inKindRedeem = await redeemInKind(env, vault, a.inKind, held);

  const gas = (r: TransactionReceipt): number => Number(r.gasUsed);
  return {
    deposit: { constituents: n, gas: gas(depositReceipt), rawSwapGas: gas(rawBuy), ratio: ratio(gas(depositReceipt), gas(rawBuy)) },
    redeem: { constituents: n, gas: gas(redeemReceipt), rawSwapGas: gas(rawSell), ratio: ratio(gas(redeemReceipt), gas(rawSell)) },
    inKind: { constituents: n, depositGas: gas(inKindDeposit), redeemGas: gas(inKindRedeem) },
    breakdown: { deposit: depositBreakdown, redeem: redeemBreakdown, rawBuy: rawBuyBreakdown, rawSell: rawSellBreakdown },
    ...(depositProfile !== undefined && redeemProfile !== undefined ? { profile: { deposit: depositProfile, redeem: redeemProfile } } : {}),
  };
}

/** Theory for a whole route (hop by hop, each hop's theoretical output feeding the next) at `blockNumber`. */
async function routeTheory(env: BenchEnv, leg: Leg, blockNumber: bigint) {
  const path = leg.buy ? [...leg.token.buyRouteTokens] : [...leg.token.buyRouteTokens].reverse();
  let amount = leg.amountIn;
  let spot = leg.amountIn;
  let ticksCrossed = 0;
  for (let h = 0; h < leg.pools.length; h++) {
    const hop = await theoryForLeg(env.publicClient, leg.pools[h]!, path[h]!, amount, blockNumber);
    // Spot along the route: the mid price of each hop applied to the spot amount so far.
    spot = (spot * hop.spotOut) / amount;
    amount = hop.amountOut;
    ticksCrossed += hop.ticksCrossed;
  }
  let quoterOut: bigint | null = null;
  if (leg.pools.length === 1) {
    const fee = leg.token.buyRouteFees[0]!;
    quoterOut = await quoteSingle(env.publicClient, env.market.quoterV2, path[0]!, path[1]!, fee, leg.amountIn, blockNumber);
  }
  return { theoryOut: amount, spotOut: spot, ticksCrossed, quoterOut };
}

function slippageDetails(usd: number, legs: readonly Leg[], theories: Awaited<ReturnType<typeof routeTheory>>[]): SlippageDetail[] {
  return legs.map((leg, i) => {
    const t = theories[i]!;
    const name = leg.buy ? `USDT→${leg.token.symbol}` : `${leg.token.symbol}→USDT`;
    const realisedBps = shortfallBps(t.spotOut, leg.amountOut);
    const theoryBps = shortfallBps(t.spotOut, t.theoryOut);
    return {
      usd,
      leg: name,
      realisedBps,
      theoryBps,
      side: leg.buy ? "buy" : "sell",
      amountIn: leg.amountIn.toString(),
      realisedOut: leg.amountOut.toString(),
      theoryOut: t.theoryOut.toString(),
      spotOut: t.spotOut.toString(),
      quoterOut: t.quoterOut === null ? null : t.quoterOut.toString(),
      ticksCrossed: t.ticksCrossed,
      diffBps: shortfallBps(t.spotOut, leg.amountOut) - shortfallBps(t.spotOut, t.theoryOut),
    };
  });
}

/** Sends `send` as the next block and returns its receipt and the block whose state it started from. */
async function inNextBlock(env: BenchEnv, send: () => Promise<TransactionReceipt>): Promise<{ receipt: TransactionReceipt; before: bigint }> {
  const before = await env.publicClient.getBlockNumber({ cacheTime: 0 });
  const receipt = await send();
  if (receipt.blockNumber !== before + 1n) throw new Error(`expected the transaction in block ${before + 1n}, got ${receipt.blockNumber}`);
  return { receipt, before };
}

/**
 * Per-leg slippage of USDT deposits (buy legs) and full redemptions (sell legs) of each size into a vault over
 * `tokens`, each size from the same seeded state. Theory is computed from each pool's state in the block before.
 */
export async function measureSlippage(env: BenchEnv, protocol: ProtocolDeployment, tokens: readonly BenchToken[]): Promise<SlippageDetail[]> {
  const a = actors(env);
  const vault = await createVault(env, protocol, tokens);
  const seed = BigInt(GAS_DEPOSIT_USD) * USDT_UNIT;
  await fundForDeposit(env, vault, a.seeder, seed);
  await depositUsdt(env, vault, a.seeder, seed);
  const rows: SlippageDetail[] = [];
  for (const usd of SLIPPAGE_SIZES_USD) {
    const revert = await snapshot(env);
    const assets = BigInt(usd) * USDT_UNIT;
    await fundForDeposit(env, vault, a.user, assets);
    const dep = await inNextBlock(env, () => depositUsdt(env, vault, a.user, assets));
    const buyLegs = legsFromReceipt(dep.receipt, tokens, true, env.market.usdt);
    const buyTheory = await Promise.all(buyLegs.map((leg) => routeTheory(env, leg, dep.before)));
    rows.push(...slippageDetails(usd, buyLegs, buyTheory));

    const shares = await shareBalance(env, vault, a.user.account.address);
    const red = await inNextBlock(env, () => redeemUsdt(env, vault, a.user, shares));
    const sellLegs = legsFromReceipt(red.receipt, tokens, false, env.market.usdt);
    const sellTheory = await Promise.all(sellLegs.map((leg) => routeTheory(env, leg, red.before)));
    rows.push(...slippageDetails(usd, sellLegs, sellTheory));
    await revert();
  }
  return rows;
}

/** The vault's constituents as BenchTokens (reads `constituent(i)`), for vaults created elsewhere. */
export async function vaultTokens(env: BenchEnv, vault: Address): Promise<BenchToken[]> {
  const n = await env.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "constituentCount" });
  const out: BenchToken[] = [];
  for (let i = 0n; i < n; i++) {
    const info = await env.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "constituent", args: [i] });
    const known = env.market.constituents.find((c) => c.address === info.token);
    if (known === undefined) throw new Error(`vault constituent ${info.token} is not in the market`);
    out.push(known);
  }
  return out;
}
