// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IndexVaultBatch} from "../../contracts/IndexVaultBatch.sol";
import {IndexBatchFactory} from "../../contracts/IndexBatchFactory.sol";
import {EpochResult, IIndexVaultBatch} from "../../contracts/interfaces/IIndexVaultBatch.sol";

import {VaultFixture} from "./VaultFixture.sol";

/// @dev The keeper's settle-and-claim transaction: `settle`, then `claimDeposits` and `claimRedeems` (lists may be
///      empty), as one `multicall` payload. Shared by the unit, gas and invariant suites.
function settleAndClaimCalls(address[] memory depositors, address[] memory redeemers)
    pure
    returns (bytes[] memory calls)
{
    calls = new bytes[](3);
    calls[0] = abi.encodeCall(IIndexVaultBatch.settle, ());
    calls[1] = abi.encodeCall(IIndexVaultBatch.claimDeposits, (depositors));
    calls[2] = abi.encodeCall(IIndexVaultBatch.claimRedeems, (redeemers));
}

/// @title BatchFixture
/// @notice The batch layer on top of the vault fixture: deploys the `IndexVaultBatch` implementation and the
///         companion `IndexBatchFactory`, and creates a vault (seeded by a direct deposit) with its batch.
abstract contract BatchFixture is VaultFixture {
    uint256 internal constant SEED = 100_000e6; // {USDT units} the seed holder's direct deposit

    address internal seeder = makeAddr("seeder");

    IndexVaultBatch internal batchImplementation;
    IndexBatchFactory internal batchFactory;
    IndexVault internal vault;
    IndexVaultBatch internal batch;

    function setUp() public virtual override {
        super.setUp();
        batchImplementation = IndexVaultBatch(_deployBuilt("IndexVaultBatch.sol", "IndexVaultBatch", ""));
        batchFactory = IndexBatchFactory(
            _deployBuilt(
                "IndexBatchFactory.sol", "IndexBatchFactory", abi.encode(address(batchImplementation), address(factory))
            )
        );
        vm.label(address(batchImplementation), "IndexVaultBatch implementation");
        vm.label(address(batchFactory), "IndexBatchFactory");
    }

    /// @dev A vault over the first `n` constituents seeded with `SEED` USDT, and its batch.
    function _createBatchedVault(uint256 n) internal {
        vault = _createVault(n);
        _deposit(vault, seeder, SEED);
        batch = IndexVaultBatch(batchFactory.createBatch(address(vault)));
        vm.label(address(vault), "IndexVault");
        vm.label(address(batch), "IndexVaultBatch");
    }

    /// @dev Funds `user` with `assets` USDT, approves the batch and requests a deposit for `user`.
    function _requestDeposit(address user, uint256 assets) internal returns (uint256 requestId) {
        _fundBatchUsdt(user, assets);
        vm.prank(user);
        requestId = batch.requestDeposit(assets, user, user);
    }

    /// @dev Mints `assets` USDT to `user` and approves the batch for exactly that (USDT: approve from zero).
    function _fundBatchUsdt(address user, uint256 assets) internal {
        mintTo(address(usdt), user, assets);
        vm.startPrank(user);
        usdt.approve(address(batch), 0);
        usdt.approve(address(batch), assets);
        vm.stopPrank();
    }

    /// @dev Gives `user` shares through a direct deposit of `assets` and returns them.
    function _holder(address user, uint256 assets) internal returns (uint256 shares) {
        shares = _deposit(vault, user, assets);
    }

    /// @dev `user` approves the batch for `shares` and requests their redemption.
    function _requestRedeem(address user, uint256 shares) internal returns (uint256 requestId) {
        vm.startPrank(user);
        vault.approve(address(batch), shares);
        requestId = batch.requestRedeem(shares, user, user);
        vm.stopPrank();
    }

    /// @dev The keeper settles the open epoch.
    function _settle() internal returns (uint256 epoch) {
        vm.prank(keeper);
        epoch = batch.settle();
    }

    /// @dev `user` claims all its deposit shares.
    function _claimShares(address user) internal returns (uint256 shares) {
        uint256 assets = batch.maxDeposit(user);
        vm.prank(user);
        shares = batch.deposit(assets, user, user);
    }

    /// @dev `user` claims all its redeem USDT.
    function _claimAssets(address user) internal returns (uint256 assets) {
        uint256 shares = batch.maxRedeem(user);
        vm.prank(user);
        assets = batch.redeem(shares, user, user);
    }

    function _result(uint256 epoch) internal view returns (EpochResult memory) {
        return batch.epochResult(epoch);
    }

    /// @dev USDT the crossed part of `shares` costs a depositor: NAV value / (1 − mint fee), rounded up.
    function _costOf(uint256 shares) internal view returns (uint256) {
        uint256 value = vault.convertToAssets(shares);
        return (value * 10_000 + (10_000 - MINT_FEE_BPS) - 1) / (10_000 - MINT_FEE_BPS);
    }
}
