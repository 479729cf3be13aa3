// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title MockAggregator
/// @notice A Chainlink `AggregatorV3Interface` feed whose rounds are written by hand, for tests and the local chain.
/// Every field of a round (roundId, answer, startedAt, updatedAt, answeredInRound) can be set, so tests can produce
/// stale, incomplete (`answeredInRound < roundId`), zero or negative answers.
/// @dev Access: the owner (the deployer) and the accounts it marks as updaters (the local market's PriceMover) may
/// write rounds; anyone else gets `MockAggregator__NotUpdater`. The owner manages updaters with `setUpdater`.
contract MockAggregator is AggregatorV3Interface, Ownable {
    struct Round {
        int256 answer; // D{decimals}{USD/tok}
        uint256 startedAt; // {s}
        uint256 updatedAt; // {s}
        uint80 answeredInRound;
        bool written;
    }

    /// @inheritdoc AggregatorV3Interface
    uint8 public immutable override decimals;
    /// @inheritdoc AggregatorV3Interface
    string public override description;
    /// @notice Id of the round returned by `latestRoundData`.
    uint80 public latestRoundId;
    /// @notice Accounts allowed to write rounds besides the owner.
    mapping(address account => bool allowed) public isUpdater;

    mapping(uint80 roundId => Round round) private _rounds;

    /// @notice Emitted when the owner grants or revokes the right to write rounds.
    event UpdaterSet(address indexed account, bool allowed);
    /// @notice Emitted whenever a round is written; it becomes the latest round.
    event RoundWritten(
        uint80 indexed roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound
    );

    /// @notice Raised when a caller that is neither owner nor updater tries to write a round.
    error MockAggregator__NotUpdater(address caller);
    /// @notice Raised by `getRoundData` for a round that was never written (Chainlink reverts "No data present").
    error MockAggregator__NoDataPresent(uint80 roundId);
    /// @notice Raised when round id 0 is written (Chainlink round ids start at 1).
    error MockAggregator__ZeroRoundId();

    modifier onlyUpdater() {
        if (msg.sender != owner() && !isUpdater[msg.sender]) revert MockAggregator__NotUpdater(msg.sender);
        _;
    }

    /// @param decimals_ Decimals of the answer (8 for USD feeds).
    /// @param description_ E.g. "ETH / USD".
    /// @param initialAnswer First answer D{decimals_}{USD/tok}, written as round 1 at block.timestamp.
    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) Ownable(msg.sender) {
        decimals = decimals_;
        description = description_;
        _write(1, initialAnswer, block.timestamp, block.timestamp, 1);
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure override returns (uint256) {
        return 4;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId) external view override returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = _rounds[roundId];
        if (!r.written) revert MockAggregator__NoDataPresent(roundId);
        return (roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
        uint80 id = latestRoundId;
        Round memory r = _rounds[id];
        return (id, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    /// @notice Grants or revokes the right to write rounds. Owner only.
    /// @param account Account to change.
    /// @param allowed True to grant, false to revoke.
    function setUpdater(address account, bool allowed) external onlyOwner {
        isUpdater[account] = allowed;
        emit UpdaterSet(account, allowed);
    }

    /// @notice Starts a new complete round (latestRoundId + 1) answering `answer` at block.timestamp.
    /// @param answer New answer D{decimals}{USD/tok}.
    function setPrice(int256 answer) external onlyUpdater {
        uint80 id = latestRoundId + 1;
        _write(id, answer, block.timestamp, block.timestamp, id);
    }

    /// @notice Writes every field of a round and makes it the latest one (the id may go backwards; tests decide).
    /// @param roundId Round id (> 0).
    /// @param answer Answer D{decimals}{USD/tok} (may be zero or negative to test validation).
    /// @param startedAt When the round started {s}.
    /// @param updatedAt When the answer was written {s}; 0 means "round not complete" in Chainlink's V3 semantics.
    /// @param answeredInRound Round in which the answer was computed; below `roundId` models a carried-over answer.
    function setRoundData(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
        external
        onlyUpdater
    {
        _write(roundId, answer, startedAt, updatedAt, answeredInRound);
    }

    /// @notice Rewrites only the latest round's `updatedAt` (and `startedAt` if it would be later), to make a feed stale.
    /// @param updatedAt New timestamp {s}.
    function setUpdatedAt(uint256 updatedAt) external onlyUpdater {
        uint80 id = latestRoundId;
        Round memory r = _rounds[id];
        uint256 startedAt = r.startedAt > updatedAt ? updatedAt : r.startedAt;
        _write(id, r.answer, startedAt, updatedAt, r.answeredInRound);
    }

    function _write(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
        private
    {
        if (roundId == 0) revert MockAggregator__ZeroRoundId();
        _rounds[roundId] = Round(answer, startedAt, updatedAt, answeredInRound, true);
        latestRoundId = roundId;
        emit RoundWritten(roundId, answer, startedAt, updatedAt, answeredInRound);
    }
}
