// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IQuoterV2} from "@uniswap/v3-periphery/contracts/interfaces/IQuoterV2.sol";

import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {PriceMover} from "../../contracts/mocks/PriceMover.sol";
import {BaseTest} from "../base/BaseTest.sol";

/// @notice `setMarketPrice` / `PriceMover.moveMarket` leave every pool on the token's route at the feed price.
contract FixturePriceMoverTest is BaseTest {
    uint256 internal constant TOLERANCE = 1e15; // D18{1} 0.1 %

    // ----- up and down, per kind of token -----

    function test_setMarketPrice_movesWethPoolsBothWays() public {
        _assertMovesBothWays(address(weth));
    }

    function test_setMarketPrice_movesWbtcPoolBothWays() public {
        _assertMovesBothWays(constituents[1]);
    }

    function test_setMarketPrice_movesEighteenDecimalTokenBothWays() public {
        _assertMovesBothWays(constituents[2]);
    }

    function test_setMarketPrice_movesThinTokenBothWays() public {
        _assertMovesBothWays(thinToken);
    }

    function test_setMarketPrice_movesTwoHopTokenBothWays() public {
        _assertMovesBothWays(twoHopToken);
    }

    function test_setMarketPrice_wethMoveKeepsTwoHopTokenUsdPrice() public {
        uint256 yfiUsd8 = priceOf(twoHopToken);
        setMarketPrice(address(weth), 2400e8);
        assertEq(priceOf(twoHopToken), yfiUsd8, "feed untouched");
        assertApproxEqRel(_poolPriceUsd8(twoHopToken), yfiUsd8, TOLERANCE, "USDT->WETH->YFI spot");
        setMarketPrice(address(weth), 3900e8);
        assertApproxEqRel(_poolPriceUsd8(twoHopToken), yfiUsd8, TOLERANCE, "USDT->WETH->YFI spot");
    }

    function test_setMarketPrice_farOutsideTheConcentratedRange() public {
        for (uint256 i; i < constituents.length; ++i) {
            address token = constituents[i];
            uint256 start = priceOf(token);
            setMarketPrice(token, start * 5);
            assertApproxEqRel(_poolPriceUsd8(token), start * 5, TOLERANCE, symbolOf(token));
            setMarketPrice(token, start / 10);
            assertApproxEqRel(_poolPriceUsd8(token), start / 10, TOLERANCE, symbolOf(token));
        }
    }

    function testFuzz_setMarketPrice_poolMatchesFeed(uint256 index, uint256 factorBps) public {
        address token = constituents[bound(index, 0, constituents.length - 1)];
        factorBps = bound(factorBps, 1000, 100_000); // x0.1 .. x10
        uint256 target = priceOf(token) * factorBps / 10_000;
        setMarketPrice(token, target);
        assertEq(priceOf(token), target);
        assertApproxEqRel(_poolPriceUsd8(token), target, TOLERANCE);
    }

    function test_setMarketPrice_usdtMovesEveryUsdtPool() public {
        setMarketPrice(address(usdt), 0.98e8);
        for (uint256 i; i < constituents.length; ++i) {
            address token = constituents[i];
            assertApproxEqRel(_poolPriceUsd8(token), priceOf(token), TOLERANCE, symbolOf(token));
        }
    }

    function test_setMarketPrice_startsNewFeedRoundAtBlockTimestamp() public {
        vm.warp(block.timestamp + 1 days);
        MockAggregator feed = feedOf(address(weth));
        (uint80 roundBefore,,,,) = feed.latestRoundData();
        setMarketPrice(address(weth), 3100e8);
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
            feed.latestRoundData();
        assertEq(roundId, roundBefore + 1);
        assertEq(answer, 3100e8);
        assertEq(startedAt, block.timestamp);
        assertEq(updatedAt, block.timestamp);
        assertEq(answeredInRound, roundId);
    }

    function test_setMarketPrice_poolStopsExactlyAtTheTarget() public {
        address pool = poolOf(address(usdt), constituents[1], 3000);
        setMarketPrice(constituents[1], 61_234.5678e8);
        (uint160 sqrtPriceX96,,,,,,) = IUniswapV3Pool(pool).slot0();
        assertEq(sqrtPriceX96, priceMover.targetSqrtPriceX96(pool));
    }

    function test_setMarketPrice_quotesFollowTheNewPrice() public {
        setMarketPrice(address(weth), 3300e8);
        IQuoterV2.QuoteExactInputSingleParams memory q = IQuoterV2.QuoteExactInputSingleParams({
            tokenIn: address(usdt), tokenOut: address(weth), amountIn: 3300e6, fee: 500, sqrtPriceLimitX96: 0
        });
        (uint256 out,,,) = IQuoterV2(quoterV2).quoteExactInputSingle(q);
        assertApproxEqRel(out, 1e18, 1e15); // 1 WETH less the 0.05 % fee
        assertLt(out, 1e18);
    }

    function test_setMarketPrice_samePriceIsANoOp() public {
        address pool = poolOf(address(usdt), address(weth), 500);
        (uint160 before,,,,,,) = IUniswapV3Pool(pool).slot0();
        setMarketPrice(address(weth), priceOf(address(weth)));
        (uint160 afterMove,,,,,,) = IUniswapV3Pool(pool).slot0();
        assertEq(afterMove, before);
    }

    // ----- access and guards -----

    function test_moveMarket_revertsForNonOwner() public {
        address mallory = makeAddr("mallory");
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, mallory));
        vm.prank(mallory);
        priceMover.moveMarket(address(weth), 1e8);
    }

    function test_moveMarket_revertsForUnknownTokenAndZeroPrice() public {
        vm.expectRevert(abi.encodeWithSelector(PriceMover.PriceMover__UnknownToken.selector, address(0xBEEF)));
        priceMover.moveMarket(address(0xBEEF), 1e8);
        vm.expectRevert(abi.encodeWithSelector(PriceMover.PriceMover__InvalidPrice.selector, 0));
        priceMover.moveMarket(address(weth), 0);
    }

    function test_uniswapV3SwapCallback_revertsOutsideAMove() public {
        // Even a genuine pool cannot make PriceMover pay when PriceMover did not call it.
        address pool = poolOf(address(usdt), address(weth), 500);
        vm.expectRevert(abi.encodeWithSelector(PriceMover.PriceMover__UnexpectedCallback.selector, pool, address(0)));
        vm.prank(pool);
        priceMover.uniswapV3SwapCallback(1e18, 0, "");
    }

    function test_registerPool_revertsWhenRegisteredTwice() public {
        address pool = poolOf(address(usdt), address(weth), 500);
        vm.expectRevert(abi.encodeWithSelector(PriceMover.PriceMover__PoolAlreadyRegistered.selector, pool));
        priceMover.registerPool(pool);
    }

    function test_feeds_acceptPriceMoverAndOwnerOnly() public {
        MockAggregator feed = feedOf(constituents[3]);
        assertTrue(feed.isUpdater(address(priceMover)));
        assertEq(feed.owner(), address(this));
        address mallory = makeAddr("mallory");
        vm.expectRevert(abi.encodeWithSelector(MockAggregator.MockAggregator__NotUpdater.selector, mallory));
        vm.prank(mallory);
        feed.setPrice(1);
    }

    // ----- maths -----

    function test_sqrtPriceX96FromPrices_equalPricesAndDecimalsGiveOne() public view {
        assertEq(priceMover.sqrtPriceX96FromPrices(5e8, 18, 5e8, 18), 1 << 96);
    }

    function test_sqrtPriceX96FromPrices_handlesDecimalsBothWays() public view {
        // token0 = 18-dec at $3000, token1 = 6-dec at $1: price = 3000e6 / 1e18 = 3e-9 {tok1 raw / tok0 raw}.
        uint256 sqrtP = priceMover.sqrtPriceX96FromPrices(3000e8, 18, 1e8, 6);
        assertApproxEqRel(sqrtP * sqrtP / 1e9, (uint256(3) << 192) / 1e18, 1e9); // 1e-9 relative
        // token0 = 6-dec at $1, token1 = 8-dec at $60,000: price = 1e8 / (60000 * 1e6) = 1/600.
        sqrtP = priceMover.sqrtPriceX96FromPrices(1e8, 6, 60_000e8, 8);
        assertApproxEqRel(sqrtP * sqrtP, (uint256(1) << 192) / 600, 1e9);
    }

    function test_sqrtPriceX96FromPrices_largeRatioUsesTheWideBranch() public view {
        // price = 1e26 >= 2^64: sqrt = 1e13 exactly.
        assertApproxEqRel(priceMover.sqrtPriceX96FromPrices(1e8, 0, 1, 18), 1e13 * (uint256(1) << 96), 1e9);
    }

    function test_sqrtPriceX96FromPrices_revertsOutsideUniswapRange() public {
        // price = 1e-39 {tok1 raw / tok0 raw}: sqrtPriceX96 ~ 2.5e9 < MIN_SQRT_RATIO.
        vm.expectPartialRevert(PriceMover.PriceMover__TargetOutOfRange.selector);
        priceMover.sqrtPriceX96FromPrices(1, 18, 1e21, 0);
        // price = 1e60: sqrtPriceX96 would exceed 2^160.
        vm.expectRevert(abi.encodeWithSelector(PriceMover.PriceMover__TargetOutOfRange.selector, type(uint256).max));
        priceMover.sqrtPriceX96FromPrices(1e30, 0, 1, 30);
        vm.expectRevert(abi.encodeWithSelector(PriceMover.PriceMover__InvalidPrice.selector, 0));
        priceMover.sqrtPriceX96FromPrices(0, 18, 1, 18);
    }

    // ----- helpers -----

    function _assertMovesBothWays(address token) internal {
        uint256 start = priceOf(token);
        uint256 up = start * 125 / 100;
        setMarketPrice(token, up);
        assertEq(priceOf(token), up, "feed after up");
        assertApproxEqRel(_poolPriceUsd8(token), up, TOLERANCE, "pool after up");
        _assertEveryPoolMatchesItsFeed();

        uint256 down = start * 70 / 100;
        setMarketPrice(token, down);
        assertEq(priceOf(token), down, "feed after down");
        assertApproxEqRel(_poolPriceUsd8(token), down, TOLERANCE, "pool after down");
        _assertEveryPoolMatchesItsFeed();
    }

    function _assertEveryPoolMatchesItsFeed() internal view {
        for (uint256 i; i < constituents.length; ++i) {
            address token = constituents[i];
            assertApproxEqRel(_poolPriceUsd8(token), priceOf(token), TOLERANCE, symbolOf(token));
        }
    }
}
