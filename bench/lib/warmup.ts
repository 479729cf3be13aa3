// Pools traded both ways before anything is measured. A Uniswap V3 pool keeps one fee-growth counter per token
// (feeGrowthGlobal0X128 / feeGrowthGlobal1X128), written by every swap that pays its fee in that token. The local
// market's pools are fresh: no one has ever sold a constituent into them, so the first sale (the bench's first USDT
// redeem) would pay the zero-to-non-zero write of that counter (20,000 instead of 2,900 gas: ~17,100 per pool), which
// no live mainnet pool charges. The bench therefore trades every pool it measures on once in each direction through
// Uniswap's SwapRouter (a small exact-input swap each way, by a wallet of its own), as the forge gas tests do
// (`_tradeEveryPoolBothWays` in test/unit/IndexVault.Gas.t.sol), and refuses to measure on a pool that was not.
// On a mainnet fork nothing is traded: the pinned block's pools have been bought from and sold into for years.
import { createWalletClient, erc20Abi, getAddress, http, keccak256, maxUint256, toHex, encodeFunctionData, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readFeed } from "../../sdk/client/feeds";
import { swapRouterAbi, uniswapV3PoolAbi } from "../../sdk/generated/abis";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import { confirm, type BenchEnv, type BenchToken } from "./env";
import { approveToken, FAR_DEADLINE } from "./vault";

/** {USD} value of each warm-up swap (one per direction per pool). */
export const WARMUP_USD = 10n;

/** Why a mainnet fork is measured as it is. */
export const FORK_WARMUP_SKIP =
  "on a mainnet fork the pinned block's pools have long been traded both ways, so both fee-growth counters of each are already non-zero, as a user finds them";

/** One pool on a constituent's route, with the two tokens it swaps and its fee tier. */
export interface RoutePool {
  pool: Address;
  tokenA: Address;
  tokenB: Address;
  /** {hundredths of a bip} */
  fee: number;
}

export interface PoolWarmup {
  status: "traded" | "skipped";
  /** The pools traded both ways (empty when skipped). */
  pools: Address[];
  /** One sentence for the printed method and the summary. */
  note: string;
}

/** Every distinct pool on the buy routes of `tokens`, in route order (a pool shared by two routes appears once). */
export function routePools(tokens: readonly BenchToken[]): RoutePool[] {
  const out = new Map<Address, RoutePool>();
  for (const t of tokens) {
    t.pools.forEach((pool, h) => {
      const key = getAddress(pool);
      if (!out.has(key)) out.set(key, { pool: key, tokenA: t.buyRouteTokens[h]!, tokenB: t.buyRouteTokens[h + 1]!, fee: t.buyRouteFees[h]! });
    });
  }
  return [...out.values()];
}

/** Both fee-growth counters of `pool` (Q128 fees per unit of liquidity). */
export async function feeGrowth(env: Pick<BenchEnv, "publicClient">, pool: Address): Promise<{ global0: bigint; global1: bigint }> {
  const read = (functionName: "feeGrowthGlobal0X128" | "feeGrowthGlobal1X128") =>
    env.publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName });
  const [global0, global1] = await Promise.all([read("feeGrowthGlobal0X128"), read("feeGrowthGlobal1X128")]);
  return { global0, global1 };
}

/** The pools on the routes of `tokens` that have not been traded both ways (a fee-growth counter still zero). */
export async function untradedPools(env: Pick<BenchEnv, "publicClient">, tokens: readonly BenchToken[]): Promise<Address[]> {
  const pools = routePools(tokens).map((p) => p.pool);
  const growth = await Promise.all(pools.map((pool) => feeGrowth(env, pool)));
  return pools.filter((_, i) => growth[i]!.global0 === 0n || growth[i]!.global1 === 0n);
}

/**
 * Throws on the local chain when a pool the measurement will swap on has not been traded both ways (its first sale would
 * pay a write no mainnet pool charges); does nothing on a fork.
 */
export async function assertPoolsTraded(env: BenchEnv, tokens: readonly BenchToken[]): Promise<void> {
  if (env.mode !== "local") return;
  const cold = await untradedPools(env, tokens);
  if (cold.length > 0) {
    throw new Error(`bench: pool(s) ${cold.join(", ")} never traded both ways: call tradePoolsBothWays(env, tokens) before measuring`);
  }
}

/** {tok units} `usd` worth of `token` at its Chainlink price (USDT or a market constituent). */
async function usdWorth(env: BenchEnv, token: Address, usd: bigint): Promise<bigint> {
  const key = getAddress(token);
  const feed = key === getAddress(env.market.usdt) ? env.market.usdtFeed : env.market.constituents.find((c) => getAddress(c.address) === key)?.feed;
  if (feed === undefined) throw new Error(`bench warm-up: no feed for ${token}`);
  const [reading, decimals] = await Promise.all([
    readFeed(env.publicClient, feed),
    env.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
  ]);
  if (reading.answer <= 0n) throw new Error(`bench warm-up: feed ${feed} has no positive answer`);
  return (usd * 10n ** BigInt(decimals) * 10n ** BigInt(reading.decimals)) / reading.answer;
}

/** The warm-up's own wallet (deterministic, funded with ETH through anvil), so no benchmark actor's state moves. */
async function warmupWallet(env: BenchEnv): Promise<LocalWalletClient> {
  const account = privateKeyToAccount(keccak256(toHex("bench-pool-warmup")));
  await env.testClient.setBalance({ address: account.address, value: 10n ** 20n });
  const chain = env.publicClient.chain;
  const url = chain.rpcUrls.default.http[0]!;
  return createWalletClient({ account, chain, transport: http(url), pollingInterval: env.publicClient.pollingInterval }) as unknown as LocalWalletClient;
}

/**
 * On the local chain: swaps $10 through every pool on the routes of `tokens` in each direction (exact input through
 * SwapRouter, all in one `multicall` by the warm-up wallet), then checks both fee-growth counters of every pool are
 * non-zero. On a fork: nothing (see FORK_WARMUP_SKIP).
 */
export async function tradePoolsBothWays(env: BenchEnv, tokens: readonly BenchToken[]): Promise<PoolWarmup> {
  if (env.mode !== "local") return { status: "skipped", pools: [], note: `No warm-up trade: ${FORK_WARMUP_SKIP}.` };
  const hops = routePools(tokens);
  const trader = await warmupWallet(env);
  const me = trader.account.address;
  // Inputs: per pool, $10 of tokenA (A → B) and $10 of tokenB (B → A), funded and approved up front.
  const need = new Map<Address, bigint>();
  const calls: Hex[] = [];
  for (const h of hops) {
    for (const [tokenIn, tokenOut] of [[h.tokenA, h.tokenB], [h.tokenB, h.tokenA]] as const) {
      const amountIn = await usdWorth(env, tokenIn, WARMUP_USD);
      need.set(getAddress(tokenIn), (need.get(getAddress(tokenIn)) ?? 0n) + amountIn);
      calls.push(
        encodeFunctionData({
          abi: swapRouterAbi,
          functionName: "exactInputSingle",
          args: [{ tokenIn, tokenOut, fee: h.fee, recipient: me, deadline: FAR_DEADLINE, amountIn, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }],
        }),
      );
    }
  }
  for (const [token, amount] of need) {
    await env.fund(token, me, amount);
    await approveToken(env, trader, token, env.market.swapRouter, maxUint256);
  }
  await confirm(env, await trader.writeContract({ address: env.market.swapRouter, abi: swapRouterAbi, functionName: "multicall", args: [calls], gas: 15_000_000n }));
  const cold = await untradedPools(env, tokens);
  if (cold.length > 0) throw new Error(`bench warm-up: pool(s) ${cold.join(", ")} still have a zero fee-growth counter`);
  return {
    status: "traded",
    pools: hops.map((h) => h.pool),
    note:
      `Before any measured transaction, each of the ${hops.length} local pools on the measured routes was traded both ways ` +
      `($${WARMUP_USD} exact-input swap each direction through SwapRouter), so both of its fee-growth counters are non-zero as on any live ` +
      "mainnet pool: no measured sale pays the first write of a counter (~17,100 gas per pool).",
  };
}
