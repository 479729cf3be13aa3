import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";
import { KeeperLoop, type LoopSettings } from "./loop";
import { KeeperMetrics } from "./metrics";
import { FakeChain, NOT_NEEDED } from "./testing/fakeChain";
import { PARAMS, VAULT, vaultState } from "./testing/fixtures";
import type { Address, VaultState } from "./types";

const VAULT_B: Address = "0x00000000000000000000000000000000000000a2";
const GWEI = 10n ** 9n;

function settings(overrides: Partial<LoopSettings> = {}): LoopSettings {
  return {
    dryRun: false,
    once: false,
    pollIntervalMs: 5_000,
    backoff: { initialMs: 1_000, maxMs: 8_000 },
    alreadyDoneErrors: ["IndexVault__RebalanceNotNeeded"],
    paramsFor: () => ({ ...PARAMS, gasEstimate: 1_000_000n }),
    ...overrides,
  };
}

/** A loop over `chain` with captured JSON logs and a controllable clock. */
function harness(chain: FakeChain, overrides: Partial<LoopSettings> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } });
  const metrics = new KeeperMetrics();
  let clock = 1_700_000_000_000;
  const delays: number[] = [];
  const loop = new KeeperLoop({
    adapter: chain,
    settings: settings(overrides),
    logger,
    metrics,
    now: () => clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
  });
  const logs = () => lines.map((l) => JSON.parse(l) as { level: string; msg: string; reason?: string });
  return { loop, metrics, logs, delays, advance: (ms: number) => (clock += ms) };
}

const drifting = (vault: Address = VAULT): VaultState => vaultState(560_000n, { vault }); // 600 bps, worth it
const calm = (vault: Address = VAULT): VaultState => vaultState(510_000n, { vault }); // 100 bps

describe("KeeperLoop", () => {
  it("test_tick_rebalancesADriftingVaultBackUnderThreshold", async () => {
    const chain = new FakeChain([drifting()]);
    const { loop, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.rpcOk).toBe(true);
    expect(result.outcomes).toMatchObject([{ vault: VAULT, status: "confirmed" }]);
    expect(result.outcomes[0]?.decision?.reason).toBe("BENEFIT_EXCEEDS_COST");
    expect(chain.sent).toHaveLength(1);
    expect(chain.state(VAULT).maxDriftBps).toBe(0);
    expect(metrics.registry.get("keeper_rebalances_total", { vault: VAULT })).toBe(1);
    expect(metrics.registry.get("keeper_last_rebalance_timestamp_seconds", { vault: VAULT })).toBe(1_700_000_000);
    expect(metrics.registry.get("keeper_gas_spent_wei_total", { vault: VAULT })).toBe(900_000n * 20n * GWEI);
    // Calls in order: read, quote, simulate, send, wait — simulate always before send.
    expect(chain.calls.filter((c) => !["listVaults", "gasPrice", "ethPriceD18"].includes(c))).toEqual([
      `readSnapshot:${VAULT}`,
      `quote:${VAULT}`,
      `simulate:${VAULT}`,
      `send:${VAULT}`,
      "wait:0x0000000000000000000000000000000000000000000000000000000000000000",
    ]);
    // Next iteration: cooldown, nothing sent.
    const next = await loop.tick();
    expect(next.outcomes[0]?.decision?.reason).toBe("BELOW_THRESHOLD");
    expect(chain.sent).toHaveLength(1);
  });

  it("test_tick_belowThresholdSendsNothingAndSkipsQuotes", async () => {
    const chain = new FakeChain([calm()]);
    const { loop, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes).toMatchObject([{ status: "decided", decision: { reason: "BELOW_THRESHOLD" } }]);
    expect(chain.calls.some((c) => c.startsWith("quote") || c.startsWith("simulate"))).toBe(false);
    expect(metrics.registry.get("keeper_decisions_total", { vault: VAULT, action: "none", reason: "BELOW_THRESHOLD" })).toBe(1);
    expect(metrics.registry.get("keeper_vault_max_drift_bps", { vault: VAULT })).toBe(100);
  });

  it("test_tick_dryRunSimulatesButSendsNothing", async () => {
    const chain = new FakeChain([drifting(), drifting(VAULT_B)]);
    const { loop, logs } = harness(chain, { dryRun: true });
    const result = await loop.tick();
    expect(result.outcomes.map((o) => o.status)).toEqual(["dry-run", "dry-run"]);
    expect(chain.calls.filter((c) => c.startsWith("simulate"))).toHaveLength(2);
    expect(chain.calls.some((c) => c.startsWith("send") || c.startsWith("wait"))).toBe(false);
    expect(chain.sent).toHaveLength(0);
    expect(chain.state(VAULT).maxDriftBps).toBe(600);
    expect(logs().some((l) => l.msg.startsWith("dry-run: would rebalance"))).toBe(true);
  });

  it("test_run_rpcDownBacksOffExponentiallyThenRecovers", async () => {
    const chain = new FakeChain([drifting()]);
    const { loop, metrics, delays, logs } = harness(chain);
    chain.rpcDown = true;
    const down = [await loop.tick(), await loop.tick(), await loop.tick(), await loop.tick(), await loop.tick()];
    expect(down.map((r) => r.rpcOk)).toEqual([false, false, false, false, false]);
    expect(down.map((r) => r.nextDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(metrics.registry.get("keeper_rpc_up")).toBe(0);
    expect(metrics.registry.get("keeper_failures_total", { vault: "*", kind: "rpc" })).toBe(5);
    expect(chain.sent).toHaveLength(0);

    chain.rpcDown = false;
    const up = await loop.tick();
    expect(up.rpcOk).toBe(true);
    expect(up.nextDelayMs).toBe(5_000);
    expect(up.outcomes[0]?.status).toBe("confirmed");
    expect(metrics.registry.get("keeper_rpc_up")).toBe(1);
    expect(metrics.health(1_700_000_000_000, 10_000).status).toBe("ok");
    expect(logs().some((l) => l.msg === "RPC is back")).toBe(true);
    expect(delays).toEqual([]); // tick() never sleeps; run() does
  });

  it("test_run_sleepsTheBackoffBetweenIterationsAndStopsOnAbort", async () => {
    const chain = new FakeChain([calm()]);
    const { loop, delays } = harness(chain);
    chain.rpcDown = true;
    const controller = new AbortController();
    let ticks = 0;
    const original = loop.tick.bind(loop);
    loop.tick = async () => {
      ticks += 1;
      if (ticks === 3) chain.rpcDown = false;
      if (ticks === 4) controller.abort();
      return original();
    };
    await loop.run(controller.signal);
    expect(delays).toEqual([1_000, 2_000, 5_000]);
    expect(ticks).toBe(4);
  });

  it("test_run_onceRunsASingleIteration", async () => {
    const chain = new FakeChain([calm()]);
    const { loop, delays } = harness(chain, { once: true });
    const result = await loop.run();
    expect(result?.outcomes).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("test_tick_rpcDroppingMidIterationFailsThatVaultOnly", async () => {
    const chain = new FakeChain([drifting(), drifting(VAULT_B)]);
    const { loop, metrics } = harness(chain);
    chain.beforeSimulate = (vault) => {
      if (vault === VAULT) chain.rpcDown = true;
    };
    const first = await loop.tick();
    expect(first.outcomes.map((o) => o.status)).toEqual(["rpc-down", "rpc-down"]);
    expect(first.rpcOk).toBe(false);
    chain.rpcDown = false;
    chain.beforeSimulate = undefined;
    const second = await loop.tick();
    expect(second.outcomes.map((o) => o.status)).toEqual(["confirmed", "confirmed"]);
    expect(metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "rpc" })).toBe(1);
  });

  it("test_tick_oneVaultFailingNeverStopsTheOthers", async () => {
    const chain = new FakeChain([drifting(), drifting(VAULT_B)]);
    chain.brokenVaults.add(VAULT);
    const { loop, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.rpcOk).toBe(true);
    expect(result.outcomes).toMatchObject([
      { vault: VAULT, status: "error", error: expect.stringContaining("basket() reverted") },
      { vault: VAULT_B, status: "confirmed" },
    ]);
    expect(metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "error" })).toBe(1);
  });

  it("test_tick_revertedTransactionIsLoggedCountedAndTheLoopContinues", async () => {
    const chain = new FakeChain([drifting(), drifting(VAULT_B)]);
    chain.revertNextTx = {
      errorName: "IndexVault__SwapOutputTooLow",
      args: ["0x00000000000000000000000000000000000000b1", 1n, 2n],
      message: "IndexVault__SwapOutputTooLow(0x…b1, 1, 2)",
    };
    const { loop, metrics, logs } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes).toMatchObject([
      { vault: VAULT, status: "reverted", revert: { errorName: "IndexVault__SwapOutputTooLow" } },
      { vault: VAULT_B, status: "confirmed" },
    ]);
    expect(metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "reverted" })).toBe(1);
    // Gas of the reverted transaction is still counted as spent.
    expect(metrics.registry.get("keeper_gas_spent_wei_total", { vault: VAULT })).toBe(900_000n * 20n * GWEI);
    const error = logs().find((l) => l.level === "error");
    expect(error?.msg).toBe("rebalance reverted: IndexVault__SwapOutputTooLow(0x…b1, 1, 2)");
    // The drift is still there: the next iteration tries again.
    const retry = await loop.tick();
    expect(retry.outcomes[0]?.status).toBe("confirmed");
  });

  it("test_tick_gasSpikeAboveCapWaitsThenActsWhenItFalls", async () => {
    const chain = new FakeChain([drifting()]);
    chain.gasPriceWei = 120n * GWEI;
    const { loop } = harness(chain);
    const spike = await loop.tick();
    expect(spike.outcomes[0]?.decision).toMatchObject({ reason: "GAS_ABOVE_CAP" });
    expect(spike.outcomes[0]?.decision?.message).toBe("gas price 120 gwei above cap 50 gwei: waiting");
    expect(chain.calls.some((c) => c.startsWith("simulate") || c.startsWith("quote"))).toBe(false);
    chain.gasPriceWei = 30n * GWEI;
    const calmGas = await loop.tick();
    expect(calmGas.outcomes[0]?.status).toBe("confirmed");
  });

  it("test_tick_staleFeedRefusesWithAWarningAndSendsNothing", async () => {
    const stale = drifting();
    const [weth, wbtc] = stale.constituents;
    if (weth === undefined || wbtc === undefined) throw new Error("fixture");
    const chain = new FakeChain([{ ...stale, constituents: [weth, { ...wbtc, priceAgeSeconds: 7_200 }] }]);
    const { loop, logs, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes[0]).toMatchObject({ status: "decided", decision: { reason: "STALE_PRICE" } });
    expect(chain.calls.some((c) => c.startsWith("simulate") || c.startsWith("send"))).toBe(false);
    const warn = logs().find((l) => l.level === "warn");
    expect(warn?.msg).toBe("refusing: stale price (WBTC 7200s old > heartbeat 3600s)");
    expect(metrics.registry.get("keeper_decisions_total", { vault: VAULT, action: "none", reason: "STALE_PRICE" })).toBe(1);
  });

  it("test_tick_racingKeeperFirstMakesOurSimulationFailAsAlreadyDone", async () => {
    const chain = new FakeChain([drifting()]);
    chain.beforeSimulate = (vault) => chain.rebalanceNow(vault); // the other keeper lands first
    const { loop, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes[0]).toMatchObject({ status: "already-done", revert: NOT_NEEDED });
    expect(chain.sent).toHaveLength(0);
    expect(metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "simulation" })).toBe(0); // the zero sample from its first listing
    expect(metrics.registry.get("keeper_decisions_total", { vault: VAULT, action: "none", reason: "ALREADY_DONE" })).toBe(1);
  });

  it("test_tick_twoKeepersRacingRebalanceOnceAndNeitherCrashes", async () => {
    const chain = new FakeChain([drifting()]);
    const a = harness(chain);
    const b = harness(chain);
    const [ra, rb] = await Promise.all([a.loop.tick(), b.loop.tick()]);
    const statuses = [ra.outcomes[0]?.status, rb.outcomes[0]?.status].sort();
    expect(statuses).toEqual(["already-done", "confirmed"]);
    // Both simulations passed before either was mined; the vault's re-check reverted the loser.
    expect(chain.mined.map((r) => r.status)).toEqual(["success", "reverted"]);
    expect(chain.state(VAULT).maxDriftBps).toBe(0);
    const loser = ra.outcomes[0]?.status === "already-done" ? a : b;
    expect(loser.metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "race_lost" })).toBe(1);
    expect(loser.metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "reverted" })).toBe(0);
  });

  it("test_tick_unexpectedSimulationRevertIsCountedNotSent", async () => {
    const chain = new FakeChain([drifting()]);
    chain.simulationRevert = { errorName: "Oracle__StalePrice", args: [], message: "Oracle__StalePrice(…)" };
    const { loop, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes[0]).toMatchObject({ status: "simulation-failed", revert: { errorName: "Oracle__StalePrice" } });
    expect(chain.sent).toHaveLength(0);
    expect(metrics.registry.get("keeper_failures_total", { vault: VAULT, kind: "simulation" })).toBe(1);
  });

  it("test_tick_continuesAnInFlightRebalanceBelowThreshold", async () => {
    const chain = new FakeChain([vaultState(510_000n, { rebalanceInFlight: true })]);
    const { loop } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes[0]).toMatchObject({ status: "confirmed", decision: { reason: "CONTINUE_IN_FLIGHT" } });
    expect(chain.calls.some((c) => c.startsWith("quote"))).toBe(false);
  });

  it("test_tick_performsMaintenanceWhenNoRebalanceIsSent", async () => {
    const chain = new FakeChain([calm()]);
    chain.pendingMaintenance = "ClearRebalancing";
    const { loop, metrics } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes[0]).toMatchObject({ status: "confirmed", decision: { reason: "BELOW_THRESHOLD" } });
    expect(chain.pendingMaintenance).toBeUndefined();
    expect(metrics.registry.get("keeper_decisions_total", { vault: VAULT, action: "maintenance", reason: "ClearRebalancing" })).toBe(1);
    expect((await loop.tick()).outcomes[0]?.status).toBe("decided");
  });

  it("test_tick_maintenanceWaitsForGasAndIsOnlyLoggedInDryRun", async () => {
    const chain = new FakeChain([calm()]);
    chain.pendingMaintenance = "ExecuteProposal";
    chain.gasPriceWei = 80n * GWEI;
    const spike = await harness(chain).loop.tick();
    expect(spike.outcomes[0]?.status).toBe("decided");
    expect(chain.calls.some((c) => c.startsWith("maintenance"))).toBe(false);
    chain.gasPriceWei = 10n * GWEI;
    const dry = await harness(chain, { dryRun: true }).loop.tick();
    expect(dry.outcomes[0]?.status).toBe("dry-run");
    expect(chain.sent).toHaveLength(0);
    expect(chain.pendingMaintenance).toBe("ExecuteProposal");
  });

  it("test_tick_simulatedGasCanTurnTheCostTestDown", async () => {
    const chain = new FakeChain([drifting()]);
    chain.simulatedGas = 20_000_000n; // 20 gwei × 20M gas × $2000 = $800 > $600 benefit
    const { loop } = harness(chain);
    const result = await loop.tick();
    expect(result.outcomes[0]).toMatchObject({ status: "decided", decision: { reason: "NOT_WORTH_IT" } });
    expect(chain.sent).toHaveLength(0);
  });

  it("test_run_logsAnUnchangedDecisionOnceAtInfo_restAtDebug", async () => {
    const chain = new FakeChain([calm(), calm(VAULT_B)]);
    const { loop, logs } = harness(chain);
    const N = 20;
    for (let i = 0; i < N; i++) await loop.tick();
    const decisionLines = (level: string, vault: Address) =>
      logs().filter((l) => l.level === level && (l as { vault?: string }).vault === vault && l.reason === "BELOW_THRESHOLD");
    // One info line per vault for N identical decisions; the other N − 1 at debug.
    expect(decisionLines("info", VAULT)).toHaveLength(1);
    expect(decisionLines("info", VAULT_B)).toHaveLength(1);
    expect(decisionLines("debug", VAULT)).toHaveLength(N - 1);
    // Nothing else at info in a quiet loop.
    expect(logs().filter((l) => l.level === "info")).toHaveLength(2);

    // A change is news: the new decision once at info, then debug again; and back.
    chain.gasPriceWei = 500n * GWEI;
    chain.vaults.set(VAULT.toLowerCase(), drifting());
    for (let i = 0; i < 3; i++) await loop.tick();
    expect(logs().filter((l) => l.level === "info" && l.reason === "GAS_ABOVE_CAP")).toHaveLength(1);
    expect(logs().filter((l) => l.level === "debug" && l.reason === "GAS_ABOVE_CAP")).toHaveLength(2);
    chain.vaults.set(VAULT.toLowerCase(), calm());
    await loop.tick();
    await loop.tick();
    expect(decisionLines("info", VAULT)).toHaveLength(2);
    expect(decisionLines("info", VAULT_B)).toHaveLength(1);
  });

  it("test_run_chainIdMismatchIsFatal_evenAfterTheNodeWasDown", async () => {
    // Dead at start; after two failed iterations the node answers, as another chain.
    let listings = 0;
    const chain = new (class extends FakeChain {
      override async listVaults(): Promise<readonly Address[]> {
        listings += 1;
        if (listings > 2) {
          this.rpcDown = false;
          this.nodeChainId = 1;
        }
        if (listings > 50) throw new Error("the loop should have stopped by itself");
        return super.listVaults();
      }
    })([calm()]);
    chain.rpcDown = true;
    const { loop, metrics, logs, delays } = harness(chain);
    const last = await loop.run();
    expect(last?.fatal).toBe("RPC is chain 1, the config says 31337: wrong URL or wrong config (fatal)");
    expect(listings).toBe(3);
    expect(delays).toEqual([1_000, 2_000]); // backed off while down, stopped at the first answer
    expect(last?.outcomes).toEqual([]);
    expect(chain.calls.some((c) => c.startsWith("readSnapshot"))).toBe(false);
    expect(metrics.registry.get("keeper_rpc_up")).toBe(0);
    expect(logs().filter((l) => l.level === "fatal").map((l) => l.msg)).toEqual([last?.fatal]);
  });
});
