// Hardhat-format artifacts and typechain bindings from forge's out/, so every source is compiled once (by forge)
// and hardhat never runs solc. Output:
//   - artifacts/<source>/<Name>.json ("hh-sol-artifact-1": abi, bytecode, deployedBytecode, link
//     references): what hardhat-deploy's scripts (deploy/) and `hre.artifacts` read;
//   - typechain-types/ (ethers v6 bindings, typechain over those artifacts).
// Exported: the contracts of contracts/ and of the files they import, as hardhat would compile them (tests and
// scripts are forge's business).
// Run: `tsx sdk/codegen/exportArtifacts.ts [--out-dir out]` (npm run build does, after forge build).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTypeChain } from "typechain";
import { z } from "zod";

const LinkReferences = z.record(z.record(z.array(z.object({ start: z.number(), length: z.number() }))));

const ForgeArtifact = z.object({
  abi: z.array(z.unknown()),
  bytecode: z.object({ object: z.string(), linkReferences: LinkReferences.optional() }),
  deployedBytecode: z.object({ object: z.string(), linkReferences: LinkReferences.optional() }),
  metadata: z
    .object({ settings: z.object({ compilationTarget: z.record(z.string()) }), sources: z.record(z.unknown()).optional() })
    .optional(),
});

/** A hardhat artifact (hardhat/types `Artifact`). */
export interface HardhatArtifact {
  _format: "hh-sol-artifact-1";
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
  linkReferences: z.infer<typeof LinkReferences>;
  deployedLinkReferences: z.infer<typeof LinkReferences>;
}

/** forge writes "0x" or "" for interfaces; hardhat writes "0x". */
function hex(code: string): string {
  return code.startsWith("0x") ? code : `0x${code}`;
}

/** Every artifact JSON under forge's out/ (nested folders too: forge nests when two files share a name). */
function listForgeArtifacts(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "build-info") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listForgeArtifacts(path));
    else if (entry.name.endsWith(".json")) files.push(path);
  }
  return files;
}

/** forge names npm sources by their path ("node_modules/@openzeppelin/..."), hardhat by the import ("@openzeppelin/..."). */
function hardhatSourceName(forgeSource: string): string {
  return forgeSource.replace(/^node_modules\//, "");
}

/**
 * Every contract hardhat would compile for contracts/ (the contracts of contracts/ and of every file they import),
 * as hardhat artifacts, sorted by fully qualified name.
 */
export function collectHardhatArtifacts(outDir: string): HardhatArtifact[] {
  const parsed = listForgeArtifacts(outDir).map((file) => ForgeArtifact.parse(JSON.parse(readFileSync(file, "utf8"))));
  // The import closure of contracts/: each artifact's metadata lists every source its compilation read.
  const closure = new Set<string>();
  for (const forge of parsed) {
    const target = Object.keys(forge.metadata?.settings.compilationTarget ?? {})[0];
    if (target === undefined || !target.startsWith("contracts/")) continue;
    for (const source of Object.keys(forge.metadata?.sources ?? {})) closure.add(source);
    closure.add(target);
  }
  const byName = new Map<string, HardhatArtifact>();
  for (const forge of parsed) {
    const target = Object.entries(forge.metadata?.settings.compilationTarget ?? {})[0];
    if (target === undefined || !closure.has(target[0])) continue;
    const artifact: HardhatArtifact = {
      _format: "hh-sol-artifact-1",
      contractName: target[1],
      sourceName: hardhatSourceName(target[0]),
      abi: forge.abi,
      bytecode: hex(forge.bytecode.object),
      deployedBytecode: hex(forge.deployedBytecode.object),
      linkReferences: forge.bytecode.linkReferences ?? {},
      deployedLinkReferences: forge.deployedBytecode.linkReferences ?? {},
    };
    byName.set(`${artifact.sourceName}:${artifact.contractName}`, artifact);
  }
  return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, a]) => a);
}

/**
 * Writes artifacts/contracts/ (replacing what was there) and regenerates typechain-types/ from it.
 * Returns the number of artifacts and of typechain files.
 */
export async function exportArtifacts(root: string, outDir: string): Promise<{ artifacts: number; typings: number }> {
  if (!existsSync(outDir)) throw new Error(`exportArtifacts: ${outDir} does not exist; run forge build first`);
  const artifacts = collectHardhatArtifacts(outDir);
  if (artifacts.length === 0) throw new Error(`exportArtifacts: no contracts/ artifacts in ${outDir}`);

  // Build next to the final folders, then swap, so a reader never sees a half-written tree. The whole of
  // artifacts/ is ours: hardhat's own compile would leave build-info and a cache keyed to sources it no longer builds.
  const artifactsDir = join(root, "artifacts");
  const staging = join(root, `.artifacts-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const files: string[] = [];
  for (const a of artifacts) {
    const file = join(staging, a.sourceName, `${a.contractName}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(a, null, 2)}\n`);
    files.push(file);
  }
  rmSync(artifactsDir, { recursive: true, force: true });
  renameSync(staging, artifactsDir);

  const typechainDir = join(root, "typechain-types");
  const typechainStaging = join(root, `.typechain-types-${process.pid}`);
  rmSync(typechainStaging, { recursive: true, force: true });
  const finalFiles = files.map((f) => join(artifactsDir, relative(staging, f)));
  const result = await runTypeChain({
    cwd: root,
    filesToProcess: finalFiles,
    allFiles: finalFiles,
    outDir: typechainStaging,
    target: "ethers-v6",
  });
  rmSync(typechainDir, { recursive: true, force: true });
  renameSync(typechainStaging, typechainDir);
  return { artifacts: artifacts.length, typings: result.filesGenerated };
}

async function main(): Promise<void> {
  const root = process.cwd();
  const flag = process.argv.indexOf("--out-dir");
  const outArg = flag === -1 ? (process.env.FOUNDRY_OUT ?? "out") : process.argv[flag + 1];
  if (outArg === undefined) throw new Error("exportArtifacts: --out-dir needs a value");
  const { artifacts, typings } = await exportArtifacts(root, resolve(root, outArg));
  console.log(`exportArtifacts: ${artifacts} artifacts -> artifacts/, ${typings} typings -> typechain-types`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
