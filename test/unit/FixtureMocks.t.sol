// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {MockUSDT} from "../../contracts/mocks/MockUSDT.sol";
import {MockWETH9} from "../../contracts/mocks/MockWETH9.sol";

/// @dev A contract written against the standard IERC20 (expects `bool` returns), like a naive integrator.
contract NaiveErc20User {
    function transfer(IERC20 token, address to, uint256 amount) external {
        token.transfer(to, amount);
    }

    function approve(IERC20 token, address spender, uint256 amount) external {
        token.approve(spender, amount);
    }
}

/// @dev A contract using OpenZeppelin SafeERC20, like our protocol.
contract SafeErc20User {
    using SafeERC20 for IERC20;

    function transfer(IERC20 token, address to, uint256 amount) external {
        token.safeTransfer(to, amount);
    }

    function transferFrom(IERC20 token, address from, address to, uint256 amount) external {
        token.safeTransferFrom(from, to, amount);
    }

    function forceApprove(IERC20 token, address spender, uint256 amount) external {
        token.forceApprove(spender, amount);
    }
}

/// @notice The mocks behave like the mainnet contracts they stand for.
contract FixtureMocksTest is Test {
    MockUSDT internal usdt;
    MockWETH9 internal weth;
    MockAggregator internal feed;
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    event Deposit(address indexed dst, uint256 wad);
    event Withdrawal(address indexed src, uint256 wad);

    function setUp() public {
        usdt = new MockUSDT();
        weth = new MockWETH9();
        vm.warp(1_700_000_000);
        feed = new MockAggregator(8, "ETH / USD", 3000e8);
    }

    // ----- MockUSDT -----

    function test_usdt_metadataMatchesMainnet() public view {
        assertEq(usdt.decimals(), 6);
        assertEq(usdt.symbol(), "USDT");
        assertEq(usdt.name(), "Tether USD");
    }

    function test_usdt_transferReturnsNoData() public {
        usdt.mint(address(this), 100e6);
        (bool ok, bytes memory ret) = address(usdt).call(abi.encodeCall(IERC20.transfer, (bob, 40e6)));
        assertTrue(ok);
        assertEq(ret.length, 0);
        (ok, ret) = address(usdt).call(abi.encodeCall(IERC20.approve, (bob, 1)));
        assertTrue(ok);
        assertEq(ret.length, 0);
        vm.prank(bob);
        (ok, ret) = address(usdt).call(abi.encodeCall(IERC20.transferFrom, (address(this), bob, 1)));
        assertTrue(ok);
        assertEq(ret.length, 0);
        assertEq(usdt.balanceOf(bob), 40e6 + 1);
    }

    function test_usdt_callerExpectingBoolReverts() public {
        NaiveErc20User naive = new NaiveErc20User();
        usdt.mint(address(naive), 100e6);
        // USDT returns no data: the caller's ABI decoder of the expected bool reverts, with empty revert data.
        vm.expectRevert(bytes(""));
        naive.transfer(IERC20(address(usdt)), bob, 1e6);
        vm.expectRevert(bytes(""));
        naive.approve(IERC20(address(usdt)), bob, 1e6);
    }

    function test_usdt_approveFromNonZeroToNonZeroReverts() public {
        vm.startPrank(alice);
        usdt.approve(bob, 5e6);
        vm.expectRevert(abi.encodeWithSelector(MockUSDT.MockUSDT__ApproveFromNonZero.selector, alice, bob, 5e6, 7e6));
        usdt.approve(bob, 7e6);
        usdt.approve(bob, 0);
        usdt.approve(bob, 7e6);
        vm.stopPrank();
        assertEq(usdt.allowance(alice, bob), 7e6);
    }

    function test_usdt_safeErc20Copes() public {
        SafeErc20User user = new SafeErc20User();
        IERC20 token = IERC20(address(usdt));
        usdt.mint(address(user), 100e6);

        user.forceApprove(token, bob, 5e6);
        user.forceApprove(token, bob, 9e6); // non-zero -> non-zero: forceApprove resets to 0 first
        assertEq(usdt.allowance(address(user), bob), 9e6);

        user.transfer(token, bob, 30e6);
        assertEq(usdt.balanceOf(bob), 30e6);

        vm.prank(bob);
        usdt.approve(address(user), 10e6);
        user.transferFrom(token, bob, alice, 10e6);
        assertEq(usdt.balanceOf(alice), 10e6);
        assertEq(usdt.allowance(bob, address(user)), 0);

        vm.expectRevert(
            abi.encodeWithSelector(MockUSDT.MockUSDT__InsufficientBalance.selector, address(user), 70e6, 71e6)
        );
        user.transfer(token, bob, 71e6);
    }

    function test_usdt_transferFromSpendsFiniteAllowanceButNotMax() public {
        usdt.mint(alice, 100e6);
        vm.prank(alice);
        usdt.approve(bob, 10e6);
        vm.prank(bob);
        usdt.transferFrom(alice, bob, 4e6);
        assertEq(usdt.allowance(alice, bob), 6e6);
        vm.expectRevert(abi.encodeWithSelector(MockUSDT.MockUSDT__InsufficientAllowance.selector, alice, bob, 6e6, 7e6));
        vm.prank(bob);
        usdt.transferFrom(alice, bob, 7e6);

        vm.startPrank(alice);
        usdt.approve(bob, 0);
        usdt.approve(bob, type(uint256).max);
        vm.stopPrank();
        vm.prank(bob);
        usdt.transferFrom(alice, bob, 50e6);
        assertEq(usdt.allowance(alice, bob), type(uint256).max);
        assertEq(usdt.balanceOf(bob), 54e6);
        assertEq(usdt.totalSupply(), 100e6);
    }

    // ----- MockERC20 -----

    function test_erc20_configurableDecimalsAndOpenMint() public {
        MockERC20 wbtc = new MockERC20("Wrapped BTC", "WBTC", 8);
        assertEq(wbtc.decimals(), 8);
        vm.prank(alice);
        wbtc.mint(bob, 3e8);
        assertEq(wbtc.balanceOf(bob), 3e8);
        assertEq(wbtc.totalSupply(), 3e8);
    }

    // ----- MockWETH9 -----

    function test_weth_depositAndWithdrawAreOneToOne() public {
        vm.deal(alice, 5 ether);
        vm.expectEmit(address(weth));
        emit Deposit(alice, 2 ether);
        vm.prank(alice);
        weth.deposit{value: 2 ether}();
        assertEq(weth.balanceOf(alice), 2 ether);
        assertEq(address(weth).balance, 2 ether);

        vm.expectEmit(address(weth));
        emit Withdrawal(alice, 0.5 ether);
        vm.prank(alice);
        weth.withdraw(0.5 ether);
        assertEq(weth.balanceOf(alice), 1.5 ether);
        assertEq(alice.balance, 3.5 ether);
        assertEq(weth.totalSupply(), 1.5 ether);
    }

    function test_weth_plainEthTransferAndUnknownCalldataWrap() public {
        vm.deal(alice, 3 ether);
        vm.startPrank(alice);
        (bool ok,) = address(weth).call{value: 1 ether}("");
        assertTrue(ok);
        (ok,) = address(weth).call{value: 1 ether}(hex"deadbeef");
        assertTrue(ok);
        vm.stopPrank();
        assertEq(weth.balanceOf(alice), 2 ether);
    }

    function test_weth_transferFromOwnTokensNeedsNoAllowance() public {
        weth.mint(alice, 1 ether);
        vm.prank(alice);
        weth.transferFrom(alice, bob, 0.4 ether);
        assertEq(weth.balanceOf(bob), 0.4 ether);
        // bob moving alice's tokens still needs her allowance
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, 0.1 ether));
        vm.prank(bob);
        weth.transferFrom(alice, bob, 0.1 ether);
    }

    function test_weth_withdrawOfUnbackedMintFailsLoudly() public {
        weth.mint(alice, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(MockWETH9.MockWETH9__EthTransferFailed.selector, alice, 1 ether));
        vm.prank(alice);
        weth.withdraw(1 ether);
    }

    // ----- MockAggregator -----

    function test_aggregator_constructorWritesRoundOne() public view {
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
            feed.latestRoundData();
        assertEq(roundId, 1);
        assertEq(answer, 3000e8);
        assertEq(startedAt, 1_700_000_000);
        assertEq(updatedAt, 1_700_000_000);
        assertEq(answeredInRound, 1);
        assertEq(feed.decimals(), 8);
        assertEq(feed.description(), "ETH / USD");
        assertEq(feed.version(), 4);
    }

    function test_aggregator_setPriceStartsANewRoundNow() public {
        vm.warp(1_700_000_600);
        feed.setPrice(3100e8);
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
            feed.latestRoundData();
        assertEq(roundId, 2);
        assertEq(answer, 3100e8);
        assertEq(startedAt, 1_700_000_600);
        assertEq(updatedAt, 1_700_000_600);
        assertEq(answeredInRound, 2);
        (, int256 oldAnswer,, uint256 oldUpdatedAt,) = feed.getRoundData(1);
        assertEq(oldAnswer, 3000e8);
        assertEq(oldUpdatedAt, 1_700_000_000);
    }

    function test_aggregator_setRoundDataModelsAnIncompleteRound() public {
        feed.setRoundData(7, 2900e8, 1_699_990_000, 1_699_999_000, 5);
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
            feed.latestRoundData();
        assertEq(roundId, 7);
        assertEq(answer, 2900e8);
        assertEq(startedAt, 1_699_990_000);
        assertEq(updatedAt, 1_699_999_000);
        assertEq(answeredInRound, 5);
        assertEq(feed.latestRoundId(), 7);
        // Zero and negative answers can be written to test validation.
        feed.setRoundData(8, -1, 1, 0, 8);
        (, answer,, updatedAt,) = feed.latestRoundData();
        assertEq(answer, -1);
        assertEq(updatedAt, 0);
    }

    function test_aggregator_setUpdatedAtMakesTheFeedStale() public {
        vm.warp(1_700_090_000);
        feed.setUpdatedAt(1_699_000_000);
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt,) = feed.latestRoundData();
        assertEq(roundId, 1);
        assertEq(answer, 3000e8);
        assertEq(updatedAt, 1_699_000_000);
        assertEq(startedAt, 1_699_000_000, "startedAt never after updatedAt");
    }

    function test_aggregator_getRoundDataRevertsForUnknownRound() public {
        vm.expectRevert(abi.encodeWithSelector(MockAggregator.MockAggregator__NoDataPresent.selector, uint80(2)));
        feed.getRoundData(2);
        vm.expectRevert(MockAggregator.MockAggregator__ZeroRoundId.selector);
        feed.setRoundData(0, 1, 1, 1, 0);
    }

    function test_aggregator_onlyOwnerAndUpdatersWrite() public {
        vm.expectRevert(abi.encodeWithSelector(MockAggregator.MockAggregator__NotUpdater.selector, alice));
        vm.prank(alice);
        feed.setPrice(1);

        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        feed.setUpdater(alice, true);

        feed.setUpdater(alice, true);
        vm.prank(alice);
        feed.setPrice(42);
        (, int256 answer,,,) = feed.latestRoundData();
        assertEq(answer, 42);

        feed.setUpdater(alice, false);
        vm.expectRevert(abi.encodeWithSelector(MockAggregator.MockAggregator__NotUpdater.selector, alice));
        vm.prank(alice);
        feed.setUpdatedAt(1);
    }
}
