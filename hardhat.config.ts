// Hardhat 2 runs the hardhat-deploy scripts (deploy/) and nothing else: it never runs solc. forge compiles every
// source once; `npm run build` then writes hardhat-format artifacts (artifacts/) and the typechain bindings
// (typechain-types/) from forge's out/ (sdk/codegen/exportArtifacts.ts). `hardhat compile` (which `hardhat deploy`
// runs unless given --no-compile) does the same: forge build (contracts and scripts; incremental, so usually a
// no-op) and the export.
//
// Loaded by hardhat through ts-node as CommonJS (see "ts-node" in tsconfig.json), hence `require`.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { task, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-ethers";
import "hardhat-deploy";

task(TASK_COMPILE, "Compiles with forge (contracts/ and script/) and exports hardhat artifacts and typechain bindings").setAction(
  async (_args, hre) => {
    const root = hre.config.paths.root;
    const bin = (name: string): string => join(root, "node_modules", ".bin", name);
    execFileSync(bin("forge"), ["build", "--skip", "test"], { cwd: root, stdio: "inherit" });
    for (const script of ["exportArtifacts.ts", "generateAbis.ts"]) {
      execFileSync(bin("tsx"), [join(root, "sdk", "codegen", script)], { cwd: root, stdio: "inherit" });
    }
  },
);

/** Reads an optional environment variable, treating "" as unset. */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Secrets come only from the environment; no key, no accounts. */
const privateKey = env("PRIVATE_KEY");
const mainnetUrl = env("MAINNET_RPC_URL") ?? env("FORK_URL");
const localUrl = env("ANVIL_RPC_URL") ?? env("LOCAL_RPC_URL") ?? "http://127.0.0.1:8545";

const config: HardhatUserConfig = {
  // Only read by tools that inspect the config; compilation is forge's (foundry.toml holds the audited settings).
  solidity: "0.8.30",
  paths: {
    sources: "./contracts",
    tests: "./test/hardhat",
    cache: "./cache/hardhat",
    artifacts: "./artifacts",
    deploy: "./deploy",
    // HARDHAT_DEPLOYMENTS_DIR: where hardhat-deploy keeps its records; throwaway chains (demo, tests) use their own.
    deployments: env("HARDHAT_DEPLOYMENTS_DIR") ?? "./deployments",
  },
  defaultNetwork: "hardhat",
  networks: {
    hardhat: {},
    // A local anvil (e.g. `node_modules/.bin/anvil`); its first funded account signs.
    localhost: { url: localUrl },
    anvil: { url: localUrl },
    ...(mainnetUrl === undefined
      ? {}
      : { mainnet: { url: mainnetUrl, chainId: 1, accounts: privateKey === undefined ? [] : [privateKey] } }),
  },
  namedAccounts: {
    deployer: { default: 0 },
  },
};

export default config;
