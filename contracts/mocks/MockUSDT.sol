// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockUSDT
/// @notice Behaves like Tether USD on Ethereum mainnet (0xdAC17F958D2ee523a2206206994597C13D831ec7) where it matters
/// to an integrator:
/// - 6 decimals;
/// - `transfer`, `transferFrom` and `approve` return NOTHING (no `bool`), so a caller that decodes a `bool` return
///   (a plain `IERC20(usdt).transfer(...)` in Solidity >= 0.4.22) reverts;
/// - `approve` from a non-zero allowance to another non-zero allowance reverts (the ERC-20 approve race "fix");
/// - an allowance of `type(uint256).max` is never decreased by `transferFrom`.
/// Not modelled: fees (zero on mainnet), pause, blacklist, upgradeability.
/// @dev Test and local-chain only: `mint` is an open faucet.
contract MockUSDT {
    /// @notice Token name, as on mainnet.
    string public constant name = "Tether USD";
    /// @notice Token symbol, as on mainnet.
    string public constant symbol = "USDT";
    /// @notice Decimals of the raw unit, as on mainnet.
    uint8 public constant decimals = 6;

    /// @notice Total raw supply {USDT}.
    uint256 public totalSupply;
    /// @notice Raw balance {USDT} of each account.
    mapping(address account => uint256 amount) public balanceOf;
    /// @notice Raw allowance {USDT} given by `owner` to `spender`.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    /// @notice ERC-20 transfer event (also emitted by mint, from address(0)).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice ERC-20 approval event.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Raised when `approve` would change a non-zero allowance to another non-zero value (mainnet USDT rule).
    error MockUSDT__ApproveFromNonZero(address owner, address spender, uint256 currentAllowance, uint256 newAllowance);
    /// @notice Raised when the sender's balance is too small.
    error MockUSDT__InsufficientBalance(address from, uint256 balance, uint256 needed);
    /// @notice Raised when the spender's allowance is too small.
    error MockUSDT__InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// @notice Raised on a transfer to address(0).
    error MockUSDT__ZeroAddress();

    /// @notice Moves `value` {USDT} from the caller to `to`. Returns nothing, like mainnet USDT.
    /// @param to Recipient.
    /// @param value Raw amount {USDT}.
    function transfer(address to, uint256 value) external {
        _transfer(msg.sender, to, value);
    }

    /// @notice Moves `value` {USDT} from `from` to `to` using the caller's allowance. Returns nothing, like mainnet USDT.
    /// @dev An allowance of type(uint256).max is not decreased, as on mainnet.
    /// @param from Owner of the tokens.
    /// @param to Recipient.
    /// @param value Raw amount {USDT}.
    function transferFrom(address from, address to, uint256 value) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < value) revert MockUSDT__InsufficientAllowance(from, msg.sender, allowed, value);
        if (allowed != type(uint256).max) {
            // Cannot underflow: checked just above.
            unchecked {
                allowance[from][msg.sender] = allowed - value;
            }
        }
        _transfer(from, to, value);
    }

    /// @notice Sets the caller's allowance for `spender`. Returns nothing, like mainnet USDT.
    /// @dev Reverts when both the current and the new allowance are non-zero (set it to 0 first), as on mainnet.
    /// @param spender Account allowed to spend.
    /// @param value New raw allowance {USDT}.
    function approve(address spender, uint256 value) external {
        uint256 current = allowance[msg.sender][spender];
        if (value != 0 && current != 0) revert MockUSDT__ApproveFromNonZero(msg.sender, spender, current, value);
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
    }

    /// @notice Test faucet: creates `value` {USDT} for `to`. Open to anyone (mainnet's `issue` is owner-only and
    /// credits the owner; this mock deliberately differs so tests can fund any account).
    /// @param to Recipient of the new tokens.
    /// @param value Raw amount {USDT}.
    function mint(address to, uint256 value) external {
        if (to == address(0)) revert MockUSDT__ZeroAddress();
        totalSupply += value;
        // Cannot overflow: totalSupply bounds every balance.
        unchecked {
            balanceOf[to] += value;
        }
        emit Transfer(address(0), to, value);
    }

    function _transfer(address from, address to, uint256 value) private {
        if (to == address(0)) revert MockUSDT__ZeroAddress();
        uint256 balance = balanceOf[from];
        if (balance < value) revert MockUSDT__InsufficientBalance(from, balance, value);
        // Cannot under/overflow: balance checked above; totalSupply bounds every balance.
        unchecked {
            balanceOf[from] = balance - value;
            balanceOf[to] += value;
        }
        emit Transfer(from, to, value);
    }
}
