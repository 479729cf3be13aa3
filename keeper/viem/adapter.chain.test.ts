/**
 * The real adapter and binding against a real IndexVault on the local chain (real Uniswap V3,
 * mock Chainlink feeds): vault discovery through the factory, one-block snapshots, drift after a
 * market move, quotes along the vault's routes, a stale feed, and the loop in dry-run.
 */
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { mockAggregatorAbi } from "../../sdk/generated/abis.js";
import { devAccounts, privateKeyOf } from "../../sdk/local/accounts.js";
import { useLocalChain } from "../../sdk/local/testing.js";
import { parseConfig, strategyParamsFor } from "../config.js";
import { createLogger } from "../logger.js";
import { KeeperLoop } from "../loop.js";
import { KeeperMetrics } from "../metrics.js";
import { REASONS, decide } from "../strategy.js";
import { deployVault, depositUsdt } from "../testing/deployVault.js";
import { createViemAdapterWith, type ViemAdapter } from "./adapter.js";
import { createIndexVaultBinding } from "./indexVaultBinding.js";

const local = useLocalChain();
const keeperAccount = devAccounts()[1]!;
let vault: Address;
let adapter: ViemAdapter;
let config: ReturnType<typeof parseConfig>;
const logger = createLogger({ level: "silent" });

beforeAll(async () => {
  const chain = local.chain;
  const deployed = await deployVault(chain, { constituents: 3, keeper: keeperAccount.address });
  vault = deployed.vault;
  await depositUsdt(chain, vault, 100_000n * 10n ** 6n);
  config = parseConfig(
    {
      chainId: chain.market.chainId,
      rpcUrl: chain.rpcUrl,
      factory: deployed.factory,
      quoterV2: chain.market.quoterV2,
      ethUsdFeed: chain.market.constituents[0]!.feed, // WETH/USD
      gasPriceCapGwei: 100,
      strategy: { thresholdBps: 300 },
    },
    { KEEPER_PRIVATE_KEY: privateKeyOf(keeperAccount) },
    { dryRun: true },
  );
  adapter = await createViemAdapterWith(config, logger, { binding: createIndexVaultBinding(), pollingIntervalMs: 25 });
}, 120_000);

describe("ViemAdapter on an IndexVault", () => {
  it("test_listVaults_discoversTheFactorysVaults", async () => {
    expect(await adapter.listVaults()).toEqual([vault]);
  });

  it("test_readSnapshot_readsABalancedFreshVault", async () => {
    const s = await adapter.readSnapshot(vault);
    const market = local.chain.market;
    expect(s.constituents.map((c) => c.token)).toEqual(market.constituents.slice(0, 3).map((c) => c.address));
    expect(s.constituents.reduce((a, c) => a + c.targetBps, 0)).toBe(10_000);
    expect(s.asset.token).toBe(market.usdt);
    expect(s.constituents.every((c) => c.priceAgeSeconds <= c.heartbeatSeconds)).toBe(true);
    // $100k deposited, bought at close to oracle prices.
    expect(s.navD18).toBeGreaterThan(97_000n * 10n ** 18n);
    expect(s.navD18).toBeLessThanOrEqual(100_000n * 10n ** 18n);
    expect(s.maxDriftBps).toBeLessThan(100);
    expect(s.rebalanceInFlight).toBe(false);
    expect(s.constituents[0]?.symbol).toBeDefined();
  });

  it("test_readSnapshot_marketMoveCrossesTheThresholdAndQuotesAreNearOracle", async () => {
    const chain = local.chain;
    const restore = await chain.snapshot();
    try {
      const c0 = chain.market.constituents[0]!;
      await chain.setMarketPrice(c0.address, (c0.priceUsd8 * 13n) / 10n); // +30 %
      const s = await adapter.readSnapshot(vault);
      // One of three names up 30 %: its weight ≈ 1.3/3.3 = 39.4 % vs 33.3 % target.
      expect(s.maxDriftBps).toBeGreaterThan(500);
      const gasPriceWei = await adapter.gasPrice();
      const ethPriceD18 = await adapter.ethPriceD18();
      const params = strategyParamsFor(config, vault);
      const first = decide(s, { gasPriceWei, ethPriceD18, gasEstimate: params.gasEstimate }, params);
      expect(first.reason).toBe(REASONS.QUOTES_REQUIRED);
      const quotes = await adapter.quote(vault, first.plan!);
      expect(quotes).toHaveLength(first.plan!.trades.length);
      const d = decide(s, { gasPriceWei, ethPriceD18, gasEstimate: params.gasEstimate, quotes }, params);
      expect(d.economics?.maxImpactBps).toBeLessThan(100); // deep pools: fee + small impact
      expect(d.action).toBe("rebalance");
    } finally {
      await restore();
    }
  });

  it("test_readSnapshot_staleFeedIsReportedEvenThoughBasketReverts", async () => {
    const chain = local.chain;
    const restore = await chain.snapshot();
    try {
      const c1 = chain.market.constituents[1]!;
      const block = await chain.publicClient.getBlock();
      await chain.walletClients[0]!.writeContract({
        address: c1.feed,
        abi: mockAggregatorAbi,
        functionName: "setUpdatedAt",
        args: [block.timestamp - BigInt(c1.heartbeat) - 60n],
      });
      await chain.testClient.mine({ blocks: 1 });
      const s = await adapter.readSnapshot(vault);
      expect(s.constituents[1]!.priceAgeSeconds).toBeGreaterThan(c1.heartbeat);
      expect(s.constituents[1]!.balance).toBeGreaterThan(0n); // raw balance fallback
      const d = decide(s, { gasPriceWei: 1n, ethPriceD18: 1n, gasEstimate: 1n }, strategyParamsFor(config, vault));
      expect(d.reason).toBe(REASONS.STALE_PRICE);
      expect(d.badPriceTokens).toEqual([c1.address]);
    } finally {
      await restore();
    }
  });

  it("test_loop_dryRunOnceOverTheRealAdapterDecidesAndSendsNothing", async () => {
    const metrics = new KeeperMetrics();
    const loop = new KeeperLoop({
      adapter,
      logger,
      metrics,
      settings: {
        dryRun: true,
        once: true,
        pollIntervalMs: 1_000,
        backoff: config.backoff,
        alreadyDoneErrors: config.alreadyDoneErrors,
        paramsFor: (v) => strategyParamsFor(config, v),
      },
    });
    const nonce = await local.chain.publicClient.getTransactionCount({ address: keeperAccount.address });
    const result = await loop.run();
    expect(result?.rpcOk).toBe(true);
    expect(result?.outcomes).toMatchObject([{ vault, status: "decided", decision: { reason: "BELOW_THRESHOLD" } }]);
    expect(await local.chain.publicClient.getTransactionCount({ address: keeperAccount.address })).toBe(nonce);
    expect(metrics.registry.get("keeper_vault_max_drift_bps", { vault })).toBeLessThan(100);
  });
});
