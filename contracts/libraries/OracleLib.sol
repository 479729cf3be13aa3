// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IOracleErrors} from "../interfaces/IOracleErrors.sol";
import {ConstantsLib} from "./ConstantsLib.sol";

/// @title OracleLib
/// @notice Validated Chainlink reads and the conversions between token amounts and USDT value.
/// @dev Units: a feed answers D{feedDecimals}{USD/tok}; `toD18` is the ONE place where that becomes D18{USD/tok}.
///      Token decimals are handled in exactly one place too: `toUsdt` / `fromUsdt`.
///      Validation of a price: the call succeeds, answer > 0, the round is complete (updatedAt != 0 and
///      answeredInRound >= roundId), updatedAt is not in the future, and block.timestamp − updatedAt <= heartbeat.
///      `read*` revert with an `IOracleErrors` error; `tryRead*` never revert (they back `maxDeposit`/`maxRedeem`).
library OracleLib {
    /// @dev The largest n with 10^n < 2^256.
    uint256 private constant MAX_POW10_EXPONENT = 77;

    /// @dev Outcome of validating one round. `Ok` must stay first (the zero value).
    enum Status {
        Ok,
        FeedUnavailable,
        InvalidAnswer,
        IncompleteRound,
        FutureTimestamp,
        Stale
    }

    /// @dev The five values of `latestRoundData`.
    struct Round {
        uint80 roundId;
        int256 answer; // D{feedDecimals}{USD/tok}, or the sequencer status (0 = up)
        uint256 startedAt; // {s}
        uint256 updatedAt; // {s}
        uint80 answeredInRound;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Prices
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Reads and validates a feed, reverting with the reason if the price cannot be used.
    /// @param feed The Chainlink aggregator (proxy).
    /// @param heartbeat {s} The longest accepted age of the answer.
    /// @param feedDecimals The feed's decimals (cached at configuration).
    /// @return priceD18 D18{USD/tok} The validated price.
    function readPrice(address feed, uint256 heartbeat, uint8 feedDecimals) internal view returns (uint256 priceD18) {
        (bool ok, Round memory r) = _latest(feed);
        Status status = _validate(ok, r, heartbeat);
        if (status != Status.Ok) _revertWith(status, feed, r, heartbeat);
        return toD18(uint256(r.answer), feedDecimals);
    }

    /// @notice `readPrice` that also returns the round the price comes from (for receipts).
    /// @return priceD18 D18{USD/tok} The validated price.
    /// @return roundId The feed's round of that price.
    function readRound(address feed, uint256 heartbeat, uint8 feedDecimals)
        internal
        view
        returns (uint256 priceD18, uint80 roundId)
    {
        (bool ok, Round memory r) = _latest(feed);
        Status status = _validate(ok, r, heartbeat);
        if (status != Status.Ok) _revertWith(status, feed, r, heartbeat);
        return (toD18(uint256(r.answer), feedDecimals), r.roundId);
    }

    /// @notice Like `readPrice` but never reverts.
    /// @return ok Whether the price passed every check.
    /// @return priceD18 D18{USD/tok} The price when `ok`, else 0.
    function tryReadPrice(address feed, uint256 heartbeat, uint8 feedDecimals)
        internal
        view
        returns (bool ok, uint256 priceD18)
    {
        (bool called, Round memory r) = _latest(feed);
        if (_validate(called, r, heartbeat) != Status.Ok) return (false, 0);
        return (true, toD18(uint256(r.answer), feedDecimals));
    }

    /// @notice Converts a positive feed answer to 18 decimals. The only place where feed decimals are handled.
    /// @param answer D{feedDecimals}{USD/tok}
    /// @param feedDecimals At most `ConstantsLib.MAX_DECIMALS` (validated at configuration).
    /// @return D18{USD/tok}
    function toD18(uint256 answer, uint8 feedDecimals) internal pure returns (uint256) {
        return answer * pow10(ConstantsLib.MAX_DECIMALS - feedDecimals);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // L2 sequencer
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Reverts if an L2 sequencer-uptime feed is set and the sequencer is down or restarted less than
    ///         `gracePeriod` ago. `sequencerFeed == address(0)` means no sequencer (L1): always passes.
    /// @param sequencerFeed The Chainlink sequencer-uptime feed, or address(0).
    /// @param gracePeriod {s} How long prices are distrusted after the sequencer comes back.
    function checkSequencer(address sequencerFeed, uint256 gracePeriod) internal view {
        if (sequencerFeed == address(0)) return;
        (bool ok, Round memory r) = _latest(sequencerFeed);
        if (!ok) revert IOracleErrors.Oracle__FeedUnavailable(sequencerFeed);
        if (r.answer != 0) revert IOracleErrors.Oracle__SequencerDown(sequencerFeed, r.answer);
        if (!_graceOver(r.startedAt, gracePeriod)) {
            revert IOracleErrors.Oracle__GracePeriodNotOver(sequencerFeed, r.startedAt, gracePeriod, block.timestamp);
        }
    }

    /// @notice Like `checkSequencer` but returns false instead of reverting.
    function isSequencerReady(address sequencerFeed, uint256 gracePeriod) internal view returns (bool) {
        if (sequencerFeed == address(0)) return true;
        (bool ok, Round memory r) = _latest(sequencerFeed);
        return ok && r.answer == 0 && _graceOver(r.startedAt, gracePeriod);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration checks
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Validates a feed at configuration time and returns its decimals.
    /// @dev Reverts unless the heartbeat is in bounds, the decimals are at most 18 and the feed answers validly now.
    /// @param feed The Chainlink aggregator (proxy).
    /// @param heartbeat {s} Its heartbeat.
    /// @return feedDecimals The feed's decimals.
    function validateFeed(address feed, uint256 heartbeat) internal view returns (uint8 feedDecimals) {
        if (heartbeat < ConstantsLib.MIN_HEARTBEAT || heartbeat > ConstantsLib.MAX_HEARTBEAT) {
            revert IOracleErrors.Oracle__InvalidHeartbeat(feed, heartbeat);
        }
        try AggregatorV3Interface(feed).decimals() returns (uint8 d) {
            feedDecimals = d;
        } catch {
            revert IOracleErrors.Oracle__FeedUnavailable(feed);
        }
        if (feedDecimals > ConstantsLib.MAX_DECIMALS) {
            revert IOracleErrors.Oracle__UnsupportedDecimals(feed, feedDecimals);
        }
        readPrice(feed, heartbeat, feedDecimals);
    }

    /// @notice Validates an optional sequencer-uptime feed and its grace period at configuration time.
    /// @dev The sequencer must not be down; a fresh restart (inside the grace period) is accepted.
    function validateSequencer(address sequencerFeed, uint256 gracePeriod) internal view {
        if (gracePeriod > ConstantsLib.MAX_SEQUENCER_GRACE_PERIOD) {
            revert IOracleErrors.Oracle__InvalidGracePeriod(gracePeriod);
        }
        if (sequencerFeed == address(0)) return;
        (bool ok, Round memory r) = _latest(sequencerFeed);
        if (!ok) revert IOracleErrors.Oracle__FeedUnavailable(sequencerFeed);
        if (r.answer != 0) revert IOracleErrors.Oracle__SequencerDown(sequencerFeed, r.answer);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Conversions (token decimals are handled here and only here)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Value of a token amount in USDT units.
    /// @dev value{USDT units} = amount{tok units} × tokenPrice D18{USD/tok} × 10^usdtDecimals
    ///                          / (usdtPrice D18{USD/USDT} × 10^tokenDecimals)
    /// @param amount {tok units}
    /// @param tokenPrice D18{USD/tok}
    /// @param tokenDecimals Decimals of the token (≤ 18).
    /// @param usdtPrice D18{USD/USDT}
    /// @param usdtDecimals Decimals of USDT (≤ 18).
    /// @param rounding Direction of rounding.
    /// @return {USDT units}
    function toUsdt(
        uint256 amount,
        uint256 tokenPrice,
        uint8 tokenDecimals,
        uint256 usdtPrice,
        uint8 usdtDecimals,
        Math.Rounding rounding
    ) internal pure returns (uint256) {
        return Math.mulDiv(amount, tokenPrice * pow10(usdtDecimals), usdtPrice * pow10(tokenDecimals), rounding);
    }

    /// @notice Token amount worth a USDT value: the inverse of `toUsdt`.
    /// @dev amount{tok units} = value{USDT units} × usdtPrice D18{USD/USDT} × 10^tokenDecimals
    ///                          / (tokenPrice D18{USD/tok} × 10^usdtDecimals)
    /// @return {tok units}
    function fromUsdt(
        uint256 value,
        uint256 tokenPrice,
        uint8 tokenDecimals,
        uint256 usdtPrice,
        uint8 usdtDecimals,
        Math.Rounding rounding
    ) internal pure returns (uint256) {
        return Math.mulDiv(value, usdtPrice * pow10(tokenDecimals), tokenPrice * pow10(usdtDecimals), rounding);
    }

    /// @notice 10^`exponent` with one EXP opcode: the checked `10 ** x` of Solidity costs several hundred gas more
    ///         and runs on every valuation of every constituent.
    /// @dev Callers pass decimals validated to be at most `ConstantsLib.MAX_DECIMALS` (18), and 10^77 < 2^256, so
    ///      the result never wraps; an exponent above 77 reverts `OracleLib__ExponentTooLarge` rather than wrap.
    /// @param exponent At most 77.
    /// @return result 10^exponent.
    function pow10(uint256 exponent) internal pure returns (uint256 result) {
        if (exponent > MAX_POW10_EXPONENT) revert IOracleErrors.Oracle__ExponentTooLarge(exponent);
        assembly ("memory-safe") {
            result := exp(10, exponent)
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Private
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev `latestRoundData` without reverting: a feed that reverts, has no code or returns fewer than five words, or
    ///      a round id that does not fit 80 bits, reads as unavailable (`ok` false). Called on every constituent of
    ///      every USDT path: the call is made in place (no try/catch, no returndata copy into a fresh allocation) and
    ///      the five words are read from the return buffer into `r`.
    function _latest(address feed) private view returns (bool ok, Round memory r) {
        assembly ("memory-safe") {
            let ptr := mload(0x40) // past `r`: scratch for the call, not allocated (nothing else runs in between)
            mstore(ptr, shl(224, 0xfeaf968c)) // latestRoundData()
            // `feed` masked: Solidity may leave the upper bits of an address dirty in assembly
            ok := staticcall(gas(), and(feed, 0xffffffffffffffffffffffffffffffffffffffff), ptr, 4, ptr, 0xa0)
            ok := and(ok, gt(returndatasize(), 0x9f)) // after the call: Yul evaluates arguments right to left
            if ok {
                let roundId := mload(ptr)
                let answeredInRound := mload(add(ptr, 0x80))
                ok := iszero(shr(80, or(roundId, answeredInRound)))
                if ok {
                    mstore(r, roundId)
                    mstore(add(r, 0x20), mload(add(ptr, 0x20)))
                    mstore(add(r, 0x40), mload(add(ptr, 0x40)))
                    mstore(add(r, 0x60), mload(add(ptr, 0x60)))
                    mstore(add(r, 0x80), answeredInRound)
                }
            }
        }
    }

    /// @dev The checks shared by `readPrice` and `tryReadPrice`, in the order their errors are reported.
    function _validate(bool called, Round memory r, uint256 heartbeat) private view returns (Status) {
        if (!called) return Status.FeedUnavailable;
        if (r.answer <= 0) return Status.InvalidAnswer;
        if (r.updatedAt == 0 || r.answeredInRound < r.roundId) return Status.IncompleteRound;
        if (r.updatedAt > block.timestamp) return Status.FutureTimestamp;
        // Cannot underflow: updatedAt <= block.timestamp was checked just above.
        unchecked {
            if (block.timestamp - r.updatedAt > heartbeat) return Status.Stale;
        }
        return Status.Ok;
    }

    /// @dev Reverts with the `IOracleErrors` error matching a non-Ok status.
    function _revertWith(Status status, address feed, Round memory r, uint256 heartbeat) private view {
        if (status == Status.FeedUnavailable) revert IOracleErrors.Oracle__FeedUnavailable(feed);
        if (status == Status.InvalidAnswer) revert IOracleErrors.Oracle__InvalidAnswer(feed, r.answer);
        if (status == Status.IncompleteRound) {
            revert IOracleErrors.Oracle__IncompleteRound(feed, r.roundId, r.answeredInRound, r.updatedAt);
        }
        if (status == Status.FutureTimestamp) {
            revert IOracleErrors.Oracle__FutureTimestamp(feed, r.updatedAt, block.timestamp);
        }
        revert IOracleErrors.Oracle__StalePrice(feed, r.updatedAt, heartbeat, block.timestamp);
    }

    /// @dev True when the sequencer has been up for longer than the grace period. `startedAt == 0` (an invalid
    ///      round on some L2s) and a future `startedAt` count as not ready.
    function _graceOver(uint256 startedAt, uint256 gracePeriod) private view returns (bool) {
        return startedAt != 0 && startedAt <= block.timestamp && block.timestamp - startedAt > gracePeriod;
    }
}
