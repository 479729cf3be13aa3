/**
 * The keeper's decision: a PURE function of a snapshot (no I/O, no clock, no randomness).
 *
 * Given one vault's state read at one block and the market (gas price, ETH price, quotes for the
 * planned trades) it returns `{ action: "none" | "rebalance", reason, message, ... }`.
 *
 * Order of checks (the first that applies wins):
 *   1. INVALID_SNAPSHOT   targets do not sum to 10_000 bps, no constituents, bad decimals
 *   2. PAUSED             the vault is paused
 *   3. INVALID_PRICE      a zero/negative oracle price (constituent, asset or ETH)
 *   4. STALE_PRICE        a price older than its feed's heartbeat: we never act on it
 *   5. EMPTY_VAULT        NAV is zero: nothing to rebalance
 *   6. in-flight          a multi-step rebalance is in progress: continue it (CONTINUE_IN_FLIGHT),
 *                         unless gas is above the cap (GAS_ABOVE_CAP); no cost test, since stopping
 *                         half-way leaves the vault further from target than either end
 *   7. NO_THRESHOLD       neither the vault nor the config sets a drift threshold (refuse)
 *      BELOW_THRESHOLD    max drift (and sum of drift, if configured) under the threshold
 *   8. COOLDOWN           the vault's cooldown has not elapsed
 *   9. GAS_ABOVE_CAP      gas price above the configured cap: wait
 *  10. QUOTES_REQUIRED    no quotes supplied yet: the caller quotes `plan` and calls again
 *      QUOTE_MISSING      quotes supplied but one planned leg has none
 *  11. PRICE_IMPACT_TOO_HIGH  a leg's price impact exceeds the per-leg bound
 *  12. NOT_WORTH_IT / BENEFIT_EXCEEDS_COST  the cost test below
 *
 * Cost model (all in D18{USD}):
 *   benefit = turnover × trackingErrorCostBps / 10_000
 *     turnover is the value held in the wrong names (half the sum of absolute deviations from
 *     target, idle asset included), i.e. the tracking error the rebalance removes. We price
 *     leaving it in place at an assumed rate `trackingErrorCostBps`: the expected loss against the
 *     index before the next opportunity (≈ relative volatility of the misallocated names × √horizon,
 *     e.g. 100 bps). It is a parameter, not a law of nature; tune it per vault.
 *   gasCost    = gasPrice × gasEstimate × ethPrice
 *   impactCost = Σ over legs of max(0, oracle-implied out − quoted out), valued at the out token's
 *                oracle price (pool fee and price impact together; favourable quotes are not counted
 *                as gains)
 *   act when benefit × 10_000 > (gasCost + impactCost) × minBenefitCostRatioBps
 */
import type {
  Address,
  MarketState,
  PlannedTrade,
  TradePlan,
  TradeQuote,
  VaultState,
} from "./types";
import {
  BPS,
  BPS_N,
  WAD,
  absBig,
  amountFromValue,
  formatGwei,
  formatUsd,
  toBps,
  valueD18,
} from "./units";

export const REASONS = {
  INVALID_SNAPSHOT: "INVALID_SNAPSHOT",
  PAUSED: "PAUSED",
  INVALID_PRICE: "INVALID_PRICE",
  STALE_PRICE: "STALE_PRICE",
  EMPTY_VAULT: "EMPTY_VAULT",
  CONTINUE_IN_FLIGHT: "CONTINUE_IN_FLIGHT",
  NO_THRESHOLD: "NO_THRESHOLD",
  BELOW_THRESHOLD: "BELOW_THRESHOLD",
  COOLDOWN: "COOLDOWN",
  GAS_ABOVE_CAP: "GAS_ABOVE_CAP",
  QUOTES_REQUIRED: "QUOTES_REQUIRED",
  QUOTE_MISSING: "QUOTE_MISSING",
  PRICE_IMPACT_TOO_HIGH: "PRICE_IMPACT_TOO_HIGH",
  NOT_WORTH_IT: "NOT_WORTH_IT",
  BENEFIT_EXCEEDS_COST: "BENEFIT_EXCEEDS_COST",
} as const;

export type ReasonCode = (typeof REASONS)[keyof typeof REASONS];

/** Tunables of the decision, per vault. */
export interface StrategyParams {
  /**
   * {bps} keeper threshold on max drift. The effective threshold is max(this, the vault's own),
   * since the vault re-checks on-chain and would revert below its own threshold.
   */
  readonly thresholdBps?: number;
  /** {bps} optional extra trigger on the sum of drift. */
  readonly sumDriftThresholdBps?: number;
  /** {wei} gas price above which we wait. */
  readonly gasPriceCapWei: bigint;
  /** {bps} assumed cost rate of leaving misallocated value in place (see the cost model). */
  readonly trackingErrorCostBps: number;
  /** {bps} required benefit / cost ratio; 10_000 = benefit must exceed cost. */
  readonly minBenefitCostRatioBps: number;
  /** {bps} refuse when any leg's price impact (incl. pool fee) is above this. */
  readonly maxPriceImpactBps: number;
  /** D18{USD} legs smaller than this are left out of the plan (dust). */
  readonly minTradeValueD18?: bigint;
}

export interface Economics {
  /** D18{USD} */
  readonly benefitD18: bigint;
  /** D18{USD} */
  readonly gasCostD18: bigint;
  /** D18{USD} */
  readonly impactCostD18: bigint;
  /** D18{USD} gas + impact */
  readonly totalCostD18: bigint;
  /** {bps} worst leg */
  readonly maxImpactBps: number;
}

export interface Decision {
  readonly vault: Address;
  readonly action: "none" | "rebalance";
  readonly reason: ReasonCode;
  /** One human-readable sentence with the numbers behind the reason. */
  readonly message: string;
  /** The minimal trade plan, once prices are known good. */
  readonly plan?: TradePlan;
  readonly economics?: Economics;
  /** {s} when waiting on something with a known end (cooldown). */
  readonly retryAfterSeconds?: number;
  /** Tokens whose price is stale or invalid. */
  readonly badPriceTokens?: readonly Address[];
  /** {bps} threshold used. */
  readonly thresholdBps?: number;
}

/** Per-leg price impact: {bps} (oracle-implied out − quoted out) / oracle-implied out; may be < 0. */
export function priceImpactBps(trade: PlannedTrade, quote: TradeQuote): number {
  if (trade.oracleAmountOut === 0n) return 0;
  return toBps(trade.oracleAmountOut - quote.amountOut, trade.oracleAmountOut);
}

/**
 * The minimal trade plan that brings the vault to target at oracle prices: sell each overweight
 * constituent's excess for the asset, then buy each underweight constituent's shortfall with the
 * asset (idle asset has target 0 and funds buys). NAV for the plan is recomputed from balances
 * and oracle prices so the deviations sum to zero.
 */
export function planTrades(state: VaultState, minTradeValueD18 = 0n): TradePlan {
  const { asset } = state;
  const values = state.constituents.map((c) => valueD18(c.balance, c.decimals, c.priceD18));
  const assetValue = valueD18(asset.balance, asset.decimals, asset.priceD18);
  const nav = values.reduce((a, b) => a + b, assetValue);

  const sells: PlannedTrade[] = [];
  const buys: PlannedTrade[] = [];
  let absDeviationSum = assetValue;
  state.constituents.forEach((c, i) => {
    const target = (nav * BigInt(c.targetBps)) / BPS_N;
    const deviation = (values[i] ?? 0n) - target;
    absDeviationSum += absBig(deviation);
    const value = absBig(deviation);
    if (value === 0n || value < minTradeValueD18) return;
    if (deviation > 0n) {
      sells.push({
        token: c.token,
        side: "sell",
        valueD18: value,
        tokenIn: c.token,
        tokenOut: asset.token,
        amountIn: amountFromValue(value, c.decimals, c.priceD18),
        oracleAmountOut: amountFromValue(value, asset.decimals, asset.priceD18),
      });
    } else {
      buys.push({
        token: c.token,
        side: "buy",
        valueD18: value,
        tokenIn: asset.token,
        tokenOut: c.token,
        amountIn: amountFromValue(value, asset.decimals, asset.priceD18),
        oracleAmountOut: amountFromValue(value, c.decimals, c.priceD18),
      });
    }
  });
  const turnoverD18 = absDeviationSum / 2n;
  return { trades: [...sells, ...buys], turnoverD18, turnoverBps: toBps(turnoverD18, nav) };
}

function none(
  state: VaultState,
  reason: ReasonCode,
  message: string,
  extra: Partial<Decision> = {},
): Decision {
  return { vault: state.vault, action: "none", reason, message, ...extra };
}

function validateSnapshot(state: VaultState): string | undefined {
  if (state.constituents.length === 0) return "vault has no constituents";
  let sum = 0;
  for (const c of state.constituents) {
    if (!Number.isInteger(c.targetBps) || c.targetBps < 0 || c.targetBps > BPS) {
      return `target of ${c.token} is not an integer bps in [0, 10000]: ${c.targetBps}`;
    }
    if (!Number.isInteger(c.decimals) || c.decimals < 0 || c.decimals > 36) {
      return `decimals of ${c.token} out of range: ${c.decimals}`;
    }
    if (c.balance < 0n) return `negative balance for ${c.token}`;
    sum += c.targetBps;
  }
  if (sum !== BPS) return `targets sum to ${sum} bps, not 10000`;
  if (!Number.isInteger(state.asset.decimals) || state.asset.decimals < 0 || state.asset.decimals > 36) {
    return `asset decimals out of range: ${state.asset.decimals}`;
  }
  return undefined;
}

/** Cost and impact of executing `plan` given `quotes`; undefined legs are reported by token. */
export function evaluateCosts(
  state: VaultState,
  plan: TradePlan,
  market: MarketState & { quotes: readonly TradeQuote[] },
  trackingErrorCostBps: number,
): { economics: Economics; missing: Address[] } {
  const priceOf = new Map<string, { priceD18: bigint; decimals: number }>();
  priceOf.set(state.asset.token.toLowerCase(), state.asset);
  for (const c of state.constituents) priceOf.set(c.token.toLowerCase(), c);

  const missing: Address[] = [];
  let impactCostD18 = 0n;
  let maxImpactBps = 0;
  for (const trade of plan.trades) {
    const quote = market.quotes.find(
      (q) =>
        q.tokenIn.toLowerCase() === trade.tokenIn.toLowerCase() &&
        q.tokenOut.toLowerCase() === trade.tokenOut.toLowerCase(),
    );
    if (quote === undefined) {
      missing.push(trade.token);
      continue;
    }
    // Scale the quote to the planned amount when it was taken for a different size.
    const quotedOut =
      quote.amountIn === trade.amountIn || quote.amountIn === 0n
        ? quote.amountOut
        : (quote.amountOut * trade.amountIn) / quote.amountIn;
    const shortfall = trade.oracleAmountOut - quotedOut;
    const impact = toBps(shortfall, trade.oracleAmountOut);
    if (impact > maxImpactBps) maxImpactBps = impact;
    const out = priceOf.get(trade.tokenOut.toLowerCase());
    if (shortfall > 0n && out !== undefined) {
      impactCostD18 += valueD18(shortfall, out.decimals, out.priceD18);
    }
  }
  const gasCostD18 = (market.gasPriceWei * market.gasEstimate * market.ethPriceD18) / WAD;
  const benefitD18 = (plan.turnoverD18 * BigInt(trackingErrorCostBps)) / BPS_N;
  return {
    economics: {
      benefitD18,
      gasCostD18,
      impactCostD18,
      totalCostD18: gasCostD18 + impactCostD18,
      maxImpactBps,
    },
    missing,
  };
}

/** Decide what to do with one vault. Pure: same inputs, same decision. */
export function decide(state: VaultState, market: MarketState, params: StrategyParams): Decision {
  const invalid = validateSnapshot(state);
  if (invalid !== undefined) {
    return none(state, REASONS.INVALID_SNAPSHOT, `refusing: invalid snapshot (${invalid})`);
  }
  if (state.paused) return none(state, REASONS.PAUSED, "vault is paused");

  const priced = [state.asset, ...state.constituents];
  const badPrice = priced.filter((p) => p.priceD18 <= 0n).map((p) => p.token);
  if (badPrice.length > 0 || market.ethPriceD18 <= 0n) {
    return none(
      state,
      REASONS.INVALID_PRICE,
      `refusing: non-positive price for ${badPrice.length > 0 ? badPrice.join(", ") : "ETH/USD"}`,
      { badPriceTokens: badPrice },
    );
  }
  const stale = priced.filter((p) => p.priceAgeSeconds > p.heartbeatSeconds);
  if (stale.length > 0) {
    const detail = stale
      .map((p) => `${p.symbol ?? p.token} ${p.priceAgeSeconds}s old > heartbeat ${p.heartbeatSeconds}s`)
      .join("; ");
    return none(state, REASONS.STALE_PRICE, `refusing: stale price (${detail})`, {
      badPriceTokens: stale.map((p) => p.token),
    });
  }
  if (state.navD18 === 0n) return none(state, REASONS.EMPTY_VAULT, "vault NAV is zero");

  const gasAboveCap = market.gasPriceWei > params.gasPriceCapWei;
  const gasMessage = `gas price ${formatGwei(market.gasPriceWei)} gwei above cap ${formatGwei(params.gasPriceCapWei)} gwei: waiting`;
  const plan = planTrades(state, params.minTradeValueD18 ?? 0n);

  if (state.rebalanceInFlight) {
    if (gasAboveCap) return none(state, REASONS.GAS_ABOVE_CAP, gasMessage, { plan });
    return {
      vault: state.vault,
      action: "rebalance",
      reason: REASONS.CONTINUE_IN_FLIGHT,
      message: "continuing the multi-step rebalance in progress",
      plan,
    };
  }

  const thresholdBps = Math.max(state.thresholdBps, params.thresholdBps ?? 0);
  if (thresholdBps <= 0) {
    return none(state, REASONS.NO_THRESHOLD, "refusing: no drift threshold (the vault reports none and none is configured)");
  }
  const maxCrossed = state.maxDriftBps >= thresholdBps;
  const sumCrossed =
    params.sumDriftThresholdBps !== undefined && state.sumDriftBps >= params.sumDriftThresholdBps;
  if (!maxCrossed && !sumCrossed) {
    return none(
      state,
      REASONS.BELOW_THRESHOLD,
      `max drift ${state.maxDriftBps} bps below threshold ${thresholdBps} bps`,
      { thresholdBps },
    );
  }
  if (state.cooldownRemainingSeconds > 0) {
    return none(
      state,
      REASONS.COOLDOWN,
      `drift ${state.maxDriftBps} bps crossed threshold but cooldown has ${state.cooldownRemainingSeconds}s left`,
      { retryAfterSeconds: state.cooldownRemainingSeconds, thresholdBps },
    );
  }
  if (gasAboveCap) return none(state, REASONS.GAS_ABOVE_CAP, gasMessage, { plan, thresholdBps });

  if (market.quotes === undefined) {
    return none(
      state,
      REASONS.QUOTES_REQUIRED,
      `drift ${state.maxDriftBps} bps ≥ ${thresholdBps} bps: quote ${plan.trades.length} legs`,
      { plan, thresholdBps },
    );
  }
  const { economics, missing } = evaluateCosts(
    state,
    plan,
    { ...market, quotes: market.quotes },
    params.trackingErrorCostBps,
  );
  if (missing.length > 0) {
    return none(state, REASONS.QUOTE_MISSING, `no quote for ${missing.join(", ")}`, {
      plan,
      economics,
      thresholdBps,
    });
  }
  if (economics.maxImpactBps > params.maxPriceImpactBps) {
    return none(
      state,
      REASONS.PRICE_IMPACT_TOO_HIGH,
      `price impact ${economics.maxImpactBps} bps above bound ${params.maxPriceImpactBps} bps`,
      { plan, economics, thresholdBps },
    );
  }
  const summary =
    `benefit ${formatUsd(economics.benefitD18)} vs cost ${formatUsd(economics.totalCostD18)} ` +
    `(gas ${formatUsd(economics.gasCostD18)}, impact ${formatUsd(economics.impactCostD18)}), ` +
    `turnover ${formatUsd(plan.turnoverD18)}`;
  const worthIt =
    economics.benefitD18 * BPS_N > economics.totalCostD18 * BigInt(params.minBenefitCostRatioBps);
  if (!worthIt) {
    return none(state, REASONS.NOT_WORTH_IT, `not worth it: ${summary}`, {
      plan,
      economics,
      thresholdBps,
    });
  }
  return {
    vault: state.vault,
    action: "rebalance",
    reason: REASONS.BENEFIT_EXCEEDS_COST,
    message: `rebalance: ${summary}`,
    plan,
    economics,
    thresholdBps,
  };
}
