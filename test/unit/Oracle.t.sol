// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";
import {IIndexVault, VaultParams} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {OracleHarness} from "../harness/OracleHarness.sol";

/// @notice OracleLib: every validation and its error, decimals normalisation, value conversions.
contract OracleLibTest is Test {
    OracleHarness internal oracle = new OracleHarness();
    MockAggregator internal feed;

    function setUp() public {
        vm.warp(1_700_000_000);
        feed = new MockAggregator(8, "TOK / USD", 2500e8);
    }

    function test_readPrice_normalisesTo18Decimals() public {
        assertEq(oracle.readPrice(address(feed), 3600, 8), 2500e18);
        MockAggregator d18 = new MockAggregator(18, "18", 2500e18);
        assertEq(oracle.readPrice(address(d18), 3600, 18), 2500e18);
        MockAggregator d0 = new MockAggregator(0, "0", 2500);
        assertEq(oracle.readPrice(address(d0), 3600, 0), 2500e18);
    }

    function test_readPrice_acceptsAnAnswerExactlyOneHeartbeatOld() public {
        vm.warp(block.timestamp + 3600);
        assertEq(oracle.readPrice(address(feed), 3600, 8), 2500e18);
    }

    function test_readPrice_revertsWhenStale() public {
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + 3601);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__StalePrice.selector, address(feed), updatedAt, 3600, block.timestamp
            )
        );
        oracle.readPrice(address(feed), 3600, 8);
    }

    function test_readPrice_revertsForNonPositiveAnswers() public {
        feed.setPrice(0);
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(feed), 0));
        oracle.readPrice(address(feed), 3600, 8);
        feed.setPrice(-5);
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__InvalidAnswer.selector, address(feed), -5));
        oracle.readPrice(address(feed), 3600, 8);
    }

    function test_readPrice_revertsForIncompleteRounds() public {
        feed.setRoundData(7, 2500e8, block.timestamp, block.timestamp, 6); // carried over from round 6
        vm.expectRevert(
            abi.encodeWithSelector(IOracleErrors.Oracle__IncompleteRound.selector, address(feed), 7, 6, block.timestamp)
        );
        oracle.readPrice(address(feed), 3600, 8);
        feed.setRoundData(8, 2500e8, block.timestamp, 0, 8); // never updated
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__IncompleteRound.selector, address(feed), 8, 8, 0));
        oracle.readPrice(address(feed), 3600, 8);
    }

    function test_readPrice_revertsForFutureTimestamps() public {
        feed.setRoundData(2, 2500e8, block.timestamp, block.timestamp + 1, 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__FutureTimestamp.selector, address(feed), block.timestamp + 1, block.timestamp
            )
        );
        oracle.readPrice(address(feed), 3600, 8);
    }

    function test_readPrice_revertsWhenTheFeedReverts() public {
        address notAFeed = address(new OracleHarness());
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__FeedUnavailable.selector, notAFeed));
        oracle.readPrice(notAFeed, 3600, 8);
    }

    function test_readPrice_shortOrOversizedAnswer_readsAsUnavailable() public {
        bytes memory call = abi.encodeWithSelector(MockAggregator.latestRoundData.selector);
        uint256 t = block.timestamp;
        // Four words instead of five: unavailable, not a revert of the caller.
        vm.mockCall(address(feed), call, abi.encode(uint256(1), int256(2500e8), t, t));
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__FeedUnavailable.selector, address(feed)));
        oracle.readPrice(address(feed), 3600, 8);
        (bool ok,) = oracle.tryReadPrice(address(feed), 3600, 8);
        assertFalse(ok, "short answer");
        // A round id or answeredInRound that does not fit uint80 (the ABI type): unavailable.
        vm.mockCall(address(feed), call, abi.encode(uint256(1) << 80, int256(2500e8), t, t, uint256(1)));
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__FeedUnavailable.selector, address(feed)));
        oracle.readPrice(address(feed), 3600, 8);
        vm.mockCall(address(feed), call, abi.encode(uint256(1), int256(2500e8), t, t, uint256(1) << 80));
        (ok,) = oracle.tryReadPrice(address(feed), 3600, 8);
        assertFalse(ok, "answeredInRound above 80 bits");
        // The largest uint80 round ids and a longer answer are read as the first five words.
        uint256 maxRound = type(uint80).max;
        vm.mockCall(address(feed), call, abi.encode(maxRound, int256(2400e8), t, t, maxRound, uint256(7)));
        assertEq(oracle.readPrice(address(feed), 3600, 8), 2400e18);
        vm.clearMockedCalls();
        assertEq(oracle.readPrice(address(feed), 3600, 8), 2500e18);
    }

    function test_readPrice_accountWithoutCode_readsAsUnavailable() public {
        address empty = makeAddr("no code");
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__FeedUnavailable.selector, empty));
        oracle.readPrice(empty, 3600, 8);
    }

    function test_tryReadPrice_neverReverts() public {
        (bool ok, uint256 price) = oracle.tryReadPrice(address(feed), 3600, 8);
        assertTrue(ok);
        assertEq(price, 2500e18);
        vm.warp(block.timestamp + 3601);
        (ok, price) = oracle.tryReadPrice(address(feed), 3600, 8);
        assertFalse(ok);
        assertEq(price, 0);
        (ok,) = oracle.tryReadPrice(address(oracle), 3600, 8);
        assertFalse(ok);
    }

    function test_checkSequencer_passesWithoutAFeedOrWhenUpPastGrace() public {
        oracle.checkSequencer(address(0), 3600);
        assertTrue(oracle.isSequencerReady(address(0), 3600));
        MockAggregator seq = new MockAggregator(0, "seq", 0);
        seq.setRoundData(2, 0, block.timestamp - 3601, block.timestamp - 3601, 2);
        oracle.checkSequencer(address(seq), 3600);
        assertTrue(oracle.isSequencerReady(address(seq), 3600));
    }

    function test_checkSequencer_revertsWhenDown() public {
        MockAggregator seq = new MockAggregator(0, "seq", 1);
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__SequencerDown.selector, address(seq), 1));
        oracle.checkSequencer(address(seq), 3600);
        assertFalse(oracle.isSequencerReady(address(seq), 3600));
    }

    function test_checkSequencer_revertsInsideTheGracePeriod() public {
        MockAggregator seq = new MockAggregator(0, "seq", 0); // came up now
        vm.warp(block.timestamp + 3600);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__GracePeriodNotOver.selector,
                address(seq),
                block.timestamp - 3600,
                3600,
                block.timestamp
            )
        );
        oracle.checkSequencer(address(seq), 3600);
        assertFalse(oracle.isSequencerReady(address(seq), 3600));
        seq.setRoundData(2, 0, 0, block.timestamp, 2); // startedAt = 0: invalid round
        assertFalse(oracle.isSequencerReady(address(seq), 3600));
    }

    function test_checkSequencer_revertsWhenTheFeedReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__FeedUnavailable.selector, address(oracle)));
        oracle.checkSequencer(address(oracle), 3600);
    }

    function test_toUsdt_handlesDecimalsOnce() public view {
        // 1.5 WBTC (8 dec) at $60,000 with USDT at $1 (6 dec) = 90,000 USDT
        assertEq(oracle.toUsdt(1.5e8, 60_000e18, 8, 1e18, 6, false), 90_000e6);
        // 2 WETH (18 dec) at $3,000 with USDT at $0.99 = 6060.606060 USDT (floor) / …061 (ceil)
        assertEq(oracle.toUsdt(2e18, 3000e18, 18, 0.99e18, 6, false), 6_060_606_060);
        assertEq(oracle.toUsdt(2e18, 3000e18, 18, 0.99e18, 6, true), 6_060_606_061);
        // A 6-decimal token at $2
        assertEq(oracle.toUsdt(5e6, 2e18, 6, 1e18, 6, false), 10e6);
    }

    function test_fromUsdt_isTheInverse() public view {
        assertEq(oracle.fromUsdt(90_000e6, 60_000e18, 8, 1e18, 6, false), 1.5e8);
        assertEq(oracle.fromUsdt(6_060_606_060, 3000e18, 18, 0.99e18, 6, true), 1_999_999_999_800_000_000);
        assertEq(oracle.fromUsdt(10e6, 2e18, 6, 1e18, 6, false), 5e6);
    }
}

/// @notice The vault with an L2 sequencer-uptime feed.
contract IndexVaultSequencerTest is VaultFixture {
    MockAggregator internal sequencer;
    IndexVault internal vault;

    function setUp() public override {
        super.setUp();
        vm.warp(block.timestamp + 2 hours);
        _refreshFeeds();
        sequencer = new MockAggregator(0, "L2 sequencer uptime", 0);
        sequencer.setRoundData(2, 0, block.timestamp - 2 hours, block.timestamp - 2 hours, 2);
        VaultParams memory p = _vaultParams();
        p.sequencerFeed = address(sequencer);
        p.sequencerGracePeriod = SEQUENCER_GRACE;
        vault = _createVault(p, _constituentParams(_firstTokens(3), _equalWeights(3)));
    }

    function test_deposit_worksWhenTheSequencerIsUp() public {
        assertGt(_deposit(vault, alice, 1000e6), 0);
    }

    function test_deposit_revertsWhenTheSequencerIsDown() public {
        sequencer.setRoundData(3, 1, block.timestamp, block.timestamp, 3);
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__SequencerDown.selector, address(sequencer), 1));
        vault.deposit(1000e6, alice);
        assertEq(vault.maxDeposit(alice), 0);
    }

    /// @dev The USDT paths read the sequencer feed only while one is set (`OracleConfig.hasSequencerFeed`): removing it
    ///      stops the check, setting it again restores it.
    function test_sequencerFeedRemovedThenSetAgain_theCheckFollows() public {
        sequencer.setRoundData(3, 1, block.timestamp, block.timestamp, 3); // down
        assertEq(vault.maxDeposit(alice), 0);
        _setDelayed(vault, abi.encodeCall(IIndexVault.setSequencerFeed, (address(0), 0)));
        assertEq(vault.config().sequencerFeed, address(0));
        assertEq(vault.maxDeposit(alice), type(uint256).max, "no sequencer feed: not read");
        assertGt(_deposit(vault, alice, 1000e6), 0);
        sequencer.setRoundData(4, 0, block.timestamp - 2 hours, block.timestamp - 2 hours, 4); // up (setter validates)
        _setDelayed(vault, abi.encodeCall(IIndexVault.setSequencerFeed, (address(sequencer), SEQUENCER_GRACE)));
        sequencer.setRoundData(5, 1, block.timestamp, block.timestamp, 5); // down again
        assertEq(vault.maxDeposit(alice), 0);
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOracleErrors.Oracle__SequencerDown.selector, address(sequencer), 1));
        vault.deposit(1000e6, alice);
    }

    function test_redeem_revertsDuringTheGracePeriodButInKindWorks() public {
        uint256 shares = _deposit(vault, alice, 1000e6);
        sequencer.setRoundData(3, 0, block.timestamp - 10, block.timestamp - 10, 3); // restarted 10 s ago
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleErrors.Oracle__GracePeriodNotOver.selector,
                address(sequencer),
                block.timestamp - 10,
                SEQUENCER_GRACE,
                block.timestamp
            )
        );
        vault.redeem(shares, alice, alice);
        assertEq(vault.maxRedeem(alice), 0);
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice);
        assertEq(vault.balanceOf(alice), 0);
    }
}
