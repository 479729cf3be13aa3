// Reads hardhat-deploy's records (deployments/<network>/*.json) written by the scripts in deploy/: the factory, the
// example indexes and, on local chains, the local market's address book.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, type Address } from "viem";
import { parseLocalMarket, type LocalMarket } from "../sdk/local/localMarket";
import { jsonRpc, JsonRpcError } from "../sdk/client/rpc";

export interface DeploymentRecord {
  name: string;
  address: Address;
  linkedData?: unknown;
}

export interface Deployments {
  dir: string;
  /** The chain the records belong to (hardhat-deploy's .chainId file). */
  chainId?: number;
  records: Map<string, DeploymentRecord>;
  /** The local market's address book, when deploy/00_local_market.ts ran. */
  localMarket?: LocalMarket;
}

/** Reads every record of a hardhat-deploy network folder; an absent folder gives no records. */
export function readDeployments(dir: string): Deployments {
  const records = new Map<string, DeploymentRecord>();
  if (!existsSync(dir)) return { dir, records };
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".json")) continue;
    const json = JSON.parse(readFileSync(join(dir, file), "utf8")) as { address?: string; linkedData?: unknown };
    if (typeof json.address !== "string") continue;
    const name = file.slice(0, -".json".length);
    records.set(name, { name, address: getAddress(json.address), linkedData: json.linkedData });
  }
  const chainIdFile = join(dir, ".chainId");
  const chainId = existsSync(chainIdFile) ? Number(readFileSync(chainIdFile, "utf8").trim()) : undefined;
  const market = records.get("LocalMarket")?.linkedData;
  return { dir, records, ...(chainId === undefined ? {} : { chainId }), ...(market === undefined ? {} : { localMarket: parseLocalMarket(market) }) };
}

/** What tells two chains apart: the chain id, and the genesis block hash (anvils on two ports, or one restarted). */
export interface ChainIdentity {
  chainId: number;
  genesisHash: `0x${string}`;
}

/** Reads a node's chain id and genesis hash; throws "no node at <url>: start one with `npm run chain`" if none answers. */
export async function chainIdentity(rpcUrl: string): Promise<ChainIdentity> {
  const call = async <T>(method: string, params: unknown[]): Promise<T> => {
    try {
      return await jsonRpc<T>(rpcUrl, method, params, 5_000);
    } catch (e) {
      if (!(e instanceof JsonRpcError)) throw e;
      if (e.kind === "unreachable") throw new Error(`no node at ${rpcUrl}: start one with \`npm run chain\` (or pass --rpc <url>)`);
      throw new Error(`${rpcUrl} is not an Ethereum JSON-RPC node (${method}: ${e.detail})`);
    }
  };
  const chainId = Number(BigInt(await call<string>("eth_chainId", [])));
  const genesis = await call<{ hash: `0x${string}` } | null>("eth_getBlockByNumber", ["0x0", false]);
  if (genesis === null) throw new Error(`${rpcUrl} has no genesis block`);
  return { chainId, genesisHash: genesis.hash };
}

/**
 * The records root (HARDHAT_DEPLOYMENTS_DIR) of a chain: deployments/ on mainnet (committed records), and on any
 * other chain deployments/local/<chainId>-<first 8 hex of the genesis hash>/, so nodes on different ports, or a node
 * restarted, never share (or inherit stale) records.
 */
export function deploymentsRootFor(root: string, id: ChainIdentity): string {
  if (id.chainId === 1) return join(root, "deployments");
  return join(root, "deployments", "local", `${id.chainId}-${id.genesisHash.slice(2, 10)}`);
}

/** The network folder holding a chain's records: <records root>/mainnet on chain 1, <records root>/localhost else. */
export function deploymentsDirFor(root: string, id: ChainIdentity): string {
  return join(deploymentsRootFor(root, id), id.chainId === 1 ? "mainnet" : "localhost");
}
