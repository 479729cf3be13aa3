// The wallet CLI run in-process for the test/ts suites: output captured, `--json` output parsed; `useCli` adds a
// local chain with the protocol and example indexes deployed by the real hardhat-deploy scripts (cli/testing.ts).
import { join } from "node:path";
import { runCli, type CliIo } from "../../cli/main";
import { useDeployedProtocol, type DeployedProtocol } from "../../cli/testing";
import type { LocalChain } from "../../sdk/local/localChain";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed when `--json` was given and something was printed; `{}` otherwise. */
  json: Record<string, unknown>;
}

/** Runs the CLI in-process with `argv` as given and `env` as its environment (e.g. PRIVATE_KEY). */
export async function runCliCaptured(argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, env };
  const code = await runCli(argv, io);
  const json = argv.includes("--json") && stdout.trim() !== "" ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  return { code, stdout, stderr, json };
}

/** A JSON number (bigints are printed as strings) as a bigint. */
export const units = (v: unknown): bigint => BigInt(v as string);

/**
 * Registers the suite's deployed local chain (beforeAll/afterAll) and returns it with `cli(...args)`, which runs the
 * CLI against that chain and its records (`--rpc` and `--deployments` appended).
 */
export function useCli(timeoutMs?: number): { readonly chain: LocalChain; readonly deployed: DeployedProtocol; cli(...args: string[]): Promise<CliRun> } {
  const suite = useDeployedProtocol(timeoutMs);
  return {
    get chain(): LocalChain {
      return suite.chain;
    },
    get deployed(): DeployedProtocol {
      return suite.deployed;
    },
    cli: (...args: string[]) => runCliCaptured([...args, "--rpc", suite.chain.rpcUrl, "--deployments", join(suite.deployed.root, "localhost")]),
  };
}
