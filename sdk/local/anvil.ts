// Starts and stops a local anvil (the npm build in node_modules/.bin) on a free loopback port.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot } from "./paths";
import { jsonRpc } from "../client/rpc";

export interface AnvilOptions {
  /** Port to listen on; default: a free one anvil binds itself on 127.0.0.1. */
  port?: number;
  /** Extra anvil arguments, e.g. ["--load-state", file] or ["--disable-code-size-limit"]. */
  args?: readonly string[];
  /** anvil executable; default node_modules/.bin/anvil of this repository. */
  bin?: string;
  /** How long to wait for the node to answer eth_chainId {ms}. Default 20 000. */
  startTimeoutMs?: number;
}

export interface AnvilInstance {
  /** http://127.0.0.1:<port> */
  rpcUrl: string;
  port: number;
  chainId: number;
  pid: number;
  /** Kills anvil (SIGTERM, then SIGKILL after 3 s) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The anvil executable of this checkout: the native binary from @foundry-rs/anvil-<platform> when present
 * (signals then reach anvil itself, not a Node wrapper that could leave it orphaned), else the npm wrapper.
 */
export function anvilBin(): string {
  const scope = join(repoRoot(), "node_modules", "@foundry-rs");
  if (existsSync(scope)) {
    for (const dir of readdirSync(scope)) {
      const candidate = join(scope, dir, "bin", "anvil");
      if (dir.startsWith("anvil-") && existsSync(candidate)) return candidate;
    }
  }
  return join(repoRoot(), "node_modules", ".bin", "anvil");
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("freePort: no port assigned"));
        return;
      }
      server.close(() => resolvePort(address.port));
    });
  });
}

/** Sends one JSON-RPC request with fetch (no client library, so it works before anything is set up). */
export function rpcRequest<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  return jsonRpc<T>(rpcUrl, method, params);
}

/** Polls eth_chainId until the node answers; returns the chain id. */
export async function waitForRpc(rpcUrl: string, timeoutMs: number, isDead: () => string | undefined = () => undefined): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead !== undefined) throw new Error(dead);
    try {
      return Number(BigInt(await rpcRequest<string>(rpcUrl, "eth_chainId")));
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`no answer from ${rpcUrl} within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Every anvil this process started and has not stopped: killed if the process exits without stop(). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** anvil's banner line naming the address it bound. */
const LISTENING = /Listening on 127\.0\.0\.1:(\d+)/;

/**
 * Spawns anvil and waits until it answers. With `port` undefined anvil binds port 0 itself and the port is read
 * from its banner: no gap between picking a port and binding it in which a parallel suite's anvil could take it
 * (the node answering would then be someone else's). anvil's per-request log on stdout is drained and dropped.
 */
function spawnOnce(bin: string, port: number | undefined, args: readonly string[], timeoutMs: number): Promise<AnvilInstance> {
  const portArgs = port === undefined ? ["--port", "0"] : ["--port", String(port), "--quiet"];
  const child = spawn(bin, ["--host", "127.0.0.1", ...portArgs, ...args], {
    stdio: ["ignore", port === undefined ? "pipe" : "ignore", "pipe"],
  });
  running.add(child);
  installExitHook();
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let bound: number | undefined = port;
  let banner = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    if (bound !== undefined) return;
    banner = (banner + chunk).slice(-8000);
    const match = LISTENING.exec(banner);
    if (match !== null) bound = Number(match[1]);
  });
  let exitInfo: string | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolveExit) => {
    child.once("exit", (code, signal) => {
      exitInfo = `anvil exited early (code ${code}, signal ${signal}): ${stderr.trim()}`;
      running.delete(child);
      resolveExit();
    });
    child.once("error", (error) => {
      spawnError = error;
      exitInfo = `anvil could not start (${bin}): ${error.message}`;
      running.delete(child);
      resolveExit();
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || spawnError !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const started = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (bound === undefined) {
      if (exitInfo !== undefined) throw new Error(exitInfo);
      if (Date.now() > deadline) throw new Error(`anvil printed no listening address within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const rpcUrl = `http://127.0.0.1:${bound}`;
    const chainId = await waitForRpc(rpcUrl, Math.max(1000, deadline - Date.now()), () => exitInfo);
    return { rpcUrl, port: bound, chainId, pid: child.pid ?? -1, stop };
  })();
  return started.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
}

/**
 * Starts anvil on 127.0.0.1 and waits until it answers: on `options.port`, else on a port anvil binds itself.
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilInstance> {
  const bin = options.bin ?? anvilBin();
  if (!existsSync(bin)) throw new Error(`anvil not found at ${bin}; run npm ci`);
  return spawnOnce(bin, options.port, options.args ?? [], options.startTimeoutMs ?? 20_000);
}
