// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Hop} from "./UniswapV3SwapLib.sol";

/// @title VaultStorageLib
/// @notice The index vault's own state, in one ERC-7201 namespace shared by `IndexVault` and the
///         `IndexVaultConfigurator` it delegates configuration to (OpenZeppelin's ERC-20 and AccessControl state stay
///         in their usual slots and are only touched by `IndexVault`).
/// @dev Layout rules: append only; never reorder. Slot packing is chosen for the USDT paths: `Params`, `OracleConfig`
///      and each constituent's first two slots are the only vault-wide reads of a deposit besides the hops.
///      `Constituent.hops` stores `UniswapV3SwapLib.Hop` as is: that struct is part of this layout, so the same rules
///      bind it (a change to `Hop` is a storage-layout change of every vault).
library VaultStorageLib {
    /// @notice One constituent: two slots read on every USDT path, then one slot per hop.
    struct Constituent {
        // slot 0
        address token;
        uint16 targetWeightBps; // {bps}
        uint8 tokenDecimals;
        uint8 feedDecimals;
        uint32 heartbeat; // {s}
        uint8 hopCount; // 1..MAX_HOPS
        // slot 1
        address feed; // Chainlink TOKEN/USD
        // slots 2..4: buy direction (USDT → token); selling walks them backwards with the direction flipped.
        // Length = ConstantsLib.MAX_HOPS (an array length cannot reference a library constant).
        Hop[3] hops;
        // slots 5..6: intermediate tokens of a multi-hop route (via[k] is the output of hops[k] when buying).
        // Length = ConstantsLib.MAX_HOPS − 1.
        address[2] via;
    }

    /// @notice Vault-wide parameters and state read on every entry point: one slot.
    struct Params {
        uint16 mintFeeBps; // {bps}
        uint16 burnFeeBps; // {bps}
        uint16 managementFeeBps; // {bps per year}
        uint16 maxSlippageBps; // {bps}
        uint8 pauseFlags; // ConstantsLib.PAUSE_* bits
        bool rebalancing; // a multi-step rebalance is in flight
        uint16 deferredTokenCount; // tokens with a non-zero `totalDeferred` (0 ⇒ those reads are skipped)
        uint40 lastFeeAccrual; // {s}
        uint64 managementFeeRate; // D18{1/year} continuous rate −ln(1 − fee), see FeeLib
    }

    /// @notice USDT/USD feed, sequencer grace period and whether a sequencer feed is set: one slot.
    struct OracleConfig {
        address usdtFeed;
        uint32 usdtHeartbeat; // {s}
        uint8 usdtFeedDecimals;
        uint32 sequencerGracePeriod; // {s}
        bool hasSequencerFeed; // `Layout.sequencerFeed != address(0)`: on L1 the USDT paths skip reading that slot
    }

    /// @custom:storage-location erc7201:index-vault.storage.vault
    struct Layout {
        Params params;
        OracleConfig oracle;
        address sequencerFeed; // address(0): no L2 sequencer check
        address feeRecipient;
        uint96 minDeposit; // {USDT units}
        string name;
        string symbol;
        Constituent[] constituents;
        mapping(address token => uint256) totalDeferred; // {tok units} owed to in-kind redeemers, not in the basket
        mapping(address account => mapping(address token => uint256)) deferred; // {tok units}
        address constituentTable; // read-only copy of `constituents` as contract code (ConstituentTableLib)
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("index-vault.storage.vault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant LOCATION = 0x6b5f0dd3cff9540443a73e0e573063a34bc8c303a0e0393aad9aa0f8052f1700;

    /// @notice The vault's state.
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := LOCATION
        }
    }
}
