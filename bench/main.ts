// The benchmark run behind `npm run bench` (entry point: bench/run.ts, which builds first).
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../sdk/local/paths";
import type { BenchEnv } from "./lib/env";
import { startForkBenchEnv } from "./lib/forkEnv";
import { startLocalBenchEnv } from "./lib/localEnv";
import { batchSummary, measureBatch } from "./lib/batch";
import { measureRebalance } from "./lib/rebalance";
import { consoleTable, markdownSummary, toLatest, type BenchOutput } from "./lib/report";
import { GAS_DEPOSIT_USD, measureSize, measureSlippage, type SizeResult, type SlippageDetail } from "./lib/suite";
import { DEFAULT_BENCH_PARAMS, deployProtocol } from "./lib/vault";
import { tradePoolsBothWays } from "./lib/warmup";

export const DEFAULT_SIZES = [1, 2, 5, 10, 20];
/** The size whose vault frames are profiled opcode by opcode (the targets' size). */
const PROFILED_SIZE = 10;
/** Slippage legs: the first 10 constituents (single-hop routes on the local market). */
const SLIPPAGE_CONSTITUENTS = 10;

/** The commit the numbers belong to, marked dirty when contracts/ has uncommitted changes. */
function sourceRevision(): string {
  try {
    const run = (args: string[]) => execFileSync("git", args, { cwd: repoRoot(), encoding: "utf8" }).trim();
    const head = run(["rev-parse", "--short", "HEAD"]);
    return run(["status", "--porcelain", "--", "contracts"]) === "" ? head : `${head} (contracts/ modified)`;
  } catch {
    return "unknown";
  }
}

function writeAtomic(file: string, data: string): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

const json = (value: unknown): string =>
  `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;

export interface BenchOptions {
  fork: boolean;
  /** Basket sizes; default 1, 2, 5, 10, 20. */
  sizes?: number[];
  slippage: boolean;
  /** Output directory; default bench-results/. */
  out?: string;
}

export async function runBench(options: BenchOptions): Promise<number> {
  const fork = options.fork;
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const outDir = options.out ?? join(repoRoot(), "bench-results");
  const prefix = fork ? "fork-" : "";

  const started = performance.now();
  const env: BenchEnv = fork ? await startForkBenchEnv() : (await startLocalBenchEnv()).env;
  try {
    console.log(`bench: ${env.description}`);
    const available = env.market.constituents.length;
    // Every pool any measurement below swaps on (the largest basket, the slippage and batch vaults' first 10), traded
    // both ways once on the local chain before anything is measured; a fork's pools are measured as found.
    const measured = Math.min(available, Math.max(SLIPPAGE_CONSTITUENTS, 10, ...sizes));
    const warmup = await tradePoolsBothWays(env, env.market.constituents.slice(0, measured));
    console.log(`bench: ${warmup.note}`);
    const protocol = await deployProtocol(env);
    const sizeResults: SizeResult[] = [];
    for (const n of sizes) {
      if (n > available) {
        console.log(`bench: skipping ${n} constituents (the market lists ${available})`);
        continue;
      }
      const t0 = performance.now();
      sizeResults.push(await measureSize(env, protocol, env.market.constituents.slice(0, n), { profile: n === PROFILED_SIZE }));
      console.log(`bench: ${n} constituents measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    let slippage: SlippageDetail[] = [];
    if (options.slippage) {
      const tokens = env.market.constituents.slice(0, Math.min(SLIPPAGE_CONSTITUENTS, available));
      slippage = await measureSlippage(env, protocol, tokens);
    }
    const rebalance = await measureRebalance(env, protocol, sizes.filter((n) => n <= available));
    const batchRows = await measureBatch(env, protocol, env.market.constituents.slice(0, Math.min(10, available)));
    const partial = {
      sizes: sizeResults,
      slippage,
      rebalance: rebalance.detail,
      rebalanceMeasurements: rebalance.measurements,
      meta: {
        mode: fork ? "mainnet fork" : "local market",
        description: `${env.description}, contracts at ${sourceRevision()}`,
        depositUsd: GAS_DEPOSIT_USD,
        poolWarmup: warmup.note,
        vaultParams: {
          mintFeeBps: DEFAULT_BENCH_PARAMS.mintFeeBps,
          burnFeeBps: DEFAULT_BENCH_PARAMS.burnFeeBps,
          managementFeeBps: DEFAULT_BENCH_PARAMS.managementFeeBps,
          maxSlippageBps: DEFAULT_BENCH_PARAMS.maxSlippageBps,
        },
      },
    };
    const output: BenchOutput = { ...partial, latest: { ...toLatest(partial, rebalance.rows), batch: batchRows } };
    mkdirSync(outDir, { recursive: true });
    writeAtomic(join(outDir, `${prefix}latest.json`), json(output.latest));
    writeAtomic(join(outDir, `${prefix}details.json`), json({ meta: output.meta, sizes: output.sizes, slippage: output.slippage, rebalance: output.rebalance, rebalanceMeasurements: output.rebalanceMeasurements }));
    writeAtomic(join(outDir, `${prefix}summary.md`), `${markdownSummary(output, fork ? "npm run bench -- --fork" : "npm run bench")}\n${batchSummary(batchRows)}\n`);
    console.log("");
    console.log(consoleTable(output));
    console.log(`\n${batchSummary(batchRows)}`);
    console.log(`\nbench: wrote ${join(outDir, `${prefix}latest.json`)}, ${prefix}details.json, ${prefix}summary.md in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await env.stop();
  }
}

