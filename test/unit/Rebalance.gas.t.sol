// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UpkeepAction} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Gas of one complete rebalance step at 5 and 10 constituents (committed in `snapshots/Rebalance.json`;
///         `npm test` fails when a number moves, re-record with `npm run snapshots`).
/// @dev Same market move in both: the first constituent +40 %, the second −25 %, the third +15 %; $1M vault. Before
///      measuring, every pool on every route has been traded both ways (`_tradeEveryPoolBothWays`), as any live
///      mainnet pool has: no measured sale pays the first write of a pool's fee-growth counter (~17,100 gas).
contract RebalanceGasTest is RebalanceBase {
    function _measure(uint256 n, string memory name) internal {
        _setUpVault(n);
        _tradeEveryPoolBothWays();
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
        _tradeEveryPoolBothWays();
        _drift();
        (bool due, bytes memory callData) = rb.rebalanceDue();
        vm.snapshotGasLastCall("Rebalance", "rebalanceDue_10_constituents");
        assertTrue(due, "drift over the threshold: due");
        assertEq(callData, abi.encodeCall(rb.rebalance, ()), "due: the rebalance call");
        (bool needed, bytes memory performData) = rb.checkUpkeep("");
        vm.snapshotGasLastCall("Rebalance", "checkUpkeep_10_constituents");
        assertTrue(needed, "upkeep needed");
        assertEq(performData, abi.encode(UpkeepAction.Rebalance), "upkeep: rebalance");
    }

    /// @dev Every pool on every constituent's route is traded both ways (price nudged up 0.1 % then back by the
    ///      fixture's arbitrageur), so both of its fee-growth counters are non-zero, as on any live mainnet pool.
    function _tradeEveryPoolBothWays() internal {
        for (uint256 i; i < vault.constituentCount(); ++i) {
            address[] memory path = vault.constituent(i).path;
            for (uint256 k = 1; k < path.length; ++k) {
                uint256 price = priceOf(path[k]);
                setMarketPrice(path[k], price * 1001 / 1000);
                setMarketPrice(path[k], price);
            }
        }
    }
}
