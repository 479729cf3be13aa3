// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

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
