// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IIndexVaultModule
/// @notice Errors of what the vault's DELEGATECALL modules share (`IndexVaultModule`: the delegate-only guard and the
///         role checks), thrown by the rebalancer and the composer alike.
interface IIndexVaultModule {
    /// @notice The module was called directly instead of through an `IndexVault`'s DELEGATECALL.
    error IndexVaultModule__DelegateCallOnly();

    /// @notice The caller lacks the role the function needs.
    /// @param caller The caller.
    /// @param role The role.
    error IndexVaultModule__Unauthorized(address caller, bytes32 role);
}
