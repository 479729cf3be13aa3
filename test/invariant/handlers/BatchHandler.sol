// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IndexVault} from "../../../contracts/IndexVault.sol";
import {IndexVaultBatch} from "../../../contracts/IndexVaultBatch.sol";
import {EpochResult} from "../../../contracts/interfaces/IIndexVaultBatch.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {settleAndClaimCalls} from "../../base/BatchFixture.sol";

/// @notice Drives the batch with four actors: deposit and redeem requests, cancellations, the keeper's settlement and
///         claims (ERC-7540 deposit/redeem), with ghost totals of what settlements produced and claims took.
contract BatchHandler is Test {
    IndexVault internal immutable _VAULT;
    IndexVaultBatch internal immutable _BATCH;
    MockERC20 internal immutable _USDT;
    address internal immutable _KEEPER;

    address[] public actors;

    uint256 public ghostSharesOut; // {share} Σ settled sharesOut
    uint256 public ghostAssetsOut; // {USDT units} Σ settled assetsOut
    uint256 public ghostClaimedShares;
    uint256 public ghostClaimedAssets;
    uint256 public settlements;
    uint256 public cancellations;
    bool public cancellationMismatch; // a cancellation returned anything but the pending amount
    bool public pushedClaimMismatch; // a pushed claim paid anything but the controller's whole claimable amount
    uint256 public pushedClaims; // controllers paid by `claimDeposits` / `claimRedeems`

    constructor(IndexVault vault_, IndexVaultBatch batch_, MockERC20 usdt_, address keeper_, address[] memory actors_) {
        _VAULT = vault_;
        _BATCH = batch_;
        _USDT = usdt_;
        _KEEPER = keeper_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function requestDeposit(uint256 seed, uint256 assets) external {
        address a = _actor(seed);
        assets = bound(assets, 10e6, 5000e6);
        _USDT.mint(a, assets);
        vm.prank(a);
        _BATCH.requestDeposit(assets, a, a);
    }

    function requestRedeem(uint256 seed, uint256 bps) external {
        address a = _actor(seed);
        uint256 shares = _VAULT.balanceOf(a) * bound(bps, 1, 10_000) / 10_000;
        if (shares < 10e18) return;
        vm.prank(a);
        _BATCH.requestRedeem(shares, a, a);
    }

    function cancelDeposit(uint256 seed) external {
        address a = _actor(seed);
        uint256 pending = _BATCH.pendingDepositRequest(0, a);
        if (pending == 0) return;
        uint256 balance = _USDT.balanceOf(a);
        vm.prank(a);
        uint256 back = _BATCH.cancelDepositRequest(a, a);
        if (back != pending || _USDT.balanceOf(a) != balance + pending) cancellationMismatch = true;
        ++cancellations;
    }

    function cancelRedeem(uint256 seed) external {
        address a = _actor(seed);
        uint256 pending = _BATCH.pendingRedeemRequest(0, a);
        if (pending == 0) return;
        uint256 balance = _VAULT.balanceOf(a);
        vm.prank(a);
        uint256 back = _BATCH.cancelRedeemRequest(a, a);
        if (back != pending || _VAULT.balanceOf(a) != balance + pending) cancellationMismatch = true;
        ++cancellations;
    }

    function settle() external {
        vm.prank(_KEEPER);
        try _BATCH.settle() returns (uint256 epoch) {
            EpochResult memory r = _BATCH.epochResult(epoch);
            ghostSharesOut += r.sharesOut;
            ghostAssetsOut += r.assetsOut;
            ++settlements;
        } catch {}
    }

    function claimDeposit(uint256 seed) external {
        address a = _actor(seed);
        uint256 assets = _BATCH.maxDeposit(a);
        if (assets == 0) return;
        vm.prank(a);
        ghostClaimedShares += _BATCH.deposit(assets, a, a);
    }

    function claimRedeem(uint256 seed) external {
        address a = _actor(seed);
        uint256 shares = _BATCH.maxRedeem(a);
        if (shares == 0) return;
        vm.prank(a);
        ghostClaimedAssets += _BATCH.redeem(shares, a, a);
    }

    /// @dev The keeper pushes every actor's claims (`claimDeposits`, `claimRedeems`): each actor gets exactly what it
    ///      could have claimed itself (`maxMint`, `maxWithdraw`), the carry path included.
    function pushClaims() external {
        uint256 n = actors.length;
        uint256[] memory owedShares = new uint256[](n);
        uint256[] memory owedAssets = new uint256[](n);
        uint256[] memory sharesBefore = new uint256[](n);
        uint256[] memory assetsBefore = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            (owedShares[i], owedAssets[i]) = (_BATCH.maxMint(actors[i]), _BATCH.maxWithdraw(actors[i]));
            (sharesBefore[i], assetsBefore[i]) = (_VAULT.balanceOf(actors[i]), _USDT.balanceOf(actors[i]));
        }
        vm.startPrank(_KEEPER);
        ghostClaimedShares += _BATCH.claimDeposits(actors);
        ghostClaimedAssets += _BATCH.claimRedeems(actors);
        vm.stopPrank();
        for (uint256 i; i < n; ++i) {
            if (
                _VAULT.balanceOf(actors[i]) - sharesBefore[i] != owedShares[i]
                    || _USDT.balanceOf(actors[i]) - assetsBefore[i] != owedAssets[i]
            ) pushedClaimMismatch = true;
            if (owedShares[i] != 0 || owedAssets[i] != 0) ++pushedClaims;
        }
    }

    /// @dev The keeper's one transaction: settle and push every claim (`multicall`). A settlement that must wait
    ///      reverts the whole transaction, claims included.
    function settleAndPushClaims() external {
        uint256 epoch = _BATCH.epochStatus().epoch;
        vm.prank(_KEEPER);
        try _BATCH.multicall(settleAndClaimCalls(actors, actors)) returns (bytes[] memory results) {
            EpochResult memory r = _BATCH.epochResult(epoch);
            ghostSharesOut += r.sharesOut;
            ghostAssetsOut += r.assetsOut;
            ++settlements;
            ghostClaimedShares += abi.decode(results[1], (uint256));
            ghostClaimedAssets += abi.decode(results[2], (uint256));
            for (uint256 i; i < actors.length; ++i) {
                if (_BATCH.maxMint(actors[i]) != 0 || _BATCH.maxWithdraw(actors[i]) != 0) pushedClaimMismatch = true;
            }
        } catch {}
    }

    function warp(uint256 dt) external {
        dt = bound(dt, 1, 1 hours);
        vm.warp(block.timestamp + dt);
    }
}
