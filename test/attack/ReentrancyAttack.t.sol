// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {AttackBase} from "./AttackBase.sol";
import {HookToken} from "../mocks/HookToken.sol";
import {ReentrantReceiver} from "../mocks/ReentrantReceiver.sol";

/// @notice Re-entrancy through a constituent with ERC-777-like transfer hooks (Peapods-style): the attacker gets
///         control in the middle of an in-kind redemption (the token calls the receiver) or an in-kind deposit (the
///         token calls the sender), and tries every entry point of the vault from there, plus read-only re-entrancy:
///         an integrator reading `totalAssets()` / share price mid-operation.
/// @dev USDT paths hand control to no attacker: USDT has no hooks, and a hook token bought or sold on Uniswap calls
///      the pool and the vault, never the depositor. The in-kind paths are where an attacker gets a callback.
contract ReentrancyAttackTest is AttackBase {
    IndexVault internal vault;
    HookToken internal hook;
    MockAggregator internal hookFeed;
    ReentrantReceiver internal evil;

    uint256 internal evilShares;

    function setUp() public override {
        super.setUp();
        hook = new HookToken(18);
        vm.label(address(hook), "HOOK");
        hookFeed = _listMintable(address(hook), 10e8, 50_000_000);

        // The hook token first: at its callback, every other constituent and the USDT are still in the vault.
        address[] memory tokens = new address[](3);
        tokens[0] = address(hook);
        tokens[1] = constituents[0];
        tokens[2] = constituents[1];
        ConstituentParams[] memory list = new ConstituentParams[](3);
        ConstituentParams[] memory market = _constituentParams(_firstTokens(2), _equalWeights(2));
        address[] memory path = new address[](2);
        path[0] = address(usdt);
        path[1] = address(hook);
        uint24[] memory fees = new uint24[](1);
        fees[0] = 3000;
        list[0] = ConstituentParams(address(hook), 3334, address(hookFeed), 3600, path, fees);
        list[1] = market[0];
        list[1].targetWeightBps = 3333;
        list[2] = market[1];
        list[2].targetWeightBps = 3333;
        vault = _createVault(_vaultParams(), list);

        evil = new ReentrantReceiver();
        vm.label(address(evil), "ReentrantReceiver");
        vm.prank(address(evil));
        hook.setHook(address(evil));

        _deposit(vault, alice, 20_000e6);
        evilShares = _deposit(vault, address(evil), 20_000e6);
        mintTo(address(usdt), address(vault), 1000e6); // idle USDT, paid last by redeemInKind
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The attacker redeems in kind with `data` armed for its hook; returns the re-entrant call's revert data.
    function _reenterFromRedeemInKind(bytes memory data) internal returns (bytes memory) {
        evil.arm(address(vault), data, "");
        vm.prank(address(evil));
        vault.redeemInKind(evilShares / 2, address(evil), address(evil));
        assertTrue(evil.reentered(), "hook fired");
        assertFalse(evil.reenterSucceeded(), "re-entrant call must fail");
        return evil.reenterRevertData();
    }

    /// @dev Asserts the re-entrant call is refused by the lock, then rolls the redemption back.
    function _assertLocked(bytes memory data) internal {
        uint256 snap = vm.snapshotState();
        assertEq(
            _reenterFromRedeemInKind(data),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "blocked by the lock"
        );
        vm.revertToState(snap);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Write re-entrancy into every entry point
    // ---------------------------------------------------------------------------------------------------------------

    /// Attack: from the hook of an in-kind redemption, deposit USDT while the basket is half paid out (shares
    /// already burnt, tokens not yet sent), to mint at a NAV that still counts what is being withdrawn.
    function test_reentrancy_redeemInKindHookIntoDeposit_isLocked() public {
        mintTo(address(usdt), address(evil), 1000e6);
        vm.prank(address(evil));
        usdt.approve(address(vault), 1000e6);
        _assertLocked(abi.encodeWithSignature("deposit(uint256,address)", 1000e6, address(evil)));
        _assertLocked(abi.encodeWithSignature("deposit(uint256,address,uint256)", 1000e6, address(evil), 0));
        _assertLocked(
            abi.encodeWithSignature(
                "deposit(uint256,address,uint256,uint256)", 1000e6, address(evil), 0, block.timestamp
            )
        );
    }

    /// Attack: from the hook of an in-kind redemption, redeem the remaining shares for USDT in the inconsistent state.
    function test_reentrancy_redeemInKindHookIntoRedeem_isLocked() public {
        uint256 rest = evilShares / 4;
        _assertLocked(abi.encodeWithSignature("redeem(uint256,address,address)", rest, address(evil), address(evil)));
        _assertLocked(
            abi.encodeWithSignature("redeem(uint256,address,address,uint256)", rest, address(evil), address(evil), 0)
        );
        _assertLocked(
            abi.encodeWithSignature(
                "redeem(uint256,address,address,uint256,uint256)",
                rest,
                address(evil),
                address(evil),
                0,
                block.timestamp
            )
        );
    }

    /// Attack: redeem in kind again from inside an in-kind redemption (classic double withdrawal).
    function test_reentrancy_redeemInKindHookIntoRedeemInKind_isLocked() public {
        _assertLocked(abi.encodeCall(IIndexVault.redeemInKind, (evilShares / 4, address(evil), address(evil))));
    }

    /// Attack: deposit in kind from inside an in-kind redemption, pro-rata to balances mid-payout.
    function test_reentrancy_redeemInKindHookIntoDepositInKind_isLocked() public {
        _assertLocked(abi.encodeCall(IIndexVault.depositInKind, (1e18, address(evil))));
    }

    /// Attack: claim deferred amounts, or mint management-fee shares, from inside an in-kind redemption.
    function test_reentrancy_redeemInKindHookIntoClaimAndAccrue_isLocked() public {
        _assertLocked(abi.encodeCall(IIndexVault.claim, (address(hook), address(evil))));
        _assertLocked(abi.encodeCall(IIndexVault.accrueManagementFee, ()));
    }

    /// Attack: a compromised role holder re-enters the privileged functions from a hook (parameters changed
    /// mid-operation). Every setter and pause takes the same lock.
    function test_reentrancy_redeemInKindHookIntoEveryPrivilegedFunction_isLocked() public {
        vm.startPrank(admin);
        vault.grantRole(vault.MANAGER_ROLE(), address(evil));
        vault.grantRole(vault.GUARDIAN_ROLE(), address(evil));
        vault.grantRole(vault.DEFAULT_ADMIN_ROLE(), address(evil));
        vm.stopPrank();
        (address[] memory path, uint24[] memory fees) = buyRouteOf(constituents[0]);
        bytes[] memory calls = new bytes[](11);
        calls[0] = abi.encodeCall(IIndexVault.setMintFee, (10));
        calls[1] = abi.encodeCall(IIndexVault.setBurnFee, (10));
        calls[2] = abi.encodeCall(IIndexVault.setManagementFee, (10));
        calls[3] = abi.encodeCall(IIndexVault.setMaxSlippage, (10));
        calls[4] = abi.encodeCall(IIndexVault.setMinDeposit, (1));
        calls[5] = abi.encodeCall(IIndexVault.setFeeRecipient, (address(evil)));
        calls[6] = abi.encodeCall(IIndexVault.setUsdtFeed, (address(usdtFeed), 86_400));
        calls[7] = abi.encodeCall(IIndexVault.setSequencerFeed, (address(0), 0));
        calls[8] = abi.encodeCall(IIndexVault.setConstituentFeed, (1, address(feedOf(constituents[0])), 3600));
        calls[9] = abi.encodeCall(IIndexVault.setConstituentRoute, (1, path, fees));
        calls[10] = abi.encodeCall(IIndexVault.pause, (1));
        for (uint256 k; k < calls.length; ++k) {
            _assertLocked(calls[k]);
        }
    }

    /// Attack: from the hook, call the Uniswap callback to make the vault pay the attacker as if it were a pool.
    function test_reentrancy_hookIntoSwapCallback_isRefused() public {
        bytes memory data = abi.encodeCall(
            vault.uniswapV3SwapCallback, (int256(1000e6), int256(0), abi.encode(address(usdt), uint256(1000e6)))
        );
        assertEq(
            _reenterFromRedeemInKind(data),
            abi.encodeWithSelector(IIndexVault.IndexVault__UnauthorizedCallback.selector, address(evil))
        );
    }

    /// Attack: the token's `tokensToSend` hook fires while the vault pulls the attacker's basket in an in-kind
    /// deposit (shares already minted, tokens half pulled); the attacker redeems the fresh shares in kind from there.
    function test_reentrancy_depositInKindHookIntoRedeemInKind_isLocked() public {
        uint256 shares = 10_000e18;
        _fundInKind(vault, address(evil), shares);
        evil.arm(address(vault), abi.encodeCall(IIndexVault.redeemInKind, (1e18, address(evil), address(evil))), "");
        vm.prank(address(evil));
        vault.depositInKind(shares, address(evil));
        assertTrue(evil.reentered());
        assertFalse(evil.reenterSucceeded());
        assertEq(
            evil.reenterRevertData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Read-only re-entrancy
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Redeems half the attacker's shares in kind with `viewData` armed; returns (succeeded, result).
    function _readDuringRedeemInKind(bytes memory viewData) internal returns (bool, bytes memory) {
        evil.arm(address(vault), "", viewData);
        vm.prank(address(evil));
        vault.redeemInKind(evilShares, address(evil), address(evil));
        assertTrue(evil.reentered());
        return (evil.viewSucceeded(), evil.viewResult());
    }

    /// Attack (read-only re-entrancy, Balancer/Curve style): mid-redemption the shares are burnt but most of the
    /// basket is still in the vault, so NAV per share read from a hook would be inflated; a lending market pricing the
    /// shares by `convertToAssets` could be drained. The vault must refuse to price itself while its lock is held.
    function test_readOnlyReentrancy_totalAssetsAndSharePriceMidRedeemInKind() public {
        uint256 priceBefore = vault.convertToAssets(1e18);
        bytes[] memory views = new bytes[](4);
        views[0] = abi.encodeCall(vault.convertToAssets, (1e18));
        views[1] = abi.encodeCall(IIndexVault.navPerShare, ());
        views[2] = abi.encodeCall(vault.previewRedeem, (1e18));
        views[3] = abi.encodeCall(vault.totalAssets, ());
        for (uint256 k; k < views.length; ++k) {
            uint256 snap = vm.snapshotState();
            (bool ok, bytes memory result) = _readDuringRedeemInKind(views[k]);
            if (ok && k < 3) {
                // If the view answers at all, it must answer the true share price (within rounding and slippage).
                uint256 during = abi.decode(result, (uint256));
                assertLe(during, priceBefore * 10_001 / 10_000, "share price inflated mid-redemption");
            } else if (!ok) {
                assertEq(
                    result,
                    abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
                    "refused by the lock"
                );
            } else {
                // totalAssets alone cannot be judged without supply: it must be refused like the others.
                assertTrue(false, "totalAssets answered while the lock was held");
            }
            vm.revertToState(snap);
        }
    }

    /// Attack (read-only re-entrancy, other direction): mid in-kind deposit the shares are minted but the basket is
    /// only partly pulled, so NAV per share read from the `tokensToSend` hook would be deflated (a lender could be
    /// tricked into liquidating holders). Same rule: no pricing while locked.
    function test_readOnlyReentrancy_sharePriceMidDepositInKind() public {
        uint256 priceBefore = vault.convertToAssets(1e18);
        uint256 shares = 20_000e18;
        _fundInKind(vault, address(evil), shares);
        evil.arm(address(vault), "", abi.encodeCall(vault.convertToAssets, (1e18)));
        vm.prank(address(evil));
        vault.depositInKind(shares, address(evil));
        assertTrue(evil.reentered());
        if (evil.viewSucceeded()) {
            uint256 during = abi.decode(evil.viewResult(), (uint256));
            assertGe(during, priceBefore * 9999 / 10_000, "share price deflated mid-deposit");
        } else {
            assertEq(
                evil.viewResult(),
                abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
                "refused by the lock"
            );
        }
    }

    /// The hook token is accounted like any other constituent: the attacker's re-entry attempts leave alice's
    /// in-kind exit exactly pro-rata.
    function test_reentrancy_failedAttemptsLeaveOtherHoldersWhole() public {
        _assertLocked(abi.encodeCall(IIndexVault.redeemInKind, (evilShares / 4, address(evil), address(evil))));
        uint256 aliceShares = vault.balanceOf(alice);
        uint256[] memory preview = vault.previewRedeemInKind(aliceShares);
        vm.prank(alice);
        uint256[] memory paid = vault.redeemInKind(aliceShares, alice, alice);
        assertEq(paid, preview);
        assertEq(IERC20(address(hook)).balanceOf(alice), preview[0]);
    }
}
