// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {VaultStorageLib} from "./VaultStorageLib.sol";

/// @title ConstituentTableLib
/// @notice The constituent table: a read-only copy of every constituent's storage slots, written as the code of a
///         small data contract, so a USDT deposit or redeem reads the whole basket's configuration (tokens, feeds,
///         decimals, heartbeats, targets, routes) with ONE cold account access and a copy, instead of three cold
///         storage reads per constituent (≈ 60,000 gas at ten constituents).
/// @dev Storage stays the source of truth; the table is republished by every function that changes the constituent
///      list (`publish` at the end of configuration, composition and the rebalancer's drop of sold-down
///      constituents), and `test/unit/ConstituentTable.t.sol` checks it equals storage after each of them.
///      Layout: the table's code is one STOP byte (so calling it does nothing) followed by `SLOTS` 32-byte words per
///      constituent, in the order of the list, each word exactly the storage slot of `VaultStorageLib.Constituent`:
///        word 0: token | targetWeightBps << 160 | tokenDecimals << 176 | feedDecimals << 184 | heartbeat << 192
///                | hopCount << 224
///        word 1: feed
///        words 2..4: hops[0..2] as pool | zeroForOne << 160 (buy direction)
///        words 5..6: via[0..1]
library ConstituentTableLib {
    /// @dev Storage slots of one `VaultStorageLib.Constituent` (and words per constituent in the table).
    uint256 internal constant SLOTS = 7;

    /// @dev Word offsets within a constituent's record.
    uint256 private constant _FEED = 1;
    uint256 private constant _HOPS = 2;
    uint256 private constant _VIA = 5;

    /// @dev Transient flag: while set, `publish` does nothing (a composition change batches its nested configuration
    ///      calls and publishes once at the end). keccak256("index-vault.constituent-table.deferred") − 1.
    bytes32 private constant _DEFERRED_SLOT = 0x40f4c1200ddcf907c46e3d1452efaa4f6886c05489d9818726710ec2ef19a45f;

    /// @notice Raised when the vault has no table (never published: not initialized) or it holds no code.
    error ConstituentTable__Missing();

    /// @notice Raised when the data contract holding the table could not be created.
    error ConstituentTable__PublishFailed();

    /// @notice Copies every constituent's storage slots into a new data contract and points the vault at it.
    /// @dev Costs about 200 gas per byte of table (7 words per constituent) plus the storage reads; runs only on
    ///      configuration changes. Emits `IIndexVault.ConstituentTablePublished`.
    /// @return table The new data contract, or address(0) while publication is deferred.
    function publish() internal returns (address table) {
        if (_deferred()) return address(0);
        VaultStorageLib.Layout storage $ = VaultStorageLib.layout();
        VaultStorageLib.Constituent[] storage list = $.constituents;
        uint256 words = list.length * SLOTS;
        bytes memory code = new bytes(words * 32);
        assembly ("memory-safe") {
            mstore(0, list.slot)
            let first := keccak256(0, 32) // slot of list[0]
            let out := add(code, 32)
            for { let k := 0 } lt(k, words) { k := add(k, 1) } { mstore(add(out, shl(5, k)), sload(add(first, k))) }
        }
        bytes memory initCode = abi.encodePacked(_deployPrefix(code.length + 1), bytes1(0x00), code);
        assembly ("memory-safe") {
            table := create(0, add(initCode, 32), mload(initCode))
        }
        if (table == address(0)) revert ConstituentTable__PublishFailed();
        $.constituentTable = table;
        emit IIndexVault.ConstituentTablePublished(table, list.length);
    }

    /// @notice Defers (`true`) or resumes (`false`) publication for the rest of the transaction; the caller publishes
    ///         once after resuming.
    function deferPublication(bool deferred) internal {
        bytes32 slot = _DEFERRED_SLOT;
        assembly ("memory-safe") {
            tstore(slot, deferred)
        }
    }

    /// @notice The vault's table, copied into memory.
    /// @param table The data contract (`VaultStorageLib.Layout.constituentTable`).
    /// @return data `SLOTS` words per constituent.
    function read(address table) internal view returns (bytes memory data) {
        uint256 codeSize;
        assembly ("memory-safe") {
            codeSize := extcodesize(table)
        }
        if (codeSize == 0) revert ConstituentTable__Missing();
        assembly ("memory-safe") {
            let size := sub(codeSize, 1)
            data := mload(0x40)
            mstore(data, size)
            extcodecopy(table, add(data, 32), 1, size)
            mstore(0x40, add(add(data, 32), size))
        }
    }

    /// @notice Number of constituents in a table read by `read`.
    function count(bytes memory data) internal pure returns (uint256) {
        return data.length / (SLOTS * 32);
    }

    /// @notice Constituent `i`'s first slot, unpacked.
    function head(bytes memory data, uint256 i)
        internal
        pure
        returns (
            address tokenAddress,
            uint256 targetWeightBps,
            uint8 tokenDecimals,
            uint8 feedDecimals,
            uint256 heartbeat,
            uint256 hopCount
        )
    {
        uint256 w = _word(data, i, 0);
        tokenAddress = address(uint160(w));
        targetWeightBps = uint16(w >> 160);
        tokenDecimals = uint8(w >> 176);
        feedDecimals = uint8(w >> 184);
        heartbeat = uint32(w >> 192);
        hopCount = uint8(w >> 224);
    }

    /// @notice Constituent `i`'s token.
    function tokenOf(bytes memory data, uint256 i) internal pure returns (address) {
        return address(uint160(_word(data, i, 0)));
    }

    /// @notice Constituent `i`'s Chainlink feed.
    function feedOf(bytes memory data, uint256 i) internal pure returns (address) {
        return address(uint160(_word(data, i, _FEED)));
    }

    /// @notice Hop `h` of constituent `i`'s buy route: the pool and whether its input is the pool's token0.
    function hop(bytes memory data, uint256 i, uint256 h) internal pure returns (address pool, bool zeroForOne) {
        uint256 w = _word(data, i, _HOPS + h);
        pool = address(uint160(w));
        zeroForOne = uint8(w >> 160) != 0;
    }

    /// @notice Intermediate token `k` of constituent `i`'s buy route (the output of hop `k`).
    function via(bytes memory data, uint256 i, uint256 k) internal pure returns (address) {
        return address(uint160(_word(data, i, _VIA + k)));
    }

    /// @dev Whether publication is deferred (see `deferPublication`).
    function _deferred() private view returns (bool deferred) {
        bytes32 slot = _DEFERRED_SLOT;
        assembly ("memory-safe") {
            deferred := tload(slot)
        }
    }

    /// @dev Word `k` (< SLOTS) of constituent `i`'s record. Unchecked: callers pass `k` < SLOTS and `i` below the
    ///      constituent count (at most `ConstantsLib.MAX_CONSTITUENTS`), and the bound below catches anything else.
    function _word(bytes memory data, uint256 i, uint256 k) private pure returns (uint256 w) {
        bool inside;
        assembly ("memory-safe") {
            let offset := shl(5, add(mul(i, SLOTS), k))
            inside := and(lt(i, 0x10000), lt(offset, mload(data)))
            w := mload(add(add(data, 32), offset))
        }
        if (!inside) revert IIndexVault.IndexVault__InvalidIndex(i, count(data));
    }

    /// @dev Init code that returns the `size` bytes following it as the new contract's code:
    ///      PUSH2 size, DUP1, PUSH1 10 (this prefix's length), RETURNDATASIZE (0), CODECOPY, RETURNDATASIZE (0), RETURN.
    function _deployPrefix(uint256 size) private pure returns (bytes10) {
        // forge-lint: disable-next-line(unsafe-typecast) size ≤ 25 constituents × 224 bytes + 1 < 2^16
        return bytes10(hex"61000080600a3d393df3") | (bytes10(bytes2(uint16(size))) >> 8);
    }
}
