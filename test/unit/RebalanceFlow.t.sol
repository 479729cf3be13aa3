// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexFactory} from "../../contracts/IndexFactory.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVaultConfigurator} from "../../contracts/interfaces/IIndexVaultConfigurator.sol";
import {IIndexVaultRebalancer, DriftState, RebalanceConfig} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";

import {RebalanceBase} from "./RebalanceBase.t.sol";

/// @notice The pre-rebalancing deposit split (by target weight), for comparison with the flow-aware split.
contract ProRataIndexVault is IndexVault {
    constructor(IIndexVaultConfigurator configurator, address rebalancer_) IndexVault(configurator, rebalancer_) {}

    function _allocation(uint256 net, uint256[] memory, Snapshot memory s)
        internal
        view
        override
        returns (uint256[] memory amountsIn)
    {
        uint256 n = s.balances.length;
        amountsIn = new uint256[](n);
        uint256 remaining = net;
        for (uint256 i; i + 1 < n; ++i) {
            amountsIn[i] = net * _s().constituents[i].targetWeightBps / ConstantsLib.BPS;
            remaining -= amountsIn[i];
        }
        amountsIn[n - 1] = remaining;
    }
}

/// @notice Flow-aware deposits: they buy the most underweight constituents first, so ordinary inflows shrink drift.
///         Measures how many rebalances this saves over a price path with regular deposits, against the same vault
///         splitting deposits by target weight.
contract RebalanceFlowTest is RebalanceBase {
    uint256 internal constant PERIODS = 40;
    uint256 internal constant INFLOW = 10_000e6; // {USDT units} per period (4 % of the initial NAV)

    function setUp() public override {
        super.setUp();
        depositAmount = 250_000e6;
        _setUpVault(5);
        RebalanceConfig memory c = _config();
        c.thresholdBps = 100; // a tight index: rebalances are frequent enough to count
        _setConfig(c);
    }

    function test_deposit_buysUnderweightFirst() public {
        _scalePrice(0, 120, 100); // constituent 0 overweight, the others under
        address weth = vault.constituent(0).token;
        uint256 wethBefore = _balance(weth);
        uint256 maxBefore = _maxDeviationBps();
        _deposit(vault, bob, 10_000e6);
        assertEq(_balance(weth), wethBefore, "nothing bought of the overweight constituent");
        assertLt(_maxDeviationBps(), maxBefore, "the deposit reduced drift");
    }

    function test_deposit_onTargetSplitsByTarget() public {
        uint256[] memory before = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            before[i] = _balance(vault.constituent(i).token);
        }
        _deposit(vault, bob, 100_000e6);
        DriftState memory d = rb.driftReport();
        assertLt(d.maxDeviationBps, 20, "still on target");
        for (uint256 i; i < 5; ++i) {
            assertGt(_balance(vault.constituent(i).token), before[i], "every constituent bought");
        }
    }

    function test_flowAwareDeposits_reduceTheNumberOfRebalances() public {
        uint256 snap = vm.snapshotState();
        uint256 flowAware = _run(vault);
        vm.revertToState(snap);

        IndexFactory proRataFactory = new IndexFactory(
            address(new ProRataIndexVault(IIndexVaultConfigurator(address(configurator)), address(rebalancer)))
        );
        factory = proRataFactory;
        _setUpVault(5);
        uint256 proRata = _run(vault);

        emit log_named_uint("rebalances with flow-aware deposits", flowAware);
        emit log_named_uint("rebalances with pro-rata deposits  ", proRata);
        assertLt(flowAware, proRata, "flow-aware deposits save rebalances");
    }

    /// @dev A deterministic price path: every period each constituent moves by up to ±4 %, a deposit of INFLOW
    ///      arrives, a day passes (arbitrageurs re-sync pools) and the keeper rebalances if due.
    function _run(IndexVault v) internal returns (uint256 rebalances) {
        IIndexVaultRebalancer r = IIndexVaultRebalancer(address(v));
        for (uint256 p; p < PERIODS; ++p) {
            for (uint256 i; i < 5; ++i) {
                uint256 rnd = uint256(keccak256(abi.encode(p, i))) % 801; // 0..800
                _scalePrice(i, 9600 + rnd, 10_000); // ×0.96 .. ×1.04
            }
            _deposit(v, bob, INFLOW);
            _warp(1 days);
            if (r.rebalanceStatus().due) {
                vm.prank(keeper);
                r.rebalance();
                ++rebalances;
            }
        }
    }

    function _balance(address token) internal view returns (uint256) {
        return IERC20(token).balanceOf(address(vault));
    }
}
