/**
 * `npm run keeper -- --config <file> [--dry-run] [--once] [--metrics-port <n>]`
 *
 * Loads and validates the config (file + environment), starts the metrics/health endpoint on
 * 127.0.0.1 when configured, builds the chain adapter (and, with `batches.enabled`, the BatchKeeper)
 * and runs the loop until SIGINT/SIGTERM (or one iteration with --once). Exit codes: 0 ok; 1 --once
 * iteration had failures; 2 bad usage or config, or the node is another chain (at start or whenever
 * it is first seen later); 3 could not start.
 */
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ChainAdapter } from "./chain";
import { ConfigError, loadConfig, strategyParamsFor, type KeeperConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import type { BatchKeeper } from "./batch";
import { KeeperLoop } from "./loop";
import { KeeperMetrics, startMetricsServer, type MetricsServer } from "./metrics";
import { checkChain, describeMissing, RpcUnavailable, startupProblem, walletBalance } from "./preflight";

export const USAGE = `usage: npm run keeper -- --config <file> [--dry-run] [--once] [--metrics-port <n>]
       npm run keeper -- propose --config <file> --vault <address> --weights <spec.json> [--dry-run]

  -c, --config <file>      keeper config (JSON); see keeper/config.example.json
      --dry-run            decide, simulate and log, never send a transaction
      --once               run one iteration over every vault, then exit
      --metrics-port <n>   /metrics and /health on 127.0.0.1:<n>; 0 = off (overrides the file and KEEPER_METRICS_PORT)
  -h, --help               this text

environment: KEEPER_PRIVATE_KEY, or KEEPER_KEYSTORE=<encrypted JSON keystore> with KEEPER_KEYSTORE_PASSWORD or
             KEEPER_KEYSTORE_PASSWORD_FILE (one of them required unless --dry-run); KEEPER_MANAGER_PRIVATE_KEY
             (propose); KEEPER_RPC_URL, KEEPER_DRY_RUN, KEEPER_LOG_LEVEL, KEEPER_METRICS_PORT`;

export interface CliArgs {
  readonly config: string;
  readonly dryRun: boolean;
  readonly once: boolean;
  readonly metricsPort?: number;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parse argv (without node and script); `undefined` means --help was asked. */
export function parseCliArgs(argv: readonly string[]): CliArgs | undefined {
  let values: { config?: string; "dry-run"?: boolean; once?: boolean; help?: boolean; "metrics-port"?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string", short: "c" },
        "dry-run": { type: "boolean", default: false },
        once: { type: "boolean", default: false },
        "metrics-port": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help === true) return undefined;
  if (values.config === undefined || values.config === "") throw new UsageError("--config <file> is required");
  const portText = values["metrics-port"];
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65_535)) {
    throw new UsageError(`--metrics-port must be a port number (0 = off), got "${portText}"`);
  }
  return {
    config: values.config,
    dryRun: values["dry-run"] === true,
    once: values.once === true,
    ...(portText === undefined ? {} : { metricsPort: Number(portText) }),
  };
}

/**
 * KEEPER_KEYSTORE: decrypts the encrypted JSON keystore (geth/ethers "v3" format, scrypt or pbkdf2) with
 * KEEPER_KEYSTORE_PASSWORD or the first line of KEEPER_KEYSTORE_PASSWORD_FILE, and returns the environment with
 * KEEPER_PRIVATE_KEY set to the key (in memory only). Without KEEPER_KEYSTORE the environment is returned as is.
 * A hardware or remote signer (Ledger, a KMS, web3signer/clef) would plug in at the same seam: a viem `Account`
 * whose signTransaction calls the device or service, given to the chain adapter instead of a local key.
 */
export async function keystoreEnv(env: Readonly<Record<string, string | undefined>>): Promise<Readonly<Record<string, string | undefined>>> {
  const file = env.KEEPER_KEYSTORE?.trim();
  if (file === undefined || file === "") return env;
  if ((env.KEEPER_PRIVATE_KEY ?? "").trim() !== "") throw new ConfigError(["KEEPER_KEYSTORE and KEEPER_PRIVATE_KEY are both set: use one"]);
  let password = env.KEEPER_KEYSTORE_PASSWORD;
  const passwordFile = env.KEEPER_KEYSTORE_PASSWORD_FILE?.trim();
  if (password === undefined && passwordFile !== undefined && passwordFile !== "") {
    try {
      password = readFileSync(passwordFile, "utf8").split(/\r?\n/)[0] ?? "";
    } catch (e) {
      throw new ConfigError([`KEEPER_KEYSTORE_PASSWORD_FILE: cannot read ${passwordFile}: ${(e as Error).message}`]);
    }
  }
  if (password === undefined) throw new ConfigError(["KEEPER_KEYSTORE: set KEEPER_KEYSTORE_PASSWORD or KEEPER_KEYSTORE_PASSWORD_FILE"]);
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError([`KEEPER_KEYSTORE: cannot read ${file}: ${(e as Error).message}`]);
  }
  const { Wallet } = await import("ethers");
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return { ...env, KEEPER_PRIVATE_KEY: wallet.privateKey };
  } catch (e) {
    throw new ConfigError([`KEEPER_KEYSTORE: cannot decrypt ${file}: ${(e as Error).message.split(" (")[0]}`]);
  }
}

export type AdapterFactory = (config: KeeperConfig, logger: Logger) => Promise<ChainAdapter>;

export interface MainDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly createAdapter?: AdapterFactory;
  readonly logger?: Logger;
  readonly stderr?: (line: string) => void;
  /** Aborts the run (tests); the CLI wires SIGINT/SIGTERM to it. */
  readonly signal?: AbortSignal;
}

async function defaultAdapterFactory(config: KeeperConfig, logger: Logger): Promise<ChainAdapter> {
  const { createViemAdapter } = await import("./viem/adapter");
  return createViemAdapter(config, logger);
}

/**
 * The batch duty from `config.batches` (undefined when disabled): a BatchKeeper on its own viem clients (the SDK's
 * transaction path: simulate, send, wait), signing with the keeper's key; without a key (dry-run) it only reports.
 * Makes no RPC call. Receipts are polled every 50 ms on the local dev chain (31337, automine), every 2 s elsewhere.
 */
export async function createBatchKeeper(config: KeeperConfig, logger: Logger, metrics: KeeperMetrics): Promise<BatchKeeper | undefined> {
  const batches = config.batches;
  if (batches === undefined) return undefined;
  const [{ BatchKeeper }, viem, { privateKeyToAccount }] = await Promise.all([import("./batch"), import("viem"), import("viem/accounts")]);
  const chain = viem.defineChain({
    id: config.chainId,
    name: `chain-${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const transport = viem.http(config.rpcUrl, { batch: { wait: 0 }, retryCount: 1, timeout: 15_000 });
  const pollingInterval = config.chainId === 31337 ? 50 : 2_000;
  const client = viem.createPublicClient({ chain, transport, pollingInterval });
  const key = config.secrets.privateKey;
  const wallet = key === undefined ? undefined : viem.createWalletClient({ chain, transport, account: privateKeyToAccount(key), pollingInterval });
  logger.info(
    { batchFactory: batches.batchFactory, batches: batches.addresses, maxCostBps: batches.maxCostBps, gasPriceCapWei: batches.gasPriceCapWei },
    "batch duty on: settling due epochs and pushing their claims",
  );
  return new BatchKeeper({
    client,
    ...(wallet !== undefined && { wallet }),
    registry: metrics.registry,
    logger,
    settings: {
      batches: batches.addresses,
      ...(batches.batchFactory !== undefined && { batchFactory: batches.batchFactory }),
      dryRun: config.dryRun,
      gasPriceCapWei: batches.gasPriceCapWei,
      maxCostBps: batches.maxCostBps,
      defaultSettlementGas: batches.settlementGasEstimate,
      ...(batches.logsFromBlock !== undefined && { fromBlock: batches.logsFromBlock }),
    },
  });
}

/** The whole program; returns the exit code. */
export async function main(argv: readonly string[], deps: MainDeps = {}): Promise<number> {
  const stderr = deps.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  if (argv[0] === "propose") {
    const { runPropose } = await import("./propose");
    return runPropose(argv.slice(1), deps.env ?? process.env, deps.logger ?? createLogger(), stderr);
  }
  let args: CliArgs | undefined;
  let config: KeeperConfig;
  try {
    args = parseCliArgs(argv);
    if (args === undefined) {
      stderr(USAGE);
      return 0;
    }
    const env = await keystoreEnv(deps.env ?? process.env);
    config = loadConfig(args.config, env, {
      dryRun: args.dryRun,
      once: args.once,
      ...(args.metricsPort === undefined ? {} : { metricsPort: args.metricsPort }),
    });
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      stderr(`keeper: ${e.message}`);
      if (e instanceof UsageError) stderr(USAGE);
      return 2;
    }
    throw e;
  }

  const logger = deps.logger ?? createLogger();
  const metrics = new KeeperMetrics();
  metrics.initVaults(config.vaults);
  // Before anything else: the node's chain id and the configured contracts' code. A dead node is retried by the
  // loop; a wrong chain or addresses without code are configuration errors and stop the keeper here.
  try {
    const problem = startupProblem(config, await checkChain(config));
    if (problem !== undefined) {
      logger.fatal({ rpcUrl: config.rpcUrl }, problem);
      stderr(`keeper: ${problem}`);
      return 2;
    }
  } catch (e) {
    if (!(e instanceof RpcUnavailable)) throw e;
    logger.warn({ rpcUrl: config.rpcUrl, err: e.message }, "RPC unavailable at start: the node is down or unreachable; retrying");
  }
  let server: MetricsServer | undefined;
  let adapter: ChainAdapter;
  let batches: BatchKeeper | undefined;
  try {
    adapter = await (deps.createAdapter ?? defaultAdapterFactory)(config, logger);
    batches = await createBatchKeeper(config, logger, metrics);
    if (config.metricsPort !== undefined) {
      // Healthy while the RPC answered within 3 poll intervals (or the longest backoff).
      const maxAge = Math.max(3 * config.pollIntervalMs, config.backoff.maxMs + config.pollIntervalMs);
      server = await startMetricsServer(metrics, config.metricsPort, maxAge);
      logger.info({ url: `http://127.0.0.1:${server.port}/metrics` }, "metrics and /health listening on loopback");
    }
  } catch (e) {
    logger.fatal({ err: e }, "keeper could not start");
    await server?.close();
    return 3;
  }

  logger.info(
    {
      chainId: config.chainId,
      vaults: config.vaults,
      factory: config.factory,
      batches: config.batches !== undefined,
      dryRun: config.dryRun,
      once: config.once,
      pollIntervalMs: config.pollIntervalMs,
      gasPriceCapWei: config.gasPriceCapWei,
    },
    `keeper starting${config.dryRun ? " (dry-run: nothing will be sent)" : ""}`,
  );
  const loop = new KeeperLoop({
    adapter,
    logger,
    metrics,
    settings: {
      dryRun: config.dryRun,
      once: config.once,
      pollIntervalMs: config.pollIntervalMs,
      backoff: config.backoff,
      alreadyDoneErrors: config.alreadyDoneErrors,
      paramsFor: (vault) => strategyParamsFor(config, vault),
    },
    ...(batches !== undefined && { batches }),
  });

  // While running: tell "no contract at <factory>" apart from a dead node (metric + /health + a log line when it
  // changes), and track the wallet's gas balance for the low-balance alert.
  const keeperAddress = config.secrets.privateKey !== undefined
    ? (await import("viem/accounts")).privateKeyToAccount(config.secrets.privateKey).address
    : config.keeperAddress;
  // A wrong chain is fatal whenever it is seen: here (the node was down at start, or was swapped behind the URL)
  // as in the loop, which checks the chain id on every iteration too.
  const controller = new AbortController();
  let fatal: string | undefined;
  let lastMissing = "";
  const watch = async (): Promise<void> => {
    try {
      const check = await checkChain(config);
      if (check.chainId !== config.chainId) {
        fatal ??= startupProblem(config, check);
        logger.fatal({ rpcUrl: config.rpcUrl }, fatal ?? "wrong chain");
        controller.abort();
        return;
      }
      const missing = check.chainId === config.chainId ? describeMissing(check.missing) : `chain ${check.chainId} (config ${config.chainId})`;
      metrics.setMissingContracts(check.chainId === config.chainId ? check.missing.length : 1, missing);
      if (missing !== lastMissing) {
        if (missing === "") logger.info("configured contracts found on the node");
        else logger.error({ rpcUrl: config.rpcUrl }, `the node answers but there is no contract at ${missing} (chain restarted without a redeploy?)`);
        lastMissing = missing;
      }
      if (keeperAddress !== undefined) metrics.setWalletBalance(await walletBalance(config.rpcUrl, keeperAddress));
    } catch (e) {
      if (!(e instanceof RpcUnavailable)) logger.debug({ err: (e as Error).message }, "chain watch failed");
    }
  };
  await watch();
  const watcher = setInterval(() => void watch(), Math.max(config.pollIntervalMs, 5_000));
  watcher.unref();

  deps.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const stop = (sig: string) => {
    logger.info({ signal: sig }, "stopping after the current iteration");
    controller.abort();
  };
  const onSigint = () => stop("SIGINT");
  const onSigterm = () => stop("SIGTERM");
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  try {
    const last = await loop.run(controller.signal);
    fatal ??= last?.fatal;
    if (fatal !== undefined) {
      stderr(`keeper: ${fatal}`);
      return 2;
    }
    if (config.once) {
      const failed =
        last === undefined ||
        !last.rpcOk ||
        last.outcomes.some((o) => ["error", "rpc-down", "reverted", "simulation-failed"].includes(o.status)) ||
        (last.batchOutcomes ?? []).some((o) => o.status === "error");
      return failed ? 1 : 0;
    }
    return 0;
  } finally {
    clearInterval(watcher);
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    await server?.close();
    logger.info("keeper stopped");
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`keeper: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
