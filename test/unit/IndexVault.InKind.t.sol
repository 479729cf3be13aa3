// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {IndexVaultHarness} from "../harness/IndexVaultHarness.sol";
import {QuirkyToken} from "../mocks/QuirkyToken.sol";

/// @notice `depositInKind`, `redeemInKind` and `claim`: no oracle, no Uniswap, never blocked.
contract IndexVaultInKindTest is VaultFixture {
    IndexVault internal vault;
    uint256 internal aliceShares;

    function setUp() public override {
        super.setUp();
        vault = _createVault(5);
        aliceShares = _deposit(vault, alice, 10_000e6);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // depositInKind
    // ---------------------------------------------------------------------------------------------------------------

    function test_depositInKind_pullsProRataBasketRoundedUp() public {
        uint256 shares = aliceShares / 3;
        uint256 supply = vault.totalSupply();
        uint256[] memory expected = new uint256[](6);
        for (uint256 i; i < 5; ++i) {
            uint256 held = IERC20(constituents[i]).balanceOf(address(vault));
            expected[i] = (held * shares + supply - 1) / supply;
        }
        uint256[] memory funded = _fundInKind(vault, bob, shares);
        vm.prank(bob);
        uint256[] memory pulled = vault.depositInKind(shares, bob);
        for (uint256 i; i < 5; ++i) {
            assertEq(pulled[i], expected[i], "ceil(held x shares / supply)");
            assertEq(funded[i], pulled[i], "preview = pulled");
            assertEq(IERC20(constituents[i]).balanceOf(bob), 0, "all pulled");
        }
        assertEq(pulled[5], 0, "no idle USDT to match");
    }

    function test_depositInKind_mintsSharesLessMintFeeInShares() public {
        uint256 shares = 1000e18;
        _fundInKind(vault, bob, shares);
        uint256 feeBefore = vault.balanceOf(feeRecipient);
        vm.prank(bob);
        vault.depositInKind(shares, bob);
        uint256 feeShares = (shares * MINT_FEE_BPS + 9999) / 10_000;
        assertEq(vault.balanceOf(bob), shares - feeShares);
        assertEq(vault.balanceOf(feeRecipient) - feeBefore, feeShares);
    }

    function test_depositInKind_includesIdleUsdt() public {
        mintTo(address(usdt), address(vault), 500e6);
        uint256[] memory amounts = _fundInKind(vault, bob, aliceShares);
        assertEq(amounts[5], 500e6, "same share of idle USDT as of the basket");
        vm.prank(bob);
        vault.depositInKind(aliceShares, bob);
        assertEq(usdt.balanceOf(address(vault)), 1000e6);
    }

    function test_depositInKind_worksWithStaleOracle() public {
        vm.warp(block.timestamp + 3 days);
        _fundInKind(vault, bob, 100e18);
        vm.prank(bob);
        vault.depositInKind(100e18, bob);
        assertGt(vault.balanceOf(bob), 0);
    }

    function test_depositInKind_emitsDepositedInKind() public {
        uint256[] memory amounts = _fundInKind(vault, bob, 100e18);
        vm.expectEmit(true, true, false, true, address(vault));
        emit IIndexVault.DepositedInKind(bob, bob, 100e18, 0.5e18, amounts);
        vm.prank(bob);
        vault.depositInKind(100e18, bob);
    }

    function test_depositInKind_revertsOnEmptyVault() public {
        IndexVault empty = _createVault(3);
        vm.expectRevert(IIndexVault.IndexVault__EmptyVault.selector);
        vm.prank(bob);
        empty.depositInKind(1e18, bob);
    }

    function test_depositInKind_revertsWhenPaused() public {
        vm.prank(guardian);
        vault.pause(ConstantsLib.PAUSE_DEPOSIT_IN_KIND);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVault__Paused.selector, ConstantsLib.PAUSE_DEPOSIT_IN_KIND)
        );
        vm.prank(bob);
        vault.depositInKind(1e18, bob);
    }

    function test_depositInKind_revertsForZeroSharesOrReceiver() public {
        vm.prank(bob);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAmount.selector);
        vault.depositInKind(0, bob);
        vm.prank(bob);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.depositInKind(1e18, address(0));
    }

    function test_depositInKind_revertsOnTransferShortfall() public {
        (QuirkyToken qrk, IndexVault v) = _quirkyVault();
        uint256 shares = _deposit(v, alice, 1000e6);
        qrk.setFeeBps(100); // a fee appears after listing
        uint256[] memory amounts = _fundInKind(v, bob, shares);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVault.IndexVault__TransferShortfall.selector,
                address(qrk),
                amounts[1],
                amounts[1] - amounts[1] / 100
            )
        );
        v.depositInKind(shares, bob);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // redeemInKind
    // ---------------------------------------------------------------------------------------------------------------

    function test_redeemInKind_paysProRataBasketRoundedDown() public {
        mintTo(address(usdt), address(vault), 100e6); // idle USDT is paid pro-rata too
        uint256 shares = aliceShares / 2;
        uint256 supply = vault.totalSupply();
        uint256 burnt = shares - (shares * BURN_FEE_BPS + 9999) / 10_000;
        uint256[] memory held = new uint256[](6);
        for (uint256 i; i < 5; ++i) {
            held[i] = IERC20(constituents[i]).balanceOf(address(vault));
        }
        held[5] = 100e6;
        uint256[] memory preview = vault.previewRedeemInKind(shares);
        vm.prank(alice);
        uint256[] memory paid = vault.redeemInKind(shares, bob, alice);
        for (uint256 i; i < 6; ++i) {
            assertEq(paid[i], held[i] * burnt / supply, "floor(held x burnt / supply)");
            assertEq(preview[i], paid[i], "preview = paid");
        }
        for (uint256 i; i < 5; ++i) {
            assertEq(IERC20(constituents[i]).balanceOf(bob), paid[i]);
        }
        assertEq(usdt.balanceOf(bob), paid[5]);
    }

    function test_redeemInKind_transfersBurnFeeInShares() public {
        uint256 feeShares = (aliceShares * BURN_FEE_BPS + 9999) / 10_000;
        vm.prank(alice);
        vault.redeemInKind(aliceShares, alice, alice);
        assertEq(vault.balanceOf(feeRecipient), feeShares);
        assertEq(vault.totalSupply(), feeShares);
        assertEq(vault.balanceOf(alice), 0);
    }

    function test_redeemInKind_worksWhilePausedStaleAndRebalancing() public {
        IndexVaultHarness h = _createHarnessVault(3);
        uint256 shares = _deposit(h, alice, 1000e6);
        vm.prank(guardian);
        h.pause(ConstantsLib.PAUSE_ALL);
        h.exposed_setRebalancing(true);
        vm.warp(block.timestamp + 30 days); // every feed stale
        feedOf(constituents[0]).setPrice(-1); // and one broken
        vm.prank(alice);
        uint256[] memory paid = h.redeemInKind(shares, alice, alice);
        for (uint256 i; i < 3; ++i) {
            assertGt(paid[i], 0);
            assertEq(IERC20(constituents[i]).balanceOf(alice), paid[i]);
        }
    }

    function test_redeemInKind_pauseCannotReachIt() public {
        vm.prank(guardian);
        vault.pause(type(uint8).max);
        assertEq(vault.config().pauseFlags, ConstantsLib.PAUSE_ALL, "only the three USDT/in-kind-deposit flags exist");
        vm.prank(alice);
        vault.redeemInKind(aliceShares, alice, alice);
        assertEq(vault.balanceOf(alice), 0);
    }

    function test_redeemInKind_byApprovedSpender() public {
        vm.prank(alice);
        vault.approve(bob, aliceShares);
        vm.prank(bob);
        vault.redeemInKind(aliceShares, bob, alice);
        assertEq(vault.balanceOf(alice), 0);
        assertGt(IERC20(constituents[0]).balanceOf(bob), 0);
    }

    function test_redeemInKind_revertsWithoutAllowance() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, 1e18));
        vault.redeemInKind(1e18, bob, alice);
    }

    function test_redeemInKind_revertsWhenSharesExceedTheOwnersBalance() public {
        uint256 held = vault.balanceOf(alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxRedeem.selector, alice, held + 1, held));
        vault.redeemInKind(held + 1, alice, alice);
    }

    function test_redeemInKind_revertsForZeroSharesOrReceiver() public {
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAmount.selector);
        vault.redeemInKind(0, alice, alice);
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.redeemInKind(1e18, address(0), alice);
    }

    function test_redeemInKind_emitsRedeemedInKind() public {
        uint256[] memory preview = vault.previewRedeemInKind(aliceShares);
        vm.expectEmit(true, true, true, true, address(vault));
        emit IIndexVault.RedeemedInKind(
            alice, alice, alice, aliceShares, (aliceShares * BURN_FEE_BPS + 9999) / 10_000, preview
        );
        vm.prank(alice);
        vault.redeemInKind(aliceShares, alice, alice);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A token that refuses the receiver: deferred, then claimed
    // ---------------------------------------------------------------------------------------------------------------

    function test_redeemInKind_defersATokenThatRefusesTheReceiver() public {
        (QuirkyToken qrk, IndexVault v) = _quirkyVault();
        uint256 shares = _deposit(v, alice, 1000e6);
        uint256 held = qrk.balanceOf(address(v));
        qrk.setBlocked(alice, true);

        vm.expectEmit(true, true, false, false, address(v));
        emit IIndexVault.TransferDeferred(alice, address(qrk), 0);
        vm.prank(alice);
        uint256[] memory owed = v.redeemInKind(shares, alice, alice);

        assertGt(IERC20(constituents[0]).balanceOf(alice), 0, "the other token was paid");
        assertEq(qrk.balanceOf(alice), 0);
        assertEq(v.claimable(alice, address(qrk)), owed[1]);
        assertEq(v.totalClaimable(address(qrk)), owed[1]);
        assertEq(qrk.balanceOf(address(v)), held, "kept in the vault");

        // The claimant sends it elsewhere.
        vm.prank(alice);
        uint256 claimed = v.claim(address(qrk), bob);
        assertEq(claimed, owed[1]);
        assertEq(qrk.balanceOf(bob), owed[1]);
        assertEq(v.claimable(alice, address(qrk)), 0);
        assertEq(v.totalClaimable(address(qrk)), 0);
    }

    function test_redeemInKind_deferredAmountsAreNotInTheBasket() public {
        (QuirkyToken qrk, IndexVault v) = _quirkyVault();
        uint256 aliceSh = _deposit(v, alice, 1000e6);
        uint256 bobSh = _deposit(v, bob, 1000e6);
        qrk.setPaused(true); // every transfer of QRK fails
        vm.prank(alice);
        uint256[] memory owed = v.redeemInKind(aliceSh, alice, alice);
        qrk.setPaused(false);

        // Bob's pro-rata share counts only what is held for holders, not Alice's deferred QRK.
        uint256[] memory bobPreview = v.previewRedeemInKind(bobSh);
        uint256 heldForHolders = qrk.balanceOf(address(v)) - owed[1];
        uint256 supply = v.totalSupply();
        uint256 burnt = bobSh - (bobSh * BURN_FEE_BPS + 9999) / 10_000;
        assertEq(bobPreview[1], heldForHolders * burnt / supply);
        // And NAV excludes it.
        (,, uint256 nav) = v.basket();
        assertEq(nav, v.totalAssets());
        vm.prank(alice);
        v.claim(address(qrk), alice);
        assertEq(qrk.balanceOf(alice), owed[1]);
    }

    function test_claim_revertsWhenNothingIsOwed() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__NothingToClaim.selector, bob, constituents[0]));
        vault.claim(constituents[0], bob);
    }

    function test_claim_revertsForZeroRecipient() public {
        vm.prank(bob);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.claim(constituents[0], address(0));
    }

    /// @dev A 2-constituent vault: WETH 50 % and a QuirkyToken (18 decimals, $10, $1M pool) 50 %.
    function _quirkyVault() internal returns (QuirkyToken qrk, IndexVault v) {
        MockAggregator feed;
        (qrk, feed) = _listQuirkyToken(18, 10e8, 1_000_000);
        ConstituentParams[] memory list = new ConstituentParams[](2);
        address[] memory tokens = new address[](1);
        tokens[0] = constituents[0];
        uint16[] memory weights = new uint16[](1);
        weights[0] = 5000;
        list[0] = _constituentParams(tokens, weights)[0];
        list[1] = _quirkyParams(qrk, feed, 5000);
        v = _createVault(_vaultParams(), list);
    }
}
