// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IIndexVaultComposer} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {IIndexVaultRebalancer, RebalanceConfig} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {IIndexVaultModule} from "../../contracts/interfaces/IIndexVaultModule.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Value-moving configuration behind the composition delay (issue #12, item 5): feeds, routes, slippage
///         widening and fee increases are queued by their setters, executed by the manager or a keeper after the
///         delay (validated again), cancelled by the admin or withdrawn by the manager; decreases stay instant; a
///         constituent's change follows its token across a rebalance's drop.
contract ConfigDelayTest is RebalanceBase {
    bytes32 internal constant MANAGER = keccak256("MANAGER_ROLE");

    function setUp() public override {
        super.setUp();
        depositAmount = 500_000e6;
        _setUpVault(4);
    }

    function _feedChange(uint256 index, MockAggregator feed) internal pure returns (bytes memory) {
        return abi.encodeCall(IIndexVault.setConstituentFeed, (index, address(feed), 3600));
    }

    /// @dev A valid feed for constituent `index` at `pct` % of its price.
    function _feedAt(uint256 index, uint256 pct) internal returns (MockAggregator) {
        return new MockAggregator(8, "alt", int256(priceOf(vault.constituent(index).token) * pct / 100));
    }

    function test_configChange_proposedWithEventAppliedOnlyAfterTheDelay() public {
        MockAggregator feed = _feedAt(0, 100);
        bytes memory change = _feedChange(0, feed);
        bytes32 id = keccak256(change);
        address token = vault.constituent(0).token;
        uint256 eta = block.timestamp + DELAY;

        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.ConfigChangeProposed(id, eta, token, change);
        _proposeConfig(vault, change);
        (uint256 pendingEta, address pendingToken) = composer.pendingConfigChange(id);
        assertEq(pendingEta, eta);
        assertEq(pendingToken, token);

        // One second early: refused, and nothing changed.
        vm.warp(eta - 1);
        _refreshFeeds();
        feed.setPrice(int256(priceOf(token)));
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__ConfigChangeNotReady.selector, id, eta)
        );
        _executeConfig(vault, change);
        assertEq(vault.constituent(0).feed, address(feedOf(token)));

        vm.warp(eta);
        vm.expectEmit(address(vault));
        emit IIndexVault.ConstituentFeedSet(0, token, address(feed), 3600);
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.ConfigChangeExecuted(id, manager);
        _executeConfig(vault, change);
        assertEq(vault.constituent(0).feed, address(feed));
        (pendingEta,) = composer.pendingConfigChange(id);
        assertEq(pendingEta, 0, "consumed");
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__UnknownConfigChange.selector, id)
        );
        _executeConfig(vault, change);
    }

    function test_configChange_executedByManagerOrKeeperOnly() public {
        bytes memory change = abi.encodeCall(IIndexVault.setMaxSlippage, (300));
        _proposeConfig(vault, change);
        _waitConfigDelay(vault);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultModule.IndexVaultModule__Unauthorized.selector, stranger, MANAGER)
        );
        vm.prank(stranger);
        composer.executeConfigChange(change);
        vm.prank(keeper);
        composer.executeConfigChange(change);
        assertEq(vault.config().maxSlippageBps, 300);
    }

    function test_configChange_adminCancelsManagerWithdrawsNobodyElse() public {
        bytes memory a = abi.encodeCall(IIndexVault.setMintFee, (150));
        bytes memory b = abi.encodeCall(IIndexVault.setBurnFee, (150));
        _proposeConfig(vault, a);
        _proposeConfig(vault, b);
        for (uint256 k; k < 2; ++k) {
            address who = k == 0 ? keeper : stranger;
            vm.expectRevert(
                abi.encodeWithSelector(IIndexVaultModule.IndexVaultModule__Unauthorized.selector, who, MANAGER)
            );
            vm.prank(who);
            composer.cancelConfigChange(keccak256(a));
        }
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.ConfigChangeCancelled(keccak256(a), admin);
        vm.prank(admin);
        composer.cancelConfigChange(keccak256(a));
        vm.expectEmit(address(vault));
        emit IIndexVaultComposer.ConfigChangeCancelled(keccak256(b), manager);
        vm.prank(manager);
        composer.cancelConfigChange(keccak256(b));

        _waitConfigDelay(vault);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__UnknownConfigChange.selector, keccak256(a))
        );
        _executeConfig(vault, a);
        assertEq(vault.config().mintFeeBps, MINT_FEE_BPS);
        assertEq(vault.config().burnFeeBps, BURN_FEE_BPS);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultComposer.IndexVaultComposer__UnknownConfigChange.selector, keccak256(a))
        );
        vm.prank(admin);
        composer.cancelConfigChange(keccak256(a));
    }

    function test_configChange_samePendingChangeRefused() public {
        bytes memory change = abi.encodeCall(IIndexVault.setMintFee, (150));
        _proposeConfig(vault, change);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultComposer.IndexVaultComposer__ConfigChangePending.selector,
                keccak256(change),
                block.timestamp + DELAY
            )
        );
        _proposeConfig(vault, change);
    }

    /// Decreases of fees and of the slippage cap, the minimum deposit and pauses stay instant.
    function test_configChange_decreasesStayInstant() public {
        vm.startPrank(manager);
        vault.setMintFee(0);
        vault.setBurnFee(10);
        vault.setManagementFee(20);
        vault.setMaxSlippage(50);
        vault.setMinDeposit(1);
        vm.stopPrank();
        vm.prank(guardian);
        vault.pause(1);
        assertEq(vault.config().mintFeeBps, 0);
        assertEq(vault.config().burnFeeBps, 10);
        assertEq(vault.config().managementFeeBps, 20);
        assertEq(vault.config().maxSlippageBps, 50);
        assertEq(vault.config().minDeposit, 1);
        assertEq(vault.config().pauseFlags, 1);
    }

    /// A feed that answered at proposal but no longer does is refused at execution (validated again).
    function test_configChange_feedValidatedAgainAtExecution() public {
        MockAggregator feed = _feedAt(1, 100);
        bytes memory change = _feedChange(1, feed);
        _proposeConfig(vault, change);
        _waitConfigDelay(vault);
        feed.setPrice(0);
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(feed), int256(0)));
        _executeConfig(vault, change);
        assertEq(vault.constituent(1).feed, address(feedOf(vault.constituent(1).token)));
    }

    /// A management-fee increase accrues at the OLD rate up to its execution.
    function test_configChange_managementFeeIncreaseAccruesAtTheOldRateFirst() public {
        bytes memory change = abi.encodeCall(IIndexVault.setManagementFee, (500));
        _proposeConfig(vault, change);
        _waitConfigDelay(vault);
        uint256 owed = vault.pendingManagementFeeShares();
        assertGt(owed, 0);
        uint256 before = vault.balanceOf(feeRecipient);
        _executeConfig(vault, change);
        assertEq(vault.balanceOf(feeRecipient) - before, owed, "accrued at 1 %, not 5 %");
        assertEq(vault.config().managementFeeBps, 500);
        assertEq(vault.config().lastFeeAccrual, block.timestamp);
    }

    /// A constituent's change follows its token when a rebalance's drop moves it to another index, and is refused
    /// (stale) for a token that was dropped.
    function test_configChange_followsTheTokenAcrossADrop() public {
        uint16[] memory t = new uint16[](4);
        (t[0], t[1], t[2], t[3]) = (3334, 0, 3333, 3333);
        vm.prank(manager);
        composer.proposeTargets(t);
        _warp(DELAY);
        composer.executeProposal();

        address moved = vault.constituent(3).token;
        address dropped = vault.constituent(1).token;
        MockAggregator movedFeed = _feedAt(3, 100);
        MockAggregator droppedFeed = _feedAt(1, 100);
        bytes memory forMoved = _feedChange(3, movedFeed);
        bytes memory forDropped = _feedChange(1, droppedFeed);
        _proposeConfig(vault, forMoved);
        _proposeConfig(vault, forDropped);

        _rebalanceAs(keeper); // sells constituent 1 down and drops it: constituent 3 moves to index 1
        assertEq(vault.constituentCount(), 3);
        assertEq(vault.constituent(1).token, moved);

        _waitConfigDelay(vault);
        movedFeed.setPrice(int256(priceOf(moved)));
        droppedFeed.setPrice(int256(priceOf(dropped)));
        vm.expectEmit(address(vault));
        emit IIndexVault.ConstituentFeedSet(1, moved, address(movedFeed), 3600);
        _executeConfig(vault, forMoved);
        assertEq(vault.constituent(1).feed, address(movedFeed), "applied to the token, at its new index");
        assertEq(vault.constituent(2).feed, address(feedOf(vault.constituent(2).token)), "nobody else touched");

        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultComposer.IndexVaultComposer__ConfigChangeStale.selector, keccak256(forDropped), dropped
            )
        );
        _executeConfig(vault, forDropped);
        vm.prank(manager);
        composer.cancelConfigChange(keccak256(forDropped));
    }

    /// Not while a multi-step rebalance is in flight (the plan was priced with the feeds in force).
    function test_configChange_waitsForAMultiStepRebalance() public {
        MockAggregator feed = _feedAt(0, 100);
        bytes memory change = _feedChange(0, feed);
        _proposeConfig(vault, change);
        RebalanceConfig memory c = _config();
        c.maxTradeValue = 20_000e6;
        _setConfig(c);
        _warp(DELAY);
        feed.setPrice(int256(priceOf(vault.constituent(0).token)));
        _drift();
        vm.prank(keeper);
        rb.rebalance();
        assertTrue(vault.config().rebalancing);
        vm.expectRevert(IIndexVault.IndexVault__RebalanceInProgress.selector);
        _executeConfig(vault, change);
    }
}
