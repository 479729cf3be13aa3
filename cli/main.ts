// The wallet CLI: `npm run cli -- <command>` or the `index-vault` bin. Human-readable tables by default, `--json` for
// scripts (progress goes to stderr, so stdout stays one JSON document), every revert explained (cli/errors.ts).
import { getAddress, isAddress, parseEventLogs, type Address } from "viem";
import { ANVIL_ACCOUNT_COUNT } from "../sdk/local/accounts";
import { repoRoot } from "../sdk/local/paths";
import { isLocalTool, LOCAL_TOOLS_USAGE, runLocalTool } from "./localTools";
import { fmtBps, fmtUnits, fmtUsdt, keyValues, parseAmount, shortAddress, table, toJson } from "./format";
import { BATCH_USAGE, isBatchCommand, runBatchCli } from "./batch";
import {
  connect,
  factoryOf,
  failed,
  need,
  optionsOf,
  out,
  parseCommandLine,
  processIo,
  sharesArg,
  UsageError,
  vaultOf,
  walletOf,
  withProgress,
  type CliIo,
  type CommonOptions,
  type Session,
} from "./connect";
import {
  claimCalls,
  depositInKindCalls,
  dryRunCalls,
  readClaimable,
  revokeCall,
  sendCalls,
  validateShares,
  type ContractCall,
  type DryRunResult,
  vaultAbi,
  deposit,
  depositCalls,
  listVaults,
  redeemCalls,
  redeemInKindCalls,
  ValidationError,
  quoteDeposit,
  quoteRedeem,
  readVaultStatus,
  redeem,
  redeemInKind,
  send,
  withSlippage,
  type Leg,
  type VaultStatus,
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
  deposit-in-kind <shares>         buy <shares> with the pro-rata basket itself (approvals included)
  claimable                        tokens an in-kind redeem set aside for you (a transfer that failed)
  claim <token|all>                take what was set aside for you
  revoke [token]                   set the vault's allowance of your USDT (or <token>) back to zero
  faucet <usdt>                    local chain only: mint mock USDT to your account

options
  --vault <address|id|symbol>      which index (default: the first in the registry), e.g. btc-eth, DEFI
  --rpc <url>                      node (default $INDEX_VAULT_RPC_URL or http://127.0.0.1:8545)
  --deployments <dir>              hardhat-deploy records (default: the chain's own, deployments/local/<id>-<genesis>/localhost;
                                   deployments/mainnet on chain 1)
  --factory <address>              IndexFactory (default: from the deployments)
  --quoter <address>               Uniswap QuoterV2 (default: from the deployments or config/mainnet.json)
  --account <n>                    anvil dev account n on a local chain (default 0); elsewhere the key is $PRIVATE_KEY
  --slippage <bps>                 bound on shares/USDT below the quote (default 50 = 0.5 %)
  --deadline <s>                   seconds the transaction stays valid (default 600)
  --dry-run                        sending commands: simulate the whole sequence, show gas and cost, send nothing
  --json                           machine-readable output on stdout
  -h, --help                       this text

${LOCAL_TOOLS_USAGE}

${BATCH_USAGE}`;

export { processIo, type CliIo } from "./connect";

interface Options extends CommonOptions {
  quoter?: string;
  slippage?: string;
  deadline?: string;
}

type Context = Session<Options>;

/** Every command, its positional arguments' usage, and whether it sends a transaction. */
const COMMANDS: Record<string, { usage: string; args: number; sends: boolean }> = {
  indexes: { usage: "indexes", args: 0, sends: false },
  status: { usage: "status", args: 0, sends: false },
  quote: { usage: "quote deposit <usdt> | quote redeem <shares|all>", args: 2, sends: false },
  deposit: { usage: "deposit <usdt>", args: 1, sends: true },
  redeem: { usage: "redeem <shares|all>", args: 1, sends: true },
  "redeem-in-kind": { usage: "redeem-in-kind <shares|all>", args: 1, sends: true },
  "deposit-in-kind": { usage: "deposit-in-kind <shares>", args: 1, sends: true },
  claimable: { usage: "claimable", args: 0, sends: false },
  claim: { usage: "claim <token|all>", args: 1, sends: true },
  revoke: { usage: "revoke [token]", args: 0, sends: true },
  faucet: { usage: "faucet <usdt>", args: 1, sends: true },
};

/** Checks the command line before any connection: the command, its arguments, the numeric options, PRIVATE_KEY. */
function checkCommandLine(positionals: readonly string[], options: Options, env: CliIo["env"]): void {
  const [command, ...rest] = positionals;
  const spec = command === undefined ? undefined : COMMANDS[command];
  if (spec === undefined) throw new UsageError(`unknown command "${command}": one of ${Object.keys(COMMANDS).join(", ")}`);
  if (command === "quote" && rest[0] !== "deposit" && rest[0] !== "redeem") throw new UsageError("quote what? `quote deposit <usdt>` or `quote redeem <shares|all>`");
  if (rest.length < spec.args) throw new UsageError(`missing argument: ${spec.usage}`);
  const amount = command === "quote" ? rest[1] : rest[0];
  if (amount !== undefined && amount !== "all" && command !== "claim" && command !== "revoke") {
    if (!/^[0-9][0-9_,]*(\.[0-9]+)?$/.test(amount)) throw new UsageError(`"${amount}" is not a positive decimal number (${spec.usage})`);
  }
  const integer = (name: string, text: string | undefined, min: number, max: number): void => {
    if (text === undefined) return;
    if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  };
  integer("slippage", options.slippage, 0, 5_000);
  integer("deadline", options.deadline, 1, 31_536_000);
  integer("account", options.account, 0, ANVIL_ACCOUNT_COUNT - 1);
  const key = env.PRIVATE_KEY ?? "";
  if (spec.sends && key !== "" && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError("PRIVATE_KEY is not a private key: 0x followed by 64 hex digits");
  if (options.dryRun && !spec.sends) throw new UsageError(`--dry-run is for sending commands; ${command} sends nothing`);
}

/** Runs one CLI invocation; returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (isLocalTool(argv.filter((a) => !a.startsWith("-")))) return runLocalTool(argv, io);
  if (isBatchCommand(argv)) return runBatchCli(argv, io); // cli/batch.ts: the ERC-7540 batch commands
  let parsed;
  try {
    parsed = parseCommandLine(argv, { quoter: { type: "string" }, slippage: { type: "string" }, deadline: { type: "string" } });
  } catch (error) {
    const message = (error as Error).message;
    // node:util reads "--slippage -5" as an option followed by another option.
    const ambiguous = /^Option '(--[a-z-]+)[^']*' argument is ambiguous/.exec(message);
    return usageError(io, argv.includes("--json"), ambiguous !== null ? `${ambiguous[1]} must not be negative or start with "-"` : message.split("\n")[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) {
    io.stdout(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  const options: Options = optionsOf(values);
  try {
    checkCommandLine(positionals, options, io.env);
  } catch (error) {
    return usageError(io, options.json, (error as Error).message);
  }
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
      case "deposit-in-kind":
        return await cmdDepositInKind(ctx, need(rest[0], "deposit-in-kind <shares>"));
      case "claimable":
        return await cmdClaimable(ctx);
      case "claim":
        return await cmdClaim(ctx, need(rest[0], "claim <token|all>"));
      case "revoke":
        return await cmdRevoke(ctx, rest[0]);
      case "faucet":
        return await cmdFaucet(ctx, need(rest[0], "faucet <usdt>"));
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, options.json, error.message);
    return failed(io, options.json, error);
  }
}

/** A usage error: one line on stderr (the usage text after it when not --json), `{"ok":false,…}` on stdout with --json. */
function usageError(io: CliIo, json: boolean, message: string): number {
  if (json) {
    io.stdout(`${toJson({ ok: false, error: { name: "UsageError", message } })}\n`);
    io.stderr(`error: ${message}\n`);
  } else {
    io.stderr(`error: ${message}\n\n${USAGE}\n`);
  }
  return 2;
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
    const shares = await ctx.client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [wallet.account.address] });
    holder = { address: wallet.account.address, shares, value: (shares * s.navPerShare) / 10n ** 18n };
    if (!s.pricesKnown) holder = { ...holder, value: undefined } as unknown as typeof holder;
  }
  const header = keyValues([
    ["index", `${s.name} (${s.symbol}) ${s.vault}`],
    ["block", `${s.blockNumber} at ${new Date(Number(s.timestamp) * 1000).toISOString()}`],
    ["NAV", s.pricesKnown ? fmtUsdt(s.nav) : `unknown (${s.priceError})`],
    ["NAV per share", s.pricesKnown ? fmtUsdt(s.navPerShare, 6) : "unknown"],
    ["index level", s.pricesKnown ? fmtUnits(s.indexLevel, 18, 2) : "unknown"],
    ["shares", fmtUnits(s.totalSupply, 18, 4)],
    ["drift", `max ${fmtBps(s.drift.maxBps)}, sum ${fmtBps(s.drift.sumBps)} (${s.drift.source})`],
    ...(s.rebalance === undefined
      ? []
      : ([["rebalance", `${s.rebalance.due ? "DUE" : "not due"} (${s.rebalance.reason}; threshold ${fmtBps(s.rebalance.thresholdBps)})`]] as [string, string][])),
    ["fees", `mint ${fmtBps(s.fees.mintBps)}, burn ${fmtBps(s.fees.burnBps)}, management ${fmtBps(s.fees.managementBpsPerYear)}/year`],
    ["max slippage", `${fmtBps(s.maxSlippageBps)} per swap; min deposit ${fmtUsdt(s.minDeposit)}`],
    ["state", `${paused.length === 0 ? "open" : `paused: ${paused.join(", ")}`}${s.rebalancing ? "; REBALANCING (USDT paths wait)" : ""}`],
    ["feeds", s.feeds.map((f) => `${f.token} ${f.stale ? "STALE" : "ok"} (${f.ageSeconds} s old, heartbeat ${f.heartbeat} s)`).join("; ")],
    ...(holder === undefined ? [] : ([["your shares", `${fmtUnits(holder.shares, 18, 4)} ≈ ${s.pricesKnown ? fmtUsdt(holder.value) : "unknown"} (${holder.address})`]] as [string, string][])),
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
  const owner = sharesText === "all" ? walletOf(ctx).account.address : undefined;
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
  if (ctx.options.dryRun) return dryRun(ctx, await depositCalls(ctx.client, wallet.account.address, vault, s.asset, { assets, minShares, deadline }), { minShares, deadline });
  await withProgress(ctx, async (progress) => {
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
  });
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
  if (ctx.options.dryRun) return dryRun(ctx, redeemCalls(wallet.account.address, vault, { shares, minAssets, deadline }), { minAssets, deadline });
  await withProgress(ctx, async (progress) => {
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
  });
  return 0;
}

async function cmdRedeemInKind(ctx: Context, sharesText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const wallet = walletOf(ctx);
  const shares = await sharesArg(ctx, vault, sharesText, wallet.account.address);
  const s = await readVaultStatus(ctx.client, vault);
  validateShares(s, shares);
  if (ctx.options.dryRun) return dryRun(ctx, redeemInKindCalls(wallet.account.address, vault, { shares }), {});
  await withProgress(ctx, async (progress) => {
    const r = await redeemInKind(ctx.client, wallet, vault, { shares }, progress);
    const received = inKindTokens(s).map((t, i) => ({ ...t, amount: r.amounts[i] ?? 0n }));
    out(
      ctx,
      { ok: true, vault, account: wallet.account.address, shares: r.shares, feeShares: r.feeShares, received, hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed },
      `${keyValues([
        ["redeemed in kind", `${fmtUnits(r.shares, 18, 6)} ${s.symbol} shares (burn fee ${fmtUnits(r.feeShares, 18, 6)} shares)`],
        ["transaction", `${r.hash} (block ${r.blockNumber}, gas ${r.gasUsed})`],
      ])}\n\n${table(["token", "received", "address"], received.map((t) => [t.symbol, fmtUnits(t.amount, t.decimals, 6), shortAddress(t.token)]))}`,
    );
  });
  return 0;
}

async function cmdFaucet(ctx: Context, amountText: string): Promise<number> {
  const market = ctx.deployments.localMarket;
  if (ctx.chain.id !== 31337 || market === undefined) throw new Error("the faucet only exists on the local chain (mock USDT)");
  const wallet = walletOf(ctx);
  const amount = parseAmount(amountText, 6, "USDT amount");
  const { mockUSDTAbi } = await import("../sdk/generated/abis");
  if (ctx.options.dryRun) return dryRun(ctx, [{ label: "mint USDT", address: market.usdt, abi: mockUSDTAbi, functionName: "mint", args: [wallet.account.address, amount] }], {});
  await withProgress(ctx, async (progress) => {
    const r = await send(ctx.client, wallet, "mint USDT", { address: market.usdt, abi: mockUSDTAbi, functionName: "mint", args: [wallet.account.address, amount] }, progress);
    const balance = await ctx.client.readContract({ address: market.usdt, abi: mockUSDTAbi, functionName: "balanceOf", args: [wallet.account.address] });
    out(ctx, { ok: true, account: wallet.account.address, minted: amount, balance, hash: r.hash }, `minted ${fmtUsdt(amount)} to ${wallet.account.address}; balance ${fmtUsdt(balance)}`);
  });
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Dry runs and the commands added for the in-kind paths, claims and allowances
// ---------------------------------------------------------------------------------------------------------------

/** Simulates `calls` in order as the wallet (approvals included), prints gas and cost; sends nothing. */
async function dryRun(ctx: Context, calls: readonly ContractCall[], extra: Record<string, unknown>): Promise<number> {
  const wallet = walletOf(ctx);
  const r: DryRunResult = await dryRunCalls(ctx.client, wallet.account.address, calls);
  out(
    ctx,
    { ok: true, account: wallet.account.address, ...extra, ...r },
    `dry run (nothing sent) as ${wallet.account.address}\n\n${table(["call", "gas"], r.calls.map((c) => [c.label, c.gas.toString()]))}\n\n` +
      keyValues([
        ["total gas", r.gas.toString()],
        ["cost", `${fmtUnits(r.costWei, 18, 6)} ETH at ${fmtUnits(r.gasPriceWei, 9, 3)} gwei`],
      ]),
  );
  return 0;
}

/** Runs `calls` (or dry-runs them) and prints each transaction. */
async function sendOrDryRun(ctx: Context, calls: readonly ContractCall[], what: string): Promise<number> {
  if (calls.length === 0) {
    out(ctx, { ok: true, sent: [] }, `${what}: nothing to do`);
    return 0;
  }
  if (ctx.options.dryRun) return dryRun(ctx, calls, {});
  const wallet = walletOf(ctx);
  await withProgress(ctx, async (progress) => {
    const sent = await sendCalls(ctx.client, wallet, calls, progress);
    out(
      ctx,
      { ok: true, account: wallet.account.address, sent: sent.map((o, i) => ({ label: calls[i]!.label, hash: o.hash, blockNumber: o.blockNumber, gasUsed: o.gasUsed })) },
      `${what}\n\n${table(["call", "transaction", "gas"], sent.map((o, i) => [calls[i]!.label, o.hash, o.gasUsed.toString()]))}`,
    );
  });
  return 0;
}

/** Constituents in order, then USDT: the token order of the in-kind paths. */
function inKindTokens(s: VaultStatus): { symbol: string; token: Address; decimals: number }[] {
  return [...s.constituents.map((c) => ({ symbol: c.symbol, token: c.token, decimals: c.decimals })), { symbol: "USDT", token: s.asset, decimals: 6 }];
}

async function cmdDepositInKind(ctx: Context, sharesText: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const wallet = walletOf(ctx);
  const shares = parseAmount(sharesText, 18, "shares");
  if (shares === 0n) throw new ValidationError("the amount must be greater than zero", "IndexVault__ZeroAmount");
  const s = await readVaultStatus(ctx.client, vault);
  const tokens = inKindTokens(s);
  const calls = await depositInKindCalls(ctx.client, wallet.account.address, vault, tokens.map((t) => t.token), { shares });
  if (ctx.options.dryRun) return dryRun(ctx, calls, { shares });
  await withProgress(ctx, async (progress) => {
    const outs = await sendCalls(ctx.client, wallet, calls, progress);
    const last = outs[outs.length - 1]!;
    const [event] = parseEventLogs({ abi: vaultAbi, eventName: "DepositedInKind", logs: last.receipt.logs });
    if (event === undefined) throw new Error(`depositInKind ${last.hash}: no DepositedInKind event`);
    const paid = tokens.map((t, i) => ({ ...t, amount: event.args.amounts[i] ?? 0n }));
    out(
      ctx,
      { ok: true, vault, account: wallet.account.address, shares: event.args.shares, feeShares: event.args.feeShares, paid, hash: last.hash, blockNumber: last.blockNumber, gasUsed: last.gasUsed },
      `${keyValues([
        ["deposited in kind", `${fmtUnits(event.args.shares, 18, 6)} ${s.symbol} shares (fee ${fmtUnits(event.args.feeShares, 18, 6)} shares)`],
        ["transaction", `${last.hash} (block ${last.blockNumber}, gas ${last.gasUsed})`],
      ])}\n\n${table(["token", "paid", "address"], paid.map((t) => [t.symbol, fmtUnits(t.amount, t.decimals, 6), shortAddress(t.token)]))}`,
    );
  });
  return 0;
}

async function cmdClaimable(ctx: Context): Promise<number> {
  const vault = await vaultOf(ctx);
  const account = walletOf(ctx).account.address;
  const s = await readVaultStatus(ctx.client, vault);
  const tokens = inKindTokens(s);
  const amounts = await readClaimable(ctx.client, vault, account, tokens.map((t) => t.token));
  const rows = tokens.map((t, i) => ({ ...t, amount: amounts[i]?.amount ?? 0n }));
  const owed = rows.filter((r) => r.amount > 0n);
  out(
    ctx,
    { ok: true, vault, account, claimable: rows },
    owed.length === 0 ? `nothing set aside for ${account} in ${s.symbol}` : table(["token", "claimable", "address"], owed.map((t) => [t.symbol, fmtUnits(t.amount, t.decimals, 6), t.token])),
  );
  return 0;
}

async function cmdClaim(ctx: Context, which: string): Promise<number> {
  const vault = await vaultOf(ctx);
  const account = walletOf(ctx).account.address;
  const s = await readVaultStatus(ctx.client, vault);
  const tokens = inKindTokens(s);
  const wanted = which === "all" ? tokens : tokens.filter((t) => t.symbol.toLowerCase() === which.toLowerCase() || t.token.toLowerCase() === which.toLowerCase());
  if (wanted.length === 0) throw new UsageError(`claim: "${which}" is not a token of ${s.symbol} (${tokens.map((t) => t.symbol).join(", ")}, or all)`);
  const amounts = await readClaimable(ctx.client, vault, account, wanted.map((t) => t.token));
  const owed = wanted.filter((_, i) => (amounts[i]?.amount ?? 0n) > 0n);
  if (owed.length === 0) throw new ValidationError(`nothing set aside for ${account} in ${wanted.map((t) => t.symbol).join(", ")}`, "IndexVault__NothingToClaim");
  return sendOrDryRun(ctx, owed.flatMap((t) => claimCalls(vault, t.token, account).map((c) => ({ ...c, label: `claim ${t.symbol}` }))), `claimed ${owed.map((t) => t.symbol).join(", ")}`);
}

async function cmdRevoke(ctx: Context, tokenText: string | undefined): Promise<number> {
  const vault = await vaultOf(ctx);
  const account = walletOf(ctx).account.address;
  let token: Address;
  if (tokenText === undefined) token = (await readVaultStatus(ctx.client, vault)).asset;
  else if (isAddress(tokenText)) token = getAddress(tokenText);
  else {
    const found = inKindTokens(await readVaultStatus(ctx.client, vault)).find((t) => t.symbol.toLowerCase() === tokenText.toLowerCase());
    if (found === undefined) throw new UsageError(`revoke: "${tokenText}" is neither an address nor a token of this index`);
    token = found.token;
  }
  const call = await revokeCall(ctx.client, account, token, vault);
  return sendOrDryRun(ctx, call === undefined ? [] : [call], `allowance of ${vault} over ${token} set to 0`);
}
