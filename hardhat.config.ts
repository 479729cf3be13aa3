// Hardhat 2 compiles the same sources as forge (contracts/) with the same compiler and settings, writes
// typechain-types/ and runs hardhat-deploy scripts (deploy/). Settings must equal foundry.toml: the
// build-parity suite (test/ts/buildParity.test.ts) compares both toolchains' bytecode.
//
// Loaded by hardhat through ts-node as CommonJS (see "ts-node" in tsconfig.json), hence `require`.
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
import "hardhat-deploy";

/** The compiler is the npm `solc` package (WebAssembly): pinned in package.json, no download. */
const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version(); // e.g. "0.8.30+commit.73712a01.Emscripten.clang"
  if (args.solcVersion !== SOLC_VERSION || !longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`hardhat.config.ts: wants solc ${args.solcVersion}, npm solc is ${longVersion}`);
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion,
  };
});

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
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        // Identical to foundry.toml [profile.default].
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "cancun",
          viaIR: false,
          metadata: { bytecodeHash: "none", appendCBOR: false },
        },
      },
    ],
  },
  paths: {
    sources: "./contracts",
    tests: "./test/hardhat",
    cache: "./cache/hardhat",
    artifacts: "./artifacts",
    deploy: "./deploy",
    // HARDHAT_DEPLOYMENTS_DIR: where hardhat-deploy keeps its records; throwaway chains (demo, tests) use their own.
    deployments: env("HARDHAT_DEPLOYMENTS_DIR") ?? "./deployments",
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
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
