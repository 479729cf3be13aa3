// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IOracleErrors
/// @notice Why a Chainlink read was refused. Thrown by `OracleLib` from the index vault and the factory, so a wallet
///         or keeper can decode the exact reason (feed and numbers) from the revert data.
interface IOracleErrors {
    /// @notice The feed call reverted or returned malformed data.
    /// @param feed The Chainlink aggregator (or proxy) that was called.
    error Oracle__FeedUnavailable(address feed);

    /// @notice The answer is zero or negative: a USD price must be strictly positive.
    /// @param feed The feed read.
    /// @param answer D{feed decimals}{USD/tok} The answer it returned.
    error Oracle__InvalidAnswer(address feed, int256 answer);

    /// @notice The latest round is incomplete: it was never updated (`updatedAt == 0`) or its answer was carried over
    ///         from an earlier round (`answeredInRound < roundId`).
    /// @param feed The feed read.
    /// @param roundId The latest round id.
    /// @param answeredInRound The round in which the answer was computed.
    /// @param updatedAt {s} The update timestamp of the round.
    error Oracle__IncompleteRound(address feed, uint80 roundId, uint80 answeredInRound, uint256 updatedAt);

    /// @notice The answer is older than the feed's heartbeat.
    /// @param feed The feed read.
    /// @param updatedAt {s} When the answer was last updated.
    /// @param heartbeat {s} The longest accepted age for this feed.
    /// @param timestamp {s} The current block timestamp.
    error Oracle__StalePrice(address feed, uint256 updatedAt, uint256 heartbeat, uint256 timestamp);

    /// @notice The answer claims to come from the future: the feed is broken.
    /// @param feed The feed read.
    /// @param updatedAt {s} The reported update timestamp.
    /// @param timestamp {s} The current block timestamp.
    error Oracle__FutureTimestamp(address feed, uint256 updatedAt, uint256 timestamp);

    /// @notice The L2 sequencer-uptime feed reports the sequencer as down (answer != 0).
    /// @param sequencerFeed The sequencer-uptime feed.
    /// @param answer The status answer (0 = up, 1 = down).
    error Oracle__SequencerDown(address sequencerFeed, int256 answer);

    /// @notice The sequencer came back up less than the grace period ago: prices may still be catching up.
    /// @param sequencerFeed The sequencer-uptime feed.
    /// @param upSince {s} When the sequencer status last changed (the feed's `startedAt`).
    /// @param gracePeriod {s} How long prices are distrusted after a restart.
    /// @param timestamp {s} The current block timestamp.
    error Oracle__GracePeriodNotOver(address sequencerFeed, uint256 upSince, uint256 gracePeriod, uint256 timestamp);

    /// @notice A feed or token reports more decimals than `ConstantsLib.MAX_DECIMALS`.
    /// @param source The feed or token.
    /// @param decimals Its reported decimals.
    error Oracle__UnsupportedDecimals(address source, uint8 decimals);

    /// @notice A heartbeat is outside [`ConstantsLib.MIN_HEARTBEAT`, `ConstantsLib.MAX_HEARTBEAT`].
    /// @param feed The feed it was given for.
    /// @param heartbeat {s} The rejected heartbeat.
    error Oracle__InvalidHeartbeat(address feed, uint256 heartbeat);

    /// @notice A sequencer grace period above `ConstantsLib.MAX_SEQUENCER_GRACE_PERIOD`.
    /// @param gracePeriod {s} The rejected grace period.
    error Oracle__InvalidGracePeriod(uint256 gracePeriod);

    /// @notice A power of ten that does not fit in 256 bits was asked for (unreachable with validated decimals).
    /// @param exponent The rejected exponent.
    error Oracle__ExponentTooLarge(uint256 exponent);
}
