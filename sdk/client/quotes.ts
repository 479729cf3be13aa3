// Quotes from Uniswap's QuoterV2 along the vault's own routes (the pools the vault will swap in, so quoted output ≈
// executed output): one route, a deposit's or a redemption's legs with each leg's impact against Chainlink, and the
// expected shares or USDT. Quotes validate their input exactly as the sending paths do (validate.ts).
import type { Address, PublicClient } from "viem";
import { quoterV2Abi, vaultAbi } from "./abis";
import { depositSplit, feeOf, impactBps, sharesForValue, usdtValue, valueInUsdt } from "./math";
import { encodePath, reverseRoute, type Route } from "./routes";
import { validateDeposit, validateRedeem } from "./validate";
import type { AnyPublicClient, VaultStatus } from "./vault";

export interface QuoteResult {
  /** {tok out} */
  readonly amountOut: bigint;
  /** {gas} QuoterV2's estimate of the swaps. */
  readonly gasEstimate: bigint;
}

/** QuoterV2.quoteExactInput as an eth_call (the quoter is not a view: it reverts internally). */
export async function quoteExactInput(client: PublicClient, quoter: Address, route: Route, amountIn: bigint, blockNumber?: bigint): Promise<QuoteResult> {
  if (amountIn === 0n) return { amountOut: 0n, gasEstimate: 0n };
  const { result } = await client.simulateContract({
    address: quoter,
    abi: quoterV2Abi,
    functionName: "quoteExactInput",
    args: [encodePath(route), amountIn],
    ...(blockNumber !== undefined && { blockNumber }),
  });
  const [amountOut, , , gasEstimate] = result;
  return { amountOut, gasEstimate };
}

export interface Leg {
  symbol: string;
  token: Address;
  /** The constituent's decimals. */
  decimals: number;
  /** {tokIn units}: USDT for a deposit leg, the constituent for a redemption leg. */
  amountIn: bigint;
  /** {tokOut units} QuoterV2's answer. */
  amountOut: bigint;
  /** {USDT units} Chainlink value of the input. */
  valueIn: bigint;
  /** {USDT units} Chainlink value of the output. */
  valueOut: bigint;
  /** {bps} value lost against the oracle, pool fees included (negative: better than the oracle). */
  impactBps: number;
  /** Fee tier of each hop {hundredths of a bip}. */
  fees: number[];
}

export interface DepositQuote {
  /** {USDT units} */
  assets: bigint;
  /** {USDT units} */
  mintFee: bigint;
  legs: Leg[];
  /** {share} from the quotes at the current NAV. */
  expectedShares: bigint;
  /** {share} the vault's own floor (`previewDeposit`: every swap at its worst allowed price). */
  previewShares: bigint;
  /** How the deposit is split: "pro-rata to holdings", or "by target (empty basket)" for the first deposit. */
  allocation: string;
}

/** How a deposit's net USDT is split: as the vault does (`depositSplit`, pro-rata to holdings; by target when empty). */
function allocate(status: VaultStatus, net: bigint): { amounts: bigint[]; kept: bigint; kind: string } {
  const values = status.constituents.map((c) => c.value);
  // Swap dust: one cent (this client values USDT with 6 decimals throughout).
  const { amounts, kept } = depositSplit(net, values, status.constituents.map((c) => c.targetBps), status.idleUsdt, status.nav, 10n ** 4n);
  return { amounts, kept, kind: status.nav > status.idleUsdt ? "pro-rata to holdings" : "by target (empty basket)" };
}

/** Expected shares and each leg's price impact for a USDT deposit; refuses what `deposit` would refuse. */
export async function quoteDeposit(client: AnyPublicClient, status: VaultStatus, quoter: Address, assets: bigint): Promise<DepositQuote> {
  validateDeposit(status, assets);
  const mintFee = feeOf(assets, status.fees.mintBps, true);
  const { amounts, kept, kind } = allocate(status, assets - mintFee);
  const legs = await Promise.all(
    status.constituents.map(async (c, i): Promise<Leg> => {
      const amountIn = amounts[i] ?? 0n;
      const { amountOut } = await quoteExactInput(client, quoter, c.route, amountIn);
      const valueIn = usdtValue(amountIn, status.usdtPriceD18);
      const valueOut = valueInUsdt(amountOut, c, status.usdtPriceD18);
      return { symbol: c.symbol, token: c.token, decimals: c.decimals, amountIn, amountOut, valueIn, valueOut, impactBps: impactBps(valueIn, valueOut), fees: c.fees };
    }),
  );
  const valueIn = legs.reduce((s, l) => s + l.valueOut, kept);
  const expectedShares = sharesForValue(valueIn, status.totalSupply + status.pendingFeeShares, status.nav);
  let previewShares = 0n;
  try {
    previewShares = await client.readContract({ address: status.vault, abi: vaultAbi, functionName: "previewDeposit", args: [assets] });
  } catch {
    previewShares = 0n;
  }
  return { assets, mintFee, legs, expectedShares, previewShares, allocation: kind };
}

export interface RedeemQuote {
  /** {share} */
  shares: bigint;
  legs: Leg[];
  /** {USDT units} pro-rata idle USDT */
  idle: bigint;
  /** {USDT units} */
  burnFee: bigint;
  /** {USDT units} after the burn fee, from the quotes. */
  expectedAssets: bigint;
  /** {USDT units} the vault's own floor (`previewRedeem`). */
  previewAssets: bigint;
}

/**
 * Expected USDT and each leg's price impact for redeeming `shares`; refuses what `redeem` would refuse (zero, more
 * shares than exist, more than `holderBalance` when given).
 */
export async function quoteRedeem(client: AnyPublicClient, status: VaultStatus, quoter: Address, shares: bigint, holderBalance?: bigint): Promise<RedeemQuote> {
  validateRedeem(status, shares, holderBalance);
  const supply = status.totalSupply + status.pendingFeeShares;
  const legs = await Promise.all(
    status.constituents.map(async (c): Promise<Leg> => {
      const amountIn = (c.balance * shares) / supply;
      const { amountOut } = await quoteExactInput(client, quoter, reverseRoute(c.route), amountIn);
      const valueIn = valueInUsdt(amountIn, c, status.usdtPriceD18);
      const valueOut = usdtValue(amountOut, status.usdtPriceD18);
      return { symbol: c.symbol, token: c.token, decimals: c.decimals, amountIn, amountOut, valueIn, valueOut, impactBps: impactBps(valueIn, valueOut), fees: c.fees };
    }),
  );
  const idle = (status.idleUsdt * shares) / supply;
  const proceeds = idle + legs.reduce((s, l) => s + l.amountOut, 0n);
  const burnFee = feeOf(proceeds, status.fees.burnBps, true);
  let previewAssets = 0n;
  try {
    previewAssets = await client.readContract({ address: status.vault, abi: vaultAbi, functionName: "previewRedeem", args: [shares] });
  } catch {
    previewAssets = 0n;
  }
  return { shares, legs, idle, burnFee, expectedAssets: proceeds - burnFee, previewAssets };
}
