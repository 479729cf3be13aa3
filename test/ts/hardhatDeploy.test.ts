// `hardhat deploy` (hardhat-deploy scripts in deploy/) works against a local anvil holding the local market, and
// the runtime code it puts on chain is exactly forge's (the bytecode the Foundry tests ran), immutables aside.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { getAddress, type Address, type Hex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";

const root = repoRoot();
const forgeOut = resolve(root, process.env.FOUNDRY_OUT ?? "out");
const local = useLocalChain();
const marketFile = join(root, "cache", "local-chain", `hardhat-deploy-market-${process.pid}.json`);
afterAll(() => rmSync(marketFile, { force: true }));

const ForgeRuntime = z.object({
  deployedBytecode: z.object({
    object: z.string(),
    immutableReferences: z.record(z.array(z.object({ start: z.number(), length: z.number() }))).optional(),
  }),
});

/** Runtime code with every immutable slot (positions from forge's artifact) zeroed. */
function maskImmutables(code: string, contract: string): string {
  const artifact = ForgeRuntime.parse(JSON.parse(readFileSync(join(forgeOut, `${contract}.sol`, `${contract}.json`), "utf8")));
  const hex = code.toLowerCase().replace(/^0x/, "");
  const chars = hex.split("");
  for (const refs of Object.values(artifact.deployedBytecode.immutableReferences ?? {})) {
    for (const { start, length } of refs) chars.fill("0", start * 2, (start + length) * 2);
  }
  return chars.join("");
}

function forgeRuntime(contract: string): string {
  const artifact = ForgeRuntime.parse(JSON.parse(readFileSync(join(forgeOut, `${contract}.sol`, `${contract}.json`), "utf8")));
  return maskImmutables(artifact.deployedBytecode.object, contract);
}

describe("hardhat deploy on the local chain", () => {
  it("test_hardhatDeploy_core_deploysForgesBytecode", async () => {
    const { chain } = local;
    mkdirSync(join(root, "cache", "local-chain"), { recursive: true });
    writeFileSync(marketFile, JSON.stringify(chain.market, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

    const { stdout } = await promisify(execFile)(
      join(root, "node_modules", ".bin", "hardhat"),
      ["deploy", "--network", "anvil", "--tags", "core", "--reset", "--no-compile"],
      { cwd: root, env: { ...process.env, ANVIL_RPC_URL: chain.rpcUrl, LOCAL_MARKET_JSON: marketFile }, timeout: 120_000 },
    );
    const deployed = new Map<string, Address>();
    for (const match of stdout.matchAll(/deploying "(\w+)" \(tx: 0x[0-9a-f]+\)\.\.\.: deployed at (0x[0-9a-fA-F]{40})/g)) {
      deployed.set(match[1]!, getAddress(match[2]!));
    }
    expect([...deployed.keys()].sort()).toEqual(["IndexFactory", "IndexVault", "IndexVaultConfigurator", "IndexVaultRebalancer"]);

    for (const [contract, address] of deployed) {
      const code: Hex | undefined = await chain.publicClient.getCode({ address });
      expect(code, `${contract} has no code`).toBeDefined();
      expect(maskImmutables(code!, contract), `${contract}: on-chain runtime differs from forge's`).toBe(forgeRuntime(contract));
    }
  });
});
