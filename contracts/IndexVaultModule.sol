// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVaultBase} from "./IndexVaultBase.sol";
import {IIndexVaultConfigurator} from "./interfaces/IIndexVaultConfigurator.sol";
import {IIndexVaultRebalancer, RebalanceConfig} from "./interfaces/IIndexVaultRebalancer.sol";
import {IIndexVaultModule} from "./interfaces/IIndexVaultModule.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {DelegateCallLib, DelegateCallOnly} from "./libraries/DelegateCallLib.sol";
import {RebalanceStorageLib} from "./libraries/RebalanceStorageLib.sol";

/// @title IndexVaultModule
/// @notice What the vault's DELEGATECALL modules (`IndexVaultRebalancer`, `IndexVaultComposer`) share: the
///         delegate-only guard, role checks against the vault, the rebalancing parameters in force, the rebalance
///         storage namespace.
/// @dev Roles are read from the vault with `hasRole` (AccessControl's storage stays the vault's private layout); the
///      role constants are `ConstantsLib`'s, as are `IndexVault`'s.
abstract contract IndexVaultModule is IndexVaultBase, DelegateCallOnly {
    /// @dev The configurator of the vaults using this module (constituent feeds and routes are written through it).
    address internal immutable _CONFIGURATOR;

    /// @param configurator The vaults' configurator (it fixes USDT).
    constructor(address configurator) IndexVaultBase(IERC20(IIndexVaultConfigurator(configurator).usdt())) {
        _CONFIGURATOR = configurator;
    }

    /// @dev Only through DELEGATECALL: direct calls would read and write this contract's own (meaningless) storage.
    modifier onlyDelegateCall() {
        _onlyDelegateCall();
        _;
    }

    /// @dev The parameters in force: the manager's, or the defaults until the manager sets them.
    function _config() internal view returns (RebalanceConfig memory) {
        if (_r().state.configured) return _r().config;
        // casting to 'uint64' is safe because 10^decimals ≤ 1e18 (decimals ≤ 18)
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 unit = uint64(10 ** _USDT_DECIMALS); // {USDT units} one USDT
        return RebalanceConfig({
            thresholdBps: ConstantsLib.DEFAULT_THRESHOLD_BPS,
            maxLossBps: ConstantsLib.DEFAULT_MAX_LOSS_BPS,
            cooldown: ConstantsLib.DEFAULT_COOLDOWN,
            gracePeriod: ConstantsLib.DEFAULT_GRACE_PERIOD,
            timeout: ConstantsLib.DEFAULT_TIMEOUT,
            compositionDelay: ConstantsLib.DEFAULT_COMPOSITION_DELAY,
            maxTradeValue: 0,
            minTradeValue: ConstantsLib.DEFAULT_MIN_TRADE_USDT * unit,
            bounty: ConstantsLib.DEFAULT_BOUNTY_USDT * unit
        });
    }

    function _hasRole(bytes32 role, address account) internal view returns (bool) {
        return IAccessControl(address(this)).hasRole(role, account);
    }

    function _checkRole(bytes32 role) internal view {
        if (!_hasRole(role, msg.sender)) {
            revert IIndexVaultModule.IndexVaultModule__Unauthorized(msg.sender, role);
        }
    }

    function _onlyDelegateCall() internal view {
        if (_isDirectCall()) revert IIndexVaultModule.IndexVaultModule__DelegateCallOnly();
    }

    /// @dev Runs `data` in another module (configurator, composer) against the vault's storage, bubbling its revert.
    function _delegateTo(address target, bytes memory data) internal {
        DelegateCallLib.run(target, data);
    }

    function _r() internal pure returns (RebalanceStorageLib.Layout storage) {
        return RebalanceStorageLib.layout();
    }
}
