// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {DriftLib} from "../../contracts/libraries/DriftLib.sol";
import {OracleLib} from "../../contracts/libraries/OracleLib.sol";

/// @notice The vectors in test/vectors/math.json, which the TypeScript client's pure maths also runs
///         (sdk/client/math.vectors.test.ts): the two implementations of drift and valuation cannot drift apart.
contract SharedVectorsTest is Test {
    using stdJson for string;

    string internal constant VECTORS = "test/vectors/math.json";
    uint8 internal constant USDT_DECIMALS = 6;

    string internal json;

    function setUp() public {
        json = vm.readFile(VECTORS);
    }

    function test_drift_matchesTheSharedVectors() public view {
        uint256 count = _count(".drift");
        assertGe(count, 5, "vectors present");
        for (uint256 i; i < count; ++i) {
            string memory at = string.concat(".drift[", vm.toString(i), "]");
            string memory name = json.readString(string.concat(at, ".name"));
            DriftLib.DriftReport memory r = DriftLib.drift(
                _uints(json.readStringArray(string.concat(at, ".values"))),
                json.readUintArray(string.concat(at, ".targetsBps")),
                vm.parseUint(json.readString(string.concat(at, ".idle")))
            );
            assertEq(r.maxDeviationBps, vm.parseUint(json.readString(string.concat(at, ".maxBps"))), name);
            assertEq(r.sumDeviationBps, vm.parseUint(json.readString(string.concat(at, ".sumBps"))), name);
        }
    }

    function test_valuation_matchesTheSharedVectors() public view {
        uint256 count = _count(".valuation");
        assertGe(count, 3, "vectors present");
        for (uint256 i; i < count; ++i) {
            string memory at = string.concat(".valuation[", vm.toString(i), "]");
            uint256 value = OracleLib.toUsdt(
                vm.parseUint(json.readString(string.concat(at, ".amount"))),
                vm.parseUint(json.readString(string.concat(at, ".priceD18"))),
                uint8(json.readUint(string.concat(at, ".decimals"))),
                vm.parseUint(json.readString(string.concat(at, ".usdtPriceD18"))),
                USDT_DECIMALS,
                Math.Rounding.Floor
            );
            assertEq(
                value,
                vm.parseUint(json.readString(string.concat(at, ".valueUsdtDown"))),
                json.readString(string.concat(at, ".name"))
            );
        }
    }

    function _count(string memory key) internal view returns (uint256 n) {
        while (vm.keyExistsJson(json, string.concat(key, "[", vm.toString(n), "]"))) ++n;
    }

    function _uints(string[] memory decimals) internal pure returns (uint256[] memory out) {
        out = new uint256[](decimals.length);
        for (uint256 i; i < decimals.length; ++i) {
            out[i] = vm.parseUint(decimals[i]);
        }
    }
}
