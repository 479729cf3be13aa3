// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A token with the quirks the vault must survive, switchable at any time: a transfer fee, a blocklist
///         (transfers to a blocked address revert, like USDT/USDC blacklists) and a global pause.
contract QuirkyToken is ERC20 {
    uint8 internal immutable _DECIMALS;
    uint256 public feeBps; // {bps} burnt from every transfer
    bool public paused;
    mapping(address account => bool) public blocked;

    error QuirkyToken__Blocked(address to);
    error QuirkyToken__Paused();

    constructor(uint8 decimals_) ERC20("Quirky", "QRK") {
        _DECIMALS = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFeeBps(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (paused && from != address(0)) revert QuirkyToken__Paused();
        if (blocked[to]) revert QuirkyToken__Blocked(to);
        uint256 fee = from == address(0) ? 0 : value * feeBps / 10_000;
        if (fee != 0) super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
