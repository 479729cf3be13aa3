/**
 * Keeper metrics in the Prometheus text exposition format (version 0.0.4) and a health check,
 * served by node:http on 127.0.0.1 only.
 *
 *   GET /metrics  → text/plain; version=0.0.4
 *   GET /health   → 200 {"status":"ok",…} or 503 {"status":"starting"|"degraded",…}
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { REASONS } from "./strategy";
import type { Address } from "./types";

/** Every (action, reason) a vault's decision can be recorded with (QUOTES_REQUIRED is internal, never recorded). */
export const DECISION_SERIES: readonly { readonly action: string; readonly reason: string }[] = [
  ...Object.values(REASONS)
    .filter((r) => r !== REASONS.QUOTES_REQUIRED)
    .map((reason) => ({ action: reason === REASONS.CONTINUE_IN_FLIGHT || reason === REASONS.BENEFIT_EXCEEDS_COST ? "rebalance" : "none", reason })),
  { action: "none", reason: "ALREADY_DONE" },
  { action: "maintenance", reason: "ClearRebalancing" },
  { action: "maintenance", reason: "ExecuteProposal" },
];

type Value = number | bigint;
type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly series: Map<string, { labels: Labels; value: Value }>;
}

/** Escape a label value: backslash, double quote and newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(v: Value): string {
  if (typeof v === "bigint") return v.toString();
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ""}`)
    .join(",");
}

/** A minimal registry: counters and gauges with labels, rendered in a stable order. */
export class Registry {
  private readonly families = new Map<string, Family>();

  define(name: string, type: "counter" | "gauge", help: string): void {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
    if (!this.families.has(name)) this.families.set(name, { name, type, help, series: new Map() });
  }

  private family(name: string): Family {
    const f = this.families.get(name);
    if (f === undefined) throw new Error(`metric ${name} is not defined`);
    return f;
  }

  set(name: string, labels: Labels, value: Value): void {
    this.family(name).series.set(labelKey(labels), { labels, value });
  }

  inc(name: string, labels: Labels, by: Value = 1): void {
    const f = this.family(name);
    const key = labelKey(labels);
    const prev = f.series.get(key)?.value ?? (typeof by === "bigint" ? 0n : 0);
    const value =
      typeof prev === "bigint" || typeof by === "bigint" ? BigInt(prev) + BigInt(by) : prev + by;
    f.series.set(key, { labels, value });
  }

  get(name: string, labels: Labels = {}): Value | undefined {
    return this.family(name).series.get(labelKey(labels))?.value;
  }

  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`);
      lines.push(`# TYPE ${f.name} ${f.type}`);
      const series = [...f.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [, { labels, value }] of series) {
        const names = Object.keys(labels).sort();
        const rendered =
          names.length === 0
            ? ""
            : `{${names.map((k) => `${k}="${escapeLabelValue(labels[k] ?? "")}"`).join(",")}}`;
        lines.push(`${f.name}${rendered} ${formatValue(value)}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}

export interface HealthReport {
  readonly status: "ok" | "starting" | "degraded";
  readonly rpcUp: boolean;
  /** {ms} epoch of the last iteration in which the RPC answered. */
  readonly lastOkTickAt?: number;
  readonly consecutiveRpcFailures: number;
  /** Set when the node answers but configured contracts have no code: "no contract at factory 0x…". */
  readonly problem?: string;
}

/** The keeper's metrics, named once here. */
export class KeeperMetrics {
  readonly registry = new Registry();
  private lastOkTickAtMs: number | undefined;
  private rpcUp = false;
  private consecutiveRpcFailures = 0;
  private missingContracts: string | undefined;
  private readonly initialized = new Set<string>();
  /** vault (lower-case) → {s} when its current "rebalance due" episode began. */
  private readonly dueSince = new Map<string, number>();
  private readonly nowSeconds: () => number;

  constructor(now: () => number = Date.now) {
    this.nowSeconds = () => Math.floor(now() / 1000);
    const r = this.registry;
    r.define("keeper_vault_max_drift_bps", "gauge", "Largest |weight - target| of the vault at the last read, in bps.");
    r.define("keeper_vault_sum_drift_bps", "gauge", "Sum of |weight - target| of the vault at the last read, in bps.");
    r.define("keeper_vault_nav_usd", "gauge", "Vault NAV at the last read, in USD.");
    r.define("keeper_last_rebalance_timestamp_seconds", "gauge", "Unix time of the last confirmed rebalance sent by this keeper.");
    r.define("keeper_rebalances_total", "counter", "Rebalance transactions confirmed successfully.");
    r.define("keeper_gas_spent_wei_total", "counter", "Gas fees paid by this keeper (gasUsed x effectiveGasPrice), in wei.");
    r.define("keeper_gas_used_total", "counter", "Gas units used by this keeper's transactions.");
    r.define("keeper_failures_total", "counter", "Failures by vault and kind (rpc, reverted, simulation, error).");
    r.define("keeper_decisions_total", "counter", "Strategy decisions by vault, action and reason code.");
    r.define("keeper_rpc_up", "gauge", "1 when the last RPC call succeeded, else 0.");
    r.define("keeper_last_tick_timestamp_seconds", "gauge", "Unix time of the last loop iteration in which the RPC answered.");
    r.define("keeper_up", "gauge", "1 while the keeper process runs (absent when it is down).");
    r.define("keeper_contracts_missing", "gauge", "Configured contracts (factory, quoter, feed, vaults) with no code on the node: 0 when all are there.");
    r.define("keeper_wallet_balance_wei", "gauge", "ETH balance of the keeper's signing account, in wei.");
    r.define("keeper_rebalance_due", "gauge", "1 while the vault's last decision was to rebalance and it is not done, else 0.");
    r.define("keeper_rebalance_due_since_timestamp_seconds", "gauge", "Unix time at which the vault's current rebalance-due episode began (0 while none is due).");
    r.define("keeper_vault_grace_period_seconds", "gauge", "The vault's rebalance grace period (rebalanceConfig().gracePeriod): drift flagged this long without a keeper rebalance lets anyone rebalance.");
    // Samples from the start: alerts on rate()/increase() need a zero before the first event.
    r.set("keeper_up", {}, 1);
    r.set("keeper_rpc_up", {}, 0);
    r.set("keeper_contracts_missing", {}, 0);
    r.inc("keeper_failures_total", { vault: "*", kind: "rpc" }, 0);
  }

  /**
   * Zero samples for every per-vault counter, for vaults not seen before (idempotent: the loop calls it with every
   * iteration's vaults, so vaults found later through the factory get their zeros when first listed).
   */
  initVaults(vaults: readonly Address[]): void {
    for (const vault of vaults) {
      if (this.initialized.has(vault.toLowerCase())) continue;
      this.initialized.add(vault.toLowerCase());
      this.registry.inc("keeper_rebalances_total", { vault }, 0);
      this.registry.inc("keeper_gas_spent_wei_total", { vault }, 0n);
      this.registry.inc("keeper_gas_used_total", { vault }, 0n);
      for (const kind of ["rpc", "reverted", "simulation", "error", "race_lost"]) this.registry.inc("keeper_failures_total", { vault, kind }, 0);
      for (const d of DECISION_SERIES) this.registry.inc("keeper_decisions_total", { vault, ...d }, 0);
      this.registry.set("keeper_rebalance_due", { vault }, 0);
      this.registry.set("keeper_rebalance_due_since_timestamp_seconds", { vault }, 0);
    }
  }

  /** {s} the vault's rebalance grace period, the yardstick of the "due rebalance not done" alert. */
  setGracePeriod(vault: Address, seconds: number): void {
    this.registry.set("keeper_vault_grace_period_seconds", { vault }, seconds);
  }

  /** The strategy wants a rebalance of `vault` (before its simulation: a rebalance that cannot be sent is still due). */
  markDue(vault: Address): void {
    this.setDue(vault, true);
  }

  private setDue(vault: Address, due: boolean): void {
    this.registry.set("keeper_rebalance_due", { vault }, due ? 1 : 0);
    const key = vault.toLowerCase();
    if (!due) this.dueSince.delete(key);
    else if (!this.dueSince.has(key)) this.dueSince.set(key, this.nowSeconds());
    this.registry.set("keeper_rebalance_due_since_timestamp_seconds", { vault }, this.dueSince.get(key) ?? 0);
  }

  /** Configured contracts without code ("factory 0x…, vault 0x…"), or none. */
  setMissingContracts(count: number, description?: string): void {
    this.registry.set("keeper_contracts_missing", {}, count);
    this.missingContracts = count > 0 ? `no contract at ${description ?? `${count} configured address(es)`}` : undefined;
  }

  setWalletBalance(wei: bigint): void {
    this.registry.set("keeper_wallet_balance_wei", {}, wei);
  }

  setDrift(vault: Address, maxDriftBps: number, sumDriftBps: number, navUsd?: number): void {
    this.registry.set("keeper_vault_max_drift_bps", { vault }, maxDriftBps);
    this.registry.set("keeper_vault_sum_drift_bps", { vault }, sumDriftBps);
    if (navUsd !== undefined) this.registry.set("keeper_vault_nav_usd", { vault }, navUsd);
  }

  recordDecision(vault: Address, action: string, reason: string): void {
    this.registry.inc("keeper_decisions_total", { vault, action, reason });
    // Due: the keeper would rebalance (or would, but for the gas price cap) and has not yet.
    this.setDue(vault, action === "rebalance" || reason === "GAS_ABOVE_CAP");
  }

  /** A confirmed, successful rebalance (its gas is recorded with `recordGas`). */
  recordRebalance(vault: Address, timestampSeconds: number): void {
    this.registry.set("keeper_last_rebalance_timestamp_seconds", { vault }, timestampSeconds);
    this.registry.inc("keeper_rebalances_total", { vault });
    this.setDue(vault, false);
  }

  /** Gas paid by any mined transaction of ours, including reverted ones. */
  recordGas(vault: Address, gasUsed: bigint, effectiveGasPriceWei: bigint): void {
    this.registry.inc("keeper_gas_spent_wei_total", { vault }, gasUsed * effectiveGasPriceWei);
    this.registry.inc("keeper_gas_used_total", { vault }, gasUsed);
  }

  recordFailure(vault: Address | "*", kind: string): void {
    this.registry.inc("keeper_failures_total", { vault, kind });
  }

  /** Record whether the RPC answered in this iteration. */
  markTick(nowMs: number, rpcAnswered: boolean): void {
    this.rpcUp = rpcAnswered;
    this.registry.set("keeper_rpc_up", {}, rpcAnswered ? 1 : 0);
    if (rpcAnswered) {
      this.consecutiveRpcFailures = 0;
      this.lastOkTickAtMs = nowMs;
      this.registry.set("keeper_last_tick_timestamp_seconds", {}, Math.floor(nowMs / 1000));
    } else {
      this.consecutiveRpcFailures += 1;
    }
  }

  /** ok: the RPC answered within `maxAgeMs`; starting: never answered yet; degraded otherwise. */
  health(nowMs: number, maxAgeMs: number): HealthReport {
    const base = {
      rpcUp: this.rpcUp,
      consecutiveRpcFailures: this.consecutiveRpcFailures,
      ...(this.missingContracts === undefined ? {} : { problem: this.missingContracts }),
    };
    if (this.lastOkTickAtMs === undefined) return { status: this.missingContracts === undefined ? "starting" : "degraded", ...base };
    const status = this.rpcUp && this.missingContracts === undefined && nowMs - this.lastOkTickAtMs <= maxAgeMs ? "ok" : "degraded";
    return { status, lastOkTickAt: this.lastOkTickAtMs, ...base };
  }

  render(): string {
    return this.registry.render();
  }
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serve /metrics and /health on 127.0.0.1:`port` (0 → an ephemeral port). Loopback only:
 * there is no option to bind elsewhere.
 */
export function startMetricsServer(
  metrics: KeeperMetrics,
  port: number,
  healthMaxAgeMs: number,
  now: () => number = Date.now,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : metrics.render());
      return;
    }
    if (path === "/health") {
      const report = metrics.health(now(), healthMaxAgeMs);
      res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json" });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify(report));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        port: bound,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((e) => (e ? fail(e) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
