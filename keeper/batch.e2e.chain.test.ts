// The batch duty as an operator runs it: `npm run keeper` (keeper/cli.ts main, the same code path, with the
// environment and a logger handed in) started from a config file with `batches.enabled` and the IndexBatchFactory,
// against a real vault, its ERC-7540 batch and real Uniswap V3 on anvil. The keeper finds the batch through
// `batchOf(vault)` for the vault it watches (through the IndexFactory), waits while settling is not worth its gas
// (maxCostBps 0), then, with maxCostBps 100, settles the epoch, pushes every controller's claims and reports it on
// /metrics.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { erc20Abi, type Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { readBatchPosition, readBatchStatus, requestDeposit, requestRedeem } from "../sdk/client/index";
import { devAccounts, privateKeyOf } from "../sdk/local/accounts";
import { useLocalChain } from "../sdk/local/testing";
import { createBatch } from "../sdk/protocol";
import { main } from "./cli";
import { createLogger } from "./logger";
import { deployVault, depositUsdt } from "./testing/deployVault";

const local = useLocalChain();
const keeper = devAccounts()[1]!;
const USDT = 10n ** 6n;

describe("npm run keeper with batches enabled", () => {
  let vault: Address;
  let factory: Address;
  let batchFactory: Address;
  let batch: Address;

  beforeAll(async () => {
    const chain = local.chain;
    ({ vault, factory, batchFactory } = await deployVault(chain, { constituents: 3, keeper: keeper.address }));
    await depositUsdt(chain, vault, 100_000n * USDT, 2);
    batch = (await createBatch(chain.publicClient, chain.walletClients[0]!, batchFactory, vault)).batch;
  }, 180_000);

  const configFile = (batches: Record<string, unknown>, extra: Record<string, unknown> = {}): string => {
    const chain = local.chain;
    const file = join(mkdtempSync(join(tmpdir(), "keeper-batch-")), "keeper.json");
    writeFileSync(
      file,
      JSON.stringify({
        chainId: chain.market.chainId,
        rpcUrl: chain.rpcUrl,
        factory, // the vaults to watch: the factory's registry
        quoterV2: chain.market.quoterV2,
        ethUsdFeed: chain.market.constituents[0]!.feed, // WETH/USD
        gasPriceCapGwei: 50,
        pollIntervalSeconds: 1,
        batches: { enabled: true, batchFactory, ...batches },
        ...extra,
      }),
    );
    return file;
  };

  const run = (argv: string[], signal?: AbortSignal) => {
    const lines: string[] = [];
    const stderr: string[] = [];
    const exited = main(argv, {
      env: { KEEPER_PRIVATE_KEY: privateKeyOf(keeper) },
      logger: createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } }),
      stderr: (l) => stderr.push(l),
      ...(signal !== undefined && { signal }),
    });
    const logs = () => lines.map((l) => JSON.parse(l) as { level: string; msg: string; batch?: string; reason?: string });
    return { exited, logs, stderr };
  };

  it("test_keeperFromConfig_findsTheBatch_waits_thenSettlesAndPushesClaims_withMetrics", async () => {
    const chain = local.chain;
    const depositors = [3, 4, 5].map((i) => chain.walletClients[i]!);
    for (const u of depositors) {
      await chain.mintTo(chain.market.usdt, u.account.address, 2_000n * USDT);
      await requestDeposit(chain.publicClient, u, { batch, asset: chain.market.usdt }, { amount: 2_000n * USDT });
    }
    const redeemer = chain.walletClients[2]!;
    const held = await chain.publicClient.readContract({ address: vault, abi: erc20Abi, functionName: "balanceOf", args: [redeemer.account.address] });
    const redeemShares = held / 100n; // ~1,000 USDT
    await requestRedeem(chain.publicClient, redeemer, { batch, vault }, { amount: redeemShares });
    const before = await readBatchStatus(chain.publicClient, batch);
    expect(before.status).toMatchObject({ epoch: 1n, pendingAssets: 6_000n * USDT, pendingShares: redeemShares });
    expect(before.status.grossValue).toBeLessThan(before.policy.minSettleValue); // not settled for its size alone

    // 1. Not worth its gas at 0 bps and far from maxWait: the keeper waits and says why, once.
    const waiting = run(["--config", configFile({ maxCostBps: 0 }), "--once", "--metrics-port", "0"]);
    expect(await waiting.exited, waiting.stderr.join("\n")).toBe(0);
    expect(waiting.logs().filter((l) => l.msg === "batch found for a watched vault" && l.batch === batch)).toHaveLength(1);
    expect(waiting.logs().filter((l) => l.level === "info" && l.msg === "batch decision: WAITING")).toHaveLength(1);
    expect((await readBatchStatus(chain.publicClient, batch)).status).toMatchObject({ epoch: 1n, pendingAssets: 6_000n * USDT });

    // 2. Running as a service, willing to pay up to 1 % of the epoch: settles, claims, and /metrics shows it.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const stop = new AbortController();
    const service = run(["--config", configFile({ maxCostBps: 100 }), "--metrics-port", String(port)], stop.signal);
    let metrics = "";
    const settledLine = `keeper_batch_settlements_total{batch="${batch}",reason="WORTH_GAS"} 1`;
    const claimsLine = `keeper_batch_claims_total{batch="${batch}"} 4`; // counted once the claims are mined, after the settlement
    for (let i = 0; i < 600 && !(metrics.includes(settledLine) && metrics.includes(claimsLine)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => "");
    }
    stop.abort();
    expect(await service.exited, service.stderr.join("\n")).toBe(0);
    expect(metrics).toContain(settledLine);
    expect(metrics).toContain(claimsLine);
    expect(metrics).toContain(`keeper_batch_settlements_total{batch="${batch}",reason="MAX_WAIT"} 0`);
    expect(metrics).toMatch(new RegExp(`keeper_batch_settlement_gas\\{batch="${batch}"\\} [1-9]\\d{5,}`));
    expect(metrics).toContain(`keeper_batch_max_wait_seconds{batch="${batch}"} ${before.policy.maxWait}`);
    expect(service.logs().some((l) => l.msg === "batch settled" && l.batch === batch)).toBe(true);

    // On chain: epoch 1 settled, every controller paid (claims pushed by the keeper), nothing left to claim.
    const after = await readBatchStatus(chain.publicClient, batch);
    expect(after.status.epoch).toBe(2n);
    expect(after.status.pendingAssets).toBe(0n);
    for (const u of depositors) {
      const p = await readBatchPosition(chain.publicClient, batch, u.account.address);
      expect(p.claimableShares).toBe(0n);
      expect(await chain.publicClient.readContract({ address: vault, abi: erc20Abi, functionName: "balanceOf", args: [u.account.address] })).toBeGreaterThan(0n);
    }
    const r = await readBatchPosition(chain.publicClient, batch, redeemer.account.address);
    expect(r.claimableAssets).toBe(0n);
    expect(await chain.publicClient.readContract({ address: chain.market.usdt, abi: erc20Abi, functionName: "balanceOf", args: [redeemer.account.address] })).toBeGreaterThan(900n * USDT);
  }, 180_000);
});
