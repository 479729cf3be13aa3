// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VaultStorageLib} from "../../contracts/libraries/VaultStorageLib.sol";

/// @title VaultSlots
/// @notice Storage slots of the vault's ERC-7201 namespace (`VaultStorageLib.Layout`) for tests that read a vault's
///         storage with `vm.load`. Every slot is taken from the compiler's own layout of the struct at the namespace's
///         location, never written as a number, so the tests follow the layout if it grows.
library VaultSlots {
    /// @dev Slot of `Layout.constituents`: the array's length; its elements start at keccak256 of this slot.
    function constituents() internal view returns (bytes32 slot) {
        VaultStorageLib.Constituent[] storage list = VaultStorageLib.layout().constituents;
        assembly ("memory-safe") {
            slot := list.slot
        }
    }

    /// @dev Slot of `Layout.constituentTable`, the address of the constituent table's data contract. It is the field
    ///      declared right after the mapping `Layout.deferred`, and a mapping takes exactly one slot.
    function constituentTable() internal view returns (bytes32 slot) {
        mapping(address => mapping(address => uint256)) storage deferred = VaultStorageLib.layout().deferred;
        assembly ("memory-safe") {
            slot := add(deferred.slot, 1)
        }
    }
}
