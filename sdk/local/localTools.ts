// Local-chain maintenance (anvil only): keep the mock Chainlink feeds fresh, move a token's market (pool and feed
// together, or either alone to simulate an oracle or arbitrage lag), warp time, mint tokens. Used by
// `npm run chain` (its feed keeper) and the CLI's local tools (cli/localTools.ts).
import { getAddress, type Address } from "viem";
import { rpcRequest } from "./anvil";
import type { LocalChain } from "./localChain";

/** How a price move is applied: as an arbitrageur would (both), or only one side (a lagging oracle or pool). */
export type MoveMode = "both" | "feed-only" | "pool-only";

/** The local-market token named `symbolOrAddress` (symbol case-insensitive, or address): USDT or a constituent. */
export function localToken(chain: LocalChain, symbolOrAddress: string): { address: Address; symbol: string; decimals: number } {
  const m = chain.market;
  const all = [{ address: m.usdt, symbol: "USDT", decimals: 6 }, ...m.constituents.map((c) => ({ address: c.address, symbol: c.symbol, decimals: c.decimals }))];
  const wanted = symbolOrAddress.toLowerCase();
  const found = all.find((t) => t.symbol.toLowerCase() === wanted || t.address.toLowerCase() === wanted);
  if (found === undefined) throw new Error(`no local-market token "${symbolOrAddress}": use one of ${all.map((t) => t.symbol).join(", ")}`);
  return { ...found, address: getAddress(found.address) };
}

/** Every feed of the local market with the token it prices. */
function feeds(chain: LocalChain): { symbol: string; feed: Address }[] {
  return [{ symbol: "USDT", feed: chain.market.usdtFeed }, ...chain.market.constituents.map((c) => ({ symbol: c.symbol, feed: c.feed }))];
}

async function confirm(chain: LocalChain, hash: `0x${string}`): Promise<bigint> {
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt.blockNumber;
}

/**
 * Re-posts every feed's current answer, so each reads as updated now. Returns one row per feed with its age {s}
 * when it was re-posted: the time between its previous update and the block that carries the new one. Measured at
 * that block, not before the batch, so a clock warp that lands while the batch is being posted still shows.
 */
export async function refreshFeeds(chain: LocalChain): Promise<{ symbol: string; feed: Address; answer: bigint; ageBefore: bigint }[]> {
  const rows: { symbol: string; feed: Address; answer: bigint; ageBefore: bigint }[] = [];
  for (const { symbol, feed } of feeds(chain)) {
    const contract = chain.contracts.feedOf(symbol === "USDT" ? chain.market.usdt : localToken(chain, symbol).address);
    const [, answer, , updatedAt] = await contract.read.latestRoundData();
    const blockNumber = await confirm(chain, await contract.write.setPrice([answer]));
    const postedAt = (await chain.publicClient.getBlock({ blockNumber })).timestamp;
    rows.push({ symbol, feed, answer, ageBefore: postedAt > updatedAt ? postedAt - updatedAt : 0n });
  }
  return rows;
}

/** The oldest feed's age {s} at the latest block. */
export async function oldestFeedAge(chain: LocalChain): Promise<bigint> {
  const now = (await chain.publicClient.getBlock()).timestamp;
  let oldest = 0n;
  for (const { feed } of feeds(chain)) {
    const [, , , updatedAt] = await chain.publicClient.readContract({ address: feed, abi: chain.contracts.usdtFeed.abi, functionName: "latestRoundData" });
    if (now - updatedAt > oldest) oldest = now - updatedAt;
  }
  return oldest;
}

/**
 * Moves `token`'s USD price by `pct` percent (e.g. 10 or -5.5). "both": the feed and every pool holding the token
 * (PriceMover.moveMarket); "feed-only": the Chainlink answer alone (pools lag); "pool-only": the pools alone, to the
 * price the feeds would imply after the move (the oracle lags).
 */
export async function movePrice(
  chain: LocalChain,
  token: string,
  pct: number,
  mode: MoveMode = "both",
): Promise<{ symbol: string; before: bigint; after: bigint; pools: Address[] }> {
  if (!Number.isFinite(pct) || pct <= -100) throw new Error(`price move must be a number above -100 (%), got ${pct}`);
  const t = localToken(chain, token);
  if (t.address === chain.market.usdt) throw new Error("USDT is the unit of account here: move the other tokens instead");
  const feed = chain.contracts.feedOf(t.address);
  const [, before] = await feed.read.latestRoundData();
  const after = (before * BigInt(Math.round((100 + pct) * 10_000))) / 1_000_000n;
  if (after <= 0n) throw new Error(`price move of ${pct} % leaves no price`);
  const mover = chain.contracts.priceMover;
  const pools = [...(await mover.read.poolsOf([t.address]))];
  if (mode === "both") {
    await chain.setMarketPrice(t.address, after);
  } else if (mode === "feed-only") {
    await confirm(chain, await feed.write.setPrice([after]));
  } else {
    for (const pool of pools) {
      const p = chain.contracts.pool(pool);
      const [token0, token1] = [getAddress(await p.read.token0()), getAddress(await p.read.token1())];
      const price = async (a: Address): Promise<{ price: bigint; decimals: number }> => {
        const decimals = a === chain.market.usdt ? 6 : localToken(chain, a).decimals;
        if (a === t.address) return { price: after, decimals };
        const [, answer] = await chain.contracts.feedOf(a).read.latestRoundData();
        return { price: answer, decimals };
      };
      const [p0, p1] = [await price(token0), await price(token1)];
      const sqrt = await mover.read.sqrtPriceX96FromPrices([p0.price, p0.decimals, p1.price, p1.decimals]);
      const estimate = await mover.estimateGas.movePool([pool, sqrt], { account: chain.market.owner });
      await confirm(chain, await mover.write.movePool([pool, sqrt], { gas: (estimate * 3n) / 2n }));
    }
  }
  return { symbol: t.symbol, before, after, pools };
}

/** Advances the chain's clock by `seconds` and mines a block; returns the new block timestamp. */
export async function warpTime(chain: LocalChain, seconds: number): Promise<bigint> {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`time warp needs a whole number of seconds above 0, got ${seconds}`);
  await chain.testClient.increaseTime({ seconds });
  await chain.testClient.mine({ blocks: 1 });
  return (await chain.publicClient.getBlock()).timestamp;
}

/** Whether the node is a local development node (anvil or hardhat), where cheat methods exist. */
export async function isDevNode(rpcUrl: string): Promise<boolean> {
  const version = await rpcRequest<string>(rpcUrl, "web3_clientVersion").catch(() => "");
  return /anvil|hardhat/i.test(version);
}

