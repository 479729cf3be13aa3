// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RebalanceConfig} from "../interfaces/IIndexVaultRebalancer.sol";
import {ConstantsLib} from "./ConstantsLib.sol";

/// @title RebalanceStorageLib
/// @notice Rebalancing and composition state of an index vault, in its own ERC-7201 namespace (written only by the
///         `IndexVaultRebalancer` module running inside the vault by DELEGATECALL). The `rebalancing` flag itself lives
///         in `VaultStorageLib.Params`, because the vault's USDT paths read it on every call.
/// @dev Layout rules: append only; never reorder. `Layout.config` stores the public ABI struct
///      `IIndexVaultRebalancer.RebalanceConfig` as is: that struct is part of this layout, so the same rules bind it (a
///      field added to the ABI struct is a storage-layout change).
library RebalanceStorageLib {
    /// @notice Timestamps and counters of the rebalancing state machine: one slot.
    struct State {
        uint40 lastRebalanceAt; // {s} last rebalance step by anyone (0: never)
        uint40 lastKeeperRebalanceAt; // {s} last rebalance step by a keeper (0: never)
        uint40 startedAt; // {s} start of the multi-step rebalance in flight (0: none)
        uint40 driftFlaggedAt; // {s} since when drift has been seen over the threshold (0: not flagged)
        uint32 steps; // steps of the multi-step rebalance in flight
        bool configured; // false: the defaults apply (`ConstantsLib.DEFAULT_*`, assembled in `IndexVaultModule._config`)
    }

    /// @notice A pending composition change. `eta == 0` means none. Targets are keyed by token (`tokens[i]` gets
    ///         `targetsBps[i]`), so a rebalance's drop of a sold-down constituent (swap-and-pop) cannot misapply them.
    struct Proposal {
        uint40 eta; // {s} earliest execution
        uint16[] targetsBps; // {bps} new target of every constituent listed at proposal (then of the added one)
        // The added constituent (token == address(0): none)
        address token;
        address feed;
        uint32 heartbeat; // {s}
        address[] path; // buy route, USDT first
        uint24[] fees; // {hundredths of a bip} per hop
        address[] tokens; // the token of each entry of `targetsBps` (the added one last)
    }

    /// @notice A pending value-moving configuration change (a feed, a route, the slippage cap, a fee increase),
    ///         keyed by the hash of the setter's calldata. `eta == 0` means none.
    struct ConfigChange {
        uint40 eta; // {s} earliest execution
        address token; // the constituent a feed or route change is for (address(0): vault-wide)
    }

    /// @custom:storage-location erc7201:index-vault.storage.rebalance
    struct Layout {
        RebalanceConfig config;
        State state;
        Proposal proposal;
        mapping(bytes32 id => ConfigChange) configChanges;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("index-vault.storage.rebalance")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant LOCATION = 0x20215ef9fddbaa76ba8f1538358658ea187b54b508ac74ecc3ad83f769d13e00;

    /// @notice {s} The delay in force for a composition or value-moving configuration change.
    function compositionDelay() internal view returns (uint256) {
        Layout storage $ = layout();
        return $.state.configured ? $.config.compositionDelay : ConstantsLib.DEFAULT_COMPOSITION_DELAY;
    }

    /// @dev Transient flag: while set, the configurator APPLIES value-moving setters instead of queueing them. Set
    ///      only by the composer around executing a matured change or appending a proposed constituent.
    ///      keccak256("index-vault.config.applying") − 1.
    bytes32 private constant _APPLYING_SLOT = 0x4e3184634da2526e5f013cc4dd96bcf5af88c202bf0a8f868821a15416e04968;

    /// @notice Sets (`true`) or clears (`false`) the applying flag for the rest of the transaction.
    function setApplying(bool applying_) internal {
        bytes32 slot = _APPLYING_SLOT;
        assembly ("memory-safe") {
            tstore(slot, applying_)
        }
    }

    /// @notice True while a delayed change (or a proposed constituent) is being applied.
    function applying() internal view returns (bool a) {
        bytes32 slot = _APPLYING_SLOT;
        assembly ("memory-safe") {
            a := tload(slot)
        }
    }

    /// @notice The rebalancing state.
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := LOCATION
        }
    }
}
