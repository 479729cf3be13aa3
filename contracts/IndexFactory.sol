// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IIndexFactory} from "./interfaces/IIndexFactory.sol";
import {IIndexVault, VaultParams, ConstituentParams} from "./interfaces/IIndexVault.sol";
import {AdmissionLib} from "./libraries/AdmissionLib.sol";

/// @title IndexFactory
/// @notice Creates index vaults as ERC-1167 clones of one `IndexVault` implementation and keeps their registry.
/// @dev The factory never embeds the vault's creation code (EIP-170): a clone is 45 bytes delegating to the
///      implementation. Each clone is initialised in the same transaction it is created, so nobody can front-run
///      its initialisation.
contract IndexFactory is IIndexFactory, ReentrancyGuardTransient {
    /// @inheritdoc IIndexFactory
    address public immutable implementation;

    /// @inheritdoc IIndexFactory
    address public immutable usdt;

    /// @inheritdoc IIndexFactory
    mapping(address vault => bool) public isVault;

    address[] internal _vaults;

    /// @param implementation_ A deployed `IndexVault` implementation (its initializers are disabled).
    constructor(address implementation_) {
        if (implementation_.code.length == 0) revert IndexFactory__InvalidImplementation(implementation_);
        implementation = implementation_;
        usdt = IERC4626(implementation_).asset();
    }

    /// @inheritdoc IIndexFactory
    function createVault(
        VaultParams calldata params,
        ConstituentParams[] calldata constituents,
        uint256[] calldata probeAmounts
    ) external nonReentrant returns (address vault) {
        uint256 n = constituents.length;
        if (probeAmounts.length != n) revert IndexFactory__LengthMismatch(n, probeAmounts.length);
        for (uint256 i; i < n; ++i) {
            AdmissionLib.probe(IERC20(constituents[i].token), msg.sender, probeAmounts[i]);
        }

        vault = Clones.clone(implementation);
        isVault[vault] = true;
        _vaults.push(vault);
        emit VaultCreated(vault, msg.sender, params.admin, params.name, params.symbol, n);
        IIndexVault(vault).initialize(params, constituents);
    }

    /// @inheritdoc IIndexFactory
    function vaultCount() external view returns (uint256) {
        return _vaults.length;
    }

    /// @inheritdoc IIndexFactory
    function vaultAt(uint256 index) external view returns (address) {
        return _vaults[index];
    }

    /// @inheritdoc IIndexFactory
    function vaults() external view returns (address[] memory) {
        return _vaults;
    }
}
