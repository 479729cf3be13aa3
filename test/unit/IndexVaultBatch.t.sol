// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IndexVaultBatch} from "../../contracts/IndexVaultBatch.sol";
import {IIndexVaultBatch, BatchPolicy, EpochStatus, EpochResult} from "../../contracts/interfaces/IIndexVaultBatch.sol";
import {IIndexBatchFactory} from "../../contracts/interfaces/IIndexBatchFactory.sol";
import {IIndexVault, VaultConfig} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleErrors} from "../../contracts/interfaces/IOracleErrors.sol";

import {BatchFixture, settleAndClaimCalls} from "../base/BatchFixture.sol";

/// @notice Unit tests of `IndexVaultBatch` and `IndexBatchFactory` on a 3-constituent vault over the local market.
contract IndexVaultBatchTest is BatchFixture {
    address internal carol = makeAddr("carol");
    address internal dave = makeAddr("dave");

    function setUp() public override {
        super.setUp();
        _createBatchedVault(3);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Factory, initialisation, ERC-165
    // ---------------------------------------------------------------------------------------------------------------

    function test_createBatch_recordsAndInitialises() public view {
        assertEq(batchFactory.batchOf(address(vault)), address(batch));
        assertEq(batchFactory.predictBatch(address(vault)), address(batch));
        assertEq(batch.vault(), address(vault));
        assertEq(batch.share(), address(vault));
        assertEq(batch.asset(), address(usdt));
        BatchPolicy memory p = batch.policy();
        assertEq(p.minRequestAssets, MIN_DEPOSIT);
        assertEq(p.minRequestShares, uint256(MIN_DEPOSIT) * 1e12);
        assertEq(batch.epochStatus().epoch, 1);
    }

    function test_createBatch_twice_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexBatchFactory.IndexBatchFactory__BatchExists.selector, address(vault), address(batch)
            )
        );
        batchFactory.createBatch(address(vault));
    }

    function test_createBatch_notAVault_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexBatchFactory.IndexBatchFactory__NotAVault.selector, alice));
        batchFactory.createBatch(alice);
    }

    function test_createBatch_emitsEvent() public {
        IIndexVault other = _createVault(1);
        address predicted = batchFactory.predictBatch(address(other));
        vm.expectEmit(address(batchFactory));
        emit IIndexBatchFactory.BatchCreated(address(other), predicted, address(this));
        batchFactory.createBatch(address(other));
    }

    function test_initialize_twice_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        batch.initialize(address(vault));
    }

    function test_supportsInterface_erc7540Ids() public view {
        bytes4 operatorId = IIndexVaultBatch.setOperator.selector ^ IIndexVaultBatch.isOperator.selector;
        // The async-deposit interface also holds the claim overloads with a controller (the redeem ones are ERC-4626's).
        bytes4 depositId = IIndexVaultBatch.requestDeposit.selector ^ IIndexVaultBatch.pendingDepositRequest.selector
            ^ IIndexVaultBatch.claimableDepositRequest.selector ^ bytes4(keccak256("deposit(uint256,address,address)"))
            ^ bytes4(keccak256("mint(uint256,address,address)"));
        bytes4 redeemId = IIndexVaultBatch.requestRedeem.selector ^ IIndexVaultBatch.pendingRedeemRequest.selector
            ^ IIndexVaultBatch.claimableRedeemRequest.selector;
        // ERC-7575: the ERC-4626 functions (without ERC-20) plus share(), as this batch implements them.
        bytes4 erc7575Id = IIndexVaultBatch.asset.selector ^ IIndexVaultBatch.share.selector
            ^ IIndexVaultBatch.convertToShares.selector ^ IIndexVaultBatch.convertToAssets.selector
            ^ IIndexVaultBatch.totalAssets.selector ^ IIndexVaultBatch.maxDeposit.selector
            ^ IIndexVaultBatch.previewDeposit.selector ^ bytes4(keccak256("deposit(uint256,address)"))
            ^ IIndexVaultBatch.maxMint.selector ^ IIndexVaultBatch.previewMint.selector
            ^ bytes4(keccak256("mint(uint256,address)")) ^ IIndexVaultBatch.maxWithdraw.selector
            ^ IIndexVaultBatch.previewWithdraw.selector ^ IIndexVaultBatch.withdraw.selector
            ^ IIndexVaultBatch.maxRedeem.selector ^ IIndexVaultBatch.previewRedeem.selector
            ^ IIndexVaultBatch.redeem.selector;
        assertEq(operatorId, bytes4(0xe3bc4e65));
        assertEq(depositId, bytes4(0xce3bbe50));
        assertEq(redeemId, bytes4(0x620ee8e4));
        assertEq(erc7575Id, bytes4(0x2f0a18c5));
        assertTrue(batch.supportsInterface(operatorId));
        assertTrue(batch.supportsInterface(depositId));
        assertTrue(batch.supportsInterface(redeemId));
        assertTrue(batch.supportsInterface(erc7575Id));
        assertTrue(batch.supportsInterface(type(IERC165).interfaceId));
        assertFalse(batch.supportsInterface(0xffffffff));
    }

    function test_previews_revertAsync() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__AsyncFlow.selector));
        batch.previewDeposit(1);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__AsyncFlow.selector));
        batch.previewRedeem(1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests
    // ---------------------------------------------------------------------------------------------------------------

    function test_requestDeposit_pullsUsdtAndIsPending() public {
        uint256 id = _requestDeposit(alice, 1000e6);
        assertEq(id, 1);
        assertEq(usdt.balanceOf(address(batch)), 1000e6);
        assertEq(batch.pendingDepositRequest(1, alice), 1000e6);
        assertEq(batch.pendingDepositRequest(0, alice), 1000e6);
        assertEq(batch.pendingDepositRequest(2, alice), 0);
        assertEq(batch.claimableDepositRequest(1, alice), 0);
        _requestDeposit(alice, 500e6);
        assertEq(batch.pendingDepositRequest(1, alice), 1500e6);
        EpochStatus memory s = batch.epochStatus();
        assertEq(s.pendingAssets, 1500e6);
        assertEq(s.openedAt, block.timestamp);
    }

    function test_requestDeposit_emitsEvent() public {
        _fundBatchUsdt(alice, 1000e6);
        vm.expectEmit(address(batch));
        emit IIndexVaultBatch.DepositRequest(bob, alice, 1, alice, 1000e6);
        vm.prank(alice);
        batch.requestDeposit(1000e6, bob, alice);
    }

    function test_requestDeposit_belowMinimum_reverts() public {
        _fundBatchUsdt(alice, 1e6);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__RequestTooSmall.selector, 1e6, MIN_DEPOSIT)
        );
        vm.prank(alice);
        batch.requestDeposit(1e6, alice, alice);
    }

    function test_requestDeposit_forAnotherOwner_needsOperator() public {
        _fundBatchUsdt(alice, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NotAuthorized.selector, bob, alice));
        vm.prank(bob);
        batch.requestDeposit(1000e6, bob, alice);

        vm.prank(alice);
        batch.setOperator(bob, true);
        assertTrue(batch.isOperator(alice, bob));
        vm.prank(bob);
        batch.requestDeposit(1000e6, alice, alice);
        assertEq(batch.pendingDepositRequest(1, alice), 1000e6);
    }

    function test_requestDeposit_zeroController_reverts() public {
        _fundBatchUsdt(alice, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__ZeroAddress.selector));
        vm.prank(alice);
        batch.requestDeposit(1000e6, address(0), alice);
    }

    function test_requestRedeem_takesSharesAndIsPending() public {
        uint256 shares = _holder(carol, 2000e6);
        _requestRedeem(carol, shares);
        assertEq(vault.balanceOf(address(batch)), shares);
        assertEq(vault.balanceOf(carol), 0);
        assertEq(batch.pendingRedeemRequest(1, carol), shares);
        assertEq(batch.epochStatus().pendingShares, shares);
    }

    function test_requestRedeem_belowMinimum_reverts() public {
        _holder(carol, 2000e6);
        vm.startPrank(carol);
        vault.approve(address(batch), 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultBatch.IndexVaultBatch__RequestTooSmall.selector, 1e18, uint256(MIN_DEPOSIT) * 1e12
            )
        );
        batch.requestRedeem(1e18, carol, carol);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cancellation
    // ---------------------------------------------------------------------------------------------------------------

    function test_cancelDepositRequest_returnsExactly() public {
        _requestDeposit(alice, 1_234_567_891);
        _requestDeposit(bob, 1000e6);
        vm.prank(alice);
        uint256 back = batch.cancelDepositRequest(alice, alice);
        assertEq(back, 1_234_567_891);
        assertEq(usdt.balanceOf(alice), 1_234_567_891);
        assertEq(batch.pendingDepositRequest(1, alice), 0);
        assertEq(batch.epochStatus().pendingAssets, 1000e6);
        assertEq(usdt.balanceOf(address(batch)), 1000e6);
    }

    function test_cancelRedeemRequest_returnsExactly() public {
        uint256 shares = _holder(carol, 2000e6);
        _requestRedeem(carol, shares);
        vm.prank(carol);
        assertEq(batch.cancelRedeemRequest(carol, carol), shares);
        assertEq(vault.balanceOf(carol), shares);
        assertEq(batch.epochStatus().pendingShares, 0);
    }

    function test_cancel_byStranger_reverts() public {
        _requestDeposit(alice, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NotAuthorized.selector, bob, alice));
        vm.prank(bob);
        batch.cancelDepositRequest(alice, bob);
    }

    function test_cancel_afterSettlement_reverts() public {
        _requestDeposit(alice, 1000e6);
        _settle();
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NothingPending.selector, alice));
        vm.prank(alice);
        batch.cancelDepositRequest(alice, alice);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Settlement: the three nettings
    // ---------------------------------------------------------------------------------------------------------------

    function test_settle_depositsOnly_oneVaultDeposit() public {
        _requestDeposit(alice, 1000e6);
        _requestDeposit(bob, 3000e6);
        uint256 supply = vault.totalSupply();
        uint256 snap = vm.snapshotState();
        _fundUsdt(vault, dave, 4000e6);
        vm.prank(dave);
        uint256 direct = vault.deposit(4000e6, dave);
        vm.revertToState(snap);

        _settle();
        EpochResult memory r = _result(1);
        assertEq(r.sharesOut, direct, "one deposit of the total, same block");
        assertEq(vault.totalSupply(), supply + direct);
        assertEq(batch.claimableDepositRequest(1, alice), 1000e6);
        assertEq(batch.pendingDepositRequest(1, alice), 0);
        uint256 a = _claimShares(alice);
        uint256 b = _claimShares(bob);
        assertEq(a, direct * 1000e6 / 4000e6);
        assertEq(b, direct * 3000e6 / 4000e6);
        assertLe(a + b, r.sharesOut);
        assertEq(vault.balanceOf(alice), a);
        assertEq(batch.epochStatus().epoch, 2);
    }

    function test_settle_redeemsOnly_oneVaultRedeem() public {
        uint256 s1 = _holder(carol, 2000e6);
        uint256 s2 = _holder(dave, 1000e6);
        _requestRedeem(carol, s1);
        _requestRedeem(dave, s2);
        uint256 snap = vm.snapshotState();
        vm.prank(address(batch));
        uint256 direct = vault.redeem(s1 + s2, address(batch), address(batch));
        vm.revertToState(snap);

        _settle();
        assertEq(_result(1).assetsOut, direct);
        assertEq(_claimAssets(carol), direct * s1 / (s1 + s2));
        assertEq(usdt.balanceOf(carol), direct * s1 / (s1 + s2));
    }

    /// @dev Net deposit: redeemers get NAV less the burn fee (better than a direct redeem), depositors at least the
    ///      direct deposit rate, outside holders' NAV per share unchanged, fees to the fee recipient.
    function test_settle_netDeposit_pricing() public {
        uint256 sc = _holder(carol, 4000e6);
        _requestDeposit(alice, 5000e6);
        _requestDeposit(bob, 5000e6);
        _requestRedeem(carol, sc);

        uint256 valueS = vault.convertToAssets(sc);
        uint256 burnFee = (valueS * BURN_FEE_BPS + 9999) / 10_000;
        uint256 costS = _costOf(sc);
        uint256 snap = vm.snapshotState();
        _fundUsdt(vault, dave, 5000e6);
        vm.prank(dave);
        uint256 directShares = vault.deposit(5000e6, dave);
        vm.prank(carol);
        batch.cancelRedeemRequest(carol, carol);
        vm.prank(carol);
        uint256 directAssets = vault.redeem(sc, carol, carol);
        vm.revertToState(snap);

        uint256 nav = vault.navPerShare();
        uint256 feesBefore = usdt.balanceOf(feeRecipient);
        uint256 supply = vault.totalSupply();
        _settle();
        EpochResult memory r = _result(1);
        assertEq(r.assetsOut, valueS - burnFee, "redeemers: NAV less burn fee");
        assertGt(r.sharesOut, sc);
        // Only the net flow hit the vault: the supply grew by the shares minted for 10,000 − costS USDT.
        assertEq(vault.totalSupply(), supply + r.sharesOut - sc);
        // Mint fee on the vault deposit + crossed mint and burn fees.
        assertGe(usdt.balanceOf(feeRecipient) - feesBefore, costS - valueS + burnFee);
        assertApproxEqAbs(vault.navPerShare(), nav, 1, "outside holders: NAV per share unchanged");

        uint256 a = _claimShares(alice);
        uint256 c = _claimAssets(carol);
        assertGe(a, directShares, "depositor >= direct deposit");
        assertGt(c, directAssets, "redeemer > direct redeem");
        assertEq(c, (valueS - burnFee) * 1);
    }

    /// @dev Net redeem: depositors buy at NAV plus the mint fee only, redeemers at least the direct redeem.
    function test_settle_netRedeem_pricing() public {
        uint256 sc = _holder(carol, 20_000e6);
        _requestDeposit(alice, 3000e6);
        _requestRedeem(carol, sc);

        uint256 valueS = vault.convertToAssets(sc);
        uint256 mintFee = (3000e6 * uint256(MINT_FEE_BPS) + 9999) / 10_000;
        uint256 crossValue = 3000e6 - mintFee;
        uint256 crossed = sc * crossValue / valueS;
        uint256 snap = vm.snapshotState();
        _fundUsdt(vault, dave, 3000e6);
        vm.prank(dave);
        uint256 directShares = vault.deposit(3000e6, dave);
        vm.prank(carol);
        batch.cancelRedeemRequest(carol, carol);
        vm.prank(carol);
        uint256 directAssets = vault.redeem(sc, carol, carol);
        vm.revertToState(snap);

        uint256 nav = vault.navPerShare();
        uint256 supply = vault.totalSupply();
        _settle();
        EpochResult memory r = _result(1);
        assertEq(r.sharesOut, crossed, "depositors: NAV plus mint fee");
        assertEq(vault.totalSupply(), supply - (sc - crossed), "only the net shares were redeemed");
        assertApproxEqAbs(vault.navPerShare(), nav, 1);
        assertGt(_claimShares(alice), directShares, "depositor > direct deposit");
        assertGe(_claimAssets(carol), directAssets, "redeemer >= direct redeem");
    }

    /// @dev Balanced: nothing touches the vault; supply and NAV per share unchanged; fees paid in USDT.
    function test_settle_balanced_noVaultCall() public {
        uint256 sc = _holder(carol, 4000e6);
        uint256 d = _costOf(sc) + 5e6; // net 5 USDT < minimum deposit
        _requestDeposit(alice, d);
        _requestRedeem(carol, sc);
        uint256 supply = vault.totalSupply();
        uint256 nav = vault.navPerShare();
        uint256 valueS = vault.convertToAssets(sc);
        uint256 feesBefore = usdt.balanceOf(feeRecipient);
        _settle();
        EpochResult memory r = _result(1);
        assertEq(vault.totalSupply(), supply);
        assertEq(vault.navPerShare(), nav);
        assertEq(r.sharesOut, sc);
        assertEq(r.assetsOut + usdt.balanceOf(feeRecipient) - feesBefore, d, "USDT conserved");
        assertGe(r.assetsOut, valueS * (10_000 - BURN_FEE_BPS) / 10_000, "redeemers >= NAV less burn fee");
        assertEq(_claimShares(alice), sc);
        assertEq(_claimAssets(carol), r.assetsOut);
        assertEq(usdt.balanceOf(address(batch)), 0);
        assertEq(vault.balanceOf(address(batch)), 0);
    }

    function test_settle_depositsBelowVaultMinimum_waits() public {
        vm.prank(manager);
        batch.setPolicy(BatchPolicy(1 days, 1 days, 10_000e6, 1e6, 1e18));
        _requestDeposit(alice, 5e6);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__BelowVaultMinimum.selector, 5e6, MIN_DEPOSIT)
        );
        vm.prank(keeper);
        batch.settle();
        assertEq(batch.pendingDepositRequest(1, alice), 5e6);
    }

    function test_settle_nothing_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NothingToSettle.selector, 1));
        vm.prank(keeper);
        batch.settle();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Settlement: access and waiting
    // ---------------------------------------------------------------------------------------------------------------

    function test_settle_strangerBeforeGrace_reverts_thenAnyone() public {
        _requestDeposit(alice, 1000e6);
        uint256 openAt = block.timestamp + 2 days;
        assertEq(batch.epochStatus().permissionlessAt, openAt);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__SettlementNotOpen.selector, bob, openAt)
        );
        vm.prank(bob);
        batch.settle();
        vm.warp(openAt);
        _refreshFeeds();
        vm.prank(bob);
        assertEq(batch.settle(), 1);
    }

    function test_settle_whilePaused_waits_andCancelWorks() public {
        _requestDeposit(alice, 1000e6);
        vm.prank(guardian);
        vault.pause(1);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__VaultPaused.selector, uint8(1)));
        vm.prank(keeper);
        batch.settle();
        assertFalse(batch.epochStatus().due);
        vm.prank(alice);
        assertEq(batch.cancelDepositRequest(alice, alice), 1000e6);
    }

    function test_settle_redeemPaused_waits() public {
        uint256 sc = _holder(carol, 2000e6);
        _requestRedeem(carol, sc);
        vm.prank(guardian);
        vault.pause(4);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__VaultPaused.selector, uint8(4)));
        vm.prank(keeper);
        batch.settle();
        // Nothing stuck: cancel and leave in kind.
        vm.prank(carol);
        batch.cancelRedeemRequest(carol, carol);
        vm.prank(carol);
        uint256[] memory amounts = vault.redeemInKind(sc, carol, carol);
        assertGt(amounts[0], 0);
        assertEq(vault.balanceOf(carol), 0);
    }

    function test_settle_rebalancing_waits() public {
        _requestDeposit(alice, 1000e6);
        VaultConfig memory cfg = vault.config();
        cfg.rebalancing = true;
        vm.mockCall(address(vault), abi.encodeWithSelector(IIndexVault.config.selector), abi.encode(cfg));
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__VaultRebalancing.selector));
        vm.prank(keeper);
        batch.settle();
    }

    function test_settle_stalePrice_waits() public {
        _requestDeposit(alice, 1000e6);
        vm.warp(block.timestamp + 2 days); // every feed is past its heartbeat
        // The vault's own oracle error bubbles up (it names the stale feed).
        vm.expectPartialRevert(IOracleErrors.Oracle__StalePrice.selector);
        vm.prank(keeper);
        batch.settle();
        assertEq(batch.pendingDepositRequest(1, alice), 1000e6);
        _refreshFeeds();
        _settle();
        assertEq(batch.claimableDepositRequest(1, alice), 1000e6);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Upkeep policy
    // ---------------------------------------------------------------------------------------------------------------

    function test_checkUpkeep_dueAfterMaxWait() public {
        (bool needed,) = batch.checkUpkeep("");
        assertFalse(needed);
        _requestDeposit(alice, 1000e6);
        (needed,) = batch.checkUpkeep("");
        assertFalse(needed, "small and young");
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NotDue.selector));
        vm.prank(keeper);
        batch.performUpkeep("");
        vm.warp(block.timestamp + 1 days);
        _refreshFeeds();
        (needed,) = batch.checkUpkeep("");
        assertTrue(needed);
        vm.prank(keeper);
        batch.performUpkeep("");
        assertEq(batch.epochStatus().epoch, 2);
    }

    function test_checkUpkeep_dueBySize() public {
        _requestDeposit(alice, 6000e6);
        uint256 sc = _holder(carol, 4100e6);
        _requestRedeem(carol, sc);
        EpochStatus memory s = batch.epochStatus();
        assertGe(s.grossValue, 10_000e6);
        assertTrue(s.due);
    }

    function test_setPolicy_onlyManagerAndBounded() public {
        BatchPolicy memory p = BatchPolicy(2 hours, 1 hours, 1e6, 20e6, 20e18);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NotManager.selector, alice));
        vm.prank(alice);
        batch.setPolicy(p);
        p.gracePeriod = 1 minutes;
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__InvalidPolicy.selector));
        vm.prank(manager);
        batch.setPolicy(p);
        p.gracePeriod = 1 hours;
        vm.prank(manager);
        batch.setPolicy(p);
        assertEq(batch.policy().minRequestAssets, 20e6);
        assertEq(batch.policy().maxWait, 2 hours);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Claims
    // ---------------------------------------------------------------------------------------------------------------

    function test_claimDeposits_operatorClaimsForMany() public {
        address[] memory users = new address[](3);
        users[0] = alice;
        users[1] = bob;
        users[2] = dave;
        for (uint256 i; i < 3; ++i) {
            _requestDeposit(users[i], 1000e6 * (i + 1));
            vm.prank(users[i]);
            batch.setOperator(keeper, true);
        }
        _settle();
        vm.prank(keeper);
        uint256 total = batch.claimDeposits(users);
        assertLe(total, _result(1).sharesOut);
        for (uint256 i; i < 3; ++i) {
            assertEq(vault.balanceOf(users[i]), uint256(_result(1).sharesOut) * 1000e6 * (i + 1) / 6000e6);
            assertEq(batch.maxDeposit(users[i]), 0);
        }
        // Already claimed: skipped, not reverted.
        vm.prank(keeper);
        assertEq(batch.claimDeposits(users), 0);
    }

    function test_claimDeposits_notOperator_reverts() public {
        _requestDeposit(alice, 1000e6);
        _settle();
        address[] memory users = new address[](1);
        users[0] = alice;
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NotAuthorized.selector, bob, alice));
        vm.prank(bob);
        batch.claimDeposits(users);
    }

    /// @dev The vault's keeper may push claims without being an operator: only ever to the controller itself.
    function test_claimDeposits_keeperPushesToControllers() public {
        _requestDeposit(alice, 1000e6);
        _requestDeposit(bob, 2000e6);
        _settle();
        address[] memory users = new address[](2);
        users[0] = alice;
        users[1] = bob;
        uint256 owedAlice = batch.maxMint(alice);
        vm.prank(keeper);
        batch.claimDeposits(users);
        assertEq(vault.balanceOf(alice), owedAlice);
        assertEq(vault.balanceOf(keeper), 0);
        assertEq(batch.maxMint(bob), 0);
    }

    function test_claimRedeems_operatorClaimsForMany() public {
        uint256 s1 = _holder(carol, 2000e6);
        uint256 s2 = _holder(dave, 3000e6);
        _requestRedeem(carol, s1);
        _requestRedeem(dave, s2);
        vm.prank(carol);
        batch.setOperator(keeper, true);
        vm.prank(dave);
        batch.setOperator(keeper, true);
        _settle();
        address[] memory users = new address[](2);
        users[0] = carol;
        users[1] = dave;
        vm.prank(keeper);
        uint256 total = batch.claimRedeems(users);
        assertEq(total, usdt.balanceOf(carol) + usdt.balanceOf(dave));
        assertLe(total, _result(1).assetsOut);
    }

    /// @dev A controller with a carried amount (settled, unclaimed, then a new request settled) and one without, in
    ///      one pushed claim: each gets exactly its whole claimable amount, as its own `mint` of it would pay.
    function test_claimDeposits_carryAndPlainInOneCall() public {
        _requestDeposit(alice, 1000e6);
        _settle();
        _requestDeposit(alice, 700e6); // alice's epoch-1 claim moves to the carry
        _requestDeposit(bob, 1300e6);
        _settle();
        uint256 owedAlice = batch.maxMint(alice);
        uint256 owedBob = batch.maxMint(bob);
        assertEq(
            owedAlice,
            uint256(_result(1).sharesOut) * 1000e6 / _result(1).depositAssets + uint256(_result(2).sharesOut) * 700e6
                / _result(2).depositAssets
        );
        address[] memory users = new address[](2);
        users[0] = alice;
        users[1] = bob;
        vm.prank(keeper);
        assertEq(batch.claimDeposits(users), owedAlice + owedBob);
        assertEq(vault.balanceOf(alice), owedAlice);
        assertEq(vault.balanceOf(bob), owedBob);
        assertEq(batch.maxMint(alice) + batch.maxMint(bob), 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Multicall: the keeper's settle-and-claim transaction
    // ---------------------------------------------------------------------------------------------------------------

    function test_multicall_keeperSettlesAndPushesClaims() public {
        uint256 shares = _holder(carol, 2000e6);
        _requestRedeem(carol, shares);
        _requestDeposit(alice, 1500e6);
        _requestDeposit(bob, 500e6);
        address[] memory depositors = new address[](2);
        depositors[0] = alice;
        depositors[1] = bob;
        address[] memory redeemers = new address[](1);
        redeemers[0] = carol;
        uint256 carolUsdt = usdt.balanceOf(carol);
        vm.prank(keeper);
        bytes[] memory results = batch.multicall(settleAndClaimCalls(depositors, redeemers));
        assertEq(abi.decode(results[0], (uint256)), 1);
        EpochResult memory r = _result(1);
        assertEq(vault.balanceOf(alice), uint256(r.sharesOut) * 1500e6 / r.depositAssets);
        assertEq(vault.balanceOf(bob), uint256(r.sharesOut) * 500e6 / r.depositAssets);
        assertEq(abi.decode(results[1], (uint256)), vault.balanceOf(alice) + vault.balanceOf(bob));
        assertEq(usdt.balanceOf(carol) - carolUsdt, r.assetsOut); // the only redeemer: all of it
        assertEq(abi.decode(results[2], (uint256)), r.assetsOut);
        assertEq(batch.maxMint(alice) + batch.maxMint(bob) + batch.maxWithdraw(carol), 0);
        assertEq(batch.epochStatus().epoch, 2);
    }

    /// @dev Inside a multicall every call keeps the caller: a stranger cannot settle early through it.
    function test_multicall_keepsTheCaller_strangerCannotSettleEarly() public {
        _requestDeposit(alice, 1000e6);
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(batch.settle, ());
        vm.expectRevert(
            abi.encodeWithSelector(
                IIndexVaultBatch.IndexVaultBatch__SettlementNotOpen.selector, bob, block.timestamp + 2 days
            )
        );
        vm.prank(bob);
        batch.multicall(calls);
    }

    /// @dev One failing call reverts the whole multicall, the settlement before it included: every request stays
    ///      pending. Here the keeper's settlement is followed by a claim it may not make (an ERC-7540 claim to the
    ///      keeper itself, which only an operator may do).
    function test_multicall_oneRevert_revertsAll_requestsStayPending() public {
        _requestDeposit(alice, 1000e6);
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(batch.settle, ());
        calls[1] = abi.encodeWithSignature("deposit(uint256,address,address)", 1000e6, keeper, alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__NotAuthorized.selector, keeper, alice));
        vm.prank(keeper);
        batch.multicall(calls);
        assertEq(batch.epochStatus().epoch, 1);
        assertEq(batch.pendingDepositRequest(0, alice), 1000e6);
    }

    /// @dev `_cloneArgs` reads the clone's arguments in place; they are what OpenZeppelin's `Clones` stored.
    function test_cloneArgs_matchFetchCloneArgs() public view {
        (address v, address u) = abi.decode(Clones.fetchCloneArgs(address(batch)), (address, address));
        assertEq(batch.vault(), v);
        assertEq(batch.share(), v);
        assertEq(batch.asset(), u);
        assertEq(v, address(vault));
        assertEq(u, address(usdt));
    }

    function test_claim_partialAndMint_neverExceedWhole() public {
        _requestDeposit(alice, 1000e6);
        _requestDeposit(bob, 777e6);
        _settle();
        uint256 whole = batch.maxMint(alice);
        vm.startPrank(alice);
        uint256 s1 = batch.deposit(333_333_333, alice, alice);
        uint256 a2 = batch.mint(whole / 3, alice, alice);
        uint256 rest = batch.maxDeposit(alice);
        uint256 s3 = batch.deposit(rest, alice);
        vm.stopPrank();
        assertEq(333_333_333 + a2 + rest, 1000e6, "every asset of the request consumed once");
        assertLe(s1 + whole / 3 + s3, whole);
        assertGe(s1 + whole / 3 + s3 + whole / 1000e6 + 2, whole, "rounding loses at most one USDT unit's worth");
        assertEq(batch.maxDeposit(alice), 0);
    }

    function test_claim_aboveClaimable_reverts() public {
        _requestDeposit(alice, 1000e6);
        _settle();
        vm.expectRevert(
            abi.encodeWithSelector(IIndexVaultBatch.IndexVaultBatch__ExceedsClaimable.selector, alice, 1001e6, 1000e6)
        );
        vm.prank(alice);
        batch.deposit(1001e6, alice, alice);
    }

    function test_withdraw_exactAssets() public {
        uint256 sc = _holder(carol, 2000e6);
        _requestRedeem(carol, sc);
        _settle();
        uint256 all = batch.maxWithdraw(carol);
        vm.prank(carol);
        uint256 used = batch.withdraw(all / 2, carol, carol);
        assertEq(usdt.balanceOf(carol), all / 2);
        assertLe(used, sc);
        uint256 restShares = batch.maxRedeem(carol);
        vm.prank(carol);
        batch.redeem(restShares, carol, carol);
        assertLe(usdt.balanceOf(carol), all);
        assertGe(usdt.balanceOf(carol) + 2, all);
    }

    /// @dev A request in a later epoch before claiming the earlier one: the earlier claim is carried, nothing lost.
    function test_carry_requestAgainBeforeClaiming() public {
        _requestDeposit(alice, 1000e6);
        _settle();
        uint256 owed1 = batch.maxMint(alice);
        _requestDeposit(alice, 2000e6);
        assertEq(batch.maxMint(alice), owed1, "epoch 1 claim carried");
        assertEq(batch.pendingDepositRequest(2, alice), 2000e6);
        _settle();
        uint256 owed2 = uint256(_result(2).sharesOut);
        assertEq(batch.maxDeposit(alice), 3000e6);
        assertEq(batch.maxMint(alice), owed1 + owed2);
        uint256 got = _claimShares(alice);
        assertEq(got, owed1 + owed2);
        assertEq(batch.maxMint(alice), 0);
        // And the slot is reusable: a third epoch works on the common path.
        _requestDeposit(alice, 1000e6);
        _settle();
        assertEq(_claimShares(alice), _result(3).sharesOut);
    }
}
