// `npm run demo` in short mode: on the suite's local chain (market already there), and once on its own anvil to
// check it leaves nothing running. The chart file must exist and be a real SVG.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDemo } from "../../demo/story";
import { rpcRequest } from "../../sdk/local/anvil";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();
mkdirSync(join(repoRoot(), "cache", "test-demo"), { recursive: true });
const tmp = mkdtempSync(join(repoRoot(), "cache", "test-demo", "run-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("demo --short", () => {
  it("test_demo_short_tellsTheStoryAndWritesTheChart", async () => {
    const marketFile = join(tmp, "market.json");
    writeFileSync(marketFile, JSON.stringify(local.chain.market, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    const lines: string[] = [];
    const result = await runDemo(
      { rpcUrl: local.chain.rpcUrl, short: true, marketJson: marketFile, deploymentsDir: join(tmp, "deployments"), outDir: join(tmp, "out"), compile: false },
      (line) => lines.push(line),
    );
    const log = lines.join("\n");

    expect(statSync(result.chartPath).size).toBeGreaterThan(1000);
    const svg = readFileSync(result.chartPath, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("WBTC (60%)");
    expect(svg.match(/<polyline/g)?.length).toBe(3); // index level + two weights

    expect(result.steps.map((s) => s.title.split(" ")[0])).toEqual(["Alice", "Bob", "Carol", "Prices", "Prices", "The", "Alice", "Bob", "Batch:"]);
    const [, , , small, big, rebalanced, aliceOut, bobOut] = result.steps;
    expect(small!.maxDriftBps).toBeLessThan(200n);
    expect(big!.maxDriftBps).toBeGreaterThanOrEqual(200n); // crosses the default 2 % threshold
    expect(result.rebalancedBy).not.toBe("none");
    expect(result.rebalanceGas).toBeGreaterThan(0n);
    expect(rebalanced!.maxDriftBps).toBeLessThan(50n);
    expect(rebalanced!.indexLevel).toBeGreaterThan(1000n * 10n ** 18n); // BTC rallied more than ETH fell
    expect(aliceOut!.nav).toBeLessThan(rebalanced!.nav);
    expect(bobOut!.nav).toBeLessThan(aliceOut!.nav);
    // Users' steps show their gas; market moves (PriceMover, standing for arbitrageurs) show none.
    for (const s of [result.steps[0]!, result.steps[1]!, result.steps[2]!, rebalanced!, aliceOut!, bobOut!]) expect(s.gasUsed).toBeGreaterThan(0n);
    expect([small!.gasUsed, big!.gasUsed]).toEqual([undefined, undefined]);
    // Step 1 accounts for the deposit: mint fee, swapped amount, its value at Chainlink prices, the swap cost.
    expect(log).toMatch(/5,000 USDT in = 25 USDT mint fee \(0\.50 %, to the fee recipient\) \+ 4,975 USDT swapped into the basket, worth [\d,.]+ USDT at Chainlink prices \([\d,.]+ USDT pool fees and price impact\)/);

    expect(log).toMatch(/Step 1 · Alice deposits 5,000 USDT/);
    expect(log).toMatch(/REBALANCE DUE/);
    expect(log).toMatch(/chart: /);
    // The batch step (demo/batch.ts): one settlement with the claims pushed in the same transaction, each user's gas
    // all in printed.
    expect(log).toMatch(/Epoch 1: 400 USDT of deposit requests/);
    expect(log).toMatch(/5 claims pushed in the same keeper transaction/);
    expect(log).toMatch(/per-user gas/);
    expect(log).toMatch(/Per-user gas all in: Wallet 5 [\d,]+, Wallet 6 [\d,]+, Wallet 7 [\d,]+, Wallet 8 [\d,]+, Carol [\d,]+\./);
  }, 300_000);

  it("test_demo_ownAnvil_leavesNoProcess", async () => {
    const lines: string[] = [];
    const result = await runDemo({ short: true, outDir: join(tmp, "own"), compile: false }, (line) => lines.push(line));
    expect(statSync(result.chartPath).size).toBeGreaterThan(1000);
    const url = /started anvil at (http:\/\/127\.0\.0\.1:\d+)/.exec(lines.join("\n"))?.[1];
    expect(url).toBeDefined();
    await expect(rpcRequest(url!, "eth_chainId")).rejects.toThrow();
    expect(result.wallMs).toBeLessThan(180_000);
  }, 300_000);
});
