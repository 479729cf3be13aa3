// Chainlink reads: one feed, or every feed of a vault named by its token, with its age and whether it is stale
// (older than the heartbeat the vault accepts).
import { erc20Abi, type Address, type PublicClient } from "viem";
import { aggregatorV3Abi, vaultAbi } from "./abis";
import { pow10 } from "./math";

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

/** A vault's feed, named by the token it prices, with its age at the read block. */
export interface NamedFeed extends FeedReading {
  /** The priced token's symbol ("USDT" for the vault's asset). */
  readonly token: string;
  readonly tokenAddress: Address;
  /** {s} the longest age the vault accepts. */
  readonly heartbeat: number;
  /** {s} age at the read block (0 for a future timestamp). */
  readonly ageSeconds: number;
  /** Older than its heartbeat, or no positive answer: the vault refuses USDT paths. */
  readonly stale: boolean;
}

/** Scale a feed answer to D18 (answers ≤ 0 map to 0). */
export function toD18(answer: bigint, decimals: number): bigint {
  if (answer <= 0n) return 0n;
  return decimals <= 18 ? answer * pow10(18 - decimals) : answer / pow10(decimals - 18);
}

/** {s} age of a reading at `timestamp`, 0 for a future timestamp. */
export function ageSeconds(updatedAt: bigint, timestamp: bigint): number {
  return updatedAt >= timestamp ? 0 : Number(timestamp - updatedAt);
}

/** Reads one feed at `blockNumber` (latest when omitted); JSON-RPC batching groups the two calls. */
export async function readFeed(client: PublicClient, feed: Address, blockNumber?: bigint): Promise<FeedReading> {
  const at = blockNumber !== undefined ? { blockNumber } : {};
  const [round, decimals] = await Promise.all([
    client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: "latestRoundData", ...at }),
    client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: "decimals", ...at }),
  ]);
  const [, answer, , updatedAt] = round;
  return { feed, answer, decimals, updatedAt, priceD18: toD18(answer, decimals) };
}

/** Names a reading by its token and judges its age against `heartbeat` at `timestamp`. */
export function nameFeed(reading: FeedReading, token: string, tokenAddress: Address, heartbeat: number, timestamp: bigint): NamedFeed {
  const age = ageSeconds(reading.updatedAt, timestamp);
  return { ...reading, token, tokenAddress, heartbeat, ageSeconds: age, stale: reading.answer <= 0n || age > heartbeat };
}

/** Every feed of `vault` (USDT's first, then each constituent's), named by token, at one block. */
export async function readVaultFeeds(client: PublicClient, vault: Address, blockNumber?: bigint): Promise<NamedFeed[]> {
  const block = await client.getBlock(blockNumber !== undefined ? { blockNumber } : {});
  const at = { blockNumber: block.number };
  const v = { address: vault, abi: vaultAbi, ...at } as const;
  const [config, asset, count] = await Promise.all([
    client.readContract({ ...v, functionName: "config" }),
    client.readContract({ ...v, functionName: "asset" }),
    client.readContract({ ...v, functionName: "constituentCount" }),
  ]);
  const infos = await Promise.all(Array.from({ length: Number(count) }, (_, i) => client.readContract({ ...v, functionName: "constituent", args: [BigInt(i)] })));
  const priced = [{ token: asset, feed: config.usdtFeed, heartbeat: config.usdtHeartbeat }, ...infos.map((c) => ({ token: c.token, feed: c.feed, heartbeat: c.heartbeat }))];
  return Promise.all(
    priced.map(async (p) => {
      const [reading, symbol] = await Promise.all([
        readFeed(client, p.feed, block.number),
        client.readContract({ address: p.token, abi: erc20Abi, functionName: "symbol", ...at }).catch(() => p.token as string),
      ]);
      return nameFeed(reading, symbol, p.token, Number(p.heartbeat), block.timestamp);
    }),
  );
}

/** "unknown (feed for WBTC stale since 2026-01-01T00:00:00.000Z)" style text for the stale feeds, or undefined. */
export function staleFeedsText(feeds: readonly NamedFeed[]): string | undefined {
  const stale = feeds.filter((f) => f.stale);
  if (stale.length === 0) return undefined;
  return stale
    .map((f) =>
      f.answer <= 0n
        ? `feed for ${f.token} answers ${f.answer}`
        : `feed for ${f.token} stale since ${new Date((Number(f.updatedAt) + f.heartbeat) * 1000).toISOString()} (updated ${new Date(Number(f.updatedAt) * 1000).toISOString()}, heartbeat ${f.heartbeat} s)`,
    )
    .join("; ");
}
