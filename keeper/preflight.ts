/**
 * What the keeper checks before and while it runs, over raw JSON-RPC (independent of the chain adapter), so an
 * operator can tell the three failures apart:
 *   - the node does not answer                    → "RPC unavailable" (transient: retried);
 *   - the node is another chain                   → fatal at start (a wrong URL must not be retried for ever);
 *   - the node answers but the contracts are gone → "no contract at <factory>" (anvil restarted without a
 *     redeploy, a wrong address in the config): fatal at start, reported by /health and a metric while running.
 * Also reads the keeper wallet's ETH balance for the low-gas-balance alert.
 */
import type { Address } from "viem";
import type { KeeperConfig } from "./config";
import { jsonRpc, JsonRpcError } from "../sdk/client/rpc";

/** One JSON-RPC call; throws RpcUnavailable when the node does not answer. */
export class RpcUnavailable extends Error {
  override readonly name = "RpcUnavailable";
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  try {
    return await jsonRpc<T>(url, method, params, 5_000);
  } catch (e) {
    if (!(e instanceof JsonRpcError)) throw e;
    throw new RpcUnavailable(
      e.kind === "unreachable" ? `RPC unavailable at ${url}: ${e.detail}` : `RPC at ${url} answered ${method} without a result: ${e.detail}`,
    );
  }
}

/** The addresses the config names, with the role of each (factory, quoterV2, ethUsdFeed, vault, batchFactory, batch). */
export function configuredContracts(config: KeeperConfig): { role: string; address: Address }[] {
  const list: { role: string; address: Address }[] = [];
  if (config.factory !== undefined) list.push({ role: "factory", address: config.factory });
  list.push({ role: "quoterV2", address: config.quoterV2 });
  if (config.ethUsdFeed !== undefined) list.push({ role: "ethUsdFeed", address: config.ethUsdFeed });
  for (const vault of config.vaults) list.push({ role: "vault", address: vault });
  if (config.batches?.batchFactory !== undefined) list.push({ role: "batchFactory", address: config.batches.batchFactory });
  for (const batch of config.batches?.addresses ?? []) list.push({ role: "batch", address: batch });
  return list;
}

export interface ChainCheck {
  chainId: number;
  /** Configured contracts with no code on the node. */
  missing: { role: string; address: Address }[];
}

/** Reads the node's chain id and which configured contracts have no code. Throws RpcUnavailable if it does not answer. */
export async function checkChain(config: KeeperConfig, rpcUrl: string = config.rpcUrl): Promise<ChainCheck> {
  const chainId = Number(BigInt(await rpc<string>(rpcUrl, "eth_chainId", [])));
  const missing: { role: string; address: Address }[] = [];
  for (const c of configuredContracts(config)) {
    const code = await rpc<string>(rpcUrl, "eth_getCode", [c.address, "latest"]);
    if (code === "0x" || code === "") missing.push(c);
  }
  return { chainId, missing };
}

/** "factory 0x… , quoterV2 0x…" */
export function describeMissing(missing: readonly { role: string; address: Address }[]): string {
  return missing.map((m) => `${m.role} ${m.address}`).join(", ");
}

/** Why the keeper must not start, or undefined. RpcUnavailable is not a reason: the keeper retries. */
export function startupProblem(config: KeeperConfig, check: ChainCheck): string | undefined {
  if (check.chainId !== config.chainId) {
    return `RPC ${config.rpcUrl} is chain ${check.chainId}, the config says ${config.chainId}: wrong URL or wrong config (fatal)`;
  }
  if (check.missing.length > 0) {
    return (
      `these addresses have no code on chain ${check.chainId} at ${config.rpcUrl}: ${describeMissing(check.missing)}. ` +
      (config.chainId === 31337
        ? "On the local chain: start it with `npm run chain` and use the addresses it prints (or set \"deployments\" to its records folder)."
        : "Check the config's addresses for this chain.")
    );
  }
  return undefined;
}

/** The keeper wallet's ETH balance {wei}. */
export async function walletBalance(rpcUrl: string, address: Address): Promise<bigint> {
  return BigInt(await rpc<string>(rpcUrl, "eth_getBalance", [address, "latest"]));
}
