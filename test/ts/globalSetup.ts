// vitest global setup: deploys the local market once per run and shares it with every suite (sdk/local/testing.ts).
// The deployment runs in the background: suites that need the chain wait for it, the others start at once.
//   default           : spawn anvil on a free loopback port, deploy with the fixture's forge script, save
//                       anvil's state; every suite starts its own anvil from that state.
//   LOCAL_RPC_URL=url : deploy to that node (or reuse LOCAL_MARKET_JSON=<file> already deployed there);
//                       suites share it one file at a time (vitest.config.ts turns file parallelism off).
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { TestProject } from "vitest/node";
import { readLocalMarket, type LocalMarket } from "../../sdk/local/localMarket";
import { startLocalChain, type LocalChain } from "../../sdk/local/localChain";
import { repoRoot } from "../../sdk/local/paths";
import { READY_FILES } from "../../sdk/local/testing";

/** Writes a file so readers never see it half-written. */
function writeAtomic(file: string, data: string | Buffer): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

export default function setup(project: TestProject): () => Promise<void> {
  const base = join(repoRoot(), "cache", "local-chain");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "run-"));
  const rpcUrl = process.env.LOCAL_RPC_URL ?? "";
  const marketJson = process.env.LOCAL_MARKET_JSON ?? "";
  project.provide("localChain", rpcUrl === "" ? { mode: "spawn", dir } : { mode: "external", rpcUrl, dir });

  const started = performance.now();
  let chain: LocalChain | undefined;
  const deployment = (async () => {
    let market: LocalMarket;
    if (rpcUrl !== "" && marketJson !== "") {
      market = readLocalMarket(marketJson);
    } else {
      chain = await startLocalChain(rpcUrl === "" ? {} : { rpcUrl });
      market = chain.market;
      if (rpcUrl === "") {
        // anvil_dumpState returns gzipped JSON; `anvil --load-state` reads the JSON.
        const dump = Buffer.from((await chain.dumpState()).slice(2), "hex");
        writeAtomic(join(dir, READY_FILES.state), gunzipSync(dump));
        await chain.stop(); // suites start their own anvils from the state
      }
    }
    // The market file is written last: its presence means "ready".
    writeAtomic(join(dir, READY_FILES.market), JSON.stringify(market, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    console.log(`[localChain] local market ready in ${(performance.now() - started).toFixed(0)} ms`);
  })().catch((error: unknown) => {
    writeAtomic(join(dir, READY_FILES.error), error instanceof Error ? (error.stack ?? error.message) : String(error));
  });

  return async () => {
    await deployment;
    await chain?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
