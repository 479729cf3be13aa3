// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console2} from "forge-std/console2.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentParams, VaultParams} from "../../contracts/interfaces/IIndexVault.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {QuirkyToken} from "../mocks/QuirkyToken.sol";
import {AttackBase} from "./AttackBase.sol";

/// @notice Gas griefing with a long basket: a vault at the maximum of 25 constituents (the 20 market tokens, with
///         a two-hop and a thin one, plus 5 more) must keep deposit, redeem and — above all — `redeemInKind` far
///         below a block's gas, so no holder can ever be locked out by gas. Also: a basket above the maximum is
///         refused, and deferred transfers do not make later exits more expensive without bound.
contract GasGriefingAttackTest is AttackBase {
    uint256 internal constant BLOCK_GAS_LIMIT = 30_000_000;

    IndexVault internal vault;
    QuirkyToken[] internal extra;

    function setUp() public override {
        super.setUp();
        uint256 n = ConstantsLib.MAX_CONSTITUENTS;
        ConstituentParams[] memory list = new ConstituentParams[](n);
        ConstituentParams[] memory market = _constituentParams(constituents, _equalWeights(constituents.length));
        uint16[] memory weights = _equalWeights(n);
        for (uint256 i; i < constituents.length; ++i) {
            list[i] = market[i];
        }
        for (uint256 i = constituents.length; i < n; ++i) {
            (QuirkyToken token, MockAggregator feed) = _listQuirkyToken(18, 10e8, 10_000_000);
            extra.push(token);
            list[i] = _quirkyParams(token, feed, 0);
        }
        for (uint256 i; i < n; ++i) {
            list[i].targetWeightBps = weights[i];
        }
        VaultParams memory params = _vaultParams();
        params.maxSlippageBps = 300; // the thin pool's impact at this size
        vm.prank(admin);
        vault = _createVault(params, list);
        _deposit(vault, alice, 5000e6);
    }

    /// Attack: a basket so long that deposit/redeem/redeemInKind exceed the block gas limit, locking holders in.
    /// Outcome: at the maximum size every path stays far below it (numbers logged for SECURITY.md).
    function test_gasGriefing_maxBasketStaysFarBelowBlockGas() public {
        assertEq(vault.constituentCount(), 25);
        _fundUsdt(vault, bob, 5000e6);
        vm.prank(bob);
        uint256 g = gasleft();
        uint256 shares = vault.deposit(5000e6, bob);
        uint256 depositGas = g - gasleft();

        vm.prank(bob);
        g = gasleft();
        vault.redeem(shares / 2, bob, bob);
        uint256 redeemGas = g - gasleft();

        uint256 rest = vault.balanceOf(bob);
        vm.prank(bob);
        g = gasleft();
        vault.redeemInKind(rest, bob, bob);
        uint256 redeemInKindGas = g - gasleft();

        console2.log("25 constituents: deposit gas", depositGas);
        console2.log("25 constituents: redeem gas", redeemGas);
        console2.log("25 constituents: redeemInKind gas", redeemInKindGas);
        assertLt(depositGas, BLOCK_GAS_LIMIT / 4, "deposit under a quarter block");
        assertLt(redeemGas, BLOCK_GAS_LIMIT / 4, "redeem under a quarter block");
        assertLt(redeemInKindGas, BLOCK_GAS_LIMIT / 10, "in-kind exit under a tenth of a block");
    }

    /// Attack: make every token's transfer to a holder fail so each exit writes deferred entries, then check that
    /// the in-kind exit of another holder stays cheap (the deferred bookkeeping is O(1) per token).
    function test_gasGriefing_deferredTransfersKeepTheExitCheap() public {
        uint256 victimShares = _deposit(vault, victim, 5000e6);
        for (uint256 k; k < extra.length; ++k) {
            extra[k].setBlocked(attacker, true);
        }
        uint256 attackerShares = _deposit(vault, attacker, 5000e6);
        vm.prank(attacker);
        vault.redeemInKind(attackerShares, attacker, attacker); // 5 deferred tokens
        vm.prank(victim);
        uint256 g = gasleft();
        vault.redeemInKind(victimShares, victim, victim);
        uint256 used = g - gasleft();
        console2.log("25 constituents, 5 deferred tokens: redeemInKind gas", used);
        assertLt(used, BLOCK_GAS_LIMIT / 10);
    }

    /// Attack: create a vault with more constituents than the bound (26) to make every path unbounded.
    function test_gasGriefing_basketAboveMaximumIsRefused() public {
        ConstituentParams[] memory list = new ConstituentParams[](26);
        IndexVault clone = IndexVault(Clones.clone(address(implementation)));
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidConstituentCount.selector, 26));
        clone.initialize(_vaultParams(), list);
    }
}
