// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockWETH9
/// @notice Wrapped Ether with WETH9 semantics, for tests and the local chain:
/// - `deposit()` (or sending ETH with empty or unknown calldata) wraps 1:1 and emits `Deposit`;
/// - `withdraw(wad)` burns and sends ETH, emitting `Withdrawal`;
/// - `transferFrom(src, ...)` called by `src` itself needs no allowance; a max allowance is never decreased.
/// Differences from WETH9: `totalSupply` counts tokens rather than returning the ETH balance, and `mint` is an
/// open faucet that creates UNBACKED tokens (so the local market can seed deep pools without 10^5 ETH). Withdrawing
/// unbacked tokens fails once the contract's ETH runs out (`MockWETH9__EthTransferFailed`).
contract MockWETH9 is ERC20 {
    /// @notice Emitted when `dst` wraps `wad` wei into `wad` {WETH}.
    event Deposit(address indexed dst, uint256 wad);
    /// @notice Emitted when `src` unwraps `wad` {WETH} into `wad` wei.
    event Withdrawal(address indexed src, uint256 wad);

    /// @notice Raised when sending ETH to the withdrawer fails (e.g. unbacked supply, or a receiver that rejects ETH).
    error MockWETH9__EthTransferFailed(address to, uint256 wad);

    constructor() ERC20("Wrapped Ether", "WETH") {}

    /// @notice Wraps ETH sent with unknown calldata, like WETH9's fallback.
    fallback() external payable {
        _deposit();
    }

    /// @notice Wraps ETH sent with empty calldata, like WETH9's fallback.
    receive() external payable {
        _deposit();
    }

    /// @notice Wraps `msg.value` wei into the same amount of WETH {wei} for the caller.
    function deposit() external payable {
        _deposit();
    }

    /// @notice Unwraps `wad` {WETH} of the caller and sends `wad` wei back to it.
    /// @param wad Amount {wei} to unwrap.
    function withdraw(uint256 wad) external {
        _burn(msg.sender, wad);
        emit Withdrawal(msg.sender, wad);
        (bool ok,) = msg.sender.call{value: wad}("");
        if (!ok) revert MockWETH9__EthTransferFailed(msg.sender, wad);
    }

    /// @notice Test faucet: creates `wad` UNBACKED {WETH} for `to`. Open to anyone; emits `Transfer(0, to, wad)`.
    /// @param to Recipient of the new tokens.
    /// @param wad Amount {wei} to create.
    function mint(address to, uint256 wad) external {
        _mint(to, wad);
    }

    /// @notice ERC-20 transferFrom with WETH9's rule: no allowance is needed when the caller moves its own tokens.
    /// @param from Owner of the tokens.
    /// @param to Recipient.
    /// @param value Amount {wei}.
    /// @return Always true (reverts on failure).
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (from != msg.sender) _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        return true;
    }

    function _deposit() private {
        _mint(msg.sender, msg.value);
        emit Deposit(msg.sender, msg.value);
    }
}
