// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {DriftLib} from "../../contracts/libraries/DriftLib.sol";

/// @notice Random baskets of 1..25 constituents for the drift and rebalance-plan fuzz suites.
abstract contract BasketFuzzBase is Test {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_N = 25;
    /// @dev D18{USD} largest value of one constituent in these tests ($1e12).
    uint256 internal constant MAX_VALUE = 1e30;

    /// @dev {bps} random target weights summing to exactly BPS; about one in eight is 0 (being removed).
    function _targets(uint256 seed, uint256 n) internal pure returns (uint256[] memory t) {
        t = new uint256[](n);
        uint256[] memory raw = new uint256[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint256 h = uint256(keccak256(abi.encode(seed, "target", i)));
            raw[i] = h % 8 == 0 ? 0 : (h >> 8) % 1000 + 1;
            total += raw[i];
        }
        if (total == 0) {
            raw[0] = 1;
            total = 1;
        }
        uint256 assigned;
        uint256 first = type(uint256).max;
        for (uint256 i; i < n; ++i) {
            t[i] = raw[i] * BPS / total;
            assigned += t[i];
            if (raw[i] != 0 && first == type(uint256).max) first = i;
        }
        t[first] += BPS - assigned;
    }

    /// @dev D18{USD} random values around `scale`: some zero, some exactly or nearly on target for a NAV of `scale`,
    ///      the rest uniform in [0, scale].
    function _values(uint256 seed, uint256[] memory targets, uint256 scale) internal pure returns (uint256[] memory v) {
        uint256 n = targets.length;
        v = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 h = uint256(keccak256(abi.encode(seed, "value", i)));
            uint256 mode = h % 8;
            uint256 onTarget = targets[i] * scale / BPS;
            if (mode == 0) {
                v[i] = 0;
            } else if (mode == 1) {
                v[i] = onTarget;
            } else if (mode <= 3) {
                // Near target: within ±0.1 % of the scale, where dust thresholds and rounding matter.
                uint256 noise = (h >> 9) % (scale / 1000 + 2);
                v[i] = (h >> 8) & 1 == 0 ? onTarget + noise : (onTarget > noise ? onTarget - noise : 0);
            } else {
                v[i] = (h >> 8) % (scale + 1);
            }
        }
    }

    /// @dev A random basket: n in [1, 25], values mostly in [0, scale] (near-target ones up to 0.1 % above), scale in
    ///      [1, MAX_VALUE].
    function _basket(uint256 seed, uint256 nRaw, uint256 scaleRaw)
        internal
        pure
        returns (uint256[] memory values, uint256[] memory targets)
    {
        uint256 n = bound(nRaw, 1, MAX_N);
        uint256 scale = bound(scaleRaw, 1, MAX_VALUE);
        targets = _targets(seed, n);
        values = _values(seed, targets, scale);
    }

    function _sum(uint256[] memory a) internal pure returns (uint256 s) {
        for (uint256 i; i < a.length; ++i) {
            s += a[i];
        }
    }

    /// @dev Exact deviation numerators, D18{USD}·{bps}: |value·BPS − target·nav| (and idle·BPS for USDT).
    function _devNums(uint256[] memory values, uint256[] memory targets, uint256 idle)
        internal
        pure
        returns (uint256 maxNum, uint256 sumNum)
    {
        uint256 nav = _sum(values) + idle;
        for (uint256 i; i < values.length; ++i) {
            uint256 a = values[i] * BPS;
            uint256 b = targets[i] * nav;
            uint256 d = a > b ? a - b : b - a;
            sumNum += d;
            if (d > maxNum) maxNum = d;
        }
        sumNum += idle * BPS;
        if (idle * BPS > maxNum) maxNum = idle * BPS;
    }
}

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
