// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {DriftLib} from "../../contracts/libraries/DriftLib.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {RebalancePlanLib} from "../../contracts/libraries/RebalancePlanLib.sol";

import {ArrayHelpers} from "../base/ArrayHelpers.sol";

/// @notice Hand-checked examples for RebalancePlanLib. Values are D18{USD}; `E` = $1.
contract RebalancePlanTest is Test, ArrayHelpers {
    uint256 internal constant E = 1e18;

    // ---------------------------------------------------------------- helpers

    function _assertEq(uint256[] memory got, uint256[] memory want, string memory what) internal pure {
        assertEq(got.length, want.length, string.concat(what, ": length"));
        for (uint256 i; i < got.length; ++i) {
            assertEq(got[i], want[i], string.concat(what, "[", vm.toString(i), "]"));
        }
    }

    /// @dev Applies a plan at oracle prices; returns the new values and idle USDT.
    function _apply(uint256[] memory values, uint256 idle, RebalancePlanLib.Plan memory p)
        internal
        pure
        returns (uint256[] memory next, uint256 nextIdle)
    {
        next = new uint256[](values.length);
        for (uint256 i; i < values.length; ++i) {
            next[i] = values[i] - p.sells[i] + p.buys[i];
        }
        nextIdle = idle + p.totalSell - p.totalBuy;
    }

    function planExt(uint256[] memory values, uint256[] memory targets, uint256 idle, uint256 cap, uint256 dust)
        external
        pure
        returns (RebalancePlanLib.Plan memory)
    {
        return RebalancePlanLib.plan(values, targets, idle, cap, dust);
    }

    // ---------------------------------------------------------------- plan: uncapped

    function test_plan_twoConstituentsSellsExcessBuysShortfall() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(60 * E, 40 * E), _a(5000, 5000), 0, 0, 0);
        _assertEq(p.sells, _a(10 * E, 0), "sells");
        _assertEq(p.buys, _a(0, 10 * E), "buys");
        assertEq(p.totalSell, 10 * E);
        assertEq(p.totalBuy, 10 * E);
        assertEq(p.nav, 100 * E);
        assertTrue(p.complete);
    }

    function test_plan_threeConstituentsMinimalTurnover() public pure {
        // 50/25/25 against 40/40/20: sell 10 and 5, buy 15. Turnover 15 = ½ × (10 + 15 + 5).
        RebalancePlanLib.Plan memory p =
            RebalancePlanLib.plan(_a(50 * E, 25 * E, 25 * E), _a(4000, 4000, 2000), 0, 0, 0);
        _assertEq(p.sells, _a(10 * E, 0, 5 * E), "sells");
        _assertEq(p.buys, _a(0, 15 * E, 0), "buys");
        assertEq(p.totalSell, 15 * E);
        assertEq(p.totalBuy, 15 * E);
        assertTrue(p.complete);
    }

    function test_plan_tenConstituentsOnlyTouchesDeviators() public pure {
        uint256[] memory values = _fill(10, 10 * E);
        values[0] = 19 * E;
        values[9] = 1 * E;
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(values, _fill(10, 1000), 0, 0, 0);
        uint256[] memory sells = new uint256[](10);
        uint256[] memory buys = new uint256[](10);
        sells[0] = 9 * E;
        buys[9] = 9 * E;
        _assertEq(p.sells, sells, "sells");
        _assertEq(p.buys, buys, "buys");
        assertTrue(p.complete);
    }

    function test_plan_allAtTargetPlansNothing() public pure {
        RebalancePlanLib.Plan memory p =
            RebalancePlanLib.plan(_a(30 * E, 30 * E, 40 * E), _a(3000, 3000, 4000), 0, 0, 0);
        _assertEq(p.sells, new uint256[](3), "sells");
        _assertEq(p.buys, new uint256[](3), "buys");
        assertEq(p.totalSell + p.totalBuy, 0);
        assertTrue(p.complete);
    }

    function test_plan_emptyVaultPlansNothing() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(0, 0), _a(5000, 5000), 0, 10 * E, 0);
        _assertEq(p.sells, new uint256[](2), "sells");
        _assertEq(p.buys, new uint256[](2), "buys");
        assertEq(p.nav, 0);
        assertTrue(p.complete);
    }

    function test_plan_zeroTargetSellsEverything() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(20 * E, 40 * E, 40 * E), _a(0, 5000, 5000), 0, 0, 0);
        _assertEq(p.sells, _a(20 * E, 0, 0), "sells");
        _assertEq(p.buys, _a(0, 10 * E, 10 * E), "buys");
        assertTrue(p.complete);
    }

    function test_plan_deploysIdleUsdtWithoutSelling() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(45 * E, 45 * E), _a(5000, 5000), 10 * E, 0, 0);
        _assertEq(p.sells, _a(0, 0), "sells");
        _assertEq(p.buys, _a(5 * E, 5 * E), "buys");
        assertEq(p.totalBuy, 10 * E);
        assertTrue(p.complete);
    }

    function test_plan_idleUsdtReducesSells() public pure {
        // 70/20 + 10 idle against 50/50: buy 30 for the second, funded by 10 idle + 20 sold from the first.
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(70 * E, 20 * E), _a(5000, 5000), 10 * E, 0, 0);
        _assertEq(p.sells, _a(20 * E, 0), "sells");
        _assertEq(p.buys, _a(0, 30 * E), "buys");
        assertTrue(p.complete);
    }

    function test_plan_landsExactlyOnTarget() public pure {
        uint256[] memory values = _a(50 * E, 25 * E, 25 * E);
        uint256[] memory targets = _a(4000, 4000, 2000);
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(values, targets, 0, 0, 0);
        (uint256[] memory next, uint256 idle) = _apply(values, 0, p);
        DriftLib.DriftReport memory r = DriftLib.drift(next, targets, idle);
        assertEq(r.sumDeviationBps, 0);
        assertEq(idle, 0);
    }

    // ---------------------------------------------------------------- plan: dust

    function test_plan_skipsDustTrades() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(50.5e18, 49.5e18), _a(5000, 5000), 0, 0, 1 * E);
        assertEq(p.totalSell + p.totalBuy, 0);
        assertTrue(p.complete);
    }

    function test_plan_noBuysWhenOnlyDustExcessCouldFundThem() public pure {
        // Three constituents 0.5 over (dust), one 1.5 under: nothing can fund the buy, so nothing trades.
        RebalancePlanLib.Plan memory p =
            RebalancePlanLib.plan(_a(25.5e18, 25.5e18, 25.5e18, 23.5e18), _a(2500, 2500, 2500, 2500), 0, 0, 1 * E);
        assertEq(p.totalSell + p.totalBuy, 0);
        assertTrue(p.complete, "calling again would plan nothing");
    }

    function test_plan_fundedBuysSkipDustButStillProgress() public pure {
        // One sell capped at 60, two buys of 50: pro rata 30 each is dust (< 40), so the top-up fills the first.
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(100 * E, 0, 0), _a(0, 5000, 5000), 0, 60 * E, 40 * E);
        _assertEq(p.buys, _a(0, 50 * E, 0), "buys");
        // Surplus 10 ≤ dust: the full capped excess is sold and 10 stays idle.
        _assertEq(p.sells, _a(60 * E, 0, 0), "sells");
        assertFalse(p.complete);
    }

    // ---------------------------------------------------------------- plan: cap

    function test_plan_capSplitsIntoStepsThatConverge() public pure {
        uint256[] memory values = _a(100 * E, 0, 0);
        uint256[] memory targets = _a(0, 5000, 5000);
        uint256 idle;
        uint256 prevSum = type(uint256).max;
        uint256 steps;
        while (true) {
            RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(values, targets, idle, 20 * E, 0);
            ++steps;
            for (uint256 i; i < 3; ++i) {
                assertLe(p.sells[i], 20 * E, "sell capped");
                assertLe(p.buys[i], 20 * E, "buy capped");
            }
            assertLe(p.totalBuy, p.totalSell + idle, "buys funded");
            (values, idle) = _apply(values, idle, p);
            uint256 sumNow = DriftLib.drift(values, targets, idle).sumDeviationD18;
            assertLt(sumNow, prevSum, "each step reduces drift");
            prevSum = sumNow;
            if (p.complete) break;
            assertLt(steps, 10, "converges");
        }
        // Each step sells 20 and buys 10 + 10.
        assertEq(steps, 5);
        _assertEq(values, _a(0, 50 * E, 50 * E), "final values");
        assertEq(idle, 0);
    }

    function test_plan_capFirstStep() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(100 * E, 0, 0), _a(0, 5000, 5000), 0, 20 * E, 0);
        _assertEq(p.sells, _a(20 * E, 0, 0), "sells");
        _assertEq(p.buys, _a(0, 10 * E, 10 * E), "buys pro rata to what was sold");
        assertFalse(p.complete);
    }

    function test_plan_capSellsOnlyWhatCappedBuysNeed() public pure {
        // Four constituents 10 over, one 40 under; cap 10 → one buy of 10, funded by 2.5 from each overweight
        // rather than 40 sold with 30 left idle.
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(
            _a(25 * E, 25 * E, 25 * E, 25 * E, 0), _a(1500, 1500, 1500, 1500, 4000), 0, 10 * E, 0
        );
        _assertEq(p.buys, _a(0, 0, 0, 0, 10 * E), "buys");
        _assertEq(p.sells, _a(2.5e18, 2.5e18, 2.5e18, 2.5e18, 0), "sells");
        assertFalse(p.complete);
    }

    function test_plan_capWithIdleUsesIdleFirst() public pure {
        // 20 idle, cap 15 per constituent: both underweights get 15 (30 total), 10 sold from the overweight.
        RebalancePlanLib.Plan memory p =
            RebalancePlanLib.plan(_a(60 * E, 10 * E, 10 * E), _a(4000, 3000, 3000), 20 * E, 15 * E, 0);
        _assertEq(p.buys, _a(0, 15 * E, 15 * E), "buys");
        _assertEq(p.sells, _a(10 * E, 0, 0), "sells");
        assertFalse(p.complete);
    }

    function test_plan_capBelowDustPlansNothing() public pure {
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(_a(60 * E, 40 * E), _a(5000, 5000), 0, 1 * E, 2 * E);
        assertEq(p.totalSell + p.totalBuy, 0);
        assertTrue(p.complete);
    }

    // ---------------------------------------------------------------- plan: reverts

    function test_plan_revertsOnLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(DriftLib.DriftLib__LengthMismatch.selector, 2, 3));
        this.planExt(_a(1, 2), _a(3000, 3000, 4000), 0, 0, 0);
    }

    function test_plan_revertsOnInvalidTargetSum() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidWeights.selector, 9000));
        this.planExt(_a(1, 2), _a(5000, 4000), 0, 0, 0);
    }
}
