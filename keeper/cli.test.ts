import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { USAGE, UsageError, main, parseCliArgs } from "./cli";
import { createLogger } from "./logger";
import { FakeChain } from "./testing/fakeChain";
import { VAULT, vaultState } from "./testing/fixtures";

function writeConfig(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "keeper-cli-"));
  const file = join(dir, "keeper.json");
  writeFileSync(
    file,
    JSON.stringify({
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      vaults: [VAULT],
      quoterV2: "0x00000000000000000000000000000000000000c2",
      ethPriceUsd: 2000,
      gasPriceCapGwei: 50,
      ...extra,
    }),
  );
  return file;
}

function capture() {
  const lines: string[] = [];
  return {
    logger: createLogger({ destination: { write: (s: string) => void lines.push(s) } }),
    records: () => lines.map((l) => JSON.parse(l) as { msg: string }),
  };
}

describe("parseCliArgs", () => {
  it("test_parseCliArgs_readsFlags", () => {
    expect(parseCliArgs(["--config", "k.json", "--dry-run", "--once"])).toEqual({ config: "k.json", dryRun: true, once: true });
    expect(parseCliArgs(["-c", "k.json"])).toEqual({ config: "k.json", dryRun: false, once: false });
    expect(parseCliArgs(["--help"])).toBeUndefined();
  });

  it("test_parseCliArgs_rejectsMissingConfigAndUnknownFlags", () => {
    expect(() => parseCliArgs([])).toThrow(new UsageError("--config <file> is required"));
    expect(() => parseCliArgs(["--config", "k.json", "--yolo"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--config", "k.json", "extra"])).toThrow(UsageError);
  });
});

describe("main", () => {
  it("test_main_badConfigExitsTwoWithTheReasons", async () => {
    const err: string[] = [];
    const code = await main(["--config", writeConfig({ gasPriceCapGwei: -1 })], { env: {}, stderr: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("gasPriceCapGwei: Number must be greater than 0");
    expect(err.join("\n")).toContain("KEEPER_PRIVATE_KEY");
  });

  it("test_main_usageErrorPrintsUsage", async () => {
    const err: string[] = [];
    expect(await main(["--nope"], { stderr: (l) => err.push(l) })).toBe(2);
    expect(err).toContain(USAGE);
  });

  it("test_main_onceDryRunRunsOneIterationAndSendsNothing", async () => {
    const chain = new FakeChain([vaultState(560_000n)]);
    const { logger, records } = capture();
    const code = await main(["--config", writeConfig(), "--dry-run", "--once"], {
      env: {},
      logger,
      createAdapter: async () => chain,
    });
    expect(code).toBe(0);
    expect(chain.sent).toHaveLength(0);
    expect(chain.calls.filter((c) => c.startsWith("simulate"))).toHaveLength(1);
    const msgs = records().map((r) => r.msg);
    expect(msgs).toContain("keeper starting (dry-run: nothing will be sent)");
    expect(msgs.some((m) => m.startsWith("dry-run: would rebalance"))).toBe(true);
  });

  it("test_main_onceExitsOneWhenTheRpcIsDown", async () => {
    const chain = new FakeChain([vaultState(560_000n)]);
    chain.rpcDown = true;
    const { logger } = capture();
    const code = await main(["--config", writeConfig(), "--once"], {
      env: { KEEPER_PRIVATE_KEY: `0x${"22".repeat(32)}` },
      logger,
      createAdapter: async () => chain,
    });
    expect(code).toBe(1);
  });

  it("test_main_adapterFailureExitsThree", async () => {
    const { logger, records } = capture();
    const code = await main(["--config", writeConfig(), "--dry-run", "--once"], {
      env: {},
      logger,
      createAdapter: async () => {
        throw new Error("RPC is chain 1, config says 31337");
      },
    });
    expect(code).toBe(3);
    expect(records().map((r) => r.msg)).toContain("keeper could not start");
  });

  it("test_main_runsUntilAbortedAndServesHealth", async () => {
    const chain = new FakeChain([vaultState(510_000n)]);
    const { logger } = capture();
    const controller = new AbortController();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const running = main(["--config", writeConfig({ metricsPort: port, pollIntervalSeconds: 1 }), "--dry-run"], {
      env: {},
      logger,
      createAdapter: async () => chain,
      signal: controller.signal,
    });
    let health: Response | undefined;
    for (let i = 0; i < 50 && health?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    }
    expect(health?.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain(`keeper_vault_max_drift_bps{vault="${VAULT}"} 100`);
    controller.abort();
    expect(await running).toBe(0);
  });
});
