// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentState, VaultParams} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {MockUSDT} from "../../contracts/mocks/MockUSDT.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {IndexVaultHarness} from "../harness/IndexVaultHarness.sol";

/// @notice `deposit` (all three overloads) on the real Uniswap V3 fixture.
contract IndexVaultDepositTest is VaultFixture {
    IndexVault internal vault;

    function setUp() public override {
        super.setUp();
        vault = _createVault(10);
    }

    function test_deposit_firstDepositMintsOneSharePerUsdtOfValue() public {
        uint256 shares = _deposit(vault, alice, 10_000e6);
        uint256 nav = vault.totalAssets();
        // Empty vault: shares = value × (0 + 1e12) / (0 + 1), and the basket is worth NAV.
        assertApproxEqAbs(shares, nav * 1e12, 1e12 * 10, "1 share per USDT of value");
        assertEq(vault.balanceOf(alice), shares);
        assertEq(vault.totalSupply(), shares);
        // Value received: the net deposit less swap costs (pool fees ≤ 0.3 %, price impact), never more.
        uint256 net = 10_000e6 - 50e6;
        assertLe(nav, net, "value <= net deposit");
        assertGe(nav, net * 9950 / 10_000, "swap costs < 0.5 %");
    }

    function test_deposit_buysEveryConstituentPerTargetWeight() public {
        _deposit(vault, alice, 100_000e6);
        (ConstituentState[] memory states,, uint256 nav) = vault.basket();
        assertEq(states.length, 10);
        for (uint256 i; i < 10; ++i) {
            assertGt(IERC20(states[i].token).balanceOf(address(vault)), 0, "bought");
            assertApproxEqAbs(states[i].currentWeightBps, 1000, 10, "weight within 0.1 % of target");
        }
        assertGt(nav, 0);
    }

    function test_deposit_paysMintFeeToFeeRecipientInUsdt() public {
        _deposit(vault, alice, 12_345e6);
        // ceil(12,345e6 × 50 / 10,000)
        assertEq(usdt.balanceOf(feeRecipient), 61_725_000);
    }

    function test_deposit_leavesNoUsdtDust() public {
        _deposit(vault, alice, 9_999_999_999);
        assertEq(usdt.balanceOf(address(vault)), 0, "the largest leg takes the rounding remainder");
        _deposit(vault, bob, 9_999_999_999);
        assertEq(usdt.balanceOf(address(vault)), 0, "a pro-rata deposit too");
        (,, uint256 nav) = vault.basket();
        assertEq(nav, vault.totalAssets());
    }

    function test_deposit_keepsTheIdleUsdtShareInUsdt() public {
        _deposit(vault, alice, 10_000e6);
        usdt.mint(address(vault), 1000e6); // idle USDT (e.g. a donation): ≈ 9.1 % of NAV
        uint256 navBefore = vault.totalAssets();
        uint256 idleBefore = usdt.balanceOf(address(vault));
        _deposit(vault, bob, 10_000e6);
        uint256 net = 10_000e6 - 10_000e6 * MINT_FEE_BPS / 10_000;
        uint256 keptNow = usdt.balanceOf(address(vault)) - idleBefore;
        assertApproxEqAbs(keptNow, net * idleBefore / navBefore, 1, "USDT kept pro-rata to the idle share");
    }

    function test_deposit_secondDepositorGetsSharesAgainstNavBefore() public {
        uint256 first = _deposit(vault, alice, 10_000e6);
        uint256 navBefore = vault.totalAssets();
        uint256 supplyBefore = vault.totalSupply();
        uint256 second = _deposit(vault, bob, 10_000e6);
        uint256 valueIn = vault.totalAssets() - navBefore;
        // shares = valueIn × (supply + 1e12) / (navBefore + 1), within NAV rounding of one unit per constituent.
        uint256 expected = valueIn * (supplyBefore + 1e12) / (navBefore + 1);
        assertApproxEqRel(second, expected, 1e13, "formula");
        assertApproxEqRel(second, first, 2e15, "same price for the same deposit");
    }

    function test_deposit_mintsAtLeastThePreview() public {
        _deposit(vault, alice, 50_000e6);
        uint256 preview = vault.previewDeposit(20_000e6);
        uint256 shares = _deposit(vault, bob, 20_000e6);
        assertLe(preview, shares, "preview is a floor");
        assertGe(preview, shares * 9850 / 10_000, "and a tight one");
    }

    function test_deposit_emitsDepositAndDeposited() public {
        _fundUsdt(vault, alice, 10_000e6);
        vm.expectEmit(true, true, false, false, address(vault));
        emit IERC4626.Deposit(alice, alice, 10_000e6, 0);
        vm.expectEmit(true, true, false, false, address(vault));
        emit IIndexVault.Deposited(alice, alice, 10_000e6, 50e6, 0, 0, 0);
        vm.prank(alice);
        vault.deposit(10_000e6, alice);
    }

    function test_deposit_toAnotherReceiver() public {
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        uint256 shares = vault.deposit(1000e6, bob);
        assertEq(vault.balanceOf(bob), shares);
        assertEq(vault.balanceOf(alice), 0);
    }

    function test_deposit_withMinSharesAndDeadline() public {
        uint256 preview = vault.previewDeposit(1000e6);
        _fundUsdt(vault, alice, 2000e6);
        vm.startPrank(alice);
        uint256 a = vault.deposit(1000e6, alice, preview);
        uint256 b = vault.deposit(1000e6, alice, preview * 9 / 10, block.timestamp);
        vm.stopPrank();
        assertGe(a, preview);
        assertGt(b, 0);
    }

    function test_deposit_buysMultiHopAndThinConstituents() public {
        address[] memory tokens = new address[](3);
        tokens[0] = constituents[0];
        tokens[1] = twoHopToken;
        tokens[2] = thinToken;
        // The thin pool charges 1 % and moves ~0.8 % on a 200 USDT leg: it needs a 3 % bound.
        VaultParams memory params = _vaultParams();
        params.maxSlippageBps = 300;
        IndexVault v = _createVault(params, _constituentParams(tokens, _equalWeights(3)));
        uint256 preview = v.previewDeposit(600e6);
        uint256 shares = _deposit(v, alice, 600e6);
        assertGe(shares, preview);
        assertGt(IERC20(twoHopToken).balanceOf(address(v)), 0, "two-hop bought");
        assertGt(IERC20(thinToken).balanceOf(address(v)), 0, "thin bought");
        // WETH held is the WETH leg only (≈ 1/3 of NAV): the two-hop route's intermediate WETH is fully spent.
        (ConstituentState[] memory states,,) = v.basket();
        assertApproxEqAbs(states[0].currentWeightBps, 3333, 30);
        assertApproxEqAbs(states[1].currentWeightBps, 3333, 30);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reverts
    // ---------------------------------------------------------------------------------------------------------------

    function test_deposit_revertsForZeroReceiver() public {
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__ZeroAddress.selector);
        vault.deposit(1000e6, address(0));
    }

    function test_deposit_revertsBelowMinimumDeposit() public {
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__DepositTooSmall.selector, 9e6, MIN_DEPOSIT));
        vault.deposit(9e6, alice);
    }

    function test_deposit_revertsForZeroAssetsEvenWithoutMinimum() public {
        vm.prank(manager);
        vault.setMinDeposit(0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__DepositTooSmall.selector, 0, 0));
        vault.deposit(0, alice);
    }

    function test_deposit_revertsWhenNoShareWouldBeMinted() public {
        vm.prank(manager);
        vault.setMinDeposit(0);
        _fundUsdt(vault, alice, 1);
        // 1 unit: the mint fee rounds up to 1, nothing is left to buy with.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__ZeroShares.selector, 1));
        vault.deposit(1, alice);
    }

    function test_deposit_revertsBelowMinShares() public {
        uint256 preview = vault.previewDeposit(1000e6);
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectPartialRevert(IIndexVault.IndexVault__InsufficientShares.selector);
        vault.deposit(1000e6, alice, preview * 2);
    }

    function test_deposit_revertsAfterDeadline() public {
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVault.IndexVault__DeadlineExpired.selector, block.timestamp - 1, block.timestamp
            )
        );
        vault.deposit(1000e6, alice, 0, block.timestamp - 1);
    }

    function test_deposit_revertsWhenPaused() public {
        vm.prank(guardian);
        vault.pause(ConstantsLib.PAUSE_DEPOSIT);
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__Paused.selector, ConstantsLib.PAUSE_DEPOSIT));
        vault.deposit(1000e6, alice);
    }

    function test_deposit_revertsWhileRebalancing() public {
        IndexVaultHarness h = _createHarnessVault(3);
        h.exposed_setRebalancing(true);
        _fundUsdt(h, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        h.deposit(1000e6, alice);
    }

    function test_deposit_revertsOnStalePrice() public {
        vm.warp(block.timestamp + 3601);
        usdtFeed.setPrice(1e8); // USDT fresh; WETH (heartbeat 1 h) now stale
        _fundUsdt(vault, alice, 1000e6);
        address wethFeed = address(feedOf(constituents[0]));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__StalePrice.selector, wethFeed, block.timestamp - 3601, 3600, block.timestamp
            )
        );
        vault.deposit(1000e6, alice);
    }

    function test_deposit_revertsWhenAPoolPaysLessThanChainlinkLessSlippage() public {
        // The feed says LINK is 5 % cheaper than the pool's price: Chainlink promises ~5 % more LINK per USDT than
        // the pool returns, beyond the 1 % bound (this is what a sandwich looks like to the vault).
        address link = constituents[2];
        feedOf(link).setPrice(int256(priceOf(link) * 95 / 100));
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        vault.deposit(1000e6, alice);
    }

    function test_deposit_revertsWithoutAllowance() public {
        mintTo(address(usdt), alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(MockUSDT.MockUSDT__InsufficientAllowance.selector, alice, address(vault), 0, 1000e6)
        );
        vault.deposit(1000e6, alice);
    }
}
