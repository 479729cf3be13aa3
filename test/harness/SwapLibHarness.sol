// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";

import {UniswapV3SwapLib} from "../../contracts/libraries/UniswapV3SwapLib.sol";

/// @notice Exposes UniswapV3SwapLib's callback with a settable expected pool.
contract SwapLibHarness {
    using TransientSlot for *;

    function expect(address pool) external {
        UniswapV3SwapLib.EXPECTED_POOL_SLOT.asAddress().tstore(pool);
    }

    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external {
        UniswapV3SwapLib.payCallback(amount0Delta, amount1Delta, data);
    }
}
