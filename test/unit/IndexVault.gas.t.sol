// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {ConstituentInfo} from "../../contracts/interfaces/IIndexVault.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {VaultSlots} from "../base/VaultSlots.sol";

/// @notice Gas snapshots (snapshots/IndexVault.json) of a steady-state USDT deposit and redeem at 1, 3, 5 and 10
///         constituents, and of the in-kind paths at 10. Every account and slot the call touches is cooled first
///         (`vm.cool`) and each test runs isolated (every top-level call is a transaction of its own), so the
///         numbers are those of a real transaction's execution (the bench adds the 21,000 intrinsic gas and calldata).
///         Before measuring, every pool on every route has been traded both ways (`_tradeEveryPoolBothWays`): a live
///         mainnet pool has been bought from and sold into, so its fee-growth counters of both tokens are already
///         non-zero; a pool no one ever sold into would charge the vault's first sale the zero-to-non-zero write of
///         a counter (~17,100 gas per pool) that no mainnet user pays.
///         `npm test` fails when a number here moves (`FORGE_SNAPSHOT_CHECK=true` in `npm run test:forge`); after a
///         deliberate change, re-record with `npm run snapshots` and commit the JSON.
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
        _tradeEveryPoolBothWays(vault);
        uint256[] memory amounts = _fundInKind(vault, bob, 1000e18);
        _coolAll(vault);
        vm.prank(bob);
        vault.depositInKind(1000e18, bob);
        vm.snapshotGasLastCall("IndexVault", "depositInKind_10");
        assertEq(
            vault.balanceOf(bob),
            1000e18 - 1000e18 * uint256(MINT_FEE_BPS) / 10_000,
            "in-kind: shares asked less mint fee"
        );
        _coolAll(vault);
        vm.prank(bob);
        uint256[] memory out = vault.redeemInKind(500e18, bob, bob);
        vm.snapshotGasLastCall("IndexVault", "redeemInKind_10");
        for (uint256 i; i < 10; ++i) {
            // Half the shares back: at most half of what went in (rounding favours the vault), less the burn fee.
            assertLe(out[i], amounts[i] / 2, "in kind: no more than pro-rata");
            assertGt(out[i], 0, "in kind: every constituent paid");
        }
    }

    /// @dev `maxDeposit` / `maxRedeem` as an ERC-4626 router calls them on-chain before depositing (every feed checked).
    /// forge-config: default.isolate = true
    function test_gas_maxDepositAndMaxRedeem_10() public {
        IndexVault vault = _createVault(10);
        _deposit(vault, alice, 10_000e6);
        _coolAll(vault);
        uint256 maxDeposit = vault.maxDeposit(bob);
        vm.snapshotGasLastCall("IndexVault", "maxDeposit_10");
        assertEq(maxDeposit, type(uint256).max, "open");
        uint256 held = vault.balanceOf(alice);
        _coolAll(vault);
        uint256 maxRedeem = vault.maxRedeem(alice);
        vm.snapshotGasLastCall("IndexVault", "maxRedeem_10");
        assertEq(maxRedeem, held, "open: the balance");
    }

    function _measure(uint256 n) internal {
        IndexVault vault = _createVault(n);
        _deposit(vault, alice, 10_000e6);
        _tradeEveryPoolBothWays(vault);
        _fundUsdt(vault, bob, 10_000e6);
        uint256 preview = vault.previewDeposit(10_000e6);
        _coolAll(vault);
        vm.prank(bob);
        uint256 shares = vault.deposit(10_000e6, bob);
        vm.snapshotGasLastCall("IndexVault", string.concat("deposit_", vm.toString(n)));
        assertGe(shares, preview, "deposit minted at least its preview");
        uint256 previewOut = vault.previewRedeem(shares / 2);
        _coolAll(vault);
        vm.prank(bob);
        uint256 assets = vault.redeem(shares / 2, bob, bob);
        vm.snapshotGasLastCall("IndexVault", string.concat("redeem_", vm.toString(n)));
        assertGe(assets, previewOut, "redeem paid at least its preview");
        assertEq(usdt.balanceOf(bob), assets, "redeem paid in USDT");
    }

    /// @dev Every pool on every constituent's route is traded both ways (price nudged up 0.1 % then back by the
    ///      fixture's arbitrageur), so both of its fee-growth counters are non-zero, as on any live mainnet pool.
    function _tradeEveryPoolBothWays(IndexVault vault) internal {
        for (uint256 i; i < vault.constituentCount(); ++i) {
            address[] memory path = vault.constituent(i).path;
            for (uint256 k = 1; k < path.length; ++k) {
                uint256 price = priceOf(path[k]);
                setMarketPrice(path[k], price * 1001 / 1000);
                setMarketPrice(path[k], price);
            }
        }
    }

    /// @dev Cools the vault, USDT, its feed and every constituent's token, feed, pools and intermediate tokens.
    function _coolAll(IndexVault vault) internal {
        vm.cool(address(vault));
        vm.cool(address(implementation));
        vm.cool(address(configurator));
        vm.cool(address(rebalancer));
        // The constituent table: `Layout.constituentTable` in the vault's namespace.
        vm.cool(address(uint160(uint256(vm.load(address(vault), VaultSlots.constituentTable())))));
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
