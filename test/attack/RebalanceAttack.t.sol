// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";

import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IIndexVaultComposer} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt,
    RebalanceStatus
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {IIndexVaultModule} from "../../contracts/interfaces/IIndexVaultModule.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Attacks on rebalancing: sandwiching a rebalance, manipulating a pool in the same transaction, spamming
///         the permissionless fallback for bounties, changing the composition while a rebalance is in flight,
///         bypassing the composition timelock, calling the module's privileged functions with the wrong role, and
///         raising the bounty above its cap.
contract RebalanceAttackTest is RebalanceBase {
    address internal attacker = makeAddr("attacker");

    function setUp() public override {
        super.setUp();
        _setUpVault(5);
    }

    /// @dev Five targets: `first` for constituent 0, `rest` for the four others.
    function _targets(uint16 first, uint16 rest) internal pure returns (uint16[] memory t) {
        t = new uint16[](5);
        t[0] = first;
        for (uint256 i = 1; i < 5; ++i) {
            t[i] = rest;
        }
    }

    /// @dev `who` swaps `amountIn` of `tokenIn` for `tokenOut` on their single pool (funded by minting).
    function _swap(address who, address tokenIn, address tokenOut, uint256 amountIn) internal {
        (address[] memory path, uint24[] memory fees) = buyRouteOf(tokenIn == address(usdt) ? tokenOut : tokenIn);
        require(path.length == 2, "single hop");
        _mintAny(tokenIn, who, amountIn);
        vm.startPrank(who);
        if (tokenIn == address(usdt)) {
            usdt.approve(swapRouter, 0);
            usdt.approve(swapRouter, amountIn); // USDT's approve returns nothing
        } else {
            IERC20(tokenIn).approve(swapRouter, amountIn);
        }
        ISwapRouter(swapRouter)
            .exactInputSingle(
                ISwapRouter.ExactInputSingleParams(tokenIn, tokenOut, fees[0], who, block.timestamp, amountIn, 0, 0)
            );
        vm.stopPrank();
    }

    /// Attack: sandwich a keeper's rebalance — front-run by buying what it will buy (WBTC, underweight) and selling
    /// what it will sell (WETH, overweight), back-run in reverse. Outcome, for any front-run size: the rebalance
    /// either reverts (oracle floor, loss bound or drift check) or loses at most `maxLossBps` of NAV and lowers drift.
    function testFuzz_sandwich_rebalance_lossBoundedOrReverts(uint256 frontRun) public {
        frontRun = bound(frontRun, 0, 3_000_000e6);
        _drift();
        if (frontRun != 0) {
            _swap(attacker, address(usdt), constituents[1], frontRun);
            _swap(attacker, constituents[0], address(usdt), frontRun * 1e20 / priceOf(constituents[0]));
        }
        uint256 sumBefore = rb.driftReport().sumDeviationBps;
        vm.recordLogs();
        vm.prank(keeper);
        try rb.rebalance() {
            RebalanceReceipt memory r = _lastReceipt(vm.getRecordedLogs());
            assertLe(r.cost, r.navBefore * _config().maxLossBps / 10_000, "loss within the bound");
            assertLt(r.sumDriftAfterBps, sumBefore, "drift reduced");
        } catch (bytes memory reason) {
            // forge-lint: disable-next-line(unsafe-typecast)
            bytes4 sel = bytes4(reason); // the selector: the first four bytes are wanted
            assertTrue(
                sel == IIndexVault.IndexVault__SwapOutputTooLow.selector
                    || sel == IIndexVaultRebalancer.IndexVaultRebalancer__LossTooHigh.selector
                    || sel == IIndexVaultRebalancer.IndexVaultRebalancer__DriftNotReduced.selector,
                "only a protective revert"
            );
        }
    }

    /// Attack (flash-swap style): in one transaction pump the pool the rebalance buys through, then trigger the
    /// rebalance (as the permissionless caller would). The buy leg fails its oracle floor: nothing is traded.
    function test_poolManipulation_sameTxBeforeRebalance_reverts() public {
        _drift();
        _swap(attacker, address(usdt), constituents[1], 3_000_000e6); // WBTC pool pushed up
        vm.prank(keeper);
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        rb.rebalance();
    }

    /// Attack: spam the permissionless rebalance to farm the bounty or churn the basket: before drift is flagged,
    /// during the grace period, repeatedly after a rebalance, and by re-poking the drift flag to move the clock.
    function test_permissionlessRebalanceSpam_isRefusedAndPaysOnce() public {
        vm.prank(attacker);
        vm.expectPartialRevert(IIndexVaultRebalancer.IndexVaultRebalancer__NotDue.selector);
        rb.rebalance(); // nothing to do at all
        _drift();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector, 0)
        );
        rb.rebalance(); // drift never flagged
        vm.prank(attacker);
        rb.pokeDrift();
        uint256 at = rb.rebalanceStatus().permissionlessAt;
        assertGt(at, block.timestamp);
        for (uint256 k; k < 5; ++k) {
            _warp(1 hours);
            vm.prank(attacker);
            rb.pokeDrift(); // re-poking never moves the clock
            assertEq(rb.rebalanceStatus().permissionlessAt, at, "grace clock fixed by the first poke");
        }
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector, at)
        );
        rb.rebalance();

        _warp(at - block.timestamp);
        uint256 usdtBefore = usdt.balanceOf(attacker);
        RebalanceReceipt memory r = _rebalanceAs(attacker);
        assertEq(r.bounty, BOUNTY, "bounty paid");
        assertEq(usdt.balanceOf(attacker) - usdtBefore, BOUNTY);
        // Spam right after, drift back under the threshold: refused as not due.
        vm.prank(attacker);
        vm.expectPartialRevert(IIndexVaultRebalancer.IndexVaultRebalancer__NotDue.selector);
        rb.rebalance();
        // Spam after the market moved past the threshold again, within the cooldown: the cooldown refuses it, the
        // attacker's and the keeper's calls alike, until it ends.
        uint256 readyAt = rb.rebalanceStatus().cooldownEndsAt;
        assertEq(readyAt, block.timestamp + COOLDOWN, "cooldown from the last step");
        _drift();
        assertGe(_maxDeviationBps(), THRESHOLD_BPS, "over the threshold again");
        for (uint256 k; k < 3; ++k) {
            vm.prank(attacker);
            vm.expectRevert(
                abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__Cooldown.selector, readyAt)
            );
            rb.rebalance();
            vm.prank(keeper);
            vm.expectRevert(
                abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__Cooldown.selector, readyAt)
            );
            rb.rebalance();
            _warp(COOLDOWN / 4);
        }
        assertEq(usdt.balanceOf(attacker) - usdtBefore, BOUNTY, "paid once");
    }

    /// Attack: execute a (pending, matured) composition change while a multi-step rebalance is in flight, so the
    /// rebalance plan's indexes and targets change under it. Outcome: refused until the rebalance ends; meanwhile
    /// USDT paths wait and the in-kind exit works.
    function test_compositionChangeDuringRebalance_isRefused() public {
        uint16[] memory targets = _targets(3000, 1750);
        vm.prank(manager);
        composer.proposeTargets(targets);
        RebalanceConfig memory c = _config();
        c.maxTradeValue = 20_000e6; // forces several steps
        _setConfig(c);
        _warp(DELAY);
        _drift();
        vm.prank(keeper);
        assertFalse(rb.rebalance(), "first of several steps");
        assertTrue(vault.config().rebalancing, "in flight");

        vm.prank(attacker);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        composer.executeProposal();

        _fundUsdt(vault, attacker, 1000e6);
        vm.prank(attacker);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        vault.deposit(1000e6, attacker);

        uint256 shares = vault.balanceOf(alice) / 10;
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice);
    }

    /// Attack: bypass the composition timelock — execute before the eta, replace a pending proposal to restart or
    /// skip its clock, shorten the delay after proposing, or cancel without the admin or manager role (the manager
    /// may withdraw its own proposal; a new one starts a full delay again).
    function test_timelockBypass_compositionChangeWaitsItsDelay() public {
        uint16[] memory targets = _targets(2800, 1800);
        vm.prank(manager);
        composer.proposeTargets(targets);
        uint256 eta = composer.pendingProposal().eta;
        assertEq(eta, block.timestamp + DELAY);

        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalNotReady.selector, eta));
        composer.executeProposal();

        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalPending.selector, eta));
        composer.proposeTargets(targets);

        RebalanceConfig memory c = _config();
        c.compositionDelay = 1 days; // the minimum
        _setConfig(c);
        assertEq(composer.pendingProposal().eta, eta, "a shorter delay does not shorten a pending proposal");

        bytes32 managerRole = vault.MANAGER_ROLE();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultModule.IndexVaultModule__Unauthorized.selector, attacker, managerRole)
        );
        composer.cancelProposal();

        _warp(eta - block.timestamp - 1);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalNotReady.selector, eta));
        composer.executeProposal();
        _warp(1);
        vm.prank(attacker);
        composer.executeProposal(); // anyone, once mature
        assertEq(vault.constituent(0).targetWeightBps, 2800);
    }

    /// Attack: call the rebalancing module's privileged functions with every wrong role.
    function test_accessControl_rebalancerFunctionsByWrongRoles_revert() public {
        address[5] memory wrong = [attacker, admin, keeper, guardian, alice];
        bytes32 managerRole = vault.MANAGER_ROLE();
        uint16[] memory targets = _targets(2000, 2000);
        RebalanceConfig memory c = _config();
        for (uint256 k; k < wrong.length; ++k) {
            vm.prank(wrong[k]);
            vm.expectRevert(
                abi.encodeWithSelector(IIndexVaultModule.IndexVaultModule__Unauthorized.selector, wrong[k], managerRole)
            );
            rb.setRebalanceConfig(c);
            vm.prank(wrong[k]);
            vm.expectRevert(
                abi.encodeWithSelector(IIndexVaultModule.IndexVaultModule__Unauthorized.selector, wrong[k], managerRole)
            );
            composer.proposeTargets(targets);
        }
        vm.prank(manager);
        composer.proposeTargets(targets);
        // Cancelling (admin) or withdrawing (manager): refused to everyone else.
        address[3] memory neither = [attacker, keeper, guardian];
        for (uint256 k; k < neither.length; ++k) {
            vm.prank(neither[k]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IIndexVaultModule.IndexVaultModule__Unauthorized.selector, neither[k], managerRole
                )
            );
            composer.cancelProposal();
        }
    }

    /// Attack (fee-cap bypass through the bounty): the manager raises the permissionless bounty above its cap so a
    /// friendly caller drains USDT through "rebalances".
    function test_feeCapBypass_bountyAboveCapIsRefused() public {
        RebalanceConfig memory c = _config();
        c.bounty = 100e6 + 1;
        vm.prank(manager);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultRebalancer.IndexVaultRebalancer__InvalidConfig.selector, "bounty", c.bounty
            )
        );
        rb.setRebalanceConfig(c);
    }

    /// A timed-out multi-step rebalance cannot hold USDT paths closed for ever: anyone may clear it, and not before.
    function test_rebalanceGriefing_stuckRebalanceClearsAfterTimeout() public {
        RebalanceConfig memory c = _config();
        c.maxTradeValue = 20_000e6;
        _setConfig(c);
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        assertTrue(vault.config().rebalancing);
        RebalanceStatus memory st = rb.rebalanceStatus();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultRebalancer.IndexVaultRebalancer__NotTimedOut.selector, st.startedAt + TIMEOUT
            )
        );
        rb.clearRebalancing();
        _warp(TIMEOUT);
        vm.prank(attacker);
        rb.clearRebalancing();
        assertFalse(vault.config().rebalancing, "USDT paths reopen");
    }
}
