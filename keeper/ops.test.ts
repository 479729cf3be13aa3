// ops/prometheus-alerts.yml against the metrics the keeper really exports: every keeper_* series a rule uses is
// defined (vault and batch families), the overdue-rebalance rule measures against each vault's own grace period
// (no fixed window), and the gauges it reads behave: due-since set when a due episode begins, kept while it lasts,
// cleared when done; counters (vault and batch) have zero samples before their first event.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BatchKeeper, SETTLE_REASONS } from "./batch";
import { silentLogger } from "./logger";
import { DECISION_SERIES, KeeperMetrics } from "./metrics";
import type { Address } from "./types";

const RULES = join(import.meta.dirname, "..", "ops", "prometheus-alerts.yml");
const VAULT: Address = "0x00000000000000000000000000000000000000a1";
const LATER: Address = "0x00000000000000000000000000000000000000a2";
const BATCH: Address = "0x00000000000000000000000000000000000000b1";

/** alert name → its expr (inline or a `|` block), from the rules file's text. */
function alertExprs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const name = /^\s*- alert: (\S+)/.exec(lines[i]!)?.[1];
    if (name === undefined) continue;
    for (let j = i + 1; j < lines.length && !/^\s*- alert:/.test(lines[j]!); j++) {
      const m = /^(\s*)expr: (.*)$/.exec(lines[j]!);
      if (m === null) continue;
      if (m[2]!.trim() !== "|") {
        out.set(name, m[2]!);
      } else {
        const indent = m[1]!.length;
        const block: string[] = [];
        for (let k = j + 1; k < lines.length && (lines[k]!.trim() === "" || lines[k]!.search(/\S/) > indent); k++) block.push(lines[k]!.trim());
        out.set(name, block.join(" ").trim());
      }
      break;
    }
  }
  return out;
}

function fullRegistry(now: () => number = Date.now): KeeperMetrics {
  const m = new KeeperMetrics(now);
  m.initVaults([VAULT]);
  // The batch families as the keeper defines them (the constructor makes no call to the chain).
  new BatchKeeper({
    client: {} as never,
    registry: m.registry,
    logger: silentLogger(),
    settings: { batches: [BATCH], dryRun: true, gasPriceCapWei: 1n, maxCostBps: 0, defaultSettlementGas: 1n },
  });
  return m;
}

describe("ops/prometheus-alerts.yml", () => {
  const exprs = alertExprs(readFileSync(RULES, "utf8"));

  it("test_alertRules_useOnlyMetricsTheKeeperDefines", () => {
    expect([...exprs.keys()]).toEqual(
      expect.arrayContaining(["KeeperDown", "KeeperRpcDown", "KeeperContractsMissing", "KeeperRebalanceOverdue", "KeeperBatchSettlementOverdue", "KeeperGasBalanceLow", "KeeperFailing"]),
    );
    const rendered = fullRegistry().render();
    for (const [alert, expr] of exprs) {
      const used = expr.match(/keeper_[a-z_]+/g) ?? [];
      expect(used.length, alert).toBeGreaterThan(0);
      for (const metric of used) expect(rendered, `${alert} uses ${metric}`).toContain(`# TYPE ${metric} `);
    }
  });

  it("test_rebalanceOverdue_usesEachVaultsGracePeriod_notAFixedWindow", () => {
    const expr = exprs.get("KeeperRebalanceOverdue")!;
    expect(expr).toContain("keeper_vault_grace_period_seconds");
    expect(expr).toContain("time() - keeper_rebalance_due_since_timestamp_seconds");
    expect(expr).not.toMatch(/\[\d+[smhd]\]/);
    const batch = exprs.get("KeeperBatchSettlementOverdue")!;
    expect(batch).toContain("keeper_batch_max_wait_seconds");
    expect(batch).toContain("keeper_batch_grace_period_seconds");
  });
});

describe("the gauges and counters the rules read", () => {
  it("test_dueSince_startsWithTheEpisode_staysWhileDue_clearsWhenDone", () => {
    let now = 1_000_000;
    const m = fullRegistry(() => now);
    const since = () => m.registry.get("keeper_rebalance_due_since_timestamp_seconds", { vault: VAULT });
    expect(since()).toBe(0);
    m.setGracePeriod(VAULT, 3_600);
    expect(m.registry.get("keeper_vault_grace_period_seconds", { vault: VAULT })).toBe(3_600);

    m.markDue(VAULT);
    expect(since()).toBe(1_000);
    now += 60_000;
    m.recordDecision(VAULT, "none", "GAS_ABOVE_CAP"); // still wanted, waiting for gas: the same episode
    m.markDue(VAULT);
    m.initVaults([VAULT, LATER]); // every iteration: must not reset a known vault
    expect(since()).toBe(1_000);
    expect(m.registry.get("keeper_rebalance_due", { vault: VAULT })).toBe(1);

    now += 60_000;
    m.recordRebalance(VAULT, 1_120);
    expect(since()).toBe(0);
    expect(m.registry.get("keeper_rebalance_due", { vault: VAULT })).toBe(0);
    now += 60_000;
    m.recordDecision(VAULT, "rebalance", "BENEFIT_EXCEEDS_COST"); // a new episode
    expect(since()).toBe(1_180);
    m.recordDecision(VAULT, "none", "BELOW_THRESHOLD");
    expect(since()).toBe(0);
  });

  it("test_counters_haveZeroSamplesFromTheStart_vaultsFoundLaterAndBatches", () => {
    const m = fullRegistry();
    m.recordDecision(VAULT, "rebalance", "BENEFIT_EXCEEDS_COST");
    m.initVaults([VAULT, LATER]); // LATER: found through the factory on a later iteration
    const text = m.render();
    for (const v of [VAULT, LATER]) {
      expect(text).toContain(`keeper_rebalances_total{vault="${v}"} 0`);
      expect(text).toContain(`keeper_gas_used_total{vault="${v}"} 0`);
      for (const kind of ["rpc", "reverted", "simulation", "error"]) expect(text).toContain(`keeper_failures_total{kind="${kind}",vault="${v}"} 0`);
    }
    for (const v of [VAULT, LATER]) {
      expect(text).toContain(`keeper_failures_total{kind="race_lost",vault="${v}"} 0`);
      for (const d of DECISION_SERIES) {
        const value = v === VAULT && d.reason === "BENEFIT_EXCEEDS_COST" ? 1 : 0;
        expect(text).toContain(`keeper_decisions_total{action="${d.action}",reason="${d.reason}",vault="${v}"} ${value}`);
      }
    }
    expect(DECISION_SERIES).toHaveLength(17);
    expect(m.registry.get("keeper_rebalance_due", { vault: VAULT })).toBe(1); // not reset by the second initVaults
    expect(text).toContain('keeper_failures_total{kind="rpc",vault="*"} 0');
    for (const reason of SETTLE_REASONS) expect(text).toContain(`keeper_batch_decisions_total{batch="${BATCH}",reason="${reason}"} 0`);
    for (const reason of ["MAX_WAIT", "WORTH_GAS"]) expect(text).toContain(`keeper_batch_settlements_total{batch="${BATCH}",reason="${reason}"} 0`);
    expect(text).toContain(`keeper_batch_claims_total{batch="${BATCH}"} 0`);
    expect(text).toContain(`keeper_failures_total{kind="batch",vault="${BATCH}"} 0`);
    expect(text).toContain(`keeper_gas_spent_wei_total{vault="${BATCH}"} 0`);
  });
});
