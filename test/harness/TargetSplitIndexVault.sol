// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVaultConfigurator} from "../../contracts/interfaces/IIndexVaultConfigurator.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";

/// @notice A deposit split by target weight (the pre-rebalancing design), for comparison with the production split
///         (pro-rata to current holdings).
contract TargetSplitIndexVault is IndexVault {
    constructor(IIndexVaultConfigurator configurator, address rebalancer_) IndexVault(configurator, rebalancer_) {}

    function _allocation(uint256 net, uint256[] memory, uint256, Snapshot memory s)
        internal
        view
        override
        returns (uint256[] memory amountsIn, uint256 kept)
    {
        uint256 n = s.balances.length;
        amountsIn = new uint256[](n);
        uint256 remaining = net;
        for (uint256 i; i + 1 < n; ++i) {
            amountsIn[i] = net * _s().constituents[i].targetWeightBps / ConstantsLib.BPS;
            remaining -= amountsIn[i];
        }
        amountsIn[n - 1] = remaining;
        kept = 0;
    }
}
