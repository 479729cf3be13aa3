// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {DriftLib} from "../../contracts/libraries/DriftLib.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";

import {ArrayHelpers} from "../base/ArrayHelpers.sol";

/// @notice Hand-checked examples for DriftLib. Values are D18{USD}; `E` = $1.
contract DriftLibTest is Test, ArrayHelpers {
    uint256 internal constant E = 1e18;

    // ---------------------------------------------------------------- helpers

    /// @dev External wrapper so that reverts of the inlined library can be caught by vm.expectRevert.
    function driftExt(uint256[] memory values, uint256[] memory targets, uint256 idle)
        external
        pure
        returns (DriftLib.DriftReport memory)
    {
        return DriftLib.drift(values, targets, idle);
    }

    function _assertReport(DriftLib.DriftReport memory r, uint256 nav, uint256 maxBps, uint256 sumBps, uint256 maxIndex)
        internal
        pure
    {
        assertEq(r.nav, nav, "nav");
        assertEq(r.maxDeviationBps, maxBps, "maxDeviationBps");
        assertEq(r.sumDeviationBps, sumBps, "sumDeviationBps");
        assertEq(r.maxDeviationD18, maxBps * 1e14, "maxDeviationD18");
        assertEq(r.sumDeviationD18, sumBps * 1e14, "sumDeviationD18");
        assertEq(r.maxIndex, maxIndex, "maxIndex");
    }

    // ---------------------------------------------------------------- drift

    function test_drift_twoConstituents() public pure {
        // 60/40 against 50/50: each is 10 % off.
        DriftLib.DriftReport memory r = DriftLib.drift(_a(60 * E, 40 * E), _a(5000, 5000), 0);
        _assertReport(r, 100 * E, 1000, 2000, 0);
    }

    function test_drift_threeConstituents() public pure {
        // 50/25/25 against 40/40/20: deviations 10 %, 15 %, 5 %.
        DriftLib.DriftReport memory r = DriftLib.drift(_a(50 * E, 25 * E, 25 * E), _a(4000, 4000, 2000), 0);
        _assertReport(r, 100 * E, 1500, 3000, 1);
    }

    function test_drift_tenConstituents() public pure {
        // Ten at 10 % each; the first holds 19 %, the last 1 %.
        uint256[] memory values = _fill(10, 10 * E);
        values[0] = 19 * E;
        values[9] = 1 * E;
        DriftLib.DriftReport memory r = DriftLib.drift(values, _fill(10, 1000), 0);
        _assertReport(r, 100 * E, 900, 1800, 0);
    }

    function test_drift_allAtTargetIsZero() public pure {
        DriftLib.DriftReport memory r = DriftLib.drift(_a(30 * E, 30 * E, 40 * E), _a(3000, 3000, 4000), 0);
        _assertReport(r, 100 * E, 0, 0, DriftLib.NO_INDEX);
    }

    function test_drift_emptyVaultIsZero() public pure {
        DriftLib.DriftReport memory r = DriftLib.drift(_a(0, 0, 0), _a(3000, 3000, 4000), 0);
        _assertReport(r, 0, 0, 0, DriftLib.NO_INDEX);
    }

    function test_drift_zeroTargetCountsWholeValue() public pure {
        // The first constituent is being removed: all of its 20 % is deviation.
        DriftLib.DriftReport memory r = DriftLib.drift(_a(20 * E, 40 * E, 40 * E), _a(0, 5000, 5000), 0);
        _assertReport(r, 100 * E, 2000, 4000, 0);
    }

    function test_drift_idleUsdtIsAPositionWithTargetZero() public pure {
        // 45/45 in tokens + 10 in USDT against 50/50: constituents 5 % under each, USDT 10 % over.
        DriftLib.DriftReport memory r = DriftLib.drift(_a(45 * E, 45 * E), _a(5000, 5000), 10 * E);
        _assertReport(r, 100 * E, 1000, 2000, DriftLib.IDLE_INDEX);
    }

    function test_drift_onlyIdleUsdt() public pure {
        // Fresh deposit not yet invested: everything deviates.
        DriftLib.DriftReport memory r = DriftLib.drift(_a(0, 0), _a(5000, 5000), 7 * E);
        _assertReport(r, 7 * E, 10_000, 20_000, DriftLib.IDLE_INDEX);
    }

    function test_drift_roundsUp() public pure {
        // 1 wei and 2 wei against 50/50: exact deviations 1666.67 bps each, sum 3333.33 bps.
        DriftLib.DriftReport memory r = DriftLib.drift(_a(1, 2), _a(5000, 5000), 0);
        assertEq(r.maxDeviationBps, 1667);
        assertEq(r.sumDeviationBps, 3334);
        assertEq(r.maxDeviationD18, 166_666_666_666_666_667); // ceil(1e18 / 6)
        assertEq(r.sumDeviationD18, 333_333_333_333_333_334); // ceil(1e18 / 3)
        assertEq(r.maxIndex, 0, "ties keep the first index");
    }

    function test_drift_scaleInvariant() public pure {
        DriftLib.DriftReport memory a = DriftLib.drift(_a(50, 25, 25), _a(4000, 4000, 2000), 0);
        DriftLib.DriftReport memory b = DriftLib.drift(_a(50 * E, 25 * E, 25 * E), _a(4000, 4000, 2000), 0);
        assertEq(a.maxDeviationD18, b.maxDeviationD18);
        assertEq(a.sumDeviationD18, b.sumDeviationD18);
        assertEq(a.maxIndex, b.maxIndex);
    }

    function test_drift_revertsOnLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(DriftLib.DriftLib__LengthMismatch.selector, 2, 3));
        this.driftExt(_a(1, 2), _a(3000, 3000, 4000), 0);
    }

    function test_drift_revertsOnTargetSumBelowBps() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidWeights.selector, 9999));
        this.driftExt(_a(1, 2), _a(5000, 4999), 0);
    }

    function test_drift_revertsOnTargetSumAboveBps() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidWeights.selector, 10_001));
        this.driftExt(_a(1, 2), _a(5000, 5001), 0);
    }

    function test_drift_revertsOnEmptyBasket() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidWeights.selector, 0));
        this.driftExt(new uint256[](0), new uint256[](0), 0);
    }

    // ---------------------------------------------------------------- targetValues / sum / validateTargets

    function test_targetValues_roundDownAndLeaveDust() public pure {
        uint256[] memory tv = DriftLib.targetValues(_a(3333, 3333, 3334), 100);
        assertEq(tv[0], 33);
        assertEq(tv[1], 33);
        assertEq(tv[2], 33);
    }

    function test_targetValues_exactWhenDivisible() public pure {
        uint256[] memory tv = DriftLib.targetValues(_a(2500, 2500, 5000), 1000 * E);
        assertEq(tv[0], 250 * E);
        assertEq(tv[1], 250 * E);
        assertEq(tv[2], 500 * E);
    }

    function test_sum_addsValues() public pure {
        assertEq(DriftLib.sum(_a(1, 2, 3)), 6);
        assertEq(DriftLib.sum(new uint256[](0)), 0);
    }

    function test_validateTargets_acceptsZeroTargets() public pure {
        DriftLib.validateTargets(_a(0, 10_000, 0), 3);
    }
}
