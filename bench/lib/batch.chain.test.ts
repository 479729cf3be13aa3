// bench/lib/batch.ts on the local chain with small cohorts (the full 1/5/20/50 run is `npm run bench`): the rows are
// measured from real receipts (the keeper's one settle-and-claim transaction), returning users pay less than
// first-time ones, the balanced epoch is fully crossed and the balanced-net epoch's net is a small part of its gross;
// it measures only on pools traded both ways.
import { describe, expect, it } from "vitest";
import { benchEnvOf } from "./localEnv";
import { deployProtocol } from "./vault";
import { batchSummary, measureBatch } from "./batch";
import { tradePoolsBothWays } from "./warmup";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();

describe("bench batch rows", () => {
  it("test_measureBatch_smallCohorts", async () => {
    const env = benchEnvOf(local.chain);
    const tokens = env.market.constituents.slice(0, 10);
    const protocol = await deployProtocol(env);
    // As in `npm run bench`: the pools are traded both ways before anything is measured, and the batch refuses
    // pools that were not.
    await expect(measureBatch(env, protocol, tokens, [1])).rejects.toThrow(/never traded both ways/);
    expect((await tradePoolsBothWays(env, tokens)).status).toBe("traded");
    const rows = await measureBatch(env, protocol, tokens, [1, 5]);
    expect(rows.map((r) => `${r.kind}:${r.users}`)).toEqual(["first-time:1", "returning:1", "first-time:5", "returning:5", "balanced:10", "balanced-empty-usdt:10", "balanced-net:10"]);
    const at = (kind: string, users: number) => rows.find((r) => r.kind === kind && r.users === users)!;
    for (const r of rows) {
      expect(r.requestGas).toBeGreaterThan(21_000);
      expect(r.settlementGas).toBeGreaterThan(r.requestGas);
      expect(r.keeperTxGas).toBeGreaterThan(21_000);
      // The tracer's parts: a settlement, and one claim call's work per user at least a token transfer (~5,000).
      expect(r.settlementGas).toBeGreaterThan(100_000);
      expect(r.claimGas).toBeGreaterThan(5_000 * r.users);
      // Before refunds the parts fit in the transaction; refunds (EIP-3529) take at most a fifth of it.
      expect(r.settlementGas + r.claimGas).toBeLessThanOrEqual(Math.ceil((r.keeperTxGas * 5) / 4));
      expect(r.perUserGas).toBe(r.requestGas + Math.floor(r.keeperTxGas / r.users));
    }
    // Returning users write no fresh slots; more users share the settlement.
    expect(at("returning", 5).requestGas).toBeLessThan(at("first-time", 5).requestGas);
    expect(at("returning", 5).perUserGas).toBeLessThan(at("returning", 1).perUserGas);
    // Balanced: nothing reached the vault; balanced-net: a net of at most 1 % of the gross did.
    const balanced = at("balanced", 10);
    expect(balanced.netUsdt).toBe("0");
    expect(BigInt(balanced.grossUsdt)).toBeGreaterThan(0n);
    // Claims to empty USDT wallets write fresh balances: dearer than to wallets that hold USDT.
    expect(at("balanced-empty-usdt", 10).netUsdt).toBe("0");
    expect(at("balanced-empty-usdt", 10).keeperTxGas).toBeGreaterThan(balanced.keeperTxGas);
    const net = at("balanced-net", 10);
    expect(BigInt(net.netUsdt)).toBeGreaterThan(0n);
    expect(BigInt(net.netUsdt) * 100n).toBeLessThanOrEqual(BigInt(net.grossUsdt));
    // Crossing is cheaper than trading the net through every pool.
    expect(balanced.settlementGas).toBeLessThan(net.settlementGas);
    expect(batchSummary(rows)).toMatch(/\| balanced \| 10 \|/);
  }, 300_000);
});
