// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IndexVaultModule} from "./IndexVaultModule.sol";
import {IIndexVault, ConstituentParams} from "./interfaces/IIndexVault.sol";
import {IIndexVaultComposer, ProposalInfo} from "./interfaces/IIndexVaultComposer.sol";
import {IIndexVaultConfigurator} from "./interfaces/IIndexVaultConfigurator.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {RebalanceStorageLib} from "./libraries/RebalanceStorageLib.sol";
import {RouteLib} from "./libraries/RouteLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";

/// @title IndexVaultComposer
/// @notice Composition changes behind a delay (see `IIndexVaultComposer`). Runs only inside an `IndexVault`, reached
///         through the rebalancer module's `fallback` by DELEGATECALL.
/// @dev Holds no state. A new constituent's feed and route are written through the configurator (DELEGATECALL), so
///      they are validated by exactly the code that validates them at creation.
contract IndexVaultComposer is IndexVaultModule, IIndexVaultComposer, ReentrancyGuardTransient {
    /// @param configurator The vaults' configurator (it fixes USDT and the Uniswap V3 factory).
    constructor(address configurator) IndexVaultModule(configurator) {}

    /// @inheritdoc IIndexVaultComposer
    function proposeTargets(uint16[] calldata targetsBps) external onlyDelegateCall nonReentrant {
        _checkRole(MANAGER_ROLE);
        _checkTargets(targetsBps, _s().constituents.length, false);
        uint256 eta = _storeProposal(targetsBps).eta;
        emit CompositionProposed(eta, targetsBps, address(0));
    }

    /// @inheritdoc IIndexVaultComposer
    function proposeAddConstituent(ConstituentParams calldata params, uint16[] calldata targetsBps)
        external
        onlyDelegateCall
        nonReentrant
    {
        _checkRole(MANAGER_ROLE);
        uint256 n = _s().constituents.length;
        if (n + 1 > ConstantsLib.MAX_CONSTITUENTS) revert IIndexVault.IndexVault__InvalidConstituentCount(n + 1);
        _checkTargets(targetsBps, n + 1, true);
        if (params.targetWeightBps != targetsBps[n]) {
            revert IndexVaultComposer__InvalidTargets(targetsBps.length, params.targetWeightBps);
        }
        _checkNewToken(params.token);
        OracleLib.validateFeed(params.feed, params.heartbeat);
        RouteLib.resolve(
            IIndexVaultConfigurator(_CONFIGURATOR).uniswapFactory(),
            address(_USDT),
            params.token,
            params.path,
            params.fees
        );
        RebalanceStorageLib.Proposal storage p = _storeProposal(targetsBps);
        p.token = params.token;
        p.feed = params.feed;
        p.heartbeat = params.heartbeat;
        p.path = params.path;
        p.fees = params.fees;
        emit CompositionProposed(p.eta, targetsBps, params.token);
    }

    /// @inheritdoc IIndexVaultComposer
    function executeProposal() external onlyDelegateCall nonReentrant {
        _executeProposal();
    }

    /// @inheritdoc IIndexVaultComposer
    function cancelProposal() external onlyDelegateCall nonReentrant {
        _checkRole(ADMIN_ROLE);
        uint256 eta = _r().proposal.eta;
        if (eta == 0) revert IndexVaultComposer__NoProposal();
        delete _r().proposal;
        emit CompositionCancelled(msg.sender, eta);
    }

    /// @inheritdoc IIndexVaultComposer
    function pendingProposal() external view onlyDelegateCall returns (ProposalInfo memory info) {
        RebalanceStorageLib.Proposal storage p = _r().proposal;
        info = ProposalInfo(p.eta, p.targetsBps, p.token, p.feed, p.heartbeat, p.path, p.fees);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    function _executeProposal() internal {
        RebalanceStorageLib.Proposal storage p = _r().proposal;
        uint256 eta = p.eta;
        if (eta == 0) revert IndexVaultComposer__NoProposal();
        if (block.timestamp < eta) revert IndexVaultComposer__ProposalNotReady(eta);
        if (_s().params.rebalancing) revert IIndexVault.IndexVault__RebalanceInProgress();
        address token = p.token;
        // The feed and route setters the append delegates to would each republish the table: once at the end instead.
        ConstituentTableLib.deferPublication(true);
        if (token != address(0)) _appendConstituent(p);
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        uint16[] memory targets = p.targetsBps;
        if (targets.length != list.length) revert IndexVaultComposer__InvalidTargets(targets.length, list.length);
        for (uint256 i; i < targets.length; ++i) {
            list[i].targetWeightBps = targets[i];
        }
        delete _r().proposal;
        ConstituentTableLib.deferPublication(false);
        ConstituentTableLib.publish();
        emit CompositionExecuted(msg.sender, targets, token);
    }

    /// @dev Appends the proposed constituent: token checks again, then feed and route through the configurator
    ///      (which validates both again and emits `ConstituentFeedSet` / `ConstituentRouteSet`).
    function _appendConstituent(RebalanceStorageLib.Proposal storage p) internal {
        address token = p.token;
        _checkNewToken(token);
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        uint256 index = list.length;
        VaultStorageLib.Constituent storage c = list.push();
        c.token = token;
        (, uint8 tokenDecimals) = SafeERC20.tryGetDecimals(IERC20(token));
        c.tokenDecimals = tokenDecimals;
        _delegateTo(
            _CONFIGURATOR, abi.encodeCall(IIndexVaultConfigurator.setConstituentFeed, (index, p.feed, p.heartbeat))
        );
        _delegateTo(_CONFIGURATOR, abi.encodeCall(IIndexVaultConfigurator.setConstituentRoute, (index, p.path, p.fees)));
    }

    /// @dev Stores a new proposal (none may be pending) with its targets and eta.
    function _storeProposal(uint16[] calldata targetsBps) internal returns (RebalanceStorageLib.Proposal storage p) {
        p = _r().proposal;
        if (p.eta != 0) revert IndexVaultComposer__ProposalPending(p.eta);
        uint256 eta = block.timestamp + _config().compositionDelay;
        // forge-lint: disable-next-line(unsafe-typecast) timestamp + bounded delay fits uint40 until the year 36812
        p.eta = uint40(eta);
        p.targetsBps = targetsBps;
    }

    /// @dev Reverts unless `targetsBps` has `n` entries summing to 10,000 (and, when adding, a positive last one).
    function _checkTargets(uint16[] calldata targetsBps, uint256 n, bool adding) internal pure {
        uint256 sum;
        for (uint256 i; i < targetsBps.length; ++i) {
            sum += targetsBps[i];
        }
        if (targetsBps.length != n || sum != ConstantsLib.BPS || (adding && targetsBps[n - 1] == 0)) {
            revert IndexVaultComposer__InvalidTargets(targetsBps.length, sum);
        }
    }

    /// @dev Reverts unless `token` may join the basket: not zero, not USDT, not listed, at most 18 decimals.
    function _checkNewToken(address token) internal view {
        if (token == address(0) || token == address(_USDT)) revert IIndexVault.IndexVault__InvalidConstituent(token);
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        for (uint256 i; i < list.length; ++i) {
            if (list[i].token == token) revert IIndexVault.IndexVault__InvalidConstituent(token);
        }
        (bool ok, uint8 tokenDecimals) = SafeERC20.tryGetDecimals(IERC20(token));
        if (!ok || tokenDecimals > ConstantsLib.MAX_DECIMALS) revert IIndexVault.IndexVault__UnsupportedToken(token);
    }
}
