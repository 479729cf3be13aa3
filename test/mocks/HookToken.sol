// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice What an ERC-777-style token calls on the sender and the receiver of every transfer.
interface ITransferHook {
    /// @notice Called before the balances move (ERC-777 `tokensToSend`) when `from` registered this hook.
    function tokensToSend(address from, address to, uint256 amount) external;

    /// @notice Called after the balances moved (ERC-777 `tokensReceived`) when `to` registered this hook.
    function tokensReceived(address from, address to, uint256 amount) external;
}

/// @title HookToken
/// @notice An ERC-20 with ERC-777-like transfer hooks: an account registers a hook (as in the ERC-1820 registry)
///         and the token calls it before sending from and after receiving to that account. This hands control to
///         an attacker in the middle of any vault operation that moves the token to or from them. Public mint.
contract HookToken is ERC20 {
    uint8 internal immutable _DECIMALS;

    /// @notice The hook each account registered (address(0): none).
    mapping(address account => address hook) public hookOf;

    constructor(uint8 decimals_) ERC20("Hook", "HOOK") {
        _DECIMALS = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Registers `hook` for the caller (ERC-1820 `setInterfaceImplementer` in one call).
    function setHook(address hook) external {
        hookOf[msg.sender] = hook;
    }

    function _update(address from, address to, uint256 value) internal override {
        address sendHook = from == address(0) ? address(0) : hookOf[from];
        if (sendHook != address(0)) ITransferHook(sendHook).tokensToSend(from, to, value);
        super._update(from, to, value);
        address receiveHook = to == address(0) ? address(0) : hookOf[to];
        if (receiveHook != address(0)) ITransferHook(receiveHook).tokensReceived(from, to, value);
    }
}
