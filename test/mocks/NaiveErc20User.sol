// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev A contract written against the standard IERC20 (expects `bool` returns), like a naive integrator.
contract NaiveErc20User {
    function transfer(IERC20 token, address to, uint256 amount) external {
        token.transfer(to, amount);
    }

    function approve(IERC20 token, address spender, uint256 amount) external {
        token.approve(spender, amount);
    }
}
