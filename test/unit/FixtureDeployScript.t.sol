// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {DeployLocalMarket} from "../../script/DeployLocalMarket.s.sol";

/// @notice The deploy script (what TypeScript runs against anvil) deploys the same market as the fixture and its
/// JSON address book names every contract correctly.
contract FixtureDeployScriptTest is Test {
    function test_run_writesAnAddressBookOfDeployedContracts() public {
        string memory path = string.concat("cache/local-market.fixture-test-", vm.toString(vm.unixTime()), ".json");
        vm.setEnv("LOCAL_MARKET_OUT", path);
        DeployLocalMarket script = new DeployLocalMarket();
        script.run();
        string memory json = vm.readFile(path);
        vm.removeFile(path);

        assertEq(vm.parseJsonUint(json, ".chainId"), block.chainid);
        _assertDeployed(json, ".uniswapFactory", script.uniswapFactory());
        _assertDeployed(json, ".positionManager", script.positionManager());
        _assertDeployed(json, ".swapRouter", script.swapRouter());
        _assertDeployed(json, ".quoterV2", script.quoterV2());
        _assertDeployed(json, ".usdt", address(script.usdt()));
        _assertDeployed(json, ".usdtFeed", address(script.usdtFeed()));
        _assertDeployed(json, ".weth", address(script.weth()));
        _assertDeployed(json, ".priceMover", address(script.priceMover()));
        assertEq(vm.parseJsonAddress(json, ".thinToken"), script.thinToken());
        assertEq(vm.parseJsonAddress(json, ".twoHopToken"), script.twoHopToken());
        assertEq(vm.parseJsonUint(json, ".usdtHeartbeat"), 86_400);
        // The broadcaster owns the PriceMover, so it can call moveMarket later.
        assertEq(vm.parseJsonAddress(json, ".owner"), script.priceMover().owner());

        uint256 count = script.constituentCount();
        assertEq(count, 20);
        for (uint256 i; i < count; ++i) {
            string memory key = string.concat(".constituents[", vm.toString(i), "]");
            address token = script.constituents(i);
            assertEq(vm.parseJsonUint(json, string.concat(key, ".index")), i);
            _assertDeployed(json, string.concat(key, ".address"), token);
            _assertDeployed(json, string.concat(key, ".feed"), address(script.feedOf(token)));
            assertEq(vm.parseJsonString(json, string.concat(key, ".symbol")), script.symbolOf(token));
            assertEq(vm.parseJsonUint(json, string.concat(key, ".heartbeat")), script.heartbeatOf(token));
            assertEq(vm.parseJsonUint(json, string.concat(key, ".priceUsd8")), script.priceOf(token));

            (address[] memory path_, uint24[] memory fees) = script.buyRouteOf(token);
            address[] memory jsonPath = vm.parseJsonAddressArray(json, string.concat(key, ".buyRouteTokens"));
            uint256[] memory jsonFees = vm.parseJsonUintArray(json, string.concat(key, ".buyRouteFees"));
            address[] memory jsonPools = vm.parseJsonAddressArray(json, string.concat(key, ".pools"));
            assertEq(jsonPath, path_);
            assertEq(jsonFees.length, fees.length);
            assertEq(jsonPools.length, fees.length);
            for (uint256 h; h < fees.length; ++h) {
                assertEq(jsonFees[h], fees[h]);
                assertEq(jsonPools[h], script.poolOf(path_[h], path_[h + 1], fees[h]));
                assertGt(jsonPools[h].code.length, 0);
            }
        }
        assertEq(vm.parseJsonUint(json, ".constituents[1].decimals"), 8);
    }

    function _assertDeployed(string memory json, string memory key, address expected) internal view {
        address actual = vm.parseJsonAddress(json, key);
        assertEq(actual, expected, key);
        assertGt(actual.code.length, 0, key);
    }
}
