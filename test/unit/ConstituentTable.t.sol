// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentParams, ConstituentState} from "../../contracts/interfaces/IIndexVault.sol";
import {ConstituentTableLib} from "../../contracts/libraries/ConstituentTableLib.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";
import {VaultSlots} from "../base/VaultSlots.sol";

/// @notice The constituent table (ConstituentTableLib) is what the USDT paths read instead of storage, so it must
///         equal the constituents' storage slots after every change of the constituent list: initialization, a new
///         feed, a new route, a composition change (targets, an added constituent) and the drop of a sold-down one.
contract ConstituentTableTest is RebalanceBase {
    function setUp() public override {
        super.setUp();
        depositAmount = 500_000e6;
        _setUpVault(4);
    }

    function _table(address v) internal view returns (address) {
        return address(uint160(uint256(vm.load(v, VaultSlots.constituentTable()))));
    }

    /// @dev The table's code must be STOP followed by every constituent's 7 storage slots, in order.
    function _assertTableMatchesStorage(address v) internal view {
        uint256 n = uint256(vm.load(v, VaultSlots.constituents()));
        assertEq(n, IndexVault(v).constituentCount(), "slot layout");
        bytes memory expected = new bytes(1);
        uint256 first = uint256(keccak256(abi.encode(VaultSlots.constituents())));
        for (uint256 k; k < n * ConstituentTableLib.SLOTS; ++k) {
            expected = bytes.concat(expected, vm.load(v, bytes32(first + k)));
        }
        assertEq(_table(v).code, expected, "table = storage");
    }

    function test_initialize_publishesTheTable() public view {
        _assertTableMatchesStorage(address(vault));
        bytes memory code = _table(address(vault)).code;
        assertEq(code.length, 1 + 4 * ConstituentTableLib.SLOTS * 32);
        // Word 0 of constituent 2 unpacks to its token and target; word 1 is its feed.
        uint256 w0;
        uint256 w1;
        assembly {
            w0 := mload(add(code, add(33, mul(14, 32))))
            w1 := mload(add(code, add(33, mul(15, 32))))
        }
        assertEq(address(uint160(w0)), vault.constituent(2).token);
        assertEq(uint16(w0 >> 160), vault.constituent(2).targetWeightBps);
        assertEq(address(uint160(w1)), vault.constituent(2).feed);
    }

    function test_initialize_emitsThePublication() public {
        vm.recordLogs();
        IndexVault v = _createVault(3);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(v) || logs[i].topics[0] != IIndexVault.ConstituentTablePublished.selector) {
                continue;
            }
            (address table, uint256 count) = abi.decode(logs[i].data, (address, uint256));
            assertEq(table, _table(address(v)));
            assertEq(count, 3);
            seen = true;
        }
        assertTrue(seen, "ConstituentTablePublished");
    }

    function test_setConstituentFeed_republishesAndPricesWithTheNewFeed() public {
        address before = _table(address(vault));
        uint256 navBefore = vault.totalAssets();
        (ConstituentState[] memory states,,) = vault.basket();
        uint256 value0 = states[0].value;
        // Same asset, a feed answering twice the price: constituent 0's value doubles in the NAV.
        address token = vault.constituent(0).token;
        (, int256 answer,,,) = feedOf(token).latestRoundData();
        MockAggregator doubled = new MockAggregator(8, "x2", answer * 2);
        bytes memory change = abi.encodeCall(IIndexVault.setConstituentFeed, (0, address(doubled), 3600));
        _proposeConfig(vault, change);
        _waitConfigDelay(vault);
        doubled.setPrice(answer * 2);
        _executeConfig(vault, change);
        assertTrue(_table(address(vault)) != before, "new table");
        _assertTableMatchesStorage(address(vault));
        assertApproxEqAbs(vault.totalAssets(), navBefore + value0, 4);
    }

    function test_setConstituentRoute_republishes() public {
        ConstituentParams[] memory list = new ConstituentParams[](1);
        address[] memory tokens = new address[](1);
        tokens[0] = twoHopToken;
        list = _constituentParams(tokens, _equalWeights(1));
        IndexVault v = _createVault(_vaultParams(), list);
        _assertTableMatchesStorage(address(v));
        address before = _table(address(v));
        (address[] memory path, uint24[] memory fees) = buyRouteOf(twoHopToken);
        _setDelayed(v, abi.encodeCall(IIndexVault.setConstituentRoute, (0, path, fees)));
        assertTrue(_table(address(v)) != before, "new table");
        _assertTableMatchesStorage(address(v));
        // The two-hop route read from the table works both ways.
        uint256 shares = _deposit(v, alice, 10_000e6);
        vm.prank(alice);
        assertGt(v.redeem(shares, alice, alice), 0);
    }

    function test_composition_addAndRemove_republish() public {
        uint16[] memory t = new uint16[](5);
        (t[0], t[1], t[2], t[3], t[4]) = (2000, 2000, 2000, 2000, 2000);
        address token = constituents[4];
        (address[] memory path, uint24[] memory fees) = buyRouteOf(token);
        _proposeAdd(ConstituentParams(token, 2000, address(feedOf(token)), heartbeatOf(token), path, fees), t);
        _warp(DELAY);
        vm.recordLogs();
        composer.executeProposal();
        assertEq(_publications(vm.getRecordedLogs()), 1, "one publication for the append, its feed, route and targets");
        _assertTableMatchesStorage(address(vault));
        assertEq(_table(address(vault)).code.length, 1 + 5 * ConstituentTableLib.SLOTS * 32);
        _rebalanceAs(keeper);

        // Remove constituent 1: targets first, then the rebalance sells it down and drops it.
        (t[0], t[1], t[2], t[3], t[4]) = (2500, 0, 2500, 2500, 2500);
        vm.prank(manager);
        composer.proposeTargets(t);
        _warp(DELAY);
        composer.executeProposal();
        _assertTableMatchesStorage(address(vault));
        _rebalanceAs(keeper);
        assertEq(vault.constituentCount(), 4, "dropped");
        _assertTableMatchesStorage(address(vault));

        // USDT paths keep working on the republished table.
        uint256 shares = _deposit(vault, alice, 10_000e6);
        vm.prank(alice);
        assertGt(vault.redeem(shares, alice, alice), 0);
    }

    function _publications(Vm.Log[] memory logs) internal view returns (uint256 count) {
        for (uint256 i; i < logs.length; ++i) {
            if (
                logs[i].emitter == address(vault) && logs[i].topics[0] == IIndexVault.ConstituentTablePublished.selector
            ) {
                ++count;
            }
        }
    }

    function test_setConstituentFeed_afterAComposition_stillRepublishes() public {
        // The deferral of a composition change ends with it: a later configuration change publishes as usual.
        uint16[] memory t = new uint16[](4);
        (t[0], t[1], t[2], t[3]) = (4000, 2000, 2000, 2000);
        vm.prank(manager);
        composer.proposeTargets(t);
        _warp(DELAY);
        composer.executeProposal();
        address before = _table(address(vault));
        address token = vault.constituent(0).token;
        _setDelayed(vault, abi.encodeCall(IIndexVault.setConstituentFeed, (0, address(feedOf(token)), 7200)));
        assertTrue(_table(address(vault)) != before, "new table");
        _assertTableMatchesStorage(address(vault));
    }

    function test_table_isInertCode() public {
        (bool ok, bytes memory ret) = _table(address(vault)).call(abi.encodeWithSignature("anything()"));
        assertTrue(ok);
        assertEq(ret.length, 0);
    }
}
