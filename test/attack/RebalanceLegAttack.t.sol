// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IIndexVaultComposer} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {ConstituentParams, ConstituentState} from "../../contracts/interfaces/IIndexVault.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {QuirkyToken} from "../mocks/QuirkyToken.sol";
import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Attacks on the legs of a rebalance step (security round 2, items 3 and 6b): a constituent whose smallest
///         unit is coarse against a leg jams rebalancing forever; a sold-down constituent dropped with a balance under
///         `minTradeValue` leaves that balance outside NAV and in-kind redemptions.
contract RebalanceLegAttackTest is RebalanceBase {
    /// Attack: list (or hold) a constituent with 2 decimals at $1,000 (one unit = $10), then let the market move so
    /// that a rebalance must buy ~$480 of it: the pool rounds the output down to whole units (47 for 47.8 after the
    /// fee) while an exact floor asks for 48, so every retry reverts and the vault can never rebalance. Outcome: the
    /// leg floor tolerates Uniswap's rounding (one unit and one cent, the deposit's rule) and the step completes.
    function test_rebalanceBuyOfCoarseToken_isNotStuck() public {
        (QuirkyToken qrk, MockAggregator qrkFeed) = _listQuirkyToken(2, 1000e8, 10_000_000);
        ConstituentParams[] memory market = _constituentParams(_firstTokens(4), _equalWeights(4));
        ConstituentParams[] memory list = new ConstituentParams[](5);
        for (uint256 i; i < 4; ++i) {
            list[i] = market[i];
            list[i].targetWeightBps = 2000;
        }
        list[4] = _quirkyParams(qrk, qrkFeed, 2000);
        vault = _createVault(_vaultParams(), list);
        rb = IIndexVaultRebalancer(address(vault));
        _deposit(vault, alice, 5000e6);
        for (uint256 i; i < 4; ++i) {
            setMarketPrice(list[i].token, priceOf(list[i].token)); // arbitrage after the deposit
        }
        _setConfig(_config());
        uint256 unitsBefore = qrk.balanceOf(address(vault));

        // Everything but the coarse token rallies 60 %: the rebalance must buy ~$480 of it (~47.8 units).
        for (uint256 i; i < 4; ++i) {
            _scalePrice(i, 160, 100);
        }
        assertTrue(rb.rebalanceStatus().due, "rebalance due");
        uint256 sumBefore = rb.rebalanceStatus().sumDeviationBps;
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertTrue(r.complete, "the step completes");
        assertGe(qrk.balanceOf(address(vault)) - unitsBefore, 47, "the coarse leg was bought");
        assertLt(r.sumDriftAfterBps, sumBefore, "drift reduced");
        assertLe(r.cost, r.navBefore * _config().maxLossBps / 10_000, "within the loss bound");
    }

    /// Attack: a constituent being removed (target 0) is sold down under a per-trade cap that leaves a remainder
    /// just under `minTradeValue`; the step drops it from the list with that remainder still in the vault, where
    /// it no longer counts in NAV nor in in-kind redemptions (holders lose it). Outcome: the step that drops a
    /// constituent sells its whole remaining balance into USDT first.
    function test_dropOfSoldDownConstituent_leavesNoOrphanedBalance() public {
        _setUpVault(5);
        uint16[] memory targets = new uint16[](5);
        for (uint256 i = 1; i < 5; ++i) {
            targets[i] = 2500;
        }
        vm.prank(manager);
        IIndexVaultComposer(address(vault)).proposeTargets(targets);
        _warp(DELAY);
        vm.prank(keeper);
        IIndexVaultComposer(address(vault)).executeProposal();
        address removed = vault.constituent(0).token;
        (ConstituentState[] memory states,,) = vault.basket();

        // A cap that sells all but $5 (under the $10 minimum trade) of the removed constituent in one step.
        RebalanceConfig memory c = _config();
        c.maxTradeValue = uint64(states[0].value - 5e6);
        _setConfig(c);
        RebalanceReceipt memory r = _rebalanceAs(keeper);
        assertEq(vault.constituentCount(), 4, "dropped");
        assertEq(IERC20(removed).balanceOf(address(vault)), 0, "no balance left outside NAV");
        // NAV after the drop is the step's NAV after trading (a unit of rounding per constituent): nothing vanished.
        assertApproxEqAbs(vault.totalAssets(), r.navAfter, 5, "the drop moved no value out of NAV");
    }

    /// Attack: a manager sets `minTradeValue` absurdly high so that every constituent under it (up to the whole
    /// basket) counts as dust. Outcome: refused above the bound (10,000 whole USDT).
    function test_absurdMinTradeValue_isRefused() public {
        _setUpVault(5);
        RebalanceConfig memory c = _config();
        c.minTradeValue = 10_000e6 + 1;
        vm.prank(manager);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultRebalancer.IndexVaultRebalancer__InvalidConfig.selector, "minTradeValue", c.minTradeValue
            )
        );
        rb.setRebalanceConfig(c);
        c.minTradeValue = 10_000e6;
        _setConfig(c);
        assertEq(rb.rebalanceConfig().minTradeValue, 10_000e6);
    }
}
