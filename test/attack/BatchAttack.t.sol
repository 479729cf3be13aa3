// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IndexVaultBatch} from "../../contracts/IndexVaultBatch.sol";
import {IIndexVaultBatch, EpochStatus} from "../../contracts/interfaces/IIndexVaultBatch.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";

import {BatchFixture} from "../base/BatchFixture.sol";
import {QuirkyToken} from "../mocks/QuirkyToken.sol";
import {MockBatchVault} from "../mocks/MockBatchVault.sol";

/// @notice Attacks on the ERC-7540 batch (SECURITY.md maps them): oracle lag at settlement, a request front-running
///         a known settlement, griefing by many tiny requests, a reverting settlement, a fee-on-transfer USDT, and
///         reentrancy through the claim, request and cancel paths.
contract BatchAttackTest is BatchFixture {
    address internal carol = makeAddr("carol");
    address internal attacker = makeAddr("attacker");

    function setUp() public override {
        super.setUp();
        _createBatchedVault(3);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Oracle lag; a reverting settlement leaves every request intact
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The first constituent's feed lags 5 % below its market: the net deposit's swap of that leg returns less
    ///      than its oracle value allows (max slippage 1 %), so the vault refuses; the settlement reverts as a whole
    ///      and every request is exactly as before (pending, balances, epoch) and still cancellable.
    function test_oracleLag_settlementReverts_requestsIntact() public {
        uint256 sc = _holder(carol, 2000e6);
        _requestDeposit(alice, 5000e6);
        _requestDeposit(bob, 700e6);
        _requestRedeem(carol, sc);
        address token = vault.constituent(0).token;
        feedOf(token).setPrice(int256(priceOf(token) * 95 / 100));

        EpochStatus memory before = batch.epochStatus();
        uint256 usdtHeld = usdt.balanceOf(address(batch));
        vm.expectPartialRevert(IIndexVault.IndexVault__SwapOutputTooLow.selector);
        vm.prank(keeper);
        batch.settle();

        EpochStatus memory after_ = batch.epochStatus();
        assertEq(after_.epoch, before.epoch);
        assertEq(after_.pendingAssets, before.pendingAssets);
        assertEq(after_.pendingShares, before.pendingShares);
        assertEq(usdt.balanceOf(address(batch)), usdtHeld);
        assertEq(batch.pendingDepositRequest(1, alice), 5000e6);
        assertEq(batch.pendingRedeemRequest(1, carol), sc);
        vm.prank(bob);
        assertEq(batch.cancelDepositRequest(bob, bob), 700e6);
        vm.prank(carol);
        assertEq(batch.cancelRedeemRequest(carol, carol), sc);
    }

    /// @dev A balanced epoch under a lagging oracle crosses at that oracle's NAV, exactly like direct calls would be
    ///      priced; holders outside the batch are untouched (no supply change, NAV per share unchanged).
    function test_oracleLag_balancedEpoch_outsideHoldersUntouched() public {
        uint256 sc = _holder(carol, 4000e6);
        address token = vault.constituent(0).token;
        feedOf(token).setPrice(int256(priceOf(token) * 97 / 100));
        _requestDeposit(alice, _costOf(sc) + 3e6);
        _requestRedeem(carol, sc);
        uint256 supply = vault.totalSupply();
        uint256 nav = vault.navPerShare();
        uint256 seederValue = vault.convertToAssets(vault.balanceOf(seeder));
        _settle();
        assertEq(vault.totalSupply(), supply);
        assertEq(vault.navPerShare(), nav);
        assertEq(vault.convertToAssets(vault.balanceOf(seeder)), seederValue);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Front-running a known settlement
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The attacker sees the settlement coming and joins the epoch with a large deposit. It gets the epoch's
    ///      price like everyone (no profit: its shares are worth less than it paid, the mint fee and the net trade's
    ///      slippage), the redeemers' price does not move at all (oracle NAV less the burn fee), and the honest
    ///      depositor still gets at least the vault's own floor for a direct deposit.
    function test_frontRun_knownSettlement_noProfit() public {
        uint256 sc = _holder(carol, 3000e6);
        _requestDeposit(alice, 5000e6);
        _requestRedeem(carol, sc);
        uint256 carolFair = vault.convertToAssets(sc);
        carolFair -= (carolFair * BURN_FEE_BPS + 9999) / 10_000;

        _requestDeposit(attacker, 50_000e6); // front-runs the keeper's settle
        _settle();

        uint256 attackerShares = _claimShares(attacker);
        assertLt(vault.convertToAssets(attackerShares), 50_000e6, "no profit for the front-runner");
        assertEq(_claimAssets(carol), carolFair, "redeemers' price independent of the front-runner");
        uint256 aliceShares = _claimShares(alice);
        uint256 floor = 5000e6 * (10_000 - uint256(MINT_FEE_BPS) - MAX_SLIPPAGE_BPS) / 10_000;
        assertGe(vault.convertToAssets(aliceShares), floor, "honest depositor within the vault's own floors");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Griefing by many tiny requests
    // ---------------------------------------------------------------------------------------------------------------

    function test_griefing_belowMinimum_reverts() public {
        _fundBatchUsdt(attacker, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__RequestTooSmall.selector, 1, MIN_DEPOSIT)
        );
        vm.prank(attacker);
        batch.requestDeposit(1, attacker, attacker);
    }

    /// @dev 100 minimum-size requests cost the keeper the same settlement as one request of the same total: the
    ///      settlement never iterates over requests (epoch state only), so spam only costs the spammer.
    function test_griefing_manyMinimumRequests_settlementCostUnchanged() public {
        uint256 snap = vm.snapshotState();
        _requestDeposit(alice, 100 * MIN_DEPOSIT);
        vm.prank(keeper);
        uint256 g = gasleft();
        batch.settle();
        uint256 one = g - gasleft();
        vm.revertToState(snap);

        for (uint256 i; i < 100; ++i) {
            _requestDeposit(address(uint160(0xA000 + i)), MIN_DEPOSIT);
        }
        vm.prank(keeper);
        g = gasleft();
        batch.settle();
        uint256 hundred = g - gasleft();
        assertApproxEqRel(hundred, one, 0.01e18, "settlement is O(1) in the number of requests");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fee-on-transfer USDT
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Assumption stated and enforced: USDT moves exactly what is asked. Were Tether's (dormant) fee switched
    ///      on, a deposit request measures the shortfall and reverts; nothing is recorded, so the accounting (and
    ///      every earlier request's exact cancellation) stays whole.
    function test_feeOnTransferUsdt_requestReverts_earlierRequestsExact() public {
        QuirkyToken token = new QuirkyToken(6);
        MockBatchVault mock = new MockBatchVault(address(token));
        IndexVaultBatch b = IndexVaultBatch(
            Clones.cloneWithImmutableArgs(address(batchImplementation), abi.encode(address(mock), address(token)))
        );
        b.initialize(address(mock));
        token.mint(alice, 2000e6);
        token.mint(bob, 1000e6);
        vm.prank(alice);
        token.approve(address(b), type(uint256).max);
        vm.prank(bob);
        token.approve(address(b), type(uint256).max);
        vm.prank(alice);
        b.requestDeposit(1000e6, alice, alice);

        token.setFeeBps(10); // 0.1 % from now on
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__TransferShortfall.selector, 1000e6, 999e6)
        );
        vm.prank(bob);
        b.requestDeposit(1000e6, bob, bob);

        assertEq(b.epochStatus().pendingAssets, 1000e6);
        token.setFeeBps(0);
        vm.prank(alice);
        assertEq(b.cancelDepositRequest(alice, alice), 1000e6);
        assertEq(token.balanceOf(alice), 2000e6);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reentrancy through the claim, request and cancel paths
    // ---------------------------------------------------------------------------------------------------------------

    function _mockBatch() internal returns (MockBatchVault mock, IndexVaultBatch b) {
        mock = new MockBatchVault(address(usdt));
        b = IndexVaultBatch(
            Clones.cloneWithImmutableArgs(address(batchImplementation), abi.encode(address(mock), address(usdt)))
        );
        b.initialize(address(mock));
    }

    /// @dev The share token calls back into the batch while the batch sends a claim's shares: the lock refuses the
    ///      inner call, so the whole claim reverts and nothing is paid twice.
    function test_reentrancy_claimDeposit_locked() public {
        (MockBatchVault mock, IndexVaultBatch b) = _mockBatch();
        mintTo(address(usdt), alice, 1000e6);
        vm.startPrank(alice);
        usdt.approve(address(b), 1000e6);
        b.requestDeposit(1000e6, alice, alice);
        vm.stopPrank();
        b.settle();
        uint256 owed = b.maxMint(alice);
        assertEq(owed, 1000e6 * 1e12);

        address[] memory list = new address[](1);
        list[0] = alice;
        mock.arm(address(b), abi.encodeCall(b.claimDeposits, (list)));
        vm.expectRevert(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
        vm.prank(alice);
        b.deposit(1000e6, alice, alice);
        assertEq(b.maxMint(alice), owed, "nothing claimed");

        mock.arm(address(0), "");
        vm.prank(alice);
        assertEq(b.deposit(1000e6, alice, alice), owed);
        assertEq(mock.balanceOf(alice), owed);
    }

    /// @dev Same lock on cancellation (shares returned through the hooking token) re-entering a request.
    function test_reentrancy_cancelRedeem_locked() public {
        (MockBatchVault mock, IndexVaultBatch b) = _mockBatch();
        mock.mint(carol, 100e18);
        vm.startPrank(carol);
        mock.approve(address(b), type(uint256).max);
        b.requestRedeem(50e18, carol, carol);
        vm.stopPrank();
        mock.arm(address(b), abi.encodeCall(b.requestRedeem, (50e18, carol, carol)));
        vm.expectRevert(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
        vm.prank(carol);
        b.cancelRedeemRequest(carol, carol);
        assertEq(b.pendingRedeemRequest(1, carol), 50e18);
    }
}
