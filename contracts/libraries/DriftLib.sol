// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {TargetsLib} from "./TargetsLib.sol";

/// @title DriftLib
/// @notice Pure maths of basket weights: target values and the drift of a basket from its targets.
/// @dev Units used throughout:
///      - values:  {value}   balance × oracle price, in ONE value unit of the caller's choice: the vault passes
///                           {USDT units} (Chainlink value in USDT's smallest unit); the unit tests use D18{USD}
///      - targets: {bps}     target weight of each constituent, summing to exactly `BPS` (10,000)
///      - idle:    {value}   USDT held by the vault, in the same unit; part of NAV with an implicit target of 0
///      Deviations are computed exactly as the rational |value·BPS − target·nav| / nav and rounded ONCE, up, so the
///      reported drift is never below the true drift (a keeper threshold check cannot be gamed by rounding).
///      Overflow: arithmetic is checked, so absurd inputs revert rather than wrap; every value ≤ 1e36 {value}
///      ($1e18 in D18{USD}) is safe for baskets of any realistic size.
library DriftLib {
    /// @notice {bps} 100 % in basis points; target weights must sum to exactly this.
    uint256 internal constant BPS = 10_000;

    /// @notice D18{1} per {bps}: converts a bps weight to an 18-decimal weight.
    uint256 internal constant D18_PER_BPS = 1e14;

    /// @notice `DriftReport.maxIndex` when the largest deviation belongs to the vault's idle USDT.
    uint256 internal constant IDLE_INDEX = type(uint256).max - 1;

    /// @notice `DriftReport.maxIndex` when nothing deviates (empty vault or basket exactly at target).
    uint256 internal constant NO_INDEX = type(uint256).max;

    /// @notice Thrown when the values and targets arrays differ in length.
    error DriftLib__LengthMismatch(uint256 values, uint256 targets);

    /// @notice How far a basket is from its targets.
    struct DriftReport {
        uint256 nav; // {value} sum of constituent values plus idle USDT
        uint256 maxDeviationD18; // D18{1} largest |weight − target| over constituents and idle USDT, rounded up
        uint256 sumDeviationD18; // D18{1} Σ |weight − target| over constituents and idle USDT, rounded up
        uint256 maxDeviationBps; // {bps} `maxDeviationD18` in basis points, rounded up
        uint256 sumDeviationBps; // {bps} `sumDeviationD18` in basis points, rounded up
        uint256 maxIndex; // constituent with the largest deviation; IDLE_INDEX or NO_INDEX (see above)
    }

    /// @notice Reverts unless `targetsBps` has `n` entries summing to exactly `BPS` (`TargetsLib.requireWhole`).
    /// @param targetsBps {bps} target weights
    /// @param n number of constituents (length of the values array)
    function validateTargets(uint256[] memory targetsBps, uint256 n) internal pure {
        uint256 len = targetsBps.length;
        if (len != n) revert DriftLib__LengthMismatch(n, len);
        uint256 total;
        for (uint256 i; i < len;) {
            total += targetsBps[i];
            // Safe: i < len ≤ memory size.
            unchecked {
                ++i;
            }
        }
        TargetsLib.requireWhole(total);
    }

    /// @notice Sum of constituent values.
    /// @param values {value} per-constituent values
    /// @return total {value}
    function sum(uint256[] memory values) internal pure returns (uint256 total) {
        uint256 n = values.length;
        for (uint256 i; i < n;) {
            total += values[i];
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
    }

    /// @notice Target value of each constituent for a given NAV: `targetsBps[i] × nav / BPS`, rounded down.
    /// @dev Σ targetValues ≤ nav and nav − Σ targetValues < targetsBps.length (rounding dust stays in USDT).
    /// @param targetsBps {bps} target weights (not validated here)
    /// @param nav {value}
    /// @return wanted {value} per-constituent target value
    function targetValues(uint256[] memory targetsBps, uint256 nav) internal pure returns (uint256[] memory wanted) {
        uint256 n = targetsBps.length;
        wanted = new uint256[](n);
        for (uint256 i; i < n;) {
            wanted[i] = targetsBps[i] * nav / BPS;
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
    }

    /// @notice Drift of the basket from its targets, with idle USDT counted as a position whose target is 0.
    /// @dev An empty vault (nav 0) has zero drift. A constituent with target 0 (being removed) contributes its whole
    ///      weight. Reverts with DriftLib__LengthMismatch / IndexVault__InvalidWeights on malformed targets.
    /// @param values {value} per-constituent values
    /// @param targetsBps {bps} target weights, summing to BPS
    /// @param idle {value} idle USDT held by the vault
    /// @return report see `DriftReport`
    function drift(uint256[] memory values, uint256[] memory targetsBps, uint256 idle)
        internal
        pure
        returns (DriftReport memory report)
    {
        uint256 n = values.length;
        validateTargets(targetsBps, n);
        uint256 nav = sum(values) + idle;
        report.nav = nav;
        report.maxIndex = NO_INDEX;
        if (nav == 0) return report;

        // Deviations as exact numerators: |value·BPS − target·nav|, unit {value}·{bps}; divide by nav for {bps}.
        uint256 maxNum;
        uint256 sumNum;
        for (uint256 i; i < n;) {
            uint256 held = values[i] * BPS;
            uint256 wanted = targetsBps[i] * nav;
            uint256 dev;
            // Safe: each subtraction is guarded by the comparison.
            unchecked {
                dev = held > wanted ? held - wanted : wanted - held;
            }
            sumNum += dev;
            if (dev > maxNum) {
                maxNum = dev;
                report.maxIndex = i;
            }
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
        // Idle USDT: target 0, so its whole weight is deviation.
        uint256 idleDev = idle * BPS;
        sumNum += idleDev;
        if (idleDev > maxNum) {
            maxNum = idleDev;
            report.maxIndex = IDLE_INDEX;
        }

        report.maxDeviationBps = Math.ceilDiv(maxNum, nav);
        report.sumDeviationBps = Math.ceilDiv(sumNum, nav);
        report.maxDeviationD18 = Math.mulDiv(maxNum, D18_PER_BPS, nav, Math.Rounding.Ceil);
        report.sumDeviationD18 = Math.mulDiv(sumNum, D18_PER_BPS, nav, Math.Rounding.Ceil);
    }
}
