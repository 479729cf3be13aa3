// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVaultModule} from "./IIndexVaultModule.sol";
import {
    AutomationCompatibleInterface
} from "@chainlink/contracts/src/v0.8/automation/interfaces/AutomationCompatibleInterface.sol";

/// @notice Rebalancing parameters, set by the manager within the bounds of `IndexVaultRebalancer`.
struct RebalanceConfig {
    uint16 thresholdBps; // {bps} a rebalance is due when the largest |weight − target| reaches this
    uint16 maxLossBps; // {bps of NAV} most value one rebalance step may lose to trading
    uint32 cooldown; // {s} from the end of one rebalance to the start of the next
    uint32 gracePeriod; // {s} drift flagged this long with no keeper rebalance: anyone may rebalance
    uint32 timeout; // {s} longest a multi-step rebalance holds USDT deposit/redeem paused
    uint32 compositionDelay; // {s} from a composition proposal to its earliest execution
    uint64 maxTradeValue; // {USDT units} largest sell or buy of one constituent in one step; 0 = no cap
    uint64 minTradeValue; // {USDT units} smaller trades are skipped (dust), > 0
    uint64 bounty; // {USDT units} paid to a permissionless caller per rebalance step, ≤ MAX_BOUNTY
}

/// @notice The basket's drift from its targets, at Chainlink prices.
struct DriftState {
    uint256 nav; // {USDT units} Σ constituent values (rounded down) + idle USDT
    uint256[] weightsBps; // {bps} current weight of each constituent, rounded down
    uint256[] targetsBps; // {bps} target weight of each constituent
    uint256 idleWeightBps; // {bps} weight of idle USDT (its target is 0), rounded down
    uint256 maxDeviationBps; // {bps} largest |weight − target| over constituents and idle USDT, rounded up
    uint256 sumDeviationBps; // {bps} Σ |weight − target| over constituents and idle USDT, rounded up
    uint256 maxIndex; // constituent with the largest deviation; type(uint256).max − 1: idle; max: none
}

/// @notice Why a rebalance is or is not due (see `rebalanceStatus`).
enum RebalanceReason {
    UnderThreshold, // drift below the threshold: nothing to do
    Cooldown, // over the threshold but the cooldown since the last rebalance has not ended
    Due, // over the threshold and out of cooldown: a keeper may start a rebalance
    Continue, // a multi-step rebalance is in flight: the next step may run
    TimedOut, // a multi-step rebalance outlived its timeout: anyone may `clearRebalancing`
    BelowMinTrade // due or continuing, but every planned trade is below `minTradeValue`: nothing to do
}

/// @notice Everything a keeper needs to decide whether to rebalance.
struct RebalanceStatus {
    bool due; // a keeper's `rebalance()` would pass its trigger checks now (reason Due or Continue)
    RebalanceReason reason;
    uint256 maxDeviationBps; // {bps} see `DriftState`
    uint256 sumDeviationBps; // {bps} see `DriftState`
    uint256 thresholdBps; // {bps}
    bool rebalancing; // a multi-step rebalance is in flight
    uint256 startedAt; // {s} its start (0: none)
    uint256 steps; // its steps so far
    uint256 cooldownEndsAt; // {s} earliest start of the next rebalance
    uint256 permissionlessAt; // {s} earliest permissionless rebalance (0: drift not flagged, or the flag expired)
}

/// @notice The outcome of one rebalance step (in the `Rebalanced` event).
struct RebalanceReceipt {
    uint256 maxDriftBeforeBps; // {bps}
    uint256 sumDriftBeforeBps; // {bps}
    uint256 maxDriftAfterBps; // {bps}
    uint256 sumDriftAfterBps; // {bps}
    uint256 navBefore; // {USDT units} at the step's Chainlink prices, rounded down
    uint256 navAfter; // {USDT units} same prices, after the trades and the bounty
    uint256 sold; // {USDT units} Chainlink value of the constituents sold
    uint256 bought; // {USDT units} USDT spent on constituents
    uint256 cost; // {USDT units} navBefore − navAfter − bounty (value lost to trading), 0 if none
    uint256 bounty; // {USDT units} paid to the caller
    uint256 step; // 1 for the first step of a rebalance
    bool complete; // the plan has nothing left to trade: the rebalance is over
}

/// @notice One trade of a rebalance step (in the `RebalanceTrade` event).
struct TradeReceipt {
    bool buy; // true: USDT → token; false: token → USDT
    uint256 amountIn; // {tokIn units} sold
    uint256 amountOut; // {tokOut units} received (balance change)
    uint80 roundId; // Chainlink round of the constituent's price used
    uint256 oraclePrice; // D18{USD/tok} that price
    uint256 executedPrice; // D18{USD/tok} achieved (USDT valued at its Chainlink price)
    int256 costBps; // {bps} value given up against the oracle (negative: better than the oracle)
}

/// @notice What `checkUpkeep` asks `performUpkeep` to do (its `performData` is `abi.encode(UpkeepAction)`).
enum UpkeepAction {
    None,
    Rebalance,
    ClearRebalancing,
    ExecuteProposal
}

/// @title IIndexVaultRebalancer
/// @notice Rebalancing of an index vault: drift views, a threshold trigger (keeper view and Chainlink Automation),
///         minimal-turnover trades planned on-chain from Chainlink prices, multi-step rebalances under a per-trade
///         cap, a permissionless fallback with a bounded bounty, and composition changes behind a delay.
/// @dev Every function is called at the VAULT's address: `IndexVault` forwards selectors it does not know to the
///      `IndexVaultRebalancer` module by DELEGATECALL;
///      the rebalancer forwards composition selectors (`IIndexVaultComposer`) to the composer module the same way.
///      Errors and events therefore appear as the vault's. Roles are the vault's (`KEEPER_ROLE`, `MANAGER_ROLE`,
///      `DEFAULT_ADMIN_ROLE`); one reentrancy lock covers the vault and this module.
///
///      Trigger: a rebalance STARTS when the largest deviation is ≥ `thresholdBps` and `cooldown` has passed since
///      the last step. With no per-trade cap it completes in one step. When the plan cannot finish in one step
///      (`maxTradeValue`), the vault enters the `rebalancing` state (USDT deposit and redeem revert; `redeemInKind`
///      always works) and further steps run without the threshold check, at most one per block, until the plan
///      completes or `timeout` passes (then anyone may `clearRebalancing`).
///
///      Callers: `KEEPER_ROLE` (our keeper, or a Chainlink Automation forwarder granted the role). Anyone else only
///      after `pokeDrift` has flagged drift over the threshold AND `gracePeriod` has passed since the latest of the
///      flag, the last keeper step and (outside a multi-step rebalance) the end of the cooldown; such a caller
///      receives `bounty` USDT (≤ `MAX_BOUNTY` whole USDT). Outside a multi-step rebalance the flag expires one more
///      `gracePeriod` later (drift may have gone back under the threshold unobserved): `pokeDrift` then flags the
///      current episode afresh, and the keeper again has a full grace period. Drift seen under the threshold by
///      `pokeDrift` (anyone, the keeper included) clears the flag at once.
///
///      One step: snapshot Chainlink prices → DriftLib drift → RebalancePlanLib plan (minimal turnover, capped, dust
///      skipped) → sells (each ≥ Chainlink value − maxSlippageBps) → buys scaled to the USDT actually available
///      (each ≥ Chainlink value − maxSlippageBps) → post-conditions at the same prices: Σ|deviation| strictly lower,
///      NAV lost to trading ≤ `maxLossBps` of NAV before. Otherwise the whole step reverts.
interface IIndexVaultRebalancer is AutomationCompatibleInterface, IIndexVaultModule {
    // ---------------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Drift is below the threshold: no rebalance is due.
    /// @param maxDeviationBps {bps} Largest deviation now.
    /// @param thresholdBps {bps} The threshold.
    error IndexVaultRebalancer__NotDue(uint256 maxDeviationBps, uint256 thresholdBps);

    /// @notice The cooldown since the last rebalance has not ended.
    /// @param readyAt {s} When it ends.
    error IndexVaultRebalancer__Cooldown(uint256 readyAt);

    /// @notice A permissionless caller came before the grace period ended (or drift was never flagged: 0).
    /// @param permissionlessAt {s} When anyone may rebalance (0: drift not flagged or the flag expired: call `pokeDrift`).
    error IndexVaultRebalancer__GracePeriodNotOver(uint256 permissionlessAt);

    /// @notice A multi-step rebalance already stepped in this block.
    error IndexVaultRebalancer__OneStepPerBlock();

    /// @notice The plan has no trade at or above `minTradeValue`.
    error IndexVaultRebalancer__NothingToTrade();

    /// @notice The step did not lower Σ|deviation|.
    /// @param sumBeforeD18 D18{1} Σ|deviation| before.
    /// @param sumAfterD18 D18{1} Σ|deviation| after.
    error IndexVaultRebalancer__DriftNotReduced(uint256 sumBeforeD18, uint256 sumAfterD18);

    /// @notice The step lost more value to trading than `maxLossBps` of NAV.
    /// @param loss {USDT units} NAV lost.
    /// @param maxLoss {USDT units} The bound.
    error IndexVaultRebalancer__LossTooHigh(uint256 loss, uint256 maxLoss);

    /// @notice No multi-step rebalance is in flight.
    error IndexVaultRebalancer__NotRebalancing();

    /// @notice The multi-step rebalance has not reached its timeout yet.
    /// @param timeoutAt {s} When it does.
    error IndexVaultRebalancer__NotTimedOut(uint256 timeoutAt);

    /// @notice A configuration value outside its bounds.
    /// @param name The field of `RebalanceConfig`.
    /// @param value The rejected value.
    error IndexVaultRebalancer__InvalidConfig(string name, uint256 value);

    /// @notice `performUpkeep` with an action it does not know.
    /// @param action The decoded action.
    error IndexVaultRebalancer__InvalidUpkeep(uint8 action);

    // ---------------------------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The manager set the rebalancing parameters.
    event RebalanceConfigSet(RebalanceConfig config);

    /// @notice Drift was seen over the threshold: the grace period towards a permissionless rebalance starts.
    /// @param maxDeviationBps {bps}
    /// @param thresholdBps {bps}
    event DriftFlagged(uint256 maxDeviationBps, uint256 thresholdBps);

    /// @notice Drift was seen back under the threshold (or a rebalance completed): the flag is cleared.
    event DriftFlagCleared();

    /// @notice One trade of a rebalance step.
    /// @param index Constituent index.
    /// @param token The constituent.
    /// @param receipt Amounts, Chainlink round and price, executed price, cost in bps.
    event RebalanceTrade(uint256 indexed index, address indexed token, TradeReceipt receipt);

    /// @notice A rebalance step ran.
    /// @param caller Who called.
    /// @param permissionless True when the caller had no keeper role (and was paid the bounty).
    /// @param receipt Drift before/after, NAV before/after, turnover, cost, bounty.
    event Rebalanced(address indexed caller, bool indexed permissionless, RebalanceReceipt receipt);

    /// @notice A timed-out multi-step rebalance was cleared: USDT deposit and redeem resume.
    /// @param caller Who cleared it.
    /// @param startedAt {s} When it had started.
    /// @param steps Steps it ran.
    event RebalancingCleared(address indexed caller, uint256 startedAt, uint256 steps);

    /// @notice A constituent with target 0 was sold down and removed from the basket. The last constituent takes
    ///         its index.
    /// @param index Its index before removal.
    /// @param token The removed constituent.
    /// @param dust {tok units} Left in the vault (worth less than `minTradeValue`), no longer part of NAV.
    event ConstituentRemoved(uint256 indexed index, address indexed token, uint256 dust);

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Current weights and drift at Chainlink prices. Reverts on an invalid price.
    function driftReport() external view returns (DriftState memory);

    /// @notice Whether a rebalance is due, and why (see `RebalanceReason`). Reverts on an invalid price.
    function rebalanceStatus() external view returns (RebalanceStatus memory);

    /// @notice Keeper trigger in the `tendTrigger` shape.
    /// @return due True when a keeper's `rebalance()` would pass its trigger checks now.
    /// @return callData `abi.encodeCall(rebalance, ())` when due, else empty. Reverts on an invalid price.
    function rebalanceDue() external view returns (bool due, bytes memory callData);

    /// @notice The rebalancing parameters in force (defaults until the manager sets them).
    function rebalanceConfig() external view returns (RebalanceConfig memory);

    /// @notice Chainlink Automation check. Never reverts: an invalid price means no upkeep.
    /// @return upkeepNeeded True when `performUpkeep(performData)` has work to do now.
    /// @return performData `abi.encode(UpkeepAction)`: ClearRebalancing (timed out), Rebalance, ExecuteProposal (only
    ///         when `IIndexVaultComposer.checkProposal` does not revert, i.e. when executing would not revert).
    function checkUpkeep(bytes calldata checkData)
        external
        view
        override
        returns (bool upkeepNeeded, bytes memory performData);

    // ---------------------------------------------------------------------------------------------------------------
    // Rebalancing
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Runs one rebalance step planned on-chain from Chainlink prices (see the contract-level notes).
    /// @dev Keeper: when due (threshold + cooldown) or continuing a multi-step rebalance. Anyone: additionally after
    ///      the grace period (see `pokeDrift`), paid `bounty`. Reverts with the reason otherwise.
    /// @return complete True when the rebalance is over (the `rebalancing` state is then cleared).
    function rebalance() external returns (bool complete);

    /// @notice Chainlink Automation entry: decodes an `UpkeepAction` and runs it with every check of the matching
    ///         function (`rebalance`, `clearRebalancing`, `executeProposal`); nothing else in the payload is used.
    function performUpkeep(bytes calldata performData) external override;

    /// @notice Anyone: records when drift was first seen over the threshold (starting the grace period towards a
    ///         permissionless rebalance), or clears that record when drift is back under it. A flag that has expired
    ///         (see the contract notes) is replaced by one at the current time; a valid flag is never moved.
    /// @return flagged Whether drift is flagged after the call.
    function pokeDrift() external returns (bool flagged);

    /// @notice Anyone: ends a multi-step rebalance that outlived `timeout`, resuming USDT deposit and redeem.
    function clearRebalancing() external;

    /// @notice Manager: sets every rebalancing parameter at once, each within its bound.
    function setRebalanceConfig(RebalanceConfig calldata config) external;
}
