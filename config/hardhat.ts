// Helpers for the hardhat-deploy scripts in deploy/. Hardhat loads those (and this file) through ts-node as
// CommonJS (tsconfig.json "ts-node"), while sdk/ is ESM: the local market is deployed by a tsx child process
// running exactly the code the tests use (sdk/local/localMarket.ts → script/DeployLocalMarket.s.sol).
// Not imported by ESM code (it relies on `require` and `__filename`).
import { execFile } from "node:child_process";
import { join } from "node:path";
import type { HardhatRuntimeEnvironment, HttpNetworkConfig } from "hardhat/types";
import { createPublicClient, createWalletClient, custom, defineChain, getAddress, type Address } from "viem";
import type { LocalMarket } from "../sdk/local/localMarket";
import type { ProtocolPublicClient, ProtocolWalletClient } from "../sdk/protocol";
import { loadDeployConfig, parseLocalMarketJson, resolveMarket, type DeployConfig, type ResolvedMarket, type Role } from "./index";

/** Name of the hardhat-deploy record holding the local market's address book (in `linkedData`). */
export const LOCAL_MARKET_DEPLOYMENT = "LocalMarket";

/**
 * Deploys the local market with the sdk (ESM) in a tsx child process — sdk/local/localMarket.ts running the fixture's
 * script/DeployLocalMarket.s.sol — and returns its validated address book. The broadcaster is `deployer`, whose
 * key is derived from anvil's dev mnemonic, or LOCAL_MARKET_PRIVATE_KEY.
 */
export async function deployLocalMarketWithSdk(
  hre: HardhatRuntimeEnvironment,
  options: { rpcUrl: string; deployer: Address; slow: boolean },
): Promise<LocalMarket> {
  const root = hre.config.paths.root;
  const script = `
    const { devAccounts, privateKeyOf } = await import("./sdk/local/accounts.ts");
    const { deployLocalMarket } = await import("./sdk/local/localMarket.ts");
    const wanted = process.env.LM_DEPLOYER.toLowerCase();
    const account = devAccounts().find((a) => a.address.toLowerCase() === wanted);
    const privateKey = process.env.LOCAL_MARKET_PRIVATE_KEY || (account && privateKeyOf(account));
    if (!privateKey) throw new Error("deployer " + wanted + " is not an anvil dev account: set LOCAL_MARKET_PRIVATE_KEY");
    const market = await deployLocalMarket(process.env.LM_RPC_URL, { privateKey, slow: process.env.LM_SLOW === "1" });
    process.stdout.write(JSON.stringify(market, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  `;
  const stdout = await new Promise<string>((resolveRun, reject) => {
    execFile(
      join(root, "node_modules", ".bin", "tsx"),
      ["--eval", `(async () => {${script}})().catch((e) => { console.error(e); process.exit(1); });`],
      {
        cwd: root,
        env: { ...process.env, LM_RPC_URL: options.rpcUrl, LM_DEPLOYER: options.deployer, LM_SLOW: options.slow ? "1" : "0" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 600_000,
      },
      (error, out, err) => (error === null ? resolveRun(out) : reject(new Error(`local market deployment failed: ${error.message}\n${err}`))),
    );
  });
  return parseLocalMarketJson(JSON.parse(stdout));
}

/** The deployment config of the chain hardhat is connected to (config/<network>.json, or $DEPLOY_CONFIG). */
export async function deployConfig(hre: HardhatRuntimeEnvironment): Promise<DeployConfig> {
  return loadDeployConfig(hre.config.paths.root, Number(await hre.getChainId()));
}

/** The RPC URL of the selected network; forge and viem talk to the node directly. */
export function rpcUrlOf(hre: HardhatRuntimeEnvironment): string {
  const config = hre.network.config as Partial<HttpNetworkConfig>;
  if (typeof config.url !== "string") {
    throw new Error(`network ${hre.network.name} has no URL: run against a node, e.g. --network localhost (anvil)`);
  }
  return config.url;
}

/** The market the protocol is deployed on: the saved local market, or the config's real addresses. */
export async function deployedMarket(hre: HardhatRuntimeEnvironment, config: DeployConfig): Promise<ResolvedMarket> {
  if (config.market.kind !== "local") return resolveMarket(config);
  const record = await hre.deployments.getOrNull(LOCAL_MARKET_DEPLOYMENT);
  if (record == null) throw new Error(`no ${LOCAL_MARKET_DEPLOYMENT} deployment: run the LocalMarket tag first`);
  return resolveMarket(config, parseLocalMarketJson(record.linkedData));
}

/** Resolves a role of the config to an address. */
export async function roleAddress(hre: HardhatRuntimeEnvironment, role: Role): Promise<Address> {
  const { deployer } = await hre.getNamedAccounts();
  if (role === "deployer") {
    if (deployer === undefined) throw new Error("no deployer account");
    return getAddress(deployer);
  }
  const match = /^account:(\d+)$/.exec(role);
  if (match !== null) {
    const accounts = (await hre.network.provider.request({ method: "eth_accounts" })) as string[];
    const account = accounts[Number(match[1])];
    if (account === undefined) throw new Error(`role ${role}: the node has only ${accounts.length} unlocked accounts`);
    return getAddress(account);
  }
  return getAddress(role);
}

/** JSON-safe copy (bigints as decimal strings), for `linkedData`. */
export function jsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Receipt polling {ms} on a local chain (anvil mines each transaction at once): viem's default of 4 s per
 *  transaction made a local deploy spend ~45 of its ~50 s waiting. */
const LOCAL_POLLING_MS = 50;

/**
 * viem clients over hardhat's provider (which signs for the network's configured accounts), sending from `deployer`.
 * On the local chain (31337) receipts are polled every 50 ms; elsewhere at viem's default.
 */
export async function viemClients(
  hre: HardhatRuntimeEnvironment,
  deployer: Address,
): Promise<{ publicClient: ProtocolPublicClient; wallet: ProtocolWalletClient }> {
  const chainId = Number(await hre.getChainId());
  const chain = defineChain({
    id: chainId,
    name: hre.network.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const transport = custom(hre.network.provider);
  const pollingInterval = chainId === 31337 ? LOCAL_POLLING_MS : undefined;
  return {
    publicClient: createPublicClient({ chain, transport, ...(pollingInterval === undefined ? {} : { pollingInterval }) }),
    wallet: createWalletClient({ chain, transport, account: deployer, ...(pollingInterval === undefined ? {} : { pollingInterval }) }),
  };
}
