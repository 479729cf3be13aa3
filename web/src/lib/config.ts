// Where the app points: an RPC URL and the factory address (plus optional QuoterV2, batch factory, dev wallet,
// history start).
// Read from the query string first (`?rpc=…&factory=…`), then from the build's environment (VITE_*), so a static
// build needs nothing else.
import { getAddress, isAddress, type Address } from "viem";

export interface AppConfig {
  rpcUrl: string;
  chainId: number;
  factory: Address;
  /** Uniswap QuoterV2; without it quotes fall back to the vault's own floor (previewDeposit / previewRedeem). */
  quoter?: Address;
  /** IndexBatchFactory (the ERC-7540 batches); without it the index page shows no batched requests. */
  batchFactory?: Address;
  /** Address of the local development wallet (an unlocked anvil account), only on the local chain. */
  devWallet?: Address;
  /** First block to read history from. */
  fromBlock: bigint;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** Builds the config from query-string and environment values (query wins). Pure: tested in vitest. */
export function resolveConfig(query: URLSearchParams, env: Record<string, string | undefined>): ConfigResult {
  const pick = (q: string, e: string): string | undefined => {
    const v = query.get(q) ?? env[e];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const problems: string[] = [];
  const rpcUrl = pick("rpc", "VITE_RPC_URL");
  if (rpcUrl === undefined) problems.push("no RPC URL: add ?rpc=<url> or build with VITE_RPC_URL");
  else if (!/^https?:\/\//.test(rpcUrl)) problems.push(`RPC URL "${rpcUrl}" must start with http:// or https://`);
  const address = (q: string, e: string, required: boolean): Address | undefined => {
    const v = pick(q, e);
    if (v === undefined) {
      if (required) problems.push(`no factory address: add ?${q}=0x… or build with ${e}`);
      return undefined;
    }
    if (!isAddress(v, { strict: false })) {
      problems.push(`${q} "${v}" is not an address`);
      return undefined;
    }
    return getAddress(v);
  };
  const factory = address("factory", "VITE_FACTORY", true);
  const quoter = address("quoter", "VITE_QUOTER", false);
  const batchFactory = address("batches", "VITE_BATCH_FACTORY", false);
  const chainIdText = pick("chainId", "VITE_CHAIN_ID") ?? "31337";
  const chainId = Number(chainIdText);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) problems.push(`chain id "${chainIdText}" is not a positive integer`);
  // The development wallet only exists on the local chain (anvil's unlocked accounts).
  const devWallet = chainId === 31337 ? address("devWallet", "VITE_DEV_WALLET", false) : undefined;
  const fromText = pick("fromBlock", "VITE_FROM_BLOCK") ?? "0";
  const fromBlock = /^\d+$/.test(fromText) ? BigInt(fromText) : 0n;
  if (problems.length > 0 || rpcUrl === undefined || factory === undefined) return { ok: false, problems };
  return {
    ok: true,
    config: {
      rpcUrl,
      chainId,
      factory,
      fromBlock,
      ...(quoter === undefined ? {} : { quoter }),
      ...(batchFactory === undefined ? {} : { batchFactory }),
      ...(devWallet === undefined ? {} : { devWallet }),
    },
  };
}

/** What a server passes to build or serve the app: the config without its history start (0 unless given). */
export type AppSettings = Omit<AppConfig, "fromBlock"> & { fromBlock?: bigint };

/**
 * The build environment (VITE_*) that `resolveConfig` reads back as `settings`: the one place that names those
 * variables for a server (`web/scripts/serve.ts`). Unset options are empty strings, which read as unset.
 */
export function appEnv(settings: AppSettings): Record<string, string> {
  return {
    VITE_RPC_URL: settings.rpcUrl,
    VITE_CHAIN_ID: String(settings.chainId),
    VITE_FACTORY: settings.factory,
    VITE_QUOTER: settings.quoter ?? "",
    VITE_BATCH_FACTORY: settings.batchFactory ?? "",
    VITE_DEV_WALLET: settings.devWallet ?? "",
    VITE_FROM_BLOCK: String(settings.fromBlock ?? 0n),
  };
}
