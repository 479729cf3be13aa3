// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentState, ConstituentInfo} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {ConstituentTableLib} from "../../contracts/libraries/ConstituentTableLib.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {VaultSlots} from "../base/VaultSlots.sol";
import {IndexVaultHarness} from "../harness/IndexVaultHarness.sol";

/// @notice Index level, NAV per share, basket, ERC-4626 limits and disabled exact-output paths.
contract IndexVaultViewsTest is VaultFixture {
    IndexVault internal vault;

    function setUp() public override {
        super.setUp();
        vault = _createVault(5);
    }

    function test_indexLevel_startsAtOneThousandAndOneUsdtPerShare() public {
        assertEq(vault.navPerShare(), 1e6, "1 USDT per share before any deposit");
        assertEq(vault.indexLevel(), 1000e18);
        _deposit(vault, alice, 10_000e6);
        assertApproxEqRel(vault.navPerShare(), 1e6, 1e12, "shares are minted at NAV");
        assertApproxEqRel(vault.indexLevel(), 1000e18, 1e12);
    }

    function test_indexLevel_followsTheBasket() public {
        _deposit(vault, alice, 10_000e6);
        uint256 level = vault.indexLevel();
        for (uint256 i; i < 5; ++i) {
            setMarketPrice(constituents[i], priceOf(constituents[i]) * 110 / 100);
        }
        assertApproxEqRel(vault.indexLevel(), level * 110 / 100, 1e14, "+10 %");
    }

    function test_basket_reportsBalancesValuesAndWeights() public {
        _deposit(vault, alice, 10_000e6);
        mintTo(address(usdt), address(vault), 100e6);
        (ConstituentState[] memory states, uint256 idle, uint256 nav) = vault.basket();
        assertEq(idle, 100e6);
        uint256 sum = idle;
        for (uint256 i; i < 5; ++i) {
            assertEq(states[i].token, constituents[i]);
            assertEq(states[i].targetWeightBps, 2000);
            assertEq(states[i].price, priceOf(constituents[i]) * 1e10);
            assertEq(states[i].currentWeightBps, states[i].value * 10_000 / nav);
            sum += states[i].value;
        }
        assertEq(nav, sum);
        assertEq(nav, vault.totalAssets());
    }

    function test_constituent_describesATwoHopRoute() public {
        address[] memory tokens = new address[](1);
        tokens[0] = twoHopToken;
        IndexVault v = _createVault(_vaultParams(), _constituentParams(tokens, _equalWeights(1)));
        ConstituentInfo memory c = v.constituent(0);
        (address[] memory path, uint24[] memory fees) = buyRouteOf(twoHopToken);
        assertEq(c.path.length, 3);
        for (uint256 k; k < 3; ++k) {
            assertEq(c.path[k], path[k]);
        }
        assertEq(c.pools[0], poolOf(path[0], path[1], fees[0]));
        assertEq(c.pools[1], poolOf(path[1], path[2], fees[1]));
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidIndex.selector, 1, 1));
        v.constituent(1);
    }

    function test_maxDeposit_isUnlimitedWhenOpenAndZeroOtherwise() public {
        assertEq(vault.maxDeposit(alice), type(uint256).max);
        vm.prank(guardian);
        vault.pause(ConstantsLib.PAUSE_DEPOSIT);
        assertEq(vault.maxDeposit(alice), 0, "paused");
        vm.prank(guardian);
        vault.unpause(ConstantsLib.PAUSE_DEPOSIT);
        vm.warp(block.timestamp + 3601);
        assertEq(vault.maxDeposit(alice), 0, "stale price");
        _refreshFeeds();
        assertEq(vault.maxDeposit(alice), type(uint256).max);
        usdtFeed.setPrice(0);
        assertEq(vault.maxDeposit(alice), 0, "invalid USDT price");
    }

    /// @dev The views read the feeds from the constituent table, as the USDT paths do; without one they answer "closed"
    ///      (ERC-4626: these views must not revert) while the USDT paths refuse with the table's error.
    function test_maxDepositAndRedeem_withoutAConstituentTable_areZero_notARevert() public {
        uint256 shares = _deposit(vault, alice, 1000e6);
        assertEq(vault.maxRedeem(alice), shares);
        vm.store(address(vault), VaultSlots.constituentTable(), bytes32(0));
        assertEq(vault.maxDeposit(alice), 0);
        assertEq(vault.maxRedeem(alice), 0);
        vm.expectRevert(ConstituentTableLib.ConstituentTable__Missing.selector);
        vault.previewRedeem(shares);
    }

    function test_maxRedeem_isTheBalanceWhenOpenAndZeroOtherwise() public {
        uint256 shares = _deposit(vault, alice, 1000e6);
        assertEq(vault.maxRedeem(alice), shares);
        vm.prank(guardian);
        vault.pause(ConstantsLib.PAUSE_REDEEM);
        assertEq(vault.maxRedeem(alice), 0, "paused");
        vm.prank(guardian);
        vault.unpause(ConstantsLib.PAUSE_REDEEM);
        feedOf(constituents[2]).setRoundData(9, 15e8, block.timestamp, block.timestamp, 8);
        assertEq(vault.maxRedeem(alice), 0, "incomplete round");
    }

    function test_maxDepositAndRedeem_areZeroWhileRebalancing() public {
        IndexVaultHarness h = _createHarnessVault(2);
        uint256 shares = _deposit(h, alice, 1000e6);
        h.exposed_setRebalancing(true);
        assertEq(h.maxDeposit(alice), 0);
        assertEq(h.maxRedeem(alice), 0);
        assertTrue(h.config().rebalancing);
        h.exposed_setRebalancing(false);
        assertEq(h.maxRedeem(alice), shares);
    }

    function test_mintAndWithdraw_areDisabledAsErc4626Allows() public {
        assertEq(vault.maxMint(alice), 0);
        assertEq(vault.maxWithdraw(alice), 0);
        vm.expectRevert(IIndexVault.IndexVault__ExactOutputUnsupported.selector);
        vault.mint(1e18, alice);
        vm.expectRevert(IIndexVault.IndexVault__ExactOutputUnsupported.selector);
        vault.withdraw(1e6, alice, alice);
        vm.expectRevert(IIndexVault.IndexVault__ExactOutputUnsupported.selector);
        vault.previewMint(1e18);
        vm.expectRevert(IIndexVault.IndexVault__ExactOutputUnsupported.selector);
        vault.previewWithdraw(1e6);
    }

    function test_totalAssets_revertsOnAnInvalidPrice() public {
        _deposit(vault, alice, 1000e6);
        vm.warp(block.timestamp + 1);
        feedOf(constituents[1]).setUpdatedAt(block.timestamp + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__FutureTimestamp.selector,
                address(feedOf(constituents[1])),
                block.timestamp + 1,
                block.timestamp
            )
        );
        vault.totalAssets();
    }

    /// @dev Holdings are read with `balanceOf` in scratch space: the value read is the token's answer, a token that
    ///      reverts has its error bubbled, and an answer shorter than one word reverts empty (as a high-level call).
    function test_totalAssets_readsBalances_andBubblesATokensFailure() public {
        _deposit(vault, alice, 1000e6);
        address token = constituents[2];
        uint256 nav = vault.totalAssets();
        bytes memory call = abi.encodeWithSelector(IERC20.balanceOf.selector, address(vault));
        uint256 held = IERC20(token).balanceOf(address(vault));
        vm.mockCall(token, call, abi.encode(held * 2));
        assertGt(vault.totalAssets(), nav, "the token's answer is what is valued");
        bytes memory failure = abi.encodeWithSignature("Error(string)", "balance unavailable");
        vm.mockCallRevert(token, call, failure);
        vm.expectRevert(failure);
        vault.totalAssets();
        vm.mockCall(token, call, hex"0102");
        vm.expectRevert(bytes(""));
        vault.totalAssets();
        vm.clearMockedCalls();
        assertEq(vault.totalAssets(), nav);
    }

    function test_convertToSharesAndAssets_useOracleNav() public {
        _deposit(vault, alice, 10_000e6);
        uint256 nav = vault.totalAssets();
        uint256 supply = vault.totalSupply();
        assertEq(vault.convertToShares(1000e6), 1000e6 * (supply + 1e12) / (nav + 1));
        assertEq(vault.convertToAssets(1e18), 1e18 * (nav + 1) / (supply + 1e12));
    }

    function test_previewRedeem_isZeroOnEmptyVault() public view {
        assertEq(vault.previewRedeem(1e18), 0);
    }

    function test_previewInKind_revertOnEmptyVault() public {
        vm.expectRevert(IIndexVault.IndexVault__EmptyVault.selector);
        vault.previewDepositInKind(1e18);
        vm.expectRevert(IIndexVault.IndexVault__EmptyVault.selector);
        vault.previewRedeemInKind(1e18);
    }

    function test_previewDeposit_revertsOnAnInvalidPrice() public {
        feedOf(constituents[0]).setRoundData(5, 3000e8, block.timestamp, 0, 5);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__IncompleteRound.selector, address(feedOf(constituents[0])), 5, 5, 0
            )
        );
        vault.previewDeposit(1000e6);
    }
}
