// The ERC-7540 batch in the benchmark: per-user gas all in = mean request + settlement ÷ users + the keeper's batched
// claim ÷ users, on a 10-constituent vault, for 1, 5, 20 and 50 users per epoch, first-time users (never requested,
// no shares) and returning users (one full epoch before, they hold shares), and a balanced epoch (half deposit, half
// redeem of about the same value: only the net flow reaches the vault). Whole-transaction gas (receipt gasUsed, 21,000
// intrinsic included), as in the rest of the bench. One-time setup (the USDT approval to the batch) is not counted,
// as in test/unit/IndexVaultBatch.gas.t.sol, whose isolated-call numbers these should match within calldata noise.
import { createWalletClient, http, keccak256, maxUint256, parseEventLogs, toHex, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { batchAbi } from "../../sdk/client/batch";
import { mockUSDTAbi } from "../../sdk/generated/abis";
import { createBatch, type ProtocolDeployment } from "../../sdk/protocol";
import type { BenchEnv, BenchToken } from "./env";
import { confirm } from "./env";
import { createVault, depositUsdt, fundForDeposit } from "./vault";
import { assertPoolsTraded } from "./warmup";
import type { LocalWalletClient } from "../../sdk/local/localChain";

export const BATCH_USER_COUNTS = [1, 5, 20, 50];
/** {USDT units} each depositor's request */
export const BATCH_AMOUNT = 1_000_000_000n;

export interface BatchRow {
  kind: "first-time" | "returning" | "balanced";
  users: number;
  /** {gas} mean per request */
  requestGas: number;
  settlementGas: number;
  /** {gas} the keeper's claim transaction(s), total */
  claimGas: number;
  /** {gas} request + (settlement + claims) ÷ users */
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
 * request all their shares, then a settlement and the keeper's claims.
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
    const shares = await env.publicClient.readContract({ address: vault, abi: mockUSDTAbi, functionName: "balanceOf", args: [w.account.address] });
    requestGas += await tx(env, w, "requestRedeem", [shares, w.account.address, w.account.address], batch);
  }
  // A fixed gas limit: anvil's eth_estimateGas can come out short for a settlement (a vault deposit through every pool).
  const settleReceipt = await confirm(env, await keeper.writeContract({ address: batch, abi: batchAbi, functionName: "settle", args: [], gas: 8_000_000n }));
  const [settled] = parseEventLogs({ abi: batchAbi, eventName: "EpochSettled", logs: settleReceipt.logs });
  let claimGas = 0n;
  if (depositors.length > 0) claimGas += await tx(env, keeper, "claimDeposits", [depositors.map((w) => w.account.address)], batch);
  if (redeemers.length > 0) claimGas += await tx(env, keeper, "claimRedeems", [redeemers.map((w) => w.account.address)], batch);
  const n = BigInt(depositors.length + redeemers.length);
  const e = settled!.args;
  // {USDT units} what the redeemed shares that were not crossed fetched in the vault
  const netRedeemValue = e.netShares > 0n && e.redeemShares > 0n ? (e.assetsOut * e.netShares) / e.redeemShares : 0n;
  const redeemValue = e.redeemShares === 0n ? 0n : e.crossValue + netRedeemValue;
  return {
    requestGas: Number(requestGas / n),
    settlementGas: Number(settleReceipt.gasUsed),
    claimGas: Number(claimGas),
    perUserGas: Number(requestGas / n + (settleReceipt.gasUsed + claimGas) / n),
    grossUsdt: (e.depositAssets + redeemValue).toString(),
    netUsdt: (e.netAssets + netRedeemValue).toString(),
  };
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
  // Balanced: 10 returning users redeem all their shares (about 2 × BATCH_AMOUNT each), 10 other returning users
  // deposit as much.
  const cohort = counts.includes(20) ? 20 : counts[counts.length - 1]!;
  const redeemers = (await users(env, `u${cohort}`, Math.min(10, cohort))); // they hold two epochs of shares
  const depositors = await users(env, "bal", redeemers.length);
  await approveAll(env, depositors, batch, vault);
  await epoch(env, batch, vault, depositors, []); // make them returning too
  // Depositors request 2 × BATCH_AMOUNT (the redeemers' two epochs of shares are worth about that), funded first.
  for (const w of depositors) await env.fund(env.market.usdt, w.account.address, 2n * BATCH_AMOUNT);
  const balanced = await epoch(env, batch, vault, depositors, redeemers, 2n * BATCH_AMOUNT, true);
  rows.push({ kind: "balanced", users: depositors.length + redeemers.length, ...balanced });
  return rows;
}

/** The summary's batch section (markdown). */
export function batchSummary(rows: readonly BatchRow[]): string {
  const fmt = (n: number): string => n.toLocaleString("en-US");
  const lines = [
    "## Batched deposits and redemptions (ERC-7540, 10 constituents)",
    "",
    "Per user, all in = mean request + (settlement + the keeper's batched claims) ÷ users; whole transactions. The USDT approval to the batch is one-time setup, not counted. Targets: returning 20 users ≤ 150,000, 50 users ≤ 110,000; balanced 20 users ≤ 100,000 with the net ≤ 1 % of gross. The balanced row here leaves a small net (above the vault's minimum deposit) that still goes through one vault deposit, like the forge snapshot's `balanced_net1pct_*` rows; the fully crossed epoch (net below the minimum, no Uniswap volume) is measured in test/unit/IndexVaultBatch.gas.t.sol (`balanced_returning_20_*`).",
    "",
    "| kind | users | request | settlement | claims | per user | gross USDT | net USDT |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.kind} | ${r.users} | ${fmt(r.requestGas)} | ${fmt(r.settlementGas)} | ${fmt(r.claimGas)} | ${fmt(r.perUserGas)} | ${fmt(Number(r.grossUsdt) / 1e6)} | ${fmt(Number(r.netUsdt) / 1e6)} |`),
  ];
  return lines.join("\n");
}
