// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";

import {MockERC20} from "../../contracts/mocks/MockERC20.sol";

import {BatchFixture} from "../base/BatchFixture.sol";
import {BatchHandler} from "./handlers/BatchHandler.sol";

/// @notice Invariants of the batch under random requests, cancellations, settlements and claims:
///         what the batch holds is exactly the open epoch's requests plus what settled epochs still owe; claims never
///         exceed what settlements produced; cancellations return exactly what was requested.
/// @dev Small default runs (each settlement is a real vault deposit or redeem over Uniswap): under a minute.
contract IndexVaultBatchInvariantTest is StdInvariant, BatchFixture {
    BatchHandler internal handler;

    function setUp() public override {
        super.setUp();
        _createBatchedVault(3);
        address[] memory actors = new address[](4);
        for (uint256 i; i < 4; ++i) {
            actors[i] = address(uint160(0xC000 + i));
            _holder(actors[i], 5000e6);
            vm.startPrank(actors[i]);
            usdt.approve(address(batch), type(uint256).max);
            vault.approve(address(batch), type(uint256).max);
            vm.stopPrank();
        }
        handler = new BatchHandler(vault, batch, MockERC20(address(usdt)), keeper, actors);
        // Feeds never go stale within a run: the handler warps at most an hour per call, runs are short.
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = handler.requestDeposit.selector;
        selectors[1] = handler.requestRedeem.selector;
        selectors[2] = handler.cancelDeposit.selector;
        selectors[3] = handler.cancelRedeem.selector;
        selectors[4] = handler.settle.selector;
        selectors[5] = handler.claimDeposit.selector;
        selectors[6] = handler.claimRedeem.selector;
        selectors[7] = handler.settle.selector;
        selectors[8] = handler.pushClaims.selector;
        selectors[9] = handler.settleAndPushClaims.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _sumPending()
        internal
        view
        returns (uint256 assets, uint256 shares, uint256 owedShares, uint256 owedAssets)
    {
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            assets += batch.pendingDepositRequest(0, a);
            shares += batch.pendingRedeemRequest(0, a);
            owedShares += batch.maxMint(a);
            owedAssets += batch.maxWithdraw(a);
        }
    }

    /// forge-config: default.invariant.runs = 12
    /// forge-config: default.invariant.depth = 25
    /// forge-config: default.invariant.fail_on_revert = true
    function invariant_batch() public view {
        (uint256 pendingAssets, uint256 pendingShares, uint256 owedShares, uint256 owedAssets) = _sumPending();
        // Σ pending = what the batch holds above what settled epochs still owe (exactly: nobody donates here).
        assertEq(
            usdt.balanceOf(address(batch)), pendingAssets + handler.ghostAssetsOut() - handler.ghostClaimedAssets()
        );
        assertEq(
            vault.balanceOf(address(batch)), pendingShares + handler.ghostSharesOut() - handler.ghostClaimedShares()
        );
        assertEq(batch.epochStatus().pendingAssets, pendingAssets);
        assertEq(batch.epochStatus().pendingShares, pendingShares);
        // Claims ≤ settled, and what is still claimable fits in what is left.
        assertLe(handler.ghostClaimedShares() + owedShares, handler.ghostSharesOut());
        assertLe(handler.ghostClaimedAssets() + owedAssets, handler.ghostAssetsOut());
        // Cancellations exact; pushed claims (alone or in the keeper's settle-and-claim transaction) pay exactly the
        // whole claimable amount.
        assertFalse(handler.cancellationMismatch());
        assertFalse(handler.pushedClaimMismatch());
    }
}
