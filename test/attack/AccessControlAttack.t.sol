// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault, VaultParams, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {IIndexVaultConfigurator} from "../../contracts/interfaces/IIndexVaultConfigurator.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";

import {AttackBase} from "./AttackBase.sol";

/// @notice Privilege attacks: every privileged function called by every account lacking its role; re-initialising;
///         calling the configuration module directly; a role granting itself more; and fee-cap bypasses.
contract AccessControlAttackTest is AttackBase {
    IndexVault internal vault;

    struct Privileged {
        bytes data;
        bytes32 role;
        string name;
    }

    function setUp() public override {
        super.setUp();
        vault = _createVault(3);
        _deposit(vault, alice, 10_000e6);
    }

    /// @dev Every privileged function of the vault with the role it needs (rebalancing ones: see SECURITY.md).
    function _privileged() internal view returns (Privileged[] memory list) {
        (address[] memory path, uint24[] memory fees) = buyRouteOf(constituents[0]);
        bytes32 manager_ = vault.MANAGER_ROLE();
        bytes32 admin_ = vault.DEFAULT_ADMIN_ROLE();
        bytes32 guardian_ = vault.GUARDIAN_ROLE();
        list = new Privileged[](14);
        list[0] = Privileged(abi.encodeCall(IIndexVault.setMintFee, (1)), manager_, "setMintFee");
        list[1] = Privileged(abi.encodeCall(IIndexVault.setBurnFee, (1)), manager_, "setBurnFee");
        list[2] = Privileged(abi.encodeCall(IIndexVault.setManagementFee, (1)), manager_, "setManagementFee");
        list[3] = Privileged(abi.encodeCall(IIndexVault.setMaxSlippage, (500)), manager_, "setMaxSlippage");
        list[4] = Privileged(abi.encodeCall(IIndexVault.setMinDeposit, (0)), manager_, "setMinDeposit");
        list[5] =
            Privileged(abi.encodeCall(IIndexVault.setUsdtFeed, (address(usdtFeed), 86_400)), manager_, "setUsdtFeed");
        list[6] =
            Privileged(abi.encodeCall(IIndexVault.setSequencerFeed, (address(0), 0)), manager_, "setSequencerFeed");
        list[7] = Privileged(
            abi.encodeCall(IIndexVault.setConstituentFeed, (0, address(feedOf(constituents[0])), 3600)),
            manager_,
            "setConstituentFeed"
        );
        list[8] = Privileged(
            abi.encodeCall(IIndexVault.setConstituentRoute, (0, path, fees)), manager_, "setConstituentRoute"
        );
        list[9] = Privileged(abi.encodeCall(IIndexVault.setFeeRecipient, (attacker)), admin_, "setFeeRecipient");
        list[10] = Privileged(abi.encodeCall(IAccessControl.grantRole, (manager_, attacker)), admin_, "grantRole");
        list[11] =
            Privileged(abi.encodeCall(IAccessControl.revokeRole, (vault.KEEPER_ROLE(), keeper)), admin_, "revokeRole");
        list[12] = Privileged(abi.encodeCall(IIndexVault.pause, (ConstantsLib.PAUSE_ALL)), guardian_, "pause");
        list[13] = Privileged(abi.encodeCall(IIndexVault.unpause, (ConstantsLib.PAUSE_ALL)), guardian_, "unpause");
    }

    function _callers() internal view returns (address[] memory callers) {
        callers = new address[](7);
        callers[0] = attacker;
        callers[1] = admin;
        callers[2] = manager;
        callers[3] = keeper;
        callers[4] = guardian;
        callers[5] = feeRecipient;
        callers[6] = alice; // a shareholder
    }

    /// Attack: call every privileged function from every account that lacks its role (no role, a shareholder, the
    /// fee recipient, and each OTHER role: e.g. the keeper or guardian changing fees, the manager changing roles).
    function test_accessControl_everyPrivilegedFunctionByEveryWrongRole_reverts() public {
        Privileged[] memory list = _privileged();
        address[] memory callers = _callers();
        uint256 checked;
        for (uint256 f; f < list.length; ++f) {
            for (uint256 c; c < callers.length; ++c) {
                if (vault.hasRole(list[f].role, callers[c])) continue;
                vm.prank(callers[c]);
                (bool ok, bytes memory reason) = address(vault).call(list[f].data);
                assertFalse(ok, list[f].name);
                assertEq(
                    reason,
                    abi.encodeWithSelector(
                        IAccessControl.AccessControlUnauthorizedAccount.selector, callers[c], list[f].role
                    ),
                    list[f].name
                );
                ++checked;
            }
        }
        assertEq(checked, list.length * (callers.length - 1), "each function refused to all but its role holder");
    }

    /// The same table from the right role succeeds (so the refusals above are about roles, not arguments).
    function test_accessControl_everyPrivilegedFunctionByItsRole_succeeds() public {
        Privileged[] memory list = _privileged();
        for (uint256 f; f < list.length; ++f) {
            address holder = list[f].role == vault.MANAGER_ROLE()
                ? manager
                : list[f].role == vault.GUARDIAN_ROLE() ? guardian : admin;
            vm.prank(holder);
            (bool ok,) = address(vault).call(list[f].data);
            assertTrue(ok, list[f].name);
        }
    }

    /// Attack: re-initialise a live vault (take every role and the fee recipient) or initialise the implementation.
    function test_accessControl_reinitialize_reverts() public {
        VaultParams memory params = _vaultParams();
        params.admin = attacker;
        params.feeRecipient = attacker;
        ConstituentParams[] memory list = _constituentParams(_firstTokens(1), _equalWeights(1));
        vm.prank(attacker);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vault.initialize(params, list);
        vm.prank(attacker);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(params, list);
    }

    /// Attack: call the DELEGATECALL configuration module directly, or make the vault delegate an unknown selector.
    function test_accessControl_configuratorDirectCall_reverts() public {
        vm.prank(attacker);
        vm.expectRevert(IIndexVaultConfigurator.IndexVaultConfigurator__DelegateCallOnly.selector);
        configurator.setMintFee(200);
    }

    /// Attack: a manager grants itself the admin role (to escape the admin's timelock) or the guardian role.
    function test_timelockBypass_managerCannotGrantItselfAdminOrGuardian() public {
        bytes32 adminRole = vault.DEFAULT_ADMIN_ROLE();
        bytes32 guardianRole = vault.GUARDIAN_ROLE();
        vm.startPrank(manager);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, manager, adminRole)
        );
        vault.grantRole(adminRole, manager);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, manager, adminRole)
        );
        vault.grantRole(guardianRole, manager);
        vm.stopPrank();
    }

    /// Attack: a guardian pauses `redeemInKind` (trapping holders) by passing every bit of the flags byte.
    function test_accessControl_guardianCannotPauseTheInKindExit() public {
        vm.prank(guardian);
        vault.pause(type(uint8).max);
        assertEq(vault.config().pauseFlags, ConstantsLib.PAUSE_ALL, "only the three defined flags");
        uint256 shares = vault.balanceOf(alice);
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice);
        assertEq(vault.balanceOf(alice), 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fee caps
    // ---------------------------------------------------------------------------------------------------------------

    /// Attack: the manager sets fees above their hard caps (including uint16 wrap-around values).
    function test_feeCapBypass_settersRefuseAboveCap() public {
        vm.startPrank(manager);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__FeeTooHigh.selector, 201, 200));
        vault.setMintFee(201);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__FeeTooHigh.selector, 65_535, 200));
        vault.setBurnFee(type(uint16).max);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__FeeTooHigh.selector, 501, 500));
        vault.setManagementFee(501);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidSlippage.selector, 501));
        vault.setMaxSlippage(501);
        vm.stopPrank();
    }

    /// Attack: create a vault through the factory with fees above the caps (bypassing the setters).
    function test_feeCapBypass_factoryRefusesAboveCap() public {
        VaultParams memory params = _vaultParams();
        params.managementFeeBps = 10_000;
        ConstituentParams[] memory list = _constituentParams(_firstTokens(1), _equalWeights(1));
        uint256[] memory probes = _fundProbes(list);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__FeeTooHigh.selector, 10_000, 500));
        factory.createVault(params, list, probes);
    }

    /// Attack: accrue the management fee as often as possible (every block) to compound above the annual cap.
    /// Outcome: at the 5 % cap the fee recipient ends a year with at most 5 % of the supply.
    function test_feeCapBypass_frequentAccrualStaysUnderTheAnnualCap() public {
        _setDelayed(vault, abi.encodeCall(IIndexVault.setManagementFee, (uint16(ConstantsLib.MAX_MANAGEMENT_FEE_BPS))));
        uint256 supply = vault.totalSupply();
        uint256 feeBefore = vault.balanceOf(feeRecipient);
        for (uint256 k; k < 365; ++k) {
            vm.warp(block.timestamp + 1 days);
            vault.accrueManagementFee();
        }
        uint256 feeShares = vault.balanceOf(feeRecipient) - feeBefore;
        uint256 feeFraction = feeShares * 1e18 / vault.totalSupply(); // D18{1}
        assertLe(feeFraction, 0.05e18, "never above 5 % a year");
        assertGt(feeFraction, 0.0499e18, "and the stated rate is taken");
        assertGt(supply, 0);
    }

    /// Attack: the mint and burn fees on the in-kind paths, rounded to the fee recipient's advantage, exceed the cap
    /// on tiny amounts. Outcome: rounding is up by at most one share unit; on any amount the fee is ≤ cap + 1 wei.
    function testFuzz_feeCapBypass_inKindFeesStayUnderCap(uint256 shares) public {
        _setDelayed(vault, abi.encodeCall(IIndexVault.setMintFee, (200)));
        _setDelayed(vault, abi.encodeCall(IIndexVault.setBurnFee, (200)));
        vault.accrueManagementFee(); // the delay's management fee, so only the burn fee is measured below
        shares = bound(shares, 1, vault.balanceOf(alice));
        uint256 before = vault.balanceOf(feeRecipient);
        vm.prank(alice);
        vault.redeemInKind(shares, alice, alice);
        uint256 fee = vault.balanceOf(feeRecipient) - before;
        assertLe(fee, shares * 200 / 10_000 + 1, "burn fee <= 2 % + 1 wei");
    }
}
