// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {FeeLibHarness} from "../harness/FeeLibHarness.sol";

/// @notice Streaming management fee (exact annual rate, no oracle), mint and burn fees.
contract IndexVaultFeesTest is VaultFixture {
    IndexVault internal vault;
    FeeLibHarness internal feeLib = new FeeLibHarness();
    uint256 internal aliceShares;

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        aliceShares = _deposit(vault, alice, 10_000e6);
    }

    function test_continuousRate_isMinusLnOfOneMinusFee() public view {
        // −ln(0.99) = 0.010050335853501441…; −ln(0.95) = 0.051293294387550533…
        assertApproxEqAbs(feeLib.continuousRate(100), 10_050_335_853_501_441, 10);
        assertApproxEqAbs(feeLib.continuousRate(500), 51_293_294_387_550_533, 10);
        assertEq(feeLib.continuousRate(0), 0);
    }

    function test_expm1_matchesKnownValues() public view {
        // e − 1 = 1.718281828459045235…; e^0.5 − 1 = 0.648721270700128146…
        assertApproxEqAbs(feeLib.expm1(1e18), 1_718_281_828_459_045_235, 20);
        assertApproxEqAbs(feeLib.expm1(0.5e18), 648_721_270_700_128_146, 20);
        assertEq(feeLib.expm1(0), 0);
    }

    function test_managementFeeShares_zeroForNoSupplyRateOrTime() public view {
        assertEq(feeLib.managementFeeShares(0, 1e16, 365 days), 0);
        assertEq(feeLib.managementFeeShares(1e18, 0, 365 days), 0);
        assertEq(feeLib.managementFeeShares(1e18, 1e16, 0), 0);
    }

    function test_accrueManagementFee_oneYearTakesExactlyTheAnnualRate() public {
        vm.warp(block.timestamp + 365 days);
        uint256 minted = vault.accrueManagementFee();
        uint256 supply = vault.totalSupply();
        assertEq(vault.balanceOf(feeRecipient), minted);
        // Holders keep exactly 99 % of the supply.
        assertApproxEqRel(aliceShares * 1e18 / supply, 0.99e18, 1e6, "holders keep 1 - fee");
    }

    function test_accrueManagementFee_isIndependentOfAccrualFrequency() public {
        IndexVault other = _createVault(3);
        _deposit(other, alice, 10_000e6);
        uint256 start = block.timestamp;
        for (uint256 m = 1; m <= 12; ++m) {
            vm.warp(start + m * 365 days / 12);
            vault.accrueManagementFee();
        }
        other.accrueManagementFee();
        assertApproxEqRel(
            vault.balanceOf(feeRecipient) * 1e18 / vault.totalSupply(),
            other.balanceOf(feeRecipient) * 1e18 / other.totalSupply(),
            1e6,
            "monthly == yearly"
        );
    }

    function test_accrueManagementFee_needsNoOracleAndEmits() public {
        vm.warp(block.timestamp + 30 days); // every feed stale
        uint256 pending = vault.pendingManagementFeeShares();
        assertGt(pending, 0);
        vm.expectEmit(address(vault));
        emit IIndexVault.ManagementFeeAccrued(feeRecipient, pending, 30 days);
        assertEq(vault.accrueManagementFee(), pending);
        assertEq(vault.pendingManagementFeeShares(), 0);
        assertEq(vault.config().lastFeeAccrual, block.timestamp);
    }

    function test_accrueManagementFee_onEmptyVaultOnlyMovesTheClock() public {
        IndexVault empty = _createVault(1);
        vm.warp(block.timestamp + 100 days);
        assertEq(empty.accrueManagementFee(), 0);
        assertEq(empty.config().lastFeeAccrual, block.timestamp);
    }

    function test_setManagementFee_accruesAtTheOldRateFirst() public {
        vm.warp(block.timestamp + 365 days);
        uint256 pending = vault.pendingManagementFeeShares();
        vm.expectEmit(address(vault));
        emit IIndexVault.ManagementFeeSet(MANAGEMENT_FEE_BPS, 0);
        vm.prank(manager);
        vault.setManagementFee(0);
        assertEq(vault.balanceOf(feeRecipient), pending);
        vm.warp(block.timestamp + 365 days);
        assertEq(vault.pendingManagementFeeShares(), 0, "fee is now zero");
    }

    function test_setFeeRecipient_accruesToTheOldRecipient() public {
        vm.warp(block.timestamp + 100 days);
        uint256 pending = vault.pendingManagementFeeShares();
        vm.prank(admin);
        vault.setFeeRecipient(bob);
        assertEq(vault.balanceOf(feeRecipient), pending);
        assertEq(vault.balanceOf(bob), 0);
    }

    function test_deposit_accruesManagementFeeBeforePricingShares() public {
        vm.warp(block.timestamp + 180 days);
        _refreshFeeds();
        uint256 pending = vault.pendingManagementFeeShares();
        uint256 preview = vault.previewDeposit(1000e6);
        uint256 shares = _deposit(vault, bob, 1000e6);
        assertEq(vault.balanceOf(feeRecipient), pending);
        assertGe(shares, preview, "preview counts pending fee shares");
    }

    function test_redeem_accruesManagementFeeFirst() public {
        vm.warp(block.timestamp + 180 days);
        _refreshFeeds();
        uint256 preview = vault.previewRedeem(aliceShares);
        vm.prank(alice);
        uint256 assets = vault.redeem(aliceShares, alice, alice);
        assertGt(vault.balanceOf(feeRecipient), 0);
        assertGe(assets, preview);
    }

    function test_mintAndBurnFees_zeroFeesPayNothing() public {
        vm.startPrank(manager);
        vault.setMintFee(0);
        vault.setBurnFee(0);
        vm.stopPrank();
        uint256 before = usdt.balanceOf(feeRecipient);
        uint256 shares = _deposit(vault, bob, 1000e6);
        vm.prank(bob);
        vault.redeem(shares, bob, bob);
        assertEq(usdt.balanceOf(feeRecipient), before);
    }
}
