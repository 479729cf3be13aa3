/**
 * Submitting methodology weights as a manager proposal:
 *
 *   npm run keeper -- propose --config <file> --vault <address> --weights <spec.json> [--dry-run [--from <manager>]]
 *   KEEPER_MANAGER_PRIVATE_KEY=0x…   (the vault's MANAGER_ROLE; required unless --dry-run, which
 *                                     simulates as --from instead)
 *
 * The spec (weights.ts) is evaluated with the methodology, aligned to the vault's constituent order,
 * simulated as `proposeTargets(targetsBps)` from the manager account, and sent unless dry-run. The
 * vault applies it after its composition delay (`executeProposal`, which the keeper's maintenance
 * performs once due).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vaultAbi } from "../sdk/client/abis";
import { loadConfig } from "./config";
import type { Logger } from "./logger";
import { revertFromError } from "./viem/errors";
import { computeTargetWeights, parseWeightsSpec, type TokenWeight } from "./weights";

export class ProposalError extends Error {
  override readonly name = "ProposalError";
}

/**
 * The targets in the vault's constituent order. Every constituent needs a weight and every weighted
 * token must be a constituent (adding one needs a feed and route: `proposeAddConstituent`).
 */
export function alignTargets(vaultTokens: readonly Address[], weights: readonly TokenWeight[]): number[] {
  const byToken = new Map(weights.map((w) => [w.token.toLowerCase(), w.bps]));
  const missing = vaultTokens.filter((t) => !byToken.has(t.toLowerCase()));
  if (missing.length > 0) throw new ProposalError(`no weight for constituent(s) ${missing.join(", ")}`);
  const constituents = new Set(vaultTokens.map((t) => t.toLowerCase()));
  const extra = weights.filter((w) => !constituents.has(w.token.toLowerCase())).map((w) => w.token);
  if (extra.length > 0) {
    throw new ProposalError(`not constituents of the vault: ${extra.join(", ")} (adding one needs proposeAddConstituent)`);
  }
  return vaultTokens.map((t) => byToken.get(t.toLowerCase()) ?? 0);
}

/** The vault's constituent tokens, in order. */
export async function vaultTokens(client: PublicClient, vault: Address): Promise<Address[]> {
  const count = await client.readContract({ address: vault, abi: vaultAbi, functionName: "constituentCount" });
  const infos = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      client.readContract({ address: vault, abi: vaultAbi, functionName: "constituent", args: [BigInt(i)] }),
    ),
  );
  return infos.map((c) => c.token);
}

export interface ProposeOptions {
  readonly client: PublicClient;
  readonly vault: Address;
  readonly targetsBps: readonly number[];
  /** The manager account: simulated from it; sends only with `wallet` and not `dryRun`. */
  readonly manager: Address;
  readonly wallet?: WalletClient<Transport, Chain, Account>;
  readonly dryRun: boolean;
  readonly logger: Logger;
}

export interface ProposeResult {
  readonly simulated: true;
  readonly hash?: Hash;
}

/** Simulate `proposeTargets` as the manager, then send it unless dry-run. Throws ProposalError with the decoded reason. */
export async function proposeTargets(o: ProposeOptions): Promise<ProposeResult> {
  const args = [o.targetsBps.map((b) => b)] as const;
  try {
    await o.client.simulateContract({
      account: o.manager,
      address: o.vault,
      abi: vaultAbi,
      functionName: "proposeTargets",
      args,
    });
  } catch (e) {
    const revert = revertFromError(e);
    throw new ProposalError(`proposeTargets would revert: ${revert?.message ?? (e as Error).message}`);
  }
  o.logger.info({ vault: o.vault, targetsBps: o.targetsBps, dryRun: o.dryRun }, "proposeTargets simulated");
  if (o.dryRun || o.wallet === undefined) return { simulated: true };
  const hash = await o.wallet.writeContract({
    address: o.vault,
    abi: vaultAbi,
    functionName: "proposeTargets",
    args,
    chain: o.wallet.chain,
    account: o.wallet.account,
  });
  const receipt = await o.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new ProposalError(`proposeTargets transaction ${hash} reverted`);
  o.logger.info({ vault: o.vault, hash }, "proposal submitted");
  return { simulated: true, hash };
}

/** `propose` subcommand; returns the exit code. */
export async function runPropose(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
  stderr: (line: string) => void,
): Promise<number> {
  let values: { config?: string; vault?: string; weights?: string; from?: string; "dry-run"?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string", short: "c" },
        vault: { type: "string" },
        weights: { type: "string" },
        from: { type: "string" },
        "dry-run": { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    stderr(`keeper propose: ${(e as Error).message}`);
    return 2;
  }
  if (values.config === undefined || values.vault === undefined || values.weights === undefined) {
    stderr(
      "usage: npm run keeper -- propose --config <file> --vault <address> --weights <spec.json> [--dry-run [--from <manager>]]",
    );
    return 2;
  }
  if (!/^0x[0-9a-fA-F]{40}$/.test(values.vault)) {
    stderr("keeper propose: --vault must be an address");
    return 2;
  }
  const dryRun = values["dry-run"] === true;
  const key = env.KEEPER_MANAGER_PRIVATE_KEY?.trim();
  if (!dryRun && (key === undefined || !/^0x[0-9a-fA-F]{64}$/.test(key))) {
    stderr("keeper propose: KEEPER_MANAGER_PRIVATE_KEY (0x + 64 hex) is required unless --dry-run");
    return 2;
  }
  try {
    // The keeper's own key is not needed to propose: load the file as in dry-run.
    const config = loadConfig(values.config, env, { dryRun: true });
    const spec = parseWeightsSpec(JSON.parse(readFileSync(values.weights, "utf8")));
    const weights = computeTargetWeights(spec);
    const chain = defineChain({
      id: config.chainId,
      name: `chain-${config.chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [config.rpcUrl] } },
    });
    const client = createPublicClient({ chain, transport: http(config.rpcUrl) }) as PublicClient;
    const vault = values.vault as Address;
    const targetsBps = alignTargets(await vaultTokens(client, vault), weights);
    const account = key !== undefined && /^0x[0-9a-fA-F]{64}$/.test(key) ? privateKeyToAccount(key as `0x${string}`) : undefined;
    const from = values.from !== undefined && /^0x[0-9a-fA-F]{40}$/.test(values.from) ? (values.from as Address) : undefined;
    const manager = account?.address ?? from;
    if (manager === undefined) {
      stderr("keeper propose: set KEEPER_MANAGER_PRIVATE_KEY, or --from <manager address> to simulate a dry-run");
      return 2;
    }
    await proposeTargets({
      client,
      vault,
      targetsBps,
      manager,
      ...(account !== undefined && { wallet: createWalletClient({ chain, transport: http(config.rpcUrl), account }) }),
      dryRun,
      logger,
    });
    return 0;
  } catch (e) {
    logger.error({ err: e }, `propose failed: ${(e as Error).message}`);
    return 1;
  }
}
