// The wallet CLI: `npm run cli -- <command>` or the `index-vault` bin. Human-readable tables by default, `--json` for
// scripts (progress goes to stderr, so stdout stays one JSON document), every revert explained (cli/errors.ts).
import { parseArgs } from "node:util";
import { createPublicClient, createWalletClient, getAddress, http, isAddress, type Address, type Chain } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry, mainnet } from "viem/chains";
import { ANVIL_ACCOUNT_COUNT, devAccounts } from "../sdk/local/accounts";
import { repoRoot } from "../sdk/local/paths";
import { defaultDeploymentsDir, readDeployments, type Deployments } from "./deployments";
import { fmtBps, fmtUnits, fmtUsdt, keyValues, parseAmount, shortAddress, table, toJson } from "./format";
import { progressLine } from "./progress";
import { BATCH_USAGE, isBatchCommand, runBatchCli } from "./batch";
import {
  explainError,
  deposit,
  listVaults,
  quoteDeposit,
  quoteRedeem,
  readVaultStatus,
  redeem,
  redeemInKind,
  send,
  withSlippage,
  type AnyPublicClient,
  type Leg,
  type VaultStatus,
  type Wallet,
} from "../sdk/client";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const USAGE = `usage: npm run cli -- <command> [options]      (or: npx index-vault <command>)

commands
  indexes                          the factory's registry: every index, its NAV and level
  status                           NAV, index level, weights vs targets, drift, fees, pause/rebalancing state
  quote deposit <usdt>             expected shares and each leg's price impact
  quote redeem <shares|all>        expected USDT and each leg's price impact
  deposit <usdt>                   buy the basket with USDT   [--slippage <bps>] [--deadline <s>]
  redeem <shares|all>              sell your share of the basket for USDT   [--slippage <bps>] [--deadline <s>]
  redeem-in-kind <shares|all>      take your share of the basket itself (never paused, no oracle)
  faucet <usdt>                    local chain only: mint mock USDT to your account

options
  --vault <address|id|symbol>      which index (default: the first in the registry), e.g. btc-eth, DEFI
  --rpc <url>                      node (default $INDEX_VAULT_RPC_URL or http://127.0.0.1:8545)
  --deployments <dir>              hardhat-deploy records (default deployments/localhost, or deployments/mainnet on chain 1)
  --factory <address>              IndexFactory (default: from the deployments)
  --quoter <address>               Uniswap QuoterV2 (default: from the deployments or config/mainnet.json)
  --account <n>                    anvil dev account n on a local chain (default 0); elsewhere the key is $PRIVATE_KEY
  --slippage <bps>                 bound on shares/USDT below the quote (default 50 = 0.5 %)
  --deadline <s>                   seconds the transaction stays valid (default 600)
  --json                           machine-readable output on stdout
  -h, --help                       this text

${BATCH_USAGE}`;

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

class UsageError extends Error {}

interface Context {
  rpcUrl: string;
  chain: Chain;
  client: AnyPublicClient;
  deployments: Deployments;
  options: Options;
  io: CliIo;
}

interface Options {
  vault?: string;
  rpc?: string;
  deployments?: string;
  factory?: string;
  quoter?: string;
  account?: string;
  slippage?: string;
  deadline?: string;
  json: boolean;
}

/** Runs one CLI invocation; returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (isBatchCommand(argv)) return runBatchCli(argv, io); // cli/batch.ts: the ERC-7540 batch commands
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        vault: { type: "string" },
        rpc: { type: "string" },
        deployments: { type: "string" },
        factory: { type: "string" },
        quoter: { type: "string" },
        account: { type: "string" },
        slippage: { type: "string" },
        deadline: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) {
    io.stdout(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  const options: Options = { ...values, json: values.json === true } as Options;
  try {
    const ctx = await connect(options, io);
    const [command, ...rest] = positionals;
    switch (command) {
      case "indexes":
        return await cmdIndexes(ctx);
      case "status":
        return await cmdStatus(ctx);
      case "quote":
        if (rest[0] === "deposit") return await cmdQuoteDeposit(ctx, need(rest[1], "quote deposit <usdt>"));
        if (rest[0] === "redeem") return await cmdQuoteRedeem(ctx, need(rest[1], "quote redeem <shares|all>"));
        throw new UsageError("quote what? `quote deposit <usdt>` or `quote redeem <shares|all>`");
      case "deposit":
        return await cmdDeposit(ctx, need(rest[0], "deposit <usdt>"));
      case "redeem":
        return await cmdRedeem(ctx, need(rest[0], "redeem <shares|all>"));
      case "redeem-in-kind":
        return await cmdRedeemInKind(ctx, need(rest[0], "redeem-in-kind <shares|all>"));
      case "faucet":
        return await cmdFaucet(ctx, need(rest[0], "faucet <usdt>"));
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const explained = explainError(error);
    if (options.json) io.stdout(`${toJson({ ok: false, error: { name: explained.errorName, message: explained.message, args: explained.args, data: explained.data } })}\n`);
    io.stderr(`error: ${explained.message}${explained.errorName === undefined ? "" : ` [${explained.errorName}]`}\n`);
    return 1;
  }
}

function need(value: string | undefined, usage: string): string {
  if (value === undefined) throw new UsageError(`missing argument: ${usage}`);
  return value;
}

async function connect(options: Options, io: CliIo): Promise<Context> {
  const rpcUrl = options.rpc ?? io.env.INDEX_VAULT_RPC_URL ?? "http://127.0.0.1:8545";
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch {
    throw new Error(`no node answers at ${rpcUrl}: start one (e.g. node_modules/.bin/anvil) or pass --rpc <url>`);
  }
  const base = chainId === 1 ? mainnet : foundry;
  const chain: Chain = { ...base, id: chainId, rpcUrls: { default: { http: [rpcUrl] } } };
  const client = createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }), pollingInterval: chainId === 31337 ? 50 : 2_000 });
  const deployments = readDeployments(options.deployments ?? defaultDeploymentsDir(repoRoot(), chainId));
  if (deployments.chainId !== undefined && deployments.chainId !== chainId) {
    throw new Error(`${deployments.dir} belongs to chain ${deployments.chainId}, the node is chain ${chainId}: pass --deployments or --factory/--vault`);
  }
  const factory = deployments.records.get("IndexFactory");
  if (options.factory === undefined && factory !== undefined && (await client.getCode({ address: factory.address })) === undefined) {
    throw new Error(
      `no contract at the IndexFactory address recorded in ${deployments.dir} (${factory.address}): the records are from an earlier chain. ` +
        "Deploy again (npm run deploy:local, or npm run demo -- --rpc <url>) or pass --deployments/--factory",
    );
  }
  return { rpcUrl, chain, client, deployments, options, io };
}

function factoryOf(ctx: Context): Address {
  const given = ctx.options.factory;
  if (given !== undefined) return getAddress(given);
  const record = ctx.deployments.records.get("IndexFactory");
  if (record === undefined) throw new Error(`no IndexFactory in ${ctx.deployments.dir}: run \`npm run deploy:local\` (or the demo with --rpc), or pass --factory`);
  return record.address;
}

async function vaultOf(ctx: Context): Promise<Address> {
  const wanted = ctx.options.vault;
  if (wanted !== undefined && isAddress(wanted)) return getAddress(wanted);
  if (wanted !== undefined) {
    const record = ctx.deployments.records.get(`Index_${wanted}`);
    if (record !== undefined) return record.address;
  }
  const vaults = await listVaults(ctx.client, factoryOf(ctx));
  if (vaults.length === 0) throw new Error("the factory has no index yet");
  if (wanted === undefined) return vaults[0]!;
  for (const vault of vaults) {
    const status = await ctx.client.readContract({ address: vault, abi: (await import("../sdk/generated/abis")).indexVaultAbi, functionName: "symbol" });
    if (status.toLowerCase() === wanted.toLowerCase()) return vault;
  }
  throw new Error(`no index "${wanted}": use an address, an id (${[...ctx.deployments.records.keys()].filter((k) => k.startsWith("Index_")).map((k) => k.slice(6)).join(", ") || "none recorded"}) or a symbol`);
}

function quoterOf(ctx: Context): Address {
  if (ctx.options.quoter !== undefined) return getAddress(ctx.options.quoter);
  if (ctx.deployments.localMarket !== undefined) return ctx.deployments.localMarket.quoterV2;
  if (ctx.chain.id === 1) {
    const config = JSON.parse(readFileSync(join(repoRoot(), "config", "mainnet.json"), "utf8")) as { market?: { quoterV2?: string } };
    if (config.market?.quoterV2 !== undefined) return getAddress(config.market.quoterV2);
  }
  throw new Error("no QuoterV2 known for this chain: pass --quoter <address>");
}

function walletOf(ctx: Context): Wallet {
  const key = ctx.io.env.PRIVATE_KEY;
  if (key !== undefined && key !== "") {
    if (ctx.options.account !== undefined) throw new UsageError("--account and PRIVATE_KEY are exclusive");
    return createWalletClient({ chain: ctx.chain, transport: http(ctx.rpcUrl), account: privateKeyToAccount(key as `0x${string}`), pollingInterval: 50 });
  }
  if (ctx.chain.id !== 31337) throw new Error("set PRIVATE_KEY to sign (dev accounts only exist on a local chain)");
  const n = Number(ctx.options.account ?? "0");
  if (!Number.isInteger(n) || n < 0 || n >= ANVIL_ACCOUNT_COUNT) throw new UsageError(`--account must be 0..${ANVIL_ACCOUNT_COUNT - 1}`);
  return createWalletClient({ chain: ctx.chain, transport: http(ctx.rpcUrl), account: devAccounts()[n]!, pollingInterval: 50 });
}

function slippageOf(ctx: Context): number {
  const bps = Number(ctx.options.slippage ?? "50");
  if (!Number.isInteger(bps) || bps < 0 || bps > 5_000) throw new UsageError("--slippage is in bps, 0..5000");
  return bps;
}

async function deadlineOf(ctx: Context): Promise<bigint> {
  const seconds = Number(ctx.options.deadline ?? "600");
  if (!Number.isInteger(seconds) || seconds <= 0) throw new UsageError("--deadline is a positive number of seconds");
  const block = await ctx.client.getBlock();
  return block.timestamp + BigInt(seconds);
}

async function sharesArg(ctx: Context, vault: Address, text: string, owner: Address): Promise<bigint> {
  if (text === "all") {
    const balance = await ctx.client.readContract({ address: vault, abi: (await import("../sdk/generated/abis")).indexVaultAbi, functionName: "balanceOf", args: [owner] });
    if (balance === 0n) throw new Error(`${owner} holds no shares of this index`);
    return balance;
  }
  const shares = parseAmount(text, 18, "shares");
  if (owner !== ZERO) {
    const balance = await ctx.client.readContract({ address: vault, abi: (await import("../sdk/generated/abis")).indexVaultAbi, functionName: "balanceOf", args: [owner] });
    if (balance < shares) throw new Error(`${owner} holds ${fmtUnits(balance, 18, 6)} shares of this index, ${fmtUnits(shares, 18, 6)} asked`);
  }
  return shares;
}

const ZERO = "0x0000000000000000000000000000000000000000" as Address;

function out(ctx: Context, json: unknown, human: string): void {
  ctx.io.stdout(ctx.options.json ? `${toJson(json)}\n` : `${human}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------------

async function cmdIndexes(ctx: Context): Promise<number> {
  const factory = factoryOf(ctx);
  const vaults = await listVaults(ctx.client, factory);
  const ids = new Map([...ctx.deployments.records.values()].filter((r) => r.name.startsWith("Index_")).map((r) => [r.address, r.name.slice(6)]));
  const statuses = await Promise.all(vaults.map((v) => readVaultStatus(ctx.client, v)));
  const rows = statuses.map((s) => ({
    id: ids.get(s.vault),
    address: s.vault,
    name: s.name,
    symbol: s.symbol,
    constituents: s.constituents.map((c) => c.symbol),
    nav: s.nav,
    indexLevel: s.indexLevel,
    maxDriftBps: s.drift.maxBps,
  }));
  out(
    ctx,
    { ok: true, chainId: ctx.chain.id, factory, indexes: rows },
    `${vaults.length} index${vaults.length === 1 ? "" : "es"} in factory ${factory}\n\n` +
      table(
        ["id", "symbol", "name", "vault", "constituents", "NAV", "level", "drift"],
        rows.map((r) => [
          r.id ?? "-",
          r.symbol,
          r.name,
          r.address,
          r.constituents.length <= 4 ? r.constituents.join(" ") : `${r.constituents.slice(0, 3).join(" ")} +${r.constituents.length - 3}`,
          fmtUsdt(r.nav),
          fmtUnits(r.indexLevel, 18, 2),
          fmtBps(r.maxDriftBps),
        ]),
        ["left", "left", "left", "left", "left", "right", "right", "right"],
      ),
  );
  return 0;
}

/** The weights table shared by `status` and the demo. */
export function weightsTable(s: VaultStatus): string {
  const rows = s.constituents.map((c) => [
    c.symbol,
    fmtUnits(c.balance, c.decimals, 4),
    `$${fmtUnits(c.priceD18, 18, 2)}`,
    fmtUsdt(c.value),
    fmtBps(c.weightBps),
    fmtBps(c.targetBps),
    fmtBps(c.deviationBps),
  ]);
  rows.push(["USDT (idle)", fmtUnits(s.idleUsdt, 6, 2), "", fmtUsdt(s.idleUsdt), fmtBps(s.idleWeightBps), fmtBps(0), fmtBps(s.idleWeightBps)]);
  return table(["token", "balance", "price", "value", "weight", "target", "drift"], rows);
}

async function cmdStatus(ctx: Context): Promise<number> {
  const vault = await vaultOf(ctx);
  const s = await readVaultStatus(ctx.client, vault);
  const paused = Object.entries(s.paused).filter(([, p]) => p).map(([k]) => k);
  let holder: { address: Address; shares: bigint; value: bigint } | undefined;
  if (ctx.options.account !== undefined || (ctx.io.env.PRIVATE_KEY ?? "") !== "") {
    const wallet = walletOf(ctx);
    const { indexVaultAbi } = await import("../sdk/generated/abis");
    const shares = await ctx.client.readContract({ address: vault, abi: indexVaultAbi, functionName: "balanceOf", args: [wallet.account.address] });
    holder = { address: wallet.account.address, shares, value: (shares * s.navPerShare) / 10n ** 18n };
  }
  const header = keyValues([
    ["index", `${s.name} (${s.symbol}) ${s.vault}`],
    ["block", `${s.blockNumber} at ${new Date(Number(s.timestamp) * 1000).toISOString()}`],
    ["NAV", fmtUsdt(s.nav)],
    ["NAV per share", fmtUsdt(s.navPerShare, 6)],
    ["index level", fmtUnits(s.indexLevel, 18, 2)],
    ["shares", fmtUnits(s.totalSupply, 18, 4)],
    ["drift", `max ${fmtBps(s.drift.maxBps)}, sum ${fmtBps(s.drift.sumBps)} (${s.drift.source})`],
    ...(s.rebalance === undefined
      ? []
      : ([["rebalance", `${s.rebalance.due ? "DUE" : "not due"} (${s.rebalance.reason}; threshold ${fmtBps(s.rebalance.thresholdBps)})`]] as [string, string][])),
    ["fees", `mint ${fmtBps(s.fees.mintBps)}, burn ${fmtBps(s.fees.burnBps)}, management ${fmtBps(s.fees.managementBpsPerYear)}/year`],
    ["max slippage", `${fmtBps(s.maxSlippageBps)} per swap; min deposit ${fmtUsdt(s.minDeposit)}`],
    ["state", `${paused.length === 0 ? "open" : `paused: ${paused.join(", ")}`}${s.rebalancing ? "; REBALANCING (USDT paths wait)" : ""}`],
    ...(s.priceError === undefined ? [] : ([["prices", `UNAVAILABLE: ${s.priceError}`]] as [string, string][])),
    ...(holder === undefined ? [] : ([["your shares", `${fmtUnits(holder.shares, 18, 4)} ≈ ${fmtUsdt(holder.value)} (${holder.address})`]] as [string, string][])),
  ]);
  out(ctx, { ok: true, ...s, ...(holder === undefined ? {} : { holder }) }, `${header}\n\n${weightsTable(s)}`);
  return 0;
}

function legsTable(legs: readonly Leg[], direction: "buy" | "sell"): string {
  return table(
    ["leg", direction === "buy" ? "USDT in" : "amount in", direction === "buy" ? "amount out" : "USDT out", "oracle value", "impact", "route fees"],
    legs.map((l) => [
      `${direction === "buy" ? "USDT→" : ""}${l.symbol}${direction === "sell" ? "→USDT" : ""}`,
      direction === "buy" ? fmtUnits(l.amountIn, 6, 2) : `${fmtUnits(l.amountIn, l.decimals, 6)} ${l.symbol}`,
      direction === "buy" ? `${fmtUnits(l.amountOut, l.decimals, 6)} ${l.symbol}` : fmtUnits(l.amountOut, 6, 2),
      fmtUsdt(direction === "buy" ? l.valueOut : l.valueIn),
      fmtBps(Math.round(l.impactBps * 100) / 100),
      l.fees.map((f) => `${f / 10_000} %`).join(" + "),
    ]),
  );
}

async function cmdQuoteDeposit(ctx: Context, amountText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const assets = parseAmount(amountText, 6, "USDT amount");
  const s = await readVaultStatus(ctx.client, vault);
  if (s.priceError !== undefined) throw new Error(`prices unavailable: ${s.priceError}`);
  const q = await quoteDeposit(ctx.client, s, quoterOf(ctx), assets);
  out(
    ctx,
    { ok: true, vault, ...q },
    `${keyValues([
      ["deposit", `${fmtUsdt(assets)} into ${s.symbol} (mint fee ${fmtUsdt(q.mintFee)}, ${q.allocation} split)`],
      ["expected shares", fmtUnits(q.expectedShares, 18, 6)],
      ["vault's floor", `${fmtUnits(q.previewShares, 18, 6)} (previewDeposit: every swap at its worst allowed price)`],
    ])}\n\n${legsTable(q.legs, "buy")}`,
  );
  return 0;
}

async function cmdQuoteRedeem(ctx: Context, sharesText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const owner = sharesText === "all" ? walletOf(ctx).account.address : ZERO;
  const shares = await sharesArg(ctx, vault, sharesText, owner);
  const s = await readVaultStatus(ctx.client, vault);
  if (s.priceError !== undefined) throw new Error(`prices unavailable: ${s.priceError}`);
  const q = await quoteRedeem(ctx.client, s, quoterOf(ctx), shares);
  out(
    ctx,
    { ok: true, vault, ...q },
    `${keyValues([
      ["redeem", `${fmtUnits(shares, 18, 6)} ${s.symbol} shares (burn fee ≈ ${fmtUsdt(q.burnFee)}, idle USDT ${fmtUsdt(q.idle)})`],
      ["expected USDT", fmtUsdt(q.expectedAssets, 6)],
      ["vault's floor", `${fmtUsdt(q.previewAssets, 6)} (previewRedeem)`],
    ])}\n\n${legsTable(q.legs, "sell")}`,
  );
  return 0;
}

async function cmdDeposit(ctx: Context, amountText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const wallet = walletOf(ctx);
  const assets = parseAmount(amountText, 6, "USDT amount");
  const slippage = slippageOf(ctx);
  const s = await readVaultStatus(ctx.client, vault);
  if (s.priceError !== undefined) throw new Error(`prices unavailable: ${s.priceError}`);
  const q = await quoteDeposit(ctx.client, s, quoterOf(ctx), assets);
  const minShares = withSlippage(q.expectedShares, slippage);
  const deadline = await deadlineOf(ctx);
  const progress = progressLine(ctx.io.stderr, ctx.io.isTTY && !ctx.options.json);
  try {
    const r = await deposit(ctx.client, wallet, s, { assets, minShares, deadline }, progress);
    out(
      ctx,
      { ok: true, vault, account: wallet.account.address, minShares, deadline, ...r, receipt: undefined },
      keyValues([
        ["deposited", `${fmtUsdt(r.assets)} into ${s.symbol} (mint fee ${fmtUsdt(r.mintFee)})`],
        ["bought", `${fmtUsdt(r.valueIn)} of constituents at Chainlink value`],
        ["shares", `${fmtUnits(r.shares, 18, 6)} (minimum was ${fmtUnits(minShares, 18, 6)})`],
        ["transaction", `${r.hash} (block ${r.blockNumber}, gas ${r.gasUsed})`],
      ]),
    );
  } finally {
    progress.stop();
  }
  return 0;
}

async function cmdRedeem(ctx: Context, sharesText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const wallet = walletOf(ctx);
  const shares = await sharesArg(ctx, vault, sharesText, wallet.account.address);
  const slippage = slippageOf(ctx);
  const s = await readVaultStatus(ctx.client, vault);
  if (s.priceError !== undefined) throw new Error(`prices unavailable: ${s.priceError}; redeem-in-kind works without prices`);
  const q = await quoteRedeem(ctx.client, s, quoterOf(ctx), shares);
  const minAssets = withSlippage(q.expectedAssets, slippage);
  const deadline = await deadlineOf(ctx);
  const progress = progressLine(ctx.io.stderr, ctx.io.isTTY && !ctx.options.json);
  try {
    const r = await redeem(ctx.client, wallet, vault, { shares, minAssets, deadline }, progress);
    out(
      ctx,
      { ok: true, vault, account: wallet.account.address, minAssets, deadline, ...r, receipt: undefined },
      keyValues([
        ["redeemed", `${fmtUnits(r.shares, 18, 6)} ${s.symbol} shares`],
        ["received", `${fmtUsdt(r.assets, 6)} (proceeds ${fmtUsdt(r.proceeds)}, burn fee ${fmtUsdt(r.burnFee)}; minimum was ${fmtUsdt(minAssets)})`],
        ["transaction", `${r.hash} (block ${r.blockNumber}, gas ${r.gasUsed})`],
      ]),
    );
  } finally {
    progress.stop();
  }
  return 0;
}

async function cmdRedeemInKind(ctx: Context, sharesText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const wallet = walletOf(ctx);
  const shares = await sharesArg(ctx, vault, sharesText, wallet.account.address);
  const s = await readVaultStatus(ctx.client, vault);
  const progress = progressLine(ctx.io.stderr, ctx.io.isTTY && !ctx.options.json);
  try {
    const r = await redeemInKind(ctx.client, wallet, vault, { shares }, progress);
    const tokens = [...s.constituents.map((c) => ({ symbol: c.symbol, token: c.token, decimals: c.decimals })), { symbol: "USDT", token: s.asset, decimals: 6 }];
    const received = tokens.map((t, i) => ({ ...t, amount: r.amounts[i] ?? 0n }));
    out(
      ctx,
      { ok: true, vault, account: wallet.account.address, shares: r.shares, feeShares: r.feeShares, received, hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed },
      `${keyValues([
        ["redeemed in kind", `${fmtUnits(r.shares, 18, 6)} ${s.symbol} shares (burn fee ${fmtUnits(r.feeShares, 18, 6)} shares)`],
        ["transaction", `${r.hash} (block ${r.blockNumber}, gas ${r.gasUsed})`],
      ])}\n\n${table(["token", "received", "address"], received.map((t) => [t.symbol, fmtUnits(t.amount, t.decimals, 6), shortAddress(t.token)]))}`,
    );
  } finally {
    progress.stop();
  }
  return 0;
}

async function cmdFaucet(ctx: Context, amountText: string): Promise<number> {
  const market = ctx.deployments.localMarket;
  if (ctx.chain.id !== 31337 || market === undefined) throw new Error("the faucet only exists on the local chain (mock USDT)");
  const wallet = walletOf(ctx);
  const amount = parseAmount(amountText, 6, "USDT amount");
  const { mockUSDTAbi } = await import("../sdk/generated/abis");
  const progress = progressLine(ctx.io.stderr, ctx.io.isTTY && !ctx.options.json);
  try {
    const r = await send(ctx.client, wallet, "mint USDT", { address: market.usdt, abi: mockUSDTAbi, functionName: "mint", args: [wallet.account.address, amount] }, progress);
    const balance = await ctx.client.readContract({ address: market.usdt, abi: mockUSDTAbi, functionName: "balanceOf", args: [wallet.account.address] });
    out(ctx, { ok: true, account: wallet.account.address, minted: amount, balance, hash: r.hash }, `minted ${fmtUsdt(amount)} to ${wallet.account.address}; balance ${fmtUsdt(balance)}`);
  } finally {
    progress.stop();
  }
  return 0;
}
