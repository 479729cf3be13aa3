// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ConstituentParams} from "./IIndexVault.sol";
import {IIndexVaultModule} from "./IIndexVaultModule.sol";

/// @notice A pending composition change, as reported by `pendingProposal()`.
struct ProposalInfo {
    uint256 eta; // {s} earliest execution (0: no proposal)
    uint16[] targetsBps; // {bps} new targets (an added constituent's last)
    address token; // the added constituent (address(0): none)
    address feed;
    uint32 heartbeat; // {s}
    address[] path; // buy route, USDT first
    uint24[] fees; // {hundredths of a bip}
    address[] tokens; // the token each entry of `targetsBps` is for (the added one last)
}

/// @title IIndexVaultComposer
/// @notice Changes of an index vault that wait behind `compositionDelay` (see `IIndexVaultRebalancer.rebalanceConfig`):
///         - Composition: the manager proposes new target weights or a new constituent; after the delay anyone
///           executes; the admin cancels or the manager withdraws. Targets are kept by token, so a rebalance's drop
///           of a sold-down constituent never breaks a pending proposal; a proposal that can no longer apply (it
///           gives a dropped token a positive target) is refused with `IndexVaultComposer__ProposalStale` and never
///           advertised by `checkUpkeep`. A constituent is removed by giving it target 0: rebalances sell it down and
///           drop it once worth less than `minTradeValue` (`IIndexVaultRebalancer.ConstituentRemoved`).
///         - Value-moving configuration: `IIndexVault.setConstituentFeed`, `setConstituentRoute`, `setUsdtFeed`,
///           `setSequencerFeed`, and INCREASES through `setMaxSlippage`, `setMintFee`, `setBurnFee`,
///           `setManagementFee` are validated and queued (`ConfigChangeProposed`), not applied; after the delay the
///           manager or a keeper executes them with `executeConfigChange` (validated again); the admin cancels or
///           the manager withdraws with `cancelConfigChange`. Decreases of fees and of the slippage cap, the minimum
///           deposit and pauses stay instant. A constituent's feed or route change follows its token, not its index.
/// @dev Called at the VAULT's address (vault → rebalancer → composer, each by DELEGATECALL). One composition
///      proposal at a time; any number of configuration changes (each calldata at most once at a time).
///      Role errors are `IIndexVaultModule.IndexVaultModule__Unauthorized`.
interface IIndexVaultComposer is IIndexVaultModule {
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

    /// @notice The pending proposal can no longer apply: it gives `token`, dropped since by a rebalance, a positive
    ///         target. The manager withdraws it (or the admin cancels it) and proposes again.
    error IndexVaultComposer__ProposalStale(address token);

    /// @notice No configuration change with this id is pending.
    error IndexVaultComposer__UnknownConfigChange(bytes32 id);

    /// @notice The same configuration change is already pending.
    /// @param eta {s} Its earliest execution.
    error IndexVaultComposer__ConfigChangePending(bytes32 id, uint256 eta);

    /// @notice The configuration change's delay has not passed.
    /// @param eta {s} Its earliest execution.
    error IndexVaultComposer__ConfigChangeNotReady(bytes32 id, uint256 eta);

    /// @notice The constituent a feed or route change is for is no longer listed (dropped by a rebalance).
    error IndexVaultComposer__ConfigChangeStale(bytes32 id, address token);

    /// @notice A value-moving setter was called: the change is queued, not applied.
    /// @param id keccak256 of `data`: the handle of `executeConfigChange`, `cancelConfigChange`, `pendingConfigChange`.
    /// @param eta {s} Earliest execution.
    /// @param token The constituent a feed or route change is for (address(0): vault-wide).
    /// @param data The setter's calldata, to pass to `executeConfigChange`.
    event ConfigChangeProposed(bytes32 indexed id, uint256 eta, address indexed token, bytes data);

    /// @notice A queued configuration change was applied (the setter's own event follows).
    event ConfigChangeExecuted(bytes32 indexed id, address indexed caller);

    /// @notice A queued configuration change was cancelled (admin) or withdrawn (manager).
    event ConfigChangeCancelled(bytes32 indexed id, address indexed caller);

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

    /// @notice The admin cancelled, or the manager withdrew, the pending composition change.
    /// @param caller The admin or the manager.
    /// @param eta {s} Its earliest execution.
    event CompositionCancelled(address indexed caller, uint256 eta);

    /// @notice The pending composition change (eta 0: none).
    function pendingProposal() external view returns (ProposalInfo memory);

    /// @notice Reverts with the error `executeProposal` would raise now (no proposal, not ready, rebalancing, stale,
    ///         or the added token, feed or route no longer valid); returns its eta otherwise. `checkUpkeep` advertises
    ///         `ExecuteProposal` only when this does not revert.
    /// @return eta {s} The pending proposal's earliest execution.
    function checkProposal() external view returns (uint256 eta);

    /// @notice A queued configuration change (eta 0: none).
    /// @param id keccak256 of the setter's calldata (see `ConfigChangeProposed`).
    /// @return eta {s} Earliest execution.
    /// @return token The constituent it is for (address(0): vault-wide).
    function pendingConfigChange(bytes32 id) external view returns (uint256 eta, address token);

    // ---------------------------------------------------------------------------------------------------------------
    // Composition (behind `compositionDelay`)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Manager: proposes new target weights for the current constituents (a 0 target removes a constituent:
    ///         rebalances sell it down and it is dropped once worth less than `minTradeValue`).
    /// @param targetsBps {bps} One per constituent, summing to 10,000.
    function proposeTargets(uint16[] calldata targetsBps) external;

    /// @notice Manager: proposes adding a constituent with new targets for every constituent. The token passes the
    ///         admission rules of vault creation (`AdmissionLib`): checks now and again at execution, and a
    ///         fee-on-transfer probe now (`probeAmount` of the token round-trips manager → vault → manager; approve
    ///         the vault first). Feed and route are validated now and again at execution.
    /// @param params The new constituent (`targetWeightBps` must equal the last target).
    /// @param targetsBps {bps} One per current constituent, then the new one's (> 0); sum 10,000.
    /// @param probeAmount {tok units} At least `ConstantsLib.MIN_PROBE_AMOUNT`.
    function proposeAddConstituent(ConstituentParams calldata params, uint16[] calldata targetsBps, uint256 probeAmount)
        external;

    /// @notice Anyone, after the delay: applies the pending proposal to the constituents still listed, by token.
    ///         Not while a multi-step rebalance is in flight; see `checkProposal` for every refusal.
    function executeProposal() external;

    /// @notice Admin (cancel) or manager (withdraw): discards the pending proposal.
    function cancelProposal() external;

    // ---------------------------------------------------------------------------------------------------------------
    // Value-moving configuration (queued by the `IIndexVault` setters, behind `compositionDelay`)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Manager or keeper, after the delay: applies a queued configuration change, validating it again (a
    ///         feed must still answer validly, a route must still resolve, a fee must still be within its cap).
    ///         A constituent's change applies to its token at its current index. Not while a multi-step rebalance
    ///         is in flight.
    /// @param data The setter's calldata, as in `ConfigChangeProposed`.
    function executeConfigChange(bytes calldata data) external;

    /// @notice Admin (cancel) or manager (withdraw): discards a queued configuration change.
    /// @param id keccak256 of the setter's calldata.
    function cancelConfigChange(bytes32 id) external;
}
