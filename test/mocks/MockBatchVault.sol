// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {VaultConfig} from "../../contracts/interfaces/IIndexVault.sol";

/// @notice A stand-in index vault for batch attack tests: its own ERC-20 share (1e12 shares per asset unit, NAV fixed),
///         an arbitrary asset (e.g. a fee-on-transfer token), every role granted, and a share token that can call back
///         into a target once, on its next transfer out of that target (to test the batch's reentrancy lock).
contract MockBatchVault is ERC20 {
    using SafeERC20 for IERC20;

    address public immutable asset;
    VaultConfig internal _cfg;

    address public hookTarget;
    bytes public hookData;

    constructor(address asset_) ERC20("Mock index", "MIDX") {
        asset = asset_;
        _cfg.minDeposit = 10e6;
        _cfg.feeRecipient = address(0xFEE);
    }

    function config() external view returns (VaultConfig memory) {
        return _cfg;
    }

    function hasRole(bytes32, address) external pure returns (bool) {
        return true;
    }

    function convertToAssets(uint256 shares) external pure returns (uint256) {
        return shares / 1e12;
    }

    function totalAssets() external view returns (uint256) {
        return totalSupply() / 1e12;
    }

    function mint(address to, uint256 shares) external {
        _mint(to, shares);
    }

    /// @dev The batch's net-deposit call: pulls `assets`, mints 1e12 shares per unit.
    function deposit(uint256 assets, address receiver, uint256, uint256) external returns (uint256 shares) {
        IERC20(asset).safeTransferFrom(msg.sender, address(this), assets);
        shares = assets * 1e12;
        _mint(receiver, shares);
    }

    /// @dev Arms a one-shot call to `target` with `data`, made on the next transfer of shares out of `target`.
    function arm(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address target = hookTarget;
        if (target != address(0) && from == target) {
            hookTarget = address(0);
            (bool ok, bytes memory ret) = target.call(hookData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
        }
    }
}
