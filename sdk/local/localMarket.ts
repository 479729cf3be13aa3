// The local market on a node: deployed by the fixture's forge script (script/DeployLocalMarket.s.sol, the same
// LocalMarket the Solidity tests use), described by the JSON it writes, validated here with zod.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { getAddress, type Address } from "viem";
import { z } from "zod";
import { repoRoot } from "./paths";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "not an address")
  .transform((value) => getAddress(value));
const uint = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    const n = BigInt(value);
    if (n < 0n) throw new Error("negative");
    return n;
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not an unsigned integer: ${String(value)}` });
    return z.NEVER;
  }
});
const smallUint = uint.transform((value) => Number(value));

/** One constituent of the local market. */
const ConstituentSchema = z.object({
  /** Position in `constituents` (the fixture's index: 0 = WETH, 1 = WBTC, ...). */
  index: smallUint,
  symbol: z.string().min(1),
  address,
  decimals: smallUint,
  /** Chainlink-style USD feed, 8 decimals. */
  feed: address,
  /** Feed heartbeat {s}. */
  heartbeat: smallUint,
  /** Feed answer at deployment, D8{USD/tok}. */
  priceUsd8: uint,
  /** Buy route from USDT: [0] = USDT, [last] = the token. The sell route is its reverse. */
  buyRouteTokens: z.array(address).min(2),
  /** Fee tier of each hop {hundredths of a bp}: 500 = 0.05 %. */
  buyRouteFees: z.array(smallUint).min(1),
  /** Uniswap V3 pool of each hop. */
  pools: z.array(address).min(1),
});

/** The JSON written by script/DeployLocalMarket.s.sol (LOCAL_MARKET_OUT). */
export const LocalMarketSchema = z
  .object({
    chainId: smallUint,
    /** The broadcaster: owns the PriceMover and every feed. */
    owner: address,
    uniswapFactory: address,
    positionManager: address,
    swapRouter: address,
    quoterV2: address,
    usdt: address,
    usdtFeed: address,
    /** {s} */
    usdtHeartbeat: smallUint,
    weth: address,
    priceMover: address,
    thinToken: address,
    twoHopToken: address,
    constituents: z.array(ConstituentSchema).min(1),
  })
  .superRefine((market, ctx) => {
    const tokens = new Set(market.constituents.map((c) => c.address));
    if (tokens.size !== market.constituents.length) ctx.addIssue({ code: "custom", message: "duplicate constituent" });
    if (!tokens.has(market.thinToken)) ctx.addIssue({ code: "custom", message: "thinToken is not a constituent" });
    if (!tokens.has(market.twoHopToken)) ctx.addIssue({ code: "custom", message: "twoHopToken is not a constituent" });
    if (market.constituents[0]?.address !== market.weth) {
      ctx.addIssue({ code: "custom", message: "constituents[0] must be WETH" });
    }
    market.constituents.forEach((c, i) => {
      const path = ["constituents", i];
      if (c.index !== i) ctx.addIssue({ code: "custom", path, message: `index ${c.index} at position ${i}` });
      const hops = c.buyRouteFees.length;
      if (c.buyRouteTokens.length !== hops + 1 || c.pools.length !== hops) {
        ctx.addIssue({ code: "custom", path, message: "route tokens/fees/pools lengths disagree" });
      }
      if (c.buyRouteTokens[0] !== market.usdt || c.buyRouteTokens[hops] !== c.address) {
        ctx.addIssue({ code: "custom", path, message: "buy route must run from USDT to the token" });
      }
    });
  });

export type LocalMarket = z.infer<typeof LocalMarketSchema>;
export type LocalMarketConstituent = LocalMarket["constituents"][number];

/** Parses and validates the deploy script's JSON (throws a zod error naming the bad field). */
export function parseLocalMarket(json: unknown): LocalMarket {
  return LocalMarketSchema.parse(json);
}

/** Reads and validates a local-market JSON file. */
export function readLocalMarket(file: string): LocalMarket {
  return parseLocalMarket(JSON.parse(readFileSync(file, "utf8")));
}

export interface DeployLocalMarketOptions {
  /** Private key of the broadcaster (it owns the PriceMover and the feeds). */
  privateKey: `0x${string}`;
  /** Forward forge's output to this process's stderr. Default false (shown only on failure). */
  verbose?: boolean;
  /**
   * Send one transaction at a time (forge --slow). Needed on nodes with a mainnet-size block gas limit: forge
   * sends a batch, anvil fills a block and leaves the rest pending until the next transaction arrives, which
   * never comes. The anvil spawned by startLocalChain has a large block gas limit and does not need it.
   */
  slow?: boolean;
  /** Give up after this long {ms}. Default 300 000. */
  timeoutMs?: number;
}

/**
 * Deploys the local market to `rpcUrl` by running the fixture's forge script with `--broadcast`, and returns the
 * validated description it wrote. Uses the checkout's forge and build output (FOUNDRY_OUT is honoured).
 */
export async function deployLocalMarket(rpcUrl: string, options: DeployLocalMarketOptions): Promise<LocalMarket> {
  const root = repoRoot();
  // forge may only write inside paths foundry.toml allows (./cache is read-write).
  const dir = join(root, "cache", "local-market");
  mkdirSync(dir, { recursive: true });
  const outFile = join(dir, `market-${process.pid}-${Date.now()}.json`);
  const args = [
    "script",
    "script/DeployLocalMarket.s.sol",
    "--rpc-url",
    rpcUrl,
    "--private-key",
    options.privateKey,
    "--broadcast",
    "--non-interactive",
    "--disable-code-size-limit",
    ...(options.slow === true ? ["--slow"] : []),
  ];
  const forge = join(root, "node_modules", ".bin", "forge");
  const output = await new Promise<string>((resolveRun, reject) => {
    const child = spawn(forge, args, {
      cwd: root,
      env: { ...process.env, LOCAL_MARKET_OUT: outFile, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const collect = (chunk: Buffer): void => {
      log += chunk.toString("utf8");
      if (options.verbose === true) process.stderr.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timeoutMs = options.timeoutMs ?? 300_000;
    const timer = setTimeout(() => {
      log += `\n[killed after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(log);
      else reject(new Error(`forge script script/DeployLocalMarket.s.sol failed (exit ${code}):\n${log.slice(-6000)}`));
    });
  });
  // forge exits 0 even when broadcast transactions revert on chain (the JSON was written during simulation).
  const failures = output.split("\n").filter((line) => /Transaction Failure|^Error:/.test(line));
  if (failures.length > 0) {
    rmSync(outFile, { force: true });
    throw new Error(
      `forge script script/DeployLocalMarket.s.sol: ${failures.length} transaction(s) failed on chain:\n` +
        `${failures.slice(0, 5).join("\n")}\n--- forge output (tail) ---\n${output.slice(-4000)}`,
    );
  }
  try {
    return readLocalMarket(outFile);
  } catch (error) {
    throw new Error(`local market JSON ${outFile} invalid: ${String(error)}\nforge output:\n${output.slice(-3000)}`);
  } finally {
    rmSync(outFile, { force: true });
  }
}

/** Convenience lookups over a parsed market. */
export function constituentOf(market: LocalMarket, token: Address): LocalMarketConstituent {
  const found = market.constituents.find((c) => c.address === getAddress(token));
  if (found === undefined) throw new Error(`${token} is not a local-market constituent`);
  return found;
}
