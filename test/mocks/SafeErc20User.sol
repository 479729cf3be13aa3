// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @dev A contract using OpenZeppelin SafeERC20, like our protocol.
contract SafeErc20User {
    using SafeERC20 for IERC20;

    function transfer(IERC20 token, address to, uint256 amount) external {
        token.safeTransfer(to, amount);
    }

    function transferFrom(IERC20 token, address from, address to, uint256 amount) external {
        token.safeTransferFrom(from, to, amount);
    }

    function forceApprove(IERC20 token, address spender, uint256 amount) external {
        token.forceApprove(spender, amount);
    }
}
