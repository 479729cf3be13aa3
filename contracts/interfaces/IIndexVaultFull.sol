// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVault} from "./IIndexVault.sol";
import {IIndexVaultRebalancer} from "./IIndexVaultRebalancer.sol";
import {IIndexVaultComposer} from "./IIndexVaultComposer.sol";

/// @title IIndexVaultFull
/// @notice Everything an index vault's address serves, in one ABI: the vault itself (`IIndexVault`: ERC-4626 with
///         slippage-bounded USDT paths, the in-kind paths, configuration, views), its rebalancing module
///         (`IIndexVaultRebalancer`: drift views, `rebalance`, Chainlink Automation's `checkUpkeep`/`performUpkeep`)
///         and its composer (`IIndexVaultComposer`: composition proposals), both reached through the vault's
///         `fallback` by DELEGATECALL. Integrators, Automation registries and the TypeScript client use this ABI.
/// @dev Declares nothing itself: it only inherits, so functions, events and errors added to any of the three
///      interfaces appear here without an edit. No contract implements it directly (the vault implements
///      `IIndexVault`; the modules' functions answer at its address).
interface IIndexVaultFull is IIndexVault, IIndexVaultRebalancer, IIndexVaultComposer {}
