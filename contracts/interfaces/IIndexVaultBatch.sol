// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @notice The keeper policy of a batch: when settling is due, and when anyone may settle.
struct BatchPolicy {
    uint32 maxWait; // {s} settle once the epoch's first request is this old
    uint32 gracePeriod; // {s} after maxWait, this long with no keeper settlement: anyone may settle
    uint96 minSettleValue; // {USDT units} settle earlier once the epoch's gross value (deposits + redeems at NAV) reaches this
    uint64 minRequestAssets; // {USDT units} smallest deposit request (griefing bound)
    uint96 minRequestShares; // {share} smallest redeem request (griefing bound)
}

/// @notice The open epoch as a keeper sees it (`epochStatus`).
struct EpochStatus {
    uint256 epoch; // the open epoch (= the requestId of requests made now)
    uint256 pendingAssets; // {USDT units} deposit requests in it (USDT held above what settled epochs owe)
    uint256 pendingShares; // {share} redeem requests in it (shares held above what settled epochs owe)
    uint256 openedAt; // {s} timestamp of its first request (0: none yet)
    uint256 age; // {s} now − openedAt (0 when empty)
    uint256 grossValue; // {USDT units} pendingAssets + pendingShares at NAV (pendingAssets alone if a price is invalid)
    bool due; // the keeper policy says settle now (and the vault accepts a settlement)
    uint256 permissionlessAt; // {s} earliest settlement by anyone (0: nothing pending)
}

/// @notice What a settled epoch paid out (`epochResult`).
struct EpochResult {
    uint128 depositAssets; // {USDT units} deposit requests settled
    uint128 redeemShares; // {share} redeem requests settled
    uint128 sharesOut; // {share} owed to the epoch's depositors, pro rata to depositAssets
    uint128 assetsOut; // {USDT units} owed to the epoch's redeemers, pro rata to redeemShares
}

/// @title IIndexVaultBatch
/// @notice The asynchronous front door of one index vault (ERC-7540 async deposit and async redeem, ERC-7575
///         `share()` = the vault's share token, `asset()` = USDT). Requests of an epoch are settled together: deposit
///         USDT and redeem shares are crossed against each other at the vault's oracle NAV, and only the net flow goes
///         through the vault's own USDT path (one `deposit` or one `redeem`, with its oracle floors). Claims follow
///         ERC-7540: after settlement the controller (or its operator) claims with `deposit`/`mint` (shares) or
///         `redeem`/`withdraw` (USDT); an operator can claim for many controllers in one transaction.
/// @dev Pricing of an epoch with deposits D {USDT} and redeem requests S {share}, NAV value of S = V (the vault's
///      `convertToAssets(S)`), mint fee fm and burn fee fb (the vault's):
///      - the crossed part is priced like a direct call without slippage: depositors pay C = V / (1 − fm) for the S
///        shares, redeemers receive V × (1 − fb), the two fees go to the vault's fee recipient in USDT;
///      - net deposit (D − C ≥ the vault's minimum deposit): the rest N = D − C is deposited in the vault, minting n;
///        depositors share S + n shares, redeemers V(1 − fb);
///      - net redeem ((V − D(1 − fm)) ≥ the vault's minimum deposit): depositors buy Sx = S·D(1 − fm)/V shares, the rest
///        S − Sx is redeemed in the vault for M; redeemers share M + D(1 − fm)(1 − fb);
///      - otherwise (a balanced epoch) nothing touches the vault: depositors share all S shares, redeemers D less both
///        fees (the side with the small excess gives it to the other side: at most the vault's minimum deposit).
///      Every depositor of an epoch gets the same shares per USDT and every redeemer the same USDT per share; claims
///      round down, fees up, so the sum of claims never exceeds what the settlement produced.
///      USDT must move exactly the amount asked: a deposit request measures what arrived and reverts
///      `IndexVaultBatch__TransferShortfall` otherwise (Tether's fee switch is dormant, not absent), so a fee switched
///      on stops new deposit requests instead of corrupting the accounting; cancellations and claims send exact amounts.
interface IIndexVaultBatch is IERC165 {
    // ---------------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice An address argument that must be set is zero.
    error IndexVaultBatch__ZeroAddress();

    /// @notice `initialize` on a clone whose immutable arguments name another vault or asset.
    error IndexVaultBatch__WrongCloneArgs();

    /// @notice The caller is neither the owner/controller nor one of its ERC-7540 operators.
    /// @param caller The caller.
    /// @param account The owner or controller it acted for.
    error IndexVaultBatch__NotAuthorized(address caller, address account);

    /// @notice A request below the minimum request size.
    /// @param amount {USDT units or share} The request.
    /// @param minimum {USDT units or share} The minimum.
    error IndexVaultBatch__RequestTooSmall(uint256 amount, uint256 minimum);

    /// @notice A request that would overflow the packed per-controller or per-epoch accounting.
    /// @param amount {USDT units or share} The request.
    error IndexVaultBatch__RequestTooLarge(uint256 amount);

    /// @notice The batch received a different amount of USDT than the request (a fee-on-transfer USDT).
    /// @param expected {USDT units} The request.
    /// @param received {USDT units} The balance change.
    error IndexVaultBatch__TransferShortfall(uint256 expected, uint256 received);

    /// @notice Nothing pending to cancel for this controller in the open epoch.
    /// @param controller The controller.
    error IndexVaultBatch__NothingPending(address controller);

    /// @notice A claim above what the controller may claim.
    /// @param controller The controller.
    /// @param amount {USDT units or share} Asked.
    /// @param claimable {USDT units or share} Claimable, in the same unit.
    error IndexVaultBatch__ExceedsClaimable(address controller, uint256 amount, uint256 claimable);

    /// @notice A claim of zero.
    error IndexVaultBatch__ZeroAmount();

    /// @notice The open epoch has no requests.
    /// @param epoch The open epoch.
    error IndexVaultBatch__NothingToSettle(uint256 epoch);

    /// @notice Settlement waits: a vault USDT path the epoch needs is paused.
    /// @param flag The vault's `ConstantsLib.PAUSE_*` flag that is set.
    error IndexVaultBatch__VaultPaused(uint8 flag);

    /// @notice Settlement waits: a multi-step rebalance is in flight.
    error IndexVaultBatch__VaultRebalancing();

    /// @notice Settlement waits: only deposits are pending and they sum below the vault's minimum deposit.
    /// @param assets {USDT units} Pending deposits.
    /// @param minDeposit {USDT units} The vault's minimum deposit.
    error IndexVaultBatch__BelowVaultMinimum(uint256 assets, uint256 minDeposit);

    /// @notice Only a holder of the vault's KEEPER_ROLE may settle now; anyone may from `permissionlessAt`.
    /// @param caller The caller.
    /// @param permissionlessAt {s} Earliest settlement by anyone.
    error IndexVaultBatch__SettlementNotOpen(address caller, uint256 permissionlessAt);

    /// @notice `performUpkeep` while the policy does not call for a settlement.
    error IndexVaultBatch__NotDue();

    /// @notice Only a holder of the vault's MANAGER_ROLE may change the policy.
    /// @param caller The caller.
    error IndexVaultBatch__NotManager(address caller);

    /// @notice A policy value outside its bounds (see `IndexVaultBatch` constants).
    error IndexVaultBatch__InvalidPolicy();

    /// @notice `previewDeposit`/`previewMint`/`previewRedeem`/`previewWithdraw`: undefined for an asynchronous vault.
    error IndexVaultBatch__AsyncFlow();

    // ---------------------------------------------------------------------------------------------------------------
    // Events (ERC-7540 first)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice ERC-7540: `owner` locked `assets` USDT in a deposit request of `controller`.
    event DepositRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 assets
    );

    /// @notice ERC-7540: `owner` locked `shares` in a redeem request of `controller`.
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );

    /// @notice ERC-7540: `controller` approved or revoked `operator`.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);

    /// @notice ERC-4626/7540: a deposit request was claimed (`sender` is the controller, `owner` the receiver).
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);

    /// @notice ERC-4626/7540: a redeem request was claimed (`owner` is the controller).
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );

    /// @notice A pending deposit request was cancelled and its USDT returned.
    /// @param controller The controller.
    /// @param receiver Who received the USDT.
    /// @param epoch The open epoch.
    /// @param assets {USDT units} Returned (exactly what was requested).
    event DepositRequestCancelled(
        address indexed controller, address indexed receiver, uint256 indexed epoch, uint256 assets
    );

    /// @notice A pending redeem request was cancelled and its shares returned.
    /// @param shares {share} Returned (exactly what was requested).
    event RedeemRequestCancelled(
        address indexed controller, address indexed receiver, uint256 indexed epoch, uint256 shares
    );

    /// @notice An epoch was settled.
    /// @param epoch The settled epoch (the next one is open).
    /// @param caller Who settled.
    /// @param depositAssets {USDT units} Deposit requests settled.
    /// @param redeemShares {share} Redeem requests settled.
    /// @param sharesOut {share} Owed to the epoch's depositors.
    /// @param assetsOut {USDT units} Owed to the epoch's redeemers.
    /// @param netAssets {USDT units} Deposited in the vault (0 unless the net flow was a deposit).
    /// @param netShares {share} Redeemed in the vault (0 unless the net flow was a redemption).
    /// @param crossValue {USDT units} NAV value of the shares handed from redeemers to depositors.
    /// @param fees {USDT units} Mint and burn fees of the crossed part, paid to the vault's fee recipient.
    /// @param gasUsed Gas the settlement used inside this contract (a metric for the keeper policy).
    event EpochSettled(
        uint256 indexed epoch,
        address indexed caller,
        uint256 depositAssets,
        uint256 redeemShares,
        uint256 sharesOut,
        uint256 assetsOut,
        uint256 netAssets,
        uint256 netShares,
        uint256 crossValue,
        uint256 fees,
        uint256 gasUsed
    );

    /// @notice The keeper policy changed.
    event PolicySet(BatchPolicy policy);

    /// @notice The batch was initialised for `vault`.
    event BatchInitialized(address indexed vault, address indexed asset);

    // ---------------------------------------------------------------------------------------------------------------
    // Initialisation
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Binds a fresh clone to `vault` (its factory calls it in the clone's transaction). Callable once.
    /// @dev The policy starts at the defaults: minimum requests = the vault's minimum deposit (and as many shares),
    ///      maxWait 1 day, gracePeriod 1 day, minSettleValue 10,000 USDT.
    /// @param vault The index vault.
    function initialize(address vault) external;

    // ---------------------------------------------------------------------------------------------------------------
    // ERC-7540 requests and operators
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Pulls `assets` USDT from `owner` into the open epoch as a deposit request of `controller`.
    /// @dev `msg.sender` is `owner` or one of its operators; `owner` approves this contract for USDT. Requests of one
    ///      controller in one epoch add up.
    /// @param assets {USDT units} At least `policy().minRequestAssets`.
    /// @param controller Who may claim or cancel the request.
    /// @param owner Whose USDT.
    /// @return requestId The open epoch.
    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256 requestId);

    /// @notice Takes `shares` from `owner` into the open epoch as a redeem request of `controller`.
    /// @dev `msg.sender` is `owner` or one of its operators; `owner` approves this contract on the share token.
    /// @param shares {share} At least `policy().minRequestShares`.
    /// @param controller Who may claim or cancel the request.
    /// @param owner Whose shares.
    /// @return requestId The open epoch.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice {USDT units} `controller`'s deposit request still waiting for settlement (requestId = its epoch).
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);

    /// @notice {USDT units} `controller`'s settled deposit requests not yet claimed (all settled epochs: claims take
    ///         amounts, not ids). 0 for a requestId that is still pending.
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);

    /// @notice {share} `controller`'s redeem request still waiting for settlement.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice {share} `controller`'s settled redeem requests not yet claimed.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice Approves or revokes `operator` for the caller's requests and claims.
    /// @return Always true.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice Whether `operator` may act for `controller`.
    function isOperator(address controller, address operator) external view returns (bool);

    // ---------------------------------------------------------------------------------------------------------------
    // Cancellation (synchronous, pending requests only)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Cancels `controller`'s pending deposit request in the open epoch and sends its USDT to `receiver`.
    /// @dev Works at any time, whatever the vault's state. Caller: the controller or its operator.
    /// @return assets {USDT units} Exactly what was requested.
    function cancelDepositRequest(address controller, address receiver) external returns (uint256 assets);

    /// @notice Cancels `controller`'s pending redeem request and sends its shares to `receiver` (which can then
    ///         always leave in kind through the vault's `redeemInKind`).
    /// @return shares {share} Exactly what was requested.
    function cancelRedeemRequest(address controller, address receiver) external returns (uint256 shares);

    // ---------------------------------------------------------------------------------------------------------------
    // ERC-7540 claims
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Claims the shares of `assets` of `controller`'s settled deposit requests to `receiver`.
    /// @return shares {share} Sent: assets × the epoch's shares per USDT, rounded down.
    function deposit(uint256 assets, address receiver, address controller) external returns (uint256 shares);

    /// @notice `deposit(assets, receiver, msg.sender)`.
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);

    /// @notice Claims exactly `shares` of `controller`'s settled deposit requests to `receiver`.
    /// @return assets {USDT units} Of the request consumed, rounded up.
    function mint(uint256 shares, address receiver, address controller) external returns (uint256 assets);

    /// @notice `mint(shares, receiver, msg.sender)`.
    function mint(uint256 shares, address receiver) external returns (uint256 assets);

    /// @notice Claims the USDT of `shares` of `controller`'s settled redeem requests to `receiver`.
    /// @return assets {USDT units} Sent, rounded down.
    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets);

    /// @notice Claims exactly `assets` USDT of `controller`'s settled redeem requests to `receiver`.
    /// @return shares {share} Of the request consumed, rounded up.
    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares);

    /// @notice Claims every listed controller's settled deposit requests in full, to the controller itself.
    /// @dev The caller must be each controller or its ERC-7540 operator, or hold the vault's KEEPER_ROLE (which can
    ///      only push a claim to its own controller, never redirect it); controllers with nothing claimable are
    ///      skipped. An extension next to ERC-7540's `deposit`/`redeem` claims, which keep their authorisation.
    /// @return total {share} Sent in all.
    function claimDeposits(address[] calldata controllers) external returns (uint256 total);

    /// @notice Claims every listed controller's settled redeem requests in full, to the controller itself.
    /// @return total {USDT units} Sent in all.
    function claimRedeems(address[] calldata controllers) external returns (uint256 total);

    /// @notice Runs several calls of this batch in one transaction, each exactly as if the caller had made it directly
    ///      (same `msg.sender`, same checks and events); if one reverts, all revert with its error.
    /// @dev OpenZeppelin's `Multicall` (DELEGATECALL to itself; nothing here is payable). Its use here: the keeper
    ///      settles and pushes the epoch's claims (`settle`, `claimDeposits`, `claimRedeems`) in one transaction, so
    ///      the claims find the epoch's result, the reserve and both tokens warm and the users share one 21,000-gas
    ///      transaction base instead of three. Each request still passes through the claimable state: the claims are
    ///      separate calls after the settlement, under the same authorisation as alone.
    /// @param data ABI-encoded calls of this contract's functions.
    /// @return results Each call's return data.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    // ---------------------------------------------------------------------------------------------------------------
    // Settlement and keeper policy
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Settles the open epoch (see the pricing in the contract notes) and opens the next.
    /// @dev Caller: a holder of the vault's KEEPER_ROLE; anyone from `epochStatus().permissionlessAt`. Reverts with
    ///      `IndexVaultBatch__VaultPaused`, `__VaultRebalancing` or `__BelowVaultMinimum` while the settlement must
    ///      wait, and with the vault's own `IOracleErrors` error (naming the feed) while a price is invalid; a revert
    ///      changes nothing (every request stays pending and cancellable).
    /// @return epoch The settled epoch.
    function settle() external returns (uint256 epoch);

    /// @notice Chainlink Automation: whether the policy calls for a settlement now.
    /// @return upkeepNeeded `epochStatus().due`.
    /// @return performData Empty.
    function checkUpkeep(bytes calldata checkData) external view returns (bool upkeepNeeded, bytes memory performData);

    /// @notice Chainlink Automation: settles when `checkUpkeep` says so (same callers as `settle`).
    function performUpkeep(bytes calldata performData) external;

    /// @notice Sets the keeper policy. The vault's MANAGER_ROLE.
    function setPolicy(BatchPolicy calldata policy) external;

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice ERC-7575: the share token (the index vault).
    function share() external view returns (address);

    /// @notice ERC-7575: USDT.
    function asset() external view returns (address);

    /// @notice The index vault (= `share()`).
    function vault() external view returns (address);

    /// @notice The open epoch and what a keeper needs to decide.
    function epochStatus() external view returns (EpochStatus memory);

    /// @notice A settled epoch's totals (zeros for the open one).
    function epochResult(uint256 epoch) external view returns (EpochResult memory);

    /// @notice The keeper policy.
    function policy() external view returns (BatchPolicy memory);

    /// @notice {USDT units} The vault's NAV (ERC-4626 view, forwarded).
    function totalAssets() external view returns (uint256);

    /// @notice {share} The vault's conversion at oracle NAV (forwarded).
    function convertToShares(uint256 assets) external view returns (uint256);

    /// @notice {USDT units} The vault's conversion at oracle NAV (forwarded).
    function convertToAssets(uint256 shares) external view returns (uint256);

    /// @notice {USDT units} Claimable deposit assets of `controller`.
    function maxDeposit(address controller) external view returns (uint256);

    /// @notice {share} Claimable shares of `controller`.
    function maxMint(address controller) external view returns (uint256);

    /// @notice {share} Claimable redeem shares of `controller`.
    function maxRedeem(address controller) external view returns (uint256);

    /// @notice {USDT units} Claimable USDT of `controller`.
    function maxWithdraw(address controller) external view returns (uint256);

    /// @notice Reverts `IndexVaultBatch__AsyncFlow` (ERC-7540).
    function previewDeposit(uint256) external view returns (uint256);

    /// @notice Reverts `IndexVaultBatch__AsyncFlow` (ERC-7540).
    function previewMint(uint256) external view returns (uint256);

    /// @notice Reverts `IndexVaultBatch__AsyncFlow` (ERC-7540).
    function previewRedeem(uint256) external view returns (uint256);

    /// @notice Reverts `IndexVaultBatch__AsyncFlow` (ERC-7540).
    function previewWithdraw(uint256) external view returns (uint256);
}
