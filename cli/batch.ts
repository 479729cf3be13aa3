// The batch (ERC-7540) commands of the wallet CLI: request-deposit, request-redeem, pending, claim, cancel and settle.
// Registered by cli/main.ts (runCli hands these commands here). Same conventions as the direct commands: human
// output by default, `--json` for scripts (one JSON document on stdout, progress on stderr), `--dry-run` simulates the
// whole sequence (approval included) and reports gas without signing, every refusal explained in plain words.
import { getAddress, isAddress, type Address } from "viem";
import {
  batchOf,
  cancelRequestCalls,
  claimSettledCalls,
  claimsPaidBy,
  epochControllers,
  readBatchPosition,
  readBatchStatus,
  requestDepositCalls,
  requestRedeemCalls,
  sendCalls,
  settleAndClaimCalls,
  settleBatchCalls,
  settlementOf,
  type BatchSide,
  type ContractCall,
  type DryRunResult,
  type TxOutcome,
  type Wallet,
} from "../sdk/client";
import { connect, failed, need, optionsOf, out, parseCommandLine, sharesArg, UsageError, vaultOf, walletOf, withProgress, type CliIo, type CommonOptions, type Session } from "./connect";
import { fmtUnits, fmtUsdt, keyValues, parseAmount } from "./format";

/** The commands this module serves. */
export const BATCH_COMMANDS = ["request-deposit", "request-redeem", "pending", "claim", "cancel", "settle"] as const;

export const BATCH_USAGE = `batch commands (ERC-7540: one settlement per epoch, a fraction of the gas per user)
  request-deposit <usdt>           queue USDT for the next settlement (approves exactly that amount)
  request-redeem <shares|all>      queue shares for the next settlement
  pending                          the open epoch (size, age, due) and your pending/claimable amounts
  claim                            claim what settled epochs owe you (shares and/or USDT); no argument (the vault's
                                   claim <token|all> collects tokens set aside by an in-kind redeem)
  cancel <deposit|redeem>          take back a pending request, exactly what was put in
  settle [--push-claims]           settle the open epoch (keeper; anyone after the grace period); --push-claims also
                                   pays every requester of that epoch in the same transaction, as the keeper does
  batch options: --batch <address> (default: the vault's batch from the IndexBatchFactory),
                 --controller <address> (act for a controller as its operator), --dry-run (simulate, sign nothing)`;

const FLAGS = new Set(["--json", "--dry-run", "--push-claims", "--help", "-h"]);

/** Whether the command of `argv` (its first positional, skipping option values) is a batch command. */
export function isBatchCommand(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("-")) {
      if (!FLAGS.has(arg) && !arg.includes("=")) i++; // skip the option's value
      continue;
    }
    if (!(BATCH_COMMANDS as readonly string[]).includes(arg)) return false;
    // `claim <token|all>` is the vault's claim of tokens set aside by an in-kind redeem; the batch's `claim` takes none.
    return arg !== "claim" || !hasPositional(argv.slice(i + 1));
  }
  return false;
}

/** Whether `args` holds a positional argument (option values skipped as in `isBatchCommand`). */
function hasPositional(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) return true;
    if (!FLAGS.has(arg) && !arg.includes("=")) i++;
  }
  return false;
}

interface Options extends CommonOptions {
  batch?: string;
  controller?: string;
  "push-claims"?: boolean;
}

type Ctx = Session<Options>;

/** Runs one batch command (argv as given to the CLI); returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runBatchCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { batch: { type: "string" }, controller: { type: "string" }, "push-claims": { type: "boolean" } });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${BATCH_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(`${BATCH_USAGE}\n`);
    return 0;
  }
  const options: Options = optionsOf(values);
  try {
    const [command, ...args] = positionals;
    const ctx = await connect(options, io, true); // the records name the batches: read them even with --factory
    switch (command) {
      case "request-deposit":
        return await cmdRequestDeposit(ctx, need(args[0], "request-deposit <usdt>"));
      case "request-redeem":
        return await cmdRequestRedeem(ctx, need(args[0], "request-redeem <shares|all>"));
      case "pending":
        return await cmdPending(ctx);
      case "claim":
        return await cmdClaim(ctx);
      case "cancel": {
        const side = need(args[0], "cancel <deposit|redeem>");
        if (side !== "deposit" && side !== "redeem") throw new UsageError("cancel what? `cancel deposit` or `cancel redeem`");
        return await cmdCancel(ctx, side);
      }
      case "settle":
        return await cmdSettle(ctx);
      default:
        throw new UsageError(`unknown batch command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${BATCH_USAGE}\n`);
      return 2;
    }
    return failed(io, options.json, error);
  }
}

function controllerOf(ctx: Ctx, wallet: Wallet | (() => Wallet)): Address {
  const given = ctx.options.controller;
  if (given === undefined) return (typeof wallet === "function" ? wallet() : wallet).account.address;
  if (!isAddress(given)) throw new UsageError(`--controller must be an address, got "${given}"`);
  return getAddress(given);
}

/** The batch: --batch, else the `Batch_<id>` record of --vault, else `batchOf(vault)` on the recorded IndexBatchFactory. */
async function batchOfCtx(ctx: Ctx): Promise<Address> {
  if (ctx.options.batch !== undefined) {
    if (!isAddress(ctx.options.batch)) throw new UsageError(`--batch must be an address, got "${ctx.options.batch}"`);
    return getAddress(ctx.options.batch);
  }
  const wanted = ctx.options.vault;
  if (wanted !== undefined && !isAddress(wanted)) {
    const record = ctx.deployments.records.get(`Batch_${wanted}`);
    if (record !== undefined) return record.address;
  }
  const vault = await vaultOf(ctx);
  const batchFactory = ctx.deployments.records.get("IndexBatchFactory");
  if (batchFactory === undefined) throw new Error(`no IndexBatchFactory in ${ctx.deployments.dir}: deploy the batches (deploy/06_batches.ts) or pass --batch`);
  const batch = await batchOf(ctx.client, batchFactory.address, vault);
  if (batch === undefined) throw new Error(`index ${vault} has no batch yet: anyone can create it with IndexBatchFactory.createBatch(vault)`);
  return batch;
}

/** Sends `calls` (or, with --dry-run, simulates them) and prints the dry run; returns undefined on a dry run. */
async function run(ctx: Ctx, wallet: Wallet, calls: readonly ContractCall[], context: Record<string, unknown>): Promise<TxOutcome[] | undefined> {
  if (ctx.options.dryRun) {
    const r: DryRunResult = await sendCalls(ctx.client, wallet, calls, { sent: () => {}, confirmed: () => {} }, true);
    out(
      ctx,
      { ok: true, ...context, account: wallet.account.address, ...r },
      keyValues([
        ["dry run", `${r.calls.map((c) => `${c.label} (gas ${c.gas})`).join(", ")}: nothing signed`],
        ["gas", `${r.gas} (≈ ${fmtUnits(r.costWei, 18, 6)} ETH at ${fmtUnits(r.gasPriceWei, 9, 2)} gwei)`],
      ]),
    );
    return undefined;
  }
  return withProgress(ctx, (progress) => sendCalls(ctx.client, wallet, calls, progress));
}

const gasOf = (outcomes: readonly TxOutcome[]): bigint => outcomes.reduce((g, o) => g + o.gasUsed, 0n);
const txLine = (outcomes: readonly TxOutcome[]): string => outcomes.map((o) => `${o.hash} (gas ${o.gasUsed})`).join(", ");

async function cmdRequestDeposit(ctx: Ctx, amountText: string): Promise<number> {
  const wallet = walletOf(ctx);
  const batch = await batchOfCtx(ctx);
  const { asset, status } = await readBatchStatus(ctx.client, batch);
  const assets = parseAmount(amountText, 6, "USDT amount");
  const controller = controllerOf(ctx, wallet);
  const calls = await requestDepositCalls(ctx.client, wallet.account.address, batch, asset, { amount: assets, controller });
  const outcomes = await run(ctx, wallet, calls, { batch, controller, assets, requestId: status.epoch });
  if (outcomes === undefined) return 0;
  out(
    ctx,
    { ok: true, batch, account: wallet.account.address, controller, assets, requestId: status.epoch, gasUsed: gasOf(outcomes), hashes: outcomes.map((o) => o.hash) },
    keyValues([
      ["requested", `deposit of ${fmtUsdt(assets)} in epoch ${status.epoch} (cancellable until it settles)`],
      ["transactions", txLine(outcomes)],
    ]),
  );
  return 0;
}

async function cmdRequestRedeem(ctx: Ctx, sharesText: string): Promise<number> {
  const wallet = walletOf(ctx);
  const batch = await batchOfCtx(ctx);
  const { vault, status } = await readBatchStatus(ctx.client, batch);
  const owner = wallet.account.address;
  const shares = await sharesArg(ctx, vault, sharesText, owner);
  const controller = controllerOf(ctx, wallet);
  const calls = await requestRedeemCalls(ctx.client, owner, batch, vault, { amount: shares, controller });
  const outcomes = await run(ctx, wallet, calls, { batch, controller, shares, requestId: status.epoch });
  if (outcomes === undefined) return 0;
  out(
    ctx,
    { ok: true, batch, account: owner, controller, shares, requestId: status.epoch, gasUsed: gasOf(outcomes), hashes: outcomes.map((o) => o.hash) },
    keyValues([
      ["requested", `redemption of ${fmtUnits(shares, 18, 6)} shares in epoch ${status.epoch} (cancellable until it settles)`],
      ["transactions", txLine(outcomes)],
    ]),
  );
  return 0;
}

async function cmdPending(ctx: Ctx): Promise<number> {
  const batch = await batchOfCtx(ctx);
  const controller = controllerOf(ctx, () => walletOf(ctx));
  const [b, p] = await Promise.all([readBatchStatus(ctx.client, batch), readBatchPosition(ctx.client, batch, controller)]);
  const s = b.status;
  out(
    ctx,
    { ok: true, batch, vault: b.vault, epoch: s, policy: b.policy, position: p },
    keyValues([
      ["batch", `${batch} (index ${b.vault})`],
      ["open epoch", `${s.epoch}: ${fmtUsdt(s.pendingAssets)} to deposit, ${fmtUnits(s.pendingShares, 18, 6)} shares to redeem (gross ${fmtUsdt(s.grossValue)})`],
      ["age", s.openedAt === 0n ? "no request yet" : `${s.age} s (settles by ${b.policy.maxWait} s, or at ${fmtUsdt(b.policy.minSettleValue)} gross)`],
      ["due", s.due ? "yes: the keeper settles now" : "not yet"],
      ["controller", controller],
      ["pending", `${fmtUsdt(p.pendingAssets)} deposit, ${fmtUnits(p.pendingShares, 18, 6)} shares redeem (cancellable)`],
      ["claimable", `${fmtUnits(p.claimableShares, 18, 6)} shares (for ${fmtUsdt(p.claimableDepositAssets)}), ${fmtUsdt(p.claimableAssets)} (for ${fmtUnits(p.claimableRedeemShares, 18, 6)} shares)`],
    ]),
  );
  return 0;
}

async function cmdClaim(ctx: Ctx): Promise<number> {
  const wallet = walletOf(ctx);
  const batch = await batchOfCtx(ctx);
  const controller = controllerOf(ctx, wallet);
  const position = await readBatchPosition(ctx.client, batch, controller);
  const calls = claimSettledCalls(batch, position, wallet.account.address);
  if (calls.length === 0) {
    const waiting = position.pendingAssets > 0n || position.pendingShares > 0n;
    throw new Error(`nothing to claim for ${controller}${waiting ? `: its request in epoch ${position.epoch} waits for the settlement` : ": no settled request"}`);
  }
  const outcomes = await run(ctx, wallet, calls, { batch, controller, claimableShares: position.claimableShares, claimableAssets: position.claimableAssets });
  if (outcomes === undefined) return 0;
  out(
    ctx,
    { ok: true, batch, account: wallet.account.address, controller, shares: position.claimableShares, assets: position.claimableAssets, gasUsed: gasOf(outcomes), hashes: outcomes.map((o) => o.hash) },
    keyValues([
      ["claimed", `${fmtUnits(position.claimableShares, 18, 6)} shares and ${fmtUsdt(position.claimableAssets)}`],
      ["transactions", txLine(outcomes)],
    ]),
  );
  return 0;
}

async function cmdCancel(ctx: Ctx, side: BatchSide): Promise<number> {
  const wallet = walletOf(ctx);
  const batch = await batchOfCtx(ctx);
  const controller = controllerOf(ctx, wallet);
  const position = await readBatchPosition(ctx.client, batch, controller);
  const amount = side === "deposit" ? position.pendingAssets : position.pendingShares;
  const outcomes = await run(ctx, wallet, cancelRequestCalls(batch, side, controller, wallet.account.address), { batch, controller, side, amount });
  if (outcomes === undefined) return 0;
  out(
    ctx,
    { ok: true, batch, account: wallet.account.address, controller, side, amount, gasUsed: gasOf(outcomes), hashes: outcomes.map((o) => o.hash) },
    keyValues([
      ["cancelled", side === "deposit" ? `deposit request: ${fmtUsdt(amount)} returned` : `redeem request: ${fmtUnits(amount, 18, 6)} shares returned`],
      ["transaction", txLine(outcomes)],
    ]),
  );
  return 0;
}

async function cmdSettle(ctx: Ctx): Promise<number> {
  const wallet = walletOf(ctx);
  const batch = await batchOfCtx(ctx);
  // --push-claims: the keeper's one transaction, for the controllers in the open epoch's request logs (a request
  // mined after this read is not in them: its controller claims itself, or the next push pays it).
  const push = ctx.options["push-claims"] === true;
  const controllers = push ? await epochControllers(ctx.client, batch, (await readBatchStatus(ctx.client, batch)).status.epoch) : { depositors: [], redeemers: [] };
  const calls = push ? settleAndClaimCalls(batch, controllers.depositors, controllers.redeemers) : settleBatchCalls(batch);
  const outcomes = await run(ctx, wallet, calls, { batch, ...(push ? controllers : {}) });
  if (outcomes === undefined) return 0;
  const r = settlementOf(outcomes[0]!);
  const paid = push ? claimsPaidBy(batch, outcomes[0]!.receipt.logs) : undefined;
  const claims = paid === undefined ? {} : { claimedShares: paid.shares, claimedAssets: paid.assets, claimed: paid.controllers };
  out(
    ctx,
    { ok: true, batch, ...r, ...claims, receipt: undefined },
    keyValues([
      ["settled", `epoch ${r.epoch}: ${fmtUsdt(r.depositAssets)} in, ${fmtUnits(r.redeemShares, 18, 6)} shares out`],
      ["paid", `${fmtUnits(r.sharesOut, 18, 6)} shares to depositors, ${fmtUsdt(r.assetsOut)} to redeemers`],
      ["net flow", r.netAssets > 0n ? `${fmtUsdt(r.netAssets)} deposited in the vault` : r.netShares > 0n ? `${fmtUnits(r.netShares, 18, 6)} shares redeemed in the vault` : "none: fully crossed"],
      ...(paid === undefined
        ? []
        : ([["claims pushed", `${paid.controllers} controller(s): ${fmtUnits(paid.shares, 18, 6)} shares, ${fmtUsdt(paid.assets)} (same transaction)`]] as [string, string][])),
      ["transaction", `${r.hash} (gas ${r.gasUsed})`],
    ]),
  );
  return 0;
}
