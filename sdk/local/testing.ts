// The local chain for vitest suites. test/ts/globalSetup.ts deploys the local market once per run (in the
// background, so suites that do not need a chain are not kept waiting) and shares the resulting anvil state;
// each suite then gets its OWN anvil started from that state (~0.4 s), so suites run in parallel and never see
// each other's transactions. With LOCAL_RPC_URL set, suites share that node one at a time instead, each reverting
// to a snapshot when it ends.
//
//   const local = useLocalChain();                    // at the top of a describe block / file
//   it("...", async () => { await local.chain.contracts.usdt.read.decimals(); });
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { startAnvil } from "./anvil";
import { connectLocalChain, LOCAL_ANVIL_ARGS, type LocalChain } from "./localChain";
import { parseLocalMarket } from "./localMarket";

/** What the global setup hands to every test worker. */
export type LocalChainContext =
  | { mode: "spawn"; dir: string }
  | { mode: "external"; rpcUrl: string; dir: string };

declare module "vitest" {
  export interface ProvidedContext {
    localChain: LocalChainContext;
  }
}

/** Files the global setup writes into its directory. */
export const READY_FILES = { market: "market.json", state: "state.json", error: "error.txt" } as const;

/** Waits for the global setup's deployment (or its failure) and returns the market JSON path. */
async function waitForDeployment(dir: string, timeoutMs: number): Promise<string> {
  const marketFile = join(dir, READY_FILES.market);
  const errorFile = join(dir, READY_FILES.error);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(errorFile)) throw new Error(`local market deployment failed:\n${readFileSync(errorFile, "utf8")}`);
    if (existsSync(marketFile)) return marketFile;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`local market not deployed within ${timeoutMs} ms (dir ${dir})`);
}

/**
 * A local chain for one suite: a fresh anvil loaded with the deployed market, or (LOCAL_RPC_URL) the shared
 * node with a snapshot that `stop()` reverts to.
 */
export async function localChainForSuite(timeoutMs = 170_000): Promise<LocalChain> {
  const context = inject("localChain");
  const market = parseLocalMarket(JSON.parse(readFileSync(await waitForDeployment(context.dir, timeoutMs), "utf8")));
  if (context.mode === "external") {
    const chain = await connectLocalChain(context.rpcUrl, market);
    const revert = await chain.snapshot();
    return { ...chain, stop: revert };
  }
  const anvil = await startAnvil({ args: [...LOCAL_ANVIL_ARGS, "--load-state", join(context.dir, READY_FILES.state)] });
  try {
    return await connectLocalChain(anvil.rpcUrl, market, { stop: anvil.stop });
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/**
 * Registers beforeAll/afterAll hooks that start and stop the suite's local chain; read `.chain` inside tests.
 * Use `chain.snapshot()` in beforeEach/afterEach when tests must not see each other's state.
 */
export function useLocalChain(): { readonly chain: LocalChain } {
  let chain: LocalChain | undefined;
  beforeAll(async () => {
    chain = await localChainForSuite();
  });
  afterAll(async () => {
    await chain?.stop();
  });
  return {
    get chain(): LocalChain {
      if (chain === undefined) throw new Error("useLocalChain: the chain is only available inside tests");
      return chain;
    },
  };
}
