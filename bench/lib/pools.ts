// Reads a Uniswap V3 pool's state from a node (at one block) for the swap maths in v3math.ts, and cross-checks a
// theoretical output against QuoterV2.
import type { Address, PublicClient } from "viem";
import { quoterV2Abi, uniswapV3PoolAbi } from "../../sdk/generated/abis";
import { simulateExactInput, spotOutput, type PoolStateReader, type SwapTheory } from "./v3math";

export interface PoolSnapshot extends PoolStateReader {
  address: Address;
  token0: Address;
  token1: Address;
  blockNumber: bigint;
}

/** The pool's state at `blockNumber` (default latest); tick data is read lazily at the same block and cached. */
export async function readPool(client: PublicClient, address: Address, blockNumber?: bigint): Promise<PoolSnapshot> {
  const block = blockNumber ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const read = <F extends "slot0" | "liquidity" | "fee" | "tickSpacing" | "token0" | "token1">(functionName: F) =>
    client.readContract({ address, abi: uniswapV3PoolAbi, functionName, blockNumber: block } as never);
  const [slot0, liquidity, fee, tickSpacing, token0, token1] = (await Promise.all([
    read("slot0"),
    read("liquidity"),
    read("fee"),
    read("tickSpacing"),
    read("token0"),
    read("token1"),
  ])) as [readonly [bigint, number, ...unknown[]], bigint, number, number, Address, Address];
  const words = new Map<number, bigint>();
  const nets = new Map<number, bigint>();
  return {
    address,
    token0,
    token1,
    blockNumber: block,
    sqrtPriceX96: slot0[0],
    tick: Number(slot0[1]),
    liquidity,
    fee: Number(fee),
    tickSpacing: Number(tickSpacing),
    async bitmapWord(wordPos) {
      let word = words.get(wordPos);
      if (word === undefined) {
        word = (await client.readContract({
          address,
          abi: uniswapV3PoolAbi,
          functionName: "tickBitmap",
          args: [wordPos],
          blockNumber: block,
        })) as bigint;
        words.set(wordPos, word);
      }
      return word;
    },
    async liquidityNet(tick) {
      let net = nets.get(tick);
      if (net === undefined) {
        const info = (await client.readContract({
          address,
          abi: uniswapV3PoolAbi,
          functionName: "ticks",
          args: [tick],
          blockNumber: block,
        })) as readonly [bigint, bigint, ...unknown[]];
        net = info[1];
        nets.set(tick, net);
      }
      return net;
    },
  };
}

export interface LegTheory extends SwapTheory {
  /** {tokOut units} At the mid price, no fee, no impact. */
  spotOut: bigint;
  zeroForOne: boolean;
}

/** Theory for swapping `amountIn` of `tokenIn` on the pool as it was at `blockNumber`. */
export async function theoryForLeg(
  client: PublicClient,
  pool: Address,
  tokenIn: Address,
  amountIn: bigint,
  blockNumber?: bigint,
): Promise<LegTheory> {
  const state = await readPool(client, pool, blockNumber);
  const zeroForOne = state.token0.toLowerCase() === tokenIn.toLowerCase();
  if (!zeroForOne && state.token1.toLowerCase() !== tokenIn.toLowerCase()) throw new Error(`${tokenIn} not in pool ${pool}`);
  const theory = await simulateExactInput(state, zeroForOne, amountIn);
  return { ...theory, spotOut: spotOutput(state.sqrtPriceX96, zeroForOne, amountIn), zeroForOne };
}

/** QuoterV2's answer for the same single-hop swap at `blockNumber` (a cross-check of the theory, never the theory). */
export async function quoteSingle(
  client: PublicClient,
  quoter: Address,
  tokenIn: Address,
  tokenOut: Address,
  fee: number,
  amountIn: bigint,
  blockNumber?: bigint,
): Promise<bigint> {
  const { result } = await client.simulateContract({
    address: quoter,
    abi: quoterV2Abi,
    functionName: "quoteExactInputSingle",
    args: [{ tokenIn, tokenOut, fee, amountIn, sqrtPriceLimitX96: 0n }],
    blockNumber,
  } as never);
  return (result as readonly [bigint, ...unknown[]])[0];
}
