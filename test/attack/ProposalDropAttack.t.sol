// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVaultComposer} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {RebalanceReceipt, UpkeepAction} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Attack (issue #12, item 4): a rebalance drops a sold-down constituent (swap-and-pop) while a composition
///         proposal is pending. Proposals kept targets by index for the list length at proposal time, so the drop
///         bricked the proposal: `executeProposal` reverted forever, a new proposal was refused while it was pending,
///         only the admin could clear it, and `checkUpkeep` kept advertising `ExecuteProposal`, which always reverted.
contract ProposalDropAttackTest is RebalanceBase {
    function setUp() public override {
        super.setUp();
        depositAmount = 500_000e6;
        _setUpVault(4);
    }

    function _token(uint256 i) internal view returns (address) {
        return vault.constituent(i).token;
    }

    /// @dev Target of `token` in the vault's list (reverts when not listed).
    function _targetOf(address token) internal view returns (uint256) {
        uint256 n = vault.constituentCount();
        for (uint256 i; i < n; ++i) {
            if (vault.constituent(i).token == token) return vault.constituent(i).targetWeightBps;
        }
        revert("not listed");
    }

    /// @dev Constituent 1 gets target 0 (executed); then `next` is proposed while it is still listed; then a rebalance
    ///      sells it down and drops it, moving constituent 3 to index 1; then the delay passes.
    function _dropUnderAPendingProposal(uint16[] memory next) internal returns (address dropped) {
        dropped = _token(1);
        vm.prank(manager);
        composer.proposeTargets(_targets(3334, 0, 3333, 3333));
        _warp(DELAY);
        composer.executeProposal();
        vm.prank(manager);
        composer.proposeTargets(next);

        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertTrue(r.complete);
        assertEq(vault.constituentCount(), 3, "dropped");
        _warp(DELAY);
    }

    /// @dev True when `checkUpkeep` advertises `action`.
    function _advertises(UpkeepAction action) internal view returns (bool) {
        (bool needed, bytes memory data) = rb.checkUpkeep("");
        return needed && abi.decode(data, (UpkeepAction)) == action;
    }

    /// The proposal survives the drop: it applies to the tokens it named, whatever their index now.
    function test_dropBricksPendingProposal_executesByTokenAfterTheDrop() public {
        (address a, address c, address d) = (_token(0), _token(2), _token(3));
        address dropped = _dropUnderAPendingProposal(_targets(4000, 0, 2000, 4000));
        assertEq(_token(1), d, "swap-and-pop moved the last constituent");

        assertTrue(_advertises(UpkeepAction.ExecuteProposal), "advertised");
        (, bytes memory performData) = rb.checkUpkeep("");
        vm.prank(stranger);
        rb.performUpkeep(performData);

        assertEq(composer.pendingProposal().eta, 0, "consumed");
        assertEq(_targetOf(a), 4000);
        assertEq(_targetOf(c), 2000);
        assertEq(_targetOf(d), 4000, "by token, not by index");
        assertTrue(dropped != address(0));
        assertFalse(_advertises(UpkeepAction.ExecuteProposal));
    }

    /// A proposal that can no longer apply (it gives the dropped token a positive target) is not advertised, and the
    /// manager withdraws it and proposes again.
    function test_dropBricksPendingProposal_staleOneIsNotAdvertisedAndTheManagerWithdrawsIt() public {
        address dropped = _dropUnderAPendingProposal(_targets(2500, 2500, 2500, 2500));

        assertFalse(_advertises(UpkeepAction.ExecuteProposal), "never advertise an action that reverts");
        bytes memory stale =
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ProposalStale.selector, dropped);
        vm.expectRevert(stale);
        composer.executeProposal();
        vm.expectRevert(stale);
        composer.checkProposal();

        uint256 eta = composer.pendingProposal().eta;
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.CompositionCancelled(manager, eta);
        vm.prank(manager);
        composer.cancelProposal();

        uint16[] memory three = new uint16[](3);
        (three[0], three[1], three[2]) = (5000, 2500, 2500);
        vm.prank(manager);
        composer.proposeTargets(three);
        _warp(DELAY);
        assertTrue(_advertises(UpkeepAction.ExecuteProposal));
        composer.executeProposal();
        assertEq(vault.constituent(0).targetWeightBps, 5000);
    }
}
