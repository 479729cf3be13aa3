// The benchmark's independent V3 maths, checked against Uniswap's published constants and closed forms (no chain).
import { describe, expect, it } from "vitest";
import {
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
  Q96,
  computeSwapStep,
  simulateExactInput,
  sqrtRatioAtTick,
  type PoolStateReader,
} from "./v3math";

/** A pool with liquidity `inner` on [-spacing·k, spacing·k) and `outer` on the full range, at tick 0. */
function pool(inner: bigint, outer: bigint, k: number, fee = 3000, spacing = 60): PoolStateReader {
  const lo = -spacing * k;
  const hi = spacing * k;
  const fullLo = Math.ceil(MIN_TICK / spacing) * spacing;
  const fullHi = Math.floor(MAX_TICK / spacing) * spacing;
  const nets = new Map<number, bigint>([
    [fullLo, outer],
    [lo, inner],
    [hi, -inner],
    [fullHi, -outer],
  ]);
  const initialised = [...nets.keys()];
  return {
    sqrtPriceX96: Q96,
    tick: 0,
    liquidity: inner + outer,
    fee,
    tickSpacing: spacing,
    async bitmapWord(wordPos) {
      let word = 0n;
      for (const t of initialised) {
        const compressed = Math.floor(t / spacing);
        if (compressed >> 8 === wordPos) word |= 1n << BigInt(((compressed % 256) + 256) % 256);
      }
      return word;
    },
    async liquidityNet(tick) {
      return nets.get(tick) ?? 0n;
    },
  };
}

describe("v3math", () => {
  it("test_sqrtRatioAtTick_matchesTickMathBounds", () => {
    expect(sqrtRatioAtTick(0)).toBe(Q96);
    expect(sqrtRatioAtTick(MIN_TICK)).toBe(MIN_SQRT_RATIO);
    expect(sqrtRatioAtTick(MAX_TICK)).toBe(MAX_SQRT_RATIO);
    // √1.0001 in Q96, rounded up like TickMath.
    const expected = Math.sqrt(1.0001) * 2 ** 96;
    expect(Math.abs(Number(sqrtRatioAtTick(1)) / expected - 1)).toBeLessThan(1e-12);
  });

  it("test_computeSwapStep_withinRange_isTheClosedForm", () => {
    const L = 10n ** 24n;
    const amountIn = 10n ** 18n;
    const step = computeSwapStep(Q96, MIN_SQRT_RATIO, L, amountIn, 3000);
    // √P' = L·√P / (L + Δx·√P/Q96) at √P = Q96 ⇒ √P' = L·Q96 / (L + Δx_net); Δy = L·(√P − √P')/Q96.
    const net = (amountIn * 997_000n) / 1_000_000n;
    const next = (L * Q96 + (L + net) - 1n) / (L + net);
    expect(step.sqrtPriceNext).toBe(next);
    expect(step.amountOut).toBe((L * (Q96 - next)) / Q96);
    expect(step.amountIn + step.feeAmount).toBe(amountIn);
  });

  it("test_simulateExactInput_crossingTicks_losesTheConcentratedLiquidity", async () => {
    const inner = 10n ** 24n;
    const outer = 10n ** 22n;
    const small = await simulateExactInput(pool(inner, outer, 10), true, 10n ** 17n);
    expect(small.ticksCrossed).toBe(0);
    // Far past the concentrated range: the walk crosses its lower edge and continues on the full-range liquidity.
    const large = await simulateExactInput(pool(inner, outer, 1), true, 10n ** 22n);
    expect(large.ticksCrossed).toBe(1);
    expect(large.sqrtPriceAfter).toBeLessThan(sqrtRatioAtTick(-60));
    // Average price worse than the small trade's.
    expect(large.amountOut * 10n ** 17n).toBeLessThan(small.amountOut * 10n ** 22n);
  });
});
