// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20, IERC20Metadata, ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

import {
    IIndexVault,
    ConstituentParams,
    VaultParams,
    ConstituentInfo,
    ConstituentState,
    VaultConfig
} from "./interfaces/IIndexVault.sol";
import {IndexVaultBase} from "./IndexVaultBase.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {DelegateCallLib} from "./libraries/DelegateCallLib.sol";
import {FeeLib} from "./libraries/FeeLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {SwapFloorLib} from "./libraries/SwapFloorLib.sol";
import {UniswapV3SwapLib} from "./libraries/UniswapV3SwapLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";
import {IIndexVaultConfigurator} from "./interfaces/IIndexVaultConfigurator.sol";

/// @title IndexVault
/// @notice An index fund as an ERC-4626 vault over USDT: deposits buy the basket on Uniswap V3, redemptions sell it,
///         NAV comes from Chainlink; in-kind paths need neither. See `IIndexVault` for the full specification.
/// @dev Deployed once per chain as an implementation; each index is an ERC-1167 clone initialised by `IndexFactory`.
///      USDT, its decimals and the Uniswap V3 factory are immutables of the implementation (shared by all clones);
///      everything else lives in the clone's storage. One transient reentrancy lock covers every state-changing entry
///      point; `uniswapV3SwapCallback` is authenticated separately (see `UniswapV3SwapLib`).
///      Rounding: NAV before a deposit is rounded up, values received down, pro-rata amounts paid down and pulled up,
///      fees up, so every rounding favours the vault's existing holders.
contract IndexVault is IndexVaultBase, IIndexVault, ERC4626, AccessControl, ReentrancyGuardTransient, Initializable {
    using SafeERC20 for IERC20;
    using Math for uint256;

    // ---------------------------------------------------------------------------------------------------------------
    // Roles and immutables
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Sets fees, slippage, minimum deposit; queues feeds, routes and increases behind the composition delay.
    bytes32 public constant MANAGER_ROLE = ConstantsLib.MANAGER_ROLE;

    /// @notice Runs rebalances.
    bytes32 public constant KEEPER_ROLE = ConstantsLib.KEEPER_ROLE;

    /// @notice Pauses USDT deposits, in-kind deposits and USDT redeems. Never `redeemInKind`.
    bytes32 public constant GUARDIAN_ROLE = ConstantsLib.GUARDIAN_ROLE;

    /// @dev ERC-4626 decimals offset: 18 − USDT decimals, so shares have 18 decimals.
    uint8 internal immutable _DECIMALS_OFFSET;

    /// @dev Stateless configuration logic, reached by DELEGATECALL (see `IIndexVaultConfigurator`).
    address internal immutable _CONFIGURATOR;

    /// @dev Stateless rebalancing and composition logic, reached by DELEGATECALL from `fallback` (see
    ///      `IIndexVaultRebalancer`).
    address internal immutable _REBALANCER;

    // ---------------------------------------------------------------------------------------------------------------
    // Storage: everything lives in the `VaultStorageLib` namespace (shared with the configurator)
    // ---------------------------------------------------------------------------------------------------------------

    // ---------------------------------------------------------------------------------------------------------------
    // Construction and initialisation
    // ---------------------------------------------------------------------------------------------------------------

    /// @param configurator The configuration logic (DELEGATECALL target); it fixes USDT and the Uniswap V3 factory.
    /// @param rebalancer The rebalancing module (`IndexVaultRebalancer`, DELEGATECALL target of `fallback`), deployed
    ///        with the same configurator.
    constructor(IIndexVaultConfigurator configurator, address rebalancer)
        IndexVaultBase(IERC20(configurator.usdt()))
        ERC4626(IERC20(configurator.usdt()))
        ERC20("", "")
    {
        _DECIMALS_OFFSET = ConstantsLib.SHARE_DECIMALS - _USDT_DECIMALS;
        _CONFIGURATOR = address(configurator);
        _REBALANCER = rebalancer;
        _disableInitializers();
    }

    /// @inheritdoc IIndexVault
    /// @dev Grants the roles here; the configurator validates and stores the rest.
    function initialize(VaultParams calldata params, ConstituentParams[] calldata) external initializer {
        if (params.admin == address(0) || params.feeRecipient == address(0)) revert IndexVault__ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, params.admin);
        if (params.manager != address(0)) _grantRole(MANAGER_ROLE, params.manager);
        if (params.keeper != address(0)) _grantRole(KEEPER_ROLE, params.keeper);
        if (params.guardian != address(0)) _grantRole(GUARDIAN_ROLE, params.guardian);
        _delegateToConfigurator();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ERC-20 metadata (clones keep name and symbol in their own storage)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IERC20Metadata
    function name() public view override(ERC20, IERC20Metadata) returns (string memory) {
        return _s().name;
    }

    /// @inheritdoc IERC20Metadata
    function symbol() public view override(ERC20, IERC20Metadata) returns (string memory) {
        return _s().symbol;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // USDT deposit
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Pulls `assets` USDT, takes the mint fee, buys every constituent per target weight on Uniswap V3 and
    ///         mints shares for the Chainlink value received against NAV before the deposit.
    /// @dev shares = valueIn × (supply + 10^offset) / (navBefore + 1), rounded down (OpenZeppelin's virtual shares).
    ///      Reverts when paused, rebalancing, below the minimum deposit, on an invalid price, or when a swap returns
    ///      less than its Chainlink value less `maxSlippageBps` and a rounding tolerance.
    /// @inheritdoc ERC4626
    function deposit(uint256 assets, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256)
    {
        return _depositUsdt(assets, receiver, 0);
    }

    /// @inheritdoc IIndexVault
    function deposit(uint256 assets, address receiver, uint256 minShares) external nonReentrant returns (uint256) {
        return _depositUsdt(assets, receiver, minShares);
    }

    /// @inheritdoc IIndexVault
    function deposit(uint256 assets, address receiver, uint256 minShares, uint256 deadline)
        external
        nonReentrant
        returns (uint256)
    {
        _checkDeadline(deadline);
        return _depositUsdt(assets, receiver, minShares);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // USDT redeem
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Burns `shares`, sells the pro-rata constituents (rounded down) on Uniswap V3, adds the pro-rata idle
    ///         USDT, takes the burn fee and pays the rest to `receiver`.
    /// @dev Reverts when paused, rebalancing, on an invalid price, or when a swap returns less than its Chainlink value
    ///      less `maxSlippageBps` and a rounding tolerance. `redeemInKind` is the exit that needs none of these.
    /// @inheritdoc ERC4626
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256)
    {
        return _redeemUsdt(shares, receiver, owner, 0);
    }

    /// @inheritdoc IIndexVault
    function redeem(uint256 shares, address receiver, address owner, uint256 minAssets)
        external
        nonReentrant
        returns (uint256)
    {
        return _redeemUsdt(shares, receiver, owner, minAssets);
    }

    /// @inheritdoc IIndexVault
    function redeem(uint256 shares, address receiver, address owner, uint256 minAssets, uint256 deadline)
        external
        nonReentrant
        returns (uint256)
    {
        _checkDeadline(deadline);
        return _redeemUsdt(shares, receiver, owner, minAssets);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Exact-output paths: disabled as ERC-4626 allows
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Disabled: always reverts with `IndexVault__ExactOutputUnsupported` (`maxMint` is 0).
    /// @inheritdoc ERC4626
    function mint(uint256, address) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert IndexVault__ExactOutputUnsupported();
    }

    /// @notice Disabled: always reverts with `IndexVault__ExactOutputUnsupported` (`maxWithdraw` is 0).
    /// @inheritdoc ERC4626
    function withdraw(uint256, address, address) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert IndexVault__ExactOutputUnsupported();
    }

    /// @notice Always 0: `mint` is disabled.
    /// @inheritdoc ERC4626
    function maxMint(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    /// @notice Always 0: `withdraw` is disabled.
    /// @inheritdoc ERC4626
    function maxWithdraw(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    /// @notice Reverts with `IndexVault__ExactOutputUnsupported`: `mint` is disabled.
    /// @inheritdoc ERC4626
    function previewMint(uint256) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert IndexVault__ExactOutputUnsupported();
    }

    /// @notice Reverts with `IndexVault__ExactOutputUnsupported`: `withdraw` is disabled.
    /// @inheritdoc ERC4626
    function previewWithdraw(uint256) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert IndexVault__ExactOutputUnsupported();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // In-kind paths
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVault
    function depositInKind(uint256 shares, address receiver) external nonReentrant returns (uint256[] memory amounts) {
        _checkNotPaused(ConstantsLib.PAUSE_DEPOSIT_IN_KIND);
        if (receiver == address(0)) revert IndexVault__ZeroAddress();
        if (shares == 0) revert IndexVault__ZeroAmount();
        _accrueManagementFee();
        uint256 supply = totalSupply();
        if (supply == 0) revert IndexVault__EmptyVault();
        bool any;
        (amounts, any) = _proRata(shares, supply, Math.Rounding.Ceil);
        if (!any) revert IndexVault__EmptyVault();
        uint256 feeShares = shares.mulDiv(_s().params.mintFeeBps, ConstantsLib.BPS, Math.Rounding.Ceil);

        // Effects: the share amounts are fixed, so shares are minted before the tokens are pulled.
        _mint(receiver, shares - feeShares);
        if (feeShares != 0) _mint(_s().feeRecipient, feeShares);

        uint256 n = amounts.length - 1;
        for (uint256 i; i <= n; ++i) {
            if (amounts[i] != 0) _pullExact(i == n ? address(_USDT) : _s().constituents[i].token, amounts[i]);
        }
        emit DepositedInKind(msg.sender, receiver, shares, feeShares, amounts);
    }

    /// @inheritdoc IIndexVault
    function redeemInKind(uint256 shares, address receiver, address owner)
        external
        nonReentrant
        returns (uint256[] memory amounts)
    {
        if (receiver == address(0)) revert IndexVault__ZeroAddress();
        if (shares == 0) revert IndexVault__ZeroAmount();
        _accrueManagementFee();
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        uint256 held = balanceOf(owner);
        if (shares > held) revert ERC4626ExceededMaxRedeem(owner, shares, held);
        uint256 supply = totalSupply();
        uint256 feeShares = shares.mulDiv(_s().params.burnFeeBps, ConstantsLib.BPS, Math.Rounding.Ceil);
        uint256 burnt = shares - feeShares;
        (amounts,) = _proRata(burnt, supply, Math.Rounding.Floor);

        if (feeShares != 0) _transfer(owner, _s().feeRecipient, feeShares);
        _burn(owner, burnt);

        uint256 n = amounts.length - 1;
        for (uint256 i; i <= n; ++i) {
            if (amounts[i] != 0) {
                _pushOrDefer(i == n ? address(_USDT) : _s().constituents[i].token, receiver, amounts[i]);
            }
        }
        emit RedeemedInKind(msg.sender, receiver, owner, shares, feeShares, amounts);
    }

    /// @inheritdoc IIndexVault
    function claim(address token, address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert IndexVault__ZeroAddress();
        amount = _s().deferred[msg.sender][token];
        if (amount == 0) revert IndexVault__NothingToClaim(msg.sender, token);
        delete _s().deferred[msg.sender][token];
        uint256 remaining = _s().totalDeferred[token] - amount;
        _s().totalDeferred[token] = remaining;
        if (remaining == 0) --_s().params.deferredTokenCount;
        IERC20(token).safeTransfer(to, amount);
        emit Claimed(msg.sender, token, to, amount);
    }

    /// @inheritdoc IIndexVault
    function accrueManagementFee() external nonReentrant returns (uint256) {
        return _accrueManagementFee();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Uniswap V3 callback
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IUniswapV3SwapCallback
    /// @dev Pays only the pool the vault is swapping with right now (transient slot), at most once per swap.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external {
        UniswapV3SwapLib.payCallback(amount0Delta, amount1Delta, data);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parameters
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVault
    function setMintFee(uint16) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setBurnFee(uint16) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setManagementFee(uint16) external onlyRole(MANAGER_ROLE) nonReentrant {
        _accrueManagementFee();
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setMaxSlippage(uint16) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setMinDeposit(uint96) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setFeeRecipient(address feeRecipient) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        if (feeRecipient == address(0)) revert IndexVault__ZeroAddress();
        _accrueManagementFee();
        VaultStorageLib.Layout storage $ = VaultStorageLib.layout();
        emit FeeRecipientSet($.feeRecipient, feeRecipient);
        $.feeRecipient = feeRecipient;
    }

    /// @inheritdoc IIndexVault
    function setUsdtFeed(address, uint32) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setSequencerFeed(address, uint32) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setConstituentFeed(uint256, address, uint32) external onlyRole(MANAGER_ROLE) nonReentrant {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function setConstituentRoute(uint256, address[] calldata, uint24[] calldata)
        external
        onlyRole(MANAGER_ROLE)
        nonReentrant
    {
        _delegateToConfigurator();
    }

    /// @inheritdoc IIndexVault
    function pause(uint8 flags) external onlyRole(GUARDIAN_ROLE) nonReentrant {
        _setPauseFlags(_s().params.pauseFlags | (flags & ConstantsLib.PAUSE_ALL));
    }

    /// @inheritdoc IIndexVault
    function unpause(uint8 flags) external onlyRole(GUARDIAN_ROLE) nonReentrant {
        _setPauseFlags(_s().params.pauseFlags & ~flags);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ERC-4626 views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice NAV in USDT units: every constituent at its Chainlink price plus idle USDT, rounded down.
    /// @dev Reverts with an `IOracleErrors` error on an invalid price (see the contract-level note), and with
    ///      `ReentrancyGuardReentrantCall` while an operation holds the lock: mid-operation, supply and balances
    ///      disagree (an in-kind redemption has burnt the shares but not yet paid the basket), so every pricing view
    ///      refuses to answer rather than hand a hook an inflated or deflated share price (read-only re-entrancy).
    /// @inheritdoc ERC4626
    function totalAssets() public view override(ERC4626, IERC4626) nonReentrantView returns (uint256) {
        return _nav(_snapshot(), Math.Rounding.Floor);
    }

    /// @notice 0 while USDT deposits are paused, a rebalance is in flight or any price is invalid; else unlimited.
    /// @inheritdoc ERC4626
    function maxDeposit(address) public view override(ERC4626, IERC4626) returns (uint256) {
        return _usdtPathOpen(ConstantsLib.PAUSE_DEPOSIT) ? type(uint256).max : 0;
    }

    /// @notice 0 while USDT redeems are paused, a rebalance is in flight or any price is invalid; else the balance.
    /// @inheritdoc ERC4626
    function maxRedeem(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return _usdtPathOpen(ConstantsLib.PAUSE_REDEEM) ? balanceOf(owner) : 0;
    }

    /// @notice Shares a deposit of `assets` mints at least, in this block.
    /// @dev Never more than `deposit` delivers: it assumes every swap returns exactly its floor (Chainlink value less
    ///      `maxSlippageBps`), which the deposit enforces, and counts pending management-fee shares. Assumes USDT
    ///      charges no transfer fee.
    /// @inheritdoc ERC4626
    function previewDeposit(uint256 assets) public view override(ERC4626, IERC4626) nonReentrantView returns (uint256) {
        Snapshot memory s = _snapshot();
        (uint256 navBefore, uint256[] memory values) = _navCeilAndValues(s);
        uint256 net = assets - _fee(assets, _s().params.mintFeeBps);
        (uint256[] memory amountsIn, uint256 valueFloor) = _allocation(net, values, navBefore, s);
        uint256 keepBps = ConstantsLib.BPS - _s().params.maxSlippageBps;
        for (uint256 i; i < amountsIn.length; ++i) {
            // The deposit accepts one unit of the token less than the floor (see `_buyBasket`): value it up.
            valueFloor += _sub0(_buyFloor(amountsIn[i], keepBps), _value(i, 1, s, Math.Rounding.Ceil));
        }
        return valueFloor.mulDiv(_effectiveSupply() + 10 ** _DECIMALS_OFFSET, navBefore + 1, Math.Rounding.Floor);
    }

    /// @notice USDT a redemption of `shares` pays at least, in this block.
    /// @dev Never more than `redeem` delivers: every sale is counted at its floor (Chainlink value less
    ///      `maxSlippageBps`), which the redemption enforces; pending management-fee shares are counted.
    /// @inheritdoc ERC4626
    function previewRedeem(uint256 shares) public view override(ERC4626, IERC4626) nonReentrantView returns (uint256) {
        uint256 supply = _effectiveSupply();
        if (supply == 0) return 0;
        Snapshot memory s = _snapshot();
        uint256 keepBps = ConstantsLib.BPS - _s().params.maxSlippageBps;
        uint256 proceeds = s.idle.mulDiv(shares, supply);
        for (uint256 i; i < s.balances.length; ++i) {
            uint256 amount = s.balances[i].mulDiv(shares, supply);
            if (amount != 0) proceeds += _sellFloor(_value(i, amount, s, Math.Rounding.Floor), amount, keepBps);
        }
        return proceeds - _fee(proceeds, _s().params.burnFeeBps);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Index views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVault
    function uniswapFactory() external view returns (address) {
        return IIndexVaultConfigurator(_CONFIGURATOR).uniswapFactory();
    }

    /// @inheritdoc IIndexVault
    function constituentCount() external view returns (uint256) {
        return _s().constituents.length;
    }

    /// @inheritdoc IIndexVault
    function constituent(uint256 index) external view returns (ConstituentInfo memory info) {
        VaultStorageLib.Constituent storage c = _constituentAt(index);
        uint256 hops = c.hopCount;
        info.token = c.token;
        info.targetWeightBps = c.targetWeightBps;
        info.tokenDecimals = c.tokenDecimals;
        info.feed = c.feed;
        info.heartbeat = c.heartbeat;
        info.feedDecimals = c.feedDecimals;
        info.path = new address[](hops + 1);
        info.pools = new address[](hops);
        info.path[0] = address(_USDT);
        info.path[hops] = c.token;
        for (uint256 k; k < hops; ++k) {
            info.pools[k] = c.hops[k].pool;
            if (k + 1 < hops) info.path[k + 1] = c.via[k];
        }
    }

    /// @inheritdoc IIndexVault
    function basket()
        external
        view
        nonReentrantView
        returns (ConstituentState[] memory states, uint256 idleUsdt, uint256 nav)
    {
        Snapshot memory s = _snapshot();
        uint256 n = s.balances.length;
        states = new ConstituentState[](n);
        nav = s.idle;
        for (uint256 i; i < n; ++i) {
            VaultStorageLib.Constituent storage c = _s().constituents[i];
            uint256 value = _value(i, s.balances[i], s, Math.Rounding.Floor);
            states[i] = ConstituentState(c.token, s.balances[i], s.prices[i], value, c.targetWeightBps, 0);
            nav += value;
        }
        if (nav != 0) {
            for (uint256 i; i < n; ++i) {
                states[i].currentWeightBps = states[i].value * ConstantsLib.BPS / nav;
            }
        }
        idleUsdt = s.idle;
    }

    /// @inheritdoc IIndexVault
    function navPerShare() public view returns (uint256) {
        return _convertToAssets(10 ** decimals(), Math.Rounding.Floor);
    }

    /// @inheritdoc IIndexVault
    function indexLevel() external view returns (uint256) {
        return navPerShare().mulDiv(ConstantsLib.INITIAL_INDEX_LEVEL, 10 ** _USDT_DECIMALS);
    }

    /// @inheritdoc IIndexVault
    function config() external view returns (VaultConfig memory) {
        VaultStorageLib.Params memory p = _s().params;
        VaultStorageLib.OracleConfig memory o = _s().oracle;
        return VaultConfig({
            feeRecipient: _s().feeRecipient,
            minDeposit: _s().minDeposit,
            mintFeeBps: p.mintFeeBps,
            burnFeeBps: p.burnFeeBps,
            managementFeeBps: p.managementFeeBps,
            maxSlippageBps: p.maxSlippageBps,
            pauseFlags: p.pauseFlags,
            rebalancing: p.rebalancing,
            lastFeeAccrual: p.lastFeeAccrual,
            usdtFeed: o.usdtFeed,
            usdtHeartbeat: o.usdtHeartbeat,
            sequencerFeed: _s().sequencerFeed,
            sequencerGracePeriod: o.sequencerGracePeriod
        });
    }

    /// @inheritdoc IIndexVault
    function pendingManagementFeeShares() public view returns (uint256) {
        return FeeLib.managementFeeShares(
            totalSupply(), _s().params.managementFeeRate, block.timestamp - _s().params.lastFeeAccrual
        );
    }

    /// @inheritdoc IIndexVault
    function previewDepositInKind(uint256 shares) external view nonReentrantView returns (uint256[] memory amounts) {
        uint256 supply = _effectiveSupply();
        if (supply == 0) revert IndexVault__EmptyVault();
        (amounts,) = _proRata(shares, supply, Math.Rounding.Ceil);
    }

    /// @inheritdoc IIndexVault
    function previewRedeemInKind(uint256 shares) external view nonReentrantView returns (uint256[] memory amounts) {
        uint256 supply = _effectiveSupply();
        if (supply == 0) revert IndexVault__EmptyVault();
        uint256 feeShares = shares.mulDiv(_s().params.burnFeeBps, ConstantsLib.BPS, Math.Rounding.Ceil);
        (amounts,) = _proRata(shares - feeShares, supply, Math.Rounding.Floor);
    }

    /// @inheritdoc IIndexVault
    function claimable(address account, address token) external view returns (uint256) {
        return _s().deferred[account][token];
    }

    /// @inheritdoc IIndexVault
    function totalClaimable(address token) external view returns (uint256) {
        return _s().totalDeferred[token];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: USDT paths
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The body of every `deposit` overload (called under the lock).
    function _depositUsdt(uint256 assets, address receiver, uint256 minShares) internal returns (uint256 shares) {
        _checkUsdtPath(ConstantsLib.PAUSE_DEPOSIT);
        if (receiver == address(0)) revert IndexVault__ZeroAddress();
        uint256 minDeposit = _s().minDeposit;
        if (assets < minDeposit || assets == 0) revert IndexVault__DepositTooSmall(assets, minDeposit);
        _accrueManagementFee();

        Snapshot memory s = _snapshot();
        (uint256 navBefore, uint256[] memory values) = _navCeilAndValues(s); // {USDT units}
        uint256 supply = totalSupply(); // {share}

        _USDT.safeTransferFrom(msg.sender, address(this), assets);
        uint256 received = _held(address(_USDT)) - s.idle; // {USDT units}
        uint256 mintFee = _fee(received, _s().params.mintFeeBps); // {USDT units}
        if (mintFee != 0) _USDT.safeTransfer(_s().feeRecipient, mintFee);

        uint256 valueIn = _invest(received - mintFee, values, navBefore, s); // {USDT units}
        shares = valueIn.mulDiv(supply + 10 ** _DECIMALS_OFFSET, navBefore + 1, Math.Rounding.Floor);
        if (shares == 0) revert IndexVault__ZeroShares(assets);
        if (shares < minShares) revert IndexVault__InsufficientShares(shares, minShares);

        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, received, shares);
        emit Deposited(msg.sender, receiver, received, mintFee, valueIn, navBefore, shares);
    }

    /// @dev The body of every `redeem` overload (called under the lock).
    function _redeemUsdt(uint256 shares, address receiver, address owner, uint256 minAssets)
        internal
        returns (uint256 assets)
    {
        _checkUsdtPath(ConstantsLib.PAUSE_REDEEM);
        if (receiver == address(0)) revert IndexVault__ZeroAddress();
        if (shares == 0) revert IndexVault__ZeroAmount();
        _accrueManagementFee();
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);

        Snapshot memory s = _snapshot();
        uint256 supply = totalSupply(); // {share}
        _burn(owner, shares);

        uint256 proceeds = s.idle.mulDiv(shares, supply) + _sellBasket(shares, supply, s); // {USDT units}
        uint256 burnFee = _fee(proceeds, _s().params.burnFeeBps); // {USDT units}
        assets = proceeds - burnFee;
        if (assets < minAssets) revert IndexVault__InsufficientAssets(assets, minAssets);

        if (burnFee != 0) _USDT.safeTransfer(_s().feeRecipient, burnFee);
        if (assets != 0) _USDT.safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
        emit Redeemed(msg.sender, receiver, owner, shares, proceeds, burnFee, assets);
    }

    /// @notice How a deposit's net USDT is split: pro-rata to the vault's current holdings at the snapshot's prices,
    ///         so the depositor buys the vault's own mix and its credited value carries the same oracle error as NAV.
    /// @dev Why not by target or "most underweight first": shares are minted for the Chainlink value received, so a
    ///      split that differs from the vault's mix turns any lag between a feed and its pool into a transfer from
    ///      holders (≈ deposit × lag × (1 − weight) when the deposit buys one lagging constituent). Pro-rata, the
    ///      depositor's gain is second order: with a_i = feed_i / pool_i, it is deposit × (E[a]·E[1/a] − 1) / (1 + ·)
    ///      (weights = value weights), at most deposit × (r − 1)² / (4r) with r = max a / min a (Kantorovich), i.e.
    ///      ≈ deposit × spread² / 4: 1 bp of the deposit at a 2 % spread, less than one pool fee. Drift is left to
    ///      the rebalancer. The USDT share of NAV (idle USDT) stays in USDT, credited at face value; legs of at most one
    ///      swap dust and the rounding remainder go to the largest leg. An empty basket (no constituent value: the first
    ///      deposit) splits by target weight.
    /// @param net {USDT units} USDT to invest.
    /// @param values {USDT units} Each constituent's value at the snapshot, rounded down.
    /// @param nav {USDT units} NAV at the snapshot (Σ values + idle USDT), rounded up.
    /// @return amountsIn {USDT units} USDT to spend per constituent.
    /// @return kept {USDT units} USDT kept (net − Σ amountsIn), credited at face value.
    function _allocation(uint256 net, uint256[] memory values, uint256 nav, Snapshot memory s)
        internal
        view
        virtual
        returns (uint256[] memory amountsIn, uint256 kept)
    {
        uint256 n = values.length;
        amountsIn = new uint256[](n);
        bool empty = nav <= s.idle; // no constituent value: split by target
        if (!empty) kept = net.mulDiv(s.idle, nav, Math.Rounding.Floor);
        uint256 spent = kept;
        uint256 largest;
        for (uint256 i; i < n; ++i) {
            uint256 amount =
                empty ? net * _targetOf(s, i) / ConstantsLib.BPS : net.mulDiv(values[i], nav, Math.Rounding.Floor);
            if (amount <= _SWAP_DUST) {
                amount = 0;
            } else if (amount > amountsIn[largest]) {
                largest = i;
            }
            amountsIn[i] = amount;
            spent += amount;
        }
        // The rounding remainder (< n + 1 units) and legs of at most one swap dust: to the largest leg if there is one,
        // so a vault without idle USDT keeps none (and its USDT balance slot is cleared, as before).
        if (amountsIn[largest] != 0) amountsIn[largest] += net - spent;
        else kept += net - spent;
    }

    /// @dev Invests `net` USDT in the vault's mix (`_allocation`, `_buyBasket`).
    /// @return valueIn {USDT units} Chainlink value of what was bought, plus the USDT kept at face value.
    function _invest(uint256 net, uint256[] memory values, uint256 nav, Snapshot memory s)
        internal
        returns (uint256 valueIn)
    {
        (uint256[] memory amountsIn, uint256 kept) = _allocation(net, values, nav, s);
        valueIn = _buyBasket(amountsIn, s) + kept;
    }

    /// @dev Buys each constituent with `amountsIn` USDT; each route must return at least the Chainlink value of its
    ///      input less `maxSlippageBps` and a rounding tolerance. Received amounts are measured by balance change and valued at `s`.
    /// @return valueIn {USDT units} Σ Chainlink value of what was received, each rounded down.
    function _buyBasket(uint256[] memory amountsIn, Snapshot memory s) internal returns (uint256 valueIn) {
        uint256 keepBps = ConstantsLib.BPS - _s().params.maxSlippageBps;
        for (uint256 i; i < amountsIn.length; ++i) {
            uint256 amountIn = amountsIn[i];
            if (amountIn == 0) continue;
            // {tok units} the shared floor rule (SwapFloorLib), as the rebalancer's buys
            uint256 minOut = SwapFloorLib.buyMinOut(amountIn, keepBps, _SWAP_DUST, s.valueNum[i], s.valueDen[i]);
            _swapExactIn(s, i, true, amountIn, minOut);
            uint256 received = _held(ConstituentTableLib.tokenOf(s.table, i)) - s.balances[i];
            valueIn += _value(i, received, s, Math.Rounding.Floor);
        }
    }

    /// @dev Sells `shares / supply` of every constituent (rounded down) for USDT; each route must return at least the
    ///      Chainlink value of its input less `maxSlippageBps` and a rounding tolerance.
    /// @return sold {USDT units} USDT received, measured by balance change.
    function _sellBasket(uint256 shares, uint256 supply, Snapshot memory s) internal returns (uint256 sold) {
        uint256 keepBps = ConstantsLib.BPS - _s().params.maxSlippageBps;
        for (uint256 i; i < s.balances.length; ++i) {
            uint256 amountIn = s.balances[i].mulDiv(shares, supply);
            if (amountIn == 0) continue;
            uint256 minOut = _sellFloor(_value(i, amountIn, s, Math.Rounding.Floor), amountIn, keepBps);
            _swapExactIn(s, i, false, amountIn, minOut);
        }
        sold = _held(address(_USDT)) - s.idle;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: valuation
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev {USDT units} The least a buy leg of `amountIn` USDT may be worth (`SwapFloorLib.buyFloorValue`, the rule of
    ///      every swap: maxSlippage, one cent, then one token unit in `buyMinOut`).
    function _buyFloor(uint256 amountIn, uint256 keepBps) internal view returns (uint256) {
        return SwapFloorLib.buyFloorValue(amountIn, keepBps, _SWAP_DUST);
    }

    /// @dev {USDT units} The least a sell leg of `amountIn` tokens worth `value` may return (`SwapFloorLib.sellMinOut`).
    ///      `previewRedeem` uses the same function, so it stays a floor.
    function _sellFloor(uint256 value, uint256 amountIn, uint256 keepBps) internal view returns (uint256) {
        return SwapFloorLib.sellMinOut(value, amountIn, keepBps, _SWAP_DUST);
    }

    /// @dev max(a − b, 0).
    function _sub0(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a - b : 0;
    }

    /// @dev Pro-rata amounts of every constituent then USDT for `shares` out of `supply`; `any` if one is non-zero.
    function _proRata(uint256 shares, uint256 supply, Math.Rounding rounding)
        internal
        view
        returns (uint256[] memory amounts, bool any)
    {
        uint256 n = _s().constituents.length;
        amounts = new uint256[](n + 1);
        for (uint256 i; i <= n; ++i) {
            uint256 held = _held(i == n ? address(_USDT) : _s().constituents[i].token);
            amounts[i] = held.mulDiv(shares, supply, rounding);
            if (amounts[i] != 0) any = true;
        }
    }

    /// @dev Supply including the management-fee shares the next interaction will mint.
    function _effectiveSupply() internal view returns (uint256) {
        return totalSupply() + pendingManagementFeeShares();
    }

    /// @dev ERC-4626 conversions at oracle NAV, counting pending management-fee shares.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        return assets.mulDiv(_effectiveSupply() + 10 ** _DECIMALS_OFFSET, totalAssets() + 1, rounding);
    }

    /// @dev ERC-4626 conversions at oracle NAV, counting pending management-fee shares.
    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        return shares.mulDiv(totalAssets() + 1, _effectiveSupply() + 10 ** _DECIMALS_OFFSET, rounding);
    }

    /// @dev ERC-4626 decimals offset: shares have 18 decimals.
    function _decimalsOffset() internal view override returns (uint8) {
        return _DECIMALS_OFFSET;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: fees, transfers, checks
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Mints the management fee accrued since the last accrual to the fee recipient. Needs no price.
    function _accrueManagementFee() internal returns (uint256 feeShares) {
        uint256 last = _s().params.lastFeeAccrual;
        if (last == block.timestamp) return 0;
        uint256 elapsed = block.timestamp - last;
        feeShares = FeeLib.managementFeeShares(totalSupply(), _s().params.managementFeeRate, elapsed);
        _s().params.lastFeeAccrual = uint40(block.timestamp);
        if (feeShares != 0) {
            address recipient = _s().feeRecipient;
            _mint(recipient, feeShares);
            emit ManagementFeeAccrued(recipient, feeShares, elapsed);
        }
    }

    /// @dev {USDT units} A bps fee on `amount`, rounded up.
    function _fee(uint256 amount, uint256 feeBps) internal pure returns (uint256) {
        return amount.mulDiv(feeBps, ConstantsLib.BPS, Math.Rounding.Ceil);
    }

    /// @dev Pulls exactly `amount` of `token` from the caller, measured by balance change.
    function _pullExact(address token, uint256 amount) internal {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received < amount) revert IndexVault__TransferShortfall(token, amount, received);
    }

    /// @dev Sends `amount` of `token` to `to`; if the transfer fails, keeps it for `to` to `claim` instead, so one
    ///      token (paused, blacklisting `to`, broken) never blocks an in-kind redemption.
    function _pushOrDefer(address token, address to, uint256 amount) internal {
        if (SafeERC20.trySafeTransfer(IERC20(token), to, amount)) return;
        uint256 total = _s().totalDeferred[token];
        if (total == 0) ++_s().params.deferredTokenCount;
        _s().totalDeferred[token] = total + amount;
        _s().deferred[to][token] += amount;
        emit TransferDeferred(to, token, amount);
    }

    /// @dev Reverts unless the USDT path guarded by `flag` is open (not paused, no rebalance in flight).
    function _checkUsdtPath(uint8 flag) internal view {
        _checkNotPaused(flag);
        if (_s().params.rebalancing) revert IndexVault__RebalanceInProgress();
    }

    /// @dev Reverts `IndexVault__Paused(flag)` when `flag` is set.
    function _checkNotPaused(uint8 flag) internal view {
        if (_s().params.pauseFlags & flag != 0) revert IndexVault__Paused(flag);
    }

    /// @dev Reverts once `deadline` has passed.
    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert IndexVault__DeadlineExpired(deadline, block.timestamp);
    }

    /// @dev True when the USDT path guarded by `flag` would not revert for pause, rebalance or price reasons.
    function _usdtPathOpen(uint8 flag) internal view returns (bool) {
        VaultStorageLib.Params memory p = _s().params;
        if (p.pauseFlags & flag != 0 || p.rebalancing) return false;
        VaultStorageLib.OracleConfig memory o = _s().oracle;
        if (o.hasSequencerFeed && !OracleLib.isSequencerReady(_s().sequencerFeed, o.sequencerGracePeriod)) return false;
        (bool ok,) = OracleLib.tryReadPrice(o.usdtFeed, o.usdtHeartbeat, o.usdtFeedDecimals);
        // The feeds as the USDT paths read them: from the constituent table (one account access, not two cold slots
        // per constituent: ERC-4626 routers call maxDeposit / maxRedeem on-chain). A vault without a table (never
        // initialised) is closed rather than reverting, as ERC-4626 asks of these views.
        address tableAddress = _s().constituentTable;
        if (!ok || tableAddress.code.length == 0) return false;
        bytes memory table = ConstituentTableLib.read(tableAddress);
        uint256 n = ConstituentTableLib.count(table);
        for (uint256 i; ok && i < n; ++i) {
            (,,, uint8 feedDecimals, uint256 heartbeat,) = ConstituentTableLib.head(table, i);
            (ok,) = OracleLib.tryReadPrice(ConstituentTableLib.feedOf(table, i), heartbeat, feedDecimals);
        }
        return ok;
    }

    /// @dev The constituent at `index`, or `IndexVault__InvalidIndex`.
    function _constituentAt(uint256 index) internal view returns (VaultStorageLib.Constituent storage) {
        uint256 n = _s().constituents.length;
        if (index >= n) revert IndexVault__InvalidIndex(index, n);
        return _s().constituents[index];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: configuration
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Every selector the vault does not implement runs in the rebalancer module (DELEGATECALL, same
    ///         storage), which checks its own roles: see `IIndexVaultRebalancer`. Rejects ETH.
    fallback() external {
        DelegateCallLib.forward(_REBALANCER);
    }

    /// @dev Runs this call's calldata in the configurator (same function signature) against this vault's storage,
    ///      bubbling its revert. Callers check roles (or `initializer`) first.
    function _delegateToConfigurator() internal {
        (bool ok, bytes memory result) = _CONFIGURATOR.delegatecall(msg.data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    function _setPauseFlags(uint8 flags) internal {
        emit PauseFlagsSet(msg.sender, _s().params.pauseFlags, flags);
        _s().params.pauseFlags = flags;
    }
}
