// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {OracleLib} from "../../contracts/libraries/OracleLib.sol";

/// @notice Exposes OracleLib's internal functions.
contract OracleHarness {
    function readPrice(address feed, uint256 heartbeat, uint8 decimals) external view returns (uint256) {
        return OracleLib.readPrice(feed, heartbeat, decimals);
    }

    function tryReadPrice(address feed, uint256 heartbeat, uint8 decimals) external view returns (bool, uint256) {
        return OracleLib.tryReadPrice(feed, heartbeat, decimals);
    }

    function checkSequencer(address feed, uint256 grace) external view {
        OracleLib.checkSequencer(feed, grace);
    }

    function isSequencerReady(address feed, uint256 grace) external view returns (bool) {
        return OracleLib.isSequencerReady(feed, grace);
    }

    function toUsdt(uint256 amount, uint256 price, uint8 dec, uint256 usdtPrice, uint8 usdtDec, bool up)
        external
        pure
        returns (uint256)
    {
        return OracleLib.toUsdt(amount, price, dec, usdtPrice, usdtDec, up ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }

    function fromUsdt(uint256 value, uint256 price, uint8 dec, uint256 usdtPrice, uint8 usdtDec, bool up)
        external
        pure
        returns (uint256)
    {
        return OracleLib.fromUsdt(value, price, dec, usdtPrice, usdtDec, up ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }
}
