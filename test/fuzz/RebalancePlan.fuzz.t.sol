// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DriftLib} from "../../contracts/libraries/DriftLib.sol";
import {RebalancePlanLib} from "../../contracts/libraries/RebalancePlanLib.sol";

import {BasketFuzzBase} from "../base/BasketFuzzBase.sol";

/// @notice Fuzz properties of RebalancePlanLib on random baskets of 1..25 constituents. Plans are applied at oracle
///         prices: values[i] − sells[i] + buys[i], idle + Σ sells − Σ buys.
contract RebalancePlanFuzzTest is BasketFuzzBase {
    struct Gaps {
        uint256[] excess; // D18{USD}
        uint256[] short; // D18{USD}
        uint256 totalExcess;
        uint256 totalShort;
    }

    function _gaps(uint256[] memory values, uint256[] memory targets, uint256 nav)
        internal
        pure
        returns (Gaps memory g)
    {
        uint256 n = values.length;
        g.excess = new uint256[](n);
        g.short = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 wanted = targets[i] * nav / BPS;
            if (values[i] > wanted) g.excess[i] = values[i] - wanted;
            else g.short[i] = wanted - values[i];
            g.totalExcess += g.excess[i];
            g.totalShort += g.short[i];
        }
    }

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

    // ---------------------------------------------------------------- plan

    /// Without cap or dust the plan is exactly the minimal-turnover rebalance and lands on target.
    function testFuzz_plan_uncappedIsMinimalAndLandsOnTarget(
        uint256 seed,
        uint256 nRaw,
        uint256 scaleRaw,
        uint256 idleRaw
    ) public pure {
        (uint256[] memory values, uint256[] memory targets) = _basket(seed, nRaw, scaleRaw);
        uint256 n = values.length;
        uint256 idle = bound(idleRaw, 0, MAX_VALUE);
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(values, targets, idle, 0, 0);
        Gaps memory g = _gaps(values, targets, p.nav);

        // Buys are exactly the shortfalls; sells exactly the excesses, except that a wei-level excess (< n wei, from
        // rounding targets down) is not sold when idle USDT already pays for every buy.
        for (uint256 i; i < n; ++i) {
            assertEq(p.buys[i], g.short[i], "buy = shortfall");
            assertLe(p.sells[i], g.excess[i], "sell <= excess");
        }
        assertEq(p.totalBuy, g.totalShort);
        assertLe(g.totalExcess - p.totalSell, n, "all excess sold but rounding");
        assertTrue(p.complete, "complete");

        // Turnover: USDT raised (sells + idle) is half the sum of absolute deviations, up to target rounding.
        (, uint256 sumNum) = _devNums(values, targets, idle);
        uint256 halfDev = sumNum / (2 * BPS); // D18{USD}
        assertApproxEqAbs(p.totalSell + idle, halfDev, n + 1, "turnover = 1/2 sum |dev| (abs)");
        if (halfDev > 1e6) assertApproxEqRel(p.totalSell + idle, halfDev, 0.02e18, "turnover within 2 %");

        // Lands on target: every constituent at or just above its rounded-down target; what is above it plus what is
        // left idle is the < n wei those targets leave unassigned.
        (uint256[] memory next, uint256 nextIdle) = _apply(values, idle, p);
        uint256[] memory wanted = DriftLib.targetValues(targets, p.nav);
        uint256 above;
        for (uint256 i; i < n; ++i) {
            assertGe(next[i], wanted[i], "no shortfall left");
            above += next[i] - wanted[i];
        }
        assertLt(above + nextIdle, n, "< n wei off target");
        if (p.nav >= n * BPS) assertLe(DriftLib.drift(next, targets, nextIdle).maxDeviationBps, 1, "drift ~0");
        // A second call plans nothing.
        RebalancePlanLib.Plan memory again = RebalancePlanLib.plan(next, targets, nextIdle, 0, 0);
        assertEq(again.totalSell + again.totalBuy, 0, "idempotent");
    }

    /// With any cap and dust: trades stay inside holdings, caps and funding, and drift never grows.
    function testFuzz_plan_safety(
        uint256 seed,
        uint256 nRaw,
        uint256 scaleRaw,
        uint256 idleRaw,
        uint256 capRaw,
        uint256 dustRaw
    ) public pure {
        (uint256[] memory values, uint256[] memory targets) = _basket(seed, nRaw, scaleRaw);
        uint256 n = values.length;
        uint256 idle = bound(idleRaw, 0, MAX_VALUE);
        uint256 nav = _sum(values) + idle;
        // Caps and dust on the scale of the basket, so that they bind often (0 = none).
        uint256 cap = bound(capRaw, 0, nav);
        uint256 dust = bound(dustRaw, 0, nav / 50);
        RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(values, targets, idle, cap, dust);
        Gaps memory g = _gaps(values, targets, p.nav);

        for (uint256 i; i < n; ++i) {
            uint256 s = p.sells[i];
            uint256 b = p.buys[i];
            assertLe(s, values[i], "sell <= holdings");
            assertLe(s, g.excess[i], "sell <= excess");
            assertLe(b, g.short[i], "buy <= shortfall");
            assertTrue(s == 0 || b == 0, "never both");
            if (cap != 0) assertLe(s + b, cap, "capped");
            if (s + b != 0) assertGe(s + b, dust, "no dust trades");
        }
        assertEq(p.totalSell, _sum(p.sells));
        assertEq(p.totalBuy, _sum(p.buys));
        assertLe(p.totalBuy, p.totalSell + idle, "buys funded by sells + idle");

        (uint256[] memory next, uint256 nextIdle) = _apply(values, idle, p);
        (uint256 maxBefore, uint256 sumBefore) = _devNums(values, targets, idle);
        (uint256 maxAfter, uint256 sumAfter) = _devNums(next, targets, nextIdle);
        // No position crosses its (rounded-down) target, so Σ|dev| falls by 2 × Σ buys; a sell can end < 1 wei below
        // the exact target, which costs < 2 wei of deviation per constituent.
        assertGe(sumAfter + 2 * BPS * p.totalBuy, sumBefore, "sum drift falls by at most 2 x buys");
        assertLe(sumAfter + 2 * BPS * p.totalBuy, sumBefore + 2 * BPS * n, "sum drift falls by 2 x buys - rounding");
        // Sells beyond what the buys need stay idle: at most (dust + 1) per constituent.
        uint256 slack = (dust + 2) * n + dust;
        assertLe(nextIdle, idle > slack ? idle : slack, "idle bounded");
        // Constituent deviations only shrink (or end < 1 wei past the exact target), so max drift can only rise
        // through that bounded idle slack.
        uint256 bound_ = nextIdle * BPS > BPS ? nextIdle * BPS : BPS;
        assertLe(maxAfter, maxBefore > bound_ ? maxBefore : bound_, "max drift non-increasing");
    }

    /// With a cap, repeated steps converge to the target; total turnover is still the minimum.
    function testFuzz_plan_cappedStepsConverge(
        uint256 seed,
        uint256 nRaw,
        uint256 scaleRaw,
        uint256 idleRaw,
        uint256 capRaw,
        uint256 dustRaw
    ) public pure {
        (uint256[] memory values, uint256[] memory targets) = _basket(seed, nRaw, scaleRaw);
        uint256 n = values.length;
        uint256 idle = bound(idleRaw, 0, MAX_VALUE);
        uint256 nav = _sum(values) + idle;
        uint256 cap = bound(capRaw, nav / 20 + 1, nav + 1);
        uint256 dust = bound(dustRaw, 0, cap / 100);
        uint256 totalExcess0 = _gaps(values, targets, nav).totalExcess;
        (, uint256 sumNum0) = _devNums(values, targets, idle);
        uint256 idle0 = idle;

        uint256 sold;
        uint256 prevSum = sumNum0;
        uint256 steps;
        while (true) {
            RebalancePlanLib.Plan memory p = RebalancePlanLib.plan(values, targets, idle, cap, dust);
            ++steps;
            assertEq(p.nav, nav, "NAV preserved at oracle prices");
            assertLe(p.totalBuy, p.totalSell + idle, "funded");
            sold += p.totalSell;
            (values, idle) = _apply(values, idle, p);
            (, uint256 sumNum) = _devNums(values, targets, idle);
            assertLe(sumNum, prevSum + 2 * BPS * n, "drift non-increasing (up to wei rounding)");
            prevSum = sumNum;
            if (p.complete) break;
            assertGt(p.totalBuy, 0, "an incomplete step makes progress");
            assertLe(steps, 2 * n + 30, "converges");
        }

        _assertEndState(
            values,
            targets,
            idle,
            Run({nav: nav, dust: dust, sold: sold, totalExcess0: totalExcess0, sumNum0: sumNum0, idle0: idle0})
        );
    }

    /// @dev What a plan-to-completion run started with and did; a struct keeps the fuzz test under the stack limit when
    ///      test sources compile without the optimizer.
    struct Run {
        uint256 nav;
        uint256 dust;
        uint256 sold;
        uint256 totalExcess0;
        uint256 sumNum0;
        uint256 idle0;
    }

    function _assertEndState(uint256[] memory values, uint256[] memory targets, uint256 idle, Run memory r)
        internal
        pure
    {
        uint256 n = values.length;
        Gaps memory g = _gaps(values, targets, r.nav);
        if (r.dust == 0) {
            // At target up to the < n wei of target rounding.
            assertLe(g.totalShort, n, "no shortfall left");
            assertLe(g.totalExcess + idle, n, "no excess left");
            // Never sold more than the initial excess; sold all of it but rounding.
            assertLe(r.sold, r.totalExcess0, "no round trips");
            assertGe(r.sold + n, r.totalExcess0, "all excess sold");
            uint256 halfDev = r.sumNum0 / (2 * BPS);
            assertApproxEqAbs(r.sold + r.idle0, halfDev, 2 * n + 1, "turnover = 1/2 sum |dev|");
            if (halfDev > 1e6) assertApproxEqRel(r.sold + r.idle0, halfDev, 0.02e18, "turnover within 2 %");
        } else {
            // Stopped because what is left is dust: small shortfalls, or nothing ≥ dust to fund them.
            assertLe(g.totalShort, (n + 2) * r.dust + n, "only dust left");
            assertLe(r.sold, r.totalExcess0, "no round trips");
        }
    }

    // ---------------------------------------------------------------- helpers

    function _add(uint256[] memory x, uint256[] memory y) internal pure returns (uint256[] memory z) {
        z = new uint256[](x.length);
        for (uint256 i; i < x.length; ++i) {
            z[i] = x[i] + y[i];
        }
    }

    function _subtract(uint256[] memory x, uint256[] memory y) internal pure returns (uint256[] memory z) {
        z = new uint256[](x.length);
        for (uint256 i; i < x.length; ++i) {
            z[i] = x[i] - y[i];
        }
    }

    /// @dev Basket `a` (our split) is no further from target than basket `b` (pro rata), up to wei rounding.
    function _assertNoWorse(uint256[] memory a, uint256[] memory b, uint256[] memory targets) internal pure {
        (uint256 maxA, uint256 sumA) = _devNums(a, targets, 0);
        (uint256 maxB, uint256 sumB) = _devNums(b, targets, 0);
        uint256 tol = (2 * a.length + 3) * BPS; // wei rounding of targets and splits, in D18{USD}·{bps}
        assertLe(maxA, maxB + tol, "max drift no worse than pro rata");
        assertLe(sumA, sumB + tol, "sum drift no worse than pro rata");
    }
}
