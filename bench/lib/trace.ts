// Where a transaction's gas goes, from the node's call tracer (debug_traceTransaction, callTracer): each external call
// frame's own gasUsed, grouped by what it is (pool swap of a constituent, oracle read, token transfer, balance read),
// and the caller's own execution (storage, maths, events, memory, the CALL opcodes themselves) as the remainder.
import { getAddress, toFunctionSelector, type Address, type Hash } from "viem";
import { aggregatorV3Abi } from "../../sdk/client/abis";
import { findFrame } from "../../sdk/client/tx";
import { rpcRequest } from "../../sdk/local/anvil";
import type { BenchEnv, BenchToken } from "./env";

interface CallFrame {
  type: string;
  from: string;
  to?: string;
  input: string;
  gasUsed: string;
  calls?: CallFrame[];
}

export interface GasBreakdown {
  /** {gas} receipt.gasUsed: the whole transaction. */
  total: number;
  /** {gas} Intrinsic: 21,000 + calldata (EIP-2028). */
  intrinsic: number;
  /** {gas} Per constituent: its pool swap frames (each includes the pool's transfer out and the callback paying it). */
  legs: { symbol: string; gas: number }[];
  /** {gas} Chainlink latestRoundData reads (and other feed calls). */
  oracle: number;
  /** {gas} balanceOf reads made by the vault itself. */
  balanceReads: number;
  /** {gas} Token transfers made by the vault outside swap callbacks (USDT in, fees, payouts). */
  transfers: number;
  /** {gas} Calls not in a category above. */
  otherCalls: number;
  /** {gas} The caller's own execution (storage, maths, events, memory, CALL opcodes incl. cold-account access):
   *  top frame gasUsed − intrinsic − every categorised call (storage refunds are netted here). */
  vaultExecution: number;
}

const SELECTOR_BALANCE_OF = "0x70a08231";
const SELECTORS_TRANSFER = new Set(["0xa9059cbb", "0x23b872dd"]); // transfer, transferFrom
/** Chainlink AggregatorV3 reads (latestRoundData, decimals, …), from the client's ABI. */
const SELECTORS_FEED = new Set<string>(aggregatorV3Abi.map((f) => toFunctionSelector(f as Parameters<typeof toFunctionSelector>[0])));

/** {gas} 21,000 + 4 per zero and 16 per non-zero calldata byte. */
export function intrinsicGas(input: string): number {
  let gas = 21_000;
  for (let i = 2; i < input.length; i += 2) gas += input.slice(i, i + 2) === "00" ? 4 : 16;
  return gas;
}

/**
 * {gas} Per function selector, the execution gas of the first frame (depth first) into `to` whose input starts with it,
 * subcalls included, before refunds (callTracer's gasUsed); 0 when no such frame. Used to split the keeper's
 * settle-and-claim multicall into its settlement and its claims.
 */
export async function framesGasBySelector(env: BenchEnv, hash: Hash, to: Address, selectors: readonly `0x${string}`[]): Promise<number[]> {
  const root = await traceTransaction(env, hash);
  const target = to.toLowerCase();
  return selectors.map((sel) => {
    const f = findFrame(root, (c) => c.to?.toLowerCase() === target && c.input.toLowerCase().startsWith(sel.toLowerCase()));
    return f === undefined ? 0 : Number(BigInt(f.gasUsed));
  });
}

async function traceTransaction(env: BenchEnv, hash: Hash): Promise<CallFrame> {
  return rpcRequest<CallFrame>(env.publicClient.transport.url ?? "", "debug_traceTransaction", [hash, { tracer: "callTracer" }]);
}

/** Gas breakdown of a vault (or router) transaction, attributing pool swaps to `tokens` by their pools. */
export async function gasBreakdown(env: BenchEnv, hash: Hash, total: bigint, tokens: readonly BenchToken[]): Promise<GasBreakdown> {
  const top = await traceTransaction(env, hash);
  const feeds = new Set<Address>([getAddress(env.market.usdtFeed), ...tokens.map((t) => getAddress(t.feed))]);
  const poolOwner = new Map<Address, string>();
  for (const t of tokens) for (const p of t.pools) poolOwner.set(getAddress(p), t.symbol);
  const legGas = new Map<string, number>();
  let oracle = 0;
  let balanceReads = 0;
  let transfers = 0;
  let otherCalls = 0;
  // DELEGATECALL frames (clone -> implementation, router multicall -> itself) are transparent: their own execution
  // stays in vaultExecution and their children are categorised.
  const walk = (frame: CallFrame): void => {
    for (const c of frame.calls ?? []) {
      if (c.type === "DELEGATECALL") {
        walk(c);
        continue;
      }
      const gas = Number(BigInt(c.gasUsed));
      const to = c.to === undefined ? undefined : getAddress(c.to);
      const selector = c.input.slice(0, 10);
      const leg = to === undefined ? undefined : poolOwner.get(to);
      if (leg !== undefined) legGas.set(leg, (legGas.get(leg) ?? 0) + gas);
      else if ((to !== undefined && feeds.has(to)) || SELECTORS_FEED.has(selector)) oracle += gas;
      else if (selector === SELECTOR_BALANCE_OF) balanceReads += gas;
      else if (SELECTORS_TRANSFER.has(selector)) transfers += gas;
      else otherCalls += gas;
    }
  };
  walk(top);
  // The tracer's top frame reports the whole transaction's gas: split off the intrinsic part (EIP-2028 calldata).
  const tx = await env.publicClient.getTransaction({ hash });
  const intrinsic = intrinsicGas(tx.input);
  const topGas = Number(BigInt(top.gasUsed)) - intrinsic;
  const legsTotal = [...legGas.values()].reduce((a, b) => a + b, 0);
  return {
    total: Number(total),
    intrinsic,
    legs: tokens.map((t) => ({ symbol: t.symbol, gas: legGas.get(t.symbol) ?? 0 })),
    oracle,
    balanceReads,
    transfers,
    otherCalls,
    vaultExecution: topGas - legsTotal - oracle - balanceReads - transfers - otherCalls,
  };
}
