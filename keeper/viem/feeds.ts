/**
 * Chainlink reads. The AggregatorV3 functions (`latestRoundData`, `decimals`) are taken from the
 * generated ABI of our mock aggregator, which implements exactly that interface.
 */
import type { Address, PublicClient } from "viem";
import { mockAggregatorAbi } from "../../sdk/generated/abis.js";
import { pow10 } from "../units.js";
import { guardRpc } from "./errors.js";

/** The AggregatorV3Interface subset the keeper reads. */
export const aggregatorV3Abi = mockAggregatorAbi.filter(
  (item) => item.type === "function" && (item.name === "latestRoundData" || item.name === "decimals"),
);

export interface FeedReading {
  readonly feed: Address;
  /** D{decimals}{USD/tok} raw answer (may be ≤ 0 on a broken feed). */
  readonly answer: bigint;
  readonly decimals: number;
  /** {s} */
  readonly updatedAt: bigint;
  /** D18{USD/tok}; 0 when the answer is not positive. */
  readonly priceD18: bigint;
}

/** Scale a feed answer to D18 (answers ≤ 0 map to 0, which the strategy refuses). */
export function toD18(answer: bigint, decimals: number): bigint {
  if (answer <= 0n) return 0n;
  return decimals <= 18 ? answer * pow10(18 - decimals) : answer / pow10(decimals - 18);
}

/** {s} age of a reading at `timestamp`, 0 for a future timestamp. */
export function ageSeconds(updatedAt: bigint, timestamp: bigint): number {
  return updatedAt >= timestamp ? 0 : Number(timestamp - updatedAt);
}

/** Read one feed at `blockNumber` (JSON-RPC batching groups the two calls). */
export async function readFeed(client: PublicClient, feed: Address, blockNumber?: bigint): Promise<FeedReading> {
  const at = blockNumber !== undefined ? { blockNumber } : {};
  const [round, decimals] = await guardRpc(`read feed ${feed}`, () =>
    Promise.all([
      client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: "latestRoundData", ...at }),
      client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: "decimals", ...at }),
    ]),
  );
  const [, answer, , updatedAt] = round;
  return { feed, answer, decimals, updatedAt, priceD18: toD18(answer, decimals) };
}
