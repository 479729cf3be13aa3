// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RebalanceConfig} from "../interfaces/IIndexVaultRebalancer.sol";

/// @title RebalanceStorageLib
/// @notice Rebalancing and composition state of an index vault, in its own ERC-7201 namespace (written only by the
///         `IndexVaultRebalancer` module running inside the vault by DELEGATECALL). The `rebalancing` flag itself lives
///         in `VaultStorageLib.Params`, because the vault's USDT paths read it on every call.
/// @dev Layout rules: append only; never reorder.
library RebalanceStorageLib {
    /// @notice Timestamps and counters of the rebalancing state machine: one slot.
    struct State {
        uint40 lastRebalanceAt; // {s} last rebalance step by anyone (0: never)
        uint40 lastKeeperRebalanceAt; // {s} last rebalance step by a keeper (0: never)
        uint40 startedAt; // {s} start of the multi-step rebalance in flight (0: none)
        uint40 driftFlaggedAt; // {s} since when drift has been seen over the threshold (0: not flagged)
        uint32 steps; // steps of the multi-step rebalance in flight
        bool configured; // false: `RebalanceConfig` defaults apply (see `IndexVaultRebalancer`)
    }

    /// @notice A pending composition change. `eta == 0` means none.
    struct Proposal {
        uint40 eta; // {s} earliest execution
        uint16[] targetsBps; // {bps} new target of every constituent (then of the added one), sum 10,000
        // The added constituent (token == address(0): none)
        address token;
        address feed;
        uint32 heartbeat; // {s}
        address[] path; // buy route, USDT first
        uint24[] fees; // {hundredths of a bip} per hop
    }

    /// @custom:storage-location erc7201:index-vault.storage.rebalance
    struct Layout {
        RebalanceConfig config;
        State state;
        Proposal proposal;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("index-vault.storage.rebalance")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant LOCATION = 0x20215ef9fddbaa76ba8f1538358658ea187b54b508ac74ecc3ad83f769d13e00;

    /// @notice The rebalancing state.
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := LOCATION
        }
    }
}
