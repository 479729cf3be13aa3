// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";

import {AttackBase} from "./AttackBase.sol";

/// @notice Share-inflation and donation attacks (the ERC-4626 first-depositor attack): the attacker makes the share
///         price jump by donating to the vault so that a victim's deposit rounds down to few or no shares.
/// @dev Defences under test: OpenZeppelin's virtual shares with an 18 − 6 = 12 decimals offset, NAV + 1 virtual
///      asset, the `IndexVault__ZeroShares` revert, `minShares`, and in-kind redemption paying the real pro-rata.
///      Fees are set to zero in these tests: the worst case for the vault (fees only make the attack costlier).
contract InflationAttackTest is AttackBase {
    IndexVault internal vault;

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        vm.startPrank(manager);
        vault.setMintFee(0);
        vault.setBurnFee(0);
        vault.setManagementFee(0);
        vault.setMinDeposit(0);
        vm.stopPrank();
    }

    /// @dev Everything `who` gets back when redeeming all its shares in kind, valued at the oracle.
    function _exitValue(address who) internal returns (uint256) {
        uint256 shares = vault.balanceOf(who);
        if (shares == 0) return 0;
        vm.prank(who);
        return _basketValue(vault, vault.redeemInKind(shares, who, who));
    }

    /// Attack: donate USDT to the empty vault before the first deposit so the first depositor's shares are priced
    /// against the donation. Outcome: the donation is simply captured by the first depositor.
    function test_inflation_donationToEmptyVault_isCapturedByFirstDepositor() public {
        uint256 donation = 10_000e6;
        mintTo(address(usdt), address(vault), donation);
        _deposit(vault, victim, 1000e6);
        assertGt(vault.balanceOf(victim), 0, "victim got shares");
        uint256 out = _exitValue(victim);
        assertGe(out, 1000e6 * 99 / 100 + donation, "victim keeps its deposit (less swap costs) and the donation");
    }

    /// Attack (classic): be the first depositor, redeem all but 1 wei of share, donate a large amount so one share
    /// is worth a fortune, then let the victim's deposit round down. Outcome: the 12-decimals offset makes the
    /// victim's rounding loss negligible while the attacker loses almost all of the donation.
    function test_inflation_firstDepositorShrinksSupplyThenDonates_attackerLoses() public {
        uint256 attackerIn = 10e6;
        _deposit(vault, attacker, attackerIn);
        uint256 shares = vault.balanceOf(attacker);
        vm.prank(attacker);
        uint256[] memory back = vault.redeemInKind(shares - 1, attacker, attacker);
        uint256 attackerOut = _basketValue(vault, back);
        assertEq(vault.totalSupply(), 1, "supply shrunk to 1 wei");

        uint256 donation = 100_000e6;
        mintTo(address(usdt), address(vault), donation);

        uint256 victimIn = 1000e6;
        uint256 victimShares = _deposit(vault, victim, victimIn);
        assertGt(victimShares, 1e9, "victim still gets billions of share units");

        uint256 victimOut = _exitValue(victim);
        attackerOut += _exitValue(attacker);
        // The victim loses at most swap costs plus rounding; the attacker loses the donation.
        assertGe(victimOut, victimIn * 99 / 100, "victim keeps its value");
        assertLt(attackerOut + donation / 2, attackerIn + donation, "attacker loses at least half of the donation");
    }

    /// Attack: donate so much that the victim's deposit would mint zero shares (USDT silently absorbed).
    /// Outcome: the deposit reverts `IndexVault__ZeroShares`; nothing is taken.
    function test_inflation_depositThatWouldMintZeroShares_reverts() public {
        _deposit(vault, attacker, 10e6);
        uint256 shares = vault.balanceOf(attacker);
        vm.prank(attacker);
        vault.redeemInKind(shares - 1, attacker, attacker);
        mintTo(address(usdt), address(vault), 1e20); // 1e14 USDT: 1 wei of share now outweighs 1e12 virtual shares
        _fundUsdt(vault, victim, 10e6);
        vm.prank(victim);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__ZeroShares.selector, 10e6));
        vault.deposit(10e6, victim);
    }

    /// Attack: the victim protects itself from any share-price jump with `minShares` (ERC-5143 style).
    function test_inflation_victimMinSharesBoundsTheRoundingLoss() public {
        _deposit(vault, alice, 10_000e6);
        uint256 expected = vault.previewDeposit(1000e6);
        _fundUsdt(vault, victim, 1000e6);
        uint256 snap = vm.snapshotState();
        mintTo(address(usdt), address(vault), 10_000e6); // front-run: donation doubles the share price
        vm.prank(victim);
        vm.expectPartialRevert(IIndexVault.IndexVault__InsufficientShares.selector);
        vault.deposit(1000e6, victim, expected);
        // Without the front-run, the same bound passes: it is the bound that refused the diluted deposit.
        vm.revertToState(snap);
        vm.prank(victim);
        assertGe(vault.deposit(1000e6, victim, expected), expected, "no front-run: the bound passes");
    }

    /// Attack: donate constituent tokens to a live vault, then deposit and redeem to pull the donation out.
    /// Outcome: the donation is spread over all holders pro-rata; the attacker gets back only its share of it.
    function test_donation_constituentTokensToLiveVault_attackerCannotRecoverIt() public {
        _deposit(vault, alice, 10_000e6);
        uint256 navPerShareBefore = vault.navPerShare();
        uint256 attackerIn = 1000e6;
        _deposit(vault, attacker, attackerIn);
        address weth_ = constituents[0];
        uint256 donated = 1e18; // 3,000 USD of WETH
        mintTo(weth_, address(vault), donated);
        uint256 donationValue = _oracleValue(weth_, donated);
        assertGe(vault.navPerShare(), navPerShareBefore, "holders never lose from a donation");
        uint256 attackerOut = _exitValue(attacker);
        // The attacker holds ~1/11 of the supply: it recovers at most that share of its donation.
        assertLt(attackerOut, attackerIn + donationValue / 5, "attacker recovers under a fifth of its donation");
        assertGt(_exitValue(alice), 10_000e6 + donationValue * 8 / 10, "alice receives most of it");
    }
}
