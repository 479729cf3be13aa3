/**
 * Shared data shapes of the keeper. Plain data only (no behaviour), so the pure strategy, the
 * loop and every chain adapter agree on one vocabulary.
 *
 * Units: `D18{USD/tok}` is a USD price per whole token scaled by 1e18; `D18{USD}` a USD value
 * scaled by 1e18; `{tok}` raw token units (the token's own decimals); `{bps}` basis points of
 * 10_000; `{s}` seconds; `{wei}` wei.
 */

/** A 0x-prefixed 20-byte hex address. */
export type Address = `0x${string}`;
/** A 0x-prefixed 32-byte transaction hash. */
export type Hash = `0x${string}`;

/** One constituent of an index vault, as read from the chain at one block. */
export interface ConstituentState {
  readonly token: Address;
  /** Display only. */
  readonly symbol?: string;
  /** {tok} held by the vault. */
  readonly balance: bigint;
  /** The token's ERC-20 decimals. */
  readonly decimals: number;
  /** D18{USD/tok} oracle price. */
  readonly priceD18: bigint;
  /** {s} since the oracle's last update (block timestamp − updatedAt). */
  readonly priceAgeSeconds: number;
  /** {s} the feed's heartbeat: older than this is stale. */
  readonly heartbeatSeconds: number;
  /** {bps} target weight. */
  readonly targetBps: number;
}

/** The vault's asset (USDT): the leg every trade goes through. */
export interface AssetState {
  readonly token: Address;
  readonly symbol?: string;
  /** {tok} idle asset held by the vault (counts towards NAV, target weight 0). */
  readonly balance: bigint;
  readonly decimals: number;
  /** D18{USD/tok} */
  readonly priceD18: bigint;
  /** {s} */
  readonly priceAgeSeconds: number;
  /** {s} */
  readonly heartbeatSeconds: number;
}

/** Everything the strategy needs to know about one vault, read at one block. */
export interface VaultState {
  readonly vault: Address;
  readonly asset: AssetState;
  readonly constituents: readonly ConstituentState[];
  /** D18{USD} net asset value as the vault computes it. */
  readonly navD18: bigint;
  /** {bps} largest |current weight − target weight| over the constituents (vault's view). */
  readonly maxDriftBps: number;
  /** {bps} sum of |current weight − target weight| (vault's view). */
  readonly sumDriftBps: number;
  /** {bps} the vault's on-chain rebalance threshold (the keeper may use a higher one). */
  readonly thresholdBps: number;
  /** {s} until the vault's rebalance cooldown ends; 0 when it may rebalance now. */
  readonly cooldownRemainingSeconds: number;
  /** {s} the vault's grace period: drift flagged this long with no keeper rebalance lets anyone rebalance (when known). */
  readonly gracePeriodSeconds?: number;
  /** True while a multi-step rebalance is in progress and the next step is due. */
  readonly rebalanceInFlight: boolean;
  /** True when the vault is paused (no rebalance possible). */
  readonly paused: boolean;
  /** {s} block timestamp of the read. */
  readonly blockTimestamp: number;
  readonly blockNumber: bigint;
}

/** Direction of one leg of the trade plan. All legs trade against the vault's asset. */
export type TradeSide = "sell" | "buy";

/** One leg of the minimal off-chain trade plan (for quoting and costing only). */
export interface PlannedTrade {
  readonly token: Address;
  readonly side: TradeSide;
  /** D18{USD} value to move at oracle prices. */
  readonly valueD18: bigint;
  /** Token paid in: the constituent for a sell, the asset for a buy. */
  readonly tokenIn: Address;
  readonly tokenOut: Address;
  /** {tok of tokenIn} amount in at oracle prices. */
  readonly amountIn: bigint;
  /** {tok of tokenOut} amount out expected at oracle prices (no impact, no fee). */
  readonly oracleAmountOut: bigint;
}

export interface TradePlan {
  readonly trades: readonly PlannedTrade[];
  /** D18{USD} half the sum of absolute value deviations from target (including idle asset). */
  readonly turnoverD18: bigint;
  /** {bps} turnover / NAV. */
  readonly turnoverBps: number;
}

/** A quote for one planned leg (e.g. from Uniswap's QuoterV2). */
export interface TradeQuote {
  readonly tokenIn: Address;
  readonly tokenOut: Address;
  /** {tok of tokenIn} */
  readonly amountIn: bigint;
  /** {tok of tokenOut} quoted output. */
  readonly amountOut: bigint;
  /** Gas the quoter estimated for the swap, if known. */
  readonly gasEstimate?: bigint;
}

/** Market inputs the strategy needs besides the vault. */
export interface MarketState {
  /** {wei} current gas price (or maxFeePerGas we would pay). */
  readonly gasPriceWei: bigint;
  /** {gas} estimated gas of the rebalance transaction. */
  readonly gasEstimate: bigint;
  /** D18{USD/ETH} */
  readonly ethPriceD18: bigint;
  /** Quotes for the planned trades; absent before quoting. */
  readonly quotes?: readonly TradeQuote[];
}
