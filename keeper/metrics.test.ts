import { afterEach, describe, expect, it } from "vitest";
import { KeeperMetrics, Registry, escapeLabelValue, startMetricsServer, type MetricsServer } from "./metrics";

const VAULT = "0x00000000000000000000000000000000000000a1";

describe("Registry", () => {
  it("test_render_prometheusTextFormatWithHelpTypeAndSortedLabels", () => {
    const r = new Registry();
    r.define("x_total", "counter", "Things.");
    r.define("y", "gauge", "Level.");
    r.inc("x_total", { vault: "b", kind: "rpc" });
    r.inc("x_total", { kind: "rpc", vault: "b" }, 2);
    r.inc("x_total", { vault: "a", kind: "rpc" });
    r.set("y", {}, 1.5);
    expect(r.render()).toBe(
      [
        "# HELP x_total Things.",
        "# TYPE x_total counter",
        'x_total{kind="rpc",vault="a"} 1',
        'x_total{kind="rpc",vault="b"} 3',
        "# HELP y Level.",
        "# TYPE y gauge",
        "y 1.5",
        "",
      ].join("\n"),
    );
  });

  it("test_render_bigintCountersStayExact", () => {
    const r = new Registry();
    r.define("wei_total", "counter", "Wei.");
    r.inc("wei_total", {}, 2n ** 70n);
    r.inc("wei_total", {}, 1n);
    expect(r.render()).toContain(`wei_total ${2n ** 70n + 1n}\n`);
  });

  it("test_escapeLabelValue_escapesBackslashQuoteNewline", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it("test_define_rejectsInvalidNamesAndUndefinedMetrics", () => {
    const r = new Registry();
    expect(() => r.define("9bad", "gauge", "x")).toThrow("invalid metric name");
    expect(() => r.set("missing", {}, 1)).toThrow("metric missing is not defined");
  });
});

describe("KeeperMetrics", () => {
  it("test_keeperMetrics_exposesDriftRebalanceGasFailuresDecisions", () => {
    const m = new KeeperMetrics();
    m.setDrift(VAULT, 612, 1224, 1_000_000);
    m.recordDecision(VAULT, "none", "BELOW_THRESHOLD");
    m.recordDecision(VAULT, "none", "BELOW_THRESHOLD");
    m.recordRebalance(VAULT, 1_700_000_000);
    m.recordGas(VAULT, 500_000n, 2_000_000_000n);
    m.recordFailure(VAULT, "reverted");
    const text = m.render();
    expect(text).toContain(`keeper_vault_max_drift_bps{vault="${VAULT}"} 612\n`);
    expect(text).toContain(`keeper_vault_sum_drift_bps{vault="${VAULT}"} 1224\n`);
    expect(text).toContain(`keeper_last_rebalance_timestamp_seconds{vault="${VAULT}"} 1700000000\n`);
    expect(text).toContain(`keeper_gas_spent_wei_total{vault="${VAULT}"} 1000000000000000\n`);
    expect(text).toContain(`keeper_failures_total{kind="reverted",vault="${VAULT}"} 1\n`);
    expect(text).toContain(`keeper_decisions_total{action="none",reason="BELOW_THRESHOLD",vault="${VAULT}"} 2\n`);
    expect(text).toContain("# TYPE keeper_gas_spent_wei_total counter\n");
    // Every sample line is `name{labels} value`.
    for (const line of text.trim().split("\n")) {
      expect(line).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+)$/);
    }
  });

  it("test_health_startingThenOkThenDegraded", () => {
    const m = new KeeperMetrics();
    expect(m.health(0, 10_000).status).toBe("starting");
    m.markTick(1_000, true);
    expect(m.health(5_000, 10_000)).toEqual({ status: "ok", rpcUp: true, lastOkTickAt: 1_000, consecutiveRpcFailures: 0 });
    expect(m.health(20_000, 10_000).status).toBe("degraded");
    m.markTick(21_000, false);
    m.markTick(22_000, false);
    expect(m.health(22_000, 10_000)).toMatchObject({ status: "degraded", rpcUp: false, consecutiveRpcFailures: 2 });
    m.markTick(23_000, true);
    expect(m.health(23_000, 10_000).status).toBe("ok");
  });
});

describe("startMetricsServer", () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("test_server_servesMetricsAndHealthOnLoopback", async () => {
    const m = new KeeperMetrics();
    m.setDrift(VAULT, 10, 20);
    let now = 0;
    server = await startMetricsServer(m, 0, 10_000, () => now);
    const base = `http://127.0.0.1:${server.port}`;

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await metrics.text()).toContain(`keeper_vault_max_drift_bps{vault="${VAULT}"} 10`);

    const starting = await fetch(`${base}/health`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({ status: "starting" });

    m.markTick(1_000, true);
    now = 2_000;
    const ok = await fetch(`${base}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok", rpcUp: true });

    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
  });
});
