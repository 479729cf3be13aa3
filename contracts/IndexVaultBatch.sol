// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";

import {IIndexVault, VaultConfig} from "./interfaces/IIndexVault.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {IIndexVaultBatch, BatchPolicy, EpochStatus, EpochResult} from "./interfaces/IIndexVaultBatch.sol";

/// @title IndexVaultBatch
/// @notice ERC-7540 batched deposits and redemptions for one index vault: requests of an epoch are netted, crossed at
///         the vault's oracle NAV, and only the net flow goes through the vault. See `IIndexVaultBatch`.
/// @dev Deployed once as an implementation; each vault gets an ERC-1167 clone with immutable arguments
///      abi.encode(vault, usdt) (`IndexBatchFactory`), read from the clone's own code instead of storage.
///      Storage is laid out for the request, the call every user pays:
///      - one slot per controller (`Account`: epoch, carry flags, pending/settled assets and shares) that never goes
///        back to zero once used (the epoch stays), so a returning user pays a 2,900-gas rewrite, not a 20,000 write;
///      - one slot of totals per epoch (deposit assets, redeem shares), one slot for the open epoch and the minimum
///        request sizes; no per-request storage.
///      An account's amounts belong to the epoch it records: pending while that epoch is open, claimable once it is
///      settled (every epoch but the open one is settled). A request in a later epoch while the account still holds a
///      settled, unclaimed amount moves that amount to `_carry` (the rare case pays the extra slots).
contract IndexVaultBatch is IIndexVaultBatch, ReentrancyGuardTransient, Initializable, Multicall {
    using SafeERC20 for IERC20;
    using Math for uint256;

    /// @notice The vault role that settles at any time (the vault's rebalancing keeper, or an Automation forwarder).
    bytes32 public constant KEEPER_ROLE = ConstantsLib.KEEPER_ROLE;

    /// @notice The vault role that sets the keeper policy.
    bytes32 public constant MANAGER_ROLE = ConstantsLib.MANAGER_ROLE;

    /// @dev Per controller, one slot. `epoch` stays non-zero once set.
    struct Account {
        uint32 epoch; // the epoch of `assets` and `shares`
        uint8 carry; // CARRY_DEPOSIT | CARRY_REDEEM: `_carry` holds settled amounts of an earlier epoch
        uint104 assets; // {USDT units} deposit request of `epoch` (pending or claimable)
        uint112 shares; // {share} redeem request of `epoch` (pending or claimable)
    }

    /// @dev Settled, unclaimed amounts moved out of `Account` by a later request: input and output of each side.
    struct Carry {
        uint128 depositAssets; // {USDT units} claimable deposit input
        uint128 depositShares; // {share} its shares
        uint128 redeemShares; // {share} claimable redeem input
        uint128 redeemAssets; // {USDT units} its USDT
    }

    /// @dev The open epoch and the request bounds, one slot.
    struct State {
        uint32 epoch; // the open epoch (from 1)
        uint40 openedAt; // {s} first request of the open epoch (0: none)
        uint64 minRequestAssets; // {USDT units}
        uint96 minRequestShares; // {share}
    }

    /// @dev Keeper policy, one slot (read by settlement and upkeep only).
    struct Timing {
        uint32 maxWait; // {s}
        uint32 gracePeriod; // {s}
        uint96 minSettleValue; // {USDT units}
    }

    /// @dev {bytes} Length of the ERC-1167 runtime that OpenZeppelin's `Clones` puts before a clone's immutable args.
    uint256 internal constant CLONE_RUNTIME_SIZE = 0x2d;

    /// @dev `_consume`: claim everything claimable.
    uint256 internal constant ALL = type(uint256).max;

    uint8 internal constant CARRY_DEPOSIT = 1;
    uint8 internal constant CARRY_REDEEM = 2;

    State internal _state;
    Timing internal _timing;

    /// @dev What the batch holds for settled epochs, not yet claimed (plus claim rounding dust, which stays). The
    ///      open epoch's requests are the balances above these, so a request writes no epoch total. One slot, written
    ///      by settlement and claims only.
    struct Reserved {
        uint128 assets; // {USDT units} owed to redeemers of settled epochs
        uint128 shares; // {share} owed to depositors of settled epochs
    }

    Reserved internal _reserved;

    /// @dev Per epoch: the totals of its requests (slot 0, written by requests and cancellations) and, once settled,
    ///      what it paid out (slot 1).
    mapping(uint256 epoch => EpochResult) internal _epochs;

    mapping(address controller => Account) internal _accounts;
    mapping(address controller => Carry) internal _carry;

    /// @inheritdoc IIndexVaultBatch
    mapping(address controller => mapping(address operator => bool)) public isOperator;

    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IIndexVaultBatch
    function initialize(address vault_) external initializer {
        if (vault_ == address(0)) revert IndexVaultBatch__ZeroAddress();
        address usdt = asset();
        if (vault_ != vault() || usdt != IIndexVault(vault_).asset()) revert IndexVaultBatch__WrongCloneArgs();
        VaultConfig memory cfg = IIndexVault(vault_).config();
        uint256 minDeposit = cfg.minDeposit;
        uint256 decimals = IIndexVault(vault_).decimals() - _decimalsOf(usdt);
        // casts: minDeposit is a uint96 of the vault; ×10^12 shares per USDT unit stays below 2^96 for any sane minimum
        _state = State({
            epoch: 1,
            openedAt: 0,
            // forge-lint: disable-next-line(unsafe-typecast)
            minRequestAssets: uint64(Math.min(minDeposit, type(uint64).max)),
            // forge-lint: disable-next-line(unsafe-typecast)
            minRequestShares: uint96(Math.min(minDeposit * 10 ** decimals, type(uint96).max))
        });
        _timing = Timing({
            maxWait: ConstantsLib.BATCH_DEFAULT_MAX_WAIT,
            gracePeriod: ConstantsLib.BATCH_DEFAULT_GRACE,
            // forge-lint: disable-next-line(unsafe-typecast)
            minSettleValue: uint96(ConstantsLib.BATCH_DEFAULT_MIN_SETTLE_USDT * 10 ** _decimalsOf(usdt))
        });
        IERC20(usdt).forceApprove(vault_, type(uint256).max);
        emit BatchInitialized(vault_, usdt);
        emit PolicySet(policy());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultBatch
    function requestDeposit(uint256 assets, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        State memory st = _state;
        if (assets < st.minRequestAssets || assets == 0) {
            revert IndexVaultBatch__RequestTooSmall(assets, st.minRequestAssets);
        }
        requestId = _openRequest(st, controller, owner);
        Account memory a = _prepareAccount(controller, st.epoch);
        uint256 total = a.assets + assets;
        if (total > type(uint104).max) revert IndexVaultBatch__RequestTooLarge(assets);
        // cast: bounded just above
        // forge-lint: disable-next-line(unsafe-typecast)
        a.assets = uint104(total);
        _accounts[controller] = a;

        // Measured by balance change: a fee-charging USDT (Tether's fee switch is dormant, not absent) would otherwise
        // record more than the batch holds. The first balance read warms what the transfer touches (~1k net).
        IERC20 usdt = IERC20(asset());
        uint256 before = usdt.balanceOf(address(this));
        usdt.safeTransferFrom(owner, address(this), assets);
        uint256 received = usdt.balanceOf(address(this)) - before;
        if (received != assets) revert IndexVaultBatch__TransferShortfall(assets, received);
        emit DepositRequest(controller, owner, requestId, msg.sender, assets);
    }

    /// @inheritdoc IIndexVaultBatch
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        State memory st = _state;
        if (shares < st.minRequestShares || shares == 0) {
            revert IndexVaultBatch__RequestTooSmall(shares, st.minRequestShares);
        }
        requestId = _openRequest(st, controller, owner);
        Account memory a = _prepareAccount(controller, st.epoch);
        uint256 total = a.shares + shares;
        if (total > type(uint112).max) revert IndexVaultBatch__RequestTooLarge(shares);
        // cast: bounded just above
        // forge-lint: disable-next-line(unsafe-typecast)
        a.shares = uint112(total);
        _accounts[controller] = a;

        IERC20(vault()).safeTransferFrom(owner, address(this), shares);
        emit RedeemRequest(controller, owner, requestId, msg.sender, shares);
    }

    /// @inheritdoc IIndexVaultBatch
    function setOperator(address operator, bool approved) external returns (bool) {
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cancellation
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultBatch
    function cancelDepositRequest(address controller, address receiver) external nonReentrant returns (uint256 assets) {
        Account memory a = _pendingAccount(controller, receiver);
        assets = a.assets;
        if (assets == 0) revert IndexVaultBatch__NothingPending(controller);
        a.assets = 0;
        _accounts[controller] = a;
        IERC20(asset()).safeTransfer(receiver, assets);
        emit DepositRequestCancelled(controller, receiver, a.epoch, assets);
    }

    /// @inheritdoc IIndexVaultBatch
    function cancelRedeemRequest(address controller, address receiver) external nonReentrant returns (uint256 shares) {
        Account memory a = _pendingAccount(controller, receiver);
        shares = a.shares;
        if (shares == 0) revert IndexVaultBatch__NothingPending(controller);
        a.shares = 0;
        _accounts[controller] = a;
        IERC20(vault()).safeTransfer(receiver, shares);
        emit RedeemRequestCancelled(controller, receiver, a.epoch, shares);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Claims
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultBatch
    function deposit(uint256 assets, address receiver, address controller) external nonReentrant returns (uint256) {
        _checkClaim(controller, receiver, assets);
        (, uint256 shares) = _claimDeposit(controller, receiver, assets, false);
        return shares;
    }

    /// @inheritdoc IIndexVaultBatch
    function deposit(uint256 assets, address receiver) external nonReentrant returns (uint256) {
        _checkClaim(msg.sender, receiver, assets);
        (, uint256 shares) = _claimDeposit(msg.sender, receiver, assets, false);
        return shares;
    }

    /// @inheritdoc IIndexVaultBatch
    function mint(uint256 shares, address receiver, address controller) external nonReentrant returns (uint256) {
        _checkClaim(controller, receiver, shares);
        (uint256 assets,) = _claimDeposit(controller, receiver, shares, true);
        return assets;
    }

    /// @inheritdoc IIndexVaultBatch
    function mint(uint256 shares, address receiver) external nonReentrant returns (uint256) {
        _checkClaim(msg.sender, receiver, shares);
        (uint256 assets,) = _claimDeposit(msg.sender, receiver, shares, true);
        return assets;
    }

    /// @inheritdoc IIndexVaultBatch
    function redeem(uint256 shares, address receiver, address controller) external nonReentrant returns (uint256) {
        _checkClaim(controller, receiver, shares);
        (, uint256 assets) = _claimRedeem(controller, receiver, shares, false);
        return assets;
    }

    /// @inheritdoc IIndexVaultBatch
    function withdraw(uint256 assets, address receiver, address controller) external nonReentrant returns (uint256) {
        _checkClaim(controller, receiver, assets);
        (uint256 shares,) = _claimRedeem(controller, receiver, assets, true);
        return shares;
    }

    /// @inheritdoc IIndexVaultBatch
    function claimDeposits(address[] calldata controllers) external nonReentrant returns (uint256 total) {
        return _claimEach(controllers, true);
    }

    /// @inheritdoc IIndexVaultBatch
    function claimRedeems(address[] calldata controllers) external nonReentrant returns (uint256 total) {
        return _claimEach(controllers, false);
    }

    /// @inheritdoc IIndexVaultBatch
    function multicall(bytes[] calldata data)
        public
        override(IIndexVaultBatch, Multicall)
        returns (bytes[] memory results)
    {
        return super.multicall(data);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Settlement
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultBatch
    function settle() external nonReentrant returns (uint256) {
        return _settle();
    }

    /// @inheritdoc IIndexVaultBatch
    function checkUpkeep(bytes calldata) external view returns (bool upkeepNeeded, bytes memory performData) {
        upkeepNeeded = epochStatus().due;
        performData = "";
    }

    /// @inheritdoc IIndexVaultBatch
    function performUpkeep(bytes calldata) external nonReentrant {
        (uint256 d, uint256 s) = _pending();
        if (!_policyDue(_state, d, s, _grossValue(d, s))) revert IndexVaultBatch__NotDue();
        _settle();
    }

    /// @inheritdoc IIndexVaultBatch
    function setPolicy(BatchPolicy calldata p) external nonReentrant {
        if (!IAccessControl(vault()).hasRole(MANAGER_ROLE, msg.sender)) revert IndexVaultBatch__NotManager(msg.sender);
        if (
            p.maxWait == 0 || p.maxWait > ConstantsLib.BATCH_MAX_WAIT || p.gracePeriod < ConstantsLib.BATCH_MIN_GRACE
                || p.gracePeriod > ConstantsLib.BATCH_MAX_WAIT || p.minRequestAssets == 0 || p.minRequestShares == 0
        ) revert IndexVaultBatch__InvalidPolicy();
        _timing = Timing(p.maxWait, p.gracePeriod, p.minSettleValue);
        _state.minRequestAssets = p.minRequestAssets;
        _state.minRequestShares = p.minRequestShares;
        emit PolicySet(p);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultBatch
    function share() external view returns (address) {
        return vault();
    }

    /// @inheritdoc IIndexVaultBatch
    function vault() public view returns (address vault_) {
        (vault_,) = _cloneArgs();
    }

    /// @inheritdoc IIndexVaultBatch
    function asset() public view returns (address usdt) {
        (, usdt) = _cloneArgs();
    }

    /// @inheritdoc IERC165
    /// @dev ERC-165, ERC-7540 operator (0xe3bc4e65), async deposit (0xce3bbe50), async redeem (0x620ee8e4),
    ///      ERC-7575 (0x2f0a18c5).
    function supportsInterface(bytes4 id) external pure returns (bool) {
        return
            id == type(IERC165).interfaceId || id == 0xe3bc4e65 || id == 0xce3bbe50 || id == 0x620ee8e4
                || id == 0x2f0a18c5;
    }

    /// @inheritdoc IIndexVaultBatch
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256) {
        Account memory a = _accounts[controller];
        return a.epoch == _state.epoch && (requestId == a.epoch || requestId == 0) ? a.assets : 0;
    }

    /// @inheritdoc IIndexVaultBatch
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        Account memory a = _accounts[controller];
        return a.epoch == _state.epoch && (requestId == a.epoch || requestId == 0) ? a.shares : 0;
    }

    /// @inheritdoc IIndexVaultBatch
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets) {
        uint32 open = _state.epoch;
        if (requestId >= open) return 0;
        (assets,) = _claimable(controller, open, true);
    }

    /// @inheritdoc IIndexVaultBatch
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares) {
        uint32 open = _state.epoch;
        if (requestId >= open) return 0;
        (shares,) = _claimable(controller, open, false);
    }

    /// @inheritdoc IIndexVaultBatch
    function maxDeposit(address controller) external view returns (uint256 assets) {
        (assets,) = _claimable(controller, _state.epoch, true);
    }

    /// @inheritdoc IIndexVaultBatch
    function maxMint(address controller) external view returns (uint256 shares) {
        (, shares) = _claimable(controller, _state.epoch, true);
    }

    /// @inheritdoc IIndexVaultBatch
    function maxRedeem(address controller) external view returns (uint256 shares) {
        (shares,) = _claimable(controller, _state.epoch, false);
    }

    /// @inheritdoc IIndexVaultBatch
    function maxWithdraw(address controller) external view returns (uint256 assets) {
        (, assets) = _claimable(controller, _state.epoch, false);
    }

    /// @inheritdoc IIndexVaultBatch
    function previewDeposit(uint256) external pure returns (uint256) {
        revert IndexVaultBatch__AsyncFlow();
    }

    /// @inheritdoc IIndexVaultBatch
    function previewMint(uint256) external pure returns (uint256) {
        revert IndexVaultBatch__AsyncFlow();
    }

    /// @inheritdoc IIndexVaultBatch
    function previewRedeem(uint256) external pure returns (uint256) {
        revert IndexVaultBatch__AsyncFlow();
    }

    /// @inheritdoc IIndexVaultBatch
    function previewWithdraw(uint256) external pure returns (uint256) {
        revert IndexVaultBatch__AsyncFlow();
    }

    /// @inheritdoc IIndexVaultBatch
    function totalAssets() external view returns (uint256) {
        return IIndexVault(vault()).totalAssets();
    }

    /// @inheritdoc IIndexVaultBatch
    function convertToShares(uint256 assets) external view returns (uint256) {
        return IIndexVault(vault()).convertToShares(assets);
    }

    /// @inheritdoc IIndexVaultBatch
    function convertToAssets(uint256 shares) external view returns (uint256) {
        return IIndexVault(vault()).convertToAssets(shares);
    }

    /// @inheritdoc IIndexVaultBatch
    function epochStatus() public view returns (EpochStatus memory s) {
        State memory st = _state;
        s.epoch = st.epoch;
        (s.pendingAssets, s.pendingShares) = _pending();
        if (s.pendingAssets == 0 && s.pendingShares == 0) return s;
        s.openedAt = st.openedAt;
        s.age = st.openedAt == 0 ? 0 : block.timestamp - st.openedAt;
        s.grossValue = _grossValue(s.pendingAssets, s.pendingShares);
        s.permissionlessAt = _permissionlessAt(st);
        s.due = _policyDue(st, s.pendingAssets, s.pendingShares, s.grossValue)
            && _settleable(s.pendingAssets, s.pendingShares);
    }

    /// @inheritdoc IIndexVaultBatch
    function epochResult(uint256 epoch) external view returns (EpochResult memory r) {
        if (epoch < _state.epoch) r = _epochs[epoch];
    }

    /// @inheritdoc IIndexVaultBatch
    function policy() public view returns (BatchPolicy memory) {
        Timing memory t = _timing;
        State memory st = _state;
        return BatchPolicy(t.maxWait, t.gracePeriod, t.minSettleValue, st.minRequestAssets, st.minRequestShares);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: requests
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Checks the caller and controller of a request and stamps the epoch's first request. Returns the epoch.
    function _openRequest(State memory st, address controller, address owner) internal returns (uint256) {
        if (controller == address(0) || owner == address(0)) revert IndexVaultBatch__ZeroAddress();
        if (msg.sender != owner && !isOperator[owner][msg.sender]) {
            revert IndexVaultBatch__NotAuthorized(msg.sender, owner);
        }
        if (st.openedAt == 0) _state.openedAt = uint40(block.timestamp);
        return st.epoch;
    }

    /// @dev The controller's account moved to the open epoch: a settled, unclaimed amount of an earlier epoch goes to
    ///      `_carry` first (its outputs fixed at that epoch's rates).
    function _prepareAccount(address controller, uint32 open) internal returns (Account memory a) {
        a = _accounts[controller];
        if (a.epoch == open) return a;
        if (a.assets != 0 || a.shares != 0) {
            EpochResult memory r = _epochs[a.epoch];
            Carry storage c = _carry[controller];
            if (a.assets != 0) {
                c.depositAssets += a.assets;
                c.depositShares += uint128(uint256(a.assets).mulDiv(r.sharesOut, r.depositAssets));
                a.carry |= CARRY_DEPOSIT;
            }
            if (a.shares != 0) {
                c.redeemShares += a.shares;
                c.redeemAssets += uint128(uint256(a.shares).mulDiv(r.assetsOut, r.redeemShares));
                a.carry |= CARRY_REDEEM;
            }
        }
        a.epoch = open;
        a.assets = 0;
        a.shares = 0;
    }

    /// @dev The controller's account when it has a request in the open epoch, after checking the caller.
    function _pendingAccount(address controller, address receiver) internal view returns (Account memory a) {
        if (receiver == address(0)) revert IndexVaultBatch__ZeroAddress();
        _checkCaller(controller);
        a = _accounts[controller];
        if (a.epoch != _state.epoch) revert IndexVaultBatch__NothingPending(controller);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: claims
    // ---------------------------------------------------------------------------------------------------------------

    function _checkClaim(address controller, address receiver, uint256 amount) internal view {
        if (receiver == address(0)) revert IndexVaultBatch__ZeroAddress();
        if (amount == 0) revert IndexVaultBatch__ZeroAmount();
        _checkCaller(controller);
    }

    function _checkCaller(address controller) internal view {
        if (msg.sender != controller && !isOperator[controller][msg.sender]) {
            revert IndexVaultBatch__NotAuthorized(msg.sender, controller);
        }
    }

    /// @dev Claimable (input, output) of one side: the carry plus the account's amount if its epoch is settled.
    ///      Deposit side: (USDT, shares); redeem side: (shares, USDT). Outputs round down.
    function _claimable(address controller, uint32 open, bool depositSide)
        internal
        view
        returns (uint256 amountIn, uint256 amountOut)
    {
        Account memory a = _accounts[controller];
        if (a.carry & (depositSide ? CARRY_DEPOSIT : CARRY_REDEEM) != 0) {
            Carry memory c = _carry[controller];
            (amountIn, amountOut) = depositSide ? (c.depositAssets, c.depositShares) : (c.redeemShares, c.redeemAssets);
        }
        if (a.epoch < open) {
            EpochResult memory r = _epochs[a.epoch];
            if (depositSide && a.assets != 0) {
                amountIn += a.assets;
                amountOut += uint256(a.assets).mulDiv(r.sharesOut, r.depositAssets);
            } else if (!depositSide && a.shares != 0) {
                amountIn += a.shares;
                amountOut += uint256(a.shares).mulDiv(r.assetsOut, r.redeemShares);
            }
        }
    }

    /// @dev Claims `amount` of the deposit side: USDT of the request (`byOutput` false) or shares (`byOutput` true).
    ///      Returns the request assets consumed and the shares sent.
    function _claimDeposit(address controller, address receiver, uint256 amount, bool byOutput)
        internal
        returns (uint256 assets, uint256 shares)
    {
        (assets, shares) = _consume(controller, amount, byOutput, true);
        IERC20(vault()).safeTransfer(receiver, shares);
        emit Deposit(controller, receiver, assets, shares);
    }

    /// @dev Claims `amount` of the redeem side: shares of the request (`byOutput` false) or USDT (`byOutput` true).
    ///      Returns the request shares consumed and the USDT sent.
    function _claimRedeem(address controller, address receiver, uint256 amount, bool byOutput)
        internal
        returns (uint256 shares, uint256 assets)
    {
        (shares, assets) = _consume(controller, amount, byOutput, false);
        IERC20(asset()).safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    /// @dev An epoch's result read once per pushed-claim call (epochs start at 1, so `epoch` 0 means none yet).
    struct RateCache {
        uint256 epoch;
        EpochResult result;
    }

    /// @dev `claimDeposits` / `claimRedeems`: claims each controller's whole side to itself.
    function _claimEach(address[] calldata controllers, bool depositSide) internal returns (uint256 total) {
        IERC20 token = IERC20(depositSide ? vault() : asset());
        bool keeper = IAccessControl(vault()).hasRole(KEEPER_ROLE, msg.sender);
        uint32 open = _state.epoch;
        RateCache memory cache;
        for (uint256 i; i < controllers.length; ++i) {
            address c = controllers[i];
            if (!keeper) _checkCaller(c);
            (uint256 amountIn, uint256 amountOut) = _consumeAll(c, open, depositSide, cache);
            if (amountIn == 0) continue;
            token.safeTransfer(c, amountOut);
            if (depositSide) emit Deposit(c, c, amountIn, amountOut);
            else emit Withdraw(msg.sender, c, c, amountOut, amountIn);
            total += amountOut;
        }
    }

    /// @dev `_consume(controller, ALL, false, depositSide)` for a pushed claim. The common case (no carry: one settled
    ///      amount in the account) reads and writes the account slot once and takes the epoch's result from `cache`;
    ///      the rare carry case goes through `_consume`. Both compute input × the epoch's rate rounded down, so a pushed
    ///      claim pays exactly what `deposit`/`redeem` of the whole claimable amount would.
    function _consumeAll(address controller, uint32 open, bool depositSide, RateCache memory cache)
        internal
        returns (uint256 amountIn, uint256 amountOut)
    {
        Account memory a = _accounts[controller];
        if (a.carry & (depositSide ? CARRY_DEPOSIT : CARRY_REDEEM) != 0) {
            return _consume(controller, ALL, false, depositSide);
        }
        amountIn = depositSide ? a.assets : a.shares;
        if (amountIn == 0 || a.epoch >= open) return (0, 0);
        if (a.epoch != cache.epoch) (cache.epoch, cache.result) = (a.epoch, _epochs[a.epoch]);
        EpochResult memory r = cache.result;
        // Exact floors without mulDiv: uint104 × uint128 and uint112 × uint128 stay below 2^256.
        if (depositSide) {
            amountOut = amountIn * r.sharesOut / r.depositAssets;
            a.assets = 0;
        } else {
            amountOut = amountIn * r.assetsOut / r.redeemShares;
            a.shares = 0;
        }
        _accounts[controller] = a;
        // casts: amountOut ≤ the epoch's output, all of which the reserve holds until claimed
        // forge-lint: disable-next-line(unsafe-typecast)
        if (depositSide) _reserved.shares -= uint128(amountOut);
        // forge-lint: disable-next-line(unsafe-typecast)
        else _reserved.assets -= uint128(amountOut);
    }

    /// @dev Takes `amount` (input, or output when `byOutput`; `ALL`: everything, (0, 0) when nothing) out of a
    ///      controller's claimable side and returns (input consumed, output owed). Output owed = input × rate rounded
    ///      down; input for an exact output rounded up; so no sequence of partial claims gets more than the whole
    ///      claim. The output leaves the reserve.
    function _consume(address controller, uint256 amount, bool byOutput, bool depositSide)
        internal
        returns (uint256 amountIn, uint256 amountOut)
    {
        uint32 open = _state.epoch;
        (uint256 totalIn, uint256 totalOut) = _claimable(controller, open, depositSide);
        if (amount == ALL) {
            if (totalIn == 0) return (0, 0);
            amount = totalIn;
        }
        if (byOutput) {
            if (amount > totalOut) revert IndexVaultBatch__ExceedsClaimable(controller, amount, totalOut);
            amountOut = amount;
            amountIn = amount == totalOut ? totalIn : amount.mulDiv(totalIn, totalOut, Math.Rounding.Ceil);
        } else {
            if (amount > totalIn) revert IndexVaultBatch__ExceedsClaimable(controller, amount, totalIn);
            amountIn = amount;
            amountOut = amount == totalIn ? totalOut : amount.mulDiv(totalOut, totalIn);
        }
        Account memory a = _accounts[controller];
        uint8 flag = depositSide ? CARRY_DEPOSIT : CARRY_REDEEM;
        if (a.carry & flag == 0) {
            // Common path: only the account's settled amount; its epoch (non-zero) stays so the slot stays warm-able.
            // casts: amountIn ≤ the account's amount, which fits its field
            // forge-lint: disable-next-line(unsafe-typecast)
            if (depositSide) a.assets -= uint104(amountIn);
            // forge-lint: disable-next-line(unsafe-typecast)
            else a.shares -= uint112(amountIn);
        } else {
            // Rare path: fold everything claimable on this side into the carry, then take the claim out of it.
            Carry storage c = _carry[controller];
            uint256 restIn = totalIn - amountIn;
            uint256 restOut = totalOut - amountOut;
            // casts: the rest is at most the sum of a carry (uint128) and an account amount, both bounded by the
            // epoch totals (uint128)
            if (depositSide) {
                (c.depositAssets, c.depositShares) = (uint128(restIn), uint128(restOut));
                if (a.epoch < open) a.assets = 0;
            } else {
                (c.redeemShares, c.redeemAssets) = (uint128(restIn), uint128(restOut));
                if (a.epoch < open) a.shares = 0;
            }
            if (restIn == 0) a.carry &= ~flag;
        }
        _accounts[controller] = a;
        // casts: amountOut ≤ what the reserve holds for this claim (settled outputs are added to it in full)
        // forge-lint: disable-next-line(unsafe-typecast)
        if (depositSide) _reserved.shares -= uint128(amountOut);
        // forge-lint: disable-next-line(unsafe-typecast)
        else _reserved.assets -= uint128(amountOut);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: settlement
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Nets the open epoch, runs the net flow through the vault, records what each side is owed, opens the next.
    function _settle() internal returns (uint256 epochId) {
        uint256 gasStart = gasleft();
        State memory st = _state;
        epochId = st.epoch;
        (uint256 d, uint256 s) = _pending(); // {USDT units}, {share}
        if (d == 0 && s == 0) revert IndexVaultBatch__NothingToSettle(epochId);
        if (!IAccessControl(vault()).hasRole(KEEPER_ROLE, msg.sender)) {
            uint256 openAt = _permissionlessAt(st);
            if (block.timestamp < openAt) revert IndexVaultBatch__SettlementNotOpen(msg.sender, openAt);
        }
        VaultConfig memory cfg = _checkVault(d != 0, s != 0);

        // Effects: the epoch closes before any external call that moves value.
        _state.epoch = st.epoch + 1;
        _state.openedAt = 0;

        Netting memory n = _net(d, s, cfg);
        if (n.netAssets != 0) {
            // The vault holds a standing approval (set at initialisation, renewed here if a token ever spent it).
            if (IERC20(asset()).allowance(address(this), vault()) < n.netAssets) {
                IERC20(asset()).forceApprove(vault(), type(uint256).max);
            }
            n.sharesOut += IIndexVault(vault()).deposit(n.netAssets, address(this), 0, block.timestamp);
        }
        if (n.netShares != 0) {
            n.assetsOut += IIndexVault(vault()).redeem(n.netShares, address(this), address(this), 0, block.timestamp);
        }
        if (n.fees != 0) IERC20(asset()).safeTransfer(cfg.feeRecipient, n.fees);

        // casts: share and USDT amounts held by this contract, far below 2^128
        // forge-lint: disable-next-line(unsafe-typecast)
        _epochs[epochId] = EpochResult(uint128(d), uint128(s), uint128(n.sharesOut), uint128(n.assetsOut));
        Reserved memory r = _reserved;
        // forge-lint: disable-next-line(unsafe-typecast)
        _reserved = Reserved(r.assets + uint128(n.assetsOut), r.shares + uint128(n.sharesOut));
        _emitSettled(epochId, d, s, n, gasStart);
    }

    function _emitSettled(uint256 epochId, uint256 d, uint256 s, Netting memory n, uint256 gasStart) internal {
        emit EpochSettled(
            epochId,
            msg.sender,
            d,
            s,
            n.sharesOut,
            n.assetsOut,
            n.netAssets,
            n.netShares,
            n.crossValue,
            n.fees,
            gasStart - gasleft()
        );
    }

    /// @dev The split of an epoch before the vault call.
    struct Netting {
        uint256 netAssets; // {USDT units} to deposit in the vault
        uint256 netShares; // {share} to redeem in the vault
        uint256 sharesOut; // {share} crossed shares owed to depositors (the vault deposit adds to it)
        uint256 assetsOut; // {USDT units} crossed USDT owed to redeemers (the vault redeem adds to it)
        uint256 crossValue; // {USDT units} NAV value of the crossed shares
        uint256 fees; // {USDT units} mint + burn fee of the crossed part
    }

    /// @dev Nets deposits `d` against redeem shares `s` at the vault's oracle NAV (see `IIndexVaultBatch`).
    ///      Rounding: fees up, what each side receives down, so USDT and shares are conserved exactly and the batch
    ///      never owes more than it holds.
    function _net(uint256 d, uint256 s, VaultConfig memory cfg) internal view returns (Netting memory n) {
        if (s == 0) {
            if (d < cfg.minDeposit) revert IndexVaultBatch__BelowVaultMinimum(d, cfg.minDeposit);
            n.netAssets = d;
            return n;
        }
        if (d == 0) {
            n.netShares = s;
            return n;
        }
        uint256 fm = cfg.mintFeeBps; // {bps}
        uint256 fb = cfg.burnFeeBps; // {bps}
        uint256 threshold = Math.max(cfg.minDeposit, 1); // {USDT units} smallest net flow worth a vault call
        uint256 valueS = IIndexVault(vault()).convertToAssets(s); // {USDT units} NAV of the redeem shares, rounded down
        uint256 costS = (valueS * ConstantsLib.BPS).ceilDiv(ConstantsLib.BPS - fm); // {USDT units} what depositors pay for them, mint fee in
        if (d >= costS && d - costS >= threshold) {
            // Net deposit: all S crossed at NAV, the rest deposited.
            uint256 burnFee = valueS.mulDiv(fb, ConstantsLib.BPS, Math.Rounding.Ceil);
            n.netAssets = d - costS;
            n.sharesOut = s;
            n.assetsOut = valueS - burnFee;
            n.crossValue = valueS;
            n.fees = costS - valueS + burnFee;
            return n;
        }
        uint256 mintFee = d.mulDiv(fm, ConstantsLib.BPS, Math.Rounding.Ceil);
        uint256 crossValue = d - mintFee; // {USDT units} value the depositors buy at NAV
        if (d < costS && valueS - crossValue >= threshold) {
            // Net redeem: the depositors buy s × crossValue / valueS shares at NAV, the rest is redeemed.
            uint256 crossed = s.mulDiv(crossValue, valueS);
            uint256 burnFee = crossValue.mulDiv(fb, ConstantsLib.BPS, Math.Rounding.Ceil);
            n.netShares = s - crossed;
            n.sharesOut = crossed;
            n.assetsOut = crossValue - burnFee;
            n.crossValue = crossValue;
            n.fees = mintFee + burnFee;
            return n;
        }
        // Balanced: the net flow is below a vault call's minimum; nothing touches the vault.
        uint256 burnFee2 = crossValue.mulDiv(fb, ConstantsLib.BPS, Math.Rounding.Ceil);
        n.sharesOut = s;
        n.assetsOut = crossValue - burnFee2;
        n.crossValue = Math.min(crossValue, valueS);
        n.fees = mintFee + burnFee2;
    }

    /// @dev Reverts with the reason a settlement must wait (pause, rebalance); returns the vault's configuration. An
    ///      invalid price needs no check of its own: the first oracle read of the settlement (`convertToAssets` or the
    ///      vault call) reverts with the vault's `IOracleErrors` error, which names the feed.
    function _checkVault(bool deposits, bool redeems) internal view returns (VaultConfig memory cfg) {
        cfg = IIndexVault(vault()).config();
        if (deposits && cfg.pauseFlags & ConstantsLib.PAUSE_DEPOSIT != 0) {
            revert IndexVaultBatch__VaultPaused(ConstantsLib.PAUSE_DEPOSIT);
        }
        if (redeems && cfg.pauseFlags & ConstantsLib.PAUSE_REDEEM != 0) {
            revert IndexVaultBatch__VaultPaused(ConstantsLib.PAUSE_REDEEM);
        }
        if (cfg.rebalancing) revert IndexVaultBatch__VaultRebalancing();
    }

    /// @dev The open epoch's requests: {USDT units} and {share} held above what settled epochs still owe.
    function _pending() internal view returns (uint256 d, uint256 s) {
        Reserved memory r = _reserved;
        d = IERC20(asset()).balanceOf(address(this)) - r.assets;
        s = IERC20(vault()).balanceOf(address(this)) - r.shares;
    }

    /// @dev Whether `_checkVault` and `_net` would pass now and the vault has a price (for the upkeep view).
    function _settleable(uint256 d, uint256 s) internal view returns (bool) {
        try this.checkSettleable(d, s) {
            return true;
        } catch {
            return false;
        }
    }

    /// @notice Reverts with the reason a settlement of `d` USDT and `s` shares would wait now (for `epochStatus`).
    /// @dev External so the upkeep view can try it; changes nothing.
    function checkSettleable(uint256 d, uint256 s) external view {
        _net(d, s, _checkVault(d != 0, s != 0));
        IIndexVault(vault()).totalAssets(); // reverts with the vault's oracle error on an invalid price
    }

    /// @dev {USDT units} Deposits plus the redeem shares at NAV (deposits alone if the vault has no price now).
    function _grossValue(uint256 d, uint256 s) internal view returns (uint256 value) {
        value = d;
        if (s == 0) return value;
        try IIndexVault(vault()).convertToAssets(s) returns (uint256 v) {
            value += v;
        } catch {}
    }

    /// @dev The policy's trigger: something pending and (oldest request ≥ maxWait or gross ≥ minSettleValue).
    function _policyDue(State memory st, uint256 d, uint256 s, uint256 gross) internal view returns (bool) {
        // Nothing requested this epoch (at most a donation): not due.
        if ((d == 0 && s == 0) || st.openedAt == 0) return false;
        Timing memory t = _timing;
        return block.timestamp >= uint256(st.openedAt) + t.maxWait || gross >= t.minSettleValue;
    }

    /// @dev {s} When anyone may settle the open epoch: maxWait + gracePeriod after its first request.
    function _permissionlessAt(State memory st) internal view returns (uint256) {
        Timing memory t = _timing;
        return uint256(st.openedAt) + t.maxWait + t.gracePeriod;
    }

    function _decimalsOf(address token) internal view returns (uint8) {
        return IERC20Metadata(token).decimals();
    }

    /// @dev The clone's immutable arguments: abi.encode(vault, usdt), read from its own (warm) code. What
    ///      `Clones.fetchCloneArgs` returns, read in place: the arguments follow the 45-byte ERC-1167 runtime
    ///      (`CLONE_RUNTIME_SIZE`), two words copied to the scratch space, no allocation or decoding (~400 gas less
    ///      per read; a settlement reads them about ten times). `test_cloneArgs_matchFetchCloneArgs` pins the layout.
    function _cloneArgs() internal view returns (address vault_, address usdt) {
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, CLONE_RUNTIME_SIZE, 0x40)
            vault_ := and(mload(0x00), 0xffffffffffffffffffffffffffffffffffffffff)
            usdt := and(mload(0x20), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }
}
