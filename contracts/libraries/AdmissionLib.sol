// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IIndexFactory} from "../interfaces/IIndexFactory.sol";
import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {ConstantsLib} from "./ConstantsLib.sol";
import {VaultStorageLib} from "./VaultStorageLib.sol";

/// @title AdmissionLib
/// @notice The rules a token must meet to join a basket, in one place for every path that admits one: vault creation
///         (`IndexFactory.createVault` probes, `IndexVaultConfigurator.initialize` checks) and composition
///         (`IndexVaultComposer.proposeAddConstituent` probes and checks, `executeProposal` checks again).
/// @dev Rules: not address(0), not USDT, not already listed, `decimals()` answering at most
///      `ConstantsLib.MAX_DECIMALS`; and a round trip of at least `ConstantsLib.MIN_PROBE_AMOUNT` units that moves
///      exactly the amount sent each way (no fee on transfer, no rebasing on transfer). A token that turns a transfer
///      fee on later is not caught by any probe: the vault measures every pull by balance change regardless.
library AdmissionLib {
    using SafeERC20 for IERC20;

    /// @notice Reverts unless `token` may join a basket holding `list` over `usdt`; returns its decimals.
    /// @param token The candidate.
    /// @param usdt The vault's asset.
    /// @param list The constituents already listed.
    /// @return tokenDecimals Its `decimals()`.
    function checkToken(address token, address usdt, VaultStorageLib.Constituent[] storage list)
        internal
        view
        returns (uint8 tokenDecimals)
    {
        if (token == address(0) || token == usdt) revert IIndexVault.IndexVault__InvalidConstituent(token);
        for (uint256 i; i < list.length; ++i) {
            if (list[i].token == token) revert IIndexVault.IndexVault__InvalidConstituent(token);
        }
        bool ok;
        (ok, tokenDecimals) = SafeERC20.tryGetDecimals(IERC20(token));
        if (!ok || tokenDecimals > ConstantsLib.MAX_DECIMALS) revert IIndexVault.IndexVault__UnsupportedToken(token);
    }

    /// @notice Round-trips `amount` of `token` from → this contract → from; reverts unless each leg moves exactly
    ///         `amount` (measured by balance change on the receiving side) or `amount` is below the minimum probe.
    /// @dev `from` must have approved this contract for `amount`. Errors are `IIndexFactory`'s (one rule, one error).
    function probe(IERC20 token, address from, uint256 amount) internal {
        if (amount < ConstantsLib.MIN_PROBE_AMOUNT) {
            revert IIndexFactory.IndexFactory__ProbeTooSmall(address(token), amount, ConstantsLib.MIN_PROBE_AMOUNT);
        }
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert IIndexFactory.IndexFactory__FeeOnTransfer(address(token), amount, received);

        before = token.balanceOf(from);
        token.safeTransfer(from, amount);
        uint256 returned = token.balanceOf(from) - before;
        if (returned != amount) revert IIndexFactory.IndexFactory__FeeOnTransfer(address(token), amount, returned);
    }
}
