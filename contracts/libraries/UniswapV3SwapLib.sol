// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IUniswapV3PoolActions} from "@uniswap/v3-core/contracts/interfaces/pool/IUniswapV3PoolActions.sol";

import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {ConstantsLib} from "./ConstantsLib.sol";

/// @notice One Uniswap V3 hop as stored: the pool and the direction when buying (USDT → constituent).
struct Hop {
    address pool;
    bool zeroForOne; // the hop's input token is the pool's token0 when buying; selling flips it
}

/// @title UniswapV3SwapLib
/// @notice Exact-input swaps called directly on Uniswap V3 pools (no router), and the matching callback.
/// @dev Runs in the vault's context (internal functions). Authentication of the callback: before each `pool.swap`
///      the pool's address is written to a transient slot; the callback accepts only `msg.sender == that pool` and
///      clears the slot, so it pays at most once per swap and never outside a swap the vault started. Pools are
///      validated against the Uniswap V3 factory when routes are configured. The swap is not price-limited: the
///      caller checks the route's final output against an oracle-derived minimum, and a pool that cannot consume the
///      whole input reverts the swap (`IndexVault__PartialFill`).
library UniswapV3SwapLib {
    using SafeERC20 for IERC20;
    using TransientSlot for *;

    /// @dev Transient slot holding the pool the vault is swapping with: keccak256("index-vault.swap.expected-pool") − 1.
    bytes32 internal constant EXPECTED_POOL_SLOT = 0x3572d721b4dc8c9bb4f399eb7701491d2a3434d493083f28fa1ce3843ef99306;

    /// @notice Swaps exactly `amountIn` of `tokenIn` on `pool`; the output is sent to this contract.
    /// @param pool A Uniswap V3 pool holding `tokenIn`.
    /// @param zeroForOne True when `tokenIn` is the pool's token0.
    /// @param tokenIn The input token, paid in the callback.
    /// @param amountIn {tokIn units} Exact input, > 0.
    /// @return amountOut {tokOut units} Output received, as reported by the pool.
    function swapExactIn(address pool, bool zeroForOne, address tokenIn, uint256 amountIn)
        internal
        returns (uint256 amountOut)
    {
        EXPECTED_POOL_SLOT.asAddress().tstore(pool);
        int256 specified = SafeCast.toInt256(amountIn);
        uint160 limit = zeroForOne ? ConstantsLib.MIN_SQRT_PRICE_LIMIT : ConstantsLib.MAX_SQRT_PRICE_LIMIT;
        bytes4 selector = IUniswapV3PoolActions.swap.selector;
        int256 amount0;
        int256 amount1;
        // `pool.swap(address(this), zeroForOne, specified, limit, abi.encode(tokenIn, amountIn))`, encoded in place past
        // the free memory pointer (not allocated: nothing else uses memory before the call returns); the two returned
        // words land in the scratch space. A pool error is bubbled as is; a call that returns fewer than two words
        // (no code) reads as nothing paid, which the check below refuses (`IndexVault__PartialFill`).
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), address())
            mstore(add(ptr, 0x24), iszero(iszero(zeroForOne)))
            mstore(add(ptr, 0x44), specified)
            mstore(add(ptr, 0x64), limit)
            mstore(add(ptr, 0x84), 0xa0) // offset of `data`
            mstore(add(ptr, 0xa4), 0x40) // its length: two words
            mstore(add(ptr, 0xc4), and(tokenIn, 0xffffffffffffffffffffffffffffffffffffffff)) // callers decode it from packed bytes
            mstore(add(ptr, 0xe4), amountIn)
            if iszero(call(gas(), pool, 0, ptr, 0x104, 0x00, 0x40)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x40) {
                mstore(0x00, 0)
                mstore(0x20, 0)
            }
            amount0 := mload(0x00)
            amount1 := mload(0x20)
        }
        (int256 paid, int256 received) = zeroForOne ? (amount0, amount1) : (amount1, amount0);
        // A pool never reports paid > amountIn for an exact input, and the callback refuses to pay more.
        if (paid != SafeCast.toInt256(amountIn)) {
            // forge-lint: disable-next-line(unsafe-typecast) the cast is taken only where paid >= 0
            revert IIndexVault.IndexVault__PartialFill(pool, amountIn, paid < 0 ? 0 : uint256(paid));
        }
        // The pool pays out: received <= 0 for an exact-input swap.
        amountOut = SafeCast.toUint256(-received);
    }

    /// @notice Pays a pool in `uniswapV3SwapCallback`, after authenticating it.
    /// @param amount0Delta {token0 units} Owed to the pool when positive.
    /// @param amount1Delta {token1 units} Owed to the pool when positive.
    /// @param data abi.encode(tokenIn, amountIn) as passed to `pool.swap` by `swapExactIn`.
    function payCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) internal {
        TransientSlot.AddressSlot slot = EXPECTED_POOL_SLOT.asAddress();
        if (msg.sender != slot.tload()) revert IIndexVault.IndexVault__UnauthorizedCallback(msg.sender);
        slot.tstore(address(0));
        (address tokenIn, uint256 amountIn) = abi.decode(data, (address, uint256));
        // forge-lint: disable-next-line(unsafe-typecast) each cast is taken only where its delta is > 0
        uint256 owed = amount0Delta > 0 ? uint256(amount0Delta) : amount1Delta > 0 ? uint256(amount1Delta) : 0;
        if (owed > amountIn) revert IIndexVault.IndexVault__CallbackOverpayment(msg.sender, owed, amountIn);
        if (owed != 0) IERC20(tokenIn).safeTransfer(msg.sender, owed);
    }
}
