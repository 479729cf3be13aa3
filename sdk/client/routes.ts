// Uniswap V3 routes: the packed path a swap router or QuoterV2 takes. A vault stores each constituent's BUY route
// (USDT first, the constituent last, one fee tier per hop); selling goes along its reverse. Imports only viem
// (ts-node loads it as CommonJS for the deploy scripts).
import { encodePacked, type Address, type Hex } from "viem";

/** A route: tokens[0] → … → tokens[last]; fees[i] is the fee tier {hundredths of a bip} of the pool joining tokens[i], tokens[i+1]. */
export interface Route {
  readonly tokens: readonly Address[];
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

/** The same pools walked the other way (a buy route's sell route, or exactOutput's tokenOut-first path). */
export function reverseRoute(route: Route): Route {
  return { tokens: [...route.tokens].reverse(), fees: [...route.fees].reverse() };
}

/** A constituent's route for `side`: its buy route, or the reverse to sell. */
export function routeForSide(buyRoute: Route, side: "buy" | "sell"): Route {
  return side === "buy" ? buyRoute : reverseRoute(buyRoute);
}
