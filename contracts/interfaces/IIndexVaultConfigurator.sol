// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VaultParams, ConstituentParams} from "./IIndexVault.sol";

/// @title IIndexVaultConfigurator
/// @notice Configuration logic of `IndexVault`, split out to keep the vault under the EIP-170 size limit.
/// @dev Stateless. Reached only by DELEGATECALL from an `IndexVault`, which checks the caller's role (or
///      `initializer`) first and forwards its own calldata unchanged: every function below has the signature of the
///      `IIndexVault` function of the same name, and that function's NatSpec is the specification. It writes only
///      the `VaultStorageLib` namespace and emits `IIndexVault` events and errors, which appear as the vault's.
interface IIndexVaultConfigurator {
    /// @notice Called directly instead of through an `IndexVault`'s DELEGATECALL.
    error IndexVaultConfigurator__DelegateCallOnly();

    /// @notice The asset of the vaults using this configurator.
    function usdt() external view returns (address);

    /// @notice The Uniswap V3 factory that routes are validated against.
    function uniswapFactory() external view returns (address);

    /// @notice Validates and stores everything in `IIndexVault.initialize` except roles.
    function initialize(VaultParams calldata params, ConstituentParams[] calldata constituents) external;

    /// @notice See `IIndexVault.setMintFee`.
    function setMintFee(uint16 feeBps) external;

    /// @notice See `IIndexVault.setBurnFee`.
    function setBurnFee(uint16 feeBps) external;

    /// @notice See `IIndexVault.setManagementFee` (the vault accrues at the old rate before delegating).
    function setManagementFee(uint16 feeBps) external;

    /// @notice See `IIndexVault.setMaxSlippage`.
    function setMaxSlippage(uint16 slippageBps) external;

    /// @notice See `IIndexVault.setMinDeposit`.
    function setMinDeposit(uint96 minDeposit) external;

    /// @notice See `IIndexVault.setUsdtFeed`.
    function setUsdtFeed(address feed, uint32 heartbeat) external;

    /// @notice See `IIndexVault.setSequencerFeed`.
    function setSequencerFeed(address feed, uint32 gracePeriod) external;

    /// @notice See `IIndexVault.setConstituentFeed`.
    function setConstituentFeed(uint256 index, address feed, uint32 heartbeat) external;

    /// @notice See `IIndexVault.setConstituentRoute`.
    function setConstituentRoute(uint256 index, address[] calldata path, uint24[] calldata fees) external;
}
