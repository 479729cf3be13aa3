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

    // -----------------------------------------------------------------------------------------------------------------
    // Roles (AccessControl on the vault; the modules and the batch check the vault's roles)
    // -----------------------------------------------------------------------------------------------------------------

    /// @notice Administers roles (AccessControl's DEFAULT_ADMIN_ROLE).
    bytes32 internal constant ADMIN_ROLE = 0x00;

    /// @notice Sets fees, slippage, minimum deposit; queues feeds, routes and increases behind the composition delay.
    bytes32 internal constant MANAGER_ROLE = keccak256("MANAGER_ROLE");

    /// @notice Runs rebalances and settles batches at any time.
    bytes32 internal constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    /// @notice Pauses USDT deposits, in-kind deposits and USDT redeems. Never `redeemInKind`.
    bytes32 internal constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    // -----------------------------------------------------------------------------------------------------------------
    // Rebalancing: bounds (every manager-set `RebalanceConfig` is validated against these) and defaults (in force
    // until the manager sets a configuration)
    // -----------------------------------------------------------------------------------------------------------------

    /// @notice {bps} Lowest drift threshold: below 0.1 % rebalances would chase Chainlink's own deviation noise.
    uint256 internal constant MIN_THRESHOLD_BPS = 10;

    /// @notice {bps} Highest drift threshold: 50 % drift is no longer an index.
    uint256 internal constant MAX_THRESHOLD_BPS = 5000;

    /// @notice {bps of NAV} Highest value-lost bound of one step: the swap slippage cap (5 %) applied to all of NAV.
    uint256 internal constant MAX_LOSS_BPS = 500;

    /// @notice {s} Longest cooldown: a week without rebalancing is the most an index may wait.
    uint256 internal constant MAX_COOLDOWN = 7 days;

    /// @notice {s} Shortest grace period before anyone may rebalance: the keeper gets at least an hour.
    uint256 internal constant MIN_GRACE_PERIOD = 1 hours;

    /// @notice {s} Longest grace period: a dead keeper may leave the index drifting a month at most.
    uint256 internal constant MAX_GRACE_PERIOD = 30 days;

    /// @notice {s} Shortest multi-step timeout: a few blocks of steps.
    uint256 internal constant MIN_TIMEOUT = 10 minutes;

    /// @notice {s} Longest multi-step timeout: USDT deposit/redeem never wait more than a week.
    uint256 internal constant MAX_TIMEOUT = 7 days;

    /// @notice {s} Shortest composition delay: holders get a day to exit before the basket changes.
    uint256 internal constant MIN_COMPOSITION_DELAY = 1 days;

    /// @notice {s} Longest composition delay.
    uint256 internal constant MAX_COMPOSITION_DELAY = 30 days;

    /// @notice {whole USDT} Largest bounty per permissionless step: covers gas, not a prize worth racing for.
    uint256 internal constant MAX_BOUNTY_USDT = 100;

    /// @notice {whole USDT} Largest `minTradeValue`: a trade of $10,000 is not dust for any vault, and a constituent
    ///         being removed is sold whole once its remainder is under `minTradeValue` (so that one sale stays bounded).
    uint256 internal constant MAX_MIN_TRADE_USDT = 10_000;

    /// @notice {bps} Default drift threshold: 2 %.
    uint16 internal constant DEFAULT_THRESHOLD_BPS = 200;

    /// @notice {bps of NAV} Default value-lost bound of one step: 0.5 %.
    uint16 internal constant DEFAULT_MAX_LOSS_BPS = 50;

    /// @notice {s} Default cooldown between rebalances.
    uint32 internal constant DEFAULT_COOLDOWN = 1 hours;

    /// @notice {s} Default grace period before anyone may rebalance.
    uint32 internal constant DEFAULT_GRACE_PERIOD = 1 days;

    /// @notice {s} Default multi-step timeout.
    uint32 internal constant DEFAULT_TIMEOUT = 1 days;

    /// @notice {s} Default composition (and value-moving configuration) delay.
    uint32 internal constant DEFAULT_COMPOSITION_DELAY = 2 days;

    /// @notice {whole USDT} Default smallest trade a rebalance makes.
    uint64 internal constant DEFAULT_MIN_TRADE_USDT = 10;

    /// @notice {whole USDT} Default bounty per permissionless step.
    uint64 internal constant DEFAULT_BOUNTY_USDT = 5;

    // -----------------------------------------------------------------------------------------------------------------
    // Batch (`IndexVaultBatch`): keeper policy bounds and defaults
    // -----------------------------------------------------------------------------------------------------------------

    /// @notice {s} Longest maxWait and gracePeriod: a week each, so a stalled keeper can trap requests at most two
    ///         weeks before anyone may settle (and cancellation is always open).
    uint256 internal constant BATCH_MAX_WAIT = 7 days;

    /// @notice {s} Shortest batch gracePeriod: an hour gives the keeper time to react before anyone may settle.
    uint256 internal constant BATCH_MIN_GRACE = 1 hours;

    /// @notice Default batch policy: {s} maxWait and gracePeriod of a day; minSettleValue 10,000 USDT (whole USDT).
    uint32 internal constant BATCH_DEFAULT_MAX_WAIT = 1 days;
    uint32 internal constant BATCH_DEFAULT_GRACE = 1 days;
    uint96 internal constant BATCH_DEFAULT_MIN_SETTLE_USDT = 10_000;
}
