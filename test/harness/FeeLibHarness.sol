// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FeeLib} from "../../contracts/libraries/FeeLib.sol";

/// @notice Exposes FeeLib's internal functions.
contract FeeLibHarness {
    function continuousRate(uint256 annualFeeBps) external pure returns (uint256) {
        return FeeLib.continuousRate(annualFeeBps);
    }

    function expm1(uint256 x) external pure returns (uint256) {
        return FeeLib.expm1(x);
    }

    function managementFeeShares(uint256 supply, uint256 rate, uint256 elapsed) external pure returns (uint256) {
        return FeeLib.managementFeeShares(supply, rate, elapsed);
    }
}
