// Rebalance rows: whole-transaction gas of one keeper `rebalance()` step after a market move, and its turnover
// against the theoretical minimum computed here from the vault's own Chainlink valuation (`basket()`) before the step:
//   minimum = Σ_i |v_i − t_i · NAV|  (every overweight constituent sold down to target, every underweight one bought
//   up to it; idle USDT has target 0), turnover = sold + bought (RebalanceReceipt, Chainlink values).
import { parseEventLogs } from "viem";
import { readFeed } from "../../sdk/client/feeds";
import { iIndexVaultRebalancerAbi, indexVaultAbi } from "../../sdk/generated/abis";
import { confirm, snapshot, type BenchEnv, type BenchToken } from "./env";
import type { RebalanceDetail } from "./report";
import type { RebalanceRow } from "./suite";
import { createVault, depositUsdt, fundForDeposit, type ProtocolDeployment } from "./vault";
import { assertPoolsTraded } from "./warmup";

/** {USDT units} Vault size before the market move: the gas rows' deposit size; every trade still clears minTradeValue ($10), and the thin pool of the 20-basket absorbs it. */
const REBALANCE_SEED = 10_000n * 1_000_000n;
/** The market move: constituent 0 up 50 %, constituent 1 down 30 % (ppm of the current price). */
const MOVES_PPM = [1_500_000n, 700_000n] as const;

export interface RebalanceMeasurement {
  constituents: number;
  gas: number | null;
  turnoverRatio: number | null;
  note?: string;
  sold?: string;
  bought?: string;
  minimum?: string;
  maxDriftBeforeBps?: string;
  maxDriftAfterBps?: string;
  trades?: number;
}

/** True when the generated IndexVault ABI exposes rebalancing (the module's selectors are on the vault). */
export function rebalanceAvailable(): boolean {
  return (iIndexVaultRebalancerAbi as readonly { type: string; name?: string }[]).some((e) => e.type === "function" && e.name === "rebalance");
}


async function measureOne(env: BenchEnv, protocol: ProtocolDeployment, tokens: readonly BenchToken[]): Promise<RebalanceMeasurement> {
  const n = tokens.length;
  if (n < 2) return { constituents: n, gas: null, turnoverRatio: null, note: "one constituent cannot drift against another" };
  if (env.setMarketPrice === undefined) return { constituents: n, gas: null, turnoverRatio: null, note: "needs a market whose prices the bench can move (local market)" };
  const keeper = env.wallets[0]!;
  const seeder = env.wallets[1]!;
  const vault = await createVault(env, protocol, tokens);
  await fundForDeposit(env, vault, seeder, REBALANCE_SEED);
  await depositUsdt(env, vault, seeder, REBALANCE_SEED);
  for (let i = 0; i < MOVES_PPM.length; i++) {
    const t = tokens[i]!;
    await env.setMarketPrice(t.address, ((await readFeed(env.publicClient, t.feed)).answer * MOVES_PPM[i]!) / 1_000_000n);
  }
  const read = <T>(functionName: string): Promise<T> =>
    env.publicClient.readContract({ address: vault, abi: [...indexVaultAbi, ...iIndexVaultRebalancerAbi], functionName } as never) as Promise<T>;
  const status = await read<{ due: boolean; reason: number }>("rebalanceStatus");
  if (!status.due) return { constituents: n, gas: null, turnoverRatio: null, note: `rebalance not due after the move (reason ${status.reason})` };

  // The minimum, from the vault's own valuation at the same Chainlink prices the step will use.
  const [states, , nav] = await read<readonly [readonly { value: bigint; targetWeightBps: bigint }[], bigint, bigint]>("basket");
  let minimum = 0n;
  for (const st of states) {
    const target = (nav * st.targetWeightBps) / 10_000n;
    minimum += st.value > target ? st.value - target : target - st.value;
  }
  const hash = await keeper.writeContract({
    address: vault,
    abi: iIndexVaultRebalancerAbi,
    functionName: "rebalance",
    gas: 15_000_000n,
  } as never);
  const receipt = await confirm(env, hash);
  const [ev] = parseEventLogs({ abi: iIndexVaultRebalancerAbi, eventName: "Rebalanced", logs: receipt.logs } as never) as unknown as {
    args: { receipt: { sold: bigint; bought: bigint; maxDriftBeforeBps: bigint; maxDriftAfterBps: bigint; complete: boolean } };
  }[];
  if (ev === undefined) throw new Error("rebalance emitted no Rebalanced event");
  const trades = (parseEventLogs({ abi: iIndexVaultRebalancerAbi, eventName: "RebalanceTrade", logs: receipt.logs } as never) as unknown[]).length;
  const r = ev.args.receipt;
  const turnover = r.sold + r.bought;
  return {
    constituents: n,
    gas: Number(receipt.gasUsed),
    turnoverRatio: minimum === 0n ? null : Math.round((Number(turnover) / Number(minimum)) * 10_000) / 10_000,
    sold: r.sold.toString(),
    bought: r.bought.toString(),
    minimum: minimum.toString(),
    maxDriftBeforeBps: r.maxDriftBeforeBps.toString(),
    maxDriftAfterBps: r.maxDriftAfterBps.toString(),
    trades,
    ...(r.complete ? {} : { note: "multi-step: first step only" }),
    ...(r.complete && minimum > 0n && turnover * 100n < minimum * 99n
      ? { note: `${n - trades} constituent(s) within minTradeValue ($10) of target left untraded (dust rule), so turnover < minimum` }
      : {}),
  };
}

export async function measureRebalance(
  env: BenchEnv,
  protocol: ProtocolDeployment,
  sizes: readonly number[],
): Promise<{ rows: RebalanceRow[]; detail: RebalanceDetail; measurements: RebalanceMeasurement[] }> {
  if (!rebalanceAvailable()) {
    const rows = sizes.map((constituents) => ({ constituents, gas: null, turnoverRatio: null }));
    return { rows, measurements: [], detail: { status: "pending", note: "rebalancing is not in this build; gas and turnoverRatio are null" } };
  }
  await assertPoolsTraded(env, env.market.constituents.slice(0, Math.max(0, ...sizes)));
  const measurements: RebalanceMeasurement[] = [];
  for (const n of sizes) {
    const revert = await snapshot(env);
    measurements.push(await measureOne(env, protocol, env.market.constituents.slice(0, n)));
    await revert();
  }
  return {
    rows: measurements.map(({ constituents, gas, turnoverRatio }) => ({ constituents, gas, turnoverRatio })),
    measurements,
    detail: {
      status: "measured",
      note:
        `One keeper \`rebalance()\` step per vault (default rebalance config: threshold 200 bps, no per-trade cap) after ` +
        `constituent 0 moved +50 % and constituent 1 −30 % (feeds and pools, as an arbitrageur would), on a $${(REBALANCE_SEED / 1_000_000n).toLocaleString("en-US")} vault. ` +
        "turnoverRatio = (sold + bought) / Σ|v_i − t_i·NAV| at the same Chainlink prices (vault `basket()` before the step). " +
        "Buys are funded by the sells' proceeds, so a ratio slightly under 1 means the swap costs left buys a little short of target.",
    },
  };
}
