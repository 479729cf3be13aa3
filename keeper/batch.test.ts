// The batch settlement policy (keeper/batch.ts decideSettlement), pure.
import { describe, expect, it } from "vitest";
import { decideSettlement, gasCostUsdt, type SettlementInput } from "./batch";

const GWEI = 10n ** 9n;
const ETH_3000 = 3_000n * 10n ** 18n;

function input(over: Partial<Omit<SettlementInput, "status" | "policy">> & { status?: Partial<SettlementInput["status"]>; policy?: Partial<SettlementInput["policy"]> } = {}): SettlementInput {
  const { status, policy, ...rest } = over;
  return {
    status: { pendingAssets: 1_000_000_000n, pendingShares: 0n, age: 60n, grossValue: 1_000_000_000n, openedAt: 1n, ...status },
    policy: { maxWait: 3_600, minSettleValue: 0n, ...policy },
    gasPriceWei: 10n * GWEI,
    gasPriceCapWei: 50n * GWEI,
    ethPriceD18: ETH_3000,
    settlementGas: 1_000_000n,
    maxCostBps: 50,
    ...rest,
  };
}

describe("decideSettlement", () => {
  it("test_gasCostUsdt_convertsGasToUsdtUnits", () => {
    // 1 M gas × 10 gwei = 0.01 ETH = 30 USD at 3000 USD/ETH.
    expect(gasCostUsdt(1_000_000n, 10n * GWEI, ETH_3000)).toBe(30_000_000n);
  });

  it("test_empty_neverSettles", () => {
    const d = decideSettlement(input({ status: { pendingAssets: 0n, pendingShares: 0n, grossValue: 0n, age: 0n, openedAt: 0n } }));
    expect(d).toMatchObject({ settle: false, reason: "EMPTY" });
  });

  it("test_smallYoungEpoch_waits", () => {
    // 1,000 USDT gross, settlement costs 30 USDT = 3 % > 0.5 %: wait.
    expect(decideSettlement(input())).toMatchObject({ settle: false, reason: "WAITING", costUsdt: 30_000_000n });
  });

  it("test_largeEpoch_worthItsGas", () => {
    // 6,000 USDT gross: 30 USDT is exactly 0.5 %.
    expect(decideSettlement(input({ status: { grossValue: 6_000_000_000n } }))).toMatchObject({ settle: true, reason: "WORTH_GAS" });
    expect(decideSettlement(input({ status: { grossValue: 5_999_000_000n } }))).toMatchObject({ settle: false, reason: "WAITING" });
  });

  it("test_minSettleValue_settlesEarly", () => {
    expect(decideSettlement(input({ policy: { minSettleValue: 1_000_000_000n } }))).toMatchObject({ settle: true, reason: "WORTH_GAS" });
    expect(decideSettlement(input({ policy: { minSettleValue: 1_000_000_001n } }))).toMatchObject({ settle: false, reason: "WAITING" });
  });

  it("test_maxWait_settlesEvenAboveTheGasCap", () => {
    expect(decideSettlement(input({ status: { age: 3_600n }, gasPriceWei: 500n * GWEI }))).toMatchObject({ settle: true, reason: "MAX_WAIT" });
    expect(decideSettlement(input({ status: { age: 3_599n, grossValue: 10n ** 15n }, gasPriceWei: 500n * GWEI }))).toMatchObject({
      settle: false,
      reason: "GAS_ABOVE_CAP",
    });
  });
});
