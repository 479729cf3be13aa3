// Forge (tests) and Hardhat (deploy scripts, typechain) must ship the same bytecode: same compiler, same
// settings, same sources. This suite compares every contract of contracts/ in both build outputs, so the
// bytecode that is deployed is the bytecode that was tested. Needs `npm run build` first (npm test does it).
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

describe("build parity: forge out/ vs hardhat artifacts/", () => {
  it("test_buildOutputs_exist", () => {
    expect(existsSync(forgeOut), `${forgeOut} missing: run npm run build`).toBe(true);
    expect(existsSync(hardhatArtifacts), `${hardhatArtifacts} missing: run npm run build`).toBe(true);
  });

  it("test_compilerSettings_matchFoundryToml", () => {
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
    const buildInfoDir = join(hardhatArtifacts, "build-info");
    const infos = readdirSync(buildInfoDir).filter((f) => f.endsWith(".json"));
    expect(infos.length).toBeGreaterThan(0);
    const solcVersion = (JSON.parse(readFileSync(join(root, "node_modules", "solc", "package.json"), "utf8")) as { version: string }).version;
    for (const info of infos) {
      const buildInfo = z
        .object({
          solcVersion: z.string(),
          input: z.object({
            settings: z.object({
              optimizer: z.object({ enabled: z.boolean(), runs: z.number() }),
              evmVersion: z.string(),
              viaIR: z.boolean().optional(),
              metadata: z.object({ bytecodeHash: z.string(), appendCBOR: z.boolean() }).partial().optional(),
            }),
          }),
        })
        .parse(JSON.parse(readFileSync(join(buildInfoDir, info), "utf8")));
      const s = buildInfo.input.settings;
      // forge runs tools/solc.cjs, a wrapper around the same npm solc hardhat loads.
      expect(forge.solc).toBe("tools/solc.cjs");
      expect(buildInfo.solcVersion).toBe(solcVersion);
      expect(s.optimizer).toEqual({ enabled: forge.optimizer, runs: forge.optimizer_runs });
      expect(s.evmVersion).toBe(forge.evm_version);
      expect(s.viaIR ?? false).toBe(forge.via_ir);
      expect(s.metadata?.bytecodeHash).toBe(forge.bytecode_hash);
      expect(s.metadata?.appendCBOR).toBe(forge.cbor_metadata);
    }
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
