// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt,
    UpkeepAction
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Attacks on the keeper's grace period (security round 2, item 2): a bounty hunter takes a rebalance (and
///         its bounty) from a live keeper without the keeper ever having had its exclusive window — through a drift
///         flag left over from an earlier episode, or a flag raised during the keeper's cooldown when the cooldown is
///         longer than the grace period.
contract KeeperGraceAttackTest is RebalanceBase {
    address internal attacker = makeAddr("attacker");

    function setUp() public override {
        super.setUp();
        _setUpVault(5);
    }

    function _expectGraceNotOver(uint256 at) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultRebalancer.IndexVaultRebalancer__GracePeriodNotOver.selector, at)
        );
    }

    /// Attack: flag drift once, let it return under the threshold on its own (nobody pokes), and days later, in the
    /// block where drift crosses the threshold again, rebalance permissionlessly and take the bounty before the
    /// keeper could act. Outcome: the old flag has expired; the attacker must flag the new episode, which gives the
    /// keeper its full grace period; the keeper rebalances inside it and no bounty is paid.
    function test_staleDriftFlag_doesNotOpenANewDriftEpisodeToAnyone() public {
        _drift();
        vm.prank(attacker);
        assertTrue(rb.pokeDrift(), "first episode flagged");
        // Prices come back on their own: drift is under the threshold and nobody pokes.
        _scalePrice(0, 100, 140);
        _scalePrice(1, 100, 75);
        assertLt(_maxDeviationBps(), THRESHOLD_BPS, "episode over");
        _warp(3 days);
        // Drift crosses the threshold again; the attacker acts in the same block.
        _drift();
        vm.prank(attacker);
        _expectGraceNotOver(0);
        rb.rebalance();
        assertEq(rb.rebalanceStatus().permissionlessAt, 0, "an expired flag is not reported as open");

        // The attacker flags the new episode: the keeper gets a full grace period from now.
        vm.prank(attacker);
        assertTrue(rb.pokeDrift(), "new episode flagged");
        uint256 openAt = block.timestamp + GRACE;
        assertEq(rb.rebalanceStatus().permissionlessAt, openAt, "grace of the new episode");
        _warp(GRACE - 1);
        vm.prank(attacker);
        _expectGraceNotOver(openAt);
        rb.rebalance();
        uint256 attackerUsdt = usdt.balanceOf(attacker);
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertTrue(r.complete, "the keeper rebalanced inside its window");
        assertEq(r.bounty, 0, "no bounty");
        assertEq(usdt.balanceOf(attacker), attackerUsdt, "the attacker earned nothing");
    }

    /// Attack: with a valid configuration whose cooldown (3 days) is longer than the grace period (1 hour), flag
    /// drift right after the keeper's rebalance and race the keeper at the end of its cooldown, when the flag is
    /// already older than the grace period. Outcome: the grace period counts from the end of the cooldown; the
    /// keeper (told by `checkUpkeep`) has the first hour alone and rebalances without paying a bounty.
    function test_cooldownLongerThanGrace_keeperKeepsAnExclusiveWindow() public {
        RebalanceConfig memory c = _config();
        c.cooldown = 3 days;
        c.gracePeriod = 1 hours;
        _setConfig(c);
        _drift();
        assertTrue(_rebalanceAs(keeper).complete, "keeper rebalanced");
        uint256 cooldownEnd = block.timestamp + 3 days;

        // The market moves again at once; the attacker flags it during the keeper's cooldown.
        _warp(60);
        _drift();
        vm.prank(attacker);
        assertTrue(rb.pokeDrift(), "flagged during the cooldown");
        uint256 openAt = cooldownEnd + 1 hours;

        _warp(cooldownEnd - block.timestamp);
        vm.prank(attacker);
        _expectGraceNotOver(openAt);
        rb.rebalance();
        assertEq(rb.rebalanceStatus().permissionlessAt, openAt, "grace counts from the end of the cooldown");
        (bool needed, bytes memory data) = rb.checkUpkeep("");
        assertTrue(needed, "the keeper is told");
        assertEq(uint8(abi.decode(data, (UpkeepAction))), uint8(UpkeepAction.Rebalance));

        _warp(1 hours - 1);
        vm.prank(attacker);
        _expectGraceNotOver(openAt);
        rb.rebalance();
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertTrue(r.complete);
        assertEq(r.bounty, 0, "no bounty");
    }
}
