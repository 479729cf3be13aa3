// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";
import {MockAggregator} from "./MockAggregator.sol";

/// @notice The faucet every local-market token exposes (MockERC20, MockUSDT, MockWETH9).
interface IMintableToken {
    function mint(address to, uint256 amount) external;
}

/// @title PriceMover
/// @notice The local market's arbitrageur with infinite money. `moveMarket(token, price)` writes a new Chainlink answer
/// for `token` and swaps every registered Uniswap V3 pool holding `token` exactly to the price implied by the two
/// tokens' feeds, so feeds and pools agree again (two-hop pools such as TOKEN/WETH follow when WETH moves).
/// It pays each swap by minting the mock token owed to the pool inside the swap callback.
/// @dev Local chain and tests only. Access: owner only (the deployer: the test contract in Forge, anvil account 0 on
/// the local chain). It must be an updater of every registered feed (`MockAggregator.setUpdater`).
contract PriceMover is Ownable, IUniswapV3SwapCallback {
    using Math for uint256;

    /// @dev Uniswap V3 TickMath bounds of sqrtPriceX96 (exclusive for a swap limit).
    uint160 internal constant MIN_SQRT_RATIO = 4_295_128_739;
    uint160 internal constant MAX_SQRT_RATIO = 1_461_446_703_485_210_103_287_273_052_203_988_822_378_723_970_342;

    /// @notice USD feed of each registered token.
    mapping(address token => MockAggregator feed) public feedOf;
    /// @notice Whether a pool is registered (kept in line with the feeds by `moveMarket`).
    mapping(address pool => bool registered) public isRegisteredPool;

    mapping(address token => address[] pools) private _poolsOf;
    /// @dev The pool this contract is swapping in; only it may call the swap callback.
    address private transient _activePool;

    /// @notice Emitted when a token and its USD feed are registered.
    event TokenRegistered(address indexed token, address indexed feed);
    /// @notice Emitted when a pool is registered.
    event PoolRegistered(address indexed pool, address indexed token0, address indexed token1);
    /// @notice Emitted when `moveMarket` sets a new price for `token`.
    event MarketMoved(address indexed token, uint256 priceUsd8);
    /// @notice Emitted after a pool was swapped to a target price; amounts are the pool's deltas (positive = paid in).
    event PoolMoved(
        address indexed pool, uint160 sqrtPriceX96Before, uint160 sqrtPriceX96After, int256 amount0, int256 amount1
    );

    /// @notice Raised when the swap callback is called by anything but the pool being moved.
    error PriceMover__UnexpectedCallback(address caller, address expected);
    /// @notice Raised when a token has no registered feed.
    error PriceMover__UnknownToken(address token);
    /// @notice Raised when a pool is registered twice.
    error PriceMover__PoolAlreadyRegistered(address pool);
    /// @notice Raised when a feed answer is not strictly positive.
    error PriceMover__InvalidFeedAnswer(address token, int256 answer);
    /// @notice Raised when a target price is outside Uniswap's (MIN_SQRT_RATIO, MAX_SQRT_RATIO).
    error PriceMover__TargetOutOfRange(uint256 sqrtPriceX96);
    /// @notice Raised when a price input is zero or does not fit a Chainlink answer.
    error PriceMover__InvalidPrice(uint256 price);
    /// @notice Raised if a pool did not stop exactly at the requested price.
    error PriceMover__MissedTarget(address pool, uint160 target, uint160 reached);

    constructor() Ownable(msg.sender) {}

    /// @notice Registers `token` with its USD feed. Owner only.
    /// @param token Token address.
    /// @param feed Its USD feed; this contract must be made an updater of it to use `moveMarket`.
    function registerToken(address token, MockAggregator feed) external onlyOwner {
        feedOf[token] = feed;
        emit TokenRegistered(token, address(feed));
    }

    /// @notice Registers a Uniswap V3 pool whose two tokens are registered. Owner only.
    /// @param pool Pool address.
    function registerPool(address pool) external onlyOwner {
        if (isRegisteredPool[pool]) revert PriceMover__PoolAlreadyRegistered(pool);
        address token0 = IUniswapV3Pool(pool).token0();
        address token1 = IUniswapV3Pool(pool).token1();
        if (address(feedOf[token0]) == address(0)) revert PriceMover__UnknownToken(token0);
        if (address(feedOf[token1]) == address(0)) revert PriceMover__UnknownToken(token1);
        isRegisteredPool[pool] = true;
        _poolsOf[token0].push(pool);
        _poolsOf[token1].push(pool);
        emit PoolRegistered(pool, token0, token1);
    }

    /// @notice Registered pools holding `token`.
    /// @param token Token address.
    /// @return pools Pool addresses.
    function poolsOf(address token) external view returns (address[] memory pools) {
        return _poolsOf[token];
    }

    /// @notice Moves `token`'s market to `priceUsd8`: starts a new feed round at block.timestamp, then swaps every
    /// registered pool holding `token` to the price implied by the feeds. Owner only.
    /// @param token A registered token.
    /// @param priceUsd8 New price D8{USD/tok} (the feed's decimals must be 8).
    function moveMarket(address token, uint256 priceUsd8) external onlyOwner {
        MockAggregator feed = feedOf[token];
        if (address(feed) == address(0)) revert PriceMover__UnknownToken(token);
        if (priceUsd8 == 0 || priceUsd8 > uint256(type(int256).max)) revert PriceMover__InvalidPrice(priceUsd8);
        // casting to 'int256' is safe because priceUsd8 <= type(int256).max was checked above
        // forge-lint: disable-next-line(unsafe-typecast)
        feed.setPrice(int256(priceUsd8));
        emit MarketMoved(token, priceUsd8);
        address[] storage pools = _poolsOf[token];
        for (uint256 i; i < pools.length; ++i) {
            _moveTo(pools[i], targetSqrtPriceX96(pools[i]));
        }
    }

    /// @notice Swaps a registered pool back to the price implied by its tokens' feeds. Owner only.
    /// @param pool A registered pool.
    function syncPool(address pool) external onlyOwner {
        _moveTo(pool, targetSqrtPriceX96(pool));
    }

    /// @notice Swaps any pool whose tokens are mintable mocks to `sqrtPriceX96`. Owner only.
    /// @param pool Pool address.
    /// @param sqrtPriceX96 Target sqrt(token1/token0 raw) Q64.96.
    function movePool(address pool, uint160 sqrtPriceX96) external onlyOwner {
        _moveTo(pool, sqrtPriceX96);
    }

    /// @notice The sqrtPriceX96 at which `pool` agrees with its tokens' feeds.
    /// @param pool A pool whose two tokens are registered.
    /// @return sqrt(token1/token0 raw) Q64.96.
    function targetSqrtPriceX96(address pool) public view returns (uint160) {
        address token0 = IUniswapV3Pool(pool).token0();
        address token1 = IUniswapV3Pool(pool).token1();
        return sqrtPriceX96FromPrices(
            _priceD18(token0), IERC20Metadata(token0).decimals(), _priceD18(token1), IERC20Metadata(token1).decimals()
        );
    }

    /// @notice Uniswap V3 sqrtPriceX96 of a pool from its tokens' USD prices.
    /// @dev price {tok1/tok0 raw} = price0 * 10^decimals1 / (price1 * 10^decimals0); returns sqrt(price) * 2^96.
    /// Both prices must share one unit (e.g. both D8{USD/tok} or both D18{USD/tok}).
    /// @param price0 USD price of token0 D{n}{USD/tok0}.
    /// @param decimals0 Decimals of token0.
    /// @param price1 USD price of token1 D{n}{USD/tok1}.
    /// @param decimals1 Decimals of token1.
    /// @return sqrtPriceX96 sqrt(token1/token0 raw) Q64.96, rounded down.
    function sqrtPriceX96FromPrices(uint256 price0, uint8 decimals0, uint256 price1, uint8 decimals1)
        public
        pure
        returns (uint160)
    {
        if (price0 == 0) revert PriceMover__InvalidPrice(price0);
        if (price1 == 0) revert PriceMover__InvalidPrice(price1);
        uint256 num = price0 * 10 ** decimals1; // {tok1 raw * USD / tok}
        uint256 den = price1 * 10 ** decimals0; // {tok0 raw * USD / tok}
        uint256 ratio = num / den; // {tok1 raw / tok0 raw}, rounded down
        // sqrtPriceX96 >= 2^160 is above Uniswap's range (reported as type(uint256).max).
        if (ratio >= (1 << 128)) revert PriceMover__TargetOutOfRange(type(uint256).max);
        uint256 sqrtPrice;
        if (ratio < (1 << 64)) {
            // price * 2^192 fits 256 bits: full precision.
            sqrtPrice = num.mulDiv(1 << 192, den).sqrt();
        } else {
            // price >= 2^64: 2^128 scaling keeps 64+ significant bits before the sqrt.
            sqrtPrice = num.mulDiv(1 << 128, den).sqrt() << 32;
        }
        if (sqrtPrice <= MIN_SQRT_RATIO || sqrtPrice >= MAX_SQRT_RATIO) revert PriceMover__TargetOutOfRange(sqrtPrice);
        // casting to 'uint160' is safe because sqrtPrice < MAX_SQRT_RATIO < 2^160 was checked above
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint160(sqrtPrice);
    }

    /// @notice Pays the pool being moved by minting what it is owed. Only callable by that pool.
    /// @param amount0Delta Amount of token0 owed to the pool if positive.
    /// @param amount1Delta Amount of token1 owed to the pool if positive.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external override {
        address pool = _activePool;
        if (msg.sender != pool || pool == address(0)) revert PriceMover__UnexpectedCallback(msg.sender, pool);
        // casting to 'uint256' is safe because each delta is checked to be positive
        // forge-lint: disable-next-line(unsafe-typecast)
        if (amount0Delta > 0) IMintableToken(IUniswapV3Pool(pool).token0()).mint(pool, uint256(amount0Delta));
        // forge-lint: disable-next-line(unsafe-typecast)
        if (amount1Delta > 0) IMintableToken(IUniswapV3Pool(pool).token1()).mint(pool, uint256(amount1Delta));
    }

    function _moveTo(address pool, uint160 target) private {
        if (target <= MIN_SQRT_RATIO || target >= MAX_SQRT_RATIO) revert PriceMover__TargetOutOfRange(target);
        (uint160 before,,,,,,) = IUniswapV3Pool(pool).slot0();
        if (before == target) return;
        // Selling token0 lowers sqrtPrice; an exact input far above the pool's depth stops exactly at the limit.
        bool zeroForOne = target < before;
        _activePool = pool;
        (int256 amount0, int256 amount1) =
            IUniswapV3Pool(pool).swap(address(this), zeroForOne, type(int128).max, target, "");
        _activePool = address(0);
        (uint160 reached,,,,,,) = IUniswapV3Pool(pool).slot0();
        if (reached != target) revert PriceMover__MissedTarget(pool, target, reached);
        emit PoolMoved(pool, before, reached, amount0, amount1);
    }

    /// @return D18{USD/tok} from the token's feed.
    function _priceD18(address token) private view returns (uint256) {
        MockAggregator feed = feedOf[token];
        if (address(feed) == address(0)) revert PriceMover__UnknownToken(token);
        (, int256 answer,,,) = feed.latestRoundData();
        if (answer <= 0) revert PriceMover__InvalidFeedAnswer(token, answer);
        // casting to 'uint256' is safe because answer > 0 was checked above
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint256(answer) * 10 ** (18 - feed.decimals());
    }
}
