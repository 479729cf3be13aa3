// forge compiles every source once; hardhat (deploy scripts) and typechain read artifacts written from forge's out/
// (sdk/codegen/exportArtifacts.ts). This suite checks that the compiler settings are the audited ones and that the
// artifacts hardhat deploys are forge's, contract for contract and byte for byte (a stale or partial export fails),
// so the bytecode that is deployed is the bytecode that was tested (test/ts/hardhatDeploy.test.ts checks the code
// on chain). Needs `npm run build` first (npm test does it).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { repoRoot } from "../../sdk/local/paths";

const root = repoRoot();
const forgeOut = resolve(root, process.env.FOUNDRY_OUT ?? "out");
const hardhatArtifacts = join(root, "artifacts");

const ForgeArtifact = z.object({
  bytecode: z.object({ object: z.string() }),
  deployedBytecode: z.object({ object: z.string() }),
  metadata: z.object({ settings: z.object({ compilationTarget: z.record(z.string()) }) }).optional(),
});
const HardhatArtifact = z.object({
  contractName: z.string(),
  sourceName: z.string(),
  bytecode: z.string(),
  deployedBytecode: z.string(),
});

interface Build {
  bytecode: string;
  deployedBytecode: string;
}

/** Library link placeholders hash the fully qualified name, whose path differs between the tools. */
function normalise(code: string): string {
  return code.toLowerCase().replace(/__\$[0-9a-f]{34}\$__/g, "__$LIBRARY$__");
}

/** "contracts/mocks/MockUSDT.sol:MockUSDT" → bytecode, for every contract of contracts/ in forge's out/. */
function forgeBuilds(): Map<string, Build> {
  const builds = new Map<string, Build>();
  for (const dir of readdirSync(forgeOut, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === "build-info") continue;
    for (const file of readdirSync(join(forgeOut, dir.name))) {
      if (!file.endsWith(".json")) continue;
      const artifact = ForgeArtifact.parse(JSON.parse(readFileSync(join(forgeOut, dir.name, file), "utf8")));
      const target = Object.entries(artifact.metadata?.settings.compilationTarget ?? {})[0];
      if (target === undefined || !target[0].startsWith("contracts/")) continue;
      builds.set(`${target[0]}:${target[1]}`, {
        bytecode: normalise(artifact.bytecode.object),
        deployedBytecode: normalise(artifact.deployedBytecode.object),
      });
    }
  }
  return builds;
}

/** The same map from hardhat's artifacts/contracts/ (artifacts/<source>/<Name>.json, skipping .dbg.json). */
function hardhatBuilds(): Map<string, Build> {
  const builds = new Map<string, Build>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        const artifact = HardhatArtifact.parse(JSON.parse(readFileSync(path, "utf8")));
        builds.set(`${artifact.sourceName}:${artifact.contractName}`, {
          bytecode: normalise(artifact.bytecode),
          deployedBytecode: normalise(artifact.deployedBytecode),
        });
      }
    }
  };
  const contractsDir = join(hardhatArtifacts, "contracts");
  if (existsSync(contractsDir)) walk(contractsDir);
  return builds;
}

describe("build parity: forge out/ vs the exported hardhat artifacts/", () => {
  it("test_buildOutputs_exist", () => {
    expect(existsSync(forgeOut), `${forgeOut} missing: run npm run build`).toBe(true);
    expect(existsSync(hardhatArtifacts), `${hardhatArtifacts} missing: run npm run build`).toBe(true);
  });

  it("test_compilerSettings_areTheAuditedOnes", () => {
    const forge = z
      .object({
        solc: z.string(),
        optimizer: z.boolean(),
        optimizer_runs: z.number(),
        evm_version: z.string(),
        via_ir: z.boolean(),
        bytecode_hash: z.string(),
        cbor_metadata: z.boolean(),
      })
      .parse(JSON.parse(execFileSync(join(root, "node_modules", ".bin", "forge"), ["config", "--json"], { cwd: root, encoding: "utf8" })));
    // forge runs tools/solc.cjs, a wrapper around the npm solc pinned in package.json.
    expect(forge.solc).toBe("tools/solc.cjs");
    expect({ optimizer: forge.optimizer, runs: forge.optimizer_runs, evm: forge.evm_version, viaIR: forge.via_ir }).toEqual({
      optimizer: true,
      runs: 200,
      evm: "cancun",
      viaIR: false,
    });
    expect({ hash: forge.bytecode_hash, cbor: forge.cbor_metadata }).toEqual({ hash: "none", cbor: false });
    // Hardhat must not compile on its own (its compile task runs forge and the export).
    expect(existsSync(join(hardhatArtifacts, "build-info")), "artifacts/build-info: hardhat compiled with solc").toBe(false);
  });

  it("test_everyContract_hasIdenticalBytecode", () => {
    const forge = forgeBuilds();
    const hardhat = hardhatBuilds();
    expect(forge.size, "no contracts/ artifacts in forge's out/").toBeGreaterThan(0);
    expect([...hardhat.keys()].sort()).toEqual([...forge.keys()].sort());
    const differing: string[] = [];
    for (const [name, f] of forge) {
      const h = hardhat.get(name);
      if (h === undefined) continue;
      if (f.bytecode !== h.bytecode) differing.push(`${name} (creation code)`);
      if (f.deployedBytecode !== h.deployedBytecode) differing.push(`${name} (runtime code)`);
    }
    expect(differing).toEqual([]);
  });
});
