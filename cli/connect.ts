// What every command of the wallet CLI shares (cli/main.ts: the vault commands, cli/batch.ts: the batch commands):
// the io, the options every command reads, the connection to the node and its chain's records, the signing wallet,
// which index --vault names, output, progress while transactions confirm, and how a failure is reported.
import { join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { createPublicClient, createWalletClient, getAddress, http, isAddress, type Address, type Chain } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry, mainnet } from "viem/chains";
import { assertVault, explainError, listVaults, vaultAbi, type AnyPublicClient, type Wallet } from "../sdk/client";
import { ANVIL_ACCOUNT_COUNT, devAccounts } from "../sdk/local/accounts";
import { repoRoot } from "../sdk/local/paths";
import { deploymentsDirFor, readDeployments, type Deployments } from "./deployments";
import { fmtUnits, parseAmount, toJson } from "./format";
import { progressLine, type ProgressLine } from "./progress";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
  env: process.env,
};

/** A mistake on the command line: exit code 2 and the usage text. */
export class UsageError extends Error {}

/** The node:util parseArgs options that every command reads; each command set adds its own. */
export const COMMON_OPTIONS = {
  vault: { type: "string" },
  rpc: { type: "string" },
  deployments: { type: "string" },
  factory: { type: "string" },
  account: { type: "string" },
  json: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Parses a command line: positionals, COMMON_OPTIONS and the command set's `extra` options (throws on a bad option). */
export function parseCommandLine<const E extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], extra: E) {
  return parseArgs({ args: [...argv], allowPositionals: true, options: { ...COMMON_OPTIONS, ...extra } });
}

export interface CommonOptions {
  vault?: string;
  rpc?: string;
  deployments?: string;
  factory?: string;
  account?: string;
  json: boolean;
  dryRun: boolean;
}

/** parseArgs' values as options: `--json` and `--dry-run` always set, `--help` left to the caller. */
export function optionsOf<V extends { json?: boolean; "dry-run"?: boolean; help?: boolean }>(values: V): Omit<V, "json" | "dry-run" | "help"> & { json: boolean; dryRun: boolean } {
  const { json, "dry-run": dryRun, help: _help, ...rest } = values;
  return { ...rest, json: json === true, dryRun: dryRun === true };
}

/** One CLI invocation connected to its node: the chain, a public client and the chain's hardhat-deploy records. */
export interface Session<O extends CommonOptions = CommonOptions> {
  rpcUrl: string;
  chain: Chain;
  client: AnyPublicClient;
  deployments: Deployments;
  options: O;
  io: CliIo;
}

/** The node: --rpc, else $INDEX_VAULT_RPC_URL, else the local chain's 8545. */
export function rpcUrlOf(options: { rpc?: string }, env: CliIo["env"]): string {
  return options.rpc ?? env.INDEX_VAULT_RPC_URL ?? "http://127.0.0.1:8545";
}

/**
 * Connects to --rpc (else $INDEX_VAULT_RPC_URL, else the local 8545) and reads the chain's own records (--deployments,
 * else deployments/local/<chain id>-<genesis>/localhost, cli/deployments.ts). With --factory and no --deployments the
 * records are not read, unless `recordsWithFactory` (commands that need more than the factory from them).
 */
export async function connect<O extends CommonOptions>(options: O, io: CliIo, recordsWithFactory = false): Promise<Session<O>> {
  const rpcUrl = rpcUrlOf(options, io.env);
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch {
    throw new Error(`no node at ${rpcUrl}: start one with \`npm run chain\` (or pass --rpc <url>)`);
  }
  const base = chainId === 1 ? mainnet : foundry;
  const chain: Chain = { ...base, id: chainId, rpcUrls: { default: { http: [rpcUrl] } } };
  const client = createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }), pollingInterval: chainId === 31337 ? 50 : 2_000 });
  // Each chain has its own records (chain id + genesis hash, cli/deployments.ts): another node's never apply.
  const genesis = await client.getBlock({ blockNumber: 0n });
  const ownDir = deploymentsDirFor(repoRoot(), { chainId, genesisHash: genesis.hash });
  // --factory alone (no --deployments): the records are not needed, so they are not read.
  const deployments = readDeployments(options.deployments ?? (options.factory === undefined || recordsWithFactory ? ownDir : join(ownDir, "..", ".none")));
  if (deployments.chainId !== undefined && deployments.chainId !== chainId) {
    throw new Error(`${deployments.dir} belongs to chain ${deployments.chainId}, the node is chain ${chainId}: pass the chain's --deployments, or --factory <address>`);
  }
  const factory = deployments.records.get("IndexFactory");
  if (options.factory === undefined && factory !== undefined && (await client.getCode({ address: factory.address })) === undefined) {
    throw new Error(
      `no contract at the IndexFactory address recorded in ${deployments.dir} (${factory.address}): the records are from an earlier chain. ` +
        "Start a chain with everything deployed (npm run chain), deploy to this one (npm run deploy:local -- --rpc <url>), or pass --factory <address>",
    );
  }
  return { rpcUrl, chain, client, deployments, options, io };
}

/** The signer: $PRIVATE_KEY, else (local chain only) anvil dev account --account (default 0). */
export function walletOf(ctx: Session): Wallet {
  const key = ctx.io.env.PRIVATE_KEY;
  if (key !== undefined && key !== "") {
    if (ctx.options.account !== undefined) throw new UsageError("--account and PRIVATE_KEY are exclusive");
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError("PRIVATE_KEY is not a private key: 0x followed by 64 hex digits");
    return createWalletClient({ chain: ctx.chain, transport: http(ctx.rpcUrl), account: privateKeyToAccount(key as `0x${string}`), pollingInterval: 50 });
  }
  if (ctx.chain.id !== 31337) throw new Error("set PRIVATE_KEY to sign (dev accounts only exist on a local chain)");
  const n = Number(ctx.options.account ?? "0");
  if (!Number.isInteger(n) || n < 0 || n >= ANVIL_ACCOUNT_COUNT) throw new UsageError(`--account must be 0..${ANVIL_ACCOUNT_COUNT - 1}`);
  return createWalletClient({ chain: ctx.chain, transport: http(ctx.rpcUrl), account: devAccounts()[n]!, pollingInterval: 50 });
}

/** The IndexFactory: --factory, else the chain's record. */
export function factoryOf(ctx: Session): Address {
  const given = ctx.options.factory;
  if (given !== undefined) return getAddress(given);
  const record = ctx.deployments.records.get("IndexFactory");
  if (record === undefined) {
    throw new Error(
      `no IndexFactory recorded for this chain (${ctx.deployments.dir}): start a chain with everything deployed (npm run chain), ` +
        "deploy to this node (npm run deploy:local -- --rpc <url>), or pass --factory <address>",
    );
  }
  return record.address;
}

/** The index --vault names (an address, a record id such as btc-eth, or a symbol); the factory's first by default. */
export async function vaultOf(ctx: Session): Promise<Address> {
  const wanted = ctx.options.vault;
  if (wanted !== undefined && /^0x[0-9a-fA-F]{40}$/.test(wanted)) {
    if (!isAddress(wanted)) throw new Error(`--vault ${wanted}: bad address checksum (did you mean ${getAddress(wanted.toLowerCase())}?)`);
    await assertVault(ctx.client, getAddress(wanted));
    return getAddress(wanted);
  }
  if (wanted !== undefined && /^0x/i.test(wanted)) throw new Error(`--vault ${wanted}: not an address (0x followed by 40 hex digits)`);
  if (wanted !== undefined) {
    const record = ctx.deployments.records.get(`Index_${wanted}`);
    if (record !== undefined) return record.address;
  }
  const vaults = await listVaults(ctx.client, factoryOf(ctx));
  if (vaults.length === 0) throw new Error("the factory has no index yet");
  if (wanted === undefined) return vaults[0]!;
  for (const vault of vaults) {
    const status = await ctx.client.readContract({ address: vault, abi: vaultAbi, functionName: "symbol" });
    if (status.toLowerCase() === wanted.toLowerCase()) return vault;
  }
  throw new Error(`no index "${wanted}": use an address, an id (${[...ctx.deployments.records.keys()].filter((k) => k.startsWith("Index_")).map((k) => k.slice(6)).join(", ") || "none recorded"}) or a symbol`);
}

/** A shares argument: "all" (the owner's whole balance) or an amount, refused above the owner's balance (no owner: unchecked). */
export async function sharesArg(ctx: Session, vault: Address, text: string, owner: Address | undefined): Promise<bigint> {
  if (text === "all") {
    if (owner === undefined) throw new UsageError('"all" shares: whose? (an account is needed)');
    const balance = await ctx.client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [owner] });
    if (balance === 0n) throw new Error(`${owner} holds no shares of this index`);
    return balance;
  }
  const shares = parseAmount(text, 18, "shares");
  if (owner !== undefined) {
    const balance = await ctx.client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [owner] });
    if (balance < shares) throw new Error(`${owner} holds ${fmtUnits(balance, 18, 6)} shares of this index, ${fmtUnits(shares, 18, 6)} asked`);
  }
  return shares;
}

/** A positional argument the command cannot do without. */
export function need(value: string | undefined, usage: string): string {
  if (value === undefined) throw new UsageError(`missing argument: ${usage}`);
  return value;
}

/** The result: one JSON document with --json, the human text otherwise. */
export function out(ctx: Session, json: unknown, human: string): void {
  ctx.io.stdout(ctx.options.json ? `${toJson(json)}\n` : `${human}\n`);
}

/** Runs `send` with a progress line on stderr (a spinner on a terminal, none of it in the --json stdout). */
export async function withProgress<T>(ctx: Session, send: (progress: ProgressLine) => Promise<T>): Promise<T> {
  const progress = progressLine(ctx.io.stderr, ctx.io.isTTY && !ctx.options.json);
  try {
    return await send(progress);
  } finally {
    progress.stop();
  }
}

/** A failed command (not a usage error): the decoded reason on stderr, `{"ok":false,…}` on stdout with --json; exit 1. */
export function failed(io: CliIo, json: boolean, error: unknown): number {
  const explained = explainError(error);
  if (json) io.stdout(`${toJson({ ok: false, error: { name: explained.errorName, message: explained.message, args: explained.args, data: explained.data } })}\n`);
  io.stderr(`error: ${explained.message}${explained.errorName === undefined ? "" : ` [${explained.errorName}]`}\n`);
  return 1;
}
