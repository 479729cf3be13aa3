// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";

import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {ConstantsLib} from "./ConstantsLib.sol";

/// @title RouteLib
/// @notice Validates a buy route (USDT → … → constituent) and resolves its pools in the Uniswap V3 factory.
library RouteLib {
    /// @notice Checks the route's shape and returns the pool of each hop.
    /// @dev Reverts `IndexVault__InvalidRoute` unless 1 ≤ hops ≤ MAX_HOPS, `path.length == fees.length + 1`,
    ///      path starts at `usdt`, ends at `token` and never repeats a token; `IndexVault__PoolNotFound` when the
    ///      factory has no pool for a hop (so every pool is a genuine pool of that factory).
    /// @param uniswapFactory The Uniswap V3 factory.
    /// @param usdt The vault's asset.
    /// @param token The constituent.
    /// @param path Route tokens, USDT first.
    /// @param fees {hundredths of a bip} Fee tier of each hop.
    /// @return pools The pool of each hop.
    function resolve(address uniswapFactory, address usdt, address token, address[] memory path, uint24[] memory fees)
        internal
        view
        returns (address[] memory pools)
    {
        uint256 hops = fees.length;
        if (
            hops == 0 || hops > ConstantsLib.MAX_HOPS || path.length != hops + 1 || path[0] != usdt
                || path[hops] != token
        ) revert IIndexVault.IndexVault__InvalidRoute(token);
        pools = new address[](hops);
        for (uint256 i; i < hops; ++i) {
            address tokenOut = path[i + 1];
            for (uint256 j; j <= i; ++j) {
                if (path[j] == tokenOut) revert IIndexVault.IndexVault__InvalidRoute(token);
            }
            address pool = IUniswapV3Factory(uniswapFactory).getPool(path[i], tokenOut, fees[i]);
            if (pool == address(0)) revert IIndexVault.IndexVault__PoolNotFound(path[i], tokenOut, fees[i]);
            pools[i] = pool;
        }
    }
}
