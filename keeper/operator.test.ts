// The operator's side of the keeper: --metrics-port (0 = off) and KEEPER_METRICS_PORT, the encrypted keystore
// signer, zero samples for counters from the start, "no contract at <factory>" told apart from a dead node, and
// the README's example config failing validation plainly (addresses without code, wrong chain) on a live anvil.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptKeystoreJson } from "ethers";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type AnvilInstance } from "../sdk/local/anvil";
import { keystoreEnv, main, parseCliArgs } from "./cli";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { KeeperMetrics } from "./metrics";

const EXAMPLE = join(import.meta.dirname, "config.example.json");
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const; // anvil account #1
const dir = mkdtempSync(join(tmpdir(), "keeper-operator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("metrics port", () => {
  it("test_metricsPort_flagEnvFile_zeroIsOff", () => {
    expect(parseCliArgs(["--config", "x.json", "--metrics-port", "0"])).toMatchObject({ metricsPort: 0 });
    expect(() => parseCliArgs(["--config", "x.json", "--metrics-port", "-1"])).toThrow();
    expect(() => parseCliArgs(["--config", "x.json", "--metrics-port", "abc"])).toThrow(/--metrics-port must be a port number/);
    const env = { KEEPER_DRY_RUN: "1" };
    expect(loadConfig(EXAMPLE, env).metricsPort).toBe(9464); // the file's
    expect(loadConfig(EXAMPLE, { ...env, KEEPER_METRICS_PORT: "9555" }).metricsPort).toBe(9555);
    expect(loadConfig(EXAMPLE, { ...env, KEEPER_METRICS_PORT: "0" }).metricsPort).toBeUndefined();
    expect(loadConfig(EXAMPLE, { ...env, KEEPER_METRICS_PORT: "9555" }, { metricsPort: 0 }).metricsPort).toBeUndefined();
    expect(() => loadConfig(EXAMPLE, { ...env, KEEPER_METRICS_PORT: "lots" })).toThrow(ConfigError);
  });
});

describe("keystore signer", () => {
  it("test_keystoreEnv_decryptsToThePrivateKey_andRefusesBadInput", async () => {
    const address = privateKeyToAccount(KEY).address;
    const json = await encryptKeystoreJson({ address, privateKey: KEY }, "correct horse", { scrypt: { N: 1 << 10 } });
    const file = join(dir, "keystore.json");
    writeFileSync(file, json);
    const passwordFile = join(dir, "password");
    writeFileSync(passwordFile, "correct horse\n");

    const env = await keystoreEnv({ KEEPER_KEYSTORE: file, KEEPER_KEYSTORE_PASSWORD_FILE: passwordFile });
    expect(env.KEEPER_PRIVATE_KEY).toBe(KEY);
    expect(loadConfig(EXAMPLE, env).secrets.privateKey).toBe(KEY);

    await expect(keystoreEnv({ KEEPER_KEYSTORE: file, KEEPER_KEYSTORE_PASSWORD: "wrong" })).rejects.toThrow(/KEEPER_KEYSTORE: cannot decrypt/);
    await expect(keystoreEnv({ KEEPER_KEYSTORE: file })).rejects.toThrow(/KEEPER_KEYSTORE_PASSWORD/);
    await expect(keystoreEnv({ KEEPER_KEYSTORE: file, KEEPER_KEYSTORE_PASSWORD: "x", KEEPER_PRIVATE_KEY: KEY })).rejects.toThrow(/both set/);
    expect(await keystoreEnv({ KEEPER_PRIVATE_KEY: KEY })).toEqual({ KEEPER_PRIVATE_KEY: KEY });
  });
});

describe("metrics from the start", () => {
  it("test_counters_haveZeroSamples_andMissingContractsAreNotRpcDown", () => {
    const m = new KeeperMetrics();
    const vault = "0x00000000000000000000000000000000000000aa" as const;
    m.initVaults([vault]);
    const text = m.render();
    expect(text).toContain(`keeper_rebalances_total{vault="${vault}"} 0`);
    expect(text).toContain(`keeper_failures_total{kind="reverted",vault="${vault}"} 0`);
    expect(text).toContain(`keeper_gas_spent_wei_total{vault="${vault}"} 0`);
    expect(text).toContain("keeper_up 1");
    expect(text).toContain("keeper_contracts_missing 0");

    m.markTick(1_000, true);
    expect(m.health(1_000, 10_000)).toMatchObject({ status: "ok", rpcUp: true });
    m.setMissingContracts(1, "factory 0x0000000000000000000000000000000000000001");
    expect(m.health(1_000, 10_000)).toEqual(expect.objectContaining({ status: "degraded", rpcUp: true, problem: "no contract at factory 0x0000000000000000000000000000000000000001" }));
    expect(m.render()).toContain("keeper_contracts_missing 1");
    m.recordDecision(vault, "rebalance", "DRIFT");
    expect(m.render()).toContain(`keeper_rebalance_due{vault="${vault}"} 1`);
    m.recordRebalance(vault, 5);
    expect(m.render()).toContain(`keeper_rebalance_due{vault="${vault}"} 0`);
  });
});

describe("the README's keeper command on a chain without the contracts", () => {
  let anvil: AnvilInstance;
  beforeAll(async () => {
    anvil = await startAnvil();
  });
  afterAll(() => anvil?.stop());

  const run = async (config: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> => {
    const lines: string[] = [];
    const code = await main(["--config", config, "--once", "--metrics-port", "0"], { env: { KEEPER_RPC_URL: anvil.rpcUrl, ...env }, stderr: (l) => lines.push(l) });
    return { code, stderr: lines.join("\n") };
  };

  it("test_exampleConfig_addressesWithoutCode_failValidation", async () => {
    const r = await run(EXAMPLE, { KEEPER_PRIVATE_KEY: KEY });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/these addresses have no code on chain 31337 at http:\/\/127\.0\.0\.1:\d+: factory 0x0+1, quoterV2 0x0+2, ethUsdFeed 0x0+3, batchFactory 0x0+4\. On the local chain: start it with `npm run chain`/);
    expect(r.stderr).not.toMatch(/out of bounds/);
  });

  it("test_chainIdMismatch_isFatal", async () => {
    const file = join(dir, "mainnet.json");
    const example = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(EXAMPLE, "utf8"))) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...example, chainId: 1 }));
    const r = await run(file, { KEEPER_DRY_RUN: "1" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is chain 31337, the config says 1: wrong URL or wrong config \(fatal\)/);
  });
});

describe("a wrong chain is fatal whenever the keeper first sees it", () => {
  /** A JSON-RPC node we can take down, bring back and swap for another chain, on one URL. */
  async function fakeNode() {
    const node = { up: false, chainId: 31337 };
    const answer = (req: { id: unknown; method: string }) => {
      const results: Record<string, string> = {
        eth_chainId: `0x${node.chainId.toString(16)}`,
        eth_getCode: "0x6080",
        eth_gasPrice: "0x3b9aca00",
        eth_maxPriorityFeePerGas: "0x0",
        eth_getBalance: "0x0",
        eth_blockNumber: "0x1",
      };
      const result = results[req.method];
      return result === undefined ? { jsonrpc: "2.0", id: req.id, error: { code: -32601, message: `${req.method} not served` } } : { jsonrpc: "2.0", id: req.id, result };
    };
    const server = createServer((req, res) => {
      if (!node.up) return void req.socket.destroy(); // a dead node: the connection drops
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { id: unknown; method: string } | { id: unknown; method: string }[];
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return { node, url, close };
  }

  const configFile = (rpcUrl: string, chainId: number): string => {
    const file = join(dir, `node-${chainId}-${rpcUrl.split(":").pop()}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        chainId,
        rpcUrl,
        vaults: ["0x00000000000000000000000000000000000000a1"],
        quoterV2: "0x00000000000000000000000000000000000000c2",
        ethPriceUsd: 2000,
        gasPriceCapGwei: 50,
        pollIntervalSeconds: 1,
        backoff: { initialMs: 20, maxMs: 50 },
      }),
    );
    return file;
  };

  const start = (file: string) => {
    const lines: string[] = [];
    const stderr: string[] = [];
    const guard = new AbortController(); // the test's own stop: the keeper must have exited by itself long before
    const timer = setTimeout(() => guard.abort(), 20_000);
    const exited = main(["--config", file, "--metrics-port", "0"], {
      env: { KEEPER_DRY_RUN: "1" },
      logger: createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } }),
      stderr: (l) => stderr.push(l),
      signal: guard.signal,
    }).finally(() => clearTimeout(timer));
    const msgs = () => lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    return { exited, msgs, stderr, guard };
  };

  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(cond()).toBe(true);
  };

  it("test_chainIdMismatch_whenTheNodeWasDownAtStart_isFatal", async () => {
    const { node, url, close } = await fakeNode();
    try {
      const k = start(configFile(url, 1));
      await until(() => k.msgs().filter((m) => m.msg.includes("backing off")).length >= 2);
      expect(k.msgs().some((m) => m.msg.startsWith("RPC unavailable at start"))).toBe(true);
      node.up = true; // back, as chain 31337: the config says 1
      expect(await k.exited).toBe(2);
      expect(k.guard.signal.aborted).toBe(false);
      expect(k.stderr.join("\n")).toMatch(/chain 31337, the config says 1: wrong URL or wrong config \(fatal\)/);
      expect(k.msgs().filter((m) => m.level === "fatal").length).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it("test_chainIdMismatch_whenTheNodeIsSwappedWhileRunning_isFatal", async () => {
    const { node, url, close } = await fakeNode();
    node.up = true;
    try {
      const k = start(configFile(url, 31337));
      // Running against the right chain: iterations go on (the fake serves no vault, so the vault fails, not the keeper).
      await until(() => k.msgs().filter((m) => m.msg.startsWith("vault failed")).length >= 2);
      node.chainId = 1;
      expect(await k.exited).toBe(2);
      expect(k.guard.signal.aborted).toBe(false);
      expect(k.stderr.join("\n")).toMatch(/chain 1, the config says 31337: wrong URL or wrong config \(fatal\)/);
    } finally {
      await close();
    }
  });
});
