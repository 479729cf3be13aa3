// Uniswap V3 exact-input swap maths in BigInt, written from the v3-core whitepaper and libraries (TickMath,
// SqrtPriceMath, SwapMath, TickBitmap) with the same integer rounding, so the theoretical output of a swap can be
// computed independently of the chain: from a pool's state (sqrtPriceX96, tick, liquidity, fee, initialised ticks).
// Within one initialised-tick range the output is the closed form
//   zeroForOne: Δy = L·(√P − √P') with √P' = L·√P / (L + Δx·√P)     (Δx = input less fee)
//   oneForZero: Δx = L·(1/√P − 1/√P') with √P' = √P + Δy / L
// and a swap that crosses ranges walks the initialised ticks, applying each one's liquidityNet.
// QuoterV2 is NOT used here: callers may compare against it as a cross-check only.

export const Q96 = 1n << 96n;
export const Q192 = 1n << 192n;
const MAX_UINT256 = (1n << 256n) - 1n;
export const MIN_TICK = -887272;
export const MAX_TICK = 887272;
export const MIN_SQRT_RATIO = 4295128739n;
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;
/** {hundredths of a bip} 100 % of a fee. */
const FEE_DENOMINATOR = 1_000_000n;

function mulDiv(a: bigint, b: bigint, d: bigint): bigint {
  if (d === 0n) throw new Error("mulDiv: division by zero");
  const r = (a * b) / d;
  if (r > MAX_UINT256) throw new Error("mulDiv: overflow");
  return r;
}

function mulDivRoundingUp(a: bigint, b: bigint, d: bigint): bigint {
  const p = a * b;
  const r = p / d + (p % d === 0n ? 0n : 1n);
  if (r > MAX_UINT256) throw new Error("mulDivRoundingUp: overflow");
  return r;
}

function divRoundingUp(a: bigint, b: bigint): bigint {
  return a / b + (a % b === 0n ? 0n : 1n);
}

/** The 1.0001^(i/2) factors of TickMath.getSqrtRatioAtTick, as Q128.128 reciprocals for each bit of |tick|. */
const TICK_FACTORS: readonly bigint[] = [
  0xfff97272373d413259a46990580e213an,
  0xfff2e50f5f656932ef12357cf3c7fdccn,
  0xffe5caca7e10e4e61c3624eaa0941cd0n,
  0xffcb9843d60f6159c9db58835c926644n,
  0xff973b41fa98c081472e6896dfb254c0n,
  0xff2ea16466c96a3843ec78b326b52861n,
  0xfe5dee046a99a2a811c461f1969c3053n,
  0xfcbe86c7900a88aedcffc83b479aa3a4n,
  0xf987a7253ac413176f2b074cf7815e54n,
  0xf3392b0822b70005940c7a398e4b70f3n,
  0xe7159475a2c29b7443b29c7fa6e889d9n,
  0xd097f3bdfd2022b8845ad8f792aa5825n,
  0xa9f746462d870fdf8a65dc1f90e061e5n,
  0x70d869a156d2a1b890bb3df62baf32f7n,
  0x31be135f97d08fd981231505542fcfa6n,
  0x9aa508b5b7a84e1c677de54f3e99bc9n,
  0x5d6af8dedb81196699c329225ee604n,
  0x2216e584f5fa1ea926041bedfe98n,
  0x48a170391f7dc42444e8fa2n,
];

/** √(1.0001^tick) as Q64.96, rounded up exactly like TickMath.getSqrtRatioAtTick. */
export function sqrtRatioAtTick(tick: number): bigint {
  const absTick = BigInt(Math.abs(tick));
  if (absTick > BigInt(MAX_TICK)) throw new Error(`tick ${tick} out of range`);
  let ratio = (absTick & 1n) !== 0n ? 0xfffcb933bd6fad37aa2d162d1a594001n : 1n << 128n;
  TICK_FACTORS.forEach((factor, i) => {
    if ((absTick & (1n << BigInt(i + 1))) !== 0n) ratio = (ratio * factor) >> 128n;
  });
  if (tick > 0) ratio = MAX_UINT256 / ratio;
  return (ratio >> 32n) + (ratio % (1n << 32n) === 0n ? 0n : 1n);
}

/** {token0 units} Δx between two prices for liquidity L. */
export function amount0Delta(sqrtA: bigint, sqrtB: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const [lo, hi] = sqrtA < sqrtB ? [sqrtA, sqrtB] : [sqrtB, sqrtA];
  const numerator1 = liquidity << 96n;
  const numerator2 = hi - lo;
  return roundUp
    ? divRoundingUp(mulDivRoundingUp(numerator1, numerator2, hi), lo)
    : mulDiv(numerator1, numerator2, hi) / lo;
}

/** {token1 units} Δy between two prices for liquidity L. */
export function amount1Delta(sqrtA: bigint, sqrtB: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const [lo, hi] = sqrtA < sqrtB ? [sqrtA, sqrtB] : [sqrtB, sqrtA];
  return roundUp ? mulDivRoundingUp(liquidity, hi - lo, Q96) : mulDiv(liquidity, hi - lo, Q96);
}

/** The price after adding `amountIn` (already net of fee) of the input token within one range. */
export function nextSqrtPriceFromInput(sqrtP: bigint, liquidity: bigint, amountIn: bigint, zeroForOne: boolean): bigint {
  if (sqrtP <= 0n || liquidity <= 0n) throw new Error("nextSqrtPriceFromInput: empty range");
  if (amountIn === 0n) return sqrtP;
  if (zeroForOne) {
    // √P' = L·√P / (L + Δx·√P), rounded up; the 512-bit-safe fallback when the product overflows 256 bits.
    const numerator1 = liquidity << 96n;
    const product = amountIn * sqrtP;
    if (product <= MAX_UINT256 && numerator1 + product <= MAX_UINT256) {
      return mulDivRoundingUp(numerator1, sqrtP, numerator1 + product);
    }
    return divRoundingUp(numerator1, numerator1 / sqrtP + amountIn);
  }
  // √P' = √P + Δy / L, rounded down.
  return sqrtP + (amountIn << 96n) / liquidity;
}

export interface SwapStep {
  sqrtPriceNext: bigint;
  amountIn: bigint;
  amountOut: bigint;
  feeAmount: bigint;
}

/** One exact-input step towards `sqrtTarget` within a range of constant liquidity (SwapMath.computeSwapStep). */
export function computeSwapStep(
  sqrtCurrent: bigint,
  sqrtTarget: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  fee: number,
): SwapStep {
  const zeroForOne = sqrtCurrent >= sqrtTarget;
  const feePips = BigInt(fee);
  const amountRemainingLessFee = mulDiv(amountRemaining, FEE_DENOMINATOR - feePips, FEE_DENOMINATOR);
  let amountIn = zeroForOne
    ? amount0Delta(sqrtTarget, sqrtCurrent, liquidity, true)
    : amount1Delta(sqrtCurrent, sqrtTarget, liquidity, true);
  const sqrtPriceNext =
    amountRemainingLessFee >= amountIn
      ? sqrtTarget
      : nextSqrtPriceFromInput(sqrtCurrent, liquidity, amountRemainingLessFee, zeroForOne);
  const reachedTarget = sqrtPriceNext === sqrtTarget;
  let amountOut: bigint;
  if (zeroForOne) {
    if (!reachedTarget) amountIn = amount0Delta(sqrtPriceNext, sqrtCurrent, liquidity, true);
    amountOut = amount1Delta(sqrtPriceNext, sqrtCurrent, liquidity, false);
  } else {
    if (!reachedTarget) amountIn = amount1Delta(sqrtCurrent, sqrtPriceNext, liquidity, true);
    amountOut = amount0Delta(sqrtCurrent, sqrtPriceNext, liquidity, false);
  }
  const feeAmount = reachedTarget
    ? mulDivRoundingUp(amountIn, feePips, FEE_DENOMINATOR - feePips)
    : amountRemaining - amountIn; // the step consumed the rest: everything not swapped is fee
  return { sqrtPriceNext, amountIn, amountOut, feeAmount };
}

/** The pool state the maths needs; ticks are read lazily (bitmap words and liquidityNet). */
export interface PoolStateReader {
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
  /** {hundredths of a bip} */
  fee: number;
  tickSpacing: number;
  /** TickBitmap word at `wordPos`. */
  bitmapWord(wordPos: number): Promise<bigint>;
  /** liquidityNet of an initialised tick. */
  liquidityNet(tick: number): Promise<bigint>;
}

function mostSignificantBit(x: bigint): number {
  return x.toString(2).length - 1;
}

function leastSignificantBit(x: bigint): number {
  return mostSignificantBit(x & -x);
}

/** TickBitmap.nextInitializedTickWithinOneWord, reading the word from the pool. */
export async function nextInitializedTickWithinOneWord(
  pool: PoolStateReader,
  tick: number,
  lte: boolean,
): Promise<{ next: number; initialized: boolean }> {
  const spacing = pool.tickSpacing;
  let compressed = Math.trunc(tick / spacing);
  if (tick < 0 && tick % spacing !== 0) compressed--; // round towards negative infinity
  if (lte) {
    const wordPos = compressed >> 8;
    const bitPos = ((compressed % 256) + 256) % 256;
    const mask = (1n << BigInt(bitPos)) - 1n + (1n << BigInt(bitPos));
    const masked = (await pool.bitmapWord(wordPos)) & mask;
    const initialized = masked !== 0n;
    const next = initialized
      ? (compressed - (bitPos - mostSignificantBit(masked))) * spacing
      : (compressed - bitPos) * spacing;
    return { next, initialized };
  }
  const c = compressed + 1;
  const wordPos = c >> 8;
  const bitPos = ((c % 256) + 256) % 256;
  const mask = ~((1n << BigInt(bitPos)) - 1n) & MAX_UINT256;
  const masked = (await pool.bitmapWord(wordPos)) & mask;
  const initialized = masked !== 0n;
  const next = initialized ? (c + (leastSignificantBit(masked) - bitPos)) * spacing : (c + (255 - bitPos)) * spacing;
  return { next, initialized };
}

export interface SwapTheory {
  /** {tokOut units} Theoretical output. */
  amountOut: bigint;
  /** {tokIn units} Consumed input (equals the request unless the pool ran dry). */
  amountIn: bigint;
  /** {tokIn units} Fees paid to liquidity providers. */
  feePaid: bigint;
  /** Initialised ticks crossed. */
  ticksCrossed: number;
  /** Price after the swap, Q64.96. */
  sqrtPriceAfter: bigint;
}

/**
 * Theoretical output of an exact-input swap of `amountIn` on `pool` (no price limit), walking initialised ticks.
 * Throws if the pool cannot absorb the whole input.
 */
export async function simulateExactInput(pool: PoolStateReader, zeroForOne: boolean, amountIn: bigint): Promise<SwapTheory> {
  const limit = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
  let remaining = amountIn;
  let out = 0n;
  let feePaid = 0n;
  let sqrtP = pool.sqrtPriceX96;
  let tick = pool.tick;
  let liquidity = pool.liquidity;
  let crossed = 0;
  while (remaining !== 0n && sqrtP !== limit) {
    const sqrtStart = sqrtP;
    let { next, initialized } = await nextInitializedTickWithinOneWord(pool, tick, zeroForOne);
    if (next < MIN_TICK) next = MIN_TICK;
    else if (next > MAX_TICK) next = MAX_TICK;
    const sqrtNext = sqrtRatioAtTick(next);
    const target = (zeroForOne ? sqrtNext < limit : sqrtNext > limit) ? limit : sqrtNext;
    const step = computeSwapStep(sqrtP, target, liquidity, remaining, pool.fee);
    sqrtP = step.sqrtPriceNext;
    remaining -= step.amountIn + step.feeAmount;
    out += step.amountOut;
    feePaid += step.feeAmount;
    if (sqrtP === sqrtNext) {
      if (initialized) {
        const net = await pool.liquidityNet(next);
        liquidity += zeroForOne ? -net : net;
        crossed++;
      }
      tick = zeroForOne ? next - 1 : next;
    } else if (sqrtP !== sqrtStart) {
      // A partial step ends an exact-input swap (the input is exhausted): the tick is no longer needed.
      if (remaining !== 0n) throw new Error("simulateExactInput: partial step with input left");
    }
  }
  if (remaining !== 0n) throw new Error(`simulateExactInput: pool exhausted with ${remaining} input left`);
  return { amountOut: out, amountIn: amountIn - remaining, feePaid, ticksCrossed: crossed, sqrtPriceAfter: sqrtP };
}

/** {tokOut units} Output at the pool's mid price with neither fee nor impact: the reference for slippage. */
export function spotOutput(sqrtPriceX96: bigint, zeroForOne: boolean, amountIn: bigint): bigint {
  const priceX192 = sqrtPriceX96 * sqrtPriceX96; // token1 per token0, Q192
  return zeroForOne ? (amountIn * priceX192) / Q192 : (amountIn * Q192) / priceX192;
}

/** {bps} Shortfall of `amountOut` below the reference output, as a float with 0.01 bp resolution. */
export function shortfallBps(reference: bigint, amountOut: bigint): number {
  if (reference === 0n) return 0;
  return Number(((reference - amountOut) * 1_000_000n) / reference) / 100;
}
