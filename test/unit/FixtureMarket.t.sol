// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IQuoterV2} from "@uniswap/v3-periphery/contracts/interfaces/IQuoterV2.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";

import {BaseTest} from "../base/BaseTest.sol";
import {LocalMarket} from "../base/LocalMarket.sol";

/// @notice Proves the local market is a real Uniswap V3 market: shape of the API, quotes equal executions,
/// two-hop routing, realistic depth and a thin pool that really is thin.
contract FixtureMarketTest is BaseTest {
    address internal alice = makeAddr("alice");

    function setUp() public override {
        super.setUp();
        vm.startPrank(alice);
        usdt.approve(swapRouter, type(uint256).max);
        for (uint256 i; i < constituents.length; ++i) {
            IERC20(constituents[i]).approve(swapRouter, type(uint256).max);
        }
        vm.stopPrank();
    }

    // ----- shape -----

    function test_constituents_matchTheDeclaredMarket() public view {
        assertEq(this.constituentCount(), 20);
        assertEq(constituents[0], address(weth));
        assertEq(IERC20Metadata(constituents[0]).decimals(), 18);
        assertEq(IERC20Metadata(constituents[1]).decimals(), 8);
        assertEq(IERC20Metadata(constituents[1]).symbol(), "WBTC");
        for (uint256 i = 2; i < 20; ++i) {
            assertEq(IERC20Metadata(constituents[i]).decimals(), 18);
        }
        assertEq(usdt.decimals(), 6);
        assertGe(_indexOf(thinToken), 10);
        assertGe(_indexOf(twoHopToken), 10);
        assertTrue(thinToken != twoHopToken);
        assertEq(priceOf(address(weth)), 3000e8);
        assertEq(priceOf(constituents[1]), 60_000e8);
        assertEq(priceOf(address(usdt)), 1e8);
        assertEq(heartbeatOf(address(weth)), 3600);
        assertEq(heartbeatOf(address(usdt)), 86_400);
    }

    function test_buyRouteOf_firstTenAreOneHopFromUsdt() public view {
        for (uint256 i; i < 10; ++i) {
            (address[] memory path, uint24[] memory fees) = buyRouteOf(constituents[i]);
            assertEq(path.length, 2);
            assertEq(path[0], address(usdt));
            assertEq(path[1], constituents[i]);
            assertEq(fees.length, 1);
            assertTrue(poolOf(path[0], path[1], fees[0]) != address(0));
        }
        (, uint24[] memory wethFees) = buyRouteOf(address(weth));
        assertEq(wethFees[0], 500);
        (, uint24[] memory thinFees) = buyRouteOf(thinToken);
        assertEq(thinFees[0], 10_000);
    }

    function test_buyRouteOf_twoHopTokenGoesThroughWethOnly() public view {
        (address[] memory path, uint24[] memory fees) = buyRouteOf(twoHopToken);
        assertEq(path.length, 3);
        assertEq(path[0], address(usdt));
        assertEq(path[1], address(weth));
        assertEq(path[2], twoHopToken);
        assertEq(fees[0], 500);
        assertEq(fees[1], 3000);
        uint24[4] memory tiers = [uint24(100), 500, 3000, 10_000];
        for (uint256 i; i < tiers.length; ++i) {
            assertEq(poolOf(address(usdt), twoHopToken, tiers[i]), address(0));
        }
    }

    function test_feedOf_revertsForUnknownToken() public {
        vm.expectRevert(abi.encodeWithSelector(LocalMarket.LocalMarket__UnknownToken.selector, address(0xBEEF)));
        this.feedOf(address(0xBEEF));
    }

    function test_pools_startAtTheFeedPrice() public view {
        for (uint256 i; i < constituents.length; ++i) {
            _assertPoolMatchesFeed(constituents[i]);
        }
    }

    function test_pools_holdTheMintedLiquidity() public view {
        for (uint256 i; i < constituents.length; ++i) {
            (address[] memory path, uint24[] memory fees) = buyRouteOf(constituents[i]);
            address pool = poolOf(path[path.length - 2], path[path.length - 1], fees[fees.length - 1]);
            assertGt(IUniswapV3Pool(pool).liquidity(), 0);
            // Liquidity sits in the pool's balances, not in the fixture.
            assertGt(IERC20(constituents[i]).balanceOf(pool), 0);
        }
    }

    // ----- quotes equal executions -----

    function test_quoteExactInputSingle_equalsExecutedSwap() public {
        uint256 amountIn = 250_000e6; // {USDT}
        IQuoterV2.QuoteExactInputSingleParams memory q = IQuoterV2.QuoteExactInputSingleParams({
            tokenIn: address(usdt), tokenOut: address(weth), amountIn: amountIn, fee: 500, sqrtPriceLimitX96: 0
        });
        (uint256 quoted, uint160 sqrtPriceAfter,,) = IQuoterV2(quoterV2).quoteExactInputSingle(q);

        uint256 received = _buySingle(address(weth), 500, amountIn);

        assertEq(received, quoted);
        (uint160 sqrtPriceNow,,,,,,) = IUniswapV3Pool(poolOf(address(usdt), address(weth), 500)).slot0();
        assertEq(sqrtPriceNow, sqrtPriceAfter);
    }

    function test_quoteExactInput_twoHopEqualsExecutedExactInput() public {
        uint256 amountIn = 100_000e6; // {USDT}
        bytes memory path = abi.encodePacked(address(usdt), uint24(500), address(weth), uint24(3000), twoHopToken);
        (uint256 quoted,,,) = IQuoterV2(quoterV2).quoteExactInput(path, amountIn);

        mintTo(address(usdt), alice, amountIn);
        vm.prank(alice);
        uint256 received = ISwapRouter(swapRouter)
            .exactInput(
                ISwapRouter.ExactInputParams({
                path: path, recipient: alice, deadline: block.timestamp, amountIn: amountIn, amountOutMinimum: quoted
            })
            );

        assertEq(received, quoted);
        assertEq(IERC20(twoHopToken).balanceOf(alice), received);
        assertEq(usdt.balanceOf(alice), 0);
        // ~$100k of YFI at $7000, less two fees and a little price impact.
        _assertWorthAtLeast(twoHopToken, received, 100_000, 9900);
    }

    function test_exactInput_twoHopSellRouteReturnsUsdt() public {
        uint256 amountIn = 10e18; // {YFI} ~ $70k
        mintTo(twoHopToken, alice, amountIn);
        bytes memory path = abi.encodePacked(twoHopToken, uint24(3000), address(weth), uint24(500), address(usdt));
        (uint256 quoted,,,) = IQuoterV2(quoterV2).quoteExactInput(path, amountIn);
        vm.prank(alice);
        uint256 received = ISwapRouter(swapRouter)
            .exactInput(
                ISwapRouter.ExactInputParams({
                path: path, recipient: alice, deadline: block.timestamp, amountIn: amountIn, amountOutMinimum: 0
            })
            );
        assertEq(received, quoted);
        assertEq(usdt.balanceOf(alice), received);
        assertGe(received, 69_000e6);
        assertLe(received, 70_000e6);
    }

    // ----- depth -----

    function test_depth_oneMillionUsdOfWethSlipsLessThan35Bps() public {
        // Measured: ~21 bps (5 bps fee + impact).
        uint256 received = _buySingle(address(weth), 500, 1_000_000e6);
        _assertWorthAtLeast(address(weth), received, 1_000_000, 9965);
    }

    function test_depth_oneMillionUsdOfWbtcSlipsLessThan60Bps() public {
        // Measured: ~46 bps (30 bps fee + impact).
        uint256 received = _buySingle(constituents[1], 3000, 1_000_000e6);
        _assertWorthAtLeast(constituents[1], received, 1_000_000, 9940);
    }

    function test_depth_hundredThousandUsdOfNormalTokensSlipsLessThan80Bps() public {
        // Measured: ~60 bps (30 bps fee + impact); $1M costs ~3.2 % in these pools.
        for (uint256 i = 2; i < 10; ++i) {
            uint256 received = _buySingle(constituents[i], 3000, 100_000e6);
            _assertWorthAtLeast(constituents[i], received, 100_000, 9920);
        }
    }

    function test_thinPool_movesFarMoreThanDeepPoolForTheSameTrade() public {
        uint256 amountIn = 10_000e6; // {USDT}
        address thinPool = poolOf(address(usdt), thinToken, 10_000);
        address deepPool = poolOf(address(usdt), address(weth), 500);
        uint256 thinBefore = _poolPriceUsd8(thinToken);
        uint256 deepBefore = _poolPriceUsd8(address(weth));

        _buySingle(thinToken, 10_000, amountIn);
        _buySingle(address(weth), 500, amountIn);

        uint256 thinMoveBps = (_poolPriceUsd8(thinToken) - thinBefore) * 10_000 / thinBefore;
        uint256 deepMoveBps = (_poolPriceUsd8(address(weth)) - deepBefore) * 10_000 / deepBefore;
        assertGe(thinMoveBps, 2000, "thin pool: $10k should move price >= 20%");
        assertLe(deepMoveBps, 1, "deep pool: $10k should move price <= 0.01%");
        assertLt(IUniswapV3Pool(thinPool).liquidity() * 100, IUniswapV3Pool(deepPool).liquidity());
    }

    // ----- helpers -----

    function _buySingle(address tokenOut, uint24 fee, uint256 usdtIn) internal returns (uint256 received) {
        mintTo(address(usdt), alice, usdtIn);
        vm.prank(alice);
        received = ISwapRouter(swapRouter)
            .exactInputSingle(
                ISwapRouter.ExactInputSingleParams({
                tokenIn: address(usdt),
                tokenOut: tokenOut,
                fee: fee,
                recipient: alice,
                deadline: block.timestamp,
                amountIn: usdtIn,
                amountOutMinimum: 0,
                sqrtPriceLimitX96: 0
            })
            );
    }

    /// @dev Asserts `amount` {tok} is worth at least `minBps` of `usd` whole USD at the (pre-trade) feed price.
    function _assertWorthAtLeast(address token, uint256 amount, uint256 usd, uint256 minBps) internal view {
        uint256 valueUsd8 = amount * priceOf(token) / 10 ** IERC20Metadata(token).decimals(); // D8{USD}
        assertGe(valueUsd8 * 10_000, usd * 1e8 * minBps, string.concat("too much slippage on ", symbolOf(token)));
        assertLe(valueUsd8, usd * 1e8, "received more than paid");
    }

    function _assertPoolMatchesFeed(address token) internal view {
        assertApproxEqRel(_poolPriceUsd8(token), priceOf(token), 1e15, symbolOf(token)); // 0.1 %
    }

    function _indexOf(address token) internal view returns (uint256) {
        for (uint256 i; i < constituents.length; ++i) {
            if (constituents[i] == token) return i;
        }
        revert("not a constituent");
    }
}
