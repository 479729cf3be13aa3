// Pure maths of the vault client: no I/O, bigints exact, each rule defined once. Drift is DriftLib's definition
// (contracts/libraries/DriftLib.sol); valuation is the vault's (Chainlink price × balance, USDT at its own feed).

/** {bps} one whole. */
export const BPS = 10_000n;
/** 10^(share decimals − USDT decimals): ERC-4626 virtual shares of the vault (`_decimalsOffset`). */
export const VIRTUAL_SHARES = 10n ** 12n;

/** 10^decimals as a bigint; decimals must be an integer in [0, 77]. */
export function pow10(decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 77) {
    throw new RangeError(`decimals must be an integer in [0, 77], got ${decimals}`);
  }
  return 10n ** BigInt(decimals);
}

export const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
export const absBig = (a: bigint): bigint => (a < 0n ? -a : a);

/** D18{USD} value of `amount` {tok} at `priceD18` D18{USD/tok}, rounded down. */
export function valueD18(amount: bigint, decimals: number, priceD18: bigint): bigint {
  return (amount * priceD18) / pow10(decimals);
}

/** {USDT units} value of `amount` {tok units} of a token at D18{USD/tok} `priceD18`, with USDT at D18{USD/USDT}; 0 without a USDT price. */
export function valueInUsdt(amount: bigint, token: { readonly priceD18: bigint; readonly decimals: number }, usdtPriceD18: bigint): bigint {
  if (usdtPriceD18 === 0n) return 0n;
  return (amount * token.priceD18 * 10n ** 6n) / (pow10(token.decimals) * usdtPriceD18);
}

/** {USD in USDT units} USDT amount at its own Chainlink price (the amount itself without a price). */
export function usdtValue(amount: bigint, usdtPriceD18: bigint): bigint {
  return usdtPriceD18 === 0n ? amount : (amount * usdtPriceD18) / 10n ** 18n;
}

/**
 * {bps} drift exactly as DriftLib defines it: idle USDT is a position with target 0; deviations are the exact
 * numerators |value·10,000 − target·nav|, the max taken and the sum added before ONE division by NAV, rounded up.
 * `values` and `idle` in any one unit (USDT units, D18{USD}); NAV is their sum.
 */
export function driftBps(values: readonly bigint[], targetsBps: readonly (number | bigint)[], idle: bigint): { maxBps: bigint; sumBps: bigint; deviationsBps: bigint[] } {
  const nav = values.reduce((a, b) => a + b, idle);
  if (nav === 0n) return { maxBps: 0n, sumBps: 0n, deviationsBps: values.map(() => 0n) };
  let maxNum = idle * BPS;
  let sumNum = idle * BPS;
  const deviationsBps = values.map((v, i) => {
    const dev = absBig(v * BPS - BigInt(targetsBps[i] ?? 0) * nav);
    sumNum += dev;
    if (dev > maxNum) maxNum = dev;
    return ceilDiv(dev, nav);
  });
  return { maxBps: ceilDiv(maxNum, nav), sumBps: ceilDiv(sumNum, nav), deviationsBps };
}

/** {bps, 2 decimals} value lost from `valueIn` to `valueOut` (negative: better than the oracle). */
export function impactBps(valueIn: bigint, valueOut: bigint): number {
  if (valueIn === 0n) return 0;
  return Number(((valueIn - valueOut) * 1_000_000n) / valueIn) / 100;
}

/** Applies a slippage bound: `amount` × (1 − bps), rounded down. */
export function withSlippage(amount: bigint, slippageBps: number): bigint {
  return (amount * (BPS - BigInt(slippageBps))) / BPS;
}

/**
 * How the vault splits a USDT deposit's net amount (`IndexVault._allocation`): pro-rata to current holdings at oracle
 * value, the idle USDT share kept in USDT; legs of at most `swapDust` and the rounding remainder go to the largest leg.
 * An empty basket (no constituent value) splits by target weight. `values` and `nav` in USDT units, as `basket()`
 * reports them (values rounded down, NAV rounded up); `swapDust` = 10^usdtDecimals / 100 (one cent).
 * @returns amounts per constituent and the USDT kept.
 */
export function depositSplit(
  net: bigint,
  values: readonly bigint[],
  targetsBps: readonly bigint[],
  idle: bigint,
  nav: bigint,
  swapDust: bigint,
): { amounts: bigint[]; kept: bigint } {
  const empty = nav <= idle;
  let kept = empty ? 0n : (net * idle) / nav;
  let spent = kept;
  let largest = 0;
  const amounts = values.map((v, i) => {
    let amount = empty ? (net * (targetsBps[i] ?? 0n)) / BPS : (net * v) / nav;
    if (amount <= swapDust) amount = 0n;
    return amount;
  });
  amounts.forEach((a, i) => {
    if (a > amounts[largest]!) largest = i;
    spent += a;
  });
  if (amounts.length > 0 && amounts[largest]! !== 0n) amounts[largest] = amounts[largest]! + (net - spent);
  else kept += net - spent;
  return { amounts, kept };
}

/** {share} ERC-4626 shares for `value` {USDT units} added to a vault of `nav` with `supply` shares (virtual shares, rounded down). */
export function sharesForValue(value: bigint, supply: bigint, nav: bigint): bigint {
  return (value * (supply + VIRTUAL_SHARES)) / (nav + 1n);
}

/** {USDT units} fee of `bps` on `amount`; the vault rounds both its mint and burn fees up (`IndexVault._fee`). */
export function feeOf(amount: bigint, bps: number, roundUp: boolean): bigint {
  return roundUp ? ceilDiv(amount * BigInt(bps), BPS) : (amount * BigInt(bps)) / BPS;
}
