// Reads hardhat-deploy's records (deployments/<network>/*.json) written by the scripts in deploy/: the factory, the
// example indexes and, on local chains, the local market's address book.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, type Address } from "viem";
import { parseLocalMarket, type LocalMarket } from "../sdk/local/localMarket";

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

/** Default records folder of a chain: deployments/localhost for anvil (31337), deployments/mainnet for 1. */
export function defaultDeploymentsDir(root: string, chainId: number): string {
  return join(root, "deployments", chainId === 1 ? "mainnet" : "localhost");
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
