// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {IndexVaultHarness} from "../harness/IndexVaultHarness.sol";

/// @notice `redeem` (all three overloads) on the real Uniswap V3 fixture.
contract IndexVaultRedeemTest is VaultFixture {
    IndexVault internal vault;
    uint256 internal aliceShares;

    function setUp() public override {
        super.setUp();
        vault = _createVault(10);
        aliceShares = _deposit(vault, alice, 10_000e6);
    }

    function test_redeem_roundTripReturnsAtMostDepositLessFees() public {
        vm.prank(alice);
        uint256 assets = vault.redeem(aliceShares, alice, alice);
        assertEq(usdt.balanceOf(alice), assets);
        // At constant prices: deposit − mint fee − burn fee − swap costs, never more.
        uint256 afterMintFee = 10_000e6 - 50e6;
        uint256 ceiling = afterMintFee - afterMintFee * BURN_FEE_BPS / 10_000;
        assertLt(assets, ceiling, "fees and swap costs are paid");
        assertGt(assets, 10_000e6 * 98 / 100, "swap costs stay below 1 %");
        assertEq(vault.totalSupply(), 0);
    }

    function test_redeem_sellsProRataAndLeavesTheRest() public {
        uint256 half = aliceShares / 2;
        uint256[] memory before = new uint256[](10);
        for (uint256 i; i < 10; ++i) {
            before[i] = IERC20(constituents[i]).balanceOf(address(vault));
        }
        vm.prank(alice);
        vault.redeem(half, alice, alice);
        for (uint256 i; i < 10; ++i) {
            uint256 sold = before[i] * half / aliceShares;
            assertEq(IERC20(constituents[i]).balanceOf(address(vault)), before[i] - sold, "pro-rata, rounded down");
        }
        assertEq(usdt.balanceOf(address(vault)), 0, "every USDT paid out");
    }

    function test_redeem_paysBurnFeeToFeeRecipient() public {
        uint256 feeBefore = usdt.balanceOf(feeRecipient);
        vm.prank(alice);
        uint256 assets = vault.redeem(aliceShares, alice, alice);
        uint256 burnFee = usdt.balanceOf(feeRecipient) - feeBefore;
        uint256 proceeds = assets + burnFee;
        assertEq(burnFee, (proceeds * BURN_FEE_BPS + 9999) / 10_000, "ceil(proceeds * 0.5 %)");
    }

    function test_redeem_paysAtLeastThePreview() public {
        uint256 preview = vault.previewRedeem(aliceShares / 3);
        vm.prank(alice);
        uint256 assets = vault.redeem(aliceShares / 3, alice, alice);
        assertLe(preview, assets, "preview is a floor");
        assertGe(preview, assets * 9850 / 10_000, "and a tight one");
    }

    function test_redeem_includesProRataIdleUsdt() public {
        mintTo(address(usdt), address(vault), 1000e6); // donated: part of NAV
        uint256 supply = vault.totalSupply();
        uint256 idleShare = 1000e6 * (aliceShares / 2) / supply;
        uint256 preview = vault.previewRedeem(aliceShares / 2);
        vm.prank(alice);
        uint256 assets = vault.redeem(aliceShares / 2, alice, alice);
        assertGe(assets, preview);
        assertApproxEqAbs(usdt.balanceOf(address(vault)), 1000e6 - idleShare, 1, "idle USDT left pro-rata");
    }

    function test_redeem_byApprovedSpender() public {
        vm.prank(alice);
        vault.approve(bob, aliceShares);
        vm.prank(bob);
        uint256 assets = vault.redeem(aliceShares, bob, alice);
        assertEq(usdt.balanceOf(bob), assets);
        assertEq(vault.allowance(alice, bob), 0);
        assertEq(vault.balanceOf(alice), 0);
    }

    function test_redeem_emitsWithdrawAndRedeemed() public {
        vm.expectEmit(true, true, true, false, address(vault));
        emit IERC4626.Withdraw(alice, alice, alice, 0, aliceShares);
        vm.expectEmit(true, true, true, false, address(vault));
        emit IIndexVault.Redeemed(alice, alice, alice, aliceShares, 0, 0, 0);
        vm.prank(alice);
        vault.redeem(aliceShares, alice, alice);
    }

    function test_redeem_withMinAssetsAndDeadline() public {
        uint256 preview = vault.previewRedeem(aliceShares / 2);
        vm.startPrank(alice);
        uint256 a = vault.redeem(aliceShares / 2, alice, alice, preview);
        uint256 b = vault.redeem(aliceShares / 4, alice, alice, 0, block.timestamp);
        vm.stopPrank();
        assertGe(a, preview);
        assertGt(b, 0);
    }

    function test_redeem_sellsTwoHopConstituent() public {
        address[] memory tokens = new address[](2);
        tokens[0] = constituents[1];
        tokens[1] = twoHopToken;
        IndexVault v = _createVault(_vaultParams(), _constituentParams(tokens, _equalWeights(2)));
        uint256 shares = _deposit(v, alice, 5000e6);
        uint256 preview = v.previewRedeem(shares);
        vm.prank(alice);
        uint256 assets = v.redeem(shares, alice, alice);
        assertGe(assets, preview);
        assertEq(IERC20(address(weth)).balanceOf(address(v)), 0, "no intermediate WETH left");
        assertEq(IERC20(twoHopToken).balanceOf(address(v)), 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reverts
    // ---------------------------------------------------------------------------------------------------------------

    function test_redeem_revertsForZeroShares() public {
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAmount.selector);
        vault.redeem(0, alice, alice);
    }

    function test_redeem_revertsForZeroReceiver() public {
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.redeem(aliceShares, address(0), alice);
    }

    function test_redeem_revertsAboveBalance() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1));
        vault.redeem(1, bob, bob);
    }

    function test_redeem_revertsWithoutAllowance() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, aliceShares));
        vault.redeem(aliceShares, bob, alice);
    }

    function test_redeem_revertsBelowMinAssets() public {
        uint256 preview = vault.previewRedeem(aliceShares);
        vm.prank(alice);
        vm.expectPartialRevert(IIndexVault.IndexVault__InsufficientAssets.selector);
        vault.redeem(aliceShares, alice, alice, preview * 2);
    }

    function test_redeem_revertsAfterDeadline() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVault.IndexVault__DeadlineExpired.selector, block.timestamp - 1, block.timestamp
            )
        );
        vault.redeem(aliceShares, alice, alice, 0, block.timestamp - 1);
    }

    function test_redeem_revertsWhenPaused() public {
        vm.prank(guardian);
        vault.pause(ConstantsLib.PAUSE_REDEEM);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__Paused.selector, ConstantsLib.PAUSE_REDEEM));
        vault.redeem(aliceShares, alice, alice);
    }

    function test_redeem_revertsWhileRebalancing() public {
        IndexVaultHarness h = _createHarnessVault(3);
        uint256 shares = _deposit(h, alice, 1000e6);
        h.exposed_setRebalancing(true);
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        h.redeem(shares, alice, alice);
    }

    function test_redeem_revertsOnInvalidPrice() public {
        feedOf(constituents[3]).setPrice(0);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(feedOf(constituents[3])), 0)
        );
        vault.redeem(aliceShares, alice, alice);
    }

    function test_redeem_revertsWhenAPoolPaysLessThanChainlinkLessSlippage() public {
        // Chainlink says AAVE is worth 5 % more than the pool pays for it.
        address aave = constituents[4];
        feedOf(aave).setPrice(int256(priceOf(aave) * 105 / 100));
        vm.prank(alice);
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        vault.redeem(aliceShares, alice, alice);
    }
}
