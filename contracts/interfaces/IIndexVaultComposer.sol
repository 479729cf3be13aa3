// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ConstituentParams} from "./IIndexVault.sol";

/// @notice A pending composition change, as reported by `pendingProposal()`.
struct ProposalInfo {
    uint256 eta; // {s} earliest execution (0: no proposal)
    uint16[] targetsBps; // {bps} new targets (an added constituent's last)
    address token; // the added constituent (address(0): none)
    address feed;
    uint32 heartbeat; // {s}
    address[] path; // buy route, USDT first
    uint24[] fees; // {hundredths of a bip}
}

/// @title IIndexVaultComposer
/// @notice Composition changes of an index vault behind a delay: the manager proposes new target weights or a new
///         constituent; after `compositionDelay` (see `IIndexVaultRebalancer.rebalanceConfig`) anyone executes; the
///         admin may cancel. A constituent is removed by giving it target 0: rebalances sell it down and drop it once
///         worth less than `minTradeValue` (`IIndexVaultRebalancer.ConstituentRemoved`).
/// @dev Called at the VAULT's address (vault → rebalancer → composer, each by DELEGATECALL). One proposal at a time.
///      Role errors are `IIndexVaultRebalancer.IndexVaultRebalancer__Unauthorized`.
interface IIndexVaultComposer {
    /// @notice A composition proposal is already pending (the admin cancels it first).
    /// @param eta {s} Its earliest execution.
    error IndexVaultComposer__ProposalPending(uint256 eta);

    /// @notice No composition proposal is pending.
    error IndexVaultComposer__NoProposal();

    /// @notice The proposal's delay has not passed.
    /// @param eta {s} Its earliest execution.
    error IndexVaultComposer__ProposalNotReady(uint256 eta);

    /// @notice Targets of the wrong length, not summing to 10,000, or giving an added constituent 0.
    /// @param length Number of targets given.
    /// @param sumBps {bps} Their sum.
    error IndexVaultComposer__InvalidTargets(uint256 length, uint256 sumBps);

    /// @notice The manager proposed a composition change.
    /// @param eta {s} Earliest execution.
    /// @param targetsBps {bps} New targets (an added constituent's last).
    /// @param token The added constituent (address(0): targets only).
    event CompositionProposed(uint256 eta, uint16[] targetsBps, address indexed token);

    /// @notice A composition change was executed.
    /// @param caller Who executed it.
    /// @param targetsBps {bps} The new targets.
    /// @param token The added constituent (address(0): none).
    event CompositionExecuted(address indexed caller, uint16[] targetsBps, address indexed token);

    /// @notice The admin cancelled the pending composition change.
    /// @param caller The admin.
    /// @param eta {s} Its earliest execution.
    event CompositionCancelled(address indexed caller, uint256 eta);

    /// @notice The pending composition change (eta 0: none).
    function pendingProposal() external view returns (ProposalInfo memory);

    // ---------------------------------------------------------------------------------------------------------------
    // Composition (behind `compositionDelay`)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Manager: proposes new target weights for the current constituents (a 0 target removes a constituent:
    ///         rebalances sell it down and it is dropped once worth less than `minTradeValue`).
    /// @param targetsBps {bps} One per constituent, summing to 10,000.
    function proposeTargets(uint16[] calldata targetsBps) external;

    /// @notice Manager: proposes adding a constituent (token, feed and route validated now and again at execution)
    ///         with new targets for every constituent.
    /// @param params The new constituent (`targetWeightBps` must equal the last target).
    /// @param targetsBps {bps} One per current constituent, then the new one's (> 0); sum 10,000.
    function proposeAddConstituent(ConstituentParams calldata params, uint16[] calldata targetsBps) external;

    /// @notice Anyone, after the delay: applies the pending proposal. Not while a multi-step rebalance is in flight.
    function executeProposal() external;

    /// @notice Admin: cancels the pending proposal.
    function cancelProposal() external;
}
