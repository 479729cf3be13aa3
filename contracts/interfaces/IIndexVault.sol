// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

/// @notice One constituent as given at configuration (factory → `initialize`).
struct ConstituentParams {
    address token; // the ERC-20 held by the vault; never USDT; no fee on transfer
    uint16 targetWeightBps; // {bps} share of NAV the basket aims for; all targets sum to 10,000
    address feed; // Chainlink TOKEN/USD aggregator (proxy)
    uint32 heartbeat; // {s} the longest accepted age of the feed's answer
    address[] path; // buy route: path[0] = USDT, path[last] = token, at most MAX_HOPS hops; selling reverses it
    uint24[] fees; // {hundredths of a bip} Uniswap V3 fee tier of each hop: fees[i] is the pool of path[i], path[i+1]
}

/// @notice Vault-wide parameters at creation.
struct VaultParams {
    string name; // ERC-20 name of the share
    string symbol; // ERC-20 symbol of the share
    address admin; // DEFAULT_ADMIN_ROLE: meant to be a timelock; grants roles, sets the fee recipient
    address manager; // MANAGER_ROLE: fees, slippage, minimum deposit, feeds, routes (address(0): none yet)
    address keeper; // KEEPER_ROLE: rebalancing (address(0): none yet)
    address guardian; // GUARDIAN_ROLE: pauses USDT deposits, in-kind deposits and USDT redeems (address(0): none)
    address feeRecipient; // receives the mint and burn fees (USDT or shares) and management-fee shares
    uint16 mintFeeBps; // {bps} of each deposit
    uint16 burnFeeBps; // {bps} of each redemption
    uint16 managementFeeBps; // {bps per year} streamed by minting shares
    uint16 maxSlippageBps; // {bps} every swap returns at least its Chainlink value less this (and a rounding tolerance)
    uint96 minDeposit; // {USDT units} smallest USDT deposit
    address usdtFeed; // Chainlink USDT/USD aggregator (proxy)
    uint32 usdtHeartbeat; // {s}
    address sequencerFeed; // Chainlink L2 sequencer-uptime feed; address(0) on L1
    uint32 sequencerGracePeriod; // {s} prices are distrusted this long after the sequencer restarts
}

/// @notice A constituent's configuration, as reported by `constituent(i)`.
struct ConstituentInfo {
    address token;
    uint16 targetWeightBps; // {bps}
    uint8 tokenDecimals;
    address feed;
    uint32 heartbeat; // {s}
    uint8 feedDecimals;
    address[] path; // buy route tokens, USDT first
    address[] pools; // pools[i] trades path[i] ↔ path[i + 1]
}

/// @notice A constituent's holdings valued at the oracle, as reported by `basket()`.
struct ConstituentState {
    address token;
    uint256 balance; // {tok units} held for shareholders (excludes deferred claims)
    uint256 price; // D18{USD/tok} validated Chainlink price
    uint256 value; // {USDT units} balance × price / USDT price, rounded down
    uint256 targetWeightBps; // {bps}
    uint256 currentWeightBps; // {bps} value / NAV (NAV includes idle USDT), rounded down
}

/// @notice Vault-wide configuration and state, as reported by `config()`.
struct VaultConfig {
    address feeRecipient;
    uint96 minDeposit; // {USDT units}
    uint16 mintFeeBps; // {bps}
    uint16 burnFeeBps; // {bps}
    uint16 managementFeeBps; // {bps per year}
    uint16 maxSlippageBps; // {bps}
    uint8 pauseFlags; // ConstantsLib.PAUSE_* bits
    bool rebalancing; // a multi-step rebalance is in flight: USDT deposit and redeem wait
    uint40 lastFeeAccrual; // {s}
    address usdtFeed;
    uint32 usdtHeartbeat; // {s}
    address sequencerFeed;
    uint32 sequencerGracePeriod; // {s}
}

/// @title IIndexVault
/// @notice An index fund as an ERC-4626 vault over USDT. Depositing USDT buys every constituent on Uniswap V3 in the
///         same transaction and mints shares for the Chainlink value received; redeeming sells the pro-rata basket
///         back to USDT. In-kind paths move the basket itself and need neither Uniswap nor oracles; `redeemInKind`
///         can never be paused.
/// @dev Shares have 18 decimals (decimals offset 18 − USDT decimals). The first deposit mints 1 share (1e18) per
///      1 USDT of value received, so NAV per share starts at 1 USDT and the index level at 1,000.
///      `mint` and `withdraw` (exact output) are disabled as ERC-4626 allows: `maxMint`/`maxWithdraw` return 0 and the
///      calls revert with `IndexVault__ExactOutputUnsupported`.
///      `totalAssets()` reverts with an `IOracleErrors` error when a price is invalid rather than return a value that
///      integrators could mistake for a live NAV.
///      In-kind arrays list the constituents in order, then USDT (length constituentCount() + 1).
///      `convertToShares`/`convertToAssets` price at oracle NAV with OpenZeppelin's virtual shares (10^offset) and
///      virtual asset (1 unit); `previewRedeem`/`redeem` pay the pro-rata holdings of the real supply. Both agree to
///      rounding once the supply is well above 10^offset (10^12 = 0.000001 share). In one state they do not: USDT
///      donated to an EMPTY vault is taken by the first depositor, whose deposit then mints very few shares, and
///      `convertToAssets` reports far less (≈ 100× in the attack test) than `previewRedeem` pays for the same shares.
///      To know what a redemption pays, read `previewRedeem`, never `convertToAssets`.
interface IIndexVault is IERC4626, IUniswapV3SwapCallback {
    // ---------------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice An address argument that must be set is zero.
    error IndexVault__ZeroAddress();

    /// @notice An amount of assets or shares that must be positive is zero.
    error IndexVault__ZeroAmount();

    /// @notice The deposit would mint no shares.
    /// @param assets {USDT units} The deposit.
    error IndexVault__ZeroShares(uint256 assets);

    /// @notice The USDT deposit is below the minimum.
    /// @param assets {USDT units} The deposit.
    /// @param minDeposit {USDT units} The minimum.
    error IndexVault__DepositTooSmall(uint256 assets, uint256 minDeposit);

    /// @notice The caller's own bound on a deposit: fewer shares than asked for.
    /// @param shares {share} Shares the deposit would mint.
    /// @param minShares {share} The caller's minimum.
    error IndexVault__InsufficientShares(uint256 shares, uint256 minShares);

    /// @notice The caller's own bound on a redemption: less USDT than asked for.
    /// @param assets {USDT units} USDT the redemption would pay.
    /// @param minAssets {USDT units} The caller's minimum.
    error IndexVault__InsufficientAssets(uint256 assets, uint256 minAssets);

    /// @notice The wallet call arrived after its deadline.
    /// @param deadline {s} The caller's deadline.
    /// @param timestamp {s} The block timestamp.
    error IndexVault__DeadlineExpired(uint256 deadline, uint256 timestamp);

    /// @notice The entry point is paused.
    /// @param flag The `ConstantsLib.PAUSE_*` flag that is set.
    error IndexVault__Paused(uint8 flag);

    /// @notice A multi-step rebalance is in flight: USDT deposits and redeems wait for it to finish.
    error IndexVault__RebalanceInProgress();

    /// @notice An in-kind deposit needs an existing basket to be pro-rata to.
    error IndexVault__EmptyVault();

    /// @notice `mint` and `withdraw` (exact output) are not supported; use `deposit` and `redeem`.
    error IndexVault__ExactOutputUnsupported();

    /// @notice An in-kind deposit received less of a token than the pro-rata amount (fee-on-transfer or broken token).
    /// @param token The token.
    /// @param expected {tok units} Pro-rata amount.
    /// @param received {tok units} Balance change.
    error IndexVault__TransferShortfall(address token, uint256 expected, uint256 received);

    /// @notice Nothing deferred for this account and token.
    /// @param account The caller.
    /// @param token The token.
    error IndexVault__NothingToClaim(address account, address token);

    /// @notice A fee above its hard cap.
    /// @param feeBps {bps} (or {bps per year}) The rejected fee.
    /// @param maxFeeBps {bps} Its cap in `ConstantsLib`.
    error IndexVault__FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);

    /// @notice A slippage bound of zero or above `ConstantsLib.MAX_SLIPPAGE_BPS`.
    /// @param slippageBps {bps} The rejected bound.
    error IndexVault__InvalidSlippage(uint256 slippageBps);

    /// @notice A swap route returned less than its Chainlink value less `maxSlippageBps` and a rounding tolerance.
    /// @param tokenOut The route's output token.
    /// @param amountOut {tokOut units} What the route returned.
    /// @param minAmountOut {tokOut units} The oracle-derived floor.
    error IndexVault__SwapOutputTooLow(address tokenOut, uint256 amountOut, uint256 minAmountOut);

    /// @notice A pool did not consume the whole exact input (it ran out of liquidity before the price limit).
    /// @param pool The pool.
    /// @param amountIn {tokIn units} Asked.
    /// @param amountConsumed {tokIn units} Consumed.
    error IndexVault__PartialFill(address pool, uint256 amountIn, uint256 amountConsumed);

    /// @notice `uniswapV3SwapCallback` called by anything but the pool the vault is swapping with right now.
    /// @param caller The caller.
    error IndexVault__UnauthorizedCallback(address caller);

    /// @notice A pool asked for more than the exact input the vault offered.
    /// @param pool The pool.
    /// @param amountOwed {tokIn units} Asked.
    /// @param amountIn {tokIn units} Offered.
    error IndexVault__CallbackOverpayment(address pool, uint256 amountOwed, uint256 amountIn);

    /// @notice The number of constituents is zero or above `ConstantsLib.MAX_CONSTITUENTS`.
    /// @param count The rejected count.
    error IndexVault__InvalidConstituentCount(uint256 count);

    /// @notice A constituent index past the end of the basket.
    /// @param index The index.
    /// @param count The number of constituents.
    error IndexVault__InvalidIndex(uint256 index, uint256 count);

    /// @notice A constituent token is zero, USDT itself, or listed twice.
    /// @param token The rejected token.
    error IndexVault__InvalidConstituent(address token);

    /// @notice A token reports more decimals than `ConstantsLib.MAX_DECIMALS`, or none.
    /// @param token The token.
    error IndexVault__UnsupportedToken(address token);

    /// @notice A zero target weight, or targets that do not sum to 10,000.
    /// @param sumBps {bps} The sum of the targets given (or the zero weight found).
    error IndexVault__InvalidWeights(uint256 sumBps);

    /// @notice A route whose shape is wrong: length, endpoints, fee count or repeated tokens.
    /// @param token The constituent.
    error IndexVault__InvalidRoute(address token);

    /// @notice The Uniswap V3 factory has no pool for a hop.
    /// @param tokenA One token of the hop.
    /// @param tokenB The other token.
    /// @param fee {hundredths of a bip} The fee tier.
    error IndexVault__PoolNotFound(address tokenA, address tokenB, uint24 fee);

    // ---------------------------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice USDT was deposited and the basket bought (emitted with ERC-4626 `Deposit`).
    /// @param caller Who paid.
    /// @param receiver Who received the shares.
    /// @param assets {USDT units} USDT received by the vault.
    /// @param mintFee {USDT units} Paid to the fee recipient.
    /// @param valueIn {USDT units} Chainlink value of the constituents bought.
    /// @param navBefore {USDT units} NAV before the deposit, rounded up.
    /// @param shares {share} Minted to `receiver`.
    event Deposited(
        address indexed caller,
        address indexed receiver,
        uint256 assets,
        uint256 mintFee,
        uint256 valueIn,
        uint256 navBefore,
        uint256 shares
    );

    /// @notice Shares were redeemed for USDT (emitted with ERC-4626 `Withdraw`).
    /// @param caller Who called.
    /// @param receiver Who received the USDT.
    /// @param owner Whose shares were burnt.
    /// @param shares {share} Burnt.
    /// @param proceeds {USDT units} From selling the pro-rata constituents plus pro-rata idle USDT.
    /// @param burnFee {USDT units} Paid to the fee recipient.
    /// @param assets {USDT units} Paid to `receiver` (proceeds − burnFee).
    event Redeemed(
        address indexed caller,
        address indexed receiver,
        address indexed owner,
        uint256 shares,
        uint256 proceeds,
        uint256 burnFee,
        uint256 assets
    );

    /// @notice A pro-rata basket was deposited in kind.
    /// @param caller Who paid the basket.
    /// @param receiver Who received the shares.
    /// @param shares {share} Shares paid for (`receiver` gets shares − feeShares).
    /// @param feeShares {share} Mint fee, minted to the fee recipient.
    /// @param amounts {tok units} Pulled: constituents in order, then USDT.
    event DepositedInKind(
        address indexed caller, address indexed receiver, uint256 shares, uint256 feeShares, uint256[] amounts
    );

    /// @notice Shares were redeemed for the pro-rata basket.
    /// @param caller Who called.
    /// @param receiver Who received the basket.
    /// @param owner Whose shares were taken.
    /// @param shares {share} Taken from `owner` (shares − feeShares burnt).
    /// @param feeShares {share} Burn fee, transferred to the fee recipient.
    /// @param amounts {tok units} Owed to `receiver`: constituents in order, then USDT (including deferred ones).
    event RedeemedInKind(
        address indexed caller,
        address indexed receiver,
        address indexed owner,
        uint256 shares,
        uint256 feeShares,
        uint256[] amounts
    );

    /// @notice A token transfer to an in-kind redeemer failed; the amount is kept for `receiver` to `claim`.
    /// @param receiver Who may claim it.
    /// @param token The token.
    /// @param amount {tok units}
    event TransferDeferred(address indexed receiver, address indexed token, uint256 amount);

    /// @notice A deferred amount was claimed.
    /// @param account The account it was owed to.
    /// @param token The token.
    /// @param to Where it was sent.
    /// @param amount {tok units}
    event Claimed(address indexed account, address indexed token, address to, uint256 amount);

    /// @notice Management-fee shares were minted.
    /// @param feeRecipient Who received them.
    /// @param shares {share} Minted.
    /// @param elapsed {s} Since the previous accrual.
    event ManagementFeeAccrued(address indexed feeRecipient, uint256 shares, uint256 elapsed);

    /// @notice A constituent was configured at initialisation.
    /// @param index Its position.
    /// @param token The token.
    /// @param targetWeightBps {bps}
    /// @param feed Chainlink TOKEN/USD feed.
    /// @param heartbeat {s}
    /// @param path Buy route tokens, USDT first.
    /// @param pools The pool of each hop.
    event ConstituentAdded(
        uint256 indexed index,
        address indexed token,
        uint16 targetWeightBps,
        address feed,
        uint32 heartbeat,
        address[] path,
        address[] pools
    );

    /// @notice A constituent's feed or heartbeat changed.
    event ConstituentFeedSet(uint256 indexed index, address indexed token, address feed, uint32 heartbeat);

    /// @notice A constituent's route changed.
    event ConstituentRouteSet(uint256 indexed index, address indexed token, address[] path, address[] pools);

    /// @notice {bps} The mint fee changed.
    event MintFeeSet(uint256 oldFeeBps, uint256 newFeeBps);

    /// @notice {bps} The burn fee changed.
    event BurnFeeSet(uint256 oldFeeBps, uint256 newFeeBps);

    /// @notice {bps per year} The management fee changed (fees up to now were accrued at the old rate).
    event ManagementFeeSet(uint256 oldFeeBps, uint256 newFeeBps);

    /// @notice {bps} The per-swap slippage bound changed.
    event MaxSlippageSet(uint256 oldSlippageBps, uint256 newSlippageBps);

    /// @notice {USDT units} The minimum deposit changed.
    event MinDepositSet(uint256 oldMinDeposit, uint256 newMinDeposit);

    /// @notice The fee recipient changed (management fees up to now went to the old one).
    event FeeRecipientSet(address oldFeeRecipient, address newFeeRecipient);

    /// @notice The USDT/USD feed or its heartbeat ({s}) changed.
    event UsdtFeedSet(address feed, uint32 heartbeat);

    /// @notice The sequencer-uptime feed or its grace period ({s}) changed.
    event SequencerFeedSet(address feed, uint32 gracePeriod);

    /// @notice Pause flags changed.
    /// @param account Who changed them.
    /// @param oldFlags Before.
    /// @param newFlags After.
    event PauseFlagsSet(address indexed account, uint8 oldFlags, uint8 newFlags);

    /// @notice The rebalancing state changed.
    event RebalancingSet(bool rebalancing);

    /// @notice The constituent table (a read-only copy of the constituents' configuration, read by the USDT paths)
    ///         was republished after a configuration change.
    /// @param table The data contract now holding the table.
    /// @param constituentCount Constituents in it.
    event ConstituentTablePublished(address table, uint256 constituentCount);

    /// @notice The vault was initialised.
    event VaultInitialized(string name, string symbol, uint256 constituentCount);

    // ---------------------------------------------------------------------------------------------------------------
    // Initialisation
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Configures a fresh clone. Callable once; the factory calls it in the same transaction as the clone.
    /// @dev Validates every bound itself: fees and slippage against their caps, feeds answering validly, weights,
    ///      no duplicate or USDT constituent, routes from USDT to the constituent through existing Uniswap V3 pools.
    ///      The fee-on-transfer probe needs the creator's tokens and is done by the factory.
    /// @param params Vault-wide parameters.
    /// @param constituents The basket.
    function initialize(VaultParams calldata params, ConstituentParams[] calldata constituents) external;

    // ---------------------------------------------------------------------------------------------------------------
    // USDT paths with the caller's bounds (ERC-5143 style)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice `deposit(assets, receiver)` that reverts unless at least `minShares` are minted.
    /// @param assets {USDT units} To pull from the caller.
    /// @param receiver Receives the shares.
    /// @param minShares {share} The caller's minimum.
    /// @return shares {share} Minted.
    function deposit(uint256 assets, address receiver, uint256 minShares) external returns (uint256 shares);

    /// @notice `deposit(assets, receiver, minShares)` that also reverts after `deadline` (for wallet calls).
    /// @param deadline {s} Last accepted block timestamp.
    function deposit(uint256 assets, address receiver, uint256 minShares, uint256 deadline)
        external
        returns (uint256 shares);

    /// @notice `redeem(shares, receiver, owner)` that reverts unless at least `minAssets` USDT are paid.
    /// @param shares {share} To burn from `owner`.
    /// @param receiver Receives the USDT.
    /// @param owner Whose shares (the caller needs an allowance unless it is `owner`).
    /// @param minAssets {USDT units} The caller's minimum.
    /// @return assets {USDT units} Paid to `receiver`.
    function redeem(uint256 shares, address receiver, address owner, uint256 minAssets)
        external
        returns (uint256 assets);

    /// @notice `redeem(shares, receiver, owner, minAssets)` that also reverts after `deadline`.
    /// @param deadline {s} Last accepted block timestamp.
    function redeem(uint256 shares, address receiver, address owner, uint256 minAssets, uint256 deadline)
        external
        returns (uint256 assets);

    // ---------------------------------------------------------------------------------------------------------------
    // In-kind paths (no oracle, no Uniswap)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Pulls the pro-rata basket (rounded up) for `shares` and mints them, less the mint fee in shares.
    /// @dev Reverts on an empty vault. The caller approves each constituent and USDT (see `previewDepositInKind`).
    /// @param shares {share} Shares paid for.
    /// @param receiver Receives shares − feeShares.
    /// @return amounts {tok units} Pulled: constituents in order, then USDT.
    function depositInKind(uint256 shares, address receiver) external returns (uint256[] memory amounts);

    /// @notice Burns `shares` (less the burn fee, transferred in shares) and pays the pro-rata basket, rounded down.
    /// @dev Never paused, never blocked by oracles or a rebalance. A token whose transfer to `receiver` fails does
    ///      not block the others: its amount is deferred to `claim`. Reverts `ERC4626ExceededMaxRedeem` when
    ///      `shares` exceed `owner`'s balance.
    /// @param shares {share} Taken from `owner`.
    /// @param receiver Receives the basket.
    /// @param owner Whose shares (the caller needs an allowance unless it is `owner`).
    /// @return amounts {tok units} Owed to `receiver`: constituents in order, then USDT.
    function redeemInKind(uint256 shares, address receiver, address owner) external returns (uint256[] memory amounts);

    /// @notice Sends what an in-kind redemption could not transfer to the caller.
    /// @param token The token.
    /// @param to Where to send it.
    /// @return amount {tok units} Sent.
    function claim(address token, address to) external returns (uint256 amount);

    /// @notice Mints the management fee accrued up to now (every entry point does this first).
    /// @return feeShares {share} Minted to the fee recipient.
    function accrueManagementFee() external returns (uint256 feeShares);

    // ---------------------------------------------------------------------------------------------------------------
    // Parameters
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Sets the mint fee. MANAGER_ROLE. Capped by `ConstantsLib.MAX_MINT_FEE_BPS`. A decrease applies at once;
    ///         an increase is queued behind the composition delay (`IIndexVaultComposer.ConfigChangeProposed`).
    /// @param feeBps {bps}
    function setMintFee(uint16 feeBps) external;

    /// @notice Sets the burn fee. MANAGER_ROLE. Capped by `ConstantsLib.MAX_BURN_FEE_BPS`. A decrease applies at once;
    ///         an increase is queued behind the composition delay (`IIndexVaultComposer.ConfigChangeProposed`).
    /// @param feeBps {bps}
    function setBurnFee(uint16 feeBps) external;

    /// @notice Accrues at the old rate, then sets the management fee. MANAGER_ROLE. Capped by
    ///         `ConstantsLib.MAX_MANAGEMENT_FEE_BPS`. A decrease applies at once; an increase is queued behind the
    ///         composition delay (`IIndexVaultComposer.ConfigChangeProposed`) and accrues at the old rate when applied.
    /// @param feeBps {bps per year}
    function setManagementFee(uint16 feeBps) external;

    /// @notice Sets the per-swap slippage bound. MANAGER_ROLE. In (0, `ConstantsLib.MAX_SLIPPAGE_BPS`]. Tightening
    ///         applies at once; widening is queued behind the composition delay (`IIndexVaultComposer`).
    /// @param slippageBps {bps}
    function setMaxSlippage(uint16 slippageBps) external;

    /// @notice Sets the minimum USDT deposit. MANAGER_ROLE.
    /// @param minDeposit {USDT units}
    function setMinDeposit(uint96 minDeposit) external;

    /// @notice Accrues to the old recipient, then sets the fee recipient. DEFAULT_ADMIN_ROLE.
    /// @param feeRecipient Non-zero.
    function setFeeRecipient(address feeRecipient) external;

    /// @notice Queues a new USDT/USD feed behind the composition delay (`IIndexVaultComposer.executeConfigChange`).
    ///         MANAGER_ROLE. The feed must answer validly now and when applied.
    /// @param feed Chainlink USDT/USD.
    /// @param heartbeat {s}
    function setUsdtFeed(address feed, uint32 heartbeat) external;

    /// @notice Queues a new L2 sequencer-uptime feed (address(0) for none) behind the composition delay
    ///         (`IIndexVaultComposer.executeConfigChange`). MANAGER_ROLE. Validated now and when applied.
    /// @param feed Chainlink sequencer-uptime feed.
    /// @param gracePeriod {s}
    function setSequencerFeed(address feed, uint32 gracePeriod) external;

    /// @notice Queues a new feed for a constituent's token behind the composition delay
    ///         (`IIndexVaultComposer.executeConfigChange`). MANAGER_ROLE. The feed must answer validly now and when
    ///         applied; it applies to the token wherever a rebalance's drop has moved it.
    /// @param index The constituent.
    /// @param feed Chainlink TOKEN/USD.
    /// @param heartbeat {s}
    function setConstituentFeed(uint256 index, address feed, uint32 heartbeat) external;

    /// @notice Queues a new route for a constituent's token behind the composition delay
    ///         (`IIndexVaultComposer.executeConfigChange`), validated like at initialisation, now and when applied.
    ///         MANAGER_ROLE.
    /// @param index The constituent.
    /// @param path Buy route tokens, USDT first, the constituent last.
    /// @param fees {hundredths of a bip} Fee tier of each hop.
    function setConstituentRoute(uint256 index, address[] calldata path, uint24[] calldata fees) external;

    /// @notice Sets pause flags (`ConstantsLib.PAUSE_*`). GUARDIAN_ROLE.
    /// @param flags Bits to set.
    function pause(uint8 flags) external;

    /// @notice Clears pause flags. GUARDIAN_ROLE.
    /// @param flags Bits to clear.
    function unpause(uint8 flags) external;

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The Uniswap V3 factory that routes are validated against.
    function uniswapFactory() external view returns (address);

    /// @notice Number of constituents.
    function constituentCount() external view returns (uint256);

    /// @notice A constituent's configuration.
    /// @param index The constituent.
    function constituent(uint256 index) external view returns (ConstituentInfo memory);

    /// @notice Every constituent's holdings, Chainlink value and current vs target weight. Reverts on a bad price.
    /// @return states One per constituent.
    /// @return idleUsdt {USDT units} USDT held for shareholders.
    /// @return nav {USDT units} Σ values + idleUsdt (= totalAssets()).
    function basket() external view returns (ConstituentState[] memory states, uint256 idleUsdt, uint256 nav);

    /// @notice NAV per share, at the Chainlink prices.
    /// @return {USDT units per 1e18 shares} 1 USDT (10^USDT decimals) at inception; management fees pending are
    ///         counted as minted.
    function navPerShare() external view returns (uint256);

    /// @notice The index level: 1,000 at inception, moving with NAV per share.
    /// @return D18{1} 1,000e18 × navPerShare / 1 USDT.
    function indexLevel() external view returns (uint256);

    /// @notice Vault-wide configuration and state.
    function config() external view returns (VaultConfig memory);

    /// @notice Management-fee shares that the next interaction will mint.
    function pendingManagementFeeShares() external view returns (uint256);

    /// @notice What an in-kind deposit of `shares` pulls now (rounded up). Needs no oracle.
    /// @return amounts {tok units} Constituents in order, then USDT.
    function previewDepositInKind(uint256 shares) external view returns (uint256[] memory amounts);

    /// @notice What an in-kind redemption of `shares` pays now (rounded down, after the burn fee). Needs no oracle.
    /// @return amounts {tok units} Constituents in order, then USDT.
    function previewRedeemInKind(uint256 shares) external view returns (uint256[] memory amounts);

    /// @notice Deferred amount of `token` owed to `account`.
    function claimable(address account, address token) external view returns (uint256);

    /// @notice Total deferred amount of `token` (excluded from the basket).
    function totalClaimable(address token) external view returns (uint256);
}
