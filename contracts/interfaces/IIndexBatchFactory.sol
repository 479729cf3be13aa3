// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IIndexBatchFactory
/// @notice Deploys the ERC-7540 batch (`IndexVaultBatch`) of each index vault of one `IndexFactory`, as an ERC-1167
///         clone with immutable arguments (vault, USDT), and records it.
/// @dev Creation is permissionless and at most once per vault: a batch has no creator-chosen parameter (everything
///      comes from the vault, its policy from the vault's MANAGER_ROLE), and its address is deterministic
///      (`predictBatch`), so creating it for someone else changes nothing for them.
interface IIndexBatchFactory {
    /// @notice The implementation address has no code.
    error IndexBatchFactory__InvalidImplementation(address implementation);

    /// @notice `vault` is not a vault of `indexFactory()`.
    error IndexBatchFactory__NotAVault(address vault);

    /// @notice `vault` already has its batch.
    error IndexBatchFactory__BatchExists(address vault, address batch);

    /// @notice A batch was created for `vault`.
    /// @param vault The index vault.
    /// @param batch Its batch (clone).
    /// @param creator Who called `createBatch`.
    event BatchCreated(address indexed vault, address indexed batch, address indexed creator);

    /// @notice Deploys, initialises and records `vault`'s batch.
    /// @param vault A vault of `indexFactory()`.
    /// @return batch The new batch.
    function createBatch(address vault) external returns (address batch);

    /// @notice The batch of `vault` (address(0): none yet).
    function batchOf(address vault) external view returns (address);

    /// @notice Where `vault`'s batch is (or will be) deployed.
    function predictBatch(address vault) external view returns (address);

    /// @notice The `IndexVaultBatch` implementation every batch clones.
    function implementation() external view returns (address);

    /// @notice The `IndexFactory` whose vaults get batches.
    function indexFactory() external view returns (address);
}
