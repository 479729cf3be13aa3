// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";

import {AttackBase} from "./AttackBase.sol";

/// @notice Dust extraction (Balancer 2025 style): many tiny operations, each rounding a unit the attacker's way,
///         add up. Defence: in-kind amounts are pulled rounded UP and paid rounded DOWN, fees rounded up, deposits
///         priced against NAV rounded up: every rounding favours the vault, so repetition only loses.
/// @dev Fees are zero here (worst case: fees would hide a rounding leak).
contract DustAttackTest is AttackBase {
    IndexVault internal vault;

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        _deposit(vault, alice, 100_000e6);
        vm.startPrank(manager);
        vault.setMintFee(0);
        vault.setBurnFee(0);
        vault.setManagementFee(0);
        vault.setMinDeposit(0);
        vm.stopPrank();
    }

    /// @dev The attacker's holdings of every basket token and USDT.
    function _holdings() internal view returns (uint256[] memory h) {
        h = new uint256[](4);
        for (uint256 i; i < 3; ++i) {
            h[i] = IERC20(constituents[i]).balanceOf(attacker);
        }
        h[3] = usdt.balanceOf(attacker);
    }

    /// Attack: 200 in-kind round trips of a tiny share amount, each hoping the payout rounds up. Outcome: every trip
    /// completes and leaves the attacker with no more of ANY token than before it (token by token, not just in value).
    /// @dev Funded for 200 trips that each pull the basket (rounded up) and pay nothing back, with one unit of margin
    ///      per token and trip (the per-share basket grows by the rounding the vault keeps). 16 runs × 200 asserted
    ///      trips (3,200 round trips, ~9 s) keep CI time sane.
    /// forge-config: default.fuzz.runs = 16
    function testFuzz_dust_tinyInKindRoundTrips_neverGainAnyToken(uint256 shares) public {
        shares = bound(shares, 1, 1e14); // up to 1e-4 share
        uint256[] memory pull = vault.previewDepositInKind(shares);
        for (uint256 i; i < 4; ++i) {
            mintTo(i == 3 ? address(usdt) : constituents[i], attacker, (pull[i] + 1) * 200);
        }
        vm.startPrank(attacker);
        for (uint256 i; i < 3; ++i) {
            IERC20(constituents[i]).approve(address(vault), type(uint256).max);
        }
        usdt.approve(address(vault), type(uint256).max);
        for (uint256 k; k < 200; ++k) {
            uint256[] memory before = _holdings();
            uint256[] memory pulled = vault.depositInKind(shares, attacker);
            assertEq(vault.balanceOf(attacker), shares, "trip: shares minted");
            uint256[] memory paid = vault.redeemInKind(shares, attacker, attacker);
            assertEq(vault.balanceOf(attacker), 0, "trip: shares burnt");
            uint256[] memory after_ = _holdings();
            for (uint256 i; i < 4; ++i) {
                assertLe(paid[i], pulled[i], "trip: paid no more than pulled");
                assertLe(after_[i], before[i], "trip: no token gained");
            }
        }
        vm.stopPrank();
    }

    /// Attack: redeem one share unit at a time: each payout rounds down, so the attacker's 1,000 tiny redemptions
    /// pay no more than one redemption of the same total.
    function test_dust_manyTinyRedeemsInKind_payNoMoreThanOne() public {
        uint256 shares = _deposit(vault, attacker, 1000e6);
        uint256 unit = shares / 1_000_000; // many small slices
        uint256 snap = vm.snapshotState();
        vm.startPrank(attacker);
        uint256[] memory once = vault.redeemInKind(unit * 1000, attacker, attacker);
        vm.stopPrank();
        vm.revertToState(snap);
        uint256[] memory sum = new uint256[](4);
        vm.startPrank(attacker);
        for (uint256 k; k < 1000; ++k) {
            uint256[] memory out = vault.redeemInKind(unit, attacker, attacker);
            for (uint256 i; i < 4; ++i) {
                sum[i] += out[i];
            }
        }
        vm.stopPrank();
        for (uint256 i; i < 4; ++i) {
            assertLe(sum[i], once[i], "slicing never pays more");
        }
    }

    /// Attack: many minimum-size USDT deposits then one redeem, hoping per-deposit rounding adds up in the attacker's
    /// favour. Outcome: the attacker gets back less USDT than it put in.
    function test_dust_manySmallUsdtDeposits_neverProfit() public {
        uint256 total;
        for (uint256 k; k < 30; ++k) {
            _deposit(vault, attacker, 1e6);
            total += 1e6;
        }
        uint256 shares = vault.balanceOf(attacker);
        vm.prank(attacker);
        uint256 out = vault.redeem(shares, attacker, attacker);
        assertLt(out, total, "no profit from repetition");
    }

    /// Attack: tiny in-kind deposits whose pro-rata amounts round to zero for some token (mint shares without paying
    /// that token). Outcome: amounts are rounded up, so every non-empty token costs at least one unit.
    function test_dust_tinyInKindDepositPaysAtLeastOneUnitOfEachToken() public {
        uint256[] memory amounts = vault.previewDepositInKind(1);
        for (uint256 i; i < 3; ++i) {
            assertGe(amounts[i], 1, "rounded up to a whole unit");
        }
    }
}
