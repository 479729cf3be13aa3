/**
 * The service loop: for each vault, read a snapshot → decide (pure) → quote if asked → simulate →
 * send → await the receipt. Faults are contained:
 *  - one vault's failure never stops the others (each vault is its own try/catch);
 *  - the RPC going away: the iteration is marked down and the next one waits with exponential
 *    backoff (initialMs × 2^(n−1), capped at maxMs), back to the poll interval once it answers;
 *  - gas above the cap: the strategy says GAS_ABOVE_CAP and we wait for the next iteration;
 *  - a stale feed: the strategy refuses (STALE_PRICE) and says which feed and how old;
 *  - a reverted transaction: logged with its decoded reason, counted, the loop goes on;
 *  - a second keeper racing us: the vault's own re-check makes our simulation (or, if it landed
 *    between our simulation and our transaction, our transaction) revert with one of the
 *    configured "already done" errors, which we report as ALREADY_DONE, not as a failure.
 */
import type { ChainAdapter, RevertInfo } from "./chain";
import { ChainMismatchError, isRpcUnavailable } from "./chain";
import type { Logger } from "./logger";
import type { KeeperMetrics } from "./metrics";
import { REASONS, decide, type Decision, type StrategyParams } from "./strategy";
import type { Address, Hash, MarketState, TradeQuote } from "./types";
import { WAD } from "./units";

export interface LoopSettings {
  readonly dryRun: boolean;
  readonly once: boolean;
  readonly pollIntervalMs: number;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  /** Vault custom errors meaning "nothing to do any more" (another keeper won, cooldown began). */
  readonly alreadyDoneErrors: readonly string[];
  /** Strategy parameters and the pre-simulation gas estimate for a vault. */
  readonly paramsFor: (vault: Address) => StrategyParams & { readonly gasEstimate: bigint };
}

export interface LoopDeps {
  readonly adapter: ChainAdapter;
  readonly settings: LoopSettings;
  readonly logger: Logger;
  readonly metrics: KeeperMetrics;
  /** {ms} epoch clock. */
  readonly now?: () => number;
  /** Sleep that resolves early when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The batch duty (keeper/batch.ts BatchKeeper): settle due epochs and push their claims, after the vaults. Gets
   * this iteration's watched vaults (to find their batches).
   */
  readonly batches?: { tick(gasPriceWei: bigint, ethPriceD18: bigint, vaults: readonly Address[]): Promise<readonly { readonly status: string }[]> };
}

export type VaultStatus =
  | "decided" // nothing to send (see decision.reason)
  | "dry-run" // would have sent
  | "confirmed" // sent and mined successfully
  | "reverted" // sent, mined, reverted
  | "already-done" // another keeper (or the vault) got there first
  | "simulation-failed" // the vault refused for a reason we do not expect
  | "rpc-down"
  | "error";

export interface VaultOutcome {
  readonly vault: Address;
  readonly status: VaultStatus;
  readonly decision?: Decision;
  readonly hash?: Hash;
  readonly revert?: RevertInfo;
  readonly error?: string;
}

export interface TickResult {
  /** The RPC answered in this iteration (at least the shared reads). */
  readonly rpcOk: boolean;
  readonly outcomes: readonly VaultOutcome[];
  /** {ms} until the next iteration. */
  readonly nextDelayMs: number;
  /** Set when the keeper must stop (the node is another chain than the config's): `run` returns at once. */
  readonly fatal?: string;
  /** The batch duty's outcomes of this iteration (keeper/batch.ts BatchTickOutcome), when it ran. */
  readonly batchOutcomes?: readonly { readonly status: string }[];
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export class KeeperLoop {
  private consecutiveRpcFailures = 0;
  /** vault (lower-case) → "action/reason" of the decision last logged at info (or warn). */
  private readonly lastLogged = new Map<string, string>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly deps: LoopDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? defaultSleep;
  }

  /** {ms} the delay after `failures` consecutive RPC failures (0 → the poll interval). */
  backoffDelay(failures: number): number {
    const { pollIntervalMs, backoff } = this.deps.settings;
    if (failures === 0) return pollIntervalMs;
    const exp = Math.min(failures - 1, 30);
    return Math.min(backoff.initialMs * 2 ** exp, backoff.maxMs);
  }

  /** Run until `signal` aborts (or once, with `settings.once`). */
  async run(signal?: AbortSignal): Promise<TickResult | undefined> {
    let last: TickResult | undefined;
    const aborted = (): boolean => signal?.aborted === true;
    while (!aborted()) {
      last = await this.tick();
      if (this.deps.settings.once || aborted() || last.fatal !== undefined) break;
      await this.sleep(last.nextDelayMs, signal);
    }
    return last;
  }

  /** One pass over every vault. Never throws. */
  async tick(): Promise<TickResult> {
    const { adapter, logger, metrics } = this.deps;
    let vaults: readonly Address[];
    let gasPriceWei: bigint;
    let ethPriceD18: bigint;
    // All three settle before we look: a wrong chain (listVaults checks the node's chain id on every iteration, so
    // a node that was down at start, or was swapped for another, is caught) wins over any other failure.
    const [listed, gas, eth] = await Promise.allSettled([adapter.listVaults(), adapter.gasPrice(), adapter.ethPriceD18()]);
    const failed = [listed, gas, eth].filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
    const mismatch = failed.find((e) => e instanceof ChainMismatchError);
    if (mismatch !== undefined) {
      const message = (mismatch as Error).message;
      metrics.markTick(this.now(), false);
      logger.fatal({ err: mismatch }, message);
      return { rpcOk: false, outcomes: [], nextDelayMs: 0, fatal: message };
    }
    if (listed.status === "rejected" || gas.status === "rejected" || eth.status === "rejected") {
      return this.finishTick(false, [], failed[0]);
    }
    vaults = listed.value;
    gasPriceWei = gas.value;
    ethPriceD18 = eth.value;
    metrics.initVaults(vaults);

    const outcomes: VaultOutcome[] = [];
    for (const vault of vaults) {
      let outcome: VaultOutcome;
      try {
        outcome = await this.processVault(vault, gasPriceWei, ethPriceD18);
      } catch (e) {
        const rpc = isRpcUnavailable(e);
        metrics.recordFailure(vault, rpc ? "rpc" : "error");
        logger.error({ vault, err: e }, `vault failed: ${describe(e)}`);
        outcome = { vault, status: rpc ? "rpc-down" : "error", error: describe(e) };
      }
      outcomes.push(outcome);
    }
    const allRpcDown = outcomes.length > 0 && outcomes.every((o) => o.status === "rpc-down");
    const batchOutcomes = allRpcDown ? undefined : await this.deps.batches?.tick(gasPriceWei, ethPriceD18, vaults); // never throws
    const result = this.finishTick(!allRpcDown, outcomes);
    return batchOutcomes === undefined ? result : { ...result, batchOutcomes };
  }

  private finishTick(rpcOk: boolean, outcomes: VaultOutcome[], error?: unknown): TickResult {
    const { logger, metrics } = this.deps;
    metrics.markTick(this.now(), rpcOk);
    if (rpcOk) {
      if (this.consecutiveRpcFailures > 0) {
        logger.info({ after: this.consecutiveRpcFailures }, "RPC is back");
      }
      this.consecutiveRpcFailures = 0;
    } else {
      this.consecutiveRpcFailures += 1;
      if (error !== undefined) {
        metrics.recordFailure("*", isRpcUnavailable(error) ? "rpc" : "error");
      }
    }
    const nextDelayMs = this.backoffDelay(this.consecutiveRpcFailures);
    if (!rpcOk) {
      logger.warn(
        { failures: this.consecutiveRpcFailures, retryInMs: nextDelayMs, ...(error !== undefined && { err: error }) },
        `RPC unavailable${error !== undefined ? `: ${describe(error)}` : ""}; backing off`,
      );
    }
    return { rpcOk, outcomes, nextDelayMs };
  }

  private async processVault(vault: Address, gasPriceWei: bigint, ethPriceD18: bigint): Promise<VaultOutcome> {
    const { adapter, settings, logger, metrics } = this.deps;
    const params = settings.paramsFor(vault);
    const state = await adapter.readSnapshot(vault);
    metrics.setDrift(vault, state.maxDriftBps, state.sumDriftBps, Number((state.navD18 * 100n) / WAD) / 100);
    if (state.gracePeriodSeconds !== undefined) metrics.setGracePeriod(vault, state.gracePeriodSeconds);

    const market: MarketState = { gasPriceWei, gasEstimate: params.gasEstimate, ethPriceD18 };
    let decision = decide(state, market, params);
    let quotes: readonly TradeQuote[] | undefined;
    if (decision.reason === REASONS.QUOTES_REQUIRED && decision.plan !== undefined) {
      quotes = await adapter.quote(vault, decision.plan);
      decision = decide(state, { ...market, quotes }, params);
    }

    if (decision.action !== "rebalance") {
      const settled = this.settle(vault, decision);
      const done = await this.maintain(vault, decision, gasPriceWei, params.gasPriceCapWei);
      return done ?? settled;
    }

    metrics.markDue(vault);
    const sim = await adapter.simulateRebalance(vault);
    if (!sim.ok) {
      if (this.isAlreadyDone(sim.revert)) {
        metrics.recordDecision(vault, "none", "ALREADY_DONE");
        const level = this.changed(vault, { action: "none", reason: "ALREADY_DONE" }) ? "info" : "debug";
        logger[level]({ vault, reason: "ALREADY_DONE", revert: sim.revert }, `rebalance no longer needed: ${sim.revert.message}`);
        // The vault may want something else instead (e.g. clearing a timed-out rebalance).
        const done = await this.maintain(vault, decision, gasPriceWei, params.gasPriceCapWei);
        return done ?? { vault, status: "already-done", decision, revert: sim.revert };
      }
      metrics.recordFailure(vault, "simulation");
      logger.warn({ vault, revert: sim.revert, decision }, `simulation reverted: ${sim.revert.message}`);
      return { vault, status: "simulation-failed", decision, revert: sim.revert };
    }

    // Re-run the cost test with the simulated gas (an in-flight continuation skips the cost test).
    if (decision.reason === REASONS.BENEFIT_EXCEEDS_COST && quotes !== undefined) {
      decision = decide(state, { ...market, quotes, gasEstimate: sim.request.gas }, params);
      if (decision.action !== "rebalance") return this.settle(vault, decision);
    }
    metrics.recordDecision(vault, decision.action, decision.reason);

    const news = this.changed(vault, decision);
    if (settings.dryRun) {
      logger[news ? "info" : "debug"]({ vault, decision, gas: sim.request.gas, dryRun: true }, `dry-run: would rebalance (${decision.message})`);
      return { vault, status: "dry-run", decision };
    }

    logger.info({ vault, decision, gas: sim.request.gas }, decision.message);
    const sent = await adapter.sendRebalance(sim.request);
    logger.info({ vault, hash: sent.hash, nonce: sent.nonce }, "rebalance sent");
    const receipt = await adapter.waitForReceipt(sent);
    metrics.recordGas(vault, receipt.gasUsed, receipt.effectiveGasPriceWei);
    if (receipt.status === "success") {
      metrics.recordRebalance(vault, Math.floor(this.now() / 1000));
      logger.info(
        { vault, hash: receipt.hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed },
        "rebalance confirmed",
      );
      return { vault, status: "confirmed", decision, hash: receipt.hash };
    }
    if (receipt.revert !== undefined && this.isAlreadyDone(receipt.revert)) {
      metrics.recordFailure(vault, "race_lost");
      logger.warn(
        { vault, hash: receipt.hash, revert: receipt.revert },
        `rebalance reverted: another keeper got there first (${receipt.revert.message})`,
      );
      return { vault, status: "already-done", decision, hash: receipt.hash, revert: receipt.revert };
    }
    metrics.recordFailure(vault, "reverted");
    logger.error(
      { vault, hash: receipt.hash, revert: receipt.revert },
      `rebalance reverted: ${receipt.revert?.message ?? "no reason"}`,
    );
    return {
      vault,
      status: "reverted",
      decision,
      hash: receipt.hash,
      ...(receipt.revert !== undefined && { revert: receipt.revert }),
    };
  }

  /**
   * Maintenance that unblocks the vault (a timed-out multi-step rebalance to clear, a composition
   * change due): done when no rebalance is sent, the gas price is under the cap and the snapshot was
   * valid. Returns the outcome when a task ran.
   */
  private async maintain(
    vault: Address,
    decision: Decision,
    gasPriceWei: bigint,
    gasPriceCapWei: bigint,
  ): Promise<VaultOutcome | undefined> {
    const { adapter, settings, logger, metrics } = this.deps;
    if (adapter.maintenance === undefined || gasPriceWei > gasPriceCapWei) return undefined;
    if (decision.reason === REASONS.INVALID_SNAPSHOT || decision.reason === REASONS.PAUSED) return undefined;
    const task = await adapter.maintenance(vault);
    if (task === undefined) return undefined;
    metrics.recordDecision(vault, "maintenance", task.action);
    if (settings.dryRun) {
      logger.info({ vault, action: task.action, dryRun: true }, `dry-run: would perform ${task.action}`);
      return { vault, status: "dry-run", decision };
    }
    logger.info({ vault, action: task.action, gas: task.request.gas }, `performing ${task.action}`);
    const sent = await adapter.sendRebalance(task.request);
    const receipt = await adapter.waitForReceipt(sent);
    metrics.recordGas(vault, receipt.gasUsed, receipt.effectiveGasPriceWei);
    if (receipt.status === "success") {
      logger.info({ vault, action: task.action, hash: receipt.hash }, `${task.action} confirmed`);
      return { vault, status: "confirmed", decision, hash: receipt.hash };
    }
    metrics.recordFailure(vault, "reverted");
    logger.error({ vault, action: task.action, hash: receipt.hash, revert: receipt.revert }, `${task.action} reverted`);
    return {
      vault,
      status: "reverted",
      decision,
      hash: receipt.hash,
      ...(receipt.revert !== undefined && { revert: receipt.revert }),
    };
  }

  private settle(vault: Address, decision: Decision): VaultOutcome {
    const { logger, metrics } = this.deps;
    metrics.recordDecision(vault, decision.action, decision.reason);
    const refusing =
      decision.reason === REASONS.STALE_PRICE ||
      decision.reason === REASONS.INVALID_PRICE ||
      decision.reason === REASONS.INVALID_SNAPSHOT;
    const fields = { vault, reason: decision.reason, decision };
    // Only a change is news: the same decision every poll goes to debug (a vault every 5 s at info is ~30 MB/day).
    if (!this.changed(vault, decision)) logger.debug(fields, decision.message);
    else if (refusing) logger.warn(fields, decision.message);
    else logger.info(fields, decision.message);
    return { vault, status: "decided", decision };
  }

  /** Whether `decision` differs (action or reason) from the one last logged for `vault`; records it. */
  private changed(vault: Address, decision: { readonly action: string; readonly reason: string }): boolean {
    const key = `${decision.action}/${decision.reason}`;
    const vaultKey = vault.toLowerCase();
    if (this.lastLogged.get(vaultKey) === key) return false;
    this.lastLogged.set(vaultKey, key);
    return true;
  }

  private isAlreadyDone(revert: RevertInfo): boolean {
    return revert.errorName !== undefined && this.deps.settings.alreadyDoneErrors.includes(revert.errorName);
  }
}
