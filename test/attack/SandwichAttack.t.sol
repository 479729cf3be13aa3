// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";

import {AttackBase} from "./AttackBase.sol";

/// @notice Sandwiches and same-transaction pool manipulation (flash-swap style) around USDT deposits and redeems.
/// @dev The defence: every swap leg must return at least its Chainlink value less `maxSlippageBps` (1 % here) and a
///      rounding tolerance of one cent plus one token unit; shares are priced at oracle NAV, never at pool prices.
///      So a sandwich takes at most the slippage bound from its victim, and a manipulated pool can neither dilute
///      holders nor let the manipulator mint cheap shares. (Rebalance sandwiches: see SECURITY.md, pending.)
contract SandwichAttackTest is AttackBase {
    IndexVault internal vault;
    address[] internal tokens;

    uint256 internal constant TOLERANCE = 3 * 2e4; // {USDT units} per-leg rounding tolerance × 3 legs, generous

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        tokens = _firstTokens(3);
        _deposit(vault, alice, 50_000e6);
    }

    /// @dev The attacker buys every constituent with `usdtEach` USDT (pushing pool prices up); returns the amounts.
    function _pushPricesUp(uint256 usdtEach) internal returns (uint256[] memory bought) {
        bought = new uint256[](tokens.length);
        if (usdtEach == 0) return bought;
        for (uint256 i; i < tokens.length; ++i) {
            bought[i] = _swap(attacker, address(usdt), tokens[i], _usdtFee(tokens[i]), usdtEach);
        }
    }

    /// @dev The attacker sells `usdtWorthEach` USD of every constituent (pushing pool prices down).
    function _pushPricesDown(uint256 usdtWorthEach) internal {
        if (usdtWorthEach == 0) return;
        for (uint256 i; i < tokens.length; ++i) {
            uint256 amount = usdtWorthEach * 10 ** MockERC20(tokens[i]).decimals() * 1e2 / priceOf(tokens[i]);
            if (amount != 0) _swap(attacker, tokens[i], address(usdt), _usdtFee(tokens[i]), amount);
        }
    }

    /// Attack: sandwich a USDT deposit (buy the basket first, sell it back after). Outcome, for any front-run size:
    /// the deposit either reverts, or the victim's shares are worth at least its net deposit less the 1 % bound.
    function testFuzz_sandwich_deposit_victimLossBoundedByMaxSlippage(uint256 frontRun) public {
        frontRun = bound(frontRun, 0, 2_000_000e6);
        _pushPricesUp(frontRun);
        uint256 assets = 20_000e6;
        _fundUsdt(vault, victim, assets);
        vm.prank(victim);
        try vault.deposit(assets, victim) returns (uint256 shares) {
            uint256 net = assets - assets * MINT_FEE_BPS / 10_000;
            uint256 worth = vault.convertToAssets(shares); // oracle NAV
            assertGe(worth + TOLERANCE, net * (10_000 - MAX_SLIPPAGE_BPS) / 10_000, "loss within the bound");
        } catch (bytes memory reason) {
            // forge-lint: disable-next-line(unsafe-typecast)
            assertEq(bytes4(reason), IIndexVault.IndexVault__SwapOutputTooLow.selector, "only the slippage floor");
            assertEq(usdt.balanceOf(victim), assets, "nothing taken");
        }
    }

    /// Attack: sandwich a USDT redeem (dump the basket first, buy it back after). Outcome: the redeem either reverts,
    /// or pays at least the oracle value of the shares less the burn fee and the 1 % bound.
    function testFuzz_sandwich_redeem_victimLossBoundedByMaxSlippage(uint256 frontRun) public {
        frontRun = bound(frontRun, 0, 2_000_000e6);
        uint256 shares = _deposit(vault, victim, 20_000e6);
        uint256 fair = vault.convertToAssets(shares);
        _pushPricesDown(frontRun);
        vm.prank(victim);
        try vault.redeem(shares, victim, victim) returns (uint256 assets) {
            uint256 floor = fair * (10_000 - BURN_FEE_BPS) / 10_000 * (10_000 - MAX_SLIPPAGE_BPS) / 10_000;
            assertGe(assets + TOLERANCE, floor, "loss within the bound");
        } catch (bytes memory reason) {
            // forge-lint: disable-next-line(unsafe-typecast)
            assertEq(bytes4(reason), IIndexVault.IndexVault__SwapOutputTooLow.selector, "only the slippage floor");
            assertEq(vault.balanceOf(victim), shares, "shares kept");
        }
    }

    /// Attack (flash-swap style): in one transaction push a pool well above the oracle (twice the slippage bound), then deposit into it. The leg
    /// buying in the pushed pool returns less than its oracle floor: the whole deposit reverts.
    function test_poolManipulation_sameTxBeforeDeposit_reverts() public {
        _swap(attacker, address(usdt), tokens[2], _usdtFee(tokens[2]), 400_000e6); // LINK pool pushed up
        assertGt(_poolPriceUsd8(tokens[2]), priceOf(tokens[2]) * 102 / 100, "pool pushed > 2 x the bound above oracle");
        _fundUsdt(vault, attacker, 10_000e6);
        vm.prank(attacker);
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        vault.deposit(10_000e6, attacker);
    }

    /// Attack (flash-swap style): push the pools well below the oracle, then redeem for USDT into it: reverts.
    function test_poolManipulation_sameTxBeforeRedeem_reverts() public {
        uint256 shares = _deposit(vault, attacker, 10_000e6);
        _pushPricesDown(400_000e6);
        assertLt(_poolPriceUsd8(tokens[2]), priceOf(tokens[2]) * 98 / 100, "pool pushed > 2 x the bound below oracle");
        vm.prank(attacker);
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        vault.redeem(shares, attacker, attacker);
    }

    /// Attack: depress a pool, deposit (buying the basket cheap), hoping to mint shares at the pool price. Shares are
    /// priced at oracle NAV, so the depositor's windfall comes from the manipulated pool, never from holders:
    /// alice's NAV per share does not drop.
    function test_poolManipulation_depressedPoolDepositDoesNotDiluteHolders() public {
        uint256 navPerShareBefore = vault.navPerShare();
        _pushPricesDown(150_000e6);
        _deposit(vault, attacker, 50_000e6);
        assertGe(vault.navPerShare(), navPerShareBefore, "holders not diluted");
    }

    /// Attack: inflate the pools, then redeem USDT into them. The redeemer's extra USDT comes from the pools; the
    /// shares left behind keep their oracle NAV per share.
    function test_poolManipulation_inflatedPoolRedeemDoesNotHurtHolders() public {
        uint256 shares = _deposit(vault, attacker, 20_000e6);
        uint256 navPerShareBefore = vault.navPerShare();
        _pushPricesUp(150_000e6);
        vm.prank(attacker);
        vault.redeem(shares, attacker, attacker);
        assertGe(vault.navPerShare(), navPerShareBefore, "holders not hurt");
    }

    /// Attack: round-trip through the vault right after the oracle and pools agree (no manipulation): deposit then
    /// redeem for USDT in the same block. Never profitable: fees, pool fees and price impact are paid.
    function testFuzz_roundTrip_depositThenRedeem_neverProfits(uint256 assets) public {
        assets = bound(assets, MIN_DEPOSIT, 200_000e6);
        uint256 shares = _deposit(vault, attacker, assets);
        vm.prank(attacker);
        uint256 out = vault.redeem(shares, attacker, attacker);
        assertLt(out, assets, "round trip loses");
    }
}
