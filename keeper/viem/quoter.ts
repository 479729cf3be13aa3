/**
 * Quotes for the planned trades through Uniswap's QuoterV2, along the vault's own routes (the
 * same pools the vault will swap in), so quoted output ≈ executed output.
 */
import { encodePacked, type Address, type Hex, type PublicClient } from "viem";
import { quoterV2Abi } from "../../sdk/generated/abis.js";
import type { PlannedTrade, TradePlan, TradeQuote } from "../types.js";
import { RpcUnavailableError } from "../chain.js";
import { guardRpc } from "./errors.js";

/** A buy route: tokens[0] = the vault's asset, tokens[last] = the constituent; fees[i] joins tokens[i], tokens[i+1]. */
export interface Route {
  readonly tokens: readonly Address[];
  /** {hundredths of a bp} Uniswap V3 fee tier of each hop. */
  readonly fees: readonly number[];
}

/** Uniswap V3 packed path: token (20 bytes) | fee (3 bytes) | token | … */
export function encodePath(route: Route): Hex {
  if (route.tokens.length < 2 || route.fees.length !== route.tokens.length - 1) {
    throw new Error(`malformed route: ${route.tokens.length} tokens, ${route.fees.length} fees`);
  }
  const types: ("address" | "uint24")[] = [];
  const values: (Address | number)[] = [];
  route.tokens.forEach((token, i) => {
    types.push("address");
    values.push(token);
    const fee = route.fees[i];
    if (fee !== undefined) {
      types.push("uint24");
      values.push(fee);
    }
  });
  return encodePacked(types, values);
}

export function reverseRoute(route: Route): Route {
  return { tokens: [...route.tokens].reverse(), fees: [...route.fees].reverse() };
}

/** The route a planned leg trades along: the buy route, or its reverse for a sell. */
export function routeFor(trade: PlannedTrade, buyRoutes: ReadonlyMap<string, Route>): Route {
  const route = buyRoutes.get(trade.token.toLowerCase());
  if (route === undefined) throw new Error(`no route for ${trade.token}`);
  return trade.side === "buy" ? route : reverseRoute(route);
}

export interface QuoteResult {
  /** {tok out} */
  readonly amountOut: bigint;
  readonly gasEstimate: bigint;
}

/** QuoterV2.quoteExactInput as an eth_call (the quoter is not a view: it reverts internally). */
export async function quoteExactInput(
  client: PublicClient,
  quoter: Address,
  route: Route,
  amountIn: bigint,
  blockNumber?: bigint,
): Promise<QuoteResult> {
  const { result } = await guardRpc(`quote ${route.tokens[0]}→${route.tokens[route.tokens.length - 1]}`, () =>
    client.simulateContract({
      address: quoter,
      abi: quoterV2Abi,
      functionName: "quoteExactInput",
      args: [encodePath(route), amountIn],
      ...(blockNumber !== undefined && { blockNumber }),
    }),
  );
  const [amountOut, , , gasEstimate] = result;
  return { amountOut, gasEstimate };
}

/**
 * Quotes for every leg of `plan` (legs with a zero input are quoted as zero output). A leg the
 * quoter cannot price (it reverts, e.g. not enough liquidity) is left out, so the strategy answers
 * QUOTE_MISSING for it; transport failures still throw RpcUnavailableError.
 */
export async function quotePlan(
  client: PublicClient,
  quoter: Address,
  plan: TradePlan,
  buyRoutes: ReadonlyMap<string, Route>,
  blockNumber?: bigint,
): Promise<TradeQuote[]> {
  const quotes = await Promise.all(
    plan.trades.map(async (trade): Promise<TradeQuote | undefined> => {
      const base = { tokenIn: trade.tokenIn, tokenOut: trade.tokenOut, amountIn: trade.amountIn };
      if (trade.amountIn === 0n) return { ...base, amountOut: 0n };
      try {
        const q = await quoteExactInput(client, quoter, routeFor(trade, buyRoutes), trade.amountIn, blockNumber);
        return { ...base, amountOut: q.amountOut, gasEstimate: q.gasEstimate };
      } catch (e) {
        if (e instanceof RpcUnavailableError) throw e;
        return undefined;
      }
    }),
  );
  return quotes.filter((q): q is TradeQuote => q !== undefined);
}
