/**
 * The keeper's batch duty (ERC-7540 IndexVaultBatch): per batch, read the open epoch, decide with a pure policy
 * whether to settle now, then settle and push the epoch's claims in one transaction (`multicall` of `settle`,
 * `claimDeposits`, `claimRedeems`; the keeper may claim for any controller, only to the controller itself) for the
 * controllers found in the epoch's DepositRequest / RedeemRequest logs. Metrics: pending
 * size and age, gross value, settlement gas. Never throws out of `tick` (a batch's failure is logged and counted).
 *
 * Which batches: the configured `batches` plus, with a `batchFactory`, each watched vault's batch found through
 * `IndexBatchFactory.batchOf(vault)` (a vault without one yet is asked again on the next tick). Every batch gets zero
 * samples for its counters when first seen. A batch's decision is logged at info when its reason changes and at
 * debug otherwise (a keeper polling every few seconds must not write a line per batch per poll).
 *
 * Policy (`decideSettlement`, pure):
 *  - nothing pending → EMPTY;
 *  - the oldest request reached the batch's maxWait → MAX_WAIT, settle even above the gas cap (users were promised
 *    the wait bound; the contract opens settlement to anyone after the grace period anyway);
 *  - the gas price is above the cap → GAS_ABOVE_CAP (wait);
 *  - the epoch's gross value reached the batch's minSettleValue, or the settlement's gas cost is at most maxCostBps of
 *    the gross value → WORTH_GAS;
 *  - otherwise WAITING.
 */
import type { Logger } from "./logger";
import type { Registry } from "./metrics";
import type { Address } from "./types";
import {
  batchOf,
  epochControllers,
  keeperClaimCalls,
  readBatchStatus,
  sendCalls,
  settleAndClaim,
  silentProgress,
  type AnyPublicClient,
  type BatchPolicyValue,
  type EpochStatusValue,
  type Wallet,
} from "../sdk/client/index";

export const SETTLE_REASONS = ["EMPTY", "MAX_WAIT", "GAS_ABOVE_CAP", "WORTH_GAS", "WAITING"] as const;
export type SettleReason = (typeof SETTLE_REASONS)[number];

export interface SettlementInput {
  readonly status: Pick<EpochStatusValue, "pendingAssets" | "pendingShares" | "age" | "grossValue" | "openedAt">;
  readonly policy: Pick<BatchPolicyValue, "maxWait" | "minSettleValue">;
  /** {wei} */
  readonly gasPriceWei: bigint;
  /** {wei} the most the keeper pays per gas for an early (not yet overdue) settlement */
  readonly gasPriceCapWei: bigint;
  /** D18{USD/ETH} */
  readonly ethPriceD18: bigint;
  /** {gas} expected settlement gas (the last settlement's, or a default) */
  readonly settlementGas: bigint;
  /** {bps} settle early when the settlement costs at most this share of the epoch's gross value */
  readonly maxCostBps: number;
}

export interface SettlementDecision {
  readonly settle: boolean;
  readonly reason: SettleReason;
  /** {USDT units} the settlement's gas cost at the current price (USDT ≈ USD) */
  readonly costUsdt: bigint;
}

/** {USDT units} the cost of `gas` at `gasPriceWei` and `ethPriceD18` (USD per ETH, 18 decimals), USDT taken as USD. */
export function gasCostUsdt(gas: bigint, gasPriceWei: bigint, ethPriceD18: bigint): bigint {
  // wei × D18{USD/ETH} / 1e18 {wei/ETH} = D18{USD}; / 1e12 → 6-decimal USDT units.
  return (gas * gasPriceWei * ethPriceD18) / 10n ** 30n;
}

/** Whether to settle the open epoch now, and why. Pure. */
export function decideSettlement(input: SettlementInput): SettlementDecision {
  const { status, policy } = input;
  const costUsdt = gasCostUsdt(input.settlementGas, input.gasPriceWei, input.ethPriceD18);
  if (status.pendingAssets === 0n && status.pendingShares === 0n) return { settle: false, reason: "EMPTY", costUsdt };
  if (status.age >= BigInt(policy.maxWait)) return { settle: true, reason: "MAX_WAIT", costUsdt };
  if (input.gasPriceWei > input.gasPriceCapWei) return { settle: false, reason: "GAS_ABOVE_CAP", costUsdt };
  const worth =
    (policy.minSettleValue > 0n && status.grossValue >= policy.minSettleValue) ||
    costUsdt * 10_000n <= status.grossValue * BigInt(input.maxCostBps);
  return { settle: worth, reason: worth ? "WORTH_GAS" : "WAITING", costUsdt };
}

export interface BatchKeeperSettings {
  /** Batches to settle whatever the watched vaults are. */
  readonly batches: readonly Address[];
  /** IndexBatchFactory: also settle the batch of each watched vault (`batchOf(vault)`). */
  readonly batchFactory?: Address;
  readonly dryRun: boolean;
  readonly gasPriceCapWei: bigint;
  readonly maxCostBps: number;
  /** {gas} used until a settlement of ours measured one */
  readonly defaultSettlementGas: bigint;
  /** first block to look for request logs (the batches' deployment) */
  readonly fromBlock?: bigint;
}

export interface BatchKeeperDeps {
  readonly client: AnyPublicClient;
  /** The keeper's signer; without one (dry-run without a key) settlements are only reported. */
  readonly wallet?: Wallet;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly settings: BatchKeeperSettings;
}

export type BatchTickStatus = "settled" | "dry-run" | "waiting" | "error";

export interface BatchTickOutcome {
  readonly batch: Address;
  readonly status: BatchTickStatus;
  readonly decision?: SettlementDecision;
  readonly epoch?: bigint;
  readonly settlementGas?: bigint;
  /** controllers whose claims were pushed */
  readonly claimed?: number;
  readonly error?: string;
}

/** Defines the batch metric families on the keeper's registry (idempotent). */
export function defineBatchMetrics(r: Registry): void {
  r.define("keeper_failures_total", "counter", "Failures by vault and kind (rpc, reverted, simulation, error).");
  r.define("keeper_gas_spent_wei_total", "counter", "Gas fees paid by this keeper (gasUsed x effectiveGasPrice), in wei.");
  r.define("keeper_gas_used_total", "counter", "Gas units used by this keeper's transactions.");
  r.define("keeper_batch_pending_assets", "gauge", "USDT units in deposit requests of the batch's open epoch.");
  r.define("keeper_batch_pending_shares", "gauge", "Shares (18 decimals) in redeem requests of the batch's open epoch.");
  r.define("keeper_batch_gross_value_usdt", "gauge", "Gross value of the open epoch (deposits + redeems at NAV), USDT units.");
  r.define("keeper_batch_age_seconds", "gauge", "Age of the open epoch's oldest request, in seconds (0 when empty).");
  r.define("keeper_batch_settlement_gas", "gauge", "Gas of the last settle-and-claim transaction this keeper sent (receipt gasUsed, the pushed claims included).");
  r.define("keeper_batch_settlements_total", "counter", "Epoch settlements confirmed, by reason.");
  r.define("keeper_batch_claims_total", "counter", "Controllers whose claims this keeper pushed.");
  r.define("keeper_batch_decisions_total", "counter", "Settlement decisions by batch and reason.");
  r.define("keeper_batch_max_wait_seconds", "gauge", "The batch's maxWait: an epoch this old is settled whatever the gas price.");
  r.define("keeper_batch_grace_period_seconds", "gauge", "The batch's grace period after maxWait, after which anyone may settle.");
}

/** Zero samples for a batch's counters (alerts on increase() need a sample before the first event). */
export function initBatchMetrics(r: Registry, batch: Address): void {
  for (const reason of SETTLE_REASONS) r.inc("keeper_batch_decisions_total", { batch, reason }, 0);
  for (const reason of SETTLE_REASONS.filter((x) => x === "MAX_WAIT" || x === "WORTH_GAS")) r.inc("keeper_batch_settlements_total", { batch, reason }, 0);
  r.inc("keeper_batch_claims_total", { batch }, 0);
  r.inc("keeper_failures_total", { vault: batch, kind: "batch" }, 0);
  r.inc("keeper_gas_used_total", { vault: batch }, 0n);
  r.inc("keeper_gas_spent_wei_total", { vault: batch }, 0n);
}

/** The batch duty of the keeper loop (hooked into KeeperLoop.tick through `LoopDeps.batches`). */
export class BatchKeeper {
  private readonly lastGas = new Map<Address, bigint>();
  /** vault (lower-case) → its batch, for vaults that have one. */
  private readonly discovered = new Map<string, Address>();
  /** batch (lower-case) → the reason last logged at info. */
  private readonly lastReason = new Map<string, SettleReason>();
  private readonly initialized = new Set<string>();

  constructor(private readonly deps: BatchKeeperDeps) {
    defineBatchMetrics(deps.registry);
    for (const batch of deps.settings.batches) this.init(batch);
  }

  private init(batch: Address): void {
    if (this.initialized.has(batch.toLowerCase())) return;
    this.initialized.add(batch.toLowerCase());
    initBatchMetrics(this.deps.registry, batch);
  }

  /** The configured batches and those of `vaults` (through the batch factory), without duplicates. */
  async batchesFor(vaults: readonly Address[]): Promise<Address[]> {
    const { client, settings, logger } = this.deps;
    if (settings.batchFactory !== undefined) {
      const factory = settings.batchFactory;
      const unknown = vaults.filter((v) => !this.discovered.has(v.toLowerCase()));
      const found = await Promise.allSettled(unknown.map((v) => batchOf(client, factory, v)));
      found.forEach((r, i) => {
        const vault = unknown[i]!;
        if (r.status === "rejected") {
          logger.debug({ vault, batchFactory: factory, err: r.reason }, "batchOf failed; asking again next iteration");
        } else if (r.value !== undefined) {
          this.discovered.set(vault.toLowerCase(), r.value);
          logger.info({ vault, batch: r.value }, "batch found for a watched vault");
        }
      });
    }
    const seen = new Set<string>();
    const out: Address[] = [];
    const discovered = vaults.map((v) => this.discovered.get(v.toLowerCase())).filter((b): b is Address => b !== undefined);
    for (const b of [...settings.batches, ...discovered]) {
      if (seen.has(b.toLowerCase())) continue;
      seen.add(b.toLowerCase());
      this.init(b);
      out.push(b);
    }
    return out;
  }

  /** One pass over every batch (the configured ones and those of the watched `vaults`); never throws. */
  async tick(gasPriceWei: bigint, ethPriceD18: bigint, vaults: readonly Address[] = []): Promise<BatchTickOutcome[]> {
    const out: BatchTickOutcome[] = [];
    let batches: Address[];
    try {
      batches = await this.batchesFor(vaults);
    } catch (e) {
      this.deps.logger.error({ err: e }, `batch discovery failed: ${e instanceof Error ? e.message : String(e)}`);
      batches = [...this.deps.settings.batches];
    }
    for (const batch of batches) {
      try {
        out.push(await this.processBatch(batch, gasPriceWei, ethPriceD18));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.deps.logger.error({ batch, err: e }, `batch failed: ${message}`);
        this.deps.registry.inc("keeper_failures_total", { vault: batch, kind: "batch" });
        out.push({ batch, status: "error", error: message });
      }
    }
    return out;
  }

  private async processBatch(batch: Address, gasPriceWei: bigint, ethPriceD18: bigint): Promise<BatchTickOutcome> {
    const { client, registry, logger, settings } = this.deps;
    const { status, policy } = await readBatchStatus(client, batch);
    registry.set("keeper_batch_pending_assets", { batch }, status.pendingAssets);
    registry.set("keeper_batch_pending_shares", { batch }, status.pendingShares);
    registry.set("keeper_batch_gross_value_usdt", { batch }, status.grossValue);
    registry.set("keeper_batch_age_seconds", { batch }, Number(status.age));
    registry.set("keeper_batch_max_wait_seconds", { batch }, policy.maxWait);
    registry.set("keeper_batch_grace_period_seconds", { batch }, policy.gracePeriod);
    const decision = decideSettlement({
      status,
      policy,
      gasPriceWei,
      gasPriceCapWei: settings.gasPriceCapWei,
      ethPriceD18,
      settlementGas: this.lastGas.get(batch) ?? settings.defaultSettlementGas,
      maxCostBps: settings.maxCostBps,
    });
    registry.inc("keeper_batch_decisions_total", { batch, reason: decision.reason });
    const fields = { batch, epoch: status.epoch, reason: decision.reason, pendingAssets: status.pendingAssets, pendingShares: status.pendingShares, ageSeconds: status.age, costUsdt: decision.costUsdt };
    if (this.lastReason.get(batch.toLowerCase()) !== decision.reason) {
      this.lastReason.set(batch.toLowerCase(), decision.reason);
      logger.info(fields, `batch decision: ${decision.reason}`);
    } else {
      logger.debug(fields, `batch decision: ${decision.reason}`);
    }
    if (!decision.settle) return { batch, status: "waiting", decision, epoch: status.epoch };
    const wallet = this.deps.wallet;
    if (settings.dryRun || wallet === undefined) {
      logger.info({ batch, epoch: status.epoch, reason: decision.reason }, "dry run: would settle the batch");
      return { batch, status: "dry-run", decision, epoch: status.epoch };
    }
    // One transaction: settle, then push the claims of every controller that requested in the epoch (its logs).
    const fromBlock = settings.fromBlock ?? 0n;
    const listed = await epochControllers(client, batch, status.epoch, fromBlock);
    const settled = await settleAndClaim(client, wallet, batch, listed.depositors, listed.redeemers);
    this.lastGas.set(batch, settled.gasUsed);
    registry.set("keeper_batch_settlement_gas", { batch }, settled.gasUsed);
    registry.inc("keeper_batch_settlements_total", { batch, reason: decision.reason });
    registry.inc("keeper_gas_used_total", { vault: batch }, settled.gasUsed);
    registry.inc("keeper_gas_spent_wei_total", { vault: batch }, settled.gasUsed * settled.receipt.effectiveGasPrice);
    logger.info({ batch, epoch: settled.epoch, reason: decision.reason, gasUsed: settled.gasUsed, claimed: settled.claimed }, "batch settled");

    // A request mined between the log read and the settlement joined the settled epoch without being listed: its
    // claim goes in a second transaction (rare).
    const all = await epochControllers(client, batch, settled.epoch, fromBlock);
    const late = {
      depositors: all.depositors.filter((c) => !listed.depositors.includes(c)),
      redeemers: all.redeemers.filter((c) => !listed.redeemers.includes(c)),
    };
    const calls = keeperClaimCalls(batch, late.depositors, late.redeemers);
    if (calls.length > 0) {
      const claims = await sendCalls(client, wallet, calls, silentProgress);
      for (const c of claims) {
        registry.inc("keeper_gas_used_total", { vault: batch }, c.gasUsed);
        registry.inc("keeper_gas_spent_wei_total", { vault: batch }, c.gasUsed * c.receipt.effectiveGasPrice);
      }
      logger.info({ batch, epoch: settled.epoch, controllers: late.depositors.length + late.redeemers.length }, "pushed the claims of late requests");
    }
    const claimed = all.depositors.length + all.redeemers.length;
    registry.inc("keeper_batch_claims_total", { batch }, claimed);
    return { batch, status: "settled", decision, epoch: settled.epoch, settlementGas: settled.gasUsed, claimed };
  }
}
