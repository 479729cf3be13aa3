// Turns benchmark results into the committed artefacts: latest.json (exactly the issue's schema), details.json
// (breakdowns, theory vs QuoterV2 cross-checks) and a markdown summary, and prints the console table.
import type { GasBreakdown } from "./trace";
import type { BatchRow } from "./batch";
import type { RebalanceMeasurement } from "./rebalance";
import type { GasRow, InKindRow, RebalanceRow, SizeResult, SlippageDetail, SlippageRow } from "./suite";

/** The issue's schema, nothing more. */
export interface LatestJson {
  deposit: GasRow[];
  redeem: GasRow[];
  inKind: InKindRow[];
  slippage: SlippageRow[];
  rebalance: RebalanceRow[];
  /** ERC-7540 batch: per-user gas all in (bench/lib/batch.ts). */
  batch?: BatchRow[];
}

export interface Targets {
  /** {gas} 10-constituent USDT deposit. */
  deposit10: number;
  /** {gas} 10-constituent USDT redeem. */
  redeem10: number;
  /** deposit gas / raw router gas. */
  ratio: number;
  /** {bps} |realised − theory| per leg. */
  slippageBps: number;
  /** rebalance turnover / theoretical minimum. */
  turnover: number;
}

export const TARGETS: Targets = { deposit10: 950_000, redeem10: 950_000, ratio: 1.1, slippageBps: 1, turnover: 1.02 };

/** Peer reference: Index Coop FlashMint issuance of DPI (~13-15 components), whole transaction. */
export const PEER_FLASHMINT_DPI_GAS = 2_015_383;

export interface RebalanceDetail {
  status: "measured" | "pending";
  note: string;
}

export interface BenchOutput {
  latest: LatestJson;
  sizes: SizeResult[];
  slippage: SlippageDetail[];
  rebalance: RebalanceDetail;
  rebalanceMeasurements: RebalanceMeasurement[];
  meta: {
    mode: string;
    description: string;
    depositUsd: number;
    /** How the pools were prepared before measuring (traded both ways on the local chain; as found on a fork). */
    poolWarmup?: string;
    vaultParams: Record<string, string | number>;
  };
}

export function toLatest(out: Omit<BenchOutput, "latest">, rebalanceRows: RebalanceRow[]): LatestJson {
  return {
    deposit: out.sizes.map((s) => s.deposit),
    redeem: out.sizes.map((s) => s.redeem),
    inKind: out.sizes.map((s) => s.inKind),
    slippage: out.slippage.map(({ usd, leg, realisedBps, theoryBps }) => ({ usd, leg, realisedBps, theoryBps })),
    rebalance: rebalanceRows,
  };
}

const fmt = (n: number): string => n.toLocaleString("en-US");

interface Check {
  name: string;
  target: string;
  actual: string;
  ok: boolean | null;
}

export function checks(out: BenchOutput): Check[] {
  const d10 = out.latest.deposit.find((r) => r.constituents === 10);
  const r10 = out.latest.redeem.find((r) => r.constituents === 10);
  const worstRatio = Math.max(...out.latest.deposit.map((r) => r.ratio));
  const worstRedeemRatio = Math.max(...out.latest.redeem.map((r) => r.ratio));
  const worstDiff = Math.max(0, ...out.slippage.map((s) => Math.abs(s.diffBps)));
  const reb = out.latest.rebalance.filter((r) => r.turnoverRatio !== null);
  return [
    { name: "10-constituent USDT deposit", target: `≤ ${fmt(TARGETS.deposit10)} gas`, actual: d10 ? `${fmt(d10.gas)} gas` : "n/a", ok: d10 ? d10.gas <= TARGETS.deposit10 : null },
    { name: "10-constituent USDT redeem", target: `≤ ${fmt(TARGETS.redeem10)} gas`, actual: r10 ? `${fmt(r10.gas)} gas` : "n/a", ok: r10 ? r10.gas <= TARGETS.redeem10 : null },
    { name: "deposit / raw router (worst size)", target: `≤ ${TARGETS.ratio}`, actual: worstRatio.toFixed(4), ok: worstRatio <= TARGETS.ratio },
    { name: "redeem / raw router (worst size)", target: `≤ ${TARGETS.ratio}`, actual: worstRedeemRatio.toFixed(4), ok: worstRedeemRatio <= TARGETS.ratio },
    { name: "slippage: |realised − theory| (worst leg)", target: `≤ ${TARGETS.slippageBps} bp`, actual: `${worstDiff.toFixed(2)} bp`, ok: out.slippage.length > 0 ? worstDiff <= TARGETS.slippageBps : null },
    {
      name: "rebalance turnover / minimum",
      target: `≤ ${TARGETS.turnover}`,
      actual: reb.length === 0 ? "PENDING (rebalancing not merged yet)" : Math.max(...reb.map((r) => r.turnoverRatio ?? 0)).toFixed(4),
      ok: reb.length === 0 ? null : reb.every((r) => (r.turnoverRatio ?? Infinity) <= TARGETS.turnover),
    },
  ];
}

const mark = (ok: boolean | null): string => (ok === null ? "pending" : ok ? "PASS" : "MISS");

function breakdownTable(title: string, vault: GasBreakdown, raw: GasBreakdown): string {
  const lines = [
    `#### ${title}`,
    "",
    "| component | vault | raw router | vault − raw |",
    "|---|---:|---:|---:|",
  ];
  const row = (name: string, v: number, r: number): void => {
    lines.push(`| ${name} | ${fmt(v)} | ${fmt(r)} | ${fmt(v - r)} |`);
  };
  vault.legs.forEach((leg, i) => row(`leg ${leg.symbol} (pool.swap incl. callback)`, leg.gas, raw.legs[i]?.gas ?? 0));
  row("Σ legs", vault.legs.reduce((a, l) => a + l.gas, 0), raw.legs.reduce((a, l) => a + l.gas, 0));
  row("Chainlink reads", vault.oracle, raw.oracle);
  row("balanceOf reads", vault.balanceReads, raw.balanceReads);
  row("transfers outside callbacks", vault.transfers, raw.transfers);
  row("other calls", vault.otherCalls, raw.otherCalls);
  row("own execution (storage, maths, events, CALL costs)", vault.vaultExecution, raw.vaultExecution);
  row("intrinsic + calldata − refunds", vault.intrinsic, raw.intrinsic);
  row("**total**", vault.total, raw.total);
  return lines.join("\n");
}

/** {gas} EIP-2929 cost of a first (cold) account access. */
const COLD_ACCOUNT_ACCESS = 2_600;

/**
 * A lower bound for any USDT path that follows the vault's rules (issue #3: every leg floored at its Chainlink price, so
 * n + 1 feeds are read; constituents bought or sold on Uniswap V3 in the same transaction): the intrinsic cost, the
 * measured pool legs and feed reads, the first access to every pool, token, feed and USDT, and the USDT moved outside
 * the swaps. Everything the vault adds on top (shares, fees, valuation, checks, events) is the rest.
 */
export function mandatedFloor(b: GasBreakdown, constituents: number): { floor: number; coldAccounts: number } {
  const coldAccounts = COLD_ACCOUNT_ACCESS * (b.legs.length + constituents + (constituents + 1) + 1);
  const floor = b.intrinsic + b.legs.reduce((a, l) => a + l.gas, 0) + b.oracle + coldAccounts + b.transfers;
  return { floor, coldAccounts };
}

function floorTable(ten: SizeResult): string {
  const n = ten.deposit.constituents;
  const lines = [
    `#### What the rules alone cost (${n} constituents)`,
    "",
    "Lower bound for ANY design that follows issue #3 (every swap floored at its Chainlink price, so n + 1 feeds are read per USDT path; the " +
      "constituents bought or sold on Uniswap V3 in the same transaction): intrinsic gas + the measured pool legs + the measured feed reads + " +
      `the first access to every pool, token, feed and USDT (${fmt(COLD_ACCOUNT_ACCESS)} gas each) + USDT moved outside the swaps. ` +
      "The vault's own bookkeeping (shares, fees, valuation, checks, events) comes on top. The legs are those measured above, so the floor " +
      "holds under the same pool condition as the measurement (on the local chain: pools already traded both ways, no first write of a fee-growth counter).",
    "",
    "| path | floor | target | headroom for the vault's own work | measured | vault's own work |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  const row = (name: string, b: GasBreakdown, target: number, measured: number): void => {
    const { floor } = mandatedFloor(b, n);
    lines.push(`| ${name} | ${fmt(floor)} | ${fmt(target)} | ${fmt(target - floor)} | ${fmt(measured)} | ${fmt(measured - floor)} |`);
  };
  row("USDT deposit", ten.breakdown.deposit, TARGETS.deposit10, ten.deposit.gas);
  row("USDT redeem", ten.breakdown.redeem, TARGETS.redeem10, ten.redeem.gas);
  row("deposit at ratio 1.10", ten.breakdown.deposit, Math.floor(ten.deposit.rawSwapGas * TARGETS.ratio), ten.deposit.gas);
  row("redeem at ratio 1.10", ten.breakdown.redeem, Math.floor(ten.redeem.rawSwapGas * TARGETS.ratio), ten.redeem.gas);
  lines.push("", "A negative headroom means the target cannot be met while every leg is checked against Chainlink.");
  return lines.join("\n");
}

export function markdownSummary(out: BenchOutput, reproduce: string): string {
  const L = out.latest;
  const parts: string[] = [];
  parts.push(`# Benchmarks (${out.meta.mode})`, "");
  parts.push(`Generated by \`${reproduce}\` on ${out.meta.description}. Whole-transaction gas (receipt \`gasUsed\`, intrinsic 21,000 included), so the numbers compare directly with peers' transaction costs, e.g. Index Coop FlashMint of DPI: ${fmt(PEER_FLASHMINT_DPI_GAS)} gas.`, "");
  parts.push(
    "Method: each basket size gets its own equal-weight vault over the market's first n constituents, already seeded with a " +
      `$${fmt(out.meta.depositUsd)} deposit and one management-fee accrual (a running vault: its fee recipient already holds shares); a second wallet then deposits $${fmt(out.meta.depositUsd)} USDT through the wallet entry point ` +
      "`deposit(assets, receiver, minShares, deadline)` and redeems all its shares with `redeem(shares, receiver, owner, minAssets, deadline)`. " +
      "`rawSwapGas` replays exactly the same legs (same input amounts, same pools, same pre-state via EVM snapshots) through Uniswap's SwapRouter " +
      "as ONE `multicall` transaction by a trader that already holds every token (so the router side pays no first write of a balance; " +
      "the vault's depositor is a new holder and does pay the first write of its share balance, about 20,000 gas, so the ratio is conservative). " +
      "In kind: a third wallet brings the pro-rata basket for the same number of shares, then redeems in kind." +
      (out.meta.poolWarmup === undefined ? "" : ` ${out.meta.poolWarmup}`),
    "",
  );
  parts.push(`Vault parameters: ${Object.entries(out.meta.vaultParams).map(([k, v]) => `${k} ${v}`).join(", ")}.`, "");
  parts.push("## Targets", "", "| target | required | measured | |", "|---|---|---|---|");
  for (const c of checks(out)) parts.push(`| ${c.name} | ${c.target} | ${c.actual} | ${mark(c.ok)} |`);
  parts.push("", "## USDT deposit and redeem", "", "| constituents | deposit gas | raw router gas | ratio | redeem gas | raw router gas | ratio |", "|---:|---:|---:|---:|---:|---:|---:|");
  L.deposit.forEach((d, i) => {
    const r = L.redeem[i]!;
    parts.push(`| ${d.constituents} | ${fmt(d.gas)} | ${fmt(d.rawSwapGas)} | ${d.ratio.toFixed(4)} | ${fmt(r.gas)} | ${fmt(r.rawSwapGas)} | ${r.ratio.toFixed(4)} |`);
  });
  parts.push("", "## In-kind paths (no Uniswap, no oracle)", "", "| constituents | depositInKind gas | redeemInKind gas |", "|---:|---:|---:|");
  for (const r of L.inKind) parts.push(`| ${r.constituents} | ${fmt(r.depositGas)} | ${fmt(r.redeemGas)} |`);
  parts.push("", "## Rebalance", "");
  if (out.rebalance.status === "pending") parts.push(`**PENDING**: ${out.rebalance.note}`);
  else {
    parts.push(out.rebalance.note, "", "| constituents | gas | turnover / minimum | trades | sold $ | bought $ | minimum $ | max drift before → after (bps) | note |", "|---:|---:|---:|---:|---:|---:|---:|---|---|");
    const usd = (x?: string): string => (x === undefined ? "" : fmt(Math.round(Number(x) / 1e6)));
    for (const m of out.rebalanceMeasurements) {
      parts.push(
        `| ${m.constituents} | ${m.gas === null ? "n/a" : fmt(m.gas)} | ${m.turnoverRatio === null ? "n/a" : m.turnoverRatio.toFixed(4)} | ${m.trades ?? ""} | ${usd(m.sold)} | ${usd(m.bought)} | ${usd(m.minimum)} | ${m.maxDriftBeforeBps === undefined ? "" : `${m.maxDriftBeforeBps} → ${m.maxDriftAfterBps}`} | ${m.note ?? ""} |`,
      );
    }
  }
  parts.push("", "## Where the gas goes (per leg, call tracer)", "");
  parts.push(
    "Each leg is the pool's `swap` frame, including its transfer out and the callback paying it; the vault calls pools directly, the router " +
      "goes through its own callback. 'Own execution' is everything the calling contract does itself.",
    "",
  );
  const ten = out.sizes.find((s) => s.deposit.constituents === 10) ?? out.sizes[out.sizes.length - 1];
  if (ten !== undefined) {
    parts.push(breakdownTable(`Deposit, ${ten.deposit.constituents} constituents`, ten.breakdown.deposit, ten.breakdown.rawBuy), "");
    parts.push(breakdownTable(`Redeem, ${ten.redeem.constituents} constituents`, ten.breakdown.redeem, ten.breakdown.rawSell), "");
    parts.push(floorTable(ten), "");
  }
  if (ten?.profile !== undefined) {
    parts.push(
      `#### The vault's own execution, opcode by opcode (${ten.deposit.constituents} constituents)`,
      "",
      "Struct-log trace of the clone and implementation frames only (callbacks included; pools, tokens and feeds excluded).",
      "",
      "| opcode class | deposit count | deposit gas | redeem count | redeem gas |",
      "|---|---:|---:|---:|---:|",
    );
    const d = ten.profile.deposit;
    const r = ten.profile.redeem;
    const prow = (name: string, a: { count?: number; gas: number }, b: { count?: number; gas: number }): void => {
      parts.push(`| ${name} | ${a.count === undefined ? "" : fmt(a.count)} | ${fmt(a.gas)} | ${b.count === undefined ? "" : fmt(b.count)} | ${fmt(b.gas)} |`);
    };
    prow("SLOAD cold (2,100)", d.sloadCold, r.sloadCold);
    prow("SLOAD warm (100)", d.sloadWarm, r.sloadWarm);
    prow("SSTORE", d.sstore, r.sstore);
    prow("TSTORE/TLOAD", d.tstore, r.tstore);
    prow("LOG (events)", d.logs, r.logs);
    prow("CALL opcodes' own cost (cold accounts, memory)", d.callOverhead, r.callOverhead);
    prow("KECCAK256", d.keccak, r.keccak);
    prow("everything else (maths, memory, stack, jumps, copies)", d.other, r.other);
    prow("**total own execution**", { gas: d.total }, { gas: r.total });
    parts.push("");
  }
  parts.push("## Slippage per leg", "");
  parts.push(
    "Reference = the input at the pool's mid price before the transaction (no fee, no impact). `theory` = output computed independently " +
      "from the pool's state in the block before (sqrtPriceX96, liquidity, fee; closed form within a tick range, walking initialised ticks " +
      "across ranges: bench/lib/v3math.ts); `realised` = the pool's Swap event in the vault's transaction. QuoterV2 is a cross-check only.",
    "",
    "| deposit $ | leg | realised bps | theory bps | realised − theory bps | ticks crossed | QuoterV2 = theory |",
    "|---:|---|---:|---:|---:|---:|---|",
  );
  for (const s of out.slippage) {
    const q = s.quoterOut === null ? "n/a" : s.quoterOut === s.theoryOut ? "yes" : `no (${s.quoterOut})`;
    parts.push(`| ${fmt(s.usd)} | ${s.leg} | ${s.realisedBps.toFixed(2)} | ${s.theoryBps.toFixed(2)} | ${s.diffBps.toFixed(2)} | ${s.ticksCrossed} | ${q} |`);
  }
  parts.push("");
  return parts.join("\n");
}

export function consoleTable(out: BenchOutput): string {
  const L = out.latest;
  const pad = (s: string, n: number): string => s.padStart(n);
  const lines = [
    `${pad("n", 3)} ${pad("deposit", 10)} ${pad("raw", 10)} ${pad("ratio", 7)} ${pad("redeem", 10)} ${pad("raw", 10)} ${pad("ratio", 7)} ${pad("inKindIn", 10)} ${pad("inKindOut", 10)}`,
  ];
  L.deposit.forEach((d, i) => {
    const r = L.redeem[i]!;
    const k = L.inKind[i]!;
    lines.push(
      `${pad(String(d.constituents), 3)} ${pad(fmt(d.gas), 10)} ${pad(fmt(d.rawSwapGas), 10)} ${pad(d.ratio.toFixed(4), 7)} ${pad(fmt(r.gas), 10)} ${pad(fmt(r.rawSwapGas), 10)} ${pad(r.ratio.toFixed(4), 7)} ${pad(fmt(k.depositGas), 10)} ${pad(fmt(k.redeemGas), 10)}`,
    );
  });
  lines.push("");
  for (const c of checks(out)) lines.push(`${mark(c.ok).padEnd(8)} ${c.name}: ${c.actual} (target ${c.target})`);
  return lines.join("\n");
}
