// Pool manipulation against the vault on the local chain with the real Uniswap V3 deployment: a sandwich around a
// large deposit either reverts the victim or leaves every leg within maxSlippageBps of its Chainlink value (the
// attacker's profit measured and never above the victim's loss), and one manipulated pool trips its own leg's
// oracle bound while honest pools pass.
import { maxUint256, parseEventLogs, type Address } from "viem";
import { describe, expect, it } from "vitest";
import { indexVaultAbi, mockAggregatorAbi, swapRouterAbi, uniswapV3PoolAbi } from "../../sdk/generated/abis";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import { confirm, sendUnchecked, snapshot, type BenchToken } from "../../bench/lib/env";
import { legsFromReceipt } from "../../bench/lib/legs";
import { minedRevert } from "../../bench/lib/revert";
import { revertOf, useSeededVault, SUITE_PARAMS, USDT } from "../../bench/lib/suiteSetup";
import { approveToken, FAR_DEADLINE, fundForDeposit, shareBalance, tokenBalance } from "../../bench/lib/vault";

const s = useSeededVault(3); // WETH, WBTC, LINK

const victim = (): LocalWalletClient => s.env.wallets[2]!;
const attacker = (): LocalWalletClient => s.env.wallets[5]!;
const link = (): BenchToken => s.tokens[2]!;

/** {USDT units} Chainlink value of `amount` of `token` (USDT at its own feed). */
async function oracleValue(token: BenchToken, amount: bigint): Promise<bigint> {
  const read = (feed: Address) => s.env.publicClient.readContract({ address: feed, abi: mockAggregatorAbi, functionName: "latestRoundData" });
  const [[, tokenPrice], [, usdtPrice]] = await Promise.all([read(token.feed), read(s.env.market.usdtFeed)]);
  return (amount * tokenPrice * 1_000_000n) / (10n ** BigInt(token.decimals) * usdtPrice);
}

/** Exact-input swap through SwapRouter by `who` (single hop); returns the output received. */
async function swap(who: LocalWalletClient, tokenIn: Address, tokenOut: Address, fee: number, amountIn: bigint): Promise<bigint> {
  const before = await tokenBalance(s.env, tokenOut, who.account.address);
  await confirm(
    s.env,
    await who.writeContract({
      address: s.env.market.swapRouter,
      abi: swapRouterAbi,
      functionName: "exactInputSingle",
      args: [{ tokenIn, tokenOut, fee, recipient: who.account.address, deadline: FAR_DEADLINE, amountIn, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }],
      // A fixed, generous limit: anvil's eth_estimateGas has come out short for swaps crossing many ticks
      // (the back-run then reverted out of gas in one CI run).
      gas: 5_000_000n,
    }),
  );
  return (await tokenBalance(s.env, tokenOut, who.account.address)) - before;
}

function sendVictimDeposit(assets: bigint) {
  const w = victim();
  return sendUnchecked(s.env, () =>
    w.writeContract({ address: s.vault, abi: indexVaultAbi, functionName: "deposit", args: [assets, w.account.address, 0n, FAR_DEADLINE], gas: 10_000_000n }),
  );
}

interface SandwichOutcome {
  frontRunUsd: number;
  victimReverted: boolean;
  revertName?: string;
  /** {USDT units} attacker's USDT after − before (negative: a loss). */
  attackerProfit: bigint;
  /** {USDT units} oracle value the victim's LINK leg lost against the same deposit without the attack. */
  victimLoss: bigint;
  /** {bps} worst leg's shortfall below its Chainlink value in the victim's deposit. */
  worstLegShortfallBps: number;
}

describe("sandwich", () => {
  it("test_sandwich_revertsVictimOrBoundsLossByMaxSlippage_attackerProfitMeasured", async () => {
    const assets = USDT(300_000); // $100k per leg
    const t = link();
    const fee = t.buyRouteFees[0]!;
    await fundForDeposit(s.env, s.vault, victim(), assets);
    await s.env.fund(s.env.market.usdt, attacker().account.address, USDT(20_000_000));
    await approveToken(s.env, attacker(), s.env.market.usdt, s.env.market.swapRouter, maxUint256);
    await approveToken(s.env, attacker(), t.address, s.env.market.swapRouter, maxUint256);
    const preview = await s.env.publicClient.readContract({ address: s.vault, abi: indexVaultAbi, functionName: "previewDeposit", args: [assets] });

    // Baseline: the same deposit, not attacked.
    const base = await snapshot(s.env);
    const honest = await sendVictimDeposit(assets);
    expect(honest.status).toBe("success");
    const honestLink = legsFromReceipt(honest, s.tokens, true, s.env.market.usdt).find((l) => l.token.symbol === t.symbol)!.amountOut;
    await base();

    const outcomes: SandwichOutcome[] = [];
    for (const frontRunUsd of [10_000, 50_000, 200_000, 2_000_000]) {
      const round = await snapshot(s.env);
      const usdtBefore = await tokenBalance(s.env, s.env.market.usdt, attacker().account.address);
      const bought = await swap(attacker(), s.env.market.usdt, t.address, fee, USDT(frontRunUsd)); // front-run: LINK up
      const receipt = await sendVictimDeposit(assets);
      await swap(attacker(), t.address, s.env.market.usdt, fee, bought); // back-run: sell it all back
      const attackerProfit = (await tokenBalance(s.env, s.env.market.usdt, attacker().account.address)) - usdtBefore;
      if (receipt.status === "reverted") {
        const decoded = await minedRevert(s.env, receipt.transactionHash);
        outcomes.push({ frontRunUsd, victimReverted: true, revertName: decoded?.errorName, attackerProfit, victimLoss: 0n, worstLegShortfallBps: 0 });
        expect(decoded?.errorName).toBe("IndexVault__SwapOutputTooLow");
        expect(decoded?.args[0]).toBe(t.address); // the manipulated leg is the one that tripped
        expect(await shareBalance(s.env, s.vault, victim().account.address)).toBe(0n);
      } else {
        const legs = legsFromReceipt(receipt, s.tokens, true, s.env.market.usdt);
        let worst = 0;
        for (const leg of legs) {
          const value = await oracleValue(leg.token, leg.amountOut);
          const shortfallBps = Number(((leg.amountIn - value) * 1_000_000n) / leg.amountIn) / 100;
          worst = Math.max(worst, shortfallBps);
          // Every leg is worth at least its input less maxSlippageBps at Chainlink prices.
          expect(shortfallBps).toBeLessThanOrEqual(SUITE_PARAMS.maxSlippageBps);
        }
        const attackedLink = legs.find((l) => l.token.symbol === t.symbol)!.amountOut;
        const victimLoss = await oracleValue(t, honestLink - attackedLink);
        outcomes.push({ frontRunUsd, victimReverted: false, attackerProfit, victimLoss, worstLegShortfallBps: worst });
        // The attacker can only take what the victim lost (the rest of the round trip is LP fees).
        expect(attackerProfit).toBeLessThanOrEqual(victimLoss);
        // The victim loses at most maxSlippageBps of the leg on top of the honest execution's own slippage.
        expect(victimLoss * 10_000n).toBeLessThanOrEqual(USDT(100_000) * BigInt(SUITE_PARAMS.maxSlippageBps));
        // ERC-4626: the preview never promised more than the (attacked) deposit delivered.
        const [deposited] = parseEventLogs({ abi: indexVaultAbi, eventName: "Deposited", logs: receipt.logs });
        expect(deposited!.args.shares).toBeGreaterThanOrEqual(preview);
      }
      await round();
    }
    console.table(
      outcomes.map((o) => ({
        frontRunUsd: o.frontRunUsd,
        victim: o.victimReverted ? `reverted (${o.revertName})` : "filled",
        attackerProfitUsdt: Number(o.attackerProfit) / 1e6,
        victimLossUsdt: Number(o.victimLoss) / 1e6,
        worstLegShortfallBps: o.worstLegShortfallBps,
      })),
    );
    // Both regimes occurred: small sandwiches are bounded, large ones revert the victim (and cost the attacker).
    expect(outcomes.some((o) => !o.victimReverted)).toBe(true);
    expect(outcomes.some((o) => o.victimReverted)).toBe(true);
    for (const o of outcomes.filter((x) => x.victimReverted)) expect(o.attackerProfit).toBeLessThan(0n);
  });
});

/** ⌊√n⌋ (Newton). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/** The pool's sqrt price after moving `token`'s price in it by `factorPpm` / 1e6 (token priced in USDT). */
async function manipulatedSqrtPrice(pool: Address, token: Address, factorPpm: bigint): Promise<bigint> {
  const [slot0, token0] = await Promise.all([
    s.env.publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "slot0" }),
    s.env.publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "token0" }),
  ]);
  const sqrtP = slot0[0];
  // price = token1 per token0 = sqrtP²: token0 dearer ⇒ price × f, so sqrtP × √f; token1 dearer ⇒ sqrtP / √f.
  const root = isqrt(factorPpm * 1_000_000n); // √f × 1e6
  return token0.toLowerCase() === token.toLowerCase() ? (sqrtP * root) / 1_000_000n : (sqrtP * 1_000_000n) / root;
}

async function movePool(pool: Address, sqrtPriceX96: bigint): Promise<void> {
  // Fixed generous gas: anvil's estimate for PriceMover's swap + callback has come out a few hundred gas short.
  await confirm(s.env, await s.chain.contracts.priceMover.write.movePool([pool, sqrtPriceX96], { gas: 5_000_000n }));
}

describe("oracle bound per leg", () => {
  it("test_deposit_oneManipulatedPool_tripsItsLegOracleBound", async () => {
    const assets = USDT(30_000);
    await fundForDeposit(s.env, s.vault, victim(), assets);
    const wbtc = s.tokens[1]!;
    const pool = wbtc.pools[0]!;
    const call = () =>
      s.env.publicClient.simulateContract({
        account: victim().account,
        address: s.vault,
        abi: indexVaultAbi,
        functionName: "deposit",
        args: [assets, victim().account.address, 0n, FAR_DEADLINE],
      });

    // WBTC 0.3 % dearer in its pool than on Chainlink: inside the 1 % bound (with the 0.3 % fee), the deposit passes.
    await movePool(pool, await manipulatedSqrtPrice(pool, wbtc.address, 1_003_000n));
    await expect(call()).resolves.toBeDefined();

    // 3 % dearer: the WBTC leg returns less than its Chainlink value less 1 %, and only that leg trips.
    await movePool(pool, await manipulatedSqrtPrice(pool, wbtc.address, 1_030_000n));
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    const decoded = revertOf(error);
    expect(decoded?.errorName).toBe("IndexVault__SwapOutputTooLow");
    expect(decoded?.args[0]).toBe(wbtc.address);
    const [, amountOut, minAmountOut] = decoded!.args as [Address, bigint, bigint];
    expect(amountOut).toBeLessThan(minAmountOut);
  });

  it("test_redeem_oneManipulatedPool_tripsTheOracleBound", async () => {
    const assets = USDT(30_000);
    await fundForDeposit(s.env, s.vault, victim(), assets);
    expect((await sendVictimDeposit(assets)).status).toBe("success");
    const shares = await shareBalance(s.env, s.vault, victim().account.address);
    const t = link();
    const pool = t.pools[0]!;
    // LINK 3 % cheaper in its pool: selling it returns less USDT than its Chainlink value less 1 %.
    await movePool(pool, await manipulatedSqrtPrice(pool, t.address, 970_000n));
    const me = victim().account.address;
    const error = await s.env.publicClient
      .simulateContract({ account: victim().account, address: s.vault, abi: indexVaultAbi, functionName: "redeem", args: [shares, me, me, 0n, FAR_DEADLINE] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const decoded = revertOf(error);
    expect(decoded?.errorName).toBe("IndexVault__SwapOutputTooLow");
    expect(decoded?.args[0]).toBe(s.env.market.usdt);
    // The exit that needs neither Uniswap nor oracles still works.
    await confirm(
      s.env,
      await victim().writeContract({ address: s.vault, abi: indexVaultAbi, functionName: "redeemInKind", args: [shares, me, me], gas: 5_000_000n }),
    );
    expect(await shareBalance(s.env, s.vault, me)).toBe(0n);
  });
});
