// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {LocalMarket} from "./LocalMarket.sol";

/// @title BaseTest
/// @notice The one shared Forge fixture: deploys the local market (real Uniswap V3, mock USDT/WETH/tokens, feeds,
/// liquid pools) in `setUp` and labels every address so traces read as "WETH/USDT 500 pool", "LINK / USD feed", ...
/// Tests inherit it and extend `setUp` with `super.setUp()`.
abstract contract BaseTest is Test, LocalMarket {
    /// @notice Deploys the local market and labels its addresses.
    function setUp() public virtual {
        _deployLocalMarket();
        _labelLocalMarket();
    }

    function _labelLocalMarket() internal {
        vm.label(uniswapFactory, "UniswapV3Factory");
        vm.label(positionManager, "NonfungiblePositionManager");
        vm.label(swapRouter, "SwapRouter");
        vm.label(quoterV2, "QuoterV2");
        vm.label(address(priceMover), "PriceMover");
        vm.label(address(usdt), "USDT");
        vm.label(address(usdtFeed), "USDT / USD feed");
        for (uint256 i; i < constituents.length; ++i) {
            address token = constituents[i];
            string memory symbol = symbolOf(token);
            vm.label(token, symbol);
            vm.label(address(feedOf(token)), string.concat(symbol, " / USD feed"));
            (address[] memory path, uint24[] memory fees) = buyRouteOf(token);
            for (uint256 h; h < fees.length; ++h) {
                vm.label(
                    poolOf(path[h], path[h + 1], fees[h]),
                    string.concat(symbolOf(path[h + 1]), "/", symbolOf(path[h]), " ", vm.toString(fees[h]), " pool")
                );
            }
        }
    }
}
