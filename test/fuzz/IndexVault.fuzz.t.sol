// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {ConstituentParams, ConstituentState} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {QuirkyToken} from "../mocks/QuirkyToken.sol";

/// @notice Fuzz over amounts, weights and token decimals (6, 8, 18) on the real Uniswap V3 fixture: previews are
///         floors, round trips never profit, the basket follows its weights.
contract IndexVaultFuzzTest is VaultFixture {
    IndexVault internal vault;

    function setUp() public override {
        super.setUp();
        vault = _createVault(5);
        _deposit(vault, alice, 20_000e6);
    }

    function testFuzz_deposit_mintsAtLeastThePreview(uint256 assets) public {
        assets = bound(assets, MIN_DEPOSIT, 50_000e6);
        uint256 preview = vault.previewDeposit(assets);
        uint256 shares = _deposit(vault, bob, assets);
        assertLe(preview, shares);
    }

    function testFuzz_redeem_paysAtLeastThePreview(uint256 assets, uint256 fractionBps) public {
        assets = bound(assets, MIN_DEPOSIT, 50_000e6);
        fractionBps = bound(fractionBps, 1, 10_000);
        uint256 shares = _deposit(vault, bob, assets) * fractionBps / 10_000;
        vm.assume(shares > 0);
        uint256 preview = vault.previewRedeem(shares);
        vm.prank(bob);
        uint256 paid = vault.redeem(shares, bob, bob);
        assertLe(preview, paid);
    }

    function testFuzz_roundTrip_returnsAtMostTheDepositLessFees(uint256 assets) public {
        assets = bound(assets, MIN_DEPOSIT, 50_000e6);
        uint256 shares = _deposit(vault, bob, assets);
        vm.prank(bob);
        uint256 out = vault.redeem(shares, bob, bob);
        uint256 afterFees = (assets - (assets * MINT_FEE_BPS + 9999) / 10_000) * (10_000 - BURN_FEE_BPS) / 10_000;
        assertLe(out, afterFees, "never more than deposit less fees");
        assertGe(out, afterFees * 98 / 100, "swap costs stay below 2 %");
    }

    function testFuzz_inKind_roundTripNeverProfits(uint256 shares) public {
        shares = bound(shares, 1, vault.totalSupply() * 3);
        uint256[] memory paidIn = _fundInKind(vault, bob, shares);
        vm.prank(bob);
        vault.depositInKind(shares, bob);
        uint256 received = vault.balanceOf(bob);
        vm.assume(received > 0);
        vm.prank(bob);
        uint256[] memory paidOut = vault.redeemInKind(received, bob, bob);
        for (uint256 i; i < paidIn.length; ++i) {
            assertLe(paidOut[i], paidIn[i], "rounding and fees favour the vault");
        }
    }

    function testFuzz_deposit_followsTargetWeights(uint256 w0, uint256 w1, uint256 assets) public {
        w0 = bound(w0, 1, 9998);
        w1 = bound(w1, 1, 9999 - w0);
        assets = bound(assets, 100e6, 30_000e6);
        uint16[] memory weights = new uint16[](3);
        weights[0] = uint16(w0);
        weights[1] = uint16(w1);
        weights[2] = uint16(10_000 - w0 - w1);
        IndexVault v = _createVault(_vaultParams(), _constituentParams(_firstTokens(3), weights));
        uint256 preview = v.previewDeposit(assets);
        assertLe(preview, _deposit(v, alice, assets));
        (ConstituentState[] memory states,, uint256 nav) = v.basket();
        for (uint256 i; i < 3; ++i) {
            // Each leg loses between 0 and ~1 % to fees and impact, so the weight moves by at most ~1 % of itself.
            assertApproxEqAbs(states[i].currentWeightBps, weights[i], uint256(weights[i]) / 50 + 2, "weight");
        }
        assertGt(nav, 0);
    }

    function testFuzz_decimals_depositRedeemAndInKind(uint256 decimalsChoice, uint256 priceUsd8, uint256 assets)
        public
    {
        uint8 decimals = [uint8(6), 8, 18][bound(decimalsChoice, 0, 2)];
        priceUsd8 = bound(priceUsd8, 0.01e8, 100_000e8);
        assets = bound(assets, MIN_DEPOSIT, 10_000e6);
        (QuirkyToken qrk, MockAggregator feed) = _listQuirkyToken(decimals, priceUsd8, 10_000_000);
        ConstituentParams[] memory list = new ConstituentParams[](2);
        list[0] = _constituentParams(_firstTokens(1), _equalWeights(1))[0];
        list[0].targetWeightBps = 4000;
        list[1] = _quirkyParams(qrk, feed, 6000);
        IndexVault v = _createVault(_vaultParams(), list);

        uint256 preview = v.previewDeposit(assets);
        uint256 shares = _deposit(v, alice, assets);
        assertLe(preview, shares, "preview deposit");
        (ConstituentState[] memory states,, uint256 nav) = v.basket();
        assertApproxEqAbs(states[1].currentWeightBps, 6000, 120, "weight of the fuzzed-decimals token");
        assertApproxEqRel(nav, assets * 995 / 1000, 0.01e18, "NAV is the net deposit less swap costs");

        uint256 half = shares / 2;
        uint256[] memory inKind = v.previewRedeemInKind(half);
        vm.prank(alice);
        v.redeemInKind(half, alice, alice);
        assertEq(qrk.balanceOf(alice), inKind[1]);

        uint256 rest = v.balanceOf(alice);
        uint256 previewOut = v.previewRedeem(rest);
        vm.prank(alice);
        assertLe(previewOut, v.redeem(rest, alice, alice), "preview redeem");
        assertEq(IERC20(address(qrk)).balanceOf(address(v)) > 0, true, "fee shares still own a slice");
    }

    function testFuzz_managementFee_exactAtAnyFrequency(uint256 steps) public {
        steps = bound(steps, 1, 24);
        uint256 start = block.timestamp;
        for (uint256 k = 1; k <= steps; ++k) {
            vm.warp(start + k * 365 days / steps);
            vault.accrueManagementFee();
        }
        vm.warp(start + 365 days);
        vault.accrueManagementFee();
        uint256 holders = vault.totalSupply() - vault.balanceOf(feeRecipient);
        assertApproxEqRel(holders * 1e18 / vault.totalSupply(), 0.99e18, 1e6, "holders keep exactly 99 %");
    }
}
