// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RebalanceBase} from "./RebalanceBase.t.sol";

/// @notice Gas of one complete rebalance step at 5 and 10 constituents (committed in `snapshots/Rebalance.json`).
/// @dev Same market move in both: the first constituent +40 %, the second −25 %, the third +15 %; $1M vault.
contract RebalanceGasTest is RebalanceBase {
    function _measure(uint256 n, string memory name) internal {
        _setUpVault(n);
        _drift();
        _scalePrice(2, 115, 100);
        vm.prank(keeper);
        rb.rebalance();
        vm.snapshotGasLastCall("Rebalance", name);
        assertLt(_maxDeviationBps(), THRESHOLD_BPS);
    }

    /// forge-config: default.isolate = true
    function test_gas_rebalance_5() public {
        _measure(5, "rebalance_5_constituents");
    }

    /// forge-config: default.isolate = true
    function test_gas_rebalance_10() public {
        _measure(10, "rebalance_10_constituents");
    }

    /// forge-config: default.isolate = true
    function test_gas_rebalanceDue_10() public {
        _setUpVault(10);
        _drift();
        rb.rebalanceDue();
        vm.snapshotGasLastCall("Rebalance", "rebalanceDue_10_constituents");
        rb.checkUpkeep("");
        vm.snapshotGasLastCall("Rebalance", "checkUpkeep_10_constituents");
    }
}
