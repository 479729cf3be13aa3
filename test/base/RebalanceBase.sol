// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexVault} from "../../contracts/IndexVault.sol";
import {ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {ConstantsLib} from "../../contracts/libraries/ConstantsLib.sol";
import {IIndexVaultComposer} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {
    IIndexVaultRebalancer,
    RebalanceConfig,
    RebalanceReceipt,
    TradeReceipt
} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";

import {VaultFixture} from "./VaultFixture.sol";

/// @notice Shared set-up of the rebalancing tests: a funded vault on the real Uniswap V3 fixture, the module
///         interfaces at the vault's address, a default configuration, and helpers to move prices and read receipts.
abstract contract RebalanceBase is VaultFixture {
    uint256 internal constant DEPOSIT = 1_000_000e6; // {USDT units}
    uint16 internal constant THRESHOLD_BPS = 200;
    uint64 internal constant MIN_TRADE = 10e6; // {USDT units}
    uint64 internal constant BOUNTY = 5e6; // {USDT units}
    uint32 internal constant COOLDOWN = 1 hours;
    uint32 internal constant GRACE = 1 days;
    uint32 internal constant TIMEOUT = 1 days;
    uint32 internal constant DELAY = 2 days;

    uint256 internal depositAmount = DEPOSIT; // {USDT units} initial deposit of `_setUpVault`
    IndexVault internal vault;
    IIndexVaultRebalancer internal rb;
    IIndexVaultComposer internal composer;
    address internal stranger = makeAddr("stranger");

    /// @dev A vault over the first `n` constituents holding `depositAmount` USDT worth of basket, configured.
    function _setUpVault(uint256 n) internal {
        vault = _createVault(n);
        rb = IIndexVaultRebalancer(address(vault));
        composer = IIndexVaultComposer(address(vault));
        vm.label(address(vault), "vault");
        _deposit(vault, alice, depositAmount);
        _arbitrage();
        _setConfig(_config());
    }

    /// @dev Arbitrageurs bring every pool of the vault's constituents back to its Chainlink price (after the vault's
    ///      own trades pushed them), as happens within blocks on a real chain.
    function _arbitrage() internal {
        uint256 n = vault.constituentCount();
        for (uint256 i; i < n; ++i) {
            address token = vault.constituent(i).token;
            setMarketPrice(token, priceOf(token));
        }
    }

    function _config() internal pure returns (RebalanceConfig memory c) {
        c = RebalanceConfig({
            thresholdBps: THRESHOLD_BPS,
            maxLossBps: 50,
            cooldown: COOLDOWN,
            gracePeriod: GRACE,
            timeout: TIMEOUT,
            compositionDelay: DELAY,
            maxTradeValue: 0,
            minTradeValue: MIN_TRADE,
            bounty: BOUNTY
        });
    }

    /// @dev As the manager: funds and approves the fee-on-transfer probe, then proposes adding `p` with targets `t`.
    function _proposeAdd(ConstituentParams memory p, uint16[] memory t) internal {
        uint256 probe = ConstantsLib.MIN_PROBE_AMOUNT;
        _mintAny(p.token, manager, probe);
        vm.startPrank(manager);
        IERC20(p.token).approve(address(vault), probe);
        composer.proposeAddConstituent(p, t, probe);
        vm.stopPrank();
    }

    function _setConfig(RebalanceConfig memory c) internal {
        vm.prank(manager);
        rb.setRebalanceConfig(c);
    }

    /// @dev Multiplies the market price (feed and pools) of constituent `i` by `num / den`.
    function _scalePrice(uint256 i, uint256 num, uint256 den) internal {
        address token = vault.constituent(i).token;
        setMarketPrice(token, priceOf(token) * num / den);
    }

    /// @dev A typical market move: the first constituent +40 %, the second −25 %.
    function _drift() internal {
        _scalePrice(0, 140, 100);
        _scalePrice(1, 75, 100);
    }

    /// @dev Moves time, re-stamps every feed so prices stay fresh, and lets arbitrageurs re-sync the pools.
    function _warp(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + dt / 12 + 1);
        _refreshFeeds();
        _arbitrage();
    }

    /// @dev Runs `rebalance()` as `caller` and returns the step's receipt from the `Rebalanced` event.
    function _rebalanceAs(address caller) internal returns (RebalanceReceipt memory r) {
        vm.recordLogs();
        vm.prank(caller);
        rb.rebalance();
        r = _lastReceipt(vm.getRecordedLogs());
    }

    function _lastReceipt(Vm.Log[] memory logs) internal pure returns (RebalanceReceipt memory r) {
        bytes32 topic = IIndexVaultRebalancer.Rebalanced.selector;
        for (uint256 k = logs.length; k > 0; --k) {
            if (logs[k - 1].topics[0] == topic) return abi.decode(logs[k - 1].data, (RebalanceReceipt));
        }
        revert("no Rebalanced event");
    }

    /// @dev Every trade receipt in `logs`, with its constituent index.
    function _trades(Vm.Log[] memory logs) internal pure returns (uint256[] memory indexes, TradeReceipt[] memory t) {
        bytes32 topic = IIndexVaultRebalancer.RebalanceTrade.selector;
        uint256 count;
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].topics[0] == topic) ++count;
        }
        indexes = new uint256[](count);
        t = new TradeReceipt[](count);
        count = 0;
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].topics[0] != topic) continue;
            indexes[count] = uint256(logs[k].topics[1]);
            t[count++] = abi.decode(logs[k].data, (TradeReceipt));
        }
    }

    function _maxDeviationBps() internal view returns (uint256) {
        return rb.driftReport().maxDeviationBps;
    }
}
