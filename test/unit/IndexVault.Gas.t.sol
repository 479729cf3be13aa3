// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {ConstituentInfo} from "../../contracts/interfaces/IIndexVault.sol";
import {VaultStorageLib} from "../../contracts/libraries/VaultStorageLib.sol";
import {VaultFixture} from "../base/VaultFixture.sol";

/// @notice Gas snapshots (snapshots/IndexVault.json) of a steady-state USDT deposit and redeem at 1, 3, 5 and 10
///         constituents, and of the in-kind paths at 10. Every account and slot the call touches is cooled first
///         (`vm.cool`) and each test runs isolated (every top-level call is a transaction of its own), so the
///         numbers are those of a real transaction's execution (the bench adds the 21,000 intrinsic gas and calldata).
/// @dev The measured deposit is the second one (the vault already holds the basket), the redeem burns half.
contract IndexVaultGasTest is VaultFixture {
    /// forge-config: default.isolate = true
    function test_gas_depositAndRedeem_1() public {
        _measure(1);
    }

    /// forge-config: default.isolate = true
    function test_gas_depositAndRedeem_3() public {
        _measure(3);
    }

    /// forge-config: default.isolate = true
    function test_gas_depositAndRedeem_5() public {
        _measure(5);
    }

    /// forge-config: default.isolate = true
    function test_gas_depositAndRedeem_10() public {
        _measure(10);
    }

    /// forge-config: default.isolate = true
    function test_gas_inKind_10() public {
        IndexVault vault = _createVault(10);
        _deposit(vault, alice, 10_000e6);
        _fundInKind(vault, bob, 1000e18);
        _coolAll(vault);
        vm.prank(bob);
        vault.depositInKind(1000e18, bob);
        vm.snapshotGasLastCall("IndexVault", "depositInKind_10");
        _coolAll(vault);
        vm.prank(bob);
        vault.redeemInKind(500e18, bob, bob);
        vm.snapshotGasLastCall("IndexVault", "redeemInKind_10");
    }

    function _measure(uint256 n) internal {
        IndexVault vault = _createVault(n);
        _deposit(vault, alice, 10_000e6);
        _fundUsdt(vault, bob, 10_000e6);
        _coolAll(vault);
        vm.prank(bob);
        uint256 shares = vault.deposit(10_000e6, bob);
        vm.snapshotGasLastCall("IndexVault", string.concat("deposit_", vm.toString(n)));
        _coolAll(vault);
        vm.prank(bob);
        vault.redeem(shares / 2, bob, bob);
        vm.snapshotGasLastCall("IndexVault", string.concat("redeem_", vm.toString(n)));
    }

    /// @dev Cools the vault, USDT, its feed and every constituent's token, feed, pools and intermediate tokens.
    function _coolAll(IndexVault vault) internal {
        vm.cool(address(vault));
        vm.cool(address(implementation));
        vm.cool(address(configurator));
        vm.cool(address(rebalancer));
        // The constituent table: `Layout.constituentTable`, slot 9 of the vault's namespace.
        vm.cool(address(uint160(uint256(vm.load(address(vault), bytes32(uint256(VaultStorageLib.LOCATION) + 9))))));
        vm.cool(address(usdt));
        vm.cool(address(usdtFeed));
        for (uint256 i; i < vault.constituentCount(); ++i) {
            ConstituentInfo memory c = vault.constituent(i);
            vm.cool(c.feed);
            for (uint256 k; k < c.path.length; ++k) {
                vm.cool(c.path[k]);
            }
            for (uint256 k; k < c.pools.length; ++k) {
                vm.cool(c.pools[k]);
            }
        }
    }
}
