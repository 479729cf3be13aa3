// A BenchEnv on a fresh local anvil holding the fixture's market (sdk/local/localChain.ts): real Uniswap V3 from the npm
// artifacts, mock tokens and Chainlink-style feeds, deployed by script/DeployLocalMarket.s.sol.
import { startLocalChain, type LocalChain } from "../../sdk/local/localChain";
import type { BenchEnv, BenchMarket } from "./env";

/** anvil arguments for benchmarks: a pinned hardfork so gas does not move with anvil's default. */
export const BENCH_HARDFORK = "prague";

export function marketOf(chain: LocalChain): BenchMarket {
  const m = chain.market;
  return {
    usdt: m.usdt,
    usdtFeed: m.usdtFeed,
    usdtHeartbeat: m.usdtHeartbeat,
    uniswapFactory: m.uniswapFactory,
    swapRouter: m.swapRouter,
    quoterV2: m.quoterV2,
    constituents: m.constituents.map((c) => ({
      symbol: c.symbol,
      address: c.address,
      decimals: c.decimals,
      feed: c.feed,
      heartbeat: c.heartbeat,
      buyRouteTokens: c.buyRouteTokens,
      buyRouteFees: c.buyRouteFees,
      pools: c.pools,
    })),
  };
}

/** Wraps an already running local chain (e.g. a vitest suite's) as a BenchEnv. */
export function benchEnvOf(chain: LocalChain, description = `local anvil ${chain.rpcUrl}`): BenchEnv {
  return {
    mode: "local",
    description,
    publicClient: chain.publicClient,
    testClient: chain.testClient,
    wallets: chain.walletClients,
    market: marketOf(chain),
    fund: (token, to, amount) => chain.mintTo(token, to, amount),
    setMarketPrice: (token, priceUsd8) => chain.setMarketPrice(token, priceUsd8),
    stop: () => chain.stop(),
  };
}

/** Spawns anvil on a free port, deploys the local market and returns it as a BenchEnv (and the chain). */
export async function startLocalBenchEnv(): Promise<{ env: BenchEnv; chain: LocalChain }> {
  // --steps-tracing: struct-log traces (debug_traceTransaction without a tracer) for the opcode profile.
  const chain = await startLocalChain({ anvilArgs: ["--hardfork", BENCH_HARDFORK, "--steps-tracing"] });
  // Every block exactly 1 s after the previous one: each transaction accrues the management fee (as any real
  // interaction would), so gas does not depend on how many transactions anvil packed into a wall-clock second.
  await chain.testClient.setBlockTimestampInterval({ interval: 1 });
  return { env: benchEnvOf(chain, `fresh local anvil (hardfork ${BENCH_HARDFORK}), local market from script/DeployLocalMarket.s.sol`), chain };
}
