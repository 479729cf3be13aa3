// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {SwapLibHarness} from "../harness/SwapLibHarness.sol";
import {QuirkyToken} from "../mocks/QuirkyToken.sol";

/// @notice Direct Uniswap V3 pool swaps: callback authentication, partial fills, output floors.
contract IndexVaultSwapTest is VaultFixture {
    SwapLibHarness internal harness = new SwapLibHarness();

    function test_payCallback_paysTheExpectedPoolOnceThenRefusesIt() public {
        address pool = makeAddr("pool");
        mintTo(address(usdt), address(harness), 10e6);
        harness.expect(pool);
        vm.prank(pool);
        harness.uniswapV3SwapCallback(0, 4e6, abi.encode(address(usdt), uint256(5e6)));
        assertEq(usdt.balanceOf(pool), 4e6, "paid what it is owed");
        vm.prank(pool);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__UnauthorizedCallback.selector, pool));
        harness.uniswapV3SwapCallback(0, 4e6, abi.encode(address(usdt), uint256(5e6)));
    }

    function test_payCallback_refusesToPayMoreThanTheExactInput() public {
        address pool = makeAddr("pool");
        mintTo(address(usdt), address(harness), 10e6);
        harness.expect(pool);
        vm.prank(pool);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__CallbackOverpayment.selector, pool, 6e6, 5e6));
        harness.uniswapV3SwapCallback(6e6, -1, abi.encode(address(usdt), uint256(5e6)));
    }

    function test_payCallback_refusesAnotherCaller() public {
        harness.expect(makeAddr("pool"));
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__UnauthorizedCallback.selector, address(this)));
        harness.uniswapV3SwapCallback(1, 0, abi.encode(address(usdt), uint256(1)));
    }

    function test_deposit_revertsOnAPartialFill() public {
        // A pool that exists but holds no liquidity cannot consume the exact input.
        (QuirkyToken qrk, MockAggregator feed) = _listQuirkyToken(18, 10e8, 0);
        ConstituentParams[] memory list = new ConstituentParams[](2);
        list[0] = _constituentParams(_firstTokens(1), _equalWeights(1))[0];
        list[0].targetWeightBps = 5000;
        list[1] = _quirkyParams(qrk, feed, 5000);
        IndexVault vault = _createVault(_vaultParams(), list);
        address pool = poolOf(address(usdt), address(qrk), 3000);
        _fundUsdt(vault, alice, 1000e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__PartialFill.selector, pool, 4975e5, 0));
        vault.deposit(1000e6, alice);
    }

    function test_deposit_swapOutputFloorIsTheChainlinkValueLessSlippage() public {
        // Around the bound: a feed 0.7 % below the pool still passes with the 1 % bound (pool fee 0.05 %),
        // 1.5 % below fails.
        IndexVault vault = _createVault(1);
        address weth_ = constituents[0];
        uint256 price = priceOf(weth_);
        feedOf(weth_).setPrice(int256(price * 993 / 1000));
        _deposit(vault, alice, 1000e6);
        feedOf(weth_).setPrice(int256(price * 985 / 1000));
        _fundUsdt(vault, bob, 1000e6);
        vm.prank(bob);
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        vault.deposit(1000e6, bob);
    }
}
