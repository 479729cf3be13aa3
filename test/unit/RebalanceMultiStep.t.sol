// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt,
    RebalanceReason,
    RebalanceStatus,
    UpkeepAction
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Multi-step rebalances under a per-trade cap (the `rebalancing` pause and its timeout), the permissionless
///         fallback with its bounty, and the Chainlink Automation entry points.
contract RebalanceMultiStepTest is RebalanceBase {
    uint64 internal constant CAP = 20_000e6; // {USDT units} per trade

    function setUp() public override {
        super.setUp();
        _setUpVault(5);
    }

    function _capped() internal {
        RebalanceConfig memory c = _config();
        c.maxTradeValue = CAP;
        _setConfig(c);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Multi-step
    // ---------------------------------------------------------------------------------------------------------------

    function test_rebalance_multiStepPausesUsdtPathsUntilComplete() public {
        _capped();
        _drift();
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertFalse(r.complete, "capped: not done in one step");
        assertEq(r.step, 1);
        assertTrue(vault.config().rebalancing, "rebalancing state");
        assertEq(vault.maxDeposit(alice), 0);

        // USDT deposit and redeem wait; redeemInKind always works.
        _fundUsdt(vault, bob, 1000e6);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        vm.prank(bob);
        vault.deposit(1000e6, bob);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        vm.prank(alice);
        vault.redeem(1e18, alice, alice);
        vm.prank(alice);
        vault.redeemInKind(1e18, alice, alice);

        // One step per block.
        vm.expectRevert(IIndexVaultRebalancer.IndexVaultRebalancer__OneStepPerBlock.selector);
        vm.prank(keeper);
        rb.rebalance();

        RebalanceStatus memory st;
        uint256 steps = 1;
        while (!r.complete) {
            _warp(12);
            st = rb.rebalanceStatus();
            assertEq(uint8(st.reason), uint8(RebalanceReason.Continue));
            assertTrue(st.due);
            r = _rebalanceAs(keeper);
            ++steps;
            assertEq(r.step, steps);
            assertLe(r.sold, uint256(CAP) * 5, "each trade capped");
            require(steps < 20, "does not converge");
        }
        assertGt(steps, 2, "several steps");
        assertFalse(vault.config().rebalancing, "pause lifted on completion");
        assertLt(_maxDeviationBps(), THRESHOLD_BPS, "on target");
        _deposit(vault, bob, 1000e6); // USDT paths open again
        emit log_named_uint("steps of a capped rebalance (5 constituents, $1M, cap $20k)", steps);
    }

    function test_clearRebalancing_onlyAfterTimeout() public {
        _capped();
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        uint256 startedAt = block.timestamp;
        IIndexVaultRebalancer idle = IIndexVaultRebalancer(address(_createVault(2)));
        vm.expectRevert(IIndexVaultRebalancer.IndexVaultRebalancer__NotRebalancing.selector);
        vm.prank(stranger);
        idle.clearRebalancing();

        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultRebalancer.IndexVaultRebalancer__NotTimedOut.selector, startedAt + TIMEOUT
            )
        );
        vm.prank(stranger);
        rb.clearRebalancing();

        _warp(TIMEOUT);
        assertEq(uint8(rb.rebalanceStatus().reason), uint8(RebalanceReason.TimedOut));
        vm.expectEmit(address(vault));
        emit IIndexVaultRebalancer.RebalancingCleared(stranger, startedAt, 1);
        vm.prank(stranger);
        rb.clearRebalancing();
        assertFalse(vault.config().rebalancing);
        _deposit(vault, bob, 1000e6);
    }

    function test_rebalance_afterTimeoutRestartsAsNew() public {
        _capped();
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        _warp(TIMEOUT);
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertEq(r.step, 1, "a fresh rebalance");
        assertTrue(vault.config().rebalancing);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Permissionless fallback
    // ---------------------------------------------------------------------------------------------------------------

    function test_rebalance_anyoneAfterGracePeriodIsPaidTheBounty() public {
        _drift();
        vm.prank(stranger);
        assertTrue(rb.pokeDrift(), "flagged");
        uint256 openAt = block.timestamp + GRACE;
        assertEq(rb.rebalanceStatus().permissionlessAt, openAt);

        _warp(GRACE - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector, openAt)
        );
        vm.prank(stranger);
        rb.rebalance();

        _warp(1);
        uint256 before = usdt.balanceOf(stranger);
        RebalanceReceipt memory r = _rebalanceAs(stranger);
        assertEq(usdt.balanceOf(stranger) - before, BOUNTY, "bounty paid");
        assertEq(r.bounty, BOUNTY);
        assertTrue(r.complete);
        assertLt(_maxDeviationBps(), THRESHOLD_BPS);
        assertEq(rb.rebalanceStatus().permissionlessAt, 0, "flag cleared on completion");
    }

    function test_rebalance_keeperStepRestartsTheGracePeriod() public {
        _capped();
        _drift();
        rb.pokeDrift();
        _warp(GRACE / 2);
        vm.prank(keeper);
        rb.rebalance(); // incomplete step by the keeper
        _warp(GRACE / 2 + 1);
        uint256 openAt = rb.rebalanceStatus().permissionlessAt;
        assertGt(openAt, block.timestamp, "the keeper is alive: no permissionless step yet");
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector, openAt)
        );
        vm.prank(stranger);
        rb.rebalance();
    }

    function test_pokeDrift_flagsAndClears() public {
        vm.prank(stranger);
        assertFalse(rb.pokeDrift(), "on target: nothing flagged");
        _scalePrice(0, 140, 100);
        vm.expectEmit(address(vault));
        emit IIndexVaultRebalancer.DriftFlagged(rb.driftReport().maxDeviationBps, THRESHOLD_BPS);
        assertTrue(rb.pokeDrift());
        _scalePrice(0, 100, 140); // back
        vm.expectEmit(address(vault));
        emit IIndexVaultRebalancer.DriftFlagCleared();
        assertFalse(rb.pokeDrift());
        assertEq(rb.rebalanceStatus().permissionlessAt, 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Chainlink Automation
    // ---------------------------------------------------------------------------------------------------------------

    function test_checkUpkeep_falseOnTargetTrueWhenDrifted() public {
        (bool needed, bytes memory data) = rb.checkUpkeep("");
        assertFalse(needed);
        assertEq(data.length, 0);
        _drift();
        (needed, data) = rb.checkUpkeep("");
        assertTrue(needed);
        assertEq(data, abi.encode(UpkeepAction.Rebalance));
    }

    function test_performUpkeep_rebalancesAsKeeperOnly() public {
        _drift();
        (, bytes memory data) = rb.checkUpkeep("");
        vm.expectPartialRevert(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector);
        vm.prank(stranger);
        rb.performUpkeep(data);
        vm.prank(keeper);
        rb.performUpkeep(data);
        assertLt(_maxDeviationBps(), THRESHOLD_BPS);
        (bool needed,) = rb.checkUpkeep("");
        assertFalse(needed);
        // A replayed payload re-checks on-chain: nothing is due any more.
        vm.expectPartialRevert(IIndexVaultRebalancer.IndexVaultRebalancer__NotDue.selector);
        vm.prank(keeper);
        rb.performUpkeep(data);
    }

    function test_performUpkeep_rejectsUnknownAction() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__InvalidUpkeep.selector, 9));
        vm.prank(keeper);
        rb.performUpkeep(abi.encode(uint8(9)));
    }

    function test_checkUpkeep_staleFeedMeansNoUpkeepNotRevert() public {
        _drift();
        vm.warp(block.timestamp + 2 days);
        (bool needed,) = rb.checkUpkeep("");
        assertFalse(needed);
    }

    function test_upkeep_clearsATimedOutRebalance() public {
        _capped();
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        _warp(TIMEOUT);
        (bool needed, bytes memory data) = rb.checkUpkeep("");
        assertTrue(needed);
        assertEq(data, abi.encode(UpkeepAction.ClearRebalancing));
        vm.prank(stranger);
        rb.performUpkeep(data);
        assertFalse(vault.config().rebalancing);
    }
}
