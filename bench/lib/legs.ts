// The legs of a vault transaction (one per constituent: its route's Uniswap V3 swaps, read from the pools' Swap
// events) and the same legs executed directly through Uniswap's SwapRouter in one multicall transaction.
import {
  encodeFunctionData,
  getAddress,
  parseEventLogs,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { swapRouterAbi, uniswapV3PoolAbi } from "../../sdk/generated/abis";
import { encodePath } from "../../sdk/client/routes";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import { confirm, type BenchEnv, type BenchToken } from "./env";
import { FAR_DEADLINE } from "./vault";

export interface Leg {
  token: BenchToken;
  /** true: USDT → token (deposit); false: token → USDT (redeem). */
  buy: boolean;
  /** {tokIn units} Input of the route's first hop. */
  amountIn: bigint;
  /** {tokOut units} Output of the route's last hop. */
  amountOut: bigint;
  /** Pools in the order they were swapped. */
  pools: Address[];
  /** Block of the transaction: pool states before it are at blockNumber − 1. */
  blockNumber: bigint;
}

/** Per-constituent legs of a vault deposit (buy) or redeem (sell), from the pools' Swap events. */
export function legsFromReceipt(receipt: TransactionReceipt, tokens: readonly BenchToken[], buy: boolean, usdt: Address): Leg[] {
  const swaps = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Swap", logs: receipt.logs });
  const legs: Leg[] = [];
  for (const token of tokens) {
    const hops = buy ? [...token.pools] : [...token.pools].reverse();
    const routeTokens = buy ? [...token.buyRouteTokens] : [...token.buyRouteTokens].reverse();
    const events = hops.map((pool) => swaps.find((s) => getAddress(s.address) === getAddress(pool)));
    if (events.some((e) => e === undefined)) continue; // zero leg: skipped by the vault
    const first = events[0]!;
    const last = events[events.length - 1]!;
    // amount0/amount1 are the pool's deltas: positive = paid in, negative = paid out.
    const firstIn = first.args.amount0 > 0n ? first.args.amount0 : first.args.amount1;
    const lastOut = last.args.amount0 < 0n ? -last.args.amount0 : -last.args.amount1;
    if (routeTokens[0] !== (buy ? usdt : token.address)) throw new Error("route orientation");
    legs.push({ token, buy, amountIn: firstIn, amountOut: lastOut, pools: hops, blockNumber: receipt.blockNumber });
  }
  return legs;
}

/** Encoded SwapRouter call for one leg, exact input, output to `recipient`. */
export function routerCallForLeg(leg: Leg, recipient: Address): Hex {
  const t = leg.token;
  const path = leg.buy ? [...t.buyRouteTokens] : [...t.buyRouteTokens].reverse();
  const fees = leg.buy ? [...t.buyRouteFees] : [...t.buyRouteFees].reverse();
  if (fees.length === 1) {
    return encodeFunctionData({
      abi: swapRouterAbi,
      functionName: "exactInputSingle",
      args: [
        {
          tokenIn: path[0]!,
          tokenOut: path[1]!,
          fee: fees[0]!,
          recipient,
          deadline: FAR_DEADLINE,
          amountIn: leg.amountIn,
          amountOutMinimum: 0n,
          sqrtPriceLimitX96: 0n,
        },
      ],
    });
  }
  return encodeFunctionData({
    abi: swapRouterAbi,
    functionName: "exactInput",
    args: [{ path: encodePath({ tokens: path, fees }), recipient, deadline: FAR_DEADLINE, amountIn: leg.amountIn, amountOutMinimum: 0n }],
  });
}

/** Executes `legs` through SwapRouter.multicall in ONE transaction from `trader` (who holds and approved the inputs). */
export async function executeLegsThroughRouter(env: BenchEnv, trader: LocalWalletClient, legs: readonly Leg[]): Promise<TransactionReceipt> {
  const calls = legs.map((leg) => routerCallForLeg(leg, trader.account.address));
  const hash = await trader.writeContract({
    address: env.market.swapRouter,
    abi: swapRouterAbi,
    functionName: "multicall",
    args: [calls],
    gas: 15_000_000n,
  });
  return confirm(env, hash);
}
