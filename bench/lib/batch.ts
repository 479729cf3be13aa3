// The ERC-7540 batch in the benchmark: per-user gas all in = mean request + the keeper's transaction ÷ users, on a
// 10-constituent vault, for 1, 5, 20 and 50 users per epoch, first-time users (never requested, no shares) and
// returning users (one full epoch before, they hold shares), and three balanced epochs of 20 returning users (10 redeem
// half their shares, 10 deposit): "balanced", deposits of the redeemed shares' value (the net is below the vault's
// minimum deposit: everything is crossed, no Uniswap volume) with redeemers whose wallets already hold USDT;
// "balanced-empty-usdt", the same with redeemers holding no USDT (each claim writes a fresh balance); "balanced-net",
// deposits 1 % of gross above it (the net goes through one vault deposit). The keeper settles and pushes every claim
// in one transaction (`multicall`, as keeper/batch.ts does). Whole-transaction gas (receipt gasUsed, 21,000 intrinsic included), as in the rest of the
// bench. One-time setup (the approvals to the batch) is not counted, as in test/unit/IndexVaultBatch.gas.t.sol, whose
// `bundled_*` rows these should match within calldata noise (real addresses cost more calldata than the test's).
import { createWalletClient, http, keccak256, maxUint256, parseEventLogs, toFunctionSelector, toHex, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { batchAbi, claimsPaidBy, settleAndClaimData } from "../../sdk/client/batch";
import { iIndexVaultAbi, mockUSDTAbi } from "../../sdk/generated/abis";
import { createBatch, type ProtocolDeployment } from "../../sdk/protocol";
import type { BenchEnv, BenchToken } from "./env";
import { confirm } from "./env";
import { createVault, depositUsdt, fundForDeposit } from "./vault";
import { assertPoolsTraded } from "./warmup";
import { framesGasBySelector } from "./trace";
import type { LocalWalletClient } from "../../sdk/local/localChain";

export const BATCH_USER_COUNTS = [1, 5, 20, 50];
/** {USDT units} each depositor's request */
export const BATCH_AMOUNT = 1_000_000_000n;

export interface BatchRow {
  kind: "first-time" | "returning" | "balanced" | "balanced-empty-usdt" | "balanced-net";
  users: number;
  /** {gas} mean per request */
  requestGas: number;
  /** {gas} the keeper's one transaction: settlement and every pushed claim (receipt gasUsed) */
  keeperTxGas: number;
  /** {gas} of it: the execution of `settle()` inside the multicall (call tracer, subcalls included, before refunds) */
  settlementGas: number;
  /** {gas} of it: the execution of the two claim calls (`claimDeposits`, `claimRedeems`), the same way. The rest of
   *  the transaction is its 21,000 base, calldata and the multicall itself, less its refunds. */
  claimGas: number;
  /** {gas} request + keeper transaction ÷ users */
  perUserGas: number;
  /** {USDT units} the epoch's gross (deposit assets + redeem value) and the net that reached the vault */
  grossUsdt: string;
  netUsdt: string;
}

/** Deterministic throwaway users, funded with ETH through anvil. */
async function users(env: BenchEnv, tag: string, n: number): Promise<LocalWalletClient[]> {
  const out: LocalWalletClient[] = [];
  const chain = env.publicClient.chain;
  const url = chain.rpcUrls.default.http[0]!;
  for (let i = 0; i < n; i++) {
    const account = privateKeyToAccount(keccak256(toHex(`bench-batch-${tag}-${i}`)));
    await env.testClient.setBalance({ address: account.address, value: 10n ** 20n });
    out.push(createWalletClient({ account, chain, transport: http(url), pollingInterval: env.publicClient.pollingInterval }) as unknown as LocalWalletClient);
  }
  return out;
}

async function tx(env: BenchEnv, w: LocalWalletClient, functionName: string, args: readonly unknown[], batch: Address): Promise<bigint> {
  const hash = await w.writeContract({ address: batch, abi: batchAbi, functionName, args } as never);
  return (await confirm(env, hash)).gasUsed;
}

/**
 * One epoch: `depositors` request `amount` USDT each (each funded just before its request, unless `funded`), `redeemers`
 * request half their shares (so they stay holders), then the keeper's settle-and-claim transaction.
 */
async function epoch(
  env: BenchEnv,
  batch: Address,
  vault: Address,
  depositors: readonly LocalWalletClient[],
  redeemers: readonly LocalWalletClient[],
  amount = BATCH_AMOUNT,
  funded = false,
) {
  const keeper = env.wallets[0]!;
  let requestGas = 0n;
  for (const w of depositors) {
    if (!funded) await env.fund(env.market.usdt, w.account.address, amount);
    requestGas += await tx(env, w, "requestDeposit", [amount, w.account.address, w.account.address], batch);
  }
  for (const w of redeemers) {
    const shares = (await env.publicClient.readContract({ address: vault, abi: mockUSDTAbi, functionName: "balanceOf", args: [w.account.address] })) / 2n;
    requestGas += await tx(env, w, "requestRedeem", [shares, w.account.address, w.account.address], batch);
  }
  // The keeper's one transaction: settle, then push every claim. A fixed gas limit: anvil's eth_estimateGas can come
  // out short for a settlement (a vault deposit through every pool).
  const data = settleAndClaimData(depositors.map((w) => w.account.address), redeemers.map((w) => w.account.address));
  const hash = await keeper.writeContract({ address: batch, abi: batchAbi, functionName: "multicall", args: [data], gas: 8_000_000n });
  const receipt = await confirm(env, hash);
  // Its parts, from the call tracer: settle() and the two claim calls inside the multicall (execution, before refunds).
  const [settleExec, claimDepositsExec, claimRedeemsExec] = await framesGasBySelector(env, hash, batch, [
    toFunctionSelector("settle()"),
    toFunctionSelector("claimDeposits(address[])"),
    toFunctionSelector("claimRedeems(address[])"),
  ]);
  const [settled] = parseEventLogs({ abi: batchAbi, eventName: "EpochSettled", logs: receipt.logs });
  const paid = claimsPaidBy(batch, receipt.logs);
  const claims = paid.deposits + paid.redeems;
  if (claims !== depositors.length + redeemers.length) throw new Error(`the keeper's transaction paid ${claims} claims, expected ${depositors.length + redeemers.length}`);
  const n = BigInt(depositors.length + redeemers.length);
  const e = settled!.args;
  // {USDT units} what the redeemed shares that were not crossed fetched in the vault
  const netRedeemValue = e.netShares > 0n && e.redeemShares > 0n ? (e.assetsOut * e.netShares) / e.redeemShares : 0n;
  const redeemValue = e.redeemShares === 0n ? 0n : e.crossValue + netRedeemValue;
  return {
    requestGas: Number(requestGas / n),
    keeperTxGas: Number(receipt.gasUsed),
    settlementGas: settleExec!,
    claimGas: claimDepositsExec! + claimRedeemsExec!,
    perUserGas: Number(requestGas / n + receipt.gasUsed / n),
    grossUsdt: (e.depositAssets + redeemValue).toString(),
    netUsdt: (e.netAssets + netRedeemValue).toString(),
  };
}

/**
 * A balanced epoch: `redeemers` request half their shares, `depositors` together request what those shares cost at
 * NAV (mint fee in, rounded up) plus `netBps` of the gross (0: plus 1 USDT, below the vault's minimum deposit, so the
 * whole epoch is crossed).
 */
async function balancedEpoch(env: BenchEnv, batch: Address, vault: Address, depositors: readonly LocalWalletClient[], redeemers: readonly LocalWalletClient[], netBps: bigint) {
  let shares = 0n;
  for (const w of redeemers) shares += (await env.publicClient.readContract({ address: vault, abi: mockUSDTAbi, functionName: "balanceOf", args: [w.account.address] })) / 2n;
  const value = await env.publicClient.readContract({ address: vault, abi: iIndexVaultAbi, functionName: "convertToAssets", args: [shares] });
  const { mintFeeBps } = await env.publicClient.readContract({ address: vault, abi: iIndexVaultAbi, functionName: "config" });
  const cost = (value * 10_000n + 10_000n - BigInt(mintFeeBps) - 1n) / (10_000n - BigInt(mintFeeBps));
  const total = cost + (netBps === 0n ? 1_000_000n : ((value + cost) * netBps) / 10_000n);
  const each = total / BigInt(depositors.length) + 1n;
  for (const w of depositors) await env.fund(env.market.usdt, w.account.address, each);
  return epoch(env, batch, vault, depositors, redeemers, each, true);
}

/** Approves the batch for USDT (one-time setup, not counted). */
async function approveAll(env: BenchEnv, ws: readonly LocalWalletClient[], batch: Address, vault: Address): Promise<void> {
  for (const w of ws) {
    await confirm(env, await w.writeContract({ address: env.market.usdt, abi: mockUSDTAbi, functionName: "approve", args: [batch, maxUint256] }));
    await confirm(env, await w.writeContract({ address: vault, abi: mockUSDTAbi, functionName: "approve", args: [batch, maxUint256] }));
  }
}

/** Measures every row on one 10-constituent (or the market's largest) vault with its batch. */
export async function measureBatch(env: BenchEnv, protocol: ProtocolDeployment, tokens: readonly BenchToken[], counts: readonly number[] = BATCH_USER_COUNTS): Promise<BatchRow[]> {
  await assertPoolsTraded(env, tokens);
  const vault = await createVault(env, protocol, tokens);
  const keeper = env.wallets[0]!;
  const { batch } = await createBatch(env.publicClient, keeper, protocol.batchFactory, vault);
  // A running vault: seeded by a direct deposit.
  await fundForDeposit(env, vault, keeper, 100_000_000_000n);
  await depositUsdt(env, vault, keeper, 100_000_000_000n);
  const rows: BatchRow[] = [];
  for (const n of counts) {
    const ws = await users(env, `u${n}`, n);
    await approveAll(env, ws, batch, vault);
    rows.push({ kind: "first-time", users: n, ...(await epoch(env, batch, vault, ws, [])) });
    rows.push({ kind: "returning", users: n, ...(await epoch(env, batch, vault, ws, [])) });
  }
  // Balanced epochs of 20 returning users: 10 redeem half their shares (so they stay holders), 10 deposit what those
  // shares cost at NAV (mint fee in) plus `netBps` of the gross. R: two epochs of shares, no USDT left (they deposited
  // all of it); D: one epoch of shares, no USDT left.
  const cohort = counts.includes(20) ? 20 : counts[counts.length - 1]!;
  const r = await users(env, `u${cohort}`, Math.min(10, cohort));
  const d = await users(env, "bal", r.length);
  await approveAll(env, d, batch, vault);
  await epoch(env, batch, vault, d, []); // make them returning too
  const size = d.length + r.length;
  // 1. Returning in both tokens, as the forge rows: the redeemers' wallets already hold some USDT (100 each, the
  //    counterpart of the depositors' shares), so no claim writes a fresh balance.
  for (const w of r) await env.fund(env.market.usdt, w.account.address, 100_000_000n);
  rows.push({ kind: "balanced", users: size, ...(await balancedEpoch(env, batch, vault, d, r, 0n)) });
  // 2. The same with the roles swapped: the redeemers (D) hold no USDT, so each USDT claim writes a fresh balance
  //    (20,000 gas more per redeemer, as a direct redeem to an empty wallet pays).
  rows.push({ kind: "balanced-empty-usdt", users: size, ...(await balancedEpoch(env, batch, vault, r, d, 0n)) });
  // 3. A net of 1 % of gross, which goes through one vault deposit (R redeem again; both hold both tokens).
  rows.push({ kind: "balanced-net", users: size, ...(await balancedEpoch(env, batch, vault, d, r, 100n)) });
  return rows;
}

/** The summary's batch section (markdown). */
export function batchSummary(rows: readonly BatchRow[]): string {
  const fmt = (n: number): string => n.toLocaleString("en-US");
  const lines = [
    "## Batched deposits and redemptions (ERC-7540, 10 constituents)",
    "",
    "Per user, all in = mean request + the keeper's transaction ÷ users, whole transactions (receipt gasUsed). The keeper settles and pushes every claim in one transaction (`multicall`); the breakdown columns are the execution of `settle()` and of the two claim calls inside it (call tracer, subcalls included, before refunds); the rest is the 21,000 base, calldata and the multicall, less refunds. Forge's snapshot rows also give settlement and claims as separate transactions. The approvals to the batch are one-time setup, not counted. Targets: returning 20 users ≤ 150,000, 50 users ≤ 110,000; balanced 20 users ≤ 100,000 with the net ≤ 1 % of gross. `balanced`: 10 returning users redeem half their shares, 10 deposit their value, the net below the vault's minimum deposit, nothing traded on Uniswap; the redeemers' wallets already hold USDT (as returning depositors hold shares). `balanced-empty-usdt`: the same with redeemers whose USDT balance is zero, so each USDT claim writes a fresh balance (+20,000 gas per redeemer; a direct redeem to that wallet pays it too). `balanced-net`: deposits 1 % of gross above the redeemed value, the net goes through one vault deposit. Forge's isolated-call rows (`npm run snapshots`, snapshots/IndexVaultBatch.json) measure the same with and without the bundling (`bundled_*`).",
    "",
    "| kind | users | request | keeper tx (settle + claims) | of it: settle() | of it: claims | claims ÷ users | per user | gross USDT | net USDT |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.kind} | ${r.users} | ${fmt(r.requestGas)} | ${fmt(r.keeperTxGas)} | ${fmt(r.settlementGas)} | ${fmt(r.claimGas)} | ${fmt(Math.floor(r.claimGas / r.users))} | ${fmt(r.perUserGas)} | ${fmt(Number(r.grossUsdt) / 1e6)} | ${fmt(Number(r.netUsdt) / 1e6)} |`),
  ];
  return lines.join("\n");
}
