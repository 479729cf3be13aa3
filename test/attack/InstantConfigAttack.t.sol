// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

import {IIndexVault, VaultConfig} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";

import {RebalanceBase} from "../base/RebalanceBase.sol";

/// @notice Attack (issue #12, item 5): a stolen MANAGER key changes value-moving configuration at once. Pointing a
///         constituent's feed near zero removes that constituent's sell floor (a USDT redeem can then be sandwiched
///         without bound) and drags `previewRedeem`, the value integrators pass as `minAssets`; a feed set high
///         overstates NAV; a new route, a wider slippage cap, a new USDT or sequencer feed and fee increases act the
///         same way. Every such change must wait the composition delay (holders can exit, the admin can cancel).
contract InstantConfigAttackTest is RebalanceBase {
    uint256 internal shares;

    function setUp() public override {
        super.setUp();
        depositAmount = 500_000e6;
        _setUpVault(4);
        shares = vault.balanceOf(alice);
    }

    /// @dev Nothing the vault prices with changed: NAV, the redeem floor and the whole config are as before.
    function _assertUnchanged(uint256 nav, uint256 preview, VaultConfig memory cfg) internal view {
        assertEq(vault.totalAssets(), nav, "NAV moved at once");
        assertEq(vault.previewRedeem(shares), preview, "redeem floor moved at once");
        assertEq(keccak256(abi.encode(vault.config())), keccak256(abi.encode(cfg)), "config changed at once");
    }

    function test_instantFeedChange_nearZeroFeedCannotCutTheRedeemFloorAtOnce() public {
        address token = vault.constituent(0).token;
        address oldFeed = vault.constituent(0).feed;
        (uint256 nav, uint256 preview, VaultConfig memory cfg) =
            (vault.totalAssets(), vault.previewRedeem(shares), vault.config());
        // A valid feed answering 0.01 % of the market price.
        MockAggregator low = new MockAggregator(8, "LOW", int256(priceOf(token) / 10_000));

        vm.prank(manager);
        vault.setConstituentFeed(0, address(low), 3600);

        assertEq(vault.constituent(0).feed, oldFeed, "feed replaced at once");
        _assertUnchanged(nav, preview, cfg);
    }

    function test_instantFeedChange_highFeedCannotOverstateNavAtOnce() public {
        address token = vault.constituent(1).token;
        (uint256 nav, uint256 preview, VaultConfig memory cfg) =
            (vault.totalAssets(), vault.previewRedeem(shares), vault.config());
        MockAggregator high = new MockAggregator(8, "HIGH", int256(priceOf(token) * 3));

        vm.prank(manager);
        vault.setConstituentFeed(1, address(high), 3600);

        assertEq(vault.constituent(1).feed, address(feedOf(token)), "feed replaced at once");
        _assertUnchanged(nav, preview, cfg);
    }

    function test_instantUsdtFeedChange_cannotRepriceTheVaultAtOnce() public {
        (uint256 nav, uint256 preview, VaultConfig memory cfg) =
            (vault.totalAssets(), vault.previewRedeem(shares), vault.config());
        MockAggregator usdtHigh = new MockAggregator(8, "USDT HIGH", 2e8);

        vm.prank(manager);
        vault.setUsdtFeed(address(usdtHigh), 3600);

        _assertUnchanged(nav, preview, cfg);
    }

    function test_instantSequencerFeedChange_cannotSwapTheDowntimeGuardAtOnce() public {
        (uint256 nav, uint256 preview, VaultConfig memory cfg) =
            (vault.totalAssets(), vault.previewRedeem(shares), vault.config());
        MockAggregator seq = new MockAggregator(0, "sequencer", 0);

        vm.prank(manager);
        vault.setSequencerFeed(address(seq), 0);

        _assertUnchanged(nav, preview, cfg);
    }

    function test_instantSlippageIncrease_cannotLowerEveryFloorAtOnce() public {
        (uint256 nav, uint256 preview, VaultConfig memory cfg) =
            (vault.totalAssets(), vault.previewRedeem(shares), vault.config());

        vm.prank(manager);
        vault.setMaxSlippage(500);

        _assertUnchanged(nav, preview, cfg);
    }

    function test_instantFeeIncrease_cannotTaxHoldersAtOnce() public {
        (uint256 nav, uint256 preview, VaultConfig memory cfg) =
            (vault.totalAssets(), vault.previewRedeem(shares), vault.config());

        vm.startPrank(manager);
        vault.setMintFee(200);
        vault.setBurnFee(200);
        vault.setManagementFee(500);
        vm.stopPrank();

        _assertUnchanged(nav, preview, cfg);
    }

    function test_instantRouteChange_cannotRerouteAtOnce() public {
        (address[] memory path, uint24[] memory fees) = buyRouteOf(vault.constituent(2).token);
        vm.recordLogs();
        vm.prank(manager);
        vault.setConstituentRoute(2, path, fees);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < logs.length; ++k) {
            assertTrue(logs[k].topics[0] != IIndexVault.ConstituentRouteSet.selector, "route written at once");
            assertTrue(logs[k].topics[0] != IIndexVault.ConstituentTablePublished.selector, "table republished");
        }
    }
}
