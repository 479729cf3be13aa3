// bench/lib/warmup.ts on the local chain: the fresh market's pools have a zero fee-growth counter (no one sold into
// them), the bench refuses to measure on them, the warm-up trades every route pool both ways (both counters non-zero
// afterwards), and a sale into a warmed pool no longer pays the counter's first write; a fork is left as found.
import { maxUint256 } from "viem";
import { describe, expect, it } from "vitest";
import { swapRouterAbi } from "../../sdk/generated/abis";
import { useLocalChain } from "../../sdk/local/testing";
import { confirm, snapshot, type BenchEnv } from "./env";
import { benchEnvOf } from "./localEnv";
import { measureSize } from "./suite";
import { approveToken, deployProtocol, FAR_DEADLINE } from "./vault";
import { assertPoolsTraded, feeGrowth, FORK_WARMUP_SKIP, routePools, tradePoolsBothWays, untradedPools } from "./warmup";

const local = useLocalChain();

describe("bench pool warm-up", () => {
  it("test_tradePoolsBothWays_fork_skipsWithoutTouchingTheChain", async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error("the fork warm-up touched the chain"); } });
    const env = { mode: "fork", publicClient: untouchable, testClient: untouchable, wallets: [], market: { constituents: [] } } as unknown as BenchEnv;
    const w = await tradePoolsBothWays(env, []);
    expect(w.status).toBe("skipped");
    expect(w.pools).toEqual([]);
    expect(w.note).toContain(FORK_WARMUP_SKIP);
  });

  it("test_tradePoolsBothWays_local_everyCounterNonZero_andASaleSkipsTheFirstWrite", async () => {
    const env = benchEnvOf(local.chain);
    const tokens = env.market.constituents.slice(0, 12); // 10 single-hop routes, [11] two hops through WETH
    const pools = routePools(tokens);
    expect(pools.length).toBe(12); // YFI's first hop is WETH's USDT pool: shared, listed once
    // Fresh market: no pool has been traded both ways, and the bench will not measure on it.
    expect(await untradedPools(env, tokens)).toEqual(pools.map((p) => p.pool));
    const protocol = await deployProtocol(env);
    await expect(measureSize(env, protocol, tokens.slice(0, 1))).rejects.toThrow(/never traded both ways/);

    // A $1,000 sale of WBTC (1/60 WBTC at $60,000) into its USDT pool, before and after the warm-up, from the same pre-state of the seller.
    const seller = env.wallets[3]!;
    const wbtc = tokens[1]!;
    const amountIn = 10n ** BigInt(wbtc.decimals) / 60n;
    await env.fund(wbtc.address, seller.account.address, amountIn * 2n);
    await approveToken(env, seller, wbtc.address, env.market.swapRouter, maxUint256);
    const sell = async (): Promise<bigint> => {
      const hash = await seller.writeContract({
        address: env.market.swapRouter,
        abi: swapRouterAbi,
        functionName: "exactInputSingle",
        args: [{ tokenIn: wbtc.address, tokenOut: env.market.usdt, fee: wbtc.buyRouteFees[0]!, recipient: seller.account.address, deadline: FAR_DEADLINE, amountIn, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }],
        gas: 1_000_000n,
      });
      return (await confirm(env, hash)).gasUsed;
    };
    const revert = await snapshot(env);
    const coldSale = await sell();
    await revert();

    const w = await tradePoolsBothWays(env, tokens);
    expect(w.status).toBe("traded");
    expect(w.pools).toEqual(pools.map((p) => p.pool));
    expect(w.note).toMatch(/traded both ways/);
    for (const p of pools) {
      const g = await feeGrowth(env, p.pool);
      expect(g.global0, `${p.pool} feeGrowthGlobal0X128`).toBeGreaterThan(0n);
      expect(g.global1, `${p.pool} feeGrowthGlobal1X128`).toBeGreaterThan(0n);
    }
    await expect(assertPoolsTraded(env, tokens)).resolves.toBeUndefined();
    // The seller's own balances were untouched by the warm-up (its own wallet traded).
    const warmSale = await sell();
    // A zero-to-non-zero SSTORE costs 17,100 more than a non-zero-to-non-zero one.
    expect(Number(coldSale - warmSale)).toBeGreaterThanOrEqual(16_000);
    expect(Number(coldSale - warmSale)).toBeLessThanOrEqual(18_500);
  }, 180_000);
});
