// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {IIndexFactory} from "../../contracts/interfaces/IIndexFactory.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockUSDT} from "../../contracts/mocks/MockUSDT.sol";

import {QuirkyToken} from "../mocks/QuirkyToken.sol";
import {AttackBase} from "./AttackBase.sol";

/// @notice Attacks through token behaviour: fee-on-transfer constituents (rejected by the factory; if one turns its
///         fee on later, accounting by balance change must hold), USDT's approve/return-value quirks, and blocklisting
///         or paused tokens used to block other holders' exits.
contract TokenQuirksAttackTest is AttackBase {
    QuirkyToken internal qrk;
    MockAggregator internal qrkFeed;

    function setUp() public override {
        super.setUp();
        (qrk, qrkFeed) = _listQuirkyToken(18, 10e8, 50_000_000);
    }

    /// @dev A vault over [QRK, WETH, WBTC] with equal weights, QRK first.
    function _quirkyVault() internal returns (IndexVault) {
        ConstituentParams[] memory market = _constituentParams(_firstTokens(2), _equalWeights(2));
        ConstituentParams[] memory list = new ConstituentParams[](3);
        list[0] = _quirkyParams(qrk, qrkFeed, 3334);
        list[1] = market[0];
        list[1].targetWeightBps = 3333;
        list[2] = market[1];
        list[2].targetWeightBps = 3333;
        return _createVault(_vaultParams(), list);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fee on transfer
    // ---------------------------------------------------------------------------------------------------------------

    /// Attack: list a fee-on-transfer token so that every transfer into the vault is worth less than accounted.
    /// Outcome: the factory's round-trip probe rejects it.
    function test_feeOnTransfer_factoryRejectsTheToken() public {
        qrk.setFeeBps(10); // 0.1 %
        ConstituentParams[] memory list = new ConstituentParams[](1);
        list[0] = _quirkyParams(qrk, qrkFeed, 10_000);
        uint256[] memory probes = _fundProbes(list);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexFactory.IndexFactory__FeeOnTransfer.selector, address(qrk), 1e4, 1e4 - 10)
        );
        factory.createVault(_vaultParams(), list, probes);
    }

    /// Attack: a token that passed the probe turns a 2 % transfer fee on later (upgradeable tokens can). A deposit
    /// must mint shares for what actually arrived (balance change), not for what the pool reported: holders are not
    /// diluted, the depositor bears the fee.
    function test_feeOnTransfer_turnedOnLater_depositAccountsByBalanceChange() public {
        IndexVault vault = _quirkyVault();
        _deposit(vault, alice, 20_000e6);
        uint256 navPerShareBefore = vault.navPerShare();
        qrk.setFeeBps(200);
        address[3] memory basket = [address(qrk), constituents[0], constituents[1]];
        uint256[3] memory before;
        for (uint256 i; i < 3; ++i) {
            before[i] = IERC20(basket[i]).balanceOf(address(vault));
        }
        uint256 usdtBefore = usdt.balanceOf(address(vault));
        uint256 shares = _deposit(vault, attacker, 20_000e6);
        // {USDT units} oracle value of what actually arrived, and the USDT the split kept (rounding dust)
        uint256 valueReceived = usdt.balanceOf(address(vault)) - usdtBefore;
        for (uint256 i; i < 3; ++i) {
            uint256 received = IERC20(basket[i]).balanceOf(address(vault)) - before[i];
            valueReceived += i == 0 ? received * 10e6 / 1e18 : _oracleValue(basket[i], received);
        }
        assertGt(shares, 0);
        assertGe(vault.navPerShare(), navPerShareBefore, "holders not diluted by the fee");
        assertLe(vault.convertToAssets(shares), valueReceived, "no credit for QRK that never arrived");
    }

    /// Attack: with the fee on, USDT redeems revert (the pool refuses a short payment), so the attacker hopes holders
    /// are stuck. Outcome: `redeemInKind` still pays everyone; only the receiver of QRK bears its fee.
    function test_feeOnTransfer_turnedOnLater_redeemInKindStillExits() public {
        IndexVault vault = _quirkyVault();
        uint256 shares = _deposit(vault, alice, 20_000e6);
        qrk.setFeeBps(200);
        vm.prank(alice);
        vm.expectRevert(bytes("IIA")); // Uniswap V3: insufficient input amount
        vault.redeem(shares, alice, alice);
        uint256[] memory preview = vault.previewRedeemInKind(shares);
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice);
        assertEq(qrk.balanceOf(alice), preview[0] - preview[0] * 200 / 10_000, "QRK less its own fee");
        assertEq(IERC20(constituents[0]).balanceOf(alice), preview[1], "WETH in full");
        assertEq(IERC20(constituents[1]).balanceOf(alice), preview[2], "WBTC in full");
    }

    /// Attack: deposit in kind a fee-on-transfer token so the vault receives less than the pro-rata it mints for.
    function test_feeOnTransfer_depositInKindShortfall_reverts() public {
        IndexVault vault = _quirkyVault();
        _deposit(vault, alice, 20_000e6);
        uint256[] memory amounts = _fundInKind(vault, attacker, 1000e18);
        qrk.setFeeBps(200);
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVault.IndexVault__TransferShortfall.selector,
                address(qrk),
                amounts[0],
                amounts[0] - amounts[0] * 200 / 10_000
            )
        );
        vault.depositInKind(1000e18, attacker);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // USDT quirks
    // ---------------------------------------------------------------------------------------------------------------

    /// Attack: USDT's `approve` reverts from one non-zero allowance to another and its `transfer` returns nothing, so a
    /// vault that approved a router or checked a bool would brick after its first trade. Outcome: the vault pays
    /// pools by `transfer` in the swap callback (never an allowance) through SafeERC20; repeated deposits and
    /// redeems work and the vault never leaves a USDT allowance behind.
    function test_usdtApproveQuirk_vaultNeverNeedsAnAllowance() public {
        IndexVault vault = _createVault(3);
        for (uint256 k; k < 3; ++k) {
            uint256 shares = _deposit(vault, alice, 5000e6);
            vm.prank(alice);
            vault.redeem(shares / 2, alice, alice);
        }
        for (uint256 i; i < 3; ++i) {
            (address[] memory path, uint24[] memory fees) = buyRouteOf(constituents[i]);
            assertEq(usdt.allowance(address(vault), poolOf(path[0], path[1], fees[0])), 0, "no allowance to a pool");
        }
        // A depositor left with a non-zero allowance can raise it only through zero (USDT's rule), and then deposit
        // the raised amount; the vault pulls exactly what it was given.
        _fundUsdt(vault, bob, 5000e6); // approves 5,000
        mintTo(address(usdt), bob, 1000e6);
        vm.startPrank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(MockUSDT.MockUSDT__ApproveFromNonZero.selector, bob, address(vault), 5000e6, 6000e6)
        );
        usdt.approve(address(vault), 6000e6);
        usdt.approve(address(vault), 0);
        usdt.approve(address(vault), 6000e6);
        assertGt(vault.deposit(6000e6, bob), 0, "deposit of the raised allowance");
        vm.stopPrank();
        assertEq(usdt.allowance(bob, address(vault)), 0, "allowance spent exactly");
        assertEq(usdt.balanceOf(bob), 0, "all 6,000 pulled");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Blocklists and paused tokens
    // ---------------------------------------------------------------------------------------------------------------

    /// Attack: get oneself blocklisted by a constituent (or be blocklisted) and redeem in kind, hoping the failing
    /// transfer reverts the exit or strands the amount in a way that leaks into other holders' shares. Outcome: the
    /// blocked amount is deferred to `claim` and excluded from the basket; other tokens are paid; alice's exit is
    /// exactly pro-rata of the rest; the blocked holder later claims to another address.
    function test_blocklistedReceiver_redeemInKindDefersAndOthersUnaffected() public {
        IndexVault vault = _quirkyVault();
        _deposit(vault, alice, 20_000e6);
        uint256 victimShares = _deposit(vault, victim, 20_000e6);
        qrk.setBlocked(victim, true);

        uint256[] memory preview = vault.previewRedeemInKind(victimShares);
        vm.prank(victim);
        uint256[] memory owed = vault.redeemInKind(victimShares, victim, victim);
        assertEq(owed, preview);
        assertEq(vault.claimable(victim, address(qrk)), owed[0], "QRK deferred");
        assertEq(IERC20(constituents[0]).balanceOf(victim), owed[1], "WETH paid");

        uint256 aliceShares = vault.balanceOf(alice);
        uint256 supply = vault.totalSupply();
        uint256 held = qrk.balanceOf(address(vault)) - vault.totalClaimable(address(qrk));
        vm.prank(alice);
        uint256[] memory aliceOut = vault.redeemInKind(aliceShares, alice, alice);
        uint256 fee = (aliceShares * BURN_FEE_BPS + 9999) / 10_000;
        assertEq(aliceOut[0], held * (aliceShares - fee) / supply, "alice: pro-rata of the non-deferred QRK");

        vm.prank(victim);
        vm.expectRevert(abi.encodeWithSelector(QuirkyToken.QuirkyToken__Blocked.selector, victim));
        vault.claim(address(qrk), victim);
        address other = makeAddr("victim's other wallet");
        vm.prank(victim);
        vault.claim(address(qrk), other);
        assertEq(qrk.balanceOf(other), owed[0], "claimed elsewhere");
        assertEq(vault.totalClaimable(address(qrk)), 0);
    }

    /// Attack: a constituent pauses all transfers (issuer action). Redeeming in kind must still pay every other token.
    function test_pausedConstituent_redeemInKindPaysTheRest() public {
        IndexVault vault = _quirkyVault();
        uint256 shares = _deposit(vault, alice, 20_000e6);
        qrk.setPaused(true);
        vm.prank(alice);
        uint256[] memory owed = vault.redeemInKind(shares, alice, alice);
        assertEq(vault.claimable(alice, address(qrk)), owed[0]);
        assertEq(IERC20(constituents[1]).balanceOf(alice), owed[2], "WBTC paid");
        qrk.setPaused(false);
        vm.prank(alice);
        vault.claim(address(qrk), alice);
        assertEq(qrk.balanceOf(alice), owed[0]);
    }

    /// Attack: claim someone else's deferred amount, or claim twice.
    function test_claim_cannotTakeAnotherAccountsOrClaimTwice() public {
        IndexVault vault = _quirkyVault();
        uint256 shares = _deposit(vault, victim, 20_000e6);
        qrk.setBlocked(victim, true);
        vm.prank(victim);
        vault.redeemInKind(shares, victim, victim);
        qrk.setBlocked(victim, false);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__NothingToClaim.selector, attacker, address(qrk)));
        vault.claim(address(qrk), attacker);
        vm.startPrank(victim);
        vault.claim(address(qrk), victim);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__NothingToClaim.selector, victim, address(qrk)));
        vault.claim(address(qrk), victim);
        vm.stopPrank();
    }
}
