/**
 * `npm run keeper -- --config <file> [--dry-run] [--once]`
 *
 * Loads and validates the config (file + environment), starts the metrics/health endpoint on
 * 127.0.0.1 when configured, builds the chain adapter and runs the loop until SIGINT/SIGTERM
 * (or one iteration with --once). Exit codes: 0 ok; 1 --once iteration had failures; 2 bad
 * usage or config; 3 could not start.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ChainAdapter } from "./chain";
import { ConfigError, loadConfig, strategyParamsFor, type KeeperConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { KeeperLoop } from "./loop";
import { KeeperMetrics, startMetricsServer, type MetricsServer } from "./metrics";

export const USAGE = `usage: npm run keeper -- --config <file> [--dry-run] [--once]
       npm run keeper -- propose --config <file> --vault <address> --weights <spec.json> [--dry-run]

  -c, --config <file>  keeper config (JSON); see keeper/config.example.json
      --dry-run        decide, simulate and log, never send a transaction
      --once           run one iteration over every vault, then exit
  -h, --help           this text

environment: KEEPER_PRIVATE_KEY (required unless --dry-run), KEEPER_MANAGER_PRIVATE_KEY (propose),
             KEEPER_RPC_URL, KEEPER_DRY_RUN, KEEPER_LOG_LEVEL`;

export interface CliArgs {
  readonly config: string;
  readonly dryRun: boolean;
  readonly once: boolean;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parse argv (without node and script); `undefined` means --help was asked. */
export function parseCliArgs(argv: readonly string[]): CliArgs | undefined {
  let values: { config?: string; "dry-run"?: boolean; once?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string", short: "c" },
        "dry-run": { type: "boolean", default: false },
        once: { type: "boolean", default: false },
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
  return { config: values.config, dryRun: values["dry-run"] === true, once: values.once === true };
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
    config = loadConfig(args.config, deps.env ?? process.env, { dryRun: args.dryRun, once: args.once });
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
  let server: MetricsServer | undefined;
  let adapter: ChainAdapter;
  try {
    adapter = await (deps.createAdapter ?? defaultAdapterFactory)(config, logger);
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
  });

  const controller = new AbortController();
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
    if (config.once) {
      const failed = last === undefined || !last.rpcOk || last.outcomes.some((o) => ["error", "rpc-down", "reverted", "simulation-failed"].includes(o.status));
      return failed ? 1 : 0;
    }
    return 0;
  } finally {
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
