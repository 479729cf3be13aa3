/**
 * Keeper configuration: a JSON file plus the environment, validated with zod at start.
 *
 * Secrets come ONLY from the environment: KEEPER_PRIVATE_KEY (required unless dry-run). A file
 * containing anything that looks like a secret (privateKey, mnemonic, secret…) is rejected.
 *
 * Environment:
 *   KEEPER_PRIVATE_KEY   0x + 64 hex, the keeper's signing key
 *   KEEPER_RPC_URL       overrides `rpcUrl` (RPC URLs often embed an API key)
 *   KEEPER_DRY_RUN       "1" / "true" forces dry-run
 *   KEEPER_LOG_LEVEL     pino level (read by the logger)
 *   KEEPER_METRICS_PORT  overrides `metricsPort` (0 = off); --metrics-port overrides both
 *   KEEPER_KEYSTORE      an encrypted JSON keystore file instead of KEEPER_PRIVATE_KEY (keeper/cli.ts decrypts it
 *                        with KEEPER_KEYSTORE_PASSWORD or the file named by KEEPER_KEYSTORE_PASSWORD_FILE)
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { StrategyParams } from "./strategy";
import type { Address, Hash } from "./types";
import { gweiToWei } from "./units";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly issues: readonly string[]) {
    super(`invalid keeper config:\n  - ${issues.join("\n  - ")}`);
  }
}

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((s) => s as Address);

const bps = z.number().int("must be an integer number of bps").min(0).max(10_000);

/** Tunables of the decision; see strategy.ts for the cost model. */
const strategySchema = z
  .object({
    /** {bps} keeper threshold on max drift (effective: max of this and the vault's). */
    thresholdBps: bps.optional(),
    /** {bps} extra trigger on the sum of drift. */
    sumDriftThresholdBps: bps.optional(),
    /** {bps} assumed cost of leaving misallocated value in place. */
    trackingErrorCostBps: bps.default(100),
    /** {bps} benefit must exceed cost × this / 10_000. */
    minBenefitCostRatioBps: z.number().int().min(0).max(1_000_000).default(10_000),
    /** {bps} per-leg price impact bound (pool fee included). */
    maxPriceImpactBps: bps.default(100),
    /** USD legs below this are dust and left out of the plan. */
    minTradeValueUsd: z.number().nonnegative().finite().default(1),
    /** {gas} estimate used before the transaction is simulated. */
    gasEstimate: z.number().int().positive().default(1_500_000),
  })
  .strict();

const overrideSchema = strategySchema.partial().strict();

/**
 * The batch duty (ERC-7540 IndexVaultBatch, keeper/batch.ts): which batches to settle and the knobs of
 * `decideSettlement`. The batch's own policy (maxWait, minSettleValue) is read from the chain.
 */
const batchesSchema = z
  .object({
    $comment: z.string().optional(),
    /** Settle due epochs and push their claims. */
    enabled: z.boolean().default(false),
    /**
     * IndexBatchFactory: every watched vault's batch is found through `batchOf(vault)` (vaults without one are
     * looked up again on later iterations). With `deployments`, taken from its IndexBatchFactory.json when unset.
     */
    batchFactory: address.optional(),
    /** Batch contracts to settle besides (or instead of) the discovered ones. */
    addresses: z.array(address).default([]),
    /** {bps} settle before the batch's maxWait once the settlement's gas cost is at most this share of the epoch's gross value. */
    maxCostBps: bps.default(50),
    /** Gas price cap for an early settlement; default the keeper's `gasPriceCapGwei`. An overdue epoch (maxWait) settles regardless. */
    gasPriceCapGwei: z.number().positive().finite().optional(),
    /** {gas} assumed settlement gas until the keeper measured one of its own. */
    settlementGasEstimate: z.number().int().positive().default(1_500_000),
    /** First block to search for the epoch's request logs (the batches' deployment block); default 0. */
    logsFromBlock: z.number().int().nonnegative().optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.enabled && b.batchFactory === undefined && b.addresses.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          "batches are enabled but none can be found: set `batchFactory` (each watched vault's batch through IndexBatchFactory.batchOf), `addresses` (batch contracts), or `deployments`",
        path: ["batchFactory"],
      });
    }
  });

const SECRET_KEY = /private.?key|mnemonic|secret|seed.?phrase|passphrase|password/i;

const fileSchema = z
  .object({
    $comment: z.string().optional(),
    chainId: z.number().int().positive(),
    rpcUrl: z.string().url("must be a URL, e.g. http://127.0.0.1:8545"),
    /** Vaults to watch; or `factory` to watch every vault in its registry; or both. */
    vaults: z.array(address).default([]),
    factory: address.optional(),
    /**
     * A hardhat-deploy directory (e.g. "deployments/localhost") to take `factory`, `quoterV2` and
     * `ethUsdFeed` from when they are not set: IndexFactory.json and LocalMarket.json's linkedData.
     */
    deployments: z.string().min(1).optional(),
    /** Uniswap QuoterV2, for pricing the planned trades. */
    quoterV2: address,
    /** Chainlink ETH/USD feed for valuing gas; or a fixed `ethPriceUsd`. */
    ethUsdFeed: address.optional(),
    ethPriceUsd: z.number().positive().finite().optional(),
    /** Uniswap fee tier for quoting legs against the vault's asset {hundredths of a bp}. */
    quoteFeeTier: z.union([z.literal(100), z.literal(500), z.literal(3000), z.literal(10000)]).default(3000),
    gasPriceCapGwei: z.number().positive().finite(),
    pollIntervalSeconds: z.number().int().min(1).max(3_600).default(30),
    confirmations: z.number().int().min(1).max(64).default(1),
    /** {s} after which a pending transaction is replaced with bumped fees. */
    txTimeoutSeconds: z.number().int().min(5).max(3_600).default(120),
    /** {%} fee bump for a replacement (nodes require ≥ 10). */
    feeBumpPercent: z.number().int().min(10).max(100).default(15),
    dryRun: z.boolean().default(false),
    /** The keeper account to simulate as when no key is set (dry-run). */
    keeperAddress: address.optional(),
    /** Metrics and health on 127.0.0.1:<port>; absent or 0 → disabled. Always loopback. */
    metricsPort: z.number().int().min(0).max(65_535).optional(),
    backoff: z
      .object({
        initialMs: z.number().int().min(10).default(1_000),
        maxMs: z.number().int().min(10).default(60_000),
      })
      .strict()
      .refine((b) => b.maxMs >= b.initialMs, { message: "maxMs must be ≥ initialMs" })
      .default({}),
    strategy: strategySchema.default({}),
    /** The batch duty (ERC-7540 batches): off unless `batches.enabled`. */
    batches: batchesSchema.default({}),
    /** Per-vault strategy overrides, keyed by vault address. */
    vaultOverrides: z.record(z.string(), overrideSchema).default({}),
    /**
     * Custom-error names the vault reverts with when a rebalance is no longer needed (another
     * keeper was first, or the cooldown started): a simulation failing with one of these is
     * "already done", not a failure.
     */
    alreadyDoneErrors: z.array(z.string().min(1)).default([
      "UpkeepNotNeeded", // the vault's trigger view said not due
      "IndexVaultRebalancer__NotDue",
      "IndexVaultRebalancer__Cooldown",
      "IndexVaultRebalancer__OneStepPerBlock",
      "IndexVaultRebalancer__NothingToTrade",
    ]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.vaults.length === 0 && c.factory === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "set `vaults` or `factory` (or both)", path: ["vaults"] });
    }
    if (c.ethUsdFeed === undefined && c.ethPriceUsd === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "set `ethUsdFeed` or `ethPriceUsd`", path: ["ethUsdFeed"] });
    }
    for (const key of Object.keys(c.vaultOverrides)) {
      if (!/^0x[0-9a-fA-F]{40}$/.test(key)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "key must be a vault address", path: ["vaultOverrides", key] });
      }
    }
  });

export type KeeperFileConfig = z.output<typeof fileSchema>;
export type StrategyConfig = z.output<typeof strategySchema>;

/** The batch duty, validated; absent from KeeperConfig when disabled. */
export interface BatchesConfig {
  readonly batchFactory?: Address;
  readonly addresses: readonly Address[];
  readonly maxCostBps: number;
  /** {wei} */
  readonly gasPriceCapWei: bigint;
  /** {gas} */
  readonly settlementGasEstimate: bigint;
  readonly logsFromBlock?: bigint;
}

export interface KeeperConfig {
  readonly chainId: number;
  readonly rpcUrl: string;
  readonly vaults: readonly Address[];
  readonly factory?: Address;
  readonly quoterV2: Address;
  readonly ethUsdFeed?: Address;
  readonly ethPriceUsd?: number;
  readonly quoteFeeTier: number;
  /** {wei} */
  readonly gasPriceCapWei: bigint;
  readonly pollIntervalMs: number;
  readonly confirmations: number;
  readonly txTimeoutMs: number;
  readonly feeBumpPercent: number;
  readonly dryRun: boolean;
  readonly once: boolean;
  readonly keeperAddress?: Address;
  readonly metricsPort?: number;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly strategy: StrategyConfig;
  /** Keys lower-cased. */
  readonly vaultOverrides: Readonly<Record<string, Partial<StrategyConfig>>>;
  readonly alreadyDoneErrors: readonly string[];
  /** The batch duty; undefined when `batches.enabled` is false. */
  readonly batches?: BatchesConfig;
  /** Never logged (the logger redacts `secrets`). */
  readonly secrets: { readonly privateKey?: Hash };
}

export interface CliOverrides {
  readonly dryRun?: boolean;
  readonly once?: boolean;
  /** --metrics-port: wins over KEEPER_METRICS_PORT and the file; 0 = off. */
  readonly metricsPort?: number;
}

const deploymentRecord = z.object({ address: address, linkedData: z.unknown().optional() }).passthrough();
const localMarketLinked = z
  .object({
    quoterV2: address,
    constituents: z.array(z.object({ symbol: z.string(), feed: address }).passthrough()),
  })
  .passthrough();

/**
 * Fill `factory`, `quoterV2`, `ethUsdFeed` (and `batches.batchFactory` when batches are enabled) from a
 * hardhat-deploy directory when the file names one and leaves them unset. Returns the completed raw object and any problems found.
 */
export function applyDeployments(raw: unknown, baseDir: string = process.cwd()): { raw: unknown; issues: string[] } {
  if (raw === null || typeof raw !== "object") return { raw, issues: [] };
  const r = raw as Record<string, unknown>;
  if (typeof r.deployments !== "string") return { raw, issues: [] };
  const dir = resolve(baseDir, r.deployments);
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), "utf8"));
  const out: Record<string, unknown> = { ...r };
  const issues: string[] = [];
  try {
    if (out.factory === undefined && (!Array.isArray(out.vaults) || out.vaults.length === 0)) {
      out.factory = deploymentRecord.parse(read("IndexFactory.json")).address;
    }
    const batches = out.batches;
    if (batches !== null && typeof batches === "object" && (batches as { enabled?: unknown }).enabled === true) {
      const b = batches as Record<string, unknown>;
      if (b.batchFactory === undefined && (!Array.isArray(b.addresses) || b.addresses.length === 0)) {
        out.batches = { ...b, batchFactory: deploymentRecord.parse(read("IndexBatchFactory.json")).address };
      }
    }
    if (out.quoterV2 === undefined || (out.ethUsdFeed === undefined && out.ethPriceUsd === undefined)) {
      const market = localMarketLinked.parse(deploymentRecord.parse(read("LocalMarket.json")).linkedData);
      out.quoterV2 ??= market.quoterV2;
      if (out.ethUsdFeed === undefined && out.ethPriceUsd === undefined) {
        const weth = market.constituents.find((c) => c.symbol === "WETH");
        if (weth !== undefined) out.ethUsdFeed = weth.feed;
      }
    }
  } catch (e) {
    issues.push(`deployments: cannot use ${dir}: ${(e as Error).message.split("\n")[0]}`);
  }
  return { raw: out, issues };
}

function findSecretKeys(value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== "object") return [];
  const found: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) found.push([...path, k].join("."));
    found.push(...findSecretKeys(v, [...path, k]));
  }
  return found;
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`);
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/** Validate a parsed config file together with the environment and CLI flags. */
export function parseConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cli: CliOverrides = {},
): KeeperConfig {
  const secretKeys = findSecretKeys(raw);
  if (secretKeys.length > 0) {
    throw new ConfigError(
      secretKeys.map((k) => `${k}: secrets must come from the environment (KEEPER_PRIVATE_KEY), never from the config file`),
    );
  }
  // Validate the file and the environment together so every problem is reported at once.
  const completed = applyDeployments(raw);
  const parsed = fileSchema.safeParse(completed.raw);
  const issues: string[] = [...completed.issues, ...(parsed.success ? [] : formatIssues(parsed.error))];
  const fileDryRun = parsed.success
    ? parsed.data.dryRun
    : typeof raw === "object" && raw !== null && (raw as { dryRun?: unknown }).dryRun === true;

  let rpcUrl: string | undefined;
  const envRpc = env.KEEPER_RPC_URL?.trim();
  if (envRpc !== undefined && envRpc !== "") {
    if (z.string().url().safeParse(envRpc).success) rpcUrl = envRpc;
    else issues.push("KEEPER_RPC_URL: must be a URL");
  }
  const dryRun = cli.dryRun === true || truthy(env.KEEPER_DRY_RUN) || fileDryRun;
  const key = env.KEEPER_PRIVATE_KEY?.trim();
  let privateKey: Hash | undefined;
  if (key !== undefined && key !== "") {
    if (/^0x[0-9a-fA-F]{64}$/.test(key)) privateKey = key as Hash;
    else issues.push("KEEPER_PRIVATE_KEY: must be 0x followed by 64 hex characters");
  } else if (!dryRun) {
    issues.push("KEEPER_PRIVATE_KEY: required unless dry-run (set it in the environment, never in the file)");
  }
  // Metrics port: --metrics-port, else KEEPER_METRICS_PORT, else the file; 0 turns the endpoint off (e.g. a dry-run
  // next to the live keeper).
  let metricsPort: number | undefined = cli.metricsPort;
  const envPort = env.KEEPER_METRICS_PORT?.trim();
  if (metricsPort === undefined && envPort !== undefined && envPort !== "") {
    if (/^\d+$/.test(envPort) && Number(envPort) <= 65_535) metricsPort = Number(envPort);
    else issues.push("KEEPER_METRICS_PORT: must be a port number (0 = off)");
  }
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);
  const file = parsed.data;
  rpcUrl ??= file.rpcUrl;
  metricsPort ??= file.metricsPort;

  const vaultOverrides: Record<string, Partial<StrategyConfig>> = {};
  for (const [k, v] of Object.entries(file.vaultOverrides)) vaultOverrides[k.toLowerCase()] = v;

  return {
    chainId: file.chainId,
    rpcUrl,
    vaults: file.vaults,
    ...(file.factory !== undefined && { factory: file.factory }),
    quoterV2: file.quoterV2,
    ...(file.ethUsdFeed !== undefined && { ethUsdFeed: file.ethUsdFeed }),
    ...(file.ethPriceUsd !== undefined && { ethPriceUsd: file.ethPriceUsd }),
    quoteFeeTier: file.quoteFeeTier,
    gasPriceCapWei: gweiToWei(file.gasPriceCapGwei),
    pollIntervalMs: file.pollIntervalSeconds * 1_000,
    confirmations: file.confirmations,
    txTimeoutMs: file.txTimeoutSeconds * 1_000,
    feeBumpPercent: file.feeBumpPercent,
    dryRun,
    once: cli.once === true,
    ...(file.keeperAddress !== undefined && { keeperAddress: file.keeperAddress }),
    ...(metricsPort !== undefined && metricsPort !== 0 && { metricsPort }),
    backoff: file.backoff,
    strategy: file.strategy,
    vaultOverrides,
    alreadyDoneErrors: file.alreadyDoneErrors,
    ...(file.batches.enabled && {
      batches: {
        ...(file.batches.batchFactory !== undefined && { batchFactory: file.batches.batchFactory }),
        addresses: file.batches.addresses,
        maxCostBps: file.batches.maxCostBps,
        gasPriceCapWei: file.batches.gasPriceCapGwei !== undefined ? gweiToWei(file.batches.gasPriceCapGwei) : gweiToWei(file.gasPriceCapGwei),
        settlementGasEstimate: BigInt(file.batches.settlementGasEstimate),
        ...(file.batches.logsFromBlock !== undefined && { logsFromBlock: BigInt(file.batches.logsFromBlock) }),
      },
    }),
    secrets: privateKey !== undefined ? { privateKey } : {},
  };
}

/** Read and validate the config file at `path`. */
export function loadConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cli: CliOverrides = {},
): KeeperConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError([`cannot read config file ${path}: ${(e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`config file ${path} is not valid JSON: ${(e as Error).message}`]);
  }
  return parseConfig(raw, env, cli);
}

/** The strategy parameters for one vault: defaults, then the vault's overrides. */
export function strategyParamsFor(config: KeeperConfig, vault: Address): StrategyParams & { gasEstimate: bigint } {
  const s: StrategyConfig = { ...config.strategy, ...config.vaultOverrides[vault.toLowerCase()] };
  return {
    ...(s.thresholdBps !== undefined && { thresholdBps: s.thresholdBps }),
    ...(s.sumDriftThresholdBps !== undefined && { sumDriftThresholdBps: s.sumDriftThresholdBps }),
    gasPriceCapWei: config.gasPriceCapWei,
    trackingErrorCostBps: s.trackingErrorCostBps,
    minBenefitCostRatioBps: s.minBenefitCostRatioBps,
    maxPriceImpactBps: s.maxPriceImpactBps,
    minTradeValueD18: BigInt(Math.round(s.minTradeValueUsd * 1e6)) * 10n ** 12n,
    gasEstimate: BigInt(s.gasEstimate),
  };
}
