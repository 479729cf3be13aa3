// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IIndexBatchFactory} from "./interfaces/IIndexBatchFactory.sol";
import {IIndexFactory} from "./interfaces/IIndexFactory.sol";
import {IIndexVaultBatch} from "./interfaces/IIndexVaultBatch.sol";

/// @title IndexBatchFactory
/// @notice The companion of `IndexFactory` that gives each index vault its ERC-7540 batch. See `IIndexBatchFactory`.
/// @dev A separate contract so `IndexFactory`'s ABI and constructor stay as they are.
contract IndexBatchFactory is IIndexBatchFactory {
    /// @inheritdoc IIndexBatchFactory
    address public immutable implementation;

    /// @inheritdoc IIndexBatchFactory
    address public immutable indexFactory;

    /// @dev USDT of every vault of `indexFactory` (the second immutable argument of each clone).
    address internal immutable _USDT;

    /// @inheritdoc IIndexBatchFactory
    mapping(address vault => address) public batchOf;

    /// @param implementation_ A deployed `IndexVaultBatch` (its initializers are disabled).
    /// @param indexFactory_ The `IndexFactory` whose vaults get batches.
    constructor(address implementation_, address indexFactory_) {
        if (implementation_.code.length == 0) revert IndexBatchFactory__InvalidImplementation(implementation_);
        implementation = implementation_;
        indexFactory = indexFactory_;
        _USDT = IIndexFactory(indexFactory_).usdt();
    }

    /// @inheritdoc IIndexBatchFactory
    function createBatch(address vault) external returns (address batch) {
        if (!IIndexFactory(indexFactory).isVault(vault)) revert IndexBatchFactory__NotAVault(vault);
        address existing = batchOf[vault];
        if (existing != address(0)) revert IndexBatchFactory__BatchExists(vault, existing);
        batch = Clones.cloneDeterministicWithImmutableArgs(implementation, abi.encode(vault, _USDT), _salt(vault));
        batchOf[vault] = batch;
        emit BatchCreated(vault, batch, msg.sender);
        IIndexVaultBatch(batch).initialize(vault);
    }

    /// @inheritdoc IIndexBatchFactory
    function predictBatch(address vault) external view returns (address) {
        return Clones.predictDeterministicAddressWithImmutableArgs(
            implementation, abi.encode(vault, _USDT), _salt(vault), address(this)
        );
    }

    function _salt(address vault) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(vault)));
    }
}
