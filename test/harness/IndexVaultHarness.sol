// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVaultConfigurator} from "../../contracts/interfaces/IIndexVaultConfigurator.sol";

/// @notice IndexVault with its internal rebalancing switch exposed (the rebalancing entry points come later).
contract IndexVaultHarness is IndexVault {
    constructor(IIndexVaultConfigurator configurator, address rebalancer) IndexVault(configurator, rebalancer) {}

    function exposed_setRebalancing(bool rebalancing) external {
        _setRebalancing(rebalancing);
    }
}
