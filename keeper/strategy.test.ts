import { describe, expect, it } from "vitest";
import { REASONS, decide, planTrades, priceImpactBps } from "./strategy";
import {
  PARAMS,
  USDT,
  VAULT,
  WBTC,
  WETH,
  market,
  quotesFor,
  vaultState,
} from "./testing/fixtures";
import type { VaultState } from "./types";

const E18 = 10n ** 18n;
const GWEI = 10n ** 9n;

/** Decide in two passes like the loop: plan without quotes, then with quotes at `impactBps`. */
function decideQuoted(state: VaultState, impactBps: number, overrides = {}) {
  const first = decide(state, market(overrides), PARAMS);
  expect(first.reason).toBe(REASONS.QUOTES_REQUIRED);
  if (first.plan === undefined) throw new Error("plan expected");
  return decide(state, market({ ...overrides, quotes: quotesFor(first.plan, impactBps) }), PARAMS);
}

describe("planTrades", () => {
  it("test_planTrades_sellsOverweightExcessAndBuysUnderweightShortfall", () => {
    const plan = planTrades(vaultState(560_000n));
    expect(plan.turnoverD18).toBe(60_000n * E18);
    expect(plan.turnoverBps).toBe(600);
    expect(plan.trades).toEqual([
      {
        token: WETH,
        side: "sell",
        valueD18: 60_000n * E18,
        tokenIn: WETH,
        tokenOut: USDT,
        amountIn: 30n * E18, // $60,000 / $2,000
        oracleAmountOut: 60_000n * 10n ** 6n,
      },
      {
        token: WBTC,
        side: "buy",
        valueD18: 60_000n * E18,
        tokenIn: USDT,
        tokenOut: WBTC,
        amountIn: 60_000n * 10n ** 6n,
        oracleAmountOut: 12n * 10n ** 7n, // 1.2 WBTC
      },
    ]);
  });

  it("test_planTrades_idleAssetFundsBuysAndCountsInTurnover", () => {
    const base = vaultState(450_000n); // WETH 450k, WBTC 550k
    // Add $100k idle USDT: NAV 1.1M, targets 550k each → buy 100k WETH, WBTC exact.
    const state: VaultState = {
      ...base,
      asset: { ...base.asset, balance: 100_000n * 10n ** 6n },
    };
    const plan = planTrades(state);
    expect(plan.trades).toHaveLength(1);
    expect(plan.trades[0]).toMatchObject({ token: WETH, side: "buy", valueD18: 100_000n * E18 });
    // (|cash 100k| + |WETH −100k| + |WBTC 0|) / 2
    expect(plan.turnoverD18).toBe(100_000n * E18);
  });

  it("test_planTrades_leavesOutDustLegs", () => {
    const plan = planTrades(vaultState(500_010n), 100n * E18);
    expect(plan.trades).toHaveLength(0);
    expect(plan.turnoverD18).toBe(10n * E18);
  });

  it("test_planTrades_balancedVaultPlansNothing", () => {
    const plan = planTrades(vaultState(500_000n));
    expect(plan.trades).toEqual([]);
    expect(plan.turnoverD18).toBe(0n);
  });
});

describe("priceImpactBps", () => {
  it("test_priceImpactBps_positiveWhenWorseNegativeWhenBetter", () => {
    const [sell] = planTrades(vaultState(560_000n)).trades;
    if (sell === undefined) throw new Error("leg expected");
    const worse = { ...sell, amountOut: (sell.oracleAmountOut * 9_950n) / 10_000n };
    const better = { ...sell, amountOut: (sell.oracleAmountOut * 10_010n) / 10_000n };
    expect(priceImpactBps(sell, worse)).toBe(50);
    expect(priceImpactBps(sell, better)).toBe(-10);
  });
});

describe("decide", () => {
  it("test_decide_belowThresholdDoesNothing", () => {
    const d = decide(vaultState(520_000n), market(), PARAMS);
    expect(d).toMatchObject({ vault: VAULT, action: "none", reason: REASONS.BELOW_THRESHOLD, thresholdBps: 300 });
    expect(d.message).toContain("200 bps below threshold 300 bps");
  });

  it("test_decide_keeperThresholdOverrideRaisesButNeverLowersTheVaultThreshold", () => {
    const state = vaultState(560_000n); // 600 bps, vault threshold 300
    expect(decide(state, market(), { ...PARAMS, thresholdBps: 700 }).reason).toBe(REASONS.BELOW_THRESHOLD);
    const low = decide(vaultState(520_000n), market(), { ...PARAMS, thresholdBps: 100 });
    expect(low).toMatchObject({ reason: REASONS.BELOW_THRESHOLD, thresholdBps: 300 });
  });

  it("test_decide_refusesWithoutAnyThreshold", () => {
    const d = decide(vaultState(560_000n, { thresholdBps: 0 }), market(), PARAMS);
    expect(d).toMatchObject({ action: "none", reason: REASONS.NO_THRESHOLD });
    expect(decide(vaultState(560_000n, { thresholdBps: 0 }), market(), { ...PARAMS, thresholdBps: 500 }).reason).toBe(
      REASONS.QUOTES_REQUIRED,
    );
  });

  it("test_decide_sumDriftThresholdAlsoTriggers", () => {
    const state = vaultState(520_000n); // max 200, sum 400
    const d = decide(state, market(), { ...PARAMS, sumDriftThresholdBps: 400 });
    expect(d.reason).toBe(REASONS.QUOTES_REQUIRED);
  });

  it("test_decide_crossedAsksForQuotesOfThePlan", () => {
    const d = decide(vaultState(560_000n), market(), PARAMS);
    expect(d.action).toBe("none");
    expect(d.reason).toBe(REASONS.QUOTES_REQUIRED);
    expect(d.plan?.trades).toHaveLength(2);
  });

  it("test_decide_crossedAndWorthItRebalances", () => {
    // turnover $60k × 1% = $600 benefit; gas 20 gwei × 1M × $2000 = $40; impact 30 bps × 2 × $60k = $360.
    const d = decideQuoted(vaultState(560_000n), 30);
    expect(d.action).toBe("rebalance");
    expect(d.reason).toBe(REASONS.BENEFIT_EXCEEDS_COST);
    expect(d.economics).toEqual({
      benefitD18: 600n * E18,
      gasCostD18: 40n * E18,
      impactCostD18: 360n * E18,
      totalCostD18: 400n * E18,
      maxImpactBps: 30,
    });
    expect(d.message).toContain("benefit $600.00 vs cost $400.00");
  });

  it("test_decide_crossedButNotWorthTheGasAndImpact", () => {
    // 400 bps drift: benefit $400; impact 80 bps × 2 × $40k = $640 + gas $40 → cost $680.
    const d = decideQuoted(vaultState(540_000n), 80);
    expect(d).toMatchObject({ action: "none", reason: REASONS.NOT_WORTH_IT });
    expect(d.economics?.totalCostD18).toBe(680n * E18);
  });

  it("test_decide_crossedButGasAloneExceedsBenefit", () => {
    // 400 bps: benefit $400; 45 gwei × 5M gas × $2000 = $450.
    const d = decideQuoted(vaultState(540_000n), 0, { gasPriceWei: 45n * GWEI, gasEstimate: 5_000_000n });
    expect(d.reason).toBe(REASONS.NOT_WORTH_IT);
    expect(d.economics?.gasCostD18).toBe(450n * E18);
  });

  it("test_decide_benefitCostRatioIsApplied", () => {
    // Benefit $600, cost $400: ratio 1.5 passes 1.4× but not 1.5× (benefit must exceed).
    const state = vaultState(560_000n);
    const plan = decide(state, market(), PARAMS).plan;
    if (plan === undefined) throw new Error("plan expected");
    const m = market({ quotes: quotesFor(plan, 30) });
    expect(decide(state, m, { ...PARAMS, minBenefitCostRatioBps: 14_000 }).action).toBe("rebalance");
    expect(decide(state, m, { ...PARAMS, minBenefitCostRatioBps: 15_000 }).reason).toBe(REASONS.NOT_WORTH_IT);
  });

  it("test_decide_favourableQuotesAreNotCountedAsGain", () => {
    const d = decideQuoted(vaultState(560_000n), -50);
    expect(d.economics?.impactCostD18).toBe(0n);
    expect(d.economics?.maxImpactBps).toBe(0);
  });

  it("test_decide_refusesAboveMaxPriceImpact", () => {
    const d = decideQuoted(vaultState(560_000n), 250);
    expect(d).toMatchObject({ action: "none", reason: REASONS.PRICE_IMPACT_TOO_HIGH });
    expect(d.economics?.maxImpactBps).toBe(250);
  });

  it("test_decide_quoteMissingForALeg", () => {
    const state = vaultState(560_000n);
    const plan = decide(state, market(), PARAMS).plan;
    if (plan === undefined) throw new Error("plan expected");
    const d = decide(state, market({ quotes: quotesFor(plan).slice(0, 1) }), PARAMS);
    expect(d.reason).toBe(REASONS.QUOTE_MISSING);
    expect(d.message).toContain(WBTC);
  });

  it("test_decide_scalesAQuoteTakenForADifferentSize", () => {
    const state = vaultState(560_000n);
    const plan = decide(state, market(), PARAMS).plan;
    if (plan === undefined) throw new Error("plan expected");
    // Same 30 bps impact, quoted for half the size.
    const quotes = quotesFor(plan, 30).map((q) => ({ ...q, amountIn: q.amountIn / 2n, amountOut: q.amountOut / 2n }));
    const d = decide(state, market({ quotes }), PARAMS);
    expect(d.economics?.maxImpactBps).toBe(30);
    expect(d.action).toBe("rebalance");
  });

  it("test_decide_stalePriceRefusesWithTheTokenAndAge", () => {
    const base = vaultState(700_000n);
    const [weth, wbtc] = base.constituents;
    if (weth === undefined || wbtc === undefined) throw new Error("fixture");
    const state: VaultState = { ...base, constituents: [weth, { ...wbtc, priceAgeSeconds: 3_601 }] };
    const d = decide(state, market(), PARAMS);
    expect(d).toMatchObject({ action: "none", reason: REASONS.STALE_PRICE, badPriceTokens: [WBTC] });
    expect(d.message).toContain("WBTC 3601s old > heartbeat 3600s");
  });

  it("test_decide_staleAssetPriceRefuses", () => {
    const base = vaultState(700_000n);
    const state: VaultState = { ...base, asset: { ...base.asset, priceAgeSeconds: 90_000 } };
    expect(decide(state, market(), PARAMS)).toMatchObject({ reason: REASONS.STALE_PRICE, badPriceTokens: [USDT] });
  });

  it("test_decide_stalePriceRefusesEvenMidRebalance", () => {
    const base = vaultState(700_000n, { rebalanceInFlight: true });
    const [weth, wbtc] = base.constituents;
    if (weth === undefined || wbtc === undefined) throw new Error("fixture");
    const state: VaultState = { ...base, constituents: [{ ...weth, priceAgeSeconds: 10_000 }, wbtc] };
    expect(decide(state, market(), PARAMS).reason).toBe(REASONS.STALE_PRICE);
  });

  it("test_decide_priceExactlyAtHeartbeatIsFresh", () => {
    const base = vaultState(520_000n);
    const state: VaultState = {
      ...base,
      constituents: base.constituents.map((c) => ({ ...c, priceAgeSeconds: c.heartbeatSeconds })),
    };
    expect(decide(state, market(), PARAMS).reason).toBe(REASONS.BELOW_THRESHOLD);
  });

  it("test_decide_zeroPriceIsInvalid", () => {
    const base = vaultState(560_000n);
    const [weth, wbtc] = base.constituents;
    if (weth === undefined || wbtc === undefined) throw new Error("fixture");
    const state: VaultState = { ...base, constituents: [{ ...weth, priceD18: 0n }, wbtc] };
    expect(decide(state, market(), PARAMS)).toMatchObject({ reason: REASONS.INVALID_PRICE, badPriceTokens: [WETH] });
    expect(decide(base, market({ ethPriceD18: 0n }), PARAMS).reason).toBe(REASONS.INVALID_PRICE);
  });

  it("test_decide_gasAboveCapWaits", () => {
    const d = decide(vaultState(560_000n), market({ gasPriceWei: 51n * GWEI }), PARAMS);
    expect(d).toMatchObject({ action: "none", reason: REASONS.GAS_ABOVE_CAP });
    expect(d.message).toBe("gas price 51 gwei above cap 50 gwei: waiting");
  });

  it("test_decide_gasExactlyAtCapProceeds", () => {
    expect(decide(vaultState(560_000n), market({ gasPriceWei: 50n * GWEI }), PARAMS).reason).toBe(
      REASONS.QUOTES_REQUIRED,
    );
  });

  it("test_decide_cooldownWaitsAndSaysHowLong", () => {
    const d = decide(vaultState(560_000n, { cooldownRemainingSeconds: 120 }), market(), PARAMS);
    expect(d).toMatchObject({ action: "none", reason: REASONS.COOLDOWN, retryAfterSeconds: 120 });
  });

  it("test_decide_continuesInFlightRebalanceBelowThresholdAndInCooldown", () => {
    const state = vaultState(510_000n, { rebalanceInFlight: true, cooldownRemainingSeconds: 600 });
    const d = decide(state, market(), PARAMS);
    expect(d).toMatchObject({ action: "rebalance", reason: REASONS.CONTINUE_IN_FLIGHT });
  });

  it("test_decide_inFlightStillWaitsForGas", () => {
    const state = vaultState(560_000n, { rebalanceInFlight: true });
    expect(decide(state, market({ gasPriceWei: 100n * GWEI }), PARAMS).reason).toBe(REASONS.GAS_ABOVE_CAP);
  });

  it("test_decide_pausedDoesNothing", () => {
    expect(decide(vaultState(700_000n, { paused: true }), market(), PARAMS).reason).toBe(REASONS.PAUSED);
  });

  it("test_decide_emptyVaultDoesNothing", () => {
    expect(decide(vaultState(700_000n, { navD18: 0n }), market(), PARAMS).reason).toBe(REASONS.EMPTY_VAULT);
  });

  it("test_decide_invalidSnapshotRefuses", () => {
    const base = vaultState(560_000n);
    const [weth, wbtc] = base.constituents;
    if (weth === undefined || wbtc === undefined) throw new Error("fixture");
    const bad: VaultState = { ...base, constituents: [weth, { ...wbtc, targetBps: 4_999 }] };
    const d = decide(bad, market(), PARAMS);
    expect(d.reason).toBe(REASONS.INVALID_SNAPSHOT);
    expect(d.message).toContain("9999");
    expect(decide({ ...base, constituents: [] }, market(), PARAMS).reason).toBe(REASONS.INVALID_SNAPSHOT);
  });

  it("test_decide_isPureAndDeterministic", () => {
    const state = Object.freeze(vaultState(560_000n));
    const m = Object.freeze(market());
    expect(decide(state, m, PARAMS)).toEqual(decide(state, m, PARAMS));
  });
});
