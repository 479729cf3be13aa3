// The web app's quote logic and vault states: pure functions over the vault client's types.
import { describe, expect, it } from "vitest";
import type { Leg } from "./client";
import { approvalNeeded, costBps, deadlineAfter, depositBlocker, parseSlippage, planDeposit, planRedeem, rebalanceSummary, sharesValue, splitInKind, usdtPathClosed, vaultState } from "./quote";

const open = { priceError: undefined, rebalancing: false, paused: { deposit: false, depositInKind: false, redeem: false } };
const leg = (impactBps: number, valueOut: bigint): Leg => ({
  symbol: "X",
  token: "0x0000000000000000000000000000000000000001",
  decimals: 18,
  amountIn: 0n,
  amountOut: 0n,
  valueIn: 0n,
  valueOut,
  impactBps,
  fees: [3000],
});

describe("vault state", () => {
  it("test_vaultState_ordersPriceInvalidOverRebalancingOverPaused", () => {
    expect(vaultState(open)).toBe("open");
    expect(vaultState({ ...open, paused: { ...open.paused, redeem: true } })).toBe("paused");
    expect(vaultState({ ...open, rebalancing: true, paused: { ...open.paused, redeem: true } })).toBe("rebalancing");
    expect(vaultState({ ...open, rebalancing: true, priceError: "feed stale" })).toBe("price invalid");
    // An in-kind-deposit pause alone leaves both USDT paths open.
    expect(vaultState({ ...open, paused: { ...open.paused, depositInKind: true } })).toBe("open");
  });

  it("test_usdtPathClosed_saysWhyPerPath", () => {
    expect(usdtPathClosed(open, "deposit")).toBeUndefined();
    const redeemPaused = { ...open, paused: { ...open.paused, redeem: true } };
    expect(usdtPathClosed(redeemPaused, "redeem")).toBe("USDT redemptions are paused by the vault's guardian.");
    expect(usdtPathClosed(redeemPaused, "deposit")).toBeUndefined();
    expect(usdtPathClosed({ ...open, rebalancing: true }, "redeem")).toMatch(/rebalance is in progress: USDT redemptions wait/);
    expect(usdtPathClosed({ ...open, priceError: "Chainlink feed 0xabc is stale." }, "deposit")).toBe(
      "Prices cannot be trusted right now (Chainlink feed 0xabc is stale), so USDT deposits wait for a fresh price.",
    );
  });
});

describe("deposit and redeem bounds", () => {
  it("test_planDeposit_appliesSlippageButNeverBelowTheVaultFloor", () => {
    const quote = { expectedShares: 1_000_000n, previewShares: 900_000n, legs: [leg(31.5, 400n), leg(125.25, 590n)] };
    const plan = planDeposit(quote, 50); // 0.5 %
    expect(plan.minShares).toBe(995_000n);
    expect(plan.worstImpactBps).toBe(125.25);
    expect(plan.expectedValue).toBe(990n);
    // A tolerance wider than the vault's own floor: the floor wins.
    expect(planDeposit(quote, 2_000).minShares).toBe(900_000n);
  });

  it("test_planRedeem_appliesSlippageButNeverBelowTheVaultFloor", () => {
    expect(planRedeem({ expectedAssets: 10_000_000n, previewAssets: 9_000_000n }, 100)).toBe(9_900_000n);
    expect(planRedeem({ expectedAssets: 10_000_000n, previewAssets: 9_950_000n }, 100)).toBe(9_950_000n);
  });

  it("test_parseSlippage_acceptsPercentRejectsNonsense", () => {
    expect(parseSlippage("0.5")).toBe(50);
    expect(parseSlippage("1")).toBe(100);
    expect(parseSlippage("0.01")).toBe(1);
    for (const bad of ["", "0", "-1", "abc", "51"]) expect(() => parseSlippage(bad)).toThrow(/Slippage tolerance/);
  });

  it("test_deadlineAfter_addsMinutes", () => {
    expect(deadlineAfter(1_000n, 20)).toBe(2_200n);
    expect(deadlineAfter(1_000n, 0.5)).toBe(1_030n);
  });

  it("test_depositBlocker_amountThenBalance", () => {
    expect(depositBlocker({ assets: 0n, balance: 5n })).toBe("Enter an amount.");
    expect(depositBlocker({ assets: 2_000_000_000n, balance: 1_234_560_000n })).toBe("Your balance is too low: you hold 1,234.56 USDT and the deposit needs 2,000 USDT.");
    expect(depositBlocker({ assets: 10_000_000n, balance: 10_000_000n })).toBeUndefined();
  });

  it("test_approvalNeeded_exactAmountAndUsdtReset", () => {
    expect(approvalNeeded(0n, 100n)).toEqual({ needed: true, resetFirst: false });
    expect(approvalNeeded(50n, 100n)).toEqual({ needed: true, resetFirst: true });
    expect(approvalNeeded(100n, 100n)).toEqual({ needed: false, resetFirst: false });
  });
});

describe("receipts", () => {
  it("test_costBps_roundsUpAndKeepsSign", () => {
    expect(costBps(1_000_000_000n, 995_000_000n)).toBe(50);
    expect(costBps(1_000_000_000n, 994_999_999n)).toBe(51);
    expect(costBps(1_000_000_000n, 1_001_000_000n)).toBe(-10);
    expect(costBps(0n, 5n)).toBe(0);
  });

  it("test_sharesValue_scalesBy1e18", () => {
    expect(sharesValue(2n * 10n ** 18n, 1_234_567n)).toBe(2_469_134n);
  });

  it("test_rebalanceSummary_turnoverAndCostInBpsOfNav", () => {
    expect(rebalanceSummary({ navBefore: 100_000_000_000n, sold: 9_000_000_000n, bought: 8_950_000_000n, cost: 20_000_001n })).toEqual({ turnoverBps: 900, costBps: 3 });
    expect(rebalanceSummary({ navBefore: 0n, sold: 1n, bought: 1n, cost: 1n })).toEqual({ turnoverBps: 0, costBps: 0 });
  });

  it("test_splitInKind_separatesWhatTheVaultSetAside", () => {
    const tokens = [
      { token: "0xAAAA000000000000000000000000000000000001", symbol: "WBTC" },
      { token: "0xBBBB000000000000000000000000000000000002", symbol: "WETH" },
      { token: "0xCCCC000000000000000000000000000000000003", symbol: "USDT" },
    ];
    const none = splitInKind(tokens, [5n, 7n, 0n], []);
    expect(none.received.map((r) => [r.symbol, r.amount])).toEqual([["WBTC", 5n], ["WETH", 7n]]);
    expect(none.setAside).toEqual([]);
    // The WBTC transfer failed (addresses compared case-insensitively): it is set aside, not received.
    const split = splitInKind(tokens, [5n, 7n, 0n], [{ token: "0xaaaa000000000000000000000000000000000001", amount: 5n }]);
    expect(split.received.map((r) => r.symbol)).toEqual(["WETH"]);
    expect(split.setAside.map((r) => [r.symbol, r.amount])).toEqual([["WBTC", 5n]]);
  });
});
