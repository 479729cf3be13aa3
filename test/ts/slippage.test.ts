// The caller's own bounds (ERC-5143 style) and price impact on the local chain with the real Uniswap V3 deployment:
// minShares / minAssets enforced at the exact boundary, deadlines enforced, and each leg's impact growing with size
// exactly as the V3 maths says (theory from the pools' state, QuoterV2 only as a cross-check).
import { parseEventLogs } from "viem";
import { describe, expect, it } from "vitest";
import { indexVaultAbi } from "../../sdk/generated/abis";
import { sendUnchecked, snapshot } from "../../bench/lib/env";
import { minedRevert } from "../../bench/lib/revert";
import { measureSlippage, type SlippageDetail } from "../../bench/lib/suite";
import { pinNextTimestamp, useSeededVault, USDT } from "../../bench/lib/suiteSetup";
import { FAR_DEADLINE, fundForDeposit, shareBalance, tokenBalance } from "../../bench/lib/vault";

const s = useSeededVault(3);

const user = () => s.env.wallets[2]!;

/** deposit(assets, receiver, minShares, deadline) by the user, mined even if it reverts. */
function sendDeposit(assets: bigint, minShares: bigint, deadline: bigint = FAR_DEADLINE) {
  const w = user();
  return sendUnchecked(s.env, () =>
    w.writeContract({
      address: s.vault,
      abi: indexVaultAbi,
      functionName: "deposit",
      args: [assets, w.account.address, minShares, deadline],
      gas: 10_000_000n,
    }),
  );
}

/** redeem(shares, receiver, owner, minAssets, deadline) by the user, mined even if it reverts. */
function sendRedeem(shares: bigint, minAssets: bigint, deadline: bigint = FAR_DEADLINE) {
  const w = user();
  const me = w.account.address;
  return sendUnchecked(s.env, () =>
    w.writeContract({
      address: s.vault,
      abi: indexVaultAbi,
      functionName: "redeem",
      args: [shares, me, me, minAssets, deadline],
      gas: 10_000_000n,
    }),
  );
}

describe("minShares / minAssets", () => {
  it("test_deposit_minShares_enforcedAtTheExactBoundary", async () => {
    const assets = USDT(50_000);
    await fundForDeposit(s.env, s.vault, user(), assets);
    const me = user().account.address;

    // Same block timestamp for every attempt, so the management fee accrued (and so the shares) is identical.
    const base = await snapshot(s.env);
    const t = await pinNextTimestamp(s.env);
    const free = await sendDeposit(assets, 0n);
    expect(free.status).toBe("success");
    const minted = await shareBalance(s.env, s.vault, me);
    expect(minted).toBeGreaterThan(0n);
    const [deposited] = parseEventLogs({ abi: indexVaultAbi, eventName: "Deposited", logs: free.logs });
    expect(deposited?.args.shares).toBe(minted);
    await base();

    const atBound = await snapshot(s.env);
    await s.env.testClient.setNextBlockTimestamp({ timestamp: t });
    expect((await sendDeposit(assets, minted)).status).toBe("success");
    expect(await shareBalance(s.env, s.vault, me)).toBe(minted);
    await atBound();

    await s.env.testClient.setNextBlockTimestamp({ timestamp: t });
    const above = await sendDeposit(assets, minted + 1n);
    expect(above.status).toBe("reverted");
    expect(await minedRevert(s.env, above.transactionHash)).toEqual({
      errorName: "IndexVault__InsufficientShares",
      args: [minted, minted + 1n],
    });
    expect(await shareBalance(s.env, s.vault, me)).toBe(0n);
  });

  it("test_redeem_minAssets_enforcedAtTheExactBoundary", async () => {
    await fundForDeposit(s.env, s.vault, user(), USDT(50_000));
    expect((await sendDeposit(USDT(50_000), 0n)).status).toBe("success");
    const me = user().account.address;
    const shares = await shareBalance(s.env, s.vault, me);

    const base = await snapshot(s.env);
    const t = await pinNextTimestamp(s.env);
    const before = await tokenBalance(s.env, s.env.market.usdt, me);
    expect((await sendRedeem(shares, 0n)).status).toBe("success");
    const paid = (await tokenBalance(s.env, s.env.market.usdt, me)) - before;
    expect(paid).toBeGreaterThan(USDT(49_000)); // fees and two swaps, well within 2 %
    await base();

    const atBound = await snapshot(s.env);
    await s.env.testClient.setNextBlockTimestamp({ timestamp: t });
    expect((await sendRedeem(shares, paid)).status).toBe("success");
    expect((await tokenBalance(s.env, s.env.market.usdt, me)) - before).toBe(paid);
    await atBound();

    await s.env.testClient.setNextBlockTimestamp({ timestamp: t });
    const above = await sendRedeem(shares, paid + 1n);
    expect(above.status).toBe("reverted");
    expect(await minedRevert(s.env, above.transactionHash)).toEqual({
      errorName: "IndexVault__InsufficientAssets",
      args: [paid, paid + 1n],
    });
    expect(await shareBalance(s.env, s.vault, me)).toBe(shares);
  });
});

describe("deadline", () => {
  it("test_deposit_deadline_enforced", async () => {
    const assets = USDT(1_000);
    await fundForDeposit(s.env, s.vault, user(), assets);
    const base = await snapshot(s.env);
    const t = await pinNextTimestamp(s.env);
    const late = await sendDeposit(assets, 0n, t - 1n);
    expect(late.status).toBe("reverted");
    expect(await minedRevert(s.env, late.transactionHash)).toEqual({ errorName: "IndexVault__DeadlineExpired", args: [t - 1n, t] });
    await base();

    await s.env.testClient.setNextBlockTimestamp({ timestamp: t });
    expect((await sendDeposit(assets, 0n, t)).status).toBe("success"); // the deadline second itself is accepted
  });

  it("test_redeem_deadline_enforced", async () => {
    await fundForDeposit(s.env, s.vault, user(), USDT(1_000));
    expect((await sendDeposit(USDT(1_000), 0n)).status).toBe("success");
    const shares = await shareBalance(s.env, s.vault, user().account.address);
    const base = await snapshot(s.env);
    const t = await pinNextTimestamp(s.env);
    const late = await sendRedeem(shares, 0n, t - 1n);
    expect(late.status).toBe("reverted");
    expect(await minedRevert(s.env, late.transactionHash)).toEqual({ errorName: "IndexVault__DeadlineExpired", args: [t - 1n, t] });
    await base();

    await s.env.testClient.setNextBlockTimestamp({ timestamp: t });
    expect((await sendRedeem(shares, 0n, t)).status).toBe("success");
  });
});

/** Price impact of a leg, net of the pool fee: 1 − out / (spot · (1 − fee)), as a float. */
function impact(row: SlippageDetail, feePips: number): number {
  const out = Number(BigInt(row.realisedOut));
  const spot = Number(BigInt(row.spotOut));
  return 1 - out / (spot * (1 - feePips / 1e6));
}

describe("price impact vs theory", () => {
  it("test_legImpact_growsWithSize_asV3Theory", async () => {
    const rows = await measureSlippage(s.env, s.protocol, s.tokens);
    const fees = new Map<string, number>(s.tokens.map((t) => [t.symbol, t.buyRouteFees[0]!]));
    expect(rows.length).toBe(4 * 2 * s.tokens.length); // 4 sizes × (buy + sell) × legs

    for (const row of rows) {
      // Realised output within 1 bp of theory (here: exactly equal), and QuoterV2 agrees with the theory.
      expect(Math.abs(row.diffBps)).toBeLessThanOrEqual(1);
      expect(row.realisedOut).toBe(row.theoryOut);
      expect(row.quoterOut).toBe(row.theoryOut);
    }
    const byLeg = new Map<string, SlippageDetail[]>();
    for (const row of rows) byLeg.set(row.leg, [...(byLeg.get(row.leg) ?? []), row]);
    for (const [leg, legRows] of byLeg) {
      const sorted = [...legRows].sort((a, b) => a.usd - b.usd);
      const symbol = leg.replace("USDT→", "").replace("→USDT", "");
      const fee = fees.get(symbol)!;
      const impacts = sorted.map((r) => impact(r, fee));
      // Slippage never below the fee, and strictly increasing with size.
      for (const r of sorted) expect(r.realisedBps).toBeGreaterThanOrEqual(fee / 100 - 0.01);
      for (let i = 1; i < impacts.length; i++) expect(impacts[i]!).toBeGreaterThan(impacts[i - 1]!);
      // Within one tick range, impact is linear in size for small trades: 10× the size, ~10× the impact.
      const r10k = sorted.find((r) => r.usd === 10_000)!;
      const r100k = sorted.find((r) => r.usd === 100_000)!;
      if (r10k.ticksCrossed === 0 && r100k.ticksCrossed === 0) {
        const growth = impact(r100k, fee) / impact(r10k, fee);
        expect(growth, `${leg}: impact growth 10k → 100k`).toBeGreaterThan(9);
        expect(growth, `${leg}: impact growth 10k → 100k`).toBeLessThan(11);
      }
    }
  });
});
