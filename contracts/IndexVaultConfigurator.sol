// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVault, VaultParams, ConstituentParams} from "./interfaces/IIndexVault.sol";
import {IIndexVaultComposer} from "./interfaces/IIndexVaultComposer.sol";
import {IIndexVaultConfigurator} from "./interfaces/IIndexVaultConfigurator.sol";
import {AdmissionLib} from "./libraries/AdmissionLib.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {DelegateCallOnly} from "./libraries/DelegateCallLib.sol";
import {FeeLib} from "./libraries/FeeLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {RebalanceStorageLib} from "./libraries/RebalanceStorageLib.sol";
import {RouteLib} from "./libraries/RouteLib.sol";
import {TargetsLib} from "./libraries/TargetsLib.sol";
import {Hop} from "./libraries/UniswapV3SwapLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";

/// @title IndexVaultConfigurator
/// @notice Validation and storage of an index vault's configuration: fees, slippage, minimum deposit, feeds, routes
///         and the initial basket. Runs only inside an `IndexVault` (DELEGATECALL), after the vault's role check.
/// @dev See `IIndexVaultConfigurator`. Holds no state; its immutables are shared with the vault implementation.
contract IndexVaultConfigurator is IIndexVaultConfigurator, DelegateCallOnly {
    /// @inheritdoc IIndexVaultConfigurator
    address public immutable usdt;

    /// @inheritdoc IIndexVaultConfigurator
    address public immutable uniswapFactory;

    /// @param usdt_ The asset of the vaults using this configurator.
    /// @param uniswapFactory_ The Uniswap V3 factory that routes are validated against.
    constructor(address usdt_, address uniswapFactory_) {
        if (usdt_ == address(0) || uniswapFactory_ == address(0)) revert IIndexVault.IndexVault__ZeroAddress();
        usdt = usdt_;
        uniswapFactory = uniswapFactory_;
    }

    /// @dev Only through DELEGATECALL: direct calls would write this contract's own (meaningless) storage.
    modifier onlyDelegateCall() {
        if (_isDirectCall()) revert IndexVaultConfigurator__DelegateCallOnly();
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
        TargetsLib.requireWhole(sumBps);
        ConstituentTableLib.publish();
        emit IIndexVault.VaultInitialized(params.name, params.symbol, n);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Instant when lowering the fee; an increase is validated and queued behind the delay.
    function setMintFee(uint16 feeBps) external onlyDelegateCall {
        _checkFee(feeBps, ConstantsLib.MAX_MINT_FEE_BPS);
        if (feeBps > _p().mintFeeBps && _queued(address(0))) return;
        _setMintFee(feeBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Instant when lowering the fee; an increase is validated and queued behind the delay.
    function setBurnFee(uint16 feeBps) external onlyDelegateCall {
        _checkFee(feeBps, ConstantsLib.MAX_BURN_FEE_BPS);
        if (feeBps > _p().burnFeeBps && _queued(address(0))) return;
        _setBurnFee(feeBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Instant when lowering the fee; an increase is validated and queued behind the delay.
    function setManagementFee(uint16 feeBps) external onlyDelegateCall {
        _checkFee(feeBps, ConstantsLib.MAX_MANAGEMENT_FEE_BPS);
        if (feeBps > _p().managementFeeBps && _queued(address(0))) return;
        _setManagementFee(feeBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Instant when tightening (lowering) the cap, which only raises every swap floor; widening it lowers every
    ///      floor, so it is validated and queued behind the delay.
    function setMaxSlippage(uint16 slippageBps) external onlyDelegateCall {
        _checkSlippage(slippageBps);
        if (slippageBps > _p().maxSlippageBps && _queued(address(0))) return;
        _setMaxSlippage(slippageBps);
    }

    /// @inheritdoc IIndexVaultConfigurator
    function setMinDeposit(uint96 minDeposit) external onlyDelegateCall {
        _setMinDeposit(minDeposit);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Validated, then queued behind the delay (validated again when applied).
    function setUsdtFeed(address feed, uint32 heartbeat) external onlyDelegateCall {
        OracleLib.validateFeed(feed, heartbeat);
        if (_queued(address(0))) return;
        _setUsdtFeed(feed, heartbeat);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Validated, then queued behind the delay (validated again when applied).
    function setSequencerFeed(address feed, uint32 gracePeriod) external onlyDelegateCall {
        OracleLib.validateSequencer(feed, gracePeriod);
        if (_queued(address(0))) return;
        _setSequencerFeed(feed, gracePeriod);
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Validated, then queued behind the delay for the constituent's TOKEN (validated again when applied).
    function setConstituentFeed(uint256 index, address feed, uint32 heartbeat) external onlyDelegateCall {
        VaultStorageLib.Constituent storage c = _constituentAt(index);
        uint8 feedDecimals = OracleLib.validateFeed(feed, heartbeat);
        if (_queued(c.token)) return;
        c.feed = feed;
        c.heartbeat = heartbeat;
        c.feedDecimals = feedDecimals;
        emit IIndexVault.ConstituentFeedSet(index, c.token, feed, heartbeat);
        ConstituentTableLib.publish();
    }

    /// @inheritdoc IIndexVaultConfigurator
    /// @dev Validated, then queued behind the delay for the constituent's TOKEN (validated again when applied).
    function setConstituentRoute(uint256 index, address[] calldata path, uint24[] calldata fees)
        external
        onlyDelegateCall
    {
        VaultStorageLib.Constituent storage c = _constituentAt(index);
        RouteLib.resolve(uniswapFactory, usdt, c.token, path, fees);
        if (_queued(c.token)) return;
        address[] memory pools = _writeRoute(c, c.token, path, fees);
        emit IIndexVault.ConstituentRouteSet(index, c.token, path, pools);
        ConstituentTableLib.publish();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Unless the composer is applying a matured change (or appending a proposed constituent): queues this call
    ///      (its calldata, for `token`) behind the composition delay and returns true. The caller validated it first.
    function _queued(address token) internal returns (bool) {
        if (RebalanceStorageLib.applying()) return false;
        bytes32 id = keccak256(msg.data);
        RebalanceStorageLib.ConfigChange storage c = RebalanceStorageLib.layout().configChanges[id];
        if (c.eta != 0) revert IIndexVaultComposer.IndexVaultComposer__ConfigChangePending(id, c.eta);
        uint256 eta = block.timestamp + RebalanceStorageLib.compositionDelay();
        // forge-lint: disable-next-line(unsafe-typecast) timestamp + bounded delay fits uint40 until the year 36812
        c.eta = uint40(eta);
        c.token = token;
        emit IIndexVaultComposer.ConfigChangeProposed(id, eta, token, msg.data);
        return true;
    }

    function _p() internal view returns (VaultStorageLib.Params storage) {
        return VaultStorageLib.layout().params;
    }

    function _checkFee(uint16 feeBps, uint256 maxBps) internal pure {
        if (feeBps > maxBps) revert IIndexVault.IndexVault__FeeTooHigh(feeBps, maxBps);
    }

    function _checkSlippage(uint16 slippageBps) internal pure {
        if (slippageBps == 0 || slippageBps > ConstantsLib.MAX_SLIPPAGE_BPS) {
            revert IIndexVault.IndexVault__InvalidSlippage(slippageBps);
        }
    }

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
        VaultStorageLib.Constituent[] storage stored = VaultStorageLib.layout().constituents;
        uint8 tokenDecimals = AdmissionLib.checkToken(token, usdt, stored);
        if (p.targetWeightBps == 0) revert IIndexVault.IndexVault__InvalidWeights(0);

        VaultStorageLib.Constituent storage c = stored.push();
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
        _checkFee(feeBps, ConstantsLib.MAX_MINT_FEE_BPS);
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.MintFeeSet(p.mintFeeBps, feeBps);
        p.mintFeeBps = feeBps;
    }

    function _setBurnFee(uint16 feeBps) internal {
        _checkFee(feeBps, ConstantsLib.MAX_BURN_FEE_BPS);
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.BurnFeeSet(p.burnFeeBps, feeBps);
        p.burnFeeBps = feeBps;
    }

    /// @dev The vault accrues at the old rate first (at initialisation nothing is outstanding).
    function _setManagementFee(uint16 feeBps) internal {
        _checkFee(feeBps, ConstantsLib.MAX_MANAGEMENT_FEE_BPS);
        VaultStorageLib.Params storage p = VaultStorageLib.layout().params;
        emit IIndexVault.ManagementFeeSet(p.managementFeeBps, feeBps);
        p.managementFeeBps = feeBps;
        // casting to 'uint64' is safe because the rate of the largest fee (5 %) is ~5.1e16, far below 2^64
        // forge-lint: disable-next-line(unsafe-typecast)
        p.managementFeeRate = uint64(FeeLib.continuousRate(feeBps));
    }

    function _setMaxSlippage(uint16 slippageBps) internal {
        _checkSlippage(slippageBps);
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
        $.oracle.hasSequencerFeed = feed != address(0);
        emit IIndexVault.SequencerFeedSet(feed, gracePeriod);
    }
}
