// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script} from "forge-std/Script.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {LocalMarket} from "../test/base/LocalMarket.sol";

/// @title DeployLocalMarket
/// @notice Deploys the Forge fixture's local market (same code: `LocalMarket`) to a running node and writes every
/// address to JSON at `$LOCAL_MARKET_OUT` (default `cache/local-market.json`; must be under ./cache, see foundry.toml).
/// Usage:
///   node_modules/.bin/anvil --port 8545 &
///   forge script script/DeployLocalMarket.s.sol --rpc-url http://127.0.0.1:8545 --broadcast \
///     --private-key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4ff80
/// The broadcaster owns every feed and the PriceMover: move a price later with
///   PriceMover.moveMarket(token, priceUsd8)   (D8{USD/tok}; writes the feed and swaps the token's pools).
/// Feeds are stamped at deployment: call moveMarket (or MockAggregator.setPrice) again before a heartbeat elapses.
contract DeployLocalMarket is Script, LocalMarket {
    string internal constant DEFAULT_OUT = "cache/local-market.json";

    address internal _broadcaster;

    /// @notice Deploys the market with the CLI's key and writes the address book.
    function run() external {
        vm.startBroadcast();
        (, _broadcaster,) = vm.readCallers();
        _deployLocalMarket();
        vm.stopBroadcast();
        _writeAddressBook(vm.envOr("LOCAL_MARKET_OUT", DEFAULT_OUT));
    }

    /// @inheritdoc LocalMarket
    function _liquidityProvider() internal view override returns (address) {
        return _broadcaster;
    }

    function _writeAddressBook(string memory path) internal {
        string memory items = "[";
        for (uint256 i; i < constituents.length; ++i) {
            items = string.concat(items, i == 0 ? "" : ",", _constituentJson(i));
        }
        items = string.concat(items, "]");

        string memory root = "localMarket";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeAddress(root, "owner", _broadcaster);
        vm.serializeAddress(root, "uniswapFactory", uniswapFactory);
        vm.serializeAddress(root, "positionManager", positionManager);
        vm.serializeAddress(root, "swapRouter", swapRouter);
        vm.serializeAddress(root, "quoterV2", quoterV2);
        vm.serializeAddress(root, "usdt", address(usdt));
        vm.serializeAddress(root, "usdtFeed", address(usdtFeed));
        vm.serializeUint(root, "usdtHeartbeat", heartbeatOf(address(usdt)));
        vm.serializeAddress(root, "weth", address(weth));
        vm.serializeAddress(root, "priceMover", address(priceMover));
        vm.serializeAddress(root, "thinToken", thinToken);
        vm.serializeAddress(root, "twoHopToken", twoHopToken);
        string memory json = vm.serializeString(root, "constituents", "");
        vm.writeJson(json, path);
        // `serialize*` cannot nest an array of objects: write it into the file's "constituents" key instead.
        vm.writeJson(items, path, ".constituents");
    }

    function _constituentJson(uint256 index) internal returns (string memory) {
        address token = constituents[index];
        (address[] memory routeTokens, uint24[] memory routeFees) = buyRouteOf(token);
        uint256[] memory fees = new uint256[](routeFees.length);
        address[] memory pools = new address[](routeFees.length);
        for (uint256 h; h < routeFees.length; ++h) {
            fees[h] = routeFees[h];
            pools[h] = poolOf(routeTokens[h], routeTokens[h + 1], routeFees[h]);
        }
        string memory obj = string.concat("constituent", vm.toString(index));
        vm.serializeUint(obj, "index", index);
        vm.serializeString(obj, "symbol", symbolOf(token));
        vm.serializeAddress(obj, "address", token);
        vm.serializeUint(obj, "decimals", IERC20Metadata(token).decimals());
        vm.serializeAddress(obj, "feed", address(feedOf(token)));
        vm.serializeUint(obj, "heartbeat", heartbeatOf(token));
        vm.serializeUint(obj, "priceUsd8", priceOf(token));
        vm.serializeAddress(obj, "buyRouteTokens", routeTokens);
        vm.serializeUint(obj, "buyRouteFees", fees);
        return vm.serializeAddress(obj, "pools", pools);
    }
}
