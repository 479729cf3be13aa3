// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title DelegateCallLib
/// @notice The vault's module plumbing, written once: forwarding a call to a module (the vault's and the rebalancer's
///         `fallback`) and running encoded calldata in a module, each bubbling the module's revert unchanged.
/// @dev Every target is an immutable set at construction (rebalancer, composer, configurator): never user input.
library DelegateCallLib {
    /// @notice Runs this call's calldata in `target` (DELEGATECALL, the caller's storage) and ends the call with the
    ///         module's return data, or reverts with its revert data. Never returns to the caller.
    /// @dev Not "memory-safe": it overwrites memory from 0, which is fine because it never returns to Solidity code.
    /// @param target The module.
    function forward(address target) internal {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// @notice Runs `data` in `target` (DELEGATECALL, the caller's storage), bubbling its revert; the caller checks
    ///         roles first.
    /// @param target The module.
    /// @param data ABI-encoded call.
    function run(address target, bytes memory data) internal {
        (bool ok, bytes memory result) = target.delegatecall(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}

/// @title DelegateCallOnly
/// @notice For a module whose functions only make sense in a vault's context: remembers its own address so that a
///         direct call (which would read and write the module's own, meaningless storage) can be refused.
abstract contract DelegateCallOnly {
    /// @dev This contract's own address.
    address private immutable _SELF = address(this);

    /// @dev Whether the running call reached this contract directly rather than through DELEGATECALL.
    function _isDirectCall() internal view returns (bool) {
        return address(this) == _SELF;
    }
}
