// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ConstantsLib} from "./ConstantsLib.sol";

/// @title SwapFloorLib
/// @notice The one floor rule of every swap the protocol makes (USDT deposit legs, USDT redeem legs, rebalance buys
///         and sells): a leg must return at least its Chainlink value less `maxSlippageBps`, less one cent
///         (`dust`, {USDT units} 10^usdtDecimals / `ConstantsLib.SWAP_DUST_DIVISOR`) and less one unit of the
///         constituent.
/// @dev Why the absolute part: a Uniswap V3 hop rounds its output down by up to one unit, which on a tiny leg, or on a
///      token with few decimals and a high price (2 decimals at $1,000: one unit is $10), exceeds any bps bound, and
///      a floor without it can refuse every retry of a leg forever. What a sandwich can take from one leg is therefore
///      bounded by maxSlippage + one cent + the value of one token unit.
library SwapFloorLib {
    /// @notice {USDT units} The least value a buy leg of `amountIn` USDT may deliver: amountIn × keepBps / BPS less
    ///         one cent (the one-unit tolerance is applied to the token amount, `buyMinOut`).
    /// @param amountIn {USDT units} USDT spent by the leg.
    /// @param keepBps {bps} BPS − maxSlippageBps.
    /// @param dust {USDT units} One cent.
    function buyFloorValue(uint256 amountIn, uint256 keepBps, uint256 dust) internal pure returns (uint256) {
        return _sub0(amountIn * keepBps / ConstantsLib.BPS, dust);
    }

    /// @notice {tok units} The least a buy leg of `amountIn` USDT may return: `buyFloorValue` as a token amount rounded
    ///         up, less one unit.
    /// @param valueNum The token's `value = amount × valueNum / valueDen` factor (see `IndexVaultBase.Snapshot`).
    /// @param valueDen See `valueNum`.
    function buyMinOut(uint256 amountIn, uint256 keepBps, uint256 dust, uint256 valueNum, uint256 valueDen)
        internal
        pure
        returns (uint256)
    {
        uint256 floor = buyFloorValue(amountIn, keepBps, dust);
        return _sub0(Math.mulDiv(floor, valueDen, valueNum, Math.Rounding.Ceil), 1);
    }

    /// @notice {USDT units} The least a sell leg of `amountIn` tokens worth `value` may return: value × keepBps / BPS
    ///         less one cent and less the value of one unit of the token, bounded above by ⌈(value + 1) / amountIn⌉.
    /// @param value {USDT units} Chainlink value of `amountIn`, rounded down.
    /// @param amountIn {tok units} Tokens sold, > 0.
    function sellMinOut(uint256 value, uint256 amountIn, uint256 keepBps, uint256 dust)
        internal
        pure
        returns (uint256)
    {
        return _sub0(value * keepBps / ConstantsLib.BPS, dust + Math.ceilDiv(value + 1, amountIn));
    }

    /// @dev max(a − b, 0).
    function _sub0(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a - b : 0;
    }
}
