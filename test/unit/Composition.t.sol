// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IIndexFactory} from "../../contracts/interfaces/IIndexFactory.sol";
import {IIndexVault, ConstituentParams, ConstituentState} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {IIndexVaultComposer, ProposalInfo} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt,
    UpkeepAction
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {IIndexVaultModule} from "../../contracts/interfaces/IIndexVaultModule.sol";

import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {QuirkyToken} from "../mocks/QuirkyToken.sol";
import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Composition changes behind the delay: new targets, an added constituent, a removed one (sold down by a
///         rebalance and dropped), cancellation by the admin, and every rejection.
contract CompositionTest is RebalanceBase {
    function setUp() public override {
        super.setUp();
        depositAmount = 500_000e6; // 4 constituents: $125k each stays within 1 % slippage on the normal pools
        _setUpVault(4);
    }

    function _newConstituent(uint16 weightBps) internal view returns (ConstituentParams memory p) {
        address token = constituents[4];
        (address[] memory path, uint24[] memory fees) = buyRouteOf(token);
        p = ConstituentParams(token, weightBps, address(feedOf(token)), heartbeatOf(token), path, fees);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // New targets
    // ---------------------------------------------------------------------------------------------------------------

    function test_proposeTargets_executesOnlyAfterTheDelay() public {
        uint16[] memory t = _targets(4000, 2000, 2000, 2000);
        uint256 eta = block.timestamp + DELAY;
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.CompositionProposed(eta, t, address(0));
        vm.prank(manager);
        composer.proposeTargets(t);
        assertEq(composer.pendingProposal().eta, eta);

        vm.expectRevert(abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalNotReady.selector, eta));
        composer.executeProposal();

        _warp(DELAY);
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.CompositionExecuted(stranger, t, address(0));
        vm.prank(stranger);
        composer.executeProposal();
        assertEq(vault.constituent(0).targetWeightBps, 4000);
        assertEq(composer.pendingProposal().eta, 0, "consumed");

        // The new targets make a rebalance due; it lands on them.
        assertTrue(rb.rebalanceStatus().due);
        vm.prank(keeper);
        rb.rebalance();
        assertApproxEqAbs(rb.driftReport().weightsBps[0], 4000, 60);
    }

    function test_proposeTargets_rejections() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultModule.IndexVaultModule__Unauthorized.selector, keeper, keccak256("MANAGER_ROLE")
            )
        );
        vm.prank(keeper);
        composer.proposeTargets(_targets(4000, 2000, 2000, 2000));

        vm.startPrank(manager);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidWeights.selector, 9999));
        composer.proposeTargets(_targets(4000, 2000, 2000, 1999));
        uint16[] memory three = new uint16[](3);
        (three[0], three[1], three[2]) = (5000, 2500, 2500);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__InvalidTargets.selector, 3, 10_000)
        );
        composer.proposeTargets(three);

        composer.proposeTargets(_targets(4000, 2000, 2000, 2000));
        uint256 eta = block.timestamp + DELAY;
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalPending.selector, eta));
        composer.proposeTargets(_targets(2500, 2500, 2500, 2500));
        vm.stopPrank();
    }

    function test_cancelProposal_adminCancelsManagerWithdrawsNobodyElse() public {
        vm.prank(manager);
        composer.proposeTargets(_targets(4000, 2000, 2000, 2000));
        uint256 eta = block.timestamp + DELAY;
        for (uint256 k; k < 2; ++k) {
            address who = k == 0 ? keeper : stranger;
            vm.expectRevert(
                abi.encodeWithSelector(
                    IIndexVaultModule.IndexVaultModule__Unauthorized.selector, who, keccak256("MANAGER_ROLE")
                )
            );
            vm.prank(who);
            composer.cancelProposal();
        }

        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.CompositionCancelled(admin, eta);
        vm.prank(admin);
        composer.cancelProposal();
        _warp(DELAY);
        vm.expectRevert(IIndexVaultComposer.IndexVaultComposer__NoProposal.selector);
        composer.executeProposal();
        vm.expectRevert(IIndexVaultComposer.IndexVaultComposer__NoProposal.selector);
        vm.prank(admin);
        composer.cancelProposal();

        // The manager withdraws its own proposal.
        vm.prank(manager);
        composer.proposeTargets(_targets(2500, 2500, 2500, 2500));
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.CompositionCancelled(manager, block.timestamp + DELAY);
        vm.prank(manager);
        composer.cancelProposal();
        assertEq(composer.pendingProposal().eta, 0);
    }

    function test_checkProposal_revertsWithTheReasonExecutionWould() public {
        vm.expectRevert(IIndexVaultComposer.IndexVaultComposer__NoProposal.selector);
        composer.checkProposal();
        vm.prank(manager);
        composer.proposeTargets(_targets(4000, 2000, 2000, 2000));
        uint256 eta = block.timestamp + DELAY;
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalNotReady.selector, eta));
        composer.checkProposal();
        (bool needed,) = rb.checkUpkeep("");
        assertFalse(needed, "not advertised before the delay");
        _warp(DELAY);
        assertEq(composer.checkProposal(), eta);
        (bool needed2, bytes memory data) = rb.checkUpkeep("");
        assertTrue(needed2);
        assertEq(uint8(abi.decode(data, (UpkeepAction))), uint8(UpkeepAction.ExecuteProposal));
    }

    function test_executeProposal_waitsForAMultiStepRebalance() public {
        vm.prank(manager);
        composer.proposeTargets(_targets(4000, 2000, 2000, 2000));
        _warp(DELAY);
        // A capped step enters the rebalancing state.
        RebalanceConfig memory c = _config();
        c.maxTradeValue = 20_000e6;
        _setConfig(c);
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        assertTrue(vault.config().rebalancing);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        composer.executeProposal();
        (bool needed, bytes memory data) = rb.checkUpkeep("");
        assertTrue(
            !needed || abi.decode(data, (UpkeepAction)) != UpkeepAction.ExecuteProposal,
            "not advertised while it would revert"
        );
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Add a constituent
    // ---------------------------------------------------------------------------------------------------------------

    function test_proposeAddConstituent_addsAndRebalanceBuysIt() public {
        uint16[] memory t = new uint16[](5);
        (t[0], t[1], t[2], t[3], t[4]) = (2000, 2000, 2000, 2000, 2000);
        ConstituentParams memory p = _newConstituent(2000);
        _proposeAdd(p, t);
        ProposalInfo memory info = composer.pendingProposal();
        assertEq(info.token, p.token);
        assertEq(info.path, p.path);

        _warp(DELAY);
        composer.executeProposal();
        assertEq(vault.constituentCount(), 5);
        assertEq(vault.constituent(4).token, p.token);
        assertEq(vault.constituent(4).targetWeightBps, 2000);
        assertEq(vault.constituent(4).pools[0], poolOf(address(usdt), p.token, p.fees[0]));

        vm.prank(keeper);
        rb.rebalance();
        assertGt(IERC20(p.token).balanceOf(address(vault)), 0, "bought");
        assertLt(rb.driftReport().maxDeviationBps, THRESHOLD_BPS);
    }

    function test_proposeAddConstituent_rejections() public {
        uint16[] memory t = new uint16[](5);
        (t[0], t[1], t[2], t[3], t[4]) = (2000, 2000, 2000, 2000, 2000);
        vm.startPrank(manager);
        // Already listed.
        ConstituentParams memory dup = _newConstituent(2000);
        dup.token = constituents[0];
        (dup.path, dup.fees) = buyRouteOf(constituents[0]);
        dup.feed = address(feedOf(constituents[0]));
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidConstituent.selector, constituents[0]));
        composer.proposeAddConstituent(dup, t, ConstantsLib.MIN_PROBE_AMOUNT);
        // Route not ending at the token.
        ConstituentParams memory bad = _newConstituent(2000);
        (bad.path,) = buyRouteOf(constituents[5]);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidRoute.selector, bad.token));
        composer.proposeAddConstituent(bad, t, ConstantsLib.MIN_PROBE_AMOUNT);
        // Zero target for the newcomer.
        t[4] = 0;
        t[0] = 4000;
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__InvalidTargets.selector, 5, 10_000)
        );
        composer.proposeAddConstituent(_newConstituent(0), t, ConstantsLib.MIN_PROBE_AMOUNT);
        vm.stopPrank();
    }

    /// The factory's fee-on-transfer probe runs on composition too (one admission rule, `AdmissionLib`).
    function test_proposeAddConstituent_refusesAFeeOnTransferToken() public {
        (QuirkyToken token, MockAggregator feed) = _listQuirkyToken(18, 10e8, 10_000_000);
        token.setFeeBps(10);
        ConstituentParams memory p = _quirkyParams(token, feed, 2000);
        uint16[] memory t = new uint16[](5);
        (t[0], t[1], t[2], t[3], t[4]) = (2000, 2000, 2000, 2000, 2000);
        uint256 probe = 1e18;
        token.mint(manager, probe);
        vm.startPrank(manager);
        token.approve(address(vault), probe);
        uint256 received = probe - probe * 10 / 10_000;
        vm.expectRevert(
            abi.encodeWithSelector(IIndexFactory.IndexFactory__FeeOnTransfer.selector, address(token), probe, received)
        );
        composer.proposeAddConstituent(p, t, probe);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexFactory.IndexFactory__ProbeTooSmall.selector,
                address(token),
                ConstantsLib.MIN_PROBE_AMOUNT - 1,
                ConstantsLib.MIN_PROBE_AMOUNT
            )
        );
        composer.proposeAddConstituent(p, t, ConstantsLib.MIN_PROBE_AMOUNT - 1);
        vm.stopPrank();
        assertEq(composer.pendingProposal().eta, 0);

        // The same token without the fee is admitted, and the probe is returned in full.
        token.setFeeBps(0);
        _proposeAdd(p, t);
        assertEq(composer.pendingProposal().token, address(token));
        assertEq(token.balanceOf(manager), probe + ConstantsLib.MIN_PROBE_AMOUNT);
    }

    /// A proposed constituent whose feed stops answering is neither advertised nor executable (same reason both).
    function test_proposeAddConstituent_feedDeadAtExecution_notAdvertised() public {
        uint16[] memory t = new uint16[](5);
        (t[0], t[1], t[2], t[3], t[4]) = (2000, 2000, 2000, 2000, 2000);
        ConstituentParams memory p = _newConstituent(2000);
        _proposeAdd(p, t);
        _warp(DELAY);
        feedOf(p.token).setUpdatedAt(block.timestamp - heartbeatOf(p.token) - 1);
        (bool needed,) = rb.checkUpkeep("");
        assertFalse(needed, "a reverting execution is never advertised");
        vm.expectPartialRevert(IOracleErrors.Oracle__StalePrice.selector);
        composer.executeProposal();
        vm.expectPartialRevert(IOracleErrors.Oracle__StalePrice.selector);
        composer.checkProposal();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Remove a constituent
    // ---------------------------------------------------------------------------------------------------------------

    function test_removeConstituent_soldDownAndDropped() public {
        address removed = vault.constituent(3).token;
        vm.prank(manager);
        composer.proposeTargets(_targets(3334, 3333, 3333, 0));
        _warp(DELAY);
        composer.executeProposal();

        vm.expectEmit(true, true, false, false, address(vault));
        emit IIndexVaultRebalancer.ConstituentRemoved(3, removed, 0);
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertTrue(r.complete);
        assertEq(vault.constituentCount(), 3, "dropped once empty");
        assertEq(IERC20(removed).balanceOf(address(vault)), 0, "sold entirely");
        assertLt(rb.driftReport().maxDeviationBps, THRESHOLD_BPS);
    }

    /// Two constituents dropped in one step, one in the middle: the drop walks the step's constituent table, which
    /// must match storage below each removal (the last entry, already kept, moves into the middle slot).
    function test_removeTwoConstituents_middleAndLast_droppedAndTheTableFollows() public {
        (address keep0, address gone1, address keep2, address gone3) =
            (vault.constituent(0).token, vault.constituent(1).token, vault.constituent(2).token, vault.constituent(3).token);
        vm.prank(manager);
        composer.proposeTargets(_targets(5000, 0, 5000, 0));
        _warp(DELAY);
        composer.executeProposal();

        RebalanceReceipt memory r = _rebalanceAs(keeper);
        for (uint256 k; !r.complete && k < 5; ++k) {
            _warp(12);
            r = _rebalanceAs(keeper);
        }
        assertTrue(r.complete);
        assertEq(vault.constituentCount(), 2, "both dropped once empty");
        assertEq(vault.constituent(0).token, keep0);
        assertEq(vault.constituent(1).token, keep2, "the kept last entry moved into the middle slot");
        assertEq(IERC20(gone1).balanceOf(address(vault)), 0, "sold entirely");
        assertEq(IERC20(gone3).balanceOf(address(vault)), 0, "sold entirely");
        // The republished table (read by every USDT path) lists the same tokens as storage.
        (ConstituentState[] memory states,,) = vault.basket();
        assertEq(states.length, 2);
        assertEq(states[0].token, keep0);
        assertEq(states[1].token, keep2);
        assertEq(states[1].targetWeightBps, 5000);
    }
}
