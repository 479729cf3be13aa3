// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";

import {VaultFixture} from "../base/VaultFixture.sol";
import {INonfungiblePositionManagerMinimal} from "../base/INonfungiblePositionManagerMinimal.sol";

/// @title AttackBase
/// @notice Helpers shared by the named attack tests: an attacker trading directly on the local Uniswap V3 market,
///         listing an arbitrary (attacker-built) token with a feed and a USDT pool, and oracle valuation of holdings.
abstract contract AttackBase is VaultFixture {
    address internal attacker = makeAddr("attacker");
    address internal victim = makeAddr("victim");

    // ---------------------------------------------------------------------------------------------------------------
    // Trading as the attacker
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev `who` swaps exactly `amountIn` of `tokenIn` for `tokenOut` along the single pool of tier `fee`
    ///      (funded by minting). Returns the output.
    function _swap(address who, address tokenIn, address tokenOut, uint24 fee, uint256 amountIn)
        internal
        returns (uint256 amountOut)
    {
        _mintAny(tokenIn, who, amountIn);
        vm.startPrank(who);
        if (tokenIn == address(usdt)) {
            usdt.approve(swapRouter, 0);
            usdt.approve(swapRouter, amountIn);
        } else {
            IERC20(tokenIn).approve(swapRouter, amountIn);
        }
        amountOut = ISwapRouter(swapRouter)
            .exactInputSingle(
                ISwapRouter.ExactInputSingleParams({
                tokenIn: tokenIn,
                tokenOut: tokenOut,
                fee: fee,
                recipient: who,
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: 0,
                sqrtPriceLimitX96: 0
            })
            );
        vm.stopPrank();
    }

    /// @dev Fee tier of a constituent's single-hop USDT pool.
    function _usdtFee(address token) internal view returns (uint24) {
        (address[] memory path, uint24[] memory fees) = buyRouteOf(token);
        require(path.length == 2, "single hop only");
        return fees[0];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Valuation
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev {USDT units} Oracle value of `amount` of a market token (or USDT at its feed), rounded down.
    function _oracleValue(address token, uint256 amount) internal view returns (uint256) {
        uint256 decimals = token == address(usdt) ? 6 : MockERC20(token).decimals();
        return amount * priceOf(token) * 1e6 / (10 ** decimals * priceOf(address(usdt)));
    }

    /// @dev {USDT units} Oracle value of an in-kind amounts array (constituents in order, then USDT).
    function _basketValue(IndexVault vault, uint256[] memory amounts) internal view returns (uint256 value) {
        uint256 n = amounts.length - 1;
        for (uint256 i; i < n; ++i) {
            value += _oracleValue(vault.constituent(i).token, amounts[i]);
        }
        value += amounts[n];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Listing an arbitrary token
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Gives `token` (which must have `mint(address,uint256)`) an 8-decimal USD feed at `priceUsd8` and a 0.3 %
    ///      USDT pool with full-range liquidity worth `usdPerSide` USD on each side.
    function _listMintable(address token, uint256 priceUsd8, uint256 usdPerSide)
        internal
        returns (MockAggregator feed)
    {
        feed = new MockAggregator(8, "TOKEN / USD", SafeCast.toInt256(priceUsd8));
        (address token0, address token1) = token < address(usdt) ? (token, address(usdt)) : (address(usdt), token);
        (uint256 price0, uint256 price1) = token0 == token ? (priceUsd8, uint256(1e8)) : (uint256(1e8), priceUsd8);
        uint160 sqrtPriceX96 = priceMover.sqrtPriceX96FromPrices(
            price0, MockERC20(token0).decimals(), price1, MockERC20(token1).decimals()
        );
        INonfungiblePositionManagerMinimal(positionManager)
            .createAndInitializePoolIfNecessary(token0, token1, 3000, sqrtPriceX96);
        uint256 amountToken = usdPerSide * 1e8 * 10 ** MockERC20(token).decimals() / priceUsd8;
        _mintFullRange(token, amountToken, usdPerSide * 1e6);
    }

    /// @dev Adds full-range liquidity of `amountToken` and `amountUsdt` to the token's 0.3 % USDT pool.
    function _mintFullRange(address token, uint256 amountToken, uint256 amountUsdt) internal {
        MockERC20(token).mint(address(this), amountToken);
        usdt.mint(address(this), amountUsdt);
        IERC20(token).approve(positionManager, type(uint256).max);
        usdt.approve(positionManager, 0);
        usdt.approve(positionManager, type(uint256).max);
        bool tokenIs0 = token < address(usdt);
        int24 full = 887_220; // MAX_TICK rounded down to the 0.3 % tier's spacing (60)
        INonfungiblePositionManagerMinimal(positionManager)
            .mint(
                INonfungiblePositionManagerMinimal.MintParams({
                token0: tokenIs0 ? token : address(usdt),
                token1: tokenIs0 ? address(usdt) : token,
                fee: 3000,
                tickLower: -full,
                tickUpper: full,
                amount0Desired: tokenIs0 ? amountToken : amountUsdt,
                amount1Desired: tokenIs0 ? amountUsdt : amountToken,
                amount0Min: 0,
                amount1Min: 0,
                recipient: address(this),
                deadline: block.timestamp
            })
            );
    }
}
