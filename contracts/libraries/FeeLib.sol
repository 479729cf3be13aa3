// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ConstantsLib} from "./ConstantsLib.sol";

/// @title FeeLib
/// @notice Maths of the streaming management fee, exact at any accrual frequency.
/// @dev An annual fee f means holders keep exactly (1 − f) of the supply after one year, however often the fee is
///      accrued. With the continuous rate r = −ln(1 − f) (per year), accruing over `elapsed` seconds mints
///          feeShares = supply × (e^(r × elapsed / YEAR) − 1)
///      so holders' fraction is multiplied by e^(−r × elapsed / YEAR); over any split of a year the exponents add up
///      to r and the product is e^(−r) = 1 − f. Both series are summed to 18-decimal precision and rounded down,
///      so the fee is never above the stated rate (rounding favours holders).
library FeeLib {
    /// @dev D18{1} one.
    uint256 private constant ONE = 1e18;

    /// @notice The continuous rate of an annual fee: r = −ln(1 − f) = Σ_{k≥1} f^k / k.
    /// @param annualFeeBps {bps per year} At most `ConstantsLib.MAX_MANAGEMENT_FEE_BPS` (so f ≤ 0.05, fast series).
    /// @return rateD18 D18{1/year} The continuous rate, rounded down.
    function continuousRate(uint256 annualFeeBps) internal pure returns (uint256 rateD18) {
        uint256 f = annualFeeBps * ONE / ConstantsLib.BPS; // D18{1}
        uint256 power = f; // D18{1} f^k
        for (uint256 k = 1; power != 0; ++k) {
            rateD18 += power / k;
            power = power * f / ONE;
        }
    }

    /// @notice Shares to mint to the fee recipient for `elapsed` seconds at continuous rate `rateD18`.
    /// @param supply {share} Total supply before accrual.
    /// @param rateD18 D18{1/year} From `continuousRate`.
    /// @param elapsed {s} Time since the last accrual.
    /// @return {share} supply × (e^(rate × elapsed / YEAR) − 1), rounded down.
    function managementFeeShares(uint256 supply, uint256 rateD18, uint256 elapsed) internal pure returns (uint256) {
        if (supply == 0 || rateD18 == 0 || elapsed == 0) return 0;
        return Math.mulDiv(supply, expm1(rateD18 * elapsed / ConstantsLib.YEAR), ONE);
    }

    /// @notice e^x − 1 by its Taylor series Σ_{k≥1} x^k / k!, each term rounded down.
    /// @dev Converges for any x reachable here (x ≤ 0.0513 per year of elapsed time; even a century gives x ≈ 5.1
    ///      and ~45 terms). Overflows only for x above ~90, i.e. a vault untouched for over 1,700 years at the maximum fee.
    /// @param x D18{1}
    /// @return sum D18{1}
    function expm1(uint256 x) internal pure returns (uint256 sum) {
        uint256 term = x; // D18{1} x^k / k!
        for (uint256 k = 2; term != 0; ++k) {
            sum += term;
            term = term * x / (ONE * k);
        }
    }
}
