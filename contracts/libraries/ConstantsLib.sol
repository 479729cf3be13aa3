// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ConstantsLib
/// @notice Every hard bound of the index vault, its factory and its oracle reads, each with the reason for its value.
/// @dev A bound here can only change with a new implementation: parameters set by roles are validated against them.
library ConstantsLib {
    /// @notice {bps} 100 %. Target weights sum to exactly this.
    uint256 internal constant BPS = 10_000;

    /// @notice {1} Most constituents one vault may hold: 20 are required, 25 keeps a USDT deposit (one swap per
    ///         constituent, up to three hops each) far below the block gas limit.
    uint256 internal constant MAX_CONSTITUENTS = 25;

    /// @notice {1} Most Uniswap V3 hops in one route: USDT → WETH → WBTC → X covers every real listing path.
    uint256 internal constant MAX_HOPS = 3;

    /// @notice {bps} Highest mint fee: 2 % is above every live index product; more would be a trap for depositors.
    uint256 internal constant MAX_MINT_FEE_BPS = 200;

    /// @notice {bps} Highest burn fee: 2 %, symmetric to the mint fee; a higher exit fee would lock holders in.
    uint256 internal constant MAX_BURN_FEE_BPS = 200;

    /// @notice {bps per year} Highest streaming management fee: 5 % a year, well above market (0.2 – 2 %).
    uint256 internal constant MAX_MANAGEMENT_FEE_BPS = 500;

    /// @notice {bps} Widest tolerated slippage of a swap below its Chainlink value: 5 % bounds what a sandwich can
    ///         take while still covering the 1 % fee tier plus the price impact of a sane trade.
    uint256 internal constant MAX_SLIPPAGE_BPS = 500;

    /// @notice {1} A swap leg may lose one USDT unit ÷ this (one cent) beyond `maxSlippageBps`, plus one unit of the
    ///         constituent: Uniswap rounds each hop by a unit, which on a dust leg exceeds any bps bound.
    uint256 internal constant SWAP_DUST_DIVISOR = 100;

    /// @notice {s} One year for the management fee (365 days; the annual rate is exact over this period).
    uint256 internal constant YEAR = 365 days;

    /// @notice {s} Shortest accepted feed heartbeat: below a minute a heartbeat is shorter than the block cadence.
    uint256 internal constant MIN_HEARTBEAT = 1 minutes;

    /// @notice {s} Longest accepted feed heartbeat: the slowest Chainlink USD feeds update daily; 2 days is the
    ///         most staleness a NAV may rest on.
    uint256 internal constant MAX_HEARTBEAT = 2 days;

    /// @notice {s} Longest L2 sequencer grace period: Chainlink recommends one hour; a day is already an outage.
    uint256 internal constant MAX_SEQUENCER_GRACE_PERIOD = 1 days;

    /// @notice {1} Most decimals a token or feed may have: every normalisation divides or multiplies by 10^(18 − d).
    uint8 internal constant MAX_DECIMALS = 18;

    /// @notice {1} Decimals of a share: the decimals offset is 18 − USDT decimals (12 for 6-decimal USDT), so
    ///         1 share (1e18) is worth 1 USDT at inception and share inflation costs an attacker 1e12× the gain.
    uint8 internal constant SHARE_DECIMALS = 18;

    /// @notice D18{1} Index level at inception: 1,000 with 18 decimals.
    uint256 internal constant INITIAL_INDEX_LEVEL = 1000e18;

    /// @notice {tok units} Smallest fee-on-transfer probe: any transfer fee of 1 bps or more then shows as at least
    ///         one unit missing.
    uint256 internal constant MIN_PROBE_AMOUNT = 1e4;

    /// @notice Uniswap V3 price limit for a zeroForOne swap that should not be price-limited (TickMath.MIN_SQRT_RATIO + 1).
    uint160 internal constant MIN_SQRT_PRICE_LIMIT = 4_295_128_740;

    /// @notice Uniswap V3 price limit for a oneForZero swap that should not be price-limited (TickMath.MAX_SQRT_RATIO − 1).
    uint160 internal constant MAX_SQRT_PRICE_LIMIT = 1_461_446_703_485_210_103_287_273_052_203_988_822_378_723_970_341;

    /// @notice Pause flag: USDT deposits (`deposit`).
    uint8 internal constant PAUSE_DEPOSIT = 1;

    /// @notice Pause flag: in-kind deposits (`depositInKind`).
    uint8 internal constant PAUSE_DEPOSIT_IN_KIND = 2;

    /// @notice Pause flag: USDT redemptions (`redeem`). `redeemInKind` has no flag: it can never be paused.
    uint8 internal constant PAUSE_REDEEM = 4;

    /// @notice Every pause flag at once.
    uint8 internal constant PAUSE_ALL = PAUSE_DEPOSIT | PAUSE_DEPOSIT_IN_KIND | PAUSE_REDEEM;
}
