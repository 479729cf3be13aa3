// Test helper (test/ts suites): deploys the protocol and the example indexes on a suite's local chain with the real
// hardhat-deploy scripts (`hardhat deploy --network localhost`), recording the already-deployed local market
// (LOCAL_MARKET_JSON) into a throwaway records folder, and returns the parsed records. `useDeployedProtocol` does it
// once per suite from vitest hooks.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { LocalChain } from "../sdk/local/localChain";
import { repoRoot } from "../sdk/local/paths";
import { useLocalChain } from "../sdk/local/testing";
import { readDeployments, type Deployments } from "./deployments";

export interface DeployedProtocol {
  deployments: Deployments;
  /** Parent of the network folder: pass as HARDHAT_DEPLOYMENTS_DIR, or its `localhost` child as --deployments. */
  root: string;
  /** The local market JSON file given to the scripts. */
  marketFile: string;
  /** hardhat's output. */
  output: string;
  cleanup(): void;
}

export function hardhatDeploy(rpcUrl: string, env: Record<string, string>, extraArgs: readonly string[] = []): Promise<string> {
  const root = repoRoot();
  return new Promise((resolveRun, reject) => {
    execFile(
      join(root, "node_modules", ".bin", "hardhat"),
      ["deploy", "--network", "localhost", "--no-compile", ...extraArgs],
      { cwd: root, env: { ...process.env, ...env, ANVIL_RPC_URL: rpcUrl, NO_COLOR: "1" }, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => (error === null ? resolveRun(stdout + stderr) : reject(new Error(`hardhat deploy failed: ${error.message}\n${stdout}\n${stderr}`))),
    );
  });
}

export async function deployProtocol(chain: LocalChain): Promise<DeployedProtocol> {
  const base = join(repoRoot(), "cache", "test-deploy");
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(join(base, "run-"));
  const marketFile = join(root, "market.json");
  writeFileSync(marketFile, JSON.stringify(chain.market, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
  const output = await hardhatDeploy(chain.rpcUrl, { HARDHAT_DEPLOYMENTS_DIR: join(root, "deployments"), LOCAL_MARKET_JSON: marketFile });
  return {
    deployments: readDeployments(join(root, "deployments", "localhost")),
    root: join(root, "deployments"),
    marketFile,
    output,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Registers beforeAll/afterAll hooks (vitest) that start the suite's local chain (sdk/local/testing.ts) and deploy the
 * protocol on it with `deployProtocol`; read `.chain` and `.deployed` inside tests.
 */
export function useDeployedProtocol(timeoutMs = 300_000): { readonly chain: LocalChain; readonly deployed: DeployedProtocol } {
  const local = useLocalChain();
  let deployed: DeployedProtocol | undefined;
  beforeAll(async () => {
    deployed = await deployProtocol(local.chain);
  }, timeoutMs);
  afterAll(() => deployed?.cleanup());
  return {
    get chain(): LocalChain {
      return local.chain;
    },
    get deployed(): DeployedProtocol {
      if (deployed === undefined) throw new Error("useDeployedProtocol: the deployment is only available inside tests");
      return deployed;
    },
  };
}
