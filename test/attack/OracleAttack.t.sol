// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {AttackBase} from "./AttackBase.sol";

/// @notice Oracle attacks: an attacker waits for (or causes) a bad Chainlink round — stale, zero, negative,
///         incomplete, from the future, or an L2 sequencer outage — and deposits or redeems USDT at the wrong NAV.
/// @dev Defence: every USDT path snapshots every feed through `OracleLib` and reverts with a named error; `maxDeposit`
///      and `maxRedeem` report 0 instead of reverting; the in-kind exit never reads a price and keeps working.
contract OracleAttackTest is AttackBase {
    IndexVault internal vault;
    MockAggregator internal linkFeed;
    uint256 internal attackerShares;

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        linkFeed = feedOf(constituents[2]);
        _deposit(vault, alice, 10_000e6);
        attackerShares = _deposit(vault, attacker, 10_000e6);
        _fundUsdt(vault, attacker, 10_000e6);
    }

    /// @dev Both USDT paths revert with `expected`, the ERC-4626 limits say 0, and the attacker's in-kind exit works.
    function _assertUsdtPathsClosedWith(bytes memory expected) internal {
        vm.prank(attacker);
        vm.expectRevert(expected);
        vault.deposit(10_000e6, attacker);
        vm.prank(attacker);
        vm.expectRevert(expected);
        vault.redeem(attackerShares, attacker, attacker);
        assertEq(vault.maxDeposit(attacker), 0, "maxDeposit");
        assertEq(vault.maxRedeem(attacker), 0, "maxRedeem");
        uint256 aliceShares = vault.balanceOf(alice);
        vm.prank(alice);
        uint256[] memory out = vault.redeemInKind(aliceShares, alice, alice);
        assertGt(out[2], 0, "in-kind exit still pays");
    }

    function _warpAndRefresh(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        _refreshFeeds();
    }

    /// Attack: the LINK price moved but its feed stopped updating; deposit or redeem at the stale NAV.
    function test_oracle_stalePrice_closesUsdtPaths() public {
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + heartbeatOf(constituents[2]) + 1);
        // Other feeds fresh: only LINK is stale.
        feedOf(constituents[0]).setPrice(int256(priceOf(constituents[0])));
        feedOf(constituents[1]).setPrice(int256(priceOf(constituents[1])));
        usdtFeed.setPrice(int256(priceOf(address(usdt))));
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__StalePrice.selector,
                address(linkFeed),
                updatedAt,
                heartbeatOf(constituents[2]),
                block.timestamp
            )
        );
    }

    /// Attack: a feed answers 0 (a broken aggregator): LINK would be worth nothing, so shares would be cheap.
    function test_oracle_zeroAnswer_closesUsdtPaths() public {
        linkFeed.setPrice(0);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(linkFeed), int256(0))
        );
    }

    /// Attack: a feed answers a negative number (int256 cast to a huge uint would inflate NAV).
    function test_oracle_negativeAnswer_closesUsdtPaths() public {
        linkFeed.setPrice(-1);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(linkFeed), int256(-1))
        );
    }

    /// Attack: use a round that is not complete (answeredInRound < roundId, carried-over answer).
    function test_oracle_incompleteRound_closesUsdtPaths() public {
        linkFeed.setRoundData(7, 1e8, block.timestamp, block.timestamp, 6);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__IncompleteRound.selector, address(linkFeed), uint80(7), uint80(6), block.timestamp
            )
        );
    }

    /// Attack: use a round with no timestamp (updatedAt = 0: never finalised).
    function test_oracle_roundWithoutTimestamp_closesUsdtPaths() public {
        linkFeed.setRoundData(7, 1e8, 0, 0, 7);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__IncompleteRound.selector, address(linkFeed), uint80(7), uint80(7), uint256(0)
            )
        );
    }

    /// Attack: a round stamped in the future would pass a naive `now - updatedAt` staleness check (underflow).
    function test_oracle_futureTimestamp_closesUsdtPaths() public {
        linkFeed.setRoundData(7, 15e8, block.timestamp + 1 hours, block.timestamp + 1 hours, 7);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__FutureTimestamp.selector,
                address(linkFeed),
                block.timestamp + 1 hours,
                block.timestamp
            )
        );
    }

    /// Attack: the USDT/USD feed itself is stale or broken (it scales every value).
    function test_oracle_brokenUsdtFeed_closesUsdtPaths() public {
        usdtFeed.setPrice(0);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(usdtFeed), int256(0))
        );
    }

    /// Attack: a feed that reverts (deprecated aggregator) must not brick the in-kind exit.
    function test_oracle_revertingFeed_closesUsdtPathsOnly() public {
        vm.mockCallRevert(address(linkFeed), abi.encodeWithSelector(linkFeed.latestRoundData.selector), "dead");
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(IOracleErrors.Oracle__FeedUnavailable.selector, address(linkFeed))
        );
    }

    /// Attack (L2): while the sequencer is down, feeds freeze; deposit or redeem at the frozen NAV.
    function test_oracle_sequencerDown_closesUsdtPaths() public {
        _warpAndRefresh(10 days);
        MockAggregator sequencer = new MockAggregator(0, "L2 sequencer uptime", 0);
        sequencer.setRoundData(1, 0, block.timestamp - 1 days, block.timestamp - 1 days, 1);
        _setDelayed(vault, abi.encodeCall(IIndexVault.setSequencerFeed, (address(sequencer), SEQUENCER_GRACE)));
        sequencer.setRoundData(2, 1, block.timestamp, block.timestamp, 2); // 1 = down
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(IOracleErrors.Oracle__SequencerDown.selector, address(sequencer), int256(1))
        );
    }

    /// Attack (L2): right after the sequencer restarts, prices are not yet caught up; act inside the grace period.
    function test_oracle_sequencerGracePeriod_closesUsdtPaths() public {
        _warpAndRefresh(10 days);
        MockAggregator sequencer = new MockAggregator(0, "L2 sequencer uptime", 0);
        _setDelayed(vault, abi.encodeCall(IIndexVault.setSequencerFeed, (address(sequencer), SEQUENCER_GRACE)));
        uint256 upSince = block.timestamp - 10;
        sequencer.setRoundData(2, 0, upSince, upSince, 2);
        _assertUsdtPathsClosedWith(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__GracePeriodNotOver.selector,
                address(sequencer),
                upSince,
                uint256(SEQUENCER_GRACE),
                block.timestamp
            )
        );
    }

    /// Attack: a manager (or a compromised one) points a constituent at a broken feed: refused at configuration.
    function test_oracle_settingABrokenFeed_isRefused() public {
        MockAggregator broken = new MockAggregator(8, "broken", 0);
        vm.prank(manager);
        vm.expectRevert(
            abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(broken), int256(0))
        );
        vault.setConstituentFeed(2, address(broken), 3600);
    }
}
