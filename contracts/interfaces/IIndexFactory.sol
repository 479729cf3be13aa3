// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VaultParams, ConstituentParams} from "./IIndexVault.sol";

/// @title IIndexFactory
/// @notice Creates index vaults (ERC-1167 clones of one `IndexVault` implementation) and keeps their registry, so
///         several indexes (a BTC/ETH index, a DeFi index, a 10-token index…) run side by side on one USDT.
/// @dev Creation is permissionless: the registry (`isVault`) is what integrators trust, and every vault in it was
///      validated by its own `initialize` (fees, slippage, weights, feeds, routes, duplicates) plus the factory's
///      fee-on-transfer probe.
interface IIndexFactory {
    /// @notice The implementation address is zero or has no code.
    error IndexFactory__InvalidImplementation(address implementation);

    /// @notice One probe amount is needed per constituent.
    /// @param constituents Number of constituents.
    /// @param probes Number of probe amounts.
    error IndexFactory__LengthMismatch(uint256 constituents, uint256 probes);

    /// @notice A probe amount too small to reveal a transfer fee.
    /// @param token The token.
    /// @param amount {tok units} The probe amount given.
    /// @param minAmount {tok units} `ConstantsLib.MIN_PROBE_AMOUNT`.
    error IndexFactory__ProbeTooSmall(address token, uint256 amount, uint256 minAmount);

    /// @notice A probe transfer moved a different amount than asked: fee-on-transfer (or rebasing) token.
    /// @param token The token.
    /// @param expected {tok units} Amount transferred.
    /// @param actual {tok units} Balance change observed.
    error IndexFactory__FeeOnTransfer(address token, uint256 expected, uint256 actual);

    /// @notice A vault was created and registered.
    /// @param vault The new vault (clone).
    /// @param creator Who called `createVault`.
    /// @param admin The vault's DEFAULT_ADMIN_ROLE holder.
    /// @param name Share name.
    /// @param symbol Share symbol.
    /// @param constituentCount Number of constituents.
    event VaultCreated(
        address indexed vault,
        address indexed creator,
        address indexed admin,
        string name,
        string symbol,
        uint256 constituentCount
    );

    /// @notice Creates, initialises and registers a vault.
    /// @dev For each constituent, pulls `probeAmounts[i]` from the caller and sends it back, reverting unless both
    ///      transfers move exactly that amount (no fee on transfer). The caller approves each token for the probe.
    /// @param params Vault-wide parameters (see `VaultParams`).
    /// @param constituents The basket (see `ConstituentParams`).
    /// @param probeAmounts {tok units} Probe amount per constituent, each ≥ `ConstantsLib.MIN_PROBE_AMOUNT`.
    /// @return vault The new vault.
    function createVault(
        VaultParams calldata params,
        ConstituentParams[] calldata constituents,
        uint256[] calldata probeAmounts
    ) external returns (address vault);

    /// @notice The `IndexVault` implementation every vault clones.
    function implementation() external view returns (address);

    /// @notice The asset (USDT) of every vault of this factory.
    function usdt() external view returns (address);

    /// @notice Whether `vault` was created by this factory.
    function isVault(address vault) external view returns (bool);

    /// @notice Number of vaults created.
    function vaultCount() external view returns (uint256);

    /// @notice The vault created `index`-th (0-based).
    function vaultAt(uint256 index) external view returns (address);

    /// @notice Every vault created, oldest first.
    function vaults() external view returns (address[] memory);
}
