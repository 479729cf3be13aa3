// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DriftLib} from "../../contracts/libraries/DriftLib.sol";

import {BasketFuzzBase} from "../base/BasketFuzzBase.sol";

/// @notice Fuzz properties of DriftLib.
contract DriftLibFuzzTest is BasketFuzzBase {
    function testFuzz_targets_sumToBps(uint256 seed, uint256 nRaw) public pure {
        uint256 n = bound(nRaw, 1, MAX_N);
        uint256[] memory t = _targets(seed, n);
        assertEq(_sum(t), BPS);
        DriftLib.validateTargets(t, n);
    }

    function testFuzz_drift_boundsAndConsistency(uint256 seed, uint256 nRaw, uint256 scaleRaw, uint256 idleRaw)
        public
        pure
    {
        (uint256[] memory values, uint256[] memory targets) = _basket(seed, nRaw, scaleRaw);
        uint256 idle = bound(idleRaw, 0, MAX_VALUE);
        DriftLib.DriftReport memory r = DriftLib.drift(values, targets, idle);
        uint256 nav = _sum(values) + idle;
        assertEq(r.nav, nav, "nav");
        if (nav == 0) {
            assertEq(r.sumDeviationD18 + r.maxDeviationD18 + r.sumDeviationBps + r.maxDeviationBps, 0);
            assertEq(r.maxIndex, DriftLib.NO_INDEX);
            return;
        }
        (uint256 maxNum, uint256 sumNum) = _devNums(values, targets, idle);
        // Exactly the rational deviation, rounded up once.
        assertEq(r.maxDeviationBps, (maxNum + nav - 1) / nav, "max bps");
        assertEq(r.sumDeviationBps, (sumNum + nav - 1) / nav, "sum bps");
        assertGe(r.maxDeviationD18 * nav, maxNum * 1e14, "max D18 rounds up");
        assertLt(r.maxDeviationD18 * nav, maxNum * 1e14 + nav, "max D18 within one unit");
        // Ranges: one position at most 100 % off, all together at most 200 %.
        assertLe(r.maxDeviationBps, BPS);
        assertLe(r.sumDeviationBps, 2 * BPS);
        assertLe(r.maxDeviationD18, r.sumDeviationD18);
        // The reported index holds the maximum.
        if (maxNum == 0) {
            assertEq(r.maxIndex, DriftLib.NO_INDEX);
        } else if (r.maxIndex == DriftLib.IDLE_INDEX) {
            assertEq(idle * BPS, maxNum);
        } else {
            uint256 a = values[r.maxIndex] * BPS;
            uint256 b = targets[r.maxIndex] * nav;
            assertEq(a > b ? a - b : b - a, maxNum, "maxIndex");
        }
    }

    function testFuzz_drift_scaleInvariant(uint256 seed, uint256 nRaw, uint256 scaleRaw, uint256 idleRaw, uint256 kRaw)
        public
        pure
    {
        (uint256[] memory values, uint256[] memory targets) = _basket(seed, nRaw, bound(scaleRaw, 1, 1e24));
        uint256 idle = bound(idleRaw, 0, 1e24);
        uint256 k = bound(kRaw, 1, 1e6);
        DriftLib.DriftReport memory a = DriftLib.drift(values, targets, idle);
        uint256[] memory scaled = new uint256[](values.length);
        for (uint256 i; i < values.length; ++i) {
            scaled[i] = values[i] * k;
        }
        DriftLib.DriftReport memory b = DriftLib.drift(scaled, targets, idle * k);
        assertEq(a.maxDeviationD18, b.maxDeviationD18);
        assertEq(a.sumDeviationD18, b.sumDeviationD18);
        assertEq(a.maxIndex, b.maxIndex);
    }

    function testFuzz_drift_zeroWhenExactlyOnTarget(uint256 seed, uint256 nRaw, uint256 unitRaw) public pure {
        uint256 n = bound(nRaw, 1, MAX_N);
        uint256 unit = bound(unitRaw, 1, 1e26); // D18{USD} per bps
        uint256[] memory targets = _targets(seed, n);
        uint256[] memory values = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            values[i] = targets[i] * unit;
        }
        DriftLib.DriftReport memory r = DriftLib.drift(values, targets, 0);
        assertEq(r.sumDeviationD18, 0);
        assertEq(r.maxIndex, DriftLib.NO_INDEX);
    }

    function testFuzz_targetValues_leaveLessThanNWei(uint256 seed, uint256 nRaw, uint256 navRaw) public pure {
        uint256 n = bound(nRaw, 1, MAX_N);
        uint256 nav = bound(navRaw, 0, 25 * MAX_VALUE);
        uint256 total = _sum(DriftLib.targetValues(_targets(seed, n), nav));
        assertLe(total, nav);
        assertLt(nav - total, n);
    }
}
