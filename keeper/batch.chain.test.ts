// The keeper's batch duty on the local chain: a real vault and its batch (sdk/protocol.ts), requests from several
// wallets; the policy first waits (small, young epoch), then settles once it is worth its gas, and pushes every
// controller's claims in the settlement's own transaction (multicall). Metrics: pending size, age, settlement gas.
import { getAddress, type Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { benchEnvOf } from "../bench/lib/localEnv";
import { createVault, deployProtocol } from "../bench/lib/vault";
import type { BenchEnv } from "../bench/lib/env";
import { deposit, readBatchPosition, requestDeposit, requestRedeem } from "../sdk/client/index";
import { erc20Abi } from "viem";
import type { LocalWalletClient } from "../sdk/local/localChain";
import { useLocalChain } from "../sdk/local/testing";
import { createBatch } from "../sdk/protocol";
import { BatchKeeper, type BatchKeeperSettings } from "./batch";
import { createLogger, silentLogger } from "./logger";
import { KeeperMetrics } from "./metrics";

const local = useLocalChain();

describe("BatchKeeper on the local chain", () => {
  let env: BenchEnv;
  let vault: Address;
  let batch: Address;
  const wallet = (i: number): LocalWalletClient => env.wallets[i]!;

  beforeAll(async () => {
    env = benchEnvOf(local.chain);
    const protocol = await deployProtocol(env);
    vault = await createVault(env, protocol, env.market.constituents.slice(0, 3));
    batch = (await createBatch(env.publicClient, wallet(0), protocol.batchFactory, vault)).batch;
    await env.fund(env.market.usdt, wallet(0).account.address, 20_000_000_000n);
    await deposit(env.publicClient, wallet(0), { vault, asset: env.market.usdt }, { assets: 20_000_000_000n, minShares: 0n, deadline: 2n ** 48n });
  }, 240_000);

  it("test_waitsThenSettlesAndPushesClaims", async () => {
    const users = [wallet(1), wallet(2), wallet(3)];
    for (const u of users) {
      await env.fund(env.market.usdt, u.account.address, 200_000_000n);
      await requestDeposit(env.publicClient, u, { batch, asset: env.market.usdt }, { amount: 200_000_000n });
    }
    const held = await env.publicClient.readContract({ address: vault, abi: erc20Abi, functionName: "balanceOf", args: [wallet(0).account.address] });
    const redeemShares = held / 100n; // ~200 USDT of the seed
    await requestRedeem(env.publicClient, wallet(0), { batch, vault }, { amount: redeemShares });

    const metrics = new KeeperMetrics();
    const settings: BatchKeeperSettings = { batches: [batch], dryRun: false, gasPriceCapWei: 10n ** 12n, maxCostBps: 0, defaultSettlementGas: 1_500_000n };
    const strict = new BatchKeeper({ client: env.publicClient, wallet: wallet(0), registry: metrics.registry, logger: silentLogger(), settings });
    // 1 gwei, ETH at 3000: the settlement (~4.5 USDT) is never ≤ 0 % of the gross: wait (the batch's own minimum
    // settle value is far above ~800 USDT and the epoch is young).
    const [waiting] = await strict.tick(10n ** 9n, 3_000n * 10n ** 18n);
    expect(waiting).toMatchObject({ status: "waiting", decision: { reason: "WAITING", settle: false } });
    expect(metrics.registry.get("keeper_batch_pending_assets", { batch })).toBe(600_000_000n);
    expect(metrics.registry.get("keeper_batch_pending_shares", { batch })).toBe(redeemShares);
    expect(Number(metrics.registry.get("keeper_batch_age_seconds", { batch }))).toBeGreaterThanOrEqual(0);

    // Willing to pay up to 1 % of the gross: ~4.5 USDT of ~800 USDT is worth it.
    const keeper = new BatchKeeper({ client: env.publicClient, wallet: wallet(0), registry: metrics.registry, logger: silentLogger(), settings: { ...settings, maxCostBps: 100 } });
    const nonce = await env.publicClient.getTransactionCount({ address: wallet(0).account.address });
    const [settled] = await keeper.tick(10n ** 9n, 3_000n * 10n ** 18n);
    // Settlement and every claim: one transaction.
    expect(await env.publicClient.getTransactionCount({ address: wallet(0).account.address })).toBe(nonce + 1);
    expect(settled, settled?.error).toMatchObject({ status: "settled", epoch: 1n, claimed: 4, decision: { reason: "WORTH_GAS" } });
    expect(settled!.settlementGas).toBeGreaterThan(100_000n);
    expect(metrics.registry.get("keeper_batch_settlement_gas", { batch })).toBe(settled!.settlementGas);
    expect(metrics.registry.get("keeper_batch_claims_total", { batch })).toBe(4);

    // Every controller was paid: nothing left to claim, shares (or USDT) in the wallets.
    for (const u of users) {
      const p = await readBatchPosition(env.publicClient, batch, u.account.address);
      expect(p.claimableShares).toBe(0n);
      expect(await env.publicClient.readContract({ address: vault, abi: erc20Abi, functionName: "balanceOf", args: [u.account.address] })).toBeGreaterThan(0n);
    }
    expect((await readBatchPosition(env.publicClient, batch, getAddress(wallet(0).account.address))).claimableAssets).toBe(0n);

    // Empty epoch now: the next tick does nothing.
    const [empty] = await keeper.tick(10n ** 9n, 3_000n * 10n ** 18n);
    expect(empty).toMatchObject({ status: "waiting", decision: { reason: "EMPTY" } });
  }, 240_000);
  it("test_lateRequest_minedAfterTheLogRead_isPushedInASecondTransaction", async () => {
    const [early, late] = [wallet(5), wallet(6)];
    await env.fund(env.market.usdt, early.account.address, 300_000_000n);
    await env.fund(env.market.usdt, late.account.address, 300_000_000n);
    await requestDeposit(env.publicClient, early, { batch, asset: env.market.usdt }, { amount: 300_000_000n });
    // A client whose first read of the request logs returns before a late request is mined: the late controller is in
    // the settled epoch but not in the keeper's list.
    let injected = false;
    const client = new Proxy(env.publicClient, {
      get(target, prop, receiver) {
        if (prop !== "getContractEvents") return Reflect.get(target, prop, receiver) as unknown;
        return async (args: Parameters<typeof target.getContractEvents>[0]) => {
          const logs = await target.getContractEvents(args as never);
          if (!injected && (args as { eventName?: string }).eventName === "DepositRequest") {
            injected = true;
            await requestDeposit(env.publicClient, late, { batch, asset: env.market.usdt }, { amount: 300_000_000n });
          }
          return logs;
        };
      },
    });
    const metrics = new KeeperMetrics();
    const lines: string[] = [];
    const keeper = new BatchKeeper({
      client,
      wallet: wallet(0),
      registry: metrics.registry,
      logger: createLogger({ level: "info", destination: { write: (l: string) => void lines.push(l) } }),
      settings: { batches: [batch], dryRun: false, gasPriceCapWei: 10n ** 12n, maxCostBps: 10_000, defaultSettlementGas: 1_500_000n },
    });
    const nonce = await env.publicClient.getTransactionCount({ address: wallet(0).account.address });
    const [settled] = await keeper.tick(10n ** 9n, 3_000n * 10n ** 18n);
    expect(settled, settled?.error).toMatchObject({ status: "settled", claimed: 2 });
    expect(injected).toBe(true);
    // The settle-and-claim transaction, then one more for the late request's claim.
    expect(await env.publicClient.getTransactionCount({ address: wallet(0).account.address })).toBe(nonce + 2);
    expect(lines.some((l) => l.includes("pushed the claims of late requests"))).toBe(true);
    for (const u of [early, late]) {
      expect((await readBatchPosition(env.publicClient, batch, u.account.address)).claimableShares).toBe(0n);
      expect(await env.publicClient.readContract({ address: vault, abi: erc20Abi, functionName: "balanceOf", args: [u.account.address] })).toBeGreaterThan(0n);
    }
  }, 240_000);
});
