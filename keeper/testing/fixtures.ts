/**
 * Test fixtures (used by *.test.ts only): a two-constituent vault (WETH/WBTC 50/50, USDT asset)
 * and helpers to quote its plan at a chosen price impact.
 */
import type { StrategyParams } from "../strategy";
import type { Address, MarketState, TradePlan, TradeQuote, VaultState } from "../types";

export const VAULT: Address = "0x00000000000000000000000000000000000000a1";
export const WETH: Address = "0x00000000000000000000000000000000000000e1";
export const WBTC: Address = "0x00000000000000000000000000000000000000b1";
export const USDT: Address = "0x00000000000000000000000000000000000000d1";

const E18 = 10n ** 18n;

/** D18{USD/tok} */
export const WETH_PRICE = 2_000n * E18;
export const WBTC_PRICE = 50_000n * E18;

/**
 * A vault worth $1,000,000 (prices chosen so every balance is exact) with `wethUsd` in WETH and the rest in WBTC (targets 50/50), no idle
 * USDT. Drift numbers are derived from the balances.
 */
export function vaultState(wethUsd = 560_000n, overrides: Partial<VaultState> = {}): VaultState {
  const wbtcUsd = 1_000_000n - wethUsd;
  const wethBal = (wethUsd * E18) / 2_000n;
  const wbtcBal = (wbtcUsd * 10n ** 8n) / 50_000n;
  const driftBps = Number(((wethUsd > 500_000n ? wethUsd - 500_000n : 500_000n - wethUsd) * 10_000n) / 1_000_000n);
  return {
    vault: VAULT,
    asset: {
      token: USDT,
      symbol: "USDT",
      balance: 0n,
      decimals: 6,
      priceD18: E18,
      priceAgeSeconds: 60,
      heartbeatSeconds: 86_400,
    },
    constituents: [
      {
        token: WETH,
        symbol: "WETH",
        balance: wethBal,
        decimals: 18,
        priceD18: WETH_PRICE,
        priceAgeSeconds: 100,
        heartbeatSeconds: 3_600,
        targetBps: 5_000,
      },
      {
        token: WBTC,
        symbol: "WBTC",
        balance: wbtcBal,
        decimals: 8,
        priceD18: WBTC_PRICE,
        priceAgeSeconds: 100,
        heartbeatSeconds: 3_600,
        targetBps: 5_000,
      },
    ],
    navD18: 1_000_000n * E18,
    maxDriftBps: driftBps,
    sumDriftBps: 2 * driftBps,
    thresholdBps: 300,
    cooldownRemainingSeconds: 0,
    rebalanceInFlight: false,
    paused: false,
    blockTimestamp: 1_700_000_000,
    blockNumber: 100n,
    ...overrides,
  };
}

export const PARAMS: StrategyParams = {
  gasPriceCapWei: 50n * 10n ** 9n,
  trackingErrorCostBps: 100,
  minBenefitCostRatioBps: 10_000,
  maxPriceImpactBps: 200,
};

export function market(overrides: Partial<MarketState> = {}): MarketState {
  return {
    gasPriceWei: 20n * 10n ** 9n,
    gasEstimate: 1_000_000n,
    ethPriceD18: WETH_PRICE,
    ...overrides,
  };
}

/** Quotes for every leg of `plan`, each `impactBps` worse than the oracle. */
export function quotesFor(plan: TradePlan, impactBps = 30): TradeQuote[] {
  return plan.trades.map((t) => ({
    tokenIn: t.tokenIn,
    tokenOut: t.tokenOut,
    amountIn: t.amountIn,
    amountOut: (t.oracleAmountOut * BigInt(10_000 - impactBps)) / 10_000n,
  }));
}
