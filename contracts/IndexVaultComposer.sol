// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IndexVaultModule} from "./IndexVaultModule.sol";
import {IIndexVault, ConstituentParams} from "./interfaces/IIndexVault.sol";
import {IIndexVaultComposer, ProposalInfo} from "./interfaces/IIndexVaultComposer.sol";
import {IIndexVaultConfigurator} from "./interfaces/IIndexVaultConfigurator.sol";
import {AdmissionLib} from "./libraries/AdmissionLib.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {TargetsLib} from "./libraries/TargetsLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {RebalanceStorageLib} from "./libraries/RebalanceStorageLib.sol";
import {RouteLib} from "./libraries/RouteLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";

/// @title IndexVaultComposer
/// @notice Composition and value-moving configuration changes behind a delay (see `IIndexVaultComposer`). Runs only
///         inside an `IndexVault`, reached through the rebalancer module's `fallback` by DELEGATECALL.
/// @dev Holds no state. A new constituent's feed and route are written through the configurator (DELEGATECALL), so
///      they are validated by exactly the code that validates them at creation.
contract IndexVaultComposer is IndexVaultModule, IIndexVaultComposer, ReentrancyGuardTransient {
    /// @param configurator The vaults' configurator (it fixes USDT and the Uniswap V3 factory).
    constructor(address configurator) IndexVaultModule(configurator) {}

    /// @inheritdoc IIndexVaultComposer
    function proposeTargets(uint16[] calldata targetsBps) external onlyDelegateCall nonReentrant {
        _checkRole(ConstantsLib.MANAGER_ROLE);
        _checkTargets(targetsBps, _s().constituents.length, false);
        uint256 eta = _storeProposal(targetsBps, address(0)).eta;
        emit CompositionProposed(eta, targetsBps, address(0));
    }

    /// @inheritdoc IIndexVaultComposer
    function proposeAddConstituent(ConstituentParams calldata params, uint16[] calldata targetsBps, uint256 probeAmount)
        external
        onlyDelegateCall
        nonReentrant
    {
        _checkRole(ConstantsLib.MANAGER_ROLE);
        uint256 n = _s().constituents.length;
        if (n + 1 > ConstantsLib.MAX_CONSTITUENTS) revert IIndexVault.IndexVault__InvalidConstituentCount(n + 1);
        _checkTargets(targetsBps, n + 1, true);
        if (params.targetWeightBps != targetsBps[n]) {
            revert IndexVaultComposer__InvalidTargets(targetsBps.length, params.targetWeightBps);
        }
        _checkNewConstituent(params.token, params.feed, params.heartbeat, params.path, params.fees);
        RebalanceStorageLib.Proposal storage p = _storeProposal(targetsBps, params.token);
        p.token = params.token;
        p.feed = params.feed;
        p.heartbeat = params.heartbeat;
        p.path = params.path;
        p.fees = params.fees;
        emit CompositionProposed(p.eta, targetsBps, params.token);
        // Interaction last: the fee-on-transfer probe the factory runs at creation (one rule for every admission).
        AdmissionLib.probe(IERC20(params.token), msg.sender, probeAmount);
    }

    /// @inheritdoc IIndexVaultComposer
    function executeProposal() external onlyDelegateCall nonReentrant {
        _executeProposal();
    }

    /// @inheritdoc IIndexVaultComposer
    function cancelProposal() external onlyDelegateCall nonReentrant {
        _checkAdminOrManager();
        uint256 eta = _r().proposal.eta;
        if (eta == 0) revert IndexVaultComposer__NoProposal();
        delete _r().proposal;
        emit CompositionCancelled(msg.sender, eta);
    }

    /// @inheritdoc IIndexVaultComposer
    function pendingProposal() external view onlyDelegateCall returns (ProposalInfo memory info) {
        RebalanceStorageLib.Proposal storage p = _r().proposal;
        info = ProposalInfo(p.eta, p.targetsBps, p.token, p.feed, p.heartbeat, p.path, p.fees, p.tokens);
    }

    /// @inheritdoc IIndexVaultComposer
    function checkProposal() external view onlyDelegateCall returns (uint256 eta) {
        eta = _r().proposal.eta;
        _checkProposal();
    }

    /// @inheritdoc IIndexVaultComposer
    function executeConfigChange(bytes calldata data) external onlyDelegateCall {
        if (!_hasRole(ConstantsLib.KEEPER_ROLE, msg.sender)) _checkRole(ConstantsLib.MANAGER_ROLE);
        // A management-fee increase accrues at the old rate first (the vault's own entry point takes the lock).
        if (bytes4(data) == IIndexVault.setManagementFee.selector) IIndexVault(address(this)).accrueManagementFee();
        _executeConfigChange(data);
    }

    /// @inheritdoc IIndexVaultComposer
    function cancelConfigChange(bytes32 id) external onlyDelegateCall nonReentrant {
        _checkAdminOrManager();
        if (_r().configChanges[id].eta == 0) revert IndexVaultComposer__UnknownConfigChange(id);
        delete _r().configChanges[id];
        emit ConfigChangeCancelled(id, msg.sender);
    }

    /// @inheritdoc IIndexVaultComposer
    function pendingConfigChange(bytes32 id) external view onlyDelegateCall returns (uint256 eta, address token) {
        RebalanceStorageLib.ConfigChange storage c = _r().configChanges[id];
        return (c.eta, c.token);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Applies a matured configuration change through the configurator (which validates it again and emits the
    ///      setter's event); a constituent's change at its token's current index. Under the vault's lock.
    function _executeConfigChange(bytes calldata data) internal nonReentrant {
        bytes32 id = keccak256(data);
        RebalanceStorageLib.ConfigChange memory c = _r().configChanges[id];
        if (c.eta == 0) revert IndexVaultComposer__UnknownConfigChange(id);
        if (block.timestamp < c.eta) revert IndexVaultComposer__ConfigChangeNotReady(id, c.eta);
        if (_s().params.rebalancing) revert IIndexVault.IndexVault__RebalanceInProgress();
        bytes memory payload = data;
        if (c.token != address(0)) {
            // The index the change was proposed for may have moved (a rebalance's swap-and-pop): use the token's.
            (bool listed, uint256 index) = _indexOf(c.token);
            if (!listed) revert IndexVaultComposer__ConfigChangeStale(id, c.token);
            assembly ("memory-safe") {
                mstore(add(payload, 36), index) // first argument of setConstituentFeed / setConstituentRoute
            }
        }
        delete _r().configChanges[id];
        // Only the configurator writes `configChanges`, only from its own setters' calldata: `payload` is one of them.
        RebalanceStorageLib.setApplying(true);
        _delegateTo(_CONFIGURATOR, payload);
        RebalanceStorageLib.setApplying(false);
        emit ConfigChangeExecuted(id, msg.sender);
    }

    function _executeProposal() internal {
        uint16[] memory targets = _checkProposal();
        RebalanceStorageLib.Proposal storage p = _r().proposal;
        address token = p.token;
        // The feed and route setters the append delegates to would each republish the table: once at the end instead.
        ConstituentTableLib.deferPublication(true);
        if (token != address(0)) _appendConstituent(p);
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        for (uint256 i; i < targets.length; ++i) {
            list[i].targetWeightBps = targets[i];
        }
        delete _r().proposal;
        ConstituentTableLib.deferPublication(false);
        ConstituentTableLib.publish();
        emit CompositionExecuted(msg.sender, targets, token);
    }

    /// @dev Reverts with the reason the pending proposal cannot execute now; else returns the targets of the list as
    ///      it will be after execution (the constituents listed now, in order, then the added one), matched by token.
    ///      `executeProposal` and `checkProposal` (hence `checkUpkeep`) share it.
    function _checkProposal() internal view returns (uint16[] memory targets) {
        RebalanceStorageLib.Proposal storage p = _r().proposal;
        uint256 eta = p.eta;
        if (eta == 0) revert IndexVaultComposer__NoProposal();
        if (block.timestamp < eta) revert IndexVaultComposer__ProposalNotReady(eta);
        if (_s().params.rebalancing) revert IIndexVault.IndexVault__RebalanceInProgress();
        address added = p.token;
        if (added != address(0)) _checkNewConstituent(added, p.feed, p.heartbeat, p.path, p.fees);
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        uint256 n = list.length;
        address[] memory tokens = p.tokens;
        uint16[] memory proposed = p.targetsBps;
        targets = new uint16[](added == address(0) ? n : n + 1);
        uint256 sum;
        for (uint256 k; k < tokens.length; ++k) {
            uint256 i = tokens[k] == added ? n : _indexOfIn(list, tokens[k]);
            if (i == type(uint256).max) {
                // Dropped by a rebalance since: harmless at target 0, stale otherwise.
                if (proposed[k] != 0) revert IndexVaultComposer__ProposalStale(tokens[k]);
                continue;
            }
            targets[i] = proposed[k];
            sum += proposed[k];
        }
        // Every listed constituent was listed at proposal (only a proposal adds one), so the sum is whole again.
        TargetsLib.requireWhole(sum);
    }

    /// @dev Appends the proposed constituent: admission checks again, then feed and route through the configurator
    ///      (which validates both again and emits `ConstituentFeedSet` / `ConstituentRouteSet`).
    function _appendConstituent(RebalanceStorageLib.Proposal storage p) internal {
        address token = p.token;
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        uint8 tokenDecimals = AdmissionLib.checkToken(token, address(_USDT), list);
        uint256 index = list.length;
        VaultStorageLib.Constituent storage c = list.push();
        c.token = token;
        c.tokenDecimals = tokenDecimals;
        RebalanceStorageLib.setApplying(true);
        _delegateTo(
            _CONFIGURATOR, abi.encodeCall(IIndexVaultConfigurator.setConstituentFeed, (index, p.feed, p.heartbeat))
        );
        _delegateTo(_CONFIGURATOR, abi.encodeCall(IIndexVaultConfigurator.setConstituentRoute, (index, p.path, p.fees)));
        RebalanceStorageLib.setApplying(false);
    }

    /// @dev Stores a new proposal (none may be pending) with its targets, the tokens they are for (the listed
    ///      constituents, then `added` unless address(0)) and its eta.
    function _storeProposal(uint16[] calldata targetsBps, address added)
        internal
        returns (RebalanceStorageLib.Proposal storage p)
    {
        p = _r().proposal;
        if (p.eta != 0) revert IndexVaultComposer__ProposalPending(p.eta);
        uint256 eta = block.timestamp + _config().compositionDelay;
        // forge-lint: disable-next-line(unsafe-typecast) timestamp + bounded delay fits uint40 until the year 36812
        p.eta = uint40(eta);
        p.targetsBps = targetsBps;
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        for (uint256 i; i < list.length; ++i) {
            p.tokens.push(list[i].token);
        }
        if (added != address(0)) p.tokens.push(added);
    }

    /// @dev Reverts unless `targetsBps` has `n` entries (and, when adding, a positive last one) summing to 10,000.
    function _checkTargets(uint16[] calldata targetsBps, uint256 n, bool adding) internal pure {
        uint256 sum;
        for (uint256 i; i < targetsBps.length; ++i) {
            sum += targetsBps[i];
        }
        if (targetsBps.length != n || (adding && targetsBps[n - 1] == 0)) {
            revert IndexVaultComposer__InvalidTargets(targetsBps.length, sum);
        }
        TargetsLib.requireWhole(sum);
    }

    /// @dev Reverts unless a new constituent may join: admission rules (`AdmissionLib`), a feed answering validly, a
    ///      route resolving against the Uniswap V3 factory.
    function _checkNewConstituent(
        address token,
        address feed,
        uint32 heartbeat,
        address[] memory path,
        uint24[] memory fees
    ) internal view {
        AdmissionLib.checkToken(token, address(_USDT), _s().constituents);
        OracleLib.validateFeed(feed, heartbeat);
        RouteLib.resolve(IIndexVaultConfigurator(_CONFIGURATOR).uniswapFactory(), address(_USDT), token, path, fees);
    }

    /// @dev Reverts unless the caller is the admin or the manager.
    function _checkAdminOrManager() internal view {
        if (!_hasRole(ConstantsLib.ADMIN_ROLE, msg.sender)) _checkRole(ConstantsLib.MANAGER_ROLE);
    }

    /// @dev The current index of `token` in the list.
    function _indexOf(address token) internal view returns (bool listed, uint256 index) {
        index = _indexOfIn(_s().constituents, token);
        listed = index != type(uint256).max;
    }

    /// @dev The index of `token` in `list`, or type(uint256).max.
    function _indexOfIn(VaultStorageLib.Constituent[] storage list, address token) internal view returns (uint256) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i].token == token) return i;
        }
        return type(uint256).max;
    }
}
