// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";

import {AttackBase} from "./AttackBase.sol";

/// @notice Degenerate inputs an attacker (or a buggy integrator) sends: expired deadlines held back by a block
///         builder, zero amounts that would mint or burn for nothing, zero addresses that would burn value, and
///         someone else's shares as `owner`.
contract InputValidationAttackTest is AttackBase {
    IndexVault internal vault;
    uint256 internal aliceShares;

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        aliceShares = _deposit(vault, alice, 10_000e6);
        _fundUsdt(vault, alice, 10_000e6);
    }

    /// Attack: a builder holds a signed deposit until prices moved against the user, then includes it.
    function test_expiredDeadline_depositAndRedeemRevert() public {
        uint256 deadline = block.timestamp;
        vm.warp(block.timestamp + 1);
        _refreshFeeds();
        vm.startPrank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVault__DeadlineExpired.selector, deadline, block.timestamp)
        );
        vault.deposit(10_000e6, alice, 0, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVault.IndexVault__DeadlineExpired.selector, deadline, block.timestamp)
        );
        vault.redeem(aliceShares, alice, alice, 0, deadline);
        // At the deadline itself both pass.
        vault.deposit(10_000e6, alice, 0, block.timestamp);
        vault.redeem(aliceShares, alice, alice, 0, block.timestamp);
        vm.stopPrank();
    }

    /// Attack: zero amounts on every path (mint something for nothing, emit misleading events, divide by zero).
    function test_zeroAmounts_everyPathReverts() public {
        vm.prank(manager);
        vault.setMinDeposit(0);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__DepositTooSmall.selector, 0, 0));
        vault.deposit(0, alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAmount.selector);
        vault.redeem(0, alice, alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAmount.selector);
        vault.depositInKind(0, alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAmount.selector);
        vault.redeemInKind(0, alice, alice);
        vm.expectRevert(IIndexVault.IndexVault__ExactOutputUnsupported.selector);
        vault.mint(0, alice);
        vm.expectRevert(IIndexVault.IndexVault__ExactOutputUnsupported.selector);
        vault.withdraw(0, alice, alice);
        vm.stopPrank();
    }

    /// Attack: a one-unit deposit (minimum deposit 0) hoping rounding credits more than it brings. Outcome: with a mint
    /// fee, the fee (rounded up) takes the whole unit and the deposit reverts `ZeroShares` instead of absorbing it; without
    /// one, legs of at most one swap dust are not swapped, the unit is kept in USDT and credited at face value, so the
    /// shares minted are worth at most what was paid.
    function test_zeroAmounts_dustDepositMintsNothingForFreeAndNeverMoreThanItBrings() public {
        vm.prank(manager);
        vault.setMinDeposit(0);
        _fundUsdt(vault, attacker, 1);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__ZeroShares.selector, 1));
        vault.deposit(1, attacker);

        vm.prank(manager);
        vault.setMintFee(0);
        uint256 nav = vault.totalAssets();
        uint256 supply = vault.totalSupply();
        uint256 usdtBefore = usdt.balanceOf(address(vault));
        vm.prank(attacker);
        uint256 shares = vault.deposit(1, attacker);
        assertEq(usdt.balanceOf(address(vault)), usdtBefore + 1, "kept in USDT, nothing swapped");
        assertLe(shares, (supply + 1e12) / (nav + 1), "at most one unit's worth of shares");
        assertLe(vault.previewRedeem(shares), 1, "worth at most what was paid");
    }

    /// Attack: zero addresses as receiver (burning shares or assets) and as claim destination.
    function test_zeroAddresses_everyPathReverts() public {
        vm.startPrank(alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.deposit(10_000e6, address(0));
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.redeem(aliceShares, address(0), alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.depositInKind(1e18, address(0));
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.redeemInKind(aliceShares, address(0), alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.claim(address(usdt), address(0));
        vm.stopPrank();
        vm.prank(admin);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.setFeeRecipient(address(0));
    }

    /// Attack: redeem someone else's shares by naming them `owner` (USDT and in kind), including address(0).
    function test_foreignOwner_redeemWithoutAllowanceReverts() public {
        vm.startPrank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, attacker, 0, aliceShares)
        );
        vault.redeem(aliceShares, attacker, alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, attacker, 0, aliceShares)
        );
        vault.redeemInKind(aliceShares, attacker, alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, attacker, 0, 1));
        vault.redeemInKind(1, attacker, address(0));
        vm.stopPrank();
    }

    /// Attack: redeem more shares than owned (hoping for an unchecked subtraction).
    function test_overRedeem_reverts() public {
        vm.startPrank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, aliceShares, aliceShares + 1)
        );
        vault.redeem(aliceShares + 1, alice, alice);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxRedeem.selector, alice, aliceShares + 1, aliceShares)
        );
        vault.redeemInKind(aliceShares + 1, alice, alice);
        vm.stopPrank();
    }
}
