// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

import {IndexVaultRebalancer} from "../../contracts/IndexVaultRebalancer.sol";
import {IIndexVault, ConstituentState} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt,
    RebalanceReason,
    RebalanceStatus,
    DriftState,
    TradeReceipt
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {IIndexVaultModule} from "../../contracts/interfaces/IIndexVaultModule.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Drift views, trigger (threshold, cooldown, keeper role), a single-step rebalance on real Uniswap V3 pools,
///         its post-conditions, receipts and configuration bounds.
contract RebalanceTest is RebalanceBase {
    function setUp() public override {
        super.setUp();
        _setUpVault(5);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Drift views
    // ---------------------------------------------------------------------------------------------------------------

    function test_driftReport_nearTargetAfterDeposit() public view {
        DriftState memory d = rb.driftReport();
        uint256 sum = d.idleWeightBps;
        for (uint256 i; i < d.weightsBps.length; ++i) {
            sum += d.weightsBps[i];
            assertEq(d.targetsBps[i], 2000, "equal targets");
        }
        assertApproxEqAbs(sum, 10_000, 5, "weights sum to NAV");
        assertLt(d.maxDeviationBps, 20, "a deposit lands on target");
        assertEq(d.nav, vault.totalAssets(), "NAV as the vault reports it");
    }

    function test_driftReport_matchesBasketAfterPriceMove() public {
        _drift();
        DriftState memory d = rb.driftReport();
        (ConstituentState[] memory states,, uint256 nav) = vault.basket();
        assertEq(d.nav, nav, "same NAV");
        uint256 maxDev;
        uint256 sumDev;
        for (uint256 i; i < states.length; ++i) {
            assertEq(d.weightsBps[i], states[i].currentWeightBps, "same weight");
            uint256 w = states[i].value * 1e18 / nav; // D18{1}
            uint256 t = uint256(d.targetsBps[i]) * 1e14;
            uint256 dev = w > t ? w - t : t - w;
            sumDev += dev;
            if (dev > maxDev) maxDev = dev;
        }
        assertEq(d.maxIndex, 0, "WETH moved most");
        assertApproxEqAbs(d.maxDeviationBps, maxDev / 1e14, 1, "max deviation");
        assertApproxEqAbs(d.sumDeviationBps, sumDev / 1e14, 2, "sum of deviations");
        assertGt(d.maxDeviationBps, THRESHOLD_BPS, "over the threshold");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Trigger
    // ---------------------------------------------------------------------------------------------------------------

    function test_rebalanceStatus_underThreshold() public {
        _scalePrice(0, 101, 100);
        RebalanceStatus memory st = rb.rebalanceStatus();
        assertEq(uint8(st.reason), uint8(RebalanceReason.UnderThreshold));
        assertFalse(st.due);
        (bool due, bytes memory data) = rb.rebalanceDue();
        assertFalse(due);
        assertEq(data.length, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultRebalancer.IndexVaultRebalancer__NotDue.selector, st.maxDeviationBps, THRESHOLD_BPS
            )
        );
        vm.prank(keeper);
        rb.rebalance();
    }

    function test_rebalanceDue_returnsCalldataThatRebalances() public {
        _drift();
        (bool due, bytes memory data) = rb.rebalanceDue();
        assertTrue(due);
        assertEq(data, abi.encodeCall(IIndexVaultRebalancer.rebalance, ()));
        vm.prank(keeper);
        (bool ok,) = address(vault).call(data);
        assertTrue(ok);
        assertLt(_maxDeviationBps(), THRESHOLD_BPS, "drift back under the threshold");
        assertFalse(vault.config().rebalancing, "single step: no pause");
        (due,) = rb.rebalanceDue();
        assertFalse(due);
    }

    function test_rebalance_cooldown() public {
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        uint256 readyAt = block.timestamp + COOLDOWN;
        _scalePrice(2, 115, 100);
        RebalanceStatus memory st = rb.rebalanceStatus();
        assertEq(uint8(st.reason), uint8(RebalanceReason.Cooldown));
        assertEq(st.cooldownEndsAt, readyAt);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__Cooldown.selector, readyAt));
        vm.prank(keeper);
        rb.rebalance();

        _warp(COOLDOWN);
        vm.prank(keeper);
        assertTrue(rb.rebalance());
        assertLt(_maxDeviationBps(), THRESHOLD_BPS);
    }

    function test_rebalance_strangerBeforeGraceReverts() public {
        _drift();
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector, 0)
        );
        vm.prank(stranger);
        rb.rebalance();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One step: minimal trades, post-conditions, receipts
    // ---------------------------------------------------------------------------------------------------------------

    function test_rebalance_turnoverNearTheoreticalMinimum() public {
        _drift();
        DriftState memory before = rb.driftReport();
        // ½ Σ|deviation| of NAV: the least value that must change hands. {USDT units}
        uint256 minimum = before.sumDeviationBps * before.nav / 2 / 10_000;
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertApproxEqRel(r.sold, minimum, 0.02e18, "sold within 2 % of the minimum");
        assertApproxEqRel(r.bought, minimum, 0.02e18, "bought within 2 % of the minimum");
        assertTrue(r.complete);
        assertEq(r.step, 1);
        assertEq(r.maxDriftBeforeBps, before.maxDeviationBps);
        assertLt(r.sumDriftAfterBps, r.sumDriftBeforeBps, "drift lower");
        assertLe(r.cost, r.navBefore * 50 / 10_000, "cost within the bound");
        assertEq(r.bounty, 0, "keepers are not paid");
        assertEq(r.navAfter, vault.totalAssets(), "NAV after as the vault reports it");
    }

    function test_rebalance_onlySellsOverweightAndBuysUnderweight() public {
        _drift();
        DriftState memory before = rb.driftReport();
        vm.recordLogs();
        vm.prank(keeper);
        rb.rebalance();
        (uint256[] memory idx, TradeReceipt[] memory t) = _trades(vm.getRecordedLogs());
        assertGt(idx.length, 0);
        for (uint256 k; k < idx.length; ++k) {
            bool over = before.weightsBps[idx[k]] > before.targetsBps[idx[k]];
            assertEq(t[k].buy, !over, "direction follows the deviation");
            if (k > 0 && t[k].buy == false) assertFalse(t[k - 1].buy, "sells before buys");
        }
    }

    function test_rebalance_tradeReceiptsCarryOracleRoundAndCost() public {
        _drift();
        vm.recordLogs();
        vm.prank(keeper);
        rb.rebalance();
        (uint256[] memory idx, TradeReceipt[] memory t) = _trades(vm.getRecordedLogs());
        for (uint256 k; k < idx.length; ++k) {
            address token = vault.constituent(idx[k]).token;
            (uint80 roundId, int256 answer,,,) = AggregatorV3Interface(address(feedOf(token))).latestRoundData();
            assertEq(t[k].roundId, roundId, "round used");
            assertEq(t[k].oraclePrice, uint256(answer) * 1e10, "oracle price D18");
            assertApproxEqRel(t[k].executedPrice, t[k].oraclePrice, 0.01e18, "executed near the oracle");
            assertLe(t[k].costBps, 100, "cost within maxSlippageBps");
            assertGe(t[k].costBps, -10, "no free lunch from a synced pool");
        }
    }

    /// A pool pushed off its oracle price (a sandwich, or a manipulated pool) makes the trade revert: nothing is lost.
    function test_rebalance_poolPushedOffOracleReverts() public {
        _drift(); // constituent 1 (WBTC) is now underweight: the rebalance buys it
        address wbtc = vault.constituent(1).token;
        address pool = vault.constituent(1).pools[0];
        // Push WBTC 3 % above its feed in the pool the vault buys through.
        uint256 pumped = priceOf(wbtc) * 103 / 100;
        uint160 target = wbtc < address(usdt)
            ? priceMover.sqrtPriceX96FromPrices(pumped, 8, 1e8, 6)
            : priceMover.sqrtPriceX96FromPrices(1e8, 6, pumped, 8);
        priceMover.movePool(pool, target);

        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector); // on the WBTC leg
        vm.prank(keeper);
        rb.rebalance();
    }

    function test_rebalance_lossBoundReverts() public {
        _drift();
        RebalanceConfig memory c = _config();
        c.maxLossBps = 1; // 0.01 % of NAV: below the 0.3 % pool fee on ~15 % turnover
        _setConfig(c);
        vm.expectPartialRevert(IIndexVaultRebalancer.IndexVaultRebalancer__LossTooHigh.selector);
        vm.prank(keeper);
        rb.rebalance();
    }

    function test_rebalance_nothingToTradeReverts() public {
        // A ~$5k vault: every trade is under the largest minimum trade (MAX_MIN_TRADE_USDT = $10k), i.e. "dust".
        uint256 shares = vault.balanceOf(alice);
        vm.prank(alice);
        vault.redeemInKind(shares - shares / 200, alice, alice);
        _drift();
        RebalanceConfig memory c = _config();
        c.minTradeValue = 10_000e6;
        _setConfig(c);
        RebalanceStatus memory st = rb.rebalanceStatus();
        assertEq(uint8(st.reason), uint8(RebalanceReason.BelowMinTrade));
        assertFalse(st.due);
        vm.expectRevert(IIndexVaultRebalancer.IndexVaultRebalancer__NothingToTrade.selector);
        vm.prank(keeper);
        rb.rebalance();
    }

    function test_rebalance_invalidPriceReverts() public {
        _drift();
        vm.warp(block.timestamp + 2 days); // every feed stale
        vm.expectPartialRevert(IOracleErrors.Oracle__StalePrice.selector);
        vm.prank(keeper);
        rb.rebalance();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration and wiring
    // ---------------------------------------------------------------------------------------------------------------

    function test_setRebalanceConfig_setsAndEmits() public {
        RebalanceConfig memory c = _config();
        c.thresholdBps = 300;
        c.maxTradeValue = 50_000e6;
        vm.expectEmit(address(vault));
        emit IIndexVaultRebalancer.RebalanceConfigSet(c);
        _setConfig(c);
        RebalanceConfig memory got = rb.rebalanceConfig();
        assertEq(got.thresholdBps, 300);
        assertEq(got.maxTradeValue, 50_000e6);
    }

    function test_setRebalanceConfig_onlyManager() public {
        RebalanceConfig memory c = _config();
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultModule.IndexVaultModule__Unauthorized.selector, keeper, keccak256("MANAGER_ROLE")
            )
        );
        vm.prank(keeper);
        rb.setRebalanceConfig(c);
    }

    function test_setRebalanceConfig_rejectsOutOfBounds() public {
        RebalanceConfig memory c;
        c = _config();
        c.thresholdBps = 5;
        _expectInvalid("thresholdBps", 5, c);
        c = _config();
        c.maxLossBps = 501;
        _expectInvalid("maxLossBps", 501, c);
        c = _config();
        c.gracePeriod = 10 minutes;
        _expectInvalid("gracePeriod", 10 minutes, c);
        c = _config();
        c.timeout = 8 days;
        _expectInvalid("timeout", 8 days, c);
        c = _config();
        c.compositionDelay = 1 hours;
        _expectInvalid("compositionDelay", 1 hours, c);
        c = _config();
        c.maxTradeValue = 5e6; // below minTradeValue
        _expectInvalid("minTradeValue", MIN_TRADE, c);
        c = _config();
        c.bounty = 101e6;
        _expectInvalid("bounty", 101e6, c);
        c = _config();
        c.cooldown = 8 days;
        _expectInvalid("cooldown", 8 days, c);
    }

    function test_rebalanceConfig_defaultsUntilSet() public {
        IIndexVaultRebalancer fresh = IIndexVaultRebalancer(address(_createVault(3)));
        RebalanceConfig memory c = fresh.rebalanceConfig();
        assertEq(c.thresholdBps, 200);
        assertEq(c.maxLossBps, 50);
        assertEq(c.compositionDelay, 2 days);
        assertEq(c.minTradeValue, 10e6);
        assertEq(c.bounty, 5e6);
    }

    function test_module_refusesDirectCalls() public {
        vm.expectRevert(IIndexVaultModule.IndexVaultModule__DelegateCallOnly.selector);
        rebalancer.rebalance();
        vm.expectRevert(IIndexVaultModule.IndexVaultModule__DelegateCallOnly.selector);
        rebalancer.driftReport();
    }

    function test_module_roleConstantsMatchTheVault() public view {
        assertEq(vault.KEEPER_ROLE(), keccak256("KEEPER_ROLE"));
        assertEq(vault.MANAGER_ROLE(), keccak256("MANAGER_ROLE"));
        assertEq(vault.DEFAULT_ADMIN_ROLE(), bytes32(0));
        assertEq(IndexVaultRebalancer(address(vault)).MAX_BOUNTY_USDT(), 100, "module constants at the vault");
    }

    function test_fallback_rejectsUnknownSelectorAndEth() public {
        (bool ok,) = address(vault).call(abi.encodeWithSignature("doesNotExist()"));
        assertFalse(ok);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        (ok,) = address(vault).call{value: 1}("");
        assertFalse(ok);
    }

    function _expectInvalid(string memory name, uint256 value, RebalanceConfig memory c) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__InvalidConfig.selector, name, value)
        );
        vm.prank(manager);
        rb.setRebalanceConfig(c);
    }
}
