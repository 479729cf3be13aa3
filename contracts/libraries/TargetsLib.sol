// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {ConstantsLib} from "./ConstantsLib.sol";

/// @title TargetsLib
/// @notice The one check of the target-weight rule (weights sum to exactly `ConstantsLib.BPS`), used by a vault's
///         creation (`IndexVaultConfigurator`), its composition (`IndexVaultComposer`: a proposal and its execution)
///         and the drift maths (`DriftLib`). Counts and lengths are checked by each caller, with its own error.
library TargetsLib {
    /// @notice Reverts `IIndexVault.IndexVault__InvalidWeights(sumBps)` unless `sumBps` is exactly 100 %.
    /// @param sumBps {bps} Σ of the target weights
    function requireWhole(uint256 sumBps) internal pure {
        if (sumBps != ConstantsLib.BPS) revert IIndexVault.IndexVault__InvalidWeights(sumBps);
    }
}
