// The batch settlement policy (keeper/batch.ts decideSettlement), pure; and the BatchKeeper's discovery and logging
// over a read-only fake batch.
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { BatchKeeper, decideSettlement, gasCostUsdt, type SettlementInput } from "./batch";
import { createLogger } from "./logger";
import { KeeperMetrics } from "./metrics";

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

describe("BatchKeeper (over a read-only fake batch)", () => {
  const BATCH = getAddress("0x00000000000000000000000000000000000000b1"); // batchOf returns checksummed addresses
  const VAULT = "0x00000000000000000000000000000000000000a1" as const;
  const OTHER = "0x00000000000000000000000000000000000000a2" as const;
  const FACTORY = "0x00000000000000000000000000000000000000f1" as const;

  function fakeClient() {
    const state = { pendingAssets: 1_000_000_000n, batchOfCalls: 0 };
    const client = {
      readContract: async ({ functionName, args }: { functionName: string; args?: readonly unknown[] }) => {
        switch (functionName) {
          case "batchOf":
            state.batchOfCalls += 1;
            return (args?.[0] as string).toLowerCase() === VAULT ? BATCH : "0x0000000000000000000000000000000000000000";
          case "vault":
            return VAULT;
          case "asset":
            return "0x00000000000000000000000000000000000000c1";
          case "epochStatus": {
            const empty = state.pendingAssets === 0n;
            return { epoch: 1n, pendingAssets: state.pendingAssets, pendingShares: 0n, openedAt: empty ? 0n : 1n, age: empty ? 0n : 60n, grossValue: state.pendingAssets, due: false, permissionlessAt: 0n };
          }
          case "policy":
            return { maxWait: 86_400, gracePeriod: 3_600, minSettleValue: 10_000_000_000n, minRequestAssets: 1n, minRequestShares: 1n };
          default:
            throw new Error(`unexpected read ${functionName}`);
        }
      },
    };
    return { state, client };
  }

  it("test_tick_findsBatchesThroughTheFactory_andLogsADecisionOnlyWhenItChanges", async () => {
    const { state, client } = fakeClient();
    const lines: string[] = [];
    const registry = new KeeperMetrics().registry;
    const keeper = new BatchKeeper({
      client: client as never,
      registry,
      logger: createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } }),
      settings: { batches: [], batchFactory: FACTORY, dryRun: false, gasPriceCapWei: 50n * GWEI, maxCostBps: 0, defaultSettlementGas: 1_000_000n },
    });
    const N = 10;
    for (let i = 0; i < N; i++) {
      const [out] = await keeper.tick(10n * GWEI, ETH_3000, [VAULT, OTHER]);
      expect(out).toMatchObject({ batch: BATCH, status: "waiting", decision: { reason: "WAITING" } });
    }
    // VAULT's batch was found once and remembered; OTHER (no batch yet) is asked again each iteration.
    expect(state.batchOfCalls).toBe(1 + N);
    const records = () => lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(records().filter((r) => r.level === "info" && r.msg === "batch decision: WAITING")).toHaveLength(1);
    expect(records().filter((r) => r.level === "debug" && r.msg === "batch decision: WAITING")).toHaveLength(N - 1);
    expect(records().filter((r) => r.msg === "batch found for a watched vault")).toHaveLength(1);
    expect(registry.get("keeper_batch_decisions_total", { batch: BATCH, reason: "WAITING" })).toBe(N);
    expect(registry.get("keeper_batch_settlements_total", { batch: BATCH, reason: "MAX_WAIT" })).toBe(0);
    expect(registry.get("keeper_batch_max_wait_seconds", { batch: BATCH })).toBe(86_400);
    expect(registry.get("keeper_batch_grace_period_seconds", { batch: BATCH })).toBe(3_600);

    state.pendingAssets = 0n; // the epoch was settled by someone else: a change, logged once
    await keeper.tick(10n * GWEI, ETH_3000, [VAULT]);
    await keeper.tick(10n * GWEI, ETH_3000, [VAULT]);
    expect(records().filter((r) => r.level === "info" && r.msg === "batch decision: EMPTY")).toHaveLength(1);
  });
});
