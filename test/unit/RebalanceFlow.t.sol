// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexFactory} from "../../contracts/IndexFactory.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVaultRebalancer, DriftState, RebalanceConfig} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice USDT deposits buy the vault's own mix (pro-rata to current holdings at oracle prices): they neither shrink
///         nor grow drift, which is the rebalancer's job. Also records how many rebalances that costs over a price
///         path with regular deposits, against a vault splitting deposits by target weight (logged for the bench note).
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

    function test_deposit_buysTheVaultsMixEvenWhenOffTarget() public {
        _scalePrice(0, 120, 100); // constituent 0 overweight, the others under
        uint256[] memory before = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            before[i] = _balance(vault.constituent(i).token);
        }
        uint256 deviationBefore = _maxDeviationBps();
        _deposit(vault, bob, 20_000e6);
        // Every holding grows by the same fraction (≈ 20k / NAV), up to each pool's fee and price impact.
        uint256 growth0 = (_balance(vault.constituent(0).token) - before[0]) * 1e18 / before[0];
        assertGt(growth0, 0, "the overweight constituent is bought too");
        for (uint256 i = 1; i < 5; ++i) {
            uint256 growth = (_balance(vault.constituent(i).token) - before[i]) * 1e18 / before[i];
            assertApproxEqRel(growth, growth0, 0.02e18, "same growth for every holding");
        }
        uint256 deviationAfter = _maxDeviationBps();
        assertApproxEqAbs(deviationAfter, deviationBefore, 3, "the deposit leaves drift where it was");
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

    function test_proRataDeposits_leaveDriftToTheRebalancer() public {
        uint256 snap = vm.snapshotState();
        uint256 proRata = _run(vault, true);
        vm.revertToState(snap);

        // A harness outside .t.sol files, so `npm run build` compiles it with the audited settings (see _deployBuilt).
        IndexFactory targetFactory = _deployFactory(
            _deployBuilt(
                "TargetSplitIndexVault.sol", "TargetSplitIndexVault", abi.encode(configurator, address(rebalancer))
            )
        );
        factory = targetFactory;
        _setUpVault(5);
        uint256 byTarget = _run(vault, false);

        emit log_named_uint("rebalances with pro-rata deposits     ", proRata);
        emit log_named_uint("rebalances with deposits split by target", byTarget);
        assertGt(proRata, 0, "the price path makes the index drift");
    }

    /// @dev A deterministic price path: every period each constituent moves by up to ±4 %, a deposit of INFLOW
    ///      arrives, a day passes (arbitrageurs re-sync pools) and the keeper rebalances if due. With `checkMix`, each
    ///      deposit must leave the largest deviation from target within 3 bps of where it was.
    function _run(IndexVault v, bool checkMix) internal returns (uint256 rebalances) {
        IIndexVaultRebalancer r = IIndexVaultRebalancer(address(v));
        for (uint256 p; p < PERIODS; ++p) {
            for (uint256 i; i < 5; ++i) {
                uint256 rnd = uint256(keccak256(abi.encode(p, i))) % 801; // 0..800
                _scalePrice(i, 9600 + rnd, 10_000); // ×0.96 .. ×1.04
            }
            uint256 before = _maxDeviationBps();
            _deposit(v, bob, INFLOW);
            if (checkMix) assertApproxEqAbs(_maxDeviationBps(), before, 3, "a deposit leaves drift where it was");
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
