// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BaseTest} from "../base/BaseTest.sol";

contract FixtureSmokeTest is BaseTest {
    function test_setUp_deploysTwentyConstituents() public view {
        assertEq(constituents.length, 20);
    }
}
