/**
 * The keeper end to end on the local chain: a real IndexVault (with its rebalancer module) over real
 * Uniswap V3 pools, the real viem adapter and the service loop. Prices move past the threshold → the
 * keeper rebalances → drift is back under the threshold; then every fault: dry-run, the RPC going
 * away and coming back, a reverted transaction, a gas spike above the cap, a stale feed, and a
 * second keeper racing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toHex, type Address } from "viem";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devAccounts, privateKeyOf } from "../sdk/local/accounts.js";
import {
  iIndexVaultComposerAbi,
  iIndexVaultRebalancerAbi,
  indexVaultAbi,
  mockAggregatorAbi,
  priceMoverAbi,
} from "../sdk/generated/abis.js";
import { useLocalChain } from "../sdk/local/testing.js";
import type { ChainAdapter } from "./chain.js";
import { main } from "./cli.js";
import { parseConfig, strategyParamsFor, type KeeperConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { KeeperLoop } from "./loop.js";
import { KeeperMetrics } from "./metrics.js";
import { deployVault, depositUsdt } from "./testing/deployVault.js";
import { createViemAdapterWith } from "./viem/adapter.js";
import { createIndexVaultBinding } from "./viem/indexVaultBinding.js";

const local = useLocalChain();
const KEEPER_ROLE = keccak256(toHex("KEEPER_ROLE"));
const keeperA = devAccounts()[1]!;
const keeperB = devAccounts()[7]!;
let vault: Address;
let factory: Address;
let restore: () => Promise<void>;

beforeAll(async () => {
  const chain = local.chain;
  ({ vault, factory } = await deployVault(chain, { constituents: 3, keeper: keeperA.address }));
  await depositUsdt(chain, vault, 100_000n * 10n ** 6n);
  // A second keeper for the race.
  const hash = await chain.walletClients[0]!.writeContract({
    address: vault,
    abi: indexVaultAbi,
    functionName: "grantRole",
    args: [KEEPER_ROLE, keeperB.address],
  });
  await chain.publicClient.waitForTransactionReceipt({ hash });
}, 120_000);

beforeEach(async () => {
  restore = await local.chain.snapshot();
});
afterEach(async () => {
  await restore();
});

function configFor(account = keeperA, overrides: Record<string, unknown> = {}, cli = {}): KeeperConfig {
  const chain = local.chain;
  return parseConfig(
    {
      chainId: chain.market.chainId,
      rpcUrl: chain.rpcUrl,
      factory,
      quoterV2: chain.market.quoterV2,
      ethUsdFeed: chain.market.constituents[0]!.feed, // WETH/USD
      gasPriceCapGwei: 50,
      confirmations: 1,
      backoff: { initialMs: 100, maxMs: 400 },
      ...overrides,
    },
    { KEEPER_PRIVATE_KEY: privateKeyOf(account) },
    cli,
  );
}

function keeper(config: KeeperConfig, wrap: (a: ChainAdapter) => ChainAdapter = (a) => a) {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } });
  const metrics = new KeeperMetrics();
  const adapter = wrap(createViemAdapterWith(config, logger, { binding: createIndexVaultBinding(), pollingIntervalMs: 20 }));
  const loop = new KeeperLoop({
    adapter,
    logger,
    metrics,
    settings: {
      dryRun: config.dryRun,
      once: true,
      pollIntervalMs: config.pollIntervalMs,
      backoff: config.backoff,
      alreadyDoneErrors: config.alreadyDoneErrors,
      paramsFor: (v) => strategyParamsFor(config, v),
    },
  });
  const msgs = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  return { loop, metrics, adapter, msgs };
}

/**
 * Moves constituent 0 by +30 % (feed and pools, as an arbitrageur would): its weight goes from 33 % to
 * ≈ 39 %, past the 200 bps threshold. Sent with a 50 % gas margin: `chain.setMarketPrice` relies on
 * eth_estimateGas, which is occasionally a few hundred gas short for PriceMover's swap callbacks.
 */
async function drift(): Promise<void> {
  const chain = local.chain;
  const c0 = chain.market.constituents[0]!;
  const args = [c0.address, (c0.priceUsd8 * 13n) / 10n] as const;
  const call = { address: chain.market.priceMover, abi: priceMoverAbi, functionName: "moveMarket", args } as const;
  const gas = await chain.publicClient.estimateContractGas({ ...call, account: chain.accounts[0]! });
  const hash = await chain.walletClients[0]!.writeContract({ ...call, gas: (gas * 3n) / 2n });
  const r = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== "success") throw new Error(`moveMarket reverted (gas ${r.gasUsed}/${(gas * 3n) / 2n})`);
}

async function keeperNonce(account = keeperA): Promise<number> {
  return local.chain.publicClient.getTransactionCount({ address: account.address });
}

describe("keeper on the local chain", () => {
  it("test_keeper_rebalancesADriftingIndexBackUnderItsThreshold", async () => {
    await drift();
    const k = keeper(configFor());
    const before = await k.adapter.readSnapshot(vault);
    expect(before.maxDriftBps).toBeGreaterThan(before.thresholdBps);
    expect(before.thresholdBps).toBe(200);

    const result = await k.loop.tick();
    expect(result.outcomes).toMatchObject([{ vault, status: "confirmed", decision: { reason: "BENEFIT_EXCEEDS_COST" } }]);

    const after = await k.adapter.readSnapshot(vault);
    expect(after.maxDriftBps).toBeLessThan(after.thresholdBps);
    expect(after.cooldownRemainingSeconds).toBeGreaterThan(0);
    expect(k.metrics.registry.get("keeper_rebalances_total", { vault })).toBe(1);
    expect(k.metrics.registry.get("keeper_gas_spent_wei_total", { vault })).toBeGreaterThan(0n);

    // Next iteration: nothing to do.
    const next = await k.loop.tick();
    expect(next.outcomes[0]?.decision?.reason).toBe("BELOW_THRESHOLD");
  });

  it("test_keeper_dryRunDecidesAndSimulatesButSendsNothing", async () => {
    await drift();
    const k = keeper(configFor(keeperA, {}, { dryRun: true }));
    const nonce = await keeperNonce();
    const result = await k.loop.tick();
    expect(result.outcomes).toMatchObject([{ status: "dry-run" }]);
    expect(await keeperNonce()).toBe(nonce);
    expect((await k.adapter.readSnapshot(vault)).maxDriftBps).toBeGreaterThan(200);
  });

  it("test_keeper_survivesTheRpcGoingAwayAndComingBack", async () => {
    await drift();
    // A JSON-RPC proxy in front of anvil that we can take down and bring back on the same port.
    const upstream = local.chain.rpcUrl;
    const handler: Parameters<typeof createServer>[1] = (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) })
          .then(async (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(await r.text()))
          .catch(() => res.writeHead(502).end());
      });
    };
    const listen = (port: number) =>
      new Promise<Server>((resolve) => {
        const s = createServer(handler);
        s.listen(port, "127.0.0.1", () => resolve(s));
      });
    const close = (s: Server) =>
      new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    let proxy = await listen(0);
    const port = (proxy.address() as AddressInfo).port;
    const k = keeper(configFor(keeperA, { rpcUrl: `http://127.0.0.1:${port}` }));
    await close(proxy);

    const down1 = await k.loop.tick();
    const down2 = await k.loop.tick();
    expect([down1.rpcOk, down2.rpcOk]).toEqual([false, false]);
    expect([down1.nextDelayMs, down2.nextDelayMs]).toEqual([100, 200]);
    expect(k.metrics.registry.get("keeper_rpc_up")).toBe(0);

    proxy = await listen(port);
    try {
      const up = await k.loop.tick();
      expect(up.rpcOk).toBe(true);
      expect(up.outcomes).toMatchObject([{ status: "confirmed" }]);
      expect(k.metrics.registry.get("keeper_rpc_up")).toBe(1);
      expect(k.msgs()).toContain("RPC is back");
    } finally {
      await close(proxy);
    }
  });

  it("test_keeper_revertedTransactionIsLoggedCountedAndDecoded", async () => {
    await drift();
    // Between our simulation and our transaction, the admin revokes our keeper role: the mined
    // transaction reverts with the vault's custom error, decoded from a replay at its block.
    const k = keeper(configFor(), (a) => ({
      ...bindAll(a),
      sendRebalance: async (request) => {
        const hash = await local.chain.walletClients[0]!.writeContract({
          address: vault,
          abi: indexVaultAbi,
          functionName: "revokeRole",
          args: [KEEPER_ROLE, keeperA.address],
        });
        await local.chain.publicClient.waitForTransactionReceipt({ hash });
        return a.sendRebalance(request);
      },
    }));
    const result = await k.loop.tick();
    expect(result.outcomes).toMatchObject([
      // Without the role the vault treats us as a permissionless caller before the grace period.
      { status: "reverted", revert: { errorName: "IndexVaultRebalancer__GracePeriodNotOver" } },
    ]);
    expect(k.metrics.registry.get("keeper_failures_total", { vault, kind: "reverted" })).toBe(1);
    expect(k.metrics.registry.get("keeper_gas_spent_wei_total", { vault })).toBeGreaterThan(0n);
    expect(k.msgs()).toContain("rebalance reverted: IndexVaultRebalancer__GracePeriodNotOver(0)");
  });

  it("test_keeper_gasSpikeAboveTheCapWaits", async () => {
    await drift();
    const normal = (await local.chain.publicClient.getBlock()).baseFeePerGas ?? 1_000_000_000n;
    await local.chain.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: 200n * 10n ** 9n });
    await local.chain.testClient.mine({ blocks: 1 });
    try {
      const k = keeper(configFor());
      const nonce = await keeperNonce();
      const result = await k.loop.tick();
      expect(result.outcomes[0]?.decision?.reason).toBe("GAS_ABOVE_CAP");
      expect(result.outcomes[0]?.decision?.message).toMatch(/^gas price \d+(\.\d+)? gwei above cap 50 gwei: waiting$/);
      expect(await keeperNonce()).toBe(nonce);
    } finally {
      // anvil's fee market is not part of its snapshots: put the base fee back for the next tests.
      await local.chain.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: normal });
      await local.chain.testClient.mine({ blocks: 1 });
    }
  });

  it("test_keeper_staleFeedRefusesAndSaysWhich", async () => {
    await drift();
    const c1 = local.chain.market.constituents[1]!;
    const block = await local.chain.publicClient.getBlock();
    const hash = await local.chain.walletClients[0]!.writeContract({
      address: c1.feed,
      abi: mockAggregatorAbi,
      functionName: "setUpdatedAt",
      args: [block.timestamp - BigInt(c1.heartbeat) - 10n],
    });
    await local.chain.publicClient.waitForTransactionReceipt({ hash });
    const k = keeper(configFor());
    const nonce = await keeperNonce();
    const result = await k.loop.tick();
    expect(result.outcomes[0]?.decision).toMatchObject({ reason: "STALE_PRICE", badPriceTokens: [c1.address] });
    expect(result.outcomes[0]?.decision?.message).toContain(`${c1.symbol} `);
    expect(await keeperNonce()).toBe(nonce);
  });

  it("test_keeper_twoKeepersRacingRebalanceOnceWithoutCrashing", async () => {
    await drift();
    const a = keeper(configFor(keeperA));
    const b = keeper(configFor(keeperB));
    const [ra, rb] = await Promise.all([a.loop.tick(), b.loop.tick()]);
    const statuses = [ra.outcomes[0]?.status, rb.outcomes[0]?.status].sort();
    expect(statuses).toEqual(["already-done", "confirmed"]);
    const after = await a.adapter.readSnapshot(vault);
    expect(after.maxDriftBps).toBeLessThan(200);
    // Exactly one Rebalanced step happened.
    const logs = await local.chain.publicClient.getContractEvents({ address: vault, abi: iIndexVaultRebalancerAbi, eventName: "Rebalanced", fromBlock: 0n });
    expect(logs).toHaveLength(1);
  });
});

describe("multi-step rebalances", () => {
  /** Caps each trade at $1,500 so the ≈ $6.7k rebalance takes several steps; 10-minute timeout. */
  async function capTrades(): Promise<void> {
    const hash = await local.chain.walletClients[0]!.writeContract({
      address: vault,
      abi: iIndexVaultRebalancerAbi,
      functionName: "setRebalanceConfig",
      args: [
        {
          thresholdBps: 200,
          maxLossBps: 50,
          cooldown: 3_600,
          gracePeriod: 86_400,
          timeout: 600,
          compositionDelay: 2 * 86_400,
          maxTradeValue: 1_500n * 10n ** 6n,
          minTradeValue: 10n * 10n ** 6n,
          bounty: 5n * 10n ** 6n,
        },
      ],
    });
    const r = await local.chain.publicClient.waitForTransactionReceipt({ hash });
    expect(r.status).toBe("success");
  }

  it("test_keeper_continuesAMultiStepRebalanceToTheEnd", async () => {
    await capTrades();
    await drift();
    const k = keeper(configFor());
    const reasons: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await k.loop.tick();
      const o = r.outcomes[0];
      if (o?.status !== "confirmed") break;
      reasons.push(o.decision?.reason ?? "?");
      // One step per block (per timestamp): the next poll comes a block time later.
      await local.chain.testClient.increaseTime({ seconds: 12 });
      await local.chain.testClient.mine({ blocks: 1 });
    }
    expect(reasons.length).toBeGreaterThan(2);
    expect(reasons[0]).toBe("BENEFIT_EXCEEDS_COST");
    expect(reasons.slice(1).every((r) => r === "CONTINUE_IN_FLIGHT")).toBe(true);
    const after = await k.adapter.readSnapshot(vault);
    expect(after.rebalanceInFlight).toBe(false);
    expect(after.maxDriftBps).toBeLessThan(200);
  });

  it("test_keeper_clearsATimedOutRebalance", async () => {
    await capTrades();
    await drift();
    const k = keeper(configFor());
    expect((await k.loop.tick()).outcomes[0]?.status).toBe("confirmed"); // step 1: now in flight
    const cfg = () => local.chain.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "config" });
    expect((await cfg()).rebalancing).toBe(true);
    await local.chain.testClient.increaseTime({ seconds: 601 });
    await local.chain.testClient.mine({ blocks: 1 });
    const r = await k.loop.tick();
    expect(r.outcomes[0]?.status).toBe("confirmed");
    expect(k.metrics.registry.get("keeper_decisions_total", { vault, action: "maintenance", reason: "ClearRebalancing" })).toBe(1);
    expect((await cfg()).rebalancing).toBe(false);
  });
});

describe("methodology → proposal → execution → rebalance", () => {
  /** Marks every feed of the vault as updated now (after a time jump). */
  async function refreshFeeds(): Promise<void> {
    const chain = local.chain;
    const now = (await chain.publicClient.getBlock()).timestamp;
    for (const feed of [chain.market.usdtFeed, ...chain.market.constituents.slice(0, 3).map((c) => c.feed)]) {
      const hash = await chain.walletClients[0]!.writeContract({ address: feed, abi: mockAggregatorAbi, functionName: "setUpdatedAt", args: [now] });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    }
  }

  it("test_keeper_proposesMethodologyWeightsExecutesThemAndRebalances", async () => {
    const chain = local.chain;
    const tokens = chain.market.constituents.slice(0, 3).map((c) => c.address);
    const dir = mkdtempSync(join(tmpdir(), "keeper-propose-"));
    const specFile = join(dir, "weights.json");
    writeFileSync(specFile, JSON.stringify({ kind: "custom", weights: { [tokens[0]!]: 50, [tokens[1]!]: 30, [tokens[2]!]: 20 } }));
    const configFile = join(dir, "keeper.json");
    writeFileSync(
      configFile,
      JSON.stringify({ chainId: chain.market.chainId, rpcUrl: chain.rpcUrl, factory, quoterV2: chain.market.quoterV2, ethPriceUsd: 3000, gasPriceCapGwei: 50 }),
    );
    const logger = createLogger({ level: "silent" });
    const managerKey = privateKeyOf(devAccounts()[0]!); // the vault's MANAGER_ROLE in the fixture

    // Dry-run simulates only; then the real proposal.
    const err: string[] = [];
    const manager = devAccounts()[0]!.address;
    const dry = await main(["propose", "--config", configFile, "--vault", vault, "--weights", specFile, "--dry-run", "--from", manager], {
      env: {},
      logger,
      stderr: (l) => err.push(l),
    });
    expect(err).toEqual([]);
    expect(dry).toBe(0);
    const pending = () => chain.publicClient.readContract({ address: vault, abi: iIndexVaultComposerAbi, functionName: "pendingProposal" });
    expect((await pending()).eta).toBe(0n);
    expect(
      await main(["propose", "--config", configFile, "--vault", vault, "--weights", specFile], { env: { KEEPER_MANAGER_PRIVATE_KEY: managerKey }, logger }),
    ).toBe(0);
    expect((await pending()).targetsBps).toEqual([5000, 3000, 2000]);

    // After the composition delay the keeper executes it (maintenance), then rebalances to the new targets.
    await chain.testClient.increaseTime({ seconds: 2 * 86_400 + 1 });
    await chain.testClient.mine({ blocks: 1 });
    await refreshFeeds();
    const k = keeper(configFor());
    const executed = await k.loop.tick();
    expect(k.metrics.registry.get("keeper_decisions_total", { vault, action: "maintenance", reason: "ExecuteProposal" })).toBe(1);
    expect(executed.outcomes[0]?.status).toBe("confirmed");
    const s = await k.adapter.readSnapshot(vault);
    expect(s.constituents.map((c) => c.targetBps)).toEqual([5000, 3000, 2000]);
    expect(s.maxDriftBps).toBeGreaterThan(1_000); // 33 % held vs 50 % target

    await chain.testClient.increaseTime({ seconds: 12 });
    await chain.testClient.mine({ blocks: 1 });
    const rebalanced = await k.loop.tick();
    expect(rebalanced.outcomes[0]).toMatchObject({ status: "confirmed", decision: { reason: "BENEFIT_EXCEEDS_COST" } });
    expect((await k.adapter.readSnapshot(vault)).maxDriftBps).toBeLessThan(200);
  });
});

/** A plain object with the adapter's methods bound (so it can be spread and partly overridden). */
function bindAll(a: ChainAdapter): ChainAdapter {
  return {
    listVaults: () => a.listVaults(),
    readSnapshot: (v) => a.readSnapshot(v),
    gasPrice: () => a.gasPrice(),
    ethPriceD18: () => a.ethPriceD18(),
    quote: (v, p) => a.quote(v, p),
    simulateRebalance: (v) => a.simulateRebalance(v),
    sendRebalance: (r) => a.sendRebalance(r),
    waitForReceipt: (s) => a.waitForReceipt(s),
    ...(a.maintenance !== undefined && { maintenance: (v: Address) => a.maintenance!(v) }),
  };
}
