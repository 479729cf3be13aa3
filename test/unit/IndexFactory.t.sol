// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IndexFactory} from "../../contracts/IndexFactory.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexFactory} from "../../contracts/interfaces/IIndexFactory.sol";
import {IIndexVault, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {VaultFixture} from "../base/VaultFixture.sol";
import {QuirkyToken} from "../mocks/QuirkyToken.sol";

/// @notice IndexFactory: clones, registry, fee-on-transfer probe, several indexes side by side.
contract IndexFactoryTest is VaultFixture {
    function test_constructor_readsUsdtFromTheImplementation() public view {
        assertEq(factory.implementation(), address(implementation));
        assertEq(factory.usdt(), address(usdt));
    }

    function test_constructor_revertsWithoutImplementationCode() public {
        vm.expectRevert(abi.encodeWithSelector(IIndexFactory.IndexFactory__InvalidImplementation.selector, alice));
        new IndexFactory(alice);
    }

    function test_createVault_registersAndEmits() public {
        ConstituentParams[] memory list = _constituentParams(_firstTokens(2), _equalWeights(2));
        uint256[] memory probes = _fundProbes(list);
        vm.expectEmit(false, true, true, true, address(factory));
        emit IIndexFactory.VaultCreated(address(0), address(this), admin, "Index Vault", "IDX", 2);
        address vault = factory.createVault(_vaultParams(), list, probes);
        assertTrue(factory.isVault(vault));
        assertFalse(factory.isVault(address(implementation)));
        assertEq(factory.vaultCount(), 1);
        assertEq(factory.vaultAt(0), vault);
        assertEq(factory.vaults()[0], vault);
        assertEq(IndexVault(vault).constituentCount(), 2);
        assertLt(vault.code.length, 100, "an ERC-1167 clone, not a copy of the vault");
    }

    function test_createVault_returnsTheProbeToTheCreator() public {
        ConstituentParams[] memory list = _constituentParams(_firstTokens(2), _equalWeights(2));
        uint256[] memory probes = _fundProbes(list);
        uint256 before0 = MockERC20(list[0].token).balanceOf(address(this));
        uint256 before1 = MockERC20(list[1].token).balanceOf(address(this));
        factory.createVault(_vaultParams(), list, probes);
        assertEq(MockERC20(list[0].token).balanceOf(address(this)), before0);
        assertEq(MockERC20(list[1].token).balanceOf(address(this)), before1);
        assertEq(MockERC20(list[0].token).balanceOf(address(factory)), 0);
    }

    function test_createVault_runsSeveralIndexesSideBySide() public {
        address[] memory btcEth = new address[](2);
        btcEth[0] = constituents[1];
        btcEth[1] = constituents[0];
        address[] memory defi = new address[](4);
        for (uint256 i; i < 4; ++i) {
            defi[i] = constituents[2 + i];
        }
        IndexVault a = _createVault(_vaultParams(), _constituentParams(btcEth, _equalWeights(2)));
        IndexVault b = _createVault(_vaultParams(), _constituentParams(defi, _equalWeights(4)));
        IndexVault c = _createVault(10);
        assertEq(factory.vaultCount(), 3);
        uint256 sa = _deposit(a, alice, 1000e6);
        uint256 sb = _deposit(b, alice, 1000e6);
        uint256 sc = _deposit(c, alice, 1000e6);
        vm.startPrank(alice);
        a.redeem(sa, alice, alice);
        b.redeemInKind(sb, alice, alice);
        vm.stopPrank();
        assertEq(c.balanceOf(alice), sc, "untouched by the others");
    }

    function test_createVault_revertsOnProbeLengthMismatch() public {
        ConstituentParams[] memory list = _constituentParams(_firstTokens(2), _equalWeights(2));
        vm.expectRevert(abi.encodeWithSelector(IIndexFactory.IndexFactory__LengthMismatch.selector, 2, 1));
        factory.createVault(_vaultParams(), list, new uint256[](1));
    }

    function test_createVault_revertsOnTooSmallAProbe() public {
        ConstituentParams[] memory list = _constituentParams(_firstTokens(1), _equalWeights(1));
        uint256[] memory probes = _fundProbes(list);
        probes[0] = 9999;
        vm.expectRevert(
            abi.encodeWithSelector(IIndexFactory.IndexFactory__ProbeTooSmall.selector, list[0].token, 9999, 1e4)
        );
        factory.createVault(_vaultParams(), list, probes);
    }

    function test_createVault_revertsOnFeeOnTransferToken() public {
        (QuirkyToken qrk, MockAggregator feed) = _listQuirkyToken(18, 5e8, 0);
        qrk.setFeeBps(1); // 1 bps
        ConstituentParams[] memory list = new ConstituentParams[](1);
        list[0] = _quirkyParams(qrk, feed, 10_000);
        uint256[] memory probes = new uint256[](1);
        probes[0] = 1e4;
        qrk.mint(address(this), 1e4);
        qrk.approve(address(factory), 1e4);
        vm.expectRevert(
            abi.encodeWithSelector(IIndexFactory.IndexFactory__FeeOnTransfer.selector, address(qrk), 1e4, 1e4 - 1)
        );
        factory.createVault(_vaultParams(), list, probes);
    }

    function test_createVault_bubblesUpVaultValidation() public {
        ConstituentParams[] memory list = _constituentParams(_firstTokens(2), _equalWeights(2));
        list[0].targetWeightBps = 1;
        uint256[] memory probes = _fundProbes(list);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVault__InvalidWeights.selector, 5001));
        factory.createVault(_vaultParams(), list, probes);
    }
}
