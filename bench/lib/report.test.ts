import { describe, expect, it } from "vitest";
import { mandatedFloor } from "./report";
import type { GasBreakdown } from "./trace";

const breakdown = (legs: number[]): GasBreakdown => ({
  total: 1_000_000,
  intrinsic: 21_500,
  legs: legs.map((gas, i) => ({ symbol: `T${i}`, gas })),
  oracle: 11_200 * (legs.length + 1),
  balanceReads: 30_000,
  transfers: 40_000,
  otherCalls: 13_000,
  vaultExecution: 300_000,
});

describe("mandatedFloor", () => {
  it("adds intrinsic, legs, feeds, transfers and one cold access per pool, token, feed and USDT", () => {
    const b = breakdown([50_000, 60_000]);
    const { floor, coldAccounts } = mandatedFloor(b, 2);
    // 2 pools + 2 tokens + 3 feeds + USDT = 8 cold accounts
    expect(coldAccounts).toBe(8 * 2_600);
    expect(floor).toBe(21_500 + 110_000 + 33_600 + 8 * 2_600 + 40_000);
  });

  it("counts every hop's pool of a multi-hop route", () => {
    const single = mandatedFloor(breakdown([50_000]), 1);
    const twoHop = mandatedFloor(breakdown([50_000, 0]), 1);
    expect(twoHop.coldAccounts - single.coldAccounts).toBe(2_600);
  });
});
