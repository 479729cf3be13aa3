/**
 * Structured JSON logs (pino). bigints are written as decimal strings (exact, unlike JSON
 * numbers); secrets are redacted wherever they appear under a known key.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

const REDACT_PATHS = [
  "secrets",
  "*.secrets",
  "privateKey",
  "*.privateKey",
  "config.secrets",
  "config.rpcUrl",
];

/** Deep copy of `value` with every bigint turned into its decimal string. */
export function jsonSafe(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, seen);
  return out;
}

export interface LoggerSettings {
  readonly level?: string;
  /** Where to write; default stdout. Tests pass a capturing stream. */
  readonly destination?: DestinationStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.KEEPER_LOG_LEVEL ?? "info",
    base: { service: "keeper" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => jsonSafe(obj) as Record<string, unknown>,
    },
  };
  return settings.destination !== undefined ? pino(options, settings.destination) : pino(options);
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
