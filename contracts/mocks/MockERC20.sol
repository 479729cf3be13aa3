// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockERC20
/// @notice A plain ERC-20 with configurable decimals and an open faucet, for tests and the local chain only.
/// @dev Anyone may mint: never deploy this anywhere value is at stake.
contract MockERC20 is ERC20 {
    uint8 private immutable _decimals;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Number of decimals of the token's raw unit (e.g. 8 for WBTC).
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Test faucet: creates `amount` {tok} raw units for `to`. Open to anyone; emits `Transfer(0, to, amount)`.
    /// @param to Recipient of the new tokens.
    /// @param amount Raw amount {tok} to create.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
