// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IIndexVault, VaultParams, ConstituentParams} from "./interfaces/IIndexVault.sol";
import {IIndexVaultConfigurator} from "./interfaces/IIndexVaultConfigurator.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {FeeLib} from "./libraries/FeeLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {RouteLib} from "./libraries/RouteLib.sol";
import {Hop} from "./libraries/UniswapV3SwapLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";

/// @title IndexVaultConfigurator
/// @notice Validation and storage of an index vault's configuration: fees, slippage, minimum deposit, feeds, routes
///         and the initial basket. Runs only inside an `IndexVault` (DELEGATECALL), after the vault's role check.
/// @dev See `IIndexVaultConfigurator`. Holds no state; its immutables are shared with the vault implementation.
contract IndexVaultConfigurator is IIndexVaultConfigurator {
    /// @inheritdoc IIndexVaultConfigurator
    address public immutable usdt;

    /// @inheritdoc IIndexVaultConfigurator
    address public immutable uniswapFactory;

    /// @dev This contract's own address, to refuse direct calls.
    address private immutable _SELF;

    /// @param usdt_ The asset of the vaults using this configurator.
    /// @param uniswapFactory_ The Uniswap V3 factory that routes are validated against.
    constructor(address usdt_, address uniswapFactory_) {
        if (usdt_ == address(0) || uniswapFactory_ == address(0)) revert IIndexVault.IndexVault__ZeroAddress();
        usdt = usdt_;
        uniswapFactory = uniswapFactory_;
        _SELF = address(this);
    }

    /// @dev Only through DELEGATECALL: direct calls would write this contract's own (meaningless) storage.
    modifier onlyDelegateCall() {
        if (address(this) == _SELF) revert IndexVaultConfigurator__DelegateCallOnly();
        _;
    }

    /// @inheritdoc IIndexVaultConfigurator
    function initialize(VaultParams calldata params, ConstituentParams[] calldata constituents)
        external
        onlyDelegateCall
    {
        VaultStorageLib.Layout storage $ = VaultStorageLib.layout();
        $.name = params.name;
        $.symbol = params.symbol;
        $.feeRecipient = params.feeRecipient;
        emit IIndexVault.FeeRecipientSet(address(0), params.feeRecipient);
        _setMintFee(params.mintFeeBps);
        _setBurnFee(params.burnFeeBps);
        _setManagementFee(params.managementFeeBps);
        _setMaxSlippage(params.maxSlippageBps);
        _setMinDeposit(params.minDeposit);
        _setUsdtFeed(params.usdtFeed, params.usdtHeartbeat);
        _setSequencerFeed(params.sequencerFeed, params.sequencerGracePeriod);
        $.params.lastFeeAccrual = uint40(block.timestamp);

        uint256 n = constituents.length;
        if (n == 0 || n > ConstantsLib.MAX_CONSTITUENTS) revert IIndexVault.IndexVault__InvalidConstituentCount(n);
        uint256 sumBps; // {bps}
        for (uint256 i; i < n; ++i) {
            sumBps += _addConstituent(i, constituents);
        }
        if (sumBps != ConstantsLib.BPS) revert IIndexVault.IndexVault__InvalidWeights(sumBps);
        ConstituentTableLib.publish();
        emit IIndexVault.VaultInitialized(params.name, params.symbol, n);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setMintFee(uint16 feeBps) external onlyDelegateCall {
        _setMintFee(feeBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setBurnFee(uint16 feeBps) external onlyDelegateCall {
        _setBurnFee(feeBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setManagementFee(uint16 feeBps) external onlyDelegateCall {
        _setManagementFee(feeBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setMaxSlippage(uint16 slippageBps) external onlyDelegateCall {
        _setMaxSlippage(slippageBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setMinDeposit(uint96 minDeposit) external onlyDelegateCall {
        _setMinDeposit(minDeposit);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setUsdtFeed(address feed, uint32 heartbeat) external onlyDelegateCall {
        _setUsdtFeed(feed, heartbeat);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setSequencerFeed(address feed, uint32 gracePeriod) external onlyDelegateCall {
        _setSequencerFeed(feed, gracePeriod);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setConstituentFeed(uint256 index, address feed, uint32 heartbeat) external onlyDelegateCall {
        VaultStorageLib.Constituent storage c = _constituentAt(index);
        uint8 feedDecimals = OracleLib.validateFeed(feed, heartbeat);
        c.feed = feed;
        c.heartbeat = heartbeat;
        c.feedDecimals = feedDecimals;
        emit IIndexVault.ConstituentFeedSet(index, c.token, feed, heartbeat);
        ConstituentTableLib.publish();
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setConstituentRoute(uint256 index, address[] calldata path, uint24[] calldata fees)
        external
        onlyDelegateCall
    {
        VaultStorageLib.Constituent storage c = _constituentAt(index);
        address[] memory pools = _writeRoute(c, c.token, path, fees);
        emit IIndexVault.ConstituentRouteSet(index, c.token, path, pools);
        ConstituentTableLib.publish();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The constituent at `index`, or `IndexVault__InvalidIndex`.
    function _constituentAt(uint256 index) internal view returns (VaultStorageLib.Constituent storage) {
        VaultStorageLib.Constituent[] storage list = VaultStorageLib.layout().constituents;
        if (index >= list.length) revert IIndexVault.IndexVault__InvalidIndex(index, list.length);
        return list[index];
    }

    /// @dev Validates and stores constituent `i` of `list`; returns its target weight. {bps}
    function _addConstituent(uint256 i, ConstituentParams[] calldata list) internal returns (uint256) {
        ConstituentParams calldata p = list[i];
        address token = p.token;
        if (token == address(0) || token == usdt) revert IIndexVault.IndexVault__InvalidConstituent(token);
        for (uint256 j; j < i; ++j) {
            if (list[j].token == token) revert IIndexVault.IndexVault__InvalidConstituent(token);
        }
        if (p.targetWeightBps == 0) revert IIndexVault.IndexVault__InvalidWeights(0);
        (bool ok, uint8 tokenDecimals) = SafeERC20.tryGetDecimals(IERC20(token));
        if (!ok || tokenDecimals > ConstantsLib.MAX_DECIMALS) revert IIndexVault.IndexVault__UnsupportedToken(token);

        VaultStorageLib.Constituent storage c = VaultStorageLib.layout().constituents.push();
        c.token = token;
        c.targetWeightBps = p.targetWeightBps;
        c.tokenDecimals = tokenDecimals;
        c.feedDecimals = OracleLib.validateFeed(p.feed, p.heartbeat);
        c.heartbeat = p.heartbeat;
        c.feed = p.feed;
        address[] memory pools = _writeRoute(c, token, p.path, p.fees);
        emit IIndexVault.ConstituentAdded(i, token, p.targetWeightBps, p.feed, p.heartbeat, p.path, pools);
        return p.targetWeightBps;
    }

    /// @dev Validates a buy route against the Uniswap V3 factory and stores it in `c`; returns its pools.
    function _writeRoute(
        VaultStorageLib.Constituent storage c,
        address token,
        address[] calldata path,
        uint24[] calldata fees
    ) internal returns (address[] memory pools) {
        pools = RouteLib.resolve(uniswapFactory, usdt, token, path, fees);
        uint256 hops = pools.length;
        // casting to 'uint8' is safe because RouteLib bounds hops by ConstantsLib.MAX_HOPS (3)
        // forge-lint: disable-next-line(unsafe-typecast)
        c.hopCount = uint8(hops);
        for (uint256 k; k < ConstantsLib.MAX_HOPS; ++k) {
            if (k < hops) c.hops[k] = Hop(pools[k], path[k] < path[k + 1]);
            else delete c.hops[k];
            if (k + 1 < ConstantsLib.MAX_HOPS) c.via[k] = k + 1 < hops ? path[k + 1] : address(0);
        }
    }

    function _setMintFee(uint16 feeBps) internal {
        if (feeBps > ConstantsLib.MAX_MINT_FEE_BPS) {
            revert IIndexVault.IndexVault__FeeTooHigh(feeBps, ConstantsLib.MAX_MINT_FEE_BPS);
        }
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.MintFeeSet(p.mintFeeBps, feeBps);
        p.mintFeeBps = feeBps;
    }

    function _setBurnFee(uint16 feeBps) internal {
        if (feeBps > ConstantsLib.MAX_BURN_FEE_BPS) {
            revert IIndexVault.IndexVault__FeeTooHigh(feeBps, ConstantsLib.MAX_BURN_FEE_BPS);
        }
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.BurnFeeSet(p.burnFeeBps, feeBps);
        p.burnFeeBps = feeBps;
    }

    /// @dev The vault accrues at the old rate first (at initialisation nothing is outstanding).
    function _setManagementFee(uint16 feeBps) internal {
        if (feeBps > ConstantsLib.MAX_MANAGEMENT_FEE_BPS) {
            revert IIndexVault.IndexVault__FeeTooHigh(feeBps, ConstantsLib.MAX_MANAGEMENT_FEE_BPS);
        }
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.ManagementFeeSet(p.managementFeeBps, feeBps);
        p.managementFeeBps = feeBps;
        // casting to 'uint64' is safe because the rate of the largest fee (5 %) is ~5.1e16, far below 2^64
        // forge-lint: disable-next-line(unsafe-typecast)
        p.managementFeeRate = uint64(FeeLib.continuousRate(feeBps));
    }

    function _setMaxSlippage(uint16 slippageBps) internal {
        if (slippageBps == 0 || slippageBps > ConstantsLib.MAX_SLIPPAGE_BPS) {
            revert IIndexVault.IndexVault__InvalidSlippage(slippageBps);
        }
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.MaxSlippageSet(p.maxSlippageBps, slippageBps);
        p.maxSlippageBps = slippageBps;
    }

    function _setMinDeposit(uint96 minDeposit) internal {
        VaultStorageLib.Layout storage $ = VaultStorageLib.layout();
        emit IIndexVault.MinDepositSet($.minDeposit, minDeposit);
        $.minDeposit = minDeposit;
    }

    function _setUsdtFeed(address feed, uint32 heartbeat) internal {
        uint8 feedDecimals = OracleLib.validateFeed(feed, heartbeat);
        VaultStorageLib.OracleConfig storage o = VaultStorageLib.layout().oracle;
        o.usdtFeed = feed;
        o.usdtHeartbeat = heartbeat;
        o.usdtFeedDecimals = feedDecimals;
        emit IIndexVault.UsdtFeedSet(feed, heartbeat);
    }

    function _setSequencerFeed(address feed, uint32 gracePeriod) internal {
        OracleLib.validateSequencer(feed, gracePeriod);
        VaultStorageLib.Layout storage $ = VaultStorageLib.layout();
        $.sequencerFeed = feed;
        $.oracle.sequencerGracePeriod = gracePeriod;
        emit IIndexVault.SequencerFeedSet(feed, gracePeriod);
    }
}
