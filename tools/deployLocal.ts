// `npm run deploy:local [-- --rpc <url>]`: runs the hardhat-deploy scripts (deploy/) against a local node: the local
// market (chain 31337), the protocol and the example indexes. Records go to the chain's own folder
// (deployments/local/<chainId>-<genesis>/localhost, cli/deployments.ts), where the CLI looks for them.
// No node: one line saying so, not a hardhat stack trace. `npm run chain` starts a node and runs this for you.
import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chainIdentity, deploymentsDirFor, deploymentsRootFor } from "../cli/deployments";
import { repoRoot } from "../sdk/local/paths";

export interface LocalDeployment {
  /** hardhat-deploy's records folder of the chain (network folder "localhost"). */
  recordsDir: string;
  chainId: number;
  output: string;
}

/** Default node: $ANVIL_RPC_URL, $LOCAL_RPC_URL, else anvil's default port. */
export function defaultLocalRpc(env: NodeJS.ProcessEnv = process.env): string {
  return env.ANVIL_RPC_URL || env.LOCAL_RPC_URL || "http://127.0.0.1:8545";
}

/** Deploys everything to the node at `rpcUrl` (hardhat deploy --network localhost) into the chain's records folder. */
export async function deployLocal(
  rpcUrl: string,
  options: { compile?: boolean; onLine?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<LocalDeployment> {
  const id = await chainIdentity(rpcUrl);
  if (id.chainId === 1) throw new Error(`${rpcUrl} is Ethereum mainnet: deploy:local is for local chains`);
  const root = repoRoot();
  const args = ["deploy", "--network", "localhost", ...(options.compile === false ? ["--no-compile"] : [])];
  // hardhat-deploy creates the network folder but not its parents.
  mkdirSync(deploymentsRootFor(root, id), { recursive: true });
  const env = { ...process.env, ...options.env, ANVIL_RPC_URL: rpcUrl, HARDHAT_DEPLOYMENTS_DIR: deploymentsRootFor(root, id), NO_COLOR: "1" };
  const output = await new Promise<string>((resolveRun, reject) => {
    const child = spawn(resolve(root, "node_modules", ".bin", "hardhat"), args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let pending = "";
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      out += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) options.onLine?.(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolveRun(out) : reject(new Error(`hardhat deploy failed (exit ${code}):\n${out.slice(-4000)}`))));
  });
  const recordsDir = deploymentsDirFor(root, id);
  if (new URL(rpcUrl).port === "8545") linkDefaultRecords(root, recordsDir);
  return { recordsDir, chainId: id.chainId, output };
}

/**
 * deployments/localhost → the records of the chain last deployed on the default port (8545), for files that name a
 * fixed folder (keeper/config.local.json). Readers that know the node (the CLI, the demo) use the per-chain folder;
 * if the chain on 8545 was restarted since, the link points at records whose contracts are gone and the keeper says
 * "these addresses have no code".
 */
function linkDefaultRecords(root: string, recordsDir: string): void {
  const link = resolve(root, "deployments", "localhost");
  try {
    if (!lstatSync(link).isSymbolicLink()) return; // a real folder of the user's: leave it
    rmSync(link);
  } catch {
    // absent
  }
  symlinkSync(recordsDir, link, "dir");
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { rpc: { type: "string" }, verbose: { type: "boolean", default: false } } });
  const rpcUrl = values.rpc ?? defaultLocalRpc();
  try {
    const started = performance.now();
    const result = await deployLocal(rpcUrl, {
      onLine: (line) => {
        if (values.verbose === true || /deployed at|reusing|Index \(|local market/.test(line)) console.log(line);
      },
    });
    console.log(`deployed to ${rpcUrl} (chain ${result.chainId}) in ${((performance.now() - started) / 1000).toFixed(1)} s; records in ${result.recordsDir}`);
    return 0;
  } catch (error) {
    console.error(`deploy:local: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}
