// The local chain's tools: `npm run chain` (everything deployed, feeds kept fresh), the CLI's local tools
// (cli/localTools.ts: prices refresh / move, time warp, faucet), per-chain deployment records, and plain
// "no node at …" messages from the CLI and deploy:local.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainIdentity, deploymentsDirFor, deploymentsRootFor } from "../../cli/deployments";
import { devAccounts } from "../../sdk/local/accounts";
import { freePort, rpcRequest, startAnvil } from "../../sdk/local/anvil";
import { LOCAL_ANVIL_ARGS } from "../../sdk/local/localChain";
import { oldestFeedAge } from "../../sdk/local/localTools";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";
import { runCliCaptured, type CliRun } from "./cliHarness";

const root = repoRoot();
const local = useLocalChain();
const DEAD = "http://127.0.0.1:9"; // discard port: nothing answers JSON-RPC there
let records: string;

beforeAll(() => {
  // A records folder holding only the local market, as `npm run chain` / deploy:local would write it.
  mkdirSync(join(root, "cache"), { recursive: true });
  const dir = mkdtempSync(join(root, "cache", "local-tools-"));
  records = join(dir, "localhost");
  mkdirSync(records);
  writeFileSync(join(records, ".chainId"), String(local.chain.market.chainId));
  writeFileSync(
    join(records, "LocalMarket.json"),
    JSON.stringify({ address: local.chain.market.priceMover, abi: [], linkedData: local.chain.market }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  );
});
afterAll(() => rmSync(join(records, ".."), { recursive: true, force: true }));

const cli = (args: string[], rpcUrl = local.chain.rpcUrl, extra: string[] = ["--deployments", records]): Promise<CliRun> => runCliCaptured([...args, "--rpc", rpcUrl, ...extra]);

const feedOf = (symbol: string) => local.chain.contracts.feedOf(local.chain.market.constituents.find((c) => c.symbol === symbol)!.address);
const poolPrice = async (symbol: string): Promise<bigint> => {
  const c = local.chain.market.constituents.find((x) => x.symbol === symbol)!;
  const [sqrt] = await local.chain.contracts.pool(c.pools[0]!).read.slot0();
  return sqrt;
};

describe("no node: one plain line", () => {
  it("test_cli_noNode_saysStartOneWithNpmRunChain", async () => {
    const r = await cli(["status"], DEAD, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no node at ${DEAD}: start one with \`npm run chain\``);
    const tool = await cli(["prices", "refresh"], DEAD, []);
    expect(tool.code).toBe(1);
    expect(tool.stderr).toContain(`no node at ${DEAD}: start one with \`npm run chain\``);
  });

  it("test_deployLocal_noNode_saysStartOneWithNpmRunChain_noHardhatTrace", async () => {
    const run = await promisify(execFile)(join(root, "node_modules", ".bin", "tsx"), [join(root, "tools", "deployLocal.ts"), "--rpc", DEAD], { cwd: root }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`deploy:local: no node at ${DEAD}: start one with \`npm run chain\` (or pass --rpc <url>)`);
    expect(run.stderr).not.toMatch(/HH108|at .*\.js:\d+/);
  });
});

describe("per-chain deployment records", () => {
  it("test_records_twoNodes_haveTheirOwnFolders", async () => {
    const other = await startAnvil({ args: LOCAL_ANVIL_ARGS });
    try {
      const [a, b] = [await chainIdentity(local.chain.rpcUrl), await chainIdentity(other.rpcUrl)];
      expect(a.chainId).toBe(b.chainId);
      expect(a.genesisHash).not.toBe(b.genesisHash);
      expect(deploymentsDirFor(root, a)).not.toBe(deploymentsDirFor(root, b));
      expect(deploymentsDirFor(root, a)).toBe(join(root, "deployments", "local", `31337-${a.genesisHash.slice(2, 10)}`, "localhost"));
      expect(deploymentsRootFor(root, { chainId: 1, genesisHash: a.genesisHash })).toBe(join(root, "deployments"));
      // The other node has no records: the CLI says how to get some, and --factory is a real way out.
      const r = await cli(["indexes"], other.rpcUrl, []);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no IndexFactory recorded for this chain .*npm run chain.*--factory <address>/);
      const withFactory = await cli(["indexes", "--factory", local.chain.market.priceMover], other.rpcUrl, []);
      expect(withFactory.stderr).not.toMatch(/belongs to chain|no IndexFactory recorded/);
    } finally {
      await other.stop();
    }
  });
});

describe("CLI local tools", () => {
  it("test_pricesMove_both_movesFeedAndPool", async () => {
    const [, before] = await feedOf("WBTC").read.latestRoundData();
    const poolBefore = await poolPrice("WBTC");
    const r = await cli(["prices", "move", "WBTC", "10"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [, after] = await feedOf("WBTC").read.latestRoundData();
    expect(after).toBe((before * 110n) / 100n);
    expect(await poolPrice("WBTC")).not.toBe(poolBefore);
    expect(r.stdout).toMatch(/WBTC: \$[\d.]+ → \$[\d.]+ \(\+10 %, feed and \d+ pool\(s\)\)/);
  });

  it("test_pricesMove_feedOnly_and_poolOnly_moveOneSide", async () => {
    const pool0 = await poolPrice("WETH");
    const [, feed0] = await feedOf("WETH").read.latestRoundData();
    const feedOnly = await cli(["prices", "move", "WETH", "-5", "--feed-only", "--json"]);
    expect(feedOnly.code).toBe(0);
    expect(JSON.parse(feedOnly.stdout)).toMatchObject({ ok: true, token: "WETH", mode: "feed-only" });
    const [, feed1] = await feedOf("WETH").read.latestRoundData();
    expect(feed1).toBe((feed0 * 95n) / 100n);
    expect(await poolPrice("WETH")).toBe(pool0); // the pool lags

    const poolOnly = await cli(["prices", "move", "WETH", "8", "--pool-only"]);
    expect(poolOnly.code).toBe(0);
    const [, feed2] = await feedOf("WETH").read.latestRoundData();
    expect(feed2).toBe(feed1); // the oracle lags
    expect(await poolPrice("WETH")).not.toBe(pool0);

    const both = await cli(["prices", "move", "WETH", "1", "--feed-only", "--pool-only"]);
    expect(both.code).toBe(2);
    const unknown = await cli(["prices", "move", "DOGE", "1"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no local-market token "DOGE": use one of USDT, (\w+, )*WBTC/);
  });

  it("test_timeWarp_refreshesFeeds_unlessNoRefresh_andPricesRefreshRevives", async () => {
    const t0 = (await local.chain.publicClient.getBlock()).timestamp;
    const stale = await cli(["time", "warp", "7200", "--no-refresh"]);
    expect(stale.code).toBe(0);
    expect((await local.chain.publicClient.getBlock()).timestamp).toBeGreaterThanOrEqual(t0 + 7200n);
    expect(await oldestFeedAge(local.chain)).toBeGreaterThanOrEqual(7200n);

    const refresh = await cli(["prices", "refresh"]);
    expect(refresh.code).toBe(0);
    expect(refresh.stdout).toMatch(/WBTC .* 7\d{3} s/);
    expect(await oldestFeedAge(local.chain)).toBeLessThan(60n);

    const warp = await cli(["time", "warp", "3600"]);
    expect(warp.code).toBe(0);
    expect(warp.stdout).toContain(`; ${local.chain.market.constituents.length + 1} feeds re-posted`);
    expect(await oldestFeedAge(local.chain)).toBeLessThan(60n);
    expect((await cli(["time", "warp", "-5"])).code).toBe(2);
  });

  it("test_faucet_token_mintsToTheAccount", async () => {
    const me = devAccounts()[3]!.address;
    const wbtc = local.chain.market.constituents.find((c) => c.symbol === "WBTC")!;
    const balance = async (): Promise<bigint> => local.chain.contracts.tokens.find((t) => t.address === wbtc.address)!.read.balanceOf([me]);
    const before = await balance();
    const r = await cli(["faucet", "WBTC", "2", "--account", "3"]);
    expect(r.code).toBe(0);
    expect(await balance()).toBe(before + 2n * 10n ** BigInt(wbtc.decimals));
    expect(r.stdout).toContain(`minted 2 WBTC to ${me}`);
  });
});

describe("npm run chain", () => {
  it("test_chain_deploysEverything_keepsFeedsFresh_andStops", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), [join(root, "sdk", "local", "cli", "localChain.ts"), "--port", String(port), "--refresh", "1", "--verbose"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
    let recordsRoot: string | undefined;
    try {
      const deadline = Date.now() + 540_000;
      while (!out.includes("local chain ready") && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(out, `npm run chain did not get ready (exit ${child.exitCode}):\n${out.slice(-3000)}`).toContain("local chain ready");
      recordsRoot = deploymentsRootFor(root, await chainIdentity(url));
      expect(out).toMatch(/index {6}btc-eth {4}0x[0-9a-fA-F]{40}/);
      expect(out).toContain(`npm run cli -- indexes --rpc ${url}`);

      const indexes = await cli(["indexes", "--json"], url, []);
      expect(indexes.stderr).toBe("");
      expect(indexes.code).toBe(0);
      expect(JSON.stringify(JSON.parse(indexes.stdout))).toMatch(/BTCETH/);
      // The batch commands read the same records (the chain's own folder) without --deployments.
      const pending = await cli(["pending", "--vault", "btc-eth", "--json"], url, []);
      expect(pending.code, pending.stderr).toBe(0);
      expect(pending.json.batch).toMatch(/^0x[0-9a-fA-F]{40}$/);

      // Stale feeds come back: warp past the heartbeat without refreshing; the chain's price keeper re-posts.
      expect((await cli(["time", "warp", "7200", "--no-refresh"], url, [])).code).toBe(0);
      const refreshedBy = Date.now() + 30_000;
      let fresh = false;
      while (!fresh && Date.now() < refreshedBy) {
        await new Promise((r) => setTimeout(r, 500));
        fresh = /feeds re-posted \(oldest was 7\d{3} s old\)/.test(out);
      }
      expect(fresh, out.slice(-2000)).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await exited;
      }
      if (recordsRoot !== undefined) rmSync(recordsRoot, { recursive: true, force: true });
    }
    await expect(rpcRequest(url, "eth_chainId")).rejects.toThrow();
  }, 600_000);
});
