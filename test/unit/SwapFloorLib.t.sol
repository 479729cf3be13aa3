// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {SwapFloorLib} from "../../contracts/libraries/SwapFloorLib.sol";

/// @notice The one swap floor rule (deposit, redeem and rebalance legs) on worked numbers: a 6-decimal USDT, one cent
///         of tolerance, 1 % max slippage.
contract SwapFloorLibTest is Test {
    uint256 internal constant KEEP_BPS = 9900; // 1 % max slippage
    uint256 internal constant CENT = 1e4; // {USDT units}

    /// A 2-decimal token at $1,000 (one unit = $10): value = amount × 1e27 / 1e20.
    uint256 internal constant NUM = 1000e18 * 1e6; // D18{USD/tok} × 10^usdtDecimals
    uint256 internal constant DEN = 1e18 * 1e2; // D18{USD/USDT} × 10^tokenDecimals

    function test_buyFloorValue_isSlippageLessOneCent() public pure {
        assertEq(SwapFloorLib.buyFloorValue(1000e6, KEEP_BPS, CENT), 990e6 - CENT);
        assertEq(SwapFloorLib.buyFloorValue(1e4, KEEP_BPS, CENT), 0, "a leg under a cent has no floor");
    }

    /// $478.50 of a coarse token: the value floor is $473.705 = 47.37 units, rounded up to 48, less one unit = 47 —
    /// what a 0.3 % pool delivers (47.7 units, rounded down). Without the unit tolerance the leg could never fill.
    function test_buyMinOut_toleratesOneUnitOfACoarseToken() public pure {
        assertEq(SwapFloorLib.buyMinOut(478.5e6, KEEP_BPS, CENT, NUM, DEN), 47);
    }

    /// An 18-decimal token at $2,000: one unit is far below a cent, so the floor is the slippage bound less a cent.
    function test_buyMinOut_fineToken() public pure {
        uint256 num = 2000e18 * 1e6;
        uint256 den = 1e18 * 1e18;
        // floor value 990e6 − 1e4 {USDT units} = 0.494995 tokens, rounded up, less one wei
        assertEq(SwapFloorLib.buyMinOut(1000e6, KEEP_BPS, CENT, num, den), 0.494995e18 - 1);
    }

    function test_sellMinOut_isSlippageLessOneCentAndOneUnit() public pure {
        // 100 units worth $1,000: less 1 %, one cent and one unit ($10, plus one for rounding)
        assertEq(SwapFloorLib.sellMinOut(1000e6, 100, KEEP_BPS, CENT), 990e6 - CENT - 10_000_001);
        assertEq(SwapFloorLib.sellMinOut(0, 1, KEEP_BPS, CENT), 0);
        assertEq(SwapFloorLib.sellMinOut(5e3, 1e15, KEEP_BPS, CENT), 0, "dust under a cent has no floor");
    }

    /// The floor never exceeds the slippage bound (what a leg is owed) and never drops more than a cent plus one unit
    /// below it.
    function testFuzz_sellMinOut_bounds(uint256 value, uint256 amountIn) public pure {
        value = bound(value, 0, 1e30);
        amountIn = bound(amountIn, 1, 1e36);
        uint256 floor = SwapFloorLib.sellMinOut(value, amountIn, KEEP_BPS, CENT);
        uint256 bps = value * KEEP_BPS / 10_000;
        assertLe(floor, bps);
        uint256 unitValue = (value + 1 + amountIn - 1) / amountIn;
        assertGe(floor + CENT + unitValue, bps);
    }
}
