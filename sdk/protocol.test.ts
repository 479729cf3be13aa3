import { describe, expect, it } from "vitest";
import { zeroAddress, type Address } from "viem";
import { constituentParams, equalWeights, vaultParams, type MarketConstituent } from "./protocol";

const addr = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;
const constituent = (n: number): MarketConstituent => ({
  address: addr(n),
  feed: addr(100 + n),
  heartbeat: 3600,
  buyRouteTokens: [addr(1), addr(n)],
  buyRouteFees: [3000],
});

describe("sdk/protocol parameter assembly", () => {
  it("equalWeights sums to 10,000 with the remainder on the last constituent", () => {
    expect(equalWeights(3)).toEqual([3333, 3333, 3334]);
    expect(equalWeights(1)).toEqual([10_000]);
    for (const n of [2, 7, 10, 20, 25]) expect(equalWeights(n).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(() => equalWeights(0)).toThrow(/positive integer/);
  });

  it("constituentParams maps the market's routes and feeds and takes the given weights", () => {
    const list = constituentParams([constituent(2), constituent(3)], [4000, 6000]);
    expect(list).toEqual([
      { token: addr(2), targetWeightBps: 4000, feed: addr(102), heartbeat: 3600, path: [addr(1), addr(2)], fees: [3000] },
      { token: addr(3), targetWeightBps: 6000, feed: addr(103), heartbeat: 3600, path: [addr(1), addr(3)], fees: [3000] },
    ]);
    expect(constituentParams([constituent(2), constituent(3)]).map((c) => c.targetWeightBps)).toEqual([5000, 5000]);
    expect(() => constituentParams([constituent(2)], [5000, 5000])).toThrow(/2 weights for 1 constituents/);
  });

  it("vaultParams is an L1 vault: no sequencer feed", () => {
    const roles = { admin: addr(10), manager: addr(11), keeper: addr(12), guardian: addr(13), feeRecipient: addr(14) };
    const economics = { mintFeeBps: 50, burnFeeBps: 50, managementFeeBps: 100, maxSlippageBps: 300, minDeposit: 1_000_000n };
    const p = vaultParams({ name: "N", symbol: "S" }, roles, economics, { feed: addr(20), heartbeat: 86_400 });
    expect(p).toEqual({
      name: "N",
      symbol: "S",
      ...roles,
      ...economics,
      usdtFeed: addr(20),
      usdtHeartbeat: 86_400,
      sequencerFeed: zeroAddress,
      sequencerGracePeriod: 0,
    });
  });
});
