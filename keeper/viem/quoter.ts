/**
 * Quotes for the planned trades through Uniswap's QuoterV2, along the vault's own routes (the
 * same pools the vault will swap in), so quoted output ≈ executed output.
 */
import type { Address, PublicClient } from "viem";
import { quoteExactInput as clientQuote, type QuoteResult } from "../../sdk/client/quotes";
import { reverseRoute, type Route } from "../../sdk/client/routes";
import type { PlannedTrade, TradePlan, TradeQuote } from "../types.js";
import { RpcUnavailableError } from "../chain.js";
import { guardRpc } from "./errors.js";

export type { Route };

/** QuoterV2.quoteExactInput along `route` (the client's), transport failures as RpcUnavailableError. */
export async function quoteExactInput(client: PublicClient, quoter: Address, route: Route, amountIn: bigint, blockNumber?: bigint): Promise<QuoteResult> {
  return guardRpc(`quote ${route.tokens[0]}→${route.tokens[route.tokens.length - 1]}`, () => clientQuote(client, quoter, route, amountIn, blockNumber));
}

/** The route a planned leg trades along: the buy route, or its reverse for a sell. */
export function routeFor(trade: PlannedTrade, buyRoutes: ReadonlyMap<string, Route>): Route {
  const route = buyRoutes.get(trade.token.toLowerCase());
  if (route === undefined) throw new Error(`no route for ${trade.token}`);
  return trade.side === "buy" ? route : reverseRoute(route);
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
