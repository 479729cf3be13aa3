// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITransferHook} from "./HookToken.sol";

/// @title ReentrantReceiver
/// @notice An attacker contract registered as a `HookToken` hook. When the token calls it in the middle of a vault
///         operation, it (1) re-enters `target` with the armed calldata and records whether that call succeeded and
///         its revert data, and (2) reads `view` calldata (e.g. `totalAssets()`) and records the result, so a test
///         can compare what an integrator would read mid-operation with the value before and after.
/// @dev Arms once: the first hook call after `arm` does the work, later ones do nothing (no recursion).
contract ReentrantReceiver is ITransferHook {
    address public target;
    bytes public reenterData;
    bytes public viewData;
    bool public armed;

    bool public reentered; // a hook fired while armed
    bool public reenterSucceeded;
    bytes public reenterRevertData;
    bool public viewSucceeded;
    bytes public viewResult; // return data on success, revert data otherwise

    /// @notice Forwards any call (the attacker acting as a plain account: approvals, vault calls).
    function execute(address to, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory result) = to.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }

    /// @notice Arms the hook: on the next token callback, call `target` with `reenterData_` (skipped if empty) and
    ///         staticcall it with `viewData_` (skipped if empty).
    function arm(address target_, bytes calldata reenterData_, bytes calldata viewData_) external {
        target = target_;
        reenterData = reenterData_;
        viewData = viewData_;
        armed = true;
        reentered = false;
    }

    function tokensToSend(address, address, uint256) external {
        _fire();
    }

    function tokensReceived(address, address, uint256) external {
        _fire();
    }

    function _fire() internal {
        if (!armed) return;
        armed = false;
        reentered = true;
        if (reenterData.length != 0) {
            (reenterSucceeded, reenterRevertData) = target.call(reenterData);
        }
        if (viewData.length != 0) {
            (viewSucceeded, viewResult) = target.staticcall(viewData);
        }
    }
}
