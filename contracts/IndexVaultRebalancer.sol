// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IndexVaultComposer} from "./IndexVaultComposer.sol";
import {IndexVaultModule} from "./IndexVaultModule.sol";
import {IIndexVaultComposer} from "./interfaces/IIndexVaultComposer.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    DriftState,
    RebalanceReason,
    RebalanceStatus,
    RebalanceReceipt,
    TradeReceipt,
    UpkeepAction
} from "./interfaces/IIndexVaultRebalancer.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {DelegateCallLib} from "./libraries/DelegateCallLib.sol";
import {DriftLib} from "./libraries/DriftLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {RebalancePlanLib} from "./libraries/RebalancePlanLib.sol";
import {RebalanceStorageLib} from "./libraries/RebalanceStorageLib.sol";
import {SwapFloorLib} from "./libraries/SwapFloorLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";

/// @title IndexVaultRebalancer
/// @notice Rebalancing and composition logic of an index vault. Runs only inside an `IndexVault` (DELEGATECALL from
///         the vault's `fallback`), against the vault's storage, balances and roles. See `IIndexVaultRebalancer`.
/// @dev Holds no state. Shares the vault's internals through `IndexVaultBase` (snapshot, valuation, route swaps) and
///      the vault's reentrancy lock (OpenZeppelin's transient slot is the same in both). Roles are read from the
///      vault with `hasRole` (the AccessControl storage stays the vault's private layout).
///      Values inside a step are {USDT units} at the step's Chainlink prices (RebalancePlanLib and DriftLib are
///      unit-agnostic); rounding: values down, sells converted to token amounts down, buy floors up.
contract IndexVaultRebalancer is IndexVaultModule, IIndexVaultRebalancer, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------------------------------------------------------
    // Bounds (every manager-set parameter is validated against these)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See `ConstantsLib.MIN_THRESHOLD_BPS`.
    uint256 public constant MIN_THRESHOLD_BPS = ConstantsLib.MIN_THRESHOLD_BPS;

    /// @notice See `ConstantsLib.MAX_THRESHOLD_BPS`.
    uint256 public constant MAX_THRESHOLD_BPS = ConstantsLib.MAX_THRESHOLD_BPS;

    /// @notice See `ConstantsLib.MAX_LOSS_BPS`.
    uint256 public constant MAX_LOSS_BPS = ConstantsLib.MAX_LOSS_BPS;

    /// @notice See `ConstantsLib.MAX_COOLDOWN`.
    uint256 public constant MAX_COOLDOWN = ConstantsLib.MAX_COOLDOWN;

    /// @notice See `ConstantsLib.MIN_GRACE_PERIOD`.
    uint256 public constant MIN_GRACE_PERIOD = ConstantsLib.MIN_GRACE_PERIOD;

    /// @notice See `ConstantsLib.MAX_GRACE_PERIOD`.
    uint256 public constant MAX_GRACE_PERIOD = ConstantsLib.MAX_GRACE_PERIOD;

    /// @notice See `ConstantsLib.MIN_TIMEOUT`.
    uint256 public constant MIN_TIMEOUT = ConstantsLib.MIN_TIMEOUT;

    /// @notice See `ConstantsLib.MAX_TIMEOUT`.
    uint256 public constant MAX_TIMEOUT = ConstantsLib.MAX_TIMEOUT;

    /// @notice See `ConstantsLib.MIN_COMPOSITION_DELAY`.
    uint256 public constant MIN_COMPOSITION_DELAY = ConstantsLib.MIN_COMPOSITION_DELAY;

    /// @notice See `ConstantsLib.MAX_COMPOSITION_DELAY`.
    uint256 public constant MAX_COMPOSITION_DELAY = ConstantsLib.MAX_COMPOSITION_DELAY;

    /// @notice See `ConstantsLib.MAX_BOUNTY_USDT`.
    uint256 public constant MAX_BOUNTY_USDT = ConstantsLib.MAX_BOUNTY_USDT;

    /// @notice See `ConstantsLib.MAX_MIN_TRADE_USDT`.
    uint256 public constant MAX_MIN_TRADE_USDT = ConstantsLib.MAX_MIN_TRADE_USDT;

    /// @dev Composition logic, reached by DELEGATECALL from this module's `fallback` (see `IIndexVaultComposer`).
    address internal immutable _COMPOSER;

    /// @dev One rebalance step in memory (keeps the stack shallow).
    struct Step {
        Snapshot s;
        uint256[] values; // {USDT units} per constituent, rounded down
        uint256[] targets; // {bps}
        DriftLib.DriftReport before;
        RebalancePlanLib.Plan plan;
        uint256 reserve; // {USDT units} USDT kept out of the buys for the bounty
        uint256 keepBps; // {bps} BPS − maxSlippageBps
        uint256 minTrade; // {USDT units} `minTradeValue`: a removed constituent's remainder under it is sold whole
        uint256 dust; // {USDT units} one cent (`_SWAP_DUST`)
    }

    /// @param configurator The vaults' configurator (it fixes USDT). Deploys the composer module.
    constructor(address configurator) IndexVaultModule(configurator) {
        _COMPOSER = address(new IndexVaultComposer(configurator));
    }

    /// @notice Composition functions (`IIndexVaultComposer`) run in the composer module, still in the vault's context.
    fallback() external {
        DelegateCallLib.forward(_COMPOSER);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultRebalancer
    function driftReport() external view onlyDelegateCall returns (DriftState memory d) {
        (Snapshot memory s, uint256[] memory values, uint256[] memory targets) = _load();
        DriftLib.DriftReport memory rep = DriftLib.drift(values, targets, s.idle);
        uint256 n = values.length;
        d.nav = rep.nav;
        d.weightsBps = new uint256[](n);
        d.targetsBps = targets;
        if (rep.nav != 0) {
            for (uint256 i; i < n; ++i) {
                d.weightsBps[i] = values[i] * ConstantsLib.BPS / rep.nav;
            }
            d.idleWeightBps = s.idle * ConstantsLib.BPS / rep.nav;
        }
        d.maxDeviationBps = rep.maxDeviationBps;
        d.sumDeviationBps = rep.sumDeviationBps;
        d.maxIndex = rep.maxIndex;
    }

    /// @inheritdoc IIndexVaultRebalancer
    function rebalanceStatus() public view onlyDelegateCall returns (RebalanceStatus memory st) {
        RebalanceConfig memory cfg = _config();
        RebalanceStorageLib.State memory t = _r().state;
        (Snapshot memory s, uint256[] memory values, uint256[] memory targets) = _load();
        DriftLib.DriftReport memory rep = DriftLib.drift(values, targets, s.idle);
        st.maxDeviationBps = rep.maxDeviationBps;
        st.sumDeviationBps = rep.sumDeviationBps;
        st.thresholdBps = cfg.thresholdBps;
        st.rebalancing = _s().params.rebalancing;
        st.startedAt = t.startedAt;
        st.steps = t.steps;
        st.cooldownEndsAt = t.lastRebalanceAt == 0 ? 0 : t.lastRebalanceAt + cfg.cooldown;
        // As `_checkTrigger` sees it: a timed-out rebalance is cleared before the permissionless check.
        st.permissionlessAt =
            _permissionlessAt(t, cfg, st.rebalancing && block.timestamp < uint256(t.startedAt) + cfg.timeout);
        if (st.rebalancing) {
            if (block.timestamp >= t.startedAt + cfg.timeout) {
                st.reason = RebalanceReason.TimedOut;
                return st;
            }
            st.reason = RebalanceReason.Continue;
            st.due = t.lastRebalanceAt < block.timestamp;
        } else if (rep.maxDeviationBps < cfg.thresholdBps) {
            st.reason = RebalanceReason.UnderThreshold;
            return st;
        } else if (block.timestamp < st.cooldownEndsAt) {
            st.reason = RebalanceReason.Cooldown;
            return st;
        } else {
            st.reason = RebalanceReason.Due;
            st.due = true;
        }
        RebalancePlanLib.Plan memory p =
            RebalancePlanLib.plan(values, targets, s.idle, cfg.maxTradeValue, cfg.minTradeValue);
        if (p.totalSell == 0 && p.totalBuy == 0) {
            st.reason = RebalanceReason.BelowMinTrade;
            st.due = false;
        }
    }

    /// @inheritdoc IIndexVaultRebalancer
    function rebalanceDue() external view onlyDelegateCall returns (bool due, bytes memory callData) {
        due = rebalanceStatus().due;
        if (due) callData = abi.encodeCall(IIndexVaultRebalancer.rebalance, ());
    }

    /// @inheritdoc IIndexVaultRebalancer
    function rebalanceConfig() external view onlyDelegateCall returns (RebalanceConfig memory) {
        return _config();
    }

    /// @inheritdoc IIndexVaultRebalancer
    function checkUpkeep(bytes calldata)
        external
        view
        onlyDelegateCall
        returns (bool upkeepNeeded, bytes memory performData)
    {
        bool rebalancing = _s().params.rebalancing;
        if (rebalancing && block.timestamp >= _r().state.startedAt + _config().timeout) {
            return (true, abi.encode(UpkeepAction.ClearRebalancing));
        }
        // `rebalanceStatus` reverts on an invalid price: then there is nothing to rebalance.
        try IIndexVaultRebalancer(address(this)).rebalanceStatus() returns (RebalanceStatus memory st) {
            if (st.due) return (true, abi.encode(UpkeepAction.Rebalance));
        } catch {}
        // Advertised only when `executeProposal` would not revert: the composer's `checkProposal` runs the same checks.
        if (_r().proposal.eta != 0) {
            try IIndexVaultComposer(address(this)).checkProposal() {
                return (true, abi.encode(UpkeepAction.ExecuteProposal));
            } catch {}
        }
        return (false, "");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rebalancing
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIndexVaultRebalancer
    function rebalance() external onlyDelegateCall returns (bool complete) {
        return _rebalanceLocked();
    }

    /// @inheritdoc IIndexVaultRebalancer
    function performUpkeep(bytes calldata performData) external onlyDelegateCall {
        uint8 action = abi.decode(performData, (uint8));
        if (action == uint8(UpkeepAction.Rebalance)) {
            _rebalanceLocked();
        } else if (action == uint8(UpkeepAction.ClearRebalancing)) {
            _clearRebalancingLocked();
        } else if (action == uint8(UpkeepAction.ExecuteProposal)) {
            _delegateTo(_COMPOSER, abi.encodeCall(IIndexVaultComposer.executeProposal, ()));
        } else {
            revert IndexVaultRebalancer__InvalidUpkeep(action);
        }
    }

    /// @inheritdoc IIndexVaultRebalancer
    function pokeDrift() external onlyDelegateCall nonReentrant returns (bool flagged) {
        RebalanceConfig memory cfg = _config();
        (Snapshot memory s, uint256[] memory values, uint256[] memory targets) = _load();
        uint256 maxDeviationBps = DriftLib.drift(values, targets, s.idle).maxDeviationBps;
        RebalanceStorageLib.State storage t = _r().state;
        flagged = maxDeviationBps >= cfg.thresholdBps;
        // Arms the flag when none is set or the one set has expired (a new drift episode: the keeper's grace
        // period starts again); a valid flag is never moved. Drift under the threshold clears it (episode over).
        if (flagged && _permissionlessAt(t, cfg, _s().params.rebalancing) == 0) {
            t.driftFlaggedAt = uint40(block.timestamp);
            emit DriftFlagged(maxDeviationBps, cfg.thresholdBps);
        } else if (!flagged && t.driftFlaggedAt != 0) {
            t.driftFlaggedAt = 0;
            emit DriftFlagCleared();
        }
    }

    /// @inheritdoc IIndexVaultRebalancer
    function clearRebalancing() external onlyDelegateCall {
        _clearRebalancingLocked();
    }

    /// @inheritdoc IIndexVaultRebalancer
    function setRebalanceConfig(RebalanceConfig calldata c) external onlyDelegateCall nonReentrant {
        _checkRole(ConstantsLib.MANAGER_ROLE);
        uint256 maxBounty = MAX_BOUNTY_USDT * 10 ** _USDT_DECIMALS; // {USDT units}
        _checkBound("thresholdBps", c.thresholdBps, MIN_THRESHOLD_BPS, MAX_THRESHOLD_BPS);
        _checkBound("maxLossBps", c.maxLossBps, 1, MAX_LOSS_BPS);
        _checkBound("cooldown", c.cooldown, 0, MAX_COOLDOWN);
        _checkBound("gracePeriod", c.gracePeriod, MIN_GRACE_PERIOD, MAX_GRACE_PERIOD);
        _checkBound("timeout", c.timeout, MIN_TIMEOUT, MAX_TIMEOUT);
        _checkBound("compositionDelay", c.compositionDelay, MIN_COMPOSITION_DELAY, MAX_COMPOSITION_DELAY);
        uint256 maxMinTrade = MAX_MIN_TRADE_USDT * 10 ** _USDT_DECIMALS; // {USDT units}
        if (c.maxTradeValue != 0 && c.maxTradeValue < maxMinTrade) maxMinTrade = c.maxTradeValue;
        _checkBound("minTradeValue", c.minTradeValue, 1, maxMinTrade);
        _checkBound("bounty", c.bounty, 0, maxBounty);
        _r().config = c;
        _r().state.configured = true;
        emit RebalanceConfigSet(c);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: one rebalance step
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Trigger checks, plan, sells, buys, post-conditions, state, bounty, receipt; under the vault's lock.
    function _rebalanceLocked() internal nonReentrant returns (bool complete) {
        RebalanceConfig memory cfg = _config();
        bool keeper = _hasRole(ConstantsLib.KEEPER_ROLE, msg.sender);
        Step memory st;
        (st.s, st.values, st.targets) = _load();
        st.minTrade = cfg.minTradeValue;
        st.dust = _SWAP_DUST;
        st.before = DriftLib.drift(st.values, st.targets, st.s.idle);
        _checkTrigger(cfg, keeper, st.before.maxDeviationBps);
        if (!keeper) st.reserve = cfg.bounty;
        st.plan = RebalancePlanLib.plan(st.values, st.targets, st.s.idle, cfg.maxTradeValue, cfg.minTradeValue);
        if (st.plan.totalSell == 0 && st.plan.totalBuy == 0) revert IndexVaultRebalancer__NothingToTrade();
        st.keepBps = ConstantsLib.BPS - _s().params.maxSlippageBps;

        RebalanceReceipt memory r;
        r.sold = _sell(st);
        r.bought = _buy(st);
        r.complete = st.plan.complete;
        r.bounty = keeper ? 0 : cfg.bounty;
        _postConditions(st, cfg, r);
        _advance(r, keeper);
        _dropEmptyConstituents(st.s, cfg.minTradeValue);

        if (r.bounty != 0) _USDT.safeTransfer(msg.sender, r.bounty);
        emit Rebalanced(msg.sender, !keeper, r);
        return r.complete;
    }

    /// @dev Sells the plan's sells; returns their Chainlink value. {USDT units}
    function _sell(Step memory st) internal returns (uint256 sold) {
        Snapshot memory s = st.s;
        for (uint256 i; i < st.plan.sells.length; ++i) {
            uint256 amountIn = _sellAmount(st, i); // {tok units}
            if (amountIn == 0) continue;
            uint256 oracleValue = _value(i, amountIn, s, Math.Rounding.Floor); // {USDT units}
            uint256 minOut = SwapFloorLib.sellMinOut(oracleValue, amountIn, st.keepBps, _SWAP_DUST); // {USDT units}
            uint256 usdtBefore = _held(address(_USDT));
            _swapExactIn(s, i, false, amountIn, minOut);
            _receipt(i, false, amountIn, _held(address(_USDT)) - usdtBefore, s);
            sold += oracleValue;
        }
    }

    /// @dev {tok units} What the step sells of constituent `i`: the plan's sell value as tokens (rounded down, at most
    ///      the balance). A constituent being removed (target 0) sells its whole balance when what would remain is
    ///      under `minTradeValue`: this step then drops it (`_dropEmptyConstituents`) with nothing left outside NAV.
    ///      A remainder the plan skipped as dust is sold too, unless worth less than one cent (the swap tolerance).
    function _sellAmount(Step memory st, uint256 i) internal pure returns (uint256 amountIn) {
        Snapshot memory s = st.s;
        uint256 value = st.plan.sells[i]; // {USDT units}
        uint256 balance = s.balances[i]; // {tok units}
        if (value != 0) amountIn = Math.min(_amountWorth(i, value, s, Math.Rounding.Floor), balance);
        if (st.targets[i] != 0 || balance == 0) return amountIn;
        if (_value(i, balance - amountIn, s, Math.Rounding.Floor) >= st.minTrade) return amountIn;
        if (amountIn != 0 || _value(i, balance, s, Math.Rounding.Floor) >= st.dust) amountIn = balance;
    }

    /// @dev Buys the plan's buys, scaled down to the USDT actually available after the sells; returns USDT spent.
    function _buy(Step memory st) internal returns (uint256 spent) {
        Snapshot memory s = st.s;
        uint256 held = _held(address(_USDT)); // {USDT units}
        uint256 available = held > st.reserve ? held - st.reserve : 0; // {USDT units} the bounty stays idle
        uint256 total = st.plan.totalBuy; // {USDT units}
        for (uint256 i; i < st.plan.buys.length; ++i) {
            uint256 amountIn = st.plan.buys[i]; // {USDT units}
            if (amountIn == 0) continue;
            if (available < total) amountIn = amountIn * available / total;
            if (amountIn == 0) continue;
            // {tok units} the floor rule of every swap (SwapFloorLib): maxSlippage, one cent, one token unit
            uint256 minOut = SwapFloorLib.buyMinOut(amountIn, st.keepBps, _SWAP_DUST, s.valueNum[i], s.valueDen[i]);
            address token = ConstituentTableLib.tokenOf(s.table, i);
            uint256 tokenBefore = _held(token);
            _swapExactIn(s, i, true, amountIn, minOut);
            _receipt(i, true, amountIn, _held(token) - tokenBefore, s);
            spent += amountIn;
        }
    }

    /// @dev At the step's prices: loss to trading ≤ maxLossBps of NAV before, then Σ|deviation| strictly lower
    ///      (after the bounty, which leaves with idle USDT). Fills the receipt's drift and NAV fields.
    function _postConditions(Step memory st, RebalanceConfig memory cfg, RebalanceReceipt memory r) internal view {
        Snapshot memory after_ = Snapshot(
            st.s.usdtPrice,
            _held(address(_USDT)),
            st.s.prices,
            st.s.balances,
            st.s.table,
            st.s.valueNum,
            st.s.valueDen,
            st.s.roundIds
        );
        uint256 n = after_.prices.length;
        after_.balances = new uint256[](n);
        bool anyDeferred = _s().params.deferredTokenCount != 0; // read once, as `_snapshot` does
        for (uint256 i; i < n; ++i) {
            // Tokens from the step's constituent table (the list is unchanged until `_dropEmptyConstituents`, after
            // this): no cold storage read per constituent.
            after_.balances[i] = _heldFor(ConstituentTableLib.tokenOf(after_.table, i), anyDeferred);
        }
        if (r.bounty > after_.idle) r.bounty = after_.idle;
        uint256 navBefore = st.before.nav; // {USDT units}
        uint256 navAfterGross = _nav(after_, Math.Rounding.Floor); // {USDT units} before the bounty
        r.cost = navBefore > navAfterGross ? navBefore - navAfterGross : 0;
        uint256 maxLoss = navBefore * cfg.maxLossBps / ConstantsLib.BPS;
        if (r.cost > maxLoss) revert IndexVaultRebalancer__LossTooHigh(r.cost, maxLoss);

        after_.idle -= r.bounty;
        DriftLib.DriftReport memory driftAfter =
            DriftLib.drift(_constituentValues(after_, Math.Rounding.Floor), st.targets, after_.idle);
        if (driftAfter.sumDeviationD18 >= st.before.sumDeviationD18) {
            revert IndexVaultRebalancer__DriftNotReduced(st.before.sumDeviationD18, driftAfter.sumDeviationD18);
        }
        r.maxDriftBeforeBps = st.before.maxDeviationBps;
        r.sumDriftBeforeBps = st.before.sumDeviationBps;
        r.maxDriftAfterBps = driftAfter.maxDeviationBps;
        r.sumDriftAfterBps = driftAfter.sumDeviationBps;
        r.navBefore = navBefore;
        r.navAfter = driftAfter.nav;
    }

    /// @dev Moves the state machine: a complete step ends the rebalance (and clears the drift flag); an incomplete
    ///      one enters or continues the `rebalancing` state.
    function _advance(RebalanceReceipt memory r, bool keeper) internal {
        RebalanceStorageLib.State storage t = _r().state;
        bool rebalancing = _s().params.rebalancing;
        t.lastRebalanceAt = uint40(block.timestamp);
        if (keeper) t.lastKeeperRebalanceAt = uint40(block.timestamp);
        r.step = uint256(t.steps) + 1;
        if (r.complete) {
            if (rebalancing) _setRebalancing(false);
            t.startedAt = 0;
            t.steps = 0;
            if (t.driftFlaggedAt != 0) {
                t.driftFlaggedAt = 0;
                emit DriftFlagCleared();
            }
        } else {
            if (!rebalancing) {
                _setRebalancing(true);
                t.startedAt = uint40(block.timestamp);
            }
            t.steps = SafeCast.toUint32(r.step);
        }
    }

    /// @dev Reverts unless this caller may run a step now (see `rebalance`). Clears a timed-out rebalance first.
    function _checkTrigger(RebalanceConfig memory cfg, bool keeper, uint256 maxDeviationBps) internal {
        RebalanceStorageLib.State storage t = _r().state;
        bool inFlight = _s().params.rebalancing;
        if (inFlight && block.timestamp >= uint256(t.startedAt) + cfg.timeout) {
            _clear();
            inFlight = false;
        }
        if (inFlight) {
            if (t.lastRebalanceAt == block.timestamp) revert IndexVaultRebalancer__OneStepPerBlock();
        } else {
            if (maxDeviationBps < cfg.thresholdBps) {
                revert IndexVaultRebalancer__NotDue(maxDeviationBps, cfg.thresholdBps);
            }
            uint256 last = t.lastRebalanceAt;
            if (last != 0 && block.timestamp < last + cfg.cooldown) {
                revert IndexVaultRebalancer__Cooldown(last + cfg.cooldown);
            }
        }
        if (!keeper) {
            uint256 at = _permissionlessAt(t, cfg, inFlight);
            if (at == 0 || block.timestamp < at) revert IndexVaultRebalancer__GracePeriodNotOver(at);
        }
    }

    /// @dev Emits a trade receipt: oracle round and price, executed price and cost against the oracle.
    function _receipt(uint256 i, bool buy, uint256 amountIn, uint256 amountOut, Snapshot memory s) internal {
        TradeReceipt memory t;
        t.buy = buy;
        t.amountIn = amountIn;
        t.amountOut = amountOut;
        // Price, round and decimals from the step's snapshot: the receipt describes what the step used.
        t.roundId = s.roundIds[i];
        t.oraclePrice = s.prices[i];
        (uint256 tokenAmount, uint256 usdtAmount) = buy ? (amountOut, amountIn) : (amountIn, amountOut);
        // D18{USD/tok} = {USDT units} × D18{USD/USDT} × 10^tokDec / ({tok units} × 10^usdtDec)
        if (tokenAmount != 0) {
            t.executedPrice =
                Math.mulDiv(usdtAmount * s.usdtPrice, 10 ** _tokenDecimals(s, i), tokenAmount * 10 ** _USDT_DECIMALS);
        }
        // {bps} what the vault gave up against the oracle, relative to what it gave.
        uint256 oracleValue = _value(i, tokenAmount, s, Math.Rounding.Floor); // {USDT units}
        (uint256 given, uint256 got) = buy ? (usdtAmount, oracleValue) : (oracleValue, usdtAmount);
        if (given != 0) {
            t.costBps = (SafeCast.toInt256(given) - SafeCast.toInt256(got)) * int256(ConstantsLib.BPS)
                / SafeCast.toInt256(given);
        }
        emit RebalanceTrade(i, ConstituentTableLib.tokenOf(s.table, i), t);
    }

    /// @dev Removes constituents with target 0 whose holding is worth less than `minTradeValue` (sold down).
    ///      Walks backwards so a swap-and-pop only moves an index already visited.
    ///      Republishes the constituent table when any was removed.
    function _dropEmptyConstituents(Snapshot memory s, uint256 minTradeValue) internal {
        VaultStorageLib.Constituent[] storage list = _s().constituents;
        bool dropped;
        // Tokens and targets from the step's table: it equals storage below index i throughout (a drop only moves the
        // last entry, already kept, into i), so storage is touched only to remove.
        for (uint256 i = ConstituentTableLib.count(s.table); i > 0;) {
            --i;
            (address token, uint256 targetWeightBps,,,,) = ConstituentTableLib.head(s.table, i);
            if (targetWeightBps != 0) continue;
            uint256 held = _held(token);
            if (_value(i, held, s, Math.Rounding.Floor) >= minTradeValue) continue;
            uint256 last = list.length - 1;
            if (i != last) list[i] = list[last];
            list.pop();
            dropped = true;
            emit ConstituentRemoved(i, token, held);
        }
        if (dropped) ConstituentTableLib.publish();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: state machine, composition
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Ends a timed-out multi-step rebalance; under the vault's lock.
    function _clearRebalancingLocked() internal nonReentrant {
        if (!_s().params.rebalancing) revert IndexVaultRebalancer__NotRebalancing();
        uint256 timeoutAt = uint256(_r().state.startedAt) + _config().timeout;
        if (block.timestamp < timeoutAt) revert IndexVaultRebalancer__NotTimedOut(timeoutAt);
        _clear();
    }

    /// @dev Ends the rebalancing state (USDT deposit and redeem resume).
    function _clear() internal {
        RebalanceStorageLib.State storage t = _r().state;
        emit RebalancingCleared(msg.sender, t.startedAt, t.steps);
        t.startedAt = 0;
        t.steps = 0;
        _setRebalancing(false);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal: helpers
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Snapshot, constituent values {USDT units} (rounded down) and targets {bps}.
    function _load() internal view returns (Snapshot memory s, uint256[] memory values, uint256[] memory targets) {
        s = _snapshot();
        values = _constituentValues(s, Math.Rounding.Floor);
        targets = _targets(s);
    }

    /// @dev Constituent `i`'s token decimals, from the snapshot's constituent table.
    function _tokenDecimals(Snapshot memory s, uint256 i) internal pure returns (uint8 tokenDecimals) {
        (,, tokenDecimals,,,) = ConstituentTableLib.head(s.table, i);
    }

    /// @dev `_snapshot`'s price read, also recording the round of each price (`s.roundIds`, allocated at the first
    ///      constituent): the step's trade receipts report the round its prices came from, without reading feeds again.
    function _readPriceAt(Snapshot memory s, uint256 i, uint256 heartbeat, uint8 feedDecimals) internal view override {
        if (i == 0) s.roundIds = new uint80[](s.prices.length);
        (s.prices[i], s.roundIds[i]) =
            OracleLib.readRound(ConstituentTableLib.feedOf(s.table, i), heartbeat, feedDecimals);
    }

    /// @dev {s} Earliest permissionless step (0: drift not flagged, or the flag expired).
    ///      The keeper's grace period runs from the latest of: the drift flag, the last keeper step and — outside a
    ///      multi-step rebalance — the end of the cooldown (the keeper cannot act before it, so a cooldown longer than
    ///      the grace period never eats the keeper's window). Outside a multi-step rebalance a flag expires one more
    ///      grace period after that: drift may have gone back under the threshold unobserved since, so a stale flag
    ///      must not open a later drift episode to anyone; `pokeDrift` then arms a fresh one (a full grace period for
    ///      the keeper). During a multi-step rebalance the flag does not expire (the episode is the rebalance).
    function _permissionlessAt(RebalanceStorageLib.State memory t, RebalanceConfig memory cfg, bool rebalancing)
        internal
        view
        returns (uint256 at)
    {
        if (t.driftFlaggedAt == 0) return 0;
        uint256 start = Math.max(t.driftFlaggedAt, t.lastKeeperRebalanceAt); // {s}
        if (!rebalancing && t.lastRebalanceAt != 0) start = Math.max(start, t.lastRebalanceAt + cfg.cooldown);
        at = start + cfg.gracePeriod;
        if (!rebalancing && block.timestamp >= at + cfg.gracePeriod) return 0;
    }

    function _checkBound(string memory name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert IndexVaultRebalancer__InvalidConfig(name, value);
    }
}
