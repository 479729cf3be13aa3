// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";

import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {MockUSDT} from "../../contracts/mocks/MockUSDT.sol";
import {MockWETH9} from "../../contracts/mocks/MockWETH9.sol";
import {PriceMover} from "../../contracts/mocks/PriceMover.sol";
import {AuditedBuild} from "./AuditedBuild.sol";
import {INonfungiblePositionManagerMinimal} from "./INonfungiblePositionManagerMinimal.sol";

/// @title LocalMarket
/// @notice The local market every Forge test, the anvil chain, the demo and the benchmarks run against: REAL Uniswap V3
/// (factory, NonfungiblePositionManager, SwapRouter, QuoterV2 deployed from the npm artifacts), a mainnet-like USDT,
/// WETH9, 18 more mock tokens at realistic prices, 8-decimal Chainlink-style USD feeds, and pools holding real
/// liquidity minted through the position manager (a full-range position plus one concentrated around the price).
///
/// Market shape (indices into `constituents`):
/// - [0] WETH/USDT 0.05 % and [1] WBTC/USDT 0.3 %: deep ($30M a side full range + $30M a side within ~±10 %);
/// - [2..19] TOKEN/USDT 0.3 %: normal ($3M a side full range + $3M a side within ~±22 %);
/// - `thinToken` (RPL, [16]): only a thin TOKEN/USDT 1 % pool ($50k a side, full range);
/// - `twoHopToken` (YFI, [11]): no USDT pool; a deep YFI/WETH 0.3 % pool, bought USDT -> WETH -> YFI.
///
/// @dev Works in tests (everything is owned by the test contract) and in `script/DeployLocalMarket.s.sol` under
/// `vm.startBroadcast` (everything is owned by the broadcaster, which overrides `_liquidityProvider`).
/// Moving prices: call `setMarketPrice`; do not call it under `vm.prank`/`vm.startPrank` (PriceMover and the feeds
/// only accept their owner). Feeds can also be written directly by the test contract (their owner), e.g.
/// `feedOf(token).setUpdatedAt(...)`.
abstract contract LocalMarket is AuditedBuild {
    enum PoolDepth {
        Deep,
        Normal,
        Thin,
        TwoHopDeep
    }

    struct TokenSpec {
        string symbol;
        string name;
        uint8 decimals;
        uint256 priceUsd8; // D8{USD/tok}
        uint32 heartbeat; // {s}
        PoolDepth depth;
    }

    /// @notice Raised by views asked about a token that is not part of the local market.
    error LocalMarket__UnknownToken(address token);

    string internal constant FACTORY_ARTIFACT =
        "node_modules/@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json";
    string internal constant POSITION_MANAGER_ARTIFACT =
        "node_modules/@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json";
    string internal constant SWAP_ROUTER_ARTIFACT =
        "node_modules/@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json";
    string internal constant QUOTER_V2_ARTIFACT =
        "node_modules/@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json";

    uint24 internal constant FEE_LOW = 500; // {hundredths of a bp} 0.05 %
    uint24 internal constant FEE_MEDIUM = 3000; // 0.3 %
    uint24 internal constant FEE_HIGH = 10_000; // 1 %

    int24 internal constant MAX_TICK = 887_272; // Uniswap V3 TickMath.MAX_TICK

    /// @dev Liquidity per side in whole USD, and half-widths of the concentrated ranges in ticks (1.0001^t).
    uint256 internal constant DEEP_FULL_RANGE_USD = 30_000_000;
    uint256 internal constant DEEP_CONCENTRATED_USD = 30_000_000;
    int24 internal constant DEEP_HALF_WIDTH_TICKS = 1000; // ~ ±10.5 %
    uint256 internal constant NORMAL_FULL_RANGE_USD = 3_000_000;
    uint256 internal constant NORMAL_CONCENTRATED_USD = 3_000_000;
    int24 internal constant NORMAL_HALF_WIDTH_TICKS = 2000; // ~ ±22 %
    uint256 internal constant THIN_FULL_RANGE_USD = 50_000;

    uint256 internal constant USDT_PRICE_USD8 = 1e8; // D8{USD/USDT}
    uint32 internal constant USDT_HEARTBEAT = 86_400; // {s} as mainnet USDT/USD

    uint256 internal constant THIN_TOKEN_INDEX = 16; // RPL
    uint256 internal constant TWO_HOP_TOKEN_INDEX = 11; // YFI

    address public uniswapFactory;
    address public positionManager;
    address public swapRouter;
    address public quoterV2;

    MockUSDT public usdt;
    MockAggregator public usdtFeed;
    MockWETH9 public weth;
    PriceMover public priceMover;

    address[] public constituents;
    address public thinToken;
    address public twoHopToken;

    mapping(address token => MockAggregator feed) internal _feeds;
    mapping(address token => uint32 heartbeat) internal _heartbeats; // {s}
    mapping(address token => string symbol) internal _symbols;
    mapping(address token => address[] tokens) internal _routeTokens;
    mapping(address token => uint24[] fees) internal _routeFees;

    // ---------------------------------------------------------------------------------------------------------------
    // Views (the binding fixture API)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Number of constituents (20).
    function constituentCount() external view returns (uint256) {
        return constituents.length;
    }

    /// @notice USD feed (8 decimals) of a constituent or of USDT.
    function feedOf(address token) public view returns (MockAggregator) {
        MockAggregator feed = _feeds[token];
        if (address(feed) == address(0)) revert LocalMarket__UnknownToken(token);
        return feed;
    }

    /// @notice Heartbeat {s} of the token's feed, as on mainnet (3600 for majors, 86400 for the rest and USDT).
    function heartbeatOf(address token) public view returns (uint32) {
        feedOf(token);
        return _heartbeats[token];
    }

    /// @notice Path from USDT to `token`: tokens[0] = USDT, tokens[last] = token, fees[i] = fee tier of hop i.
    /// The sell route is its reverse.
    function buyRouteOf(address token) public view returns (address[] memory tokens, uint24[] memory fees) {
        tokens = _routeTokens[token];
        if (tokens.length == 0) revert LocalMarket__UnknownToken(token);
        fees = _routeFees[token];
    }

    /// @notice Uniswap V3 pool of a pair and fee tier (address(0) if none).
    function poolOf(address tokenA, address tokenB, uint24 fee) public view returns (address) {
        return IUniswapV3Factory(uniswapFactory).getPool(tokenA, tokenB, fee);
    }

    /// @notice Current answer of the token's feed, D8{USD/tok}. Reverts if the answer is negative.
    function priceOf(address token) public view returns (uint256 priceUsd8) {
        (, int256 answer,,,) = feedOf(token).latestRoundData();
        return SafeCast.toUint256(answer);
    }

    /// @notice Symbol of a local-market token (constituent or USDT).
    function symbolOf(address token) public view returns (string memory) {
        feedOf(token);
        return _symbols[token];
    }

    /// @notice USD price of `token` implied by the pools along its buy route (spot, no fee), valued with the USDT feed.
    /// @return priceUsd8 D8{USD/tok}, rounded down.
    function _poolPriceUsd8(address token) internal view returns (uint256 priceUsd8) {
        (address[] memory path, uint24[] memory fees) = buyRouteOf(token);
        priceUsd8 = priceOf(address(usdt));
        for (uint256 h; h < fees.length; ++h) {
            priceUsd8 = _spotUsd8(path[h + 1], path[h], fees[h], priceUsd8);
        }
    }

    /// @return D8{USD/tok} of `token` from the `token`/`quote` pool's sqrtPrice, given `quoteUsd8` D8{USD/quote}.
    function _spotUsd8(address token, address quote, uint24 fee, uint256 quoteUsd8) private view returns (uint256) {
        (uint160 sqrtPriceX96,,,,,,) = IUniswapV3Pool(poolOf(token, quote, fee)).slot0();
        uint256 priceX128 = Math.mulDiv(sqrtPriceX96, sqrtPriceX96, 1 << 64); // {tok1 raw / tok0 raw} Q128.128
        uint256 tokenUnit = 10 ** MockERC20(token).decimals();
        uint256 quoteUnit = 10 ** MockERC20(quote).decimals();
        return token < quote
            ? Math.mulDiv(priceX128, tokenUnit * quoteUsd8, quoteUnit << 128)  // token is token0
            : Math.mulDiv(1 << 128, tokenUnit * quoteUsd8, priceX128 * quoteUnit); // token is token1
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Moves `token`'s market as an arbitrageur would: a new feed round at block.timestamp answering
    /// `priceUsd8`, then every pool holding `token` swapped to the price implied by the feeds (so TOKEN/WETH pools
    /// follow WETH). Afterwards pool prices equal the feeds' up to sqrtPrice rounding (far below 0.1 %).
    /// @param token A constituent, or USDT (then every USDT pool moves).
    /// @param priceUsd8 New price D8{USD/tok}.
    function setMarketPrice(address token, uint256 priceUsd8) public {
        feedOf(token);
        priceMover.moveMarket(token, priceUsd8);
    }

    /// @notice Funds `to` with `amount` raw units of any local token (USDT, WETH, constituents).
    /// @dev WETH minted here is backed: the WETH contract also receives `amount` wei (test cheat), so `withdraw` works.
    function mintTo(address token, address to, uint256 amount) public {
        if (token == address(usdt)) {
            usdt.mint(to, amount);
            return;
        }
        feedOf(token);
        if (token == address(weth)) vm.deal(address(weth), address(weth).balance + amount);
        MockERC20(token).mint(to, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Deployment
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The 20 constituents, in index order.
    function _tokenSpecs() internal pure returns (TokenSpec[] memory specs) {
        specs = new TokenSpec[](20);
        specs[0] = TokenSpec("WETH", "Wrapped Ether", 18, 3000e8, 3600, PoolDepth.Deep);
        specs[1] = TokenSpec("WBTC", "Wrapped BTC", 8, 60_000e8, 3600, PoolDepth.Deep);
        specs[2] = TokenSpec("LINK", "ChainLink Token", 18, 15e8, 3600, PoolDepth.Normal);
        specs[3] = TokenSpec("UNI", "Uniswap", 18, 8e8, 3600, PoolDepth.Normal);
        specs[4] = TokenSpec("AAVE", "Aave Token", 18, 100e8, 3600, PoolDepth.Normal);
        specs[5] = TokenSpec("MKR", "Maker", 18, 2000e8, 3600, PoolDepth.Normal);
        specs[6] = TokenSpec("CRV", "Curve DAO Token", 18, 0.5e8, 86_400, PoolDepth.Normal);
        specs[7] = TokenSpec("LDO", "Lido DAO Token", 18, 2e8, 86_400, PoolDepth.Normal);
        specs[8] = TokenSpec("COMP", "Compound", 18, 50e8, 3600, PoolDepth.Normal);
        specs[9] = TokenSpec("SNX", "Synthetix Network Token", 18, 3e8, 3600, PoolDepth.Normal);
        specs[10] = TokenSpec("SUSHI", "SushiToken", 18, 1e8, 86_400, PoolDepth.Normal);
        specs[11] = TokenSpec("YFI", "yearn.finance", 18, 7000e8, 86_400, PoolDepth.TwoHopDeep);
        specs[12] = TokenSpec("BAL", "Balancer", 18, 4e8, 86_400, PoolDepth.Normal);
        specs[13] = TokenSpec("ONEINCH", "1INCH Token", 18, 0.4e8, 86_400, PoolDepth.Normal);
        specs[14] = TokenSpec("ENS", "Ethereum Name Service", 18, 20e8, 86_400, PoolDepth.Normal);
        specs[15] = TokenSpec("GRT", "Graph Token", 18, 0.2e8, 86_400, PoolDepth.Normal);
        specs[16] = TokenSpec("RPL", "Rocket Pool", 18, 25e8, 86_400, PoolDepth.Thin);
        specs[17] = TokenSpec("FXS", "Frax Share", 18, 5e8, 86_400, PoolDepth.Normal);
        specs[18] = TokenSpec("APE", "ApeCoin", 18, 1.5e8, 86_400, PoolDepth.Normal);
        specs[19] = TokenSpec("DYDX", "dYdX", 18, 2e8, 86_400, PoolDepth.Normal);
    }

    /// @notice A MockAggregator with 8 decimals answering `priceUsd8`, from the audited build (see `_deployBuilt`).
    function _deployFeed(string memory description, uint256 priceUsd8) internal returns (MockAggregator) {
        return MockAggregator(
            _deployBuilt(
                "MockAggregator.sol", "MockAggregator", abi.encode(uint8(8), description, SafeCast.toInt256(priceUsd8))
            )
        );
    }

    /// @notice Account that receives and approves the liquidity tokens and owns the positions. In a test it is the
    /// test contract; a broadcasting script returns its broadcaster (the account whose calls the script sends).
    function _liquidityProvider() internal view virtual returns (address) {
        return address(this);
    }

    /// @notice Deploys the whole local market (see the contract's description). ~21 pools, 41 positions.
    function _deployLocalMarket() internal {
        weth = MockWETH9(payable(_deployBuilt("MockWETH9.sol", "MockWETH9", "")));
        usdt = MockUSDT(_deployBuilt("MockUSDT.sol", "MockUSDT", ""));
        usdtFeed = _deployFeed("USDT / USD", USDT_PRICE_USD8);

        uniswapFactory = deployCode(FACTORY_ARTIFACT);
        positionManager = deployCode(POSITION_MANAGER_ARTIFACT, abi.encode(uniswapFactory, address(weth), address(0)));
        swapRouter = deployCode(SWAP_ROUTER_ARTIFACT, abi.encode(uniswapFactory, address(weth)));
        quoterV2 = deployCode(QUOTER_V2_ARTIFACT, abi.encode(uniswapFactory, address(weth)));

        priceMover = PriceMover(_deployBuilt("PriceMover.sol", "PriceMover", ""));
        _listToken(address(usdt), "USDT", usdtFeed, USDT_HEARTBEAT);
        // MockUSDT.approve returns nothing: call it through its own type, not IERC20.
        usdt.approve(positionManager, type(uint256).max);

        // Fund the liquidity provider once per token (one transaction each when broadcast).
        TokenSpec[] memory specs = _tokenSpecs();
        uint256 usdtUsd; // whole USD of USDT all pools need
        for (uint256 i; i < specs.length; ++i) {
            if (specs[i].depth != PoolDepth.TwoHopDeep) usdtUsd += _poolUsdPerSide(specs[i].depth);
        }
        usdt.mint(_liquidityProvider(), _usdToAmount(address(usdt), usdtUsd));

        for (uint256 i; i < specs.length; ++i) {
            _deployConstituent(specs[i]);
        }
        thinToken = constituents[THIN_TOKEN_INDEX];
        twoHopToken = constituents[TWO_HOP_TOKEN_INDEX];
    }

    function _deployConstituent(TokenSpec memory spec) private {
        address token = constituents.length == 0
            ? address(weth)
            : _deployBuilt("MockERC20.sol", "MockERC20", abi.encode(spec.name, spec.symbol, spec.decimals));
        MockAggregator feed = _deployFeed(string.concat(spec.symbol, " / USD"), spec.priceUsd8);
        _listToken(token, spec.symbol, feed, spec.heartbeat);
        IERC20(token).approve(positionManager, type(uint256).max);
        constituents.push(token);

        uint256 fundUsd = _poolUsdPerSide(spec.depth); // whole USD of `token` its pools need
        if (token == address(weth)) {
            TokenSpec[] memory specs = _tokenSpecs();
            for (uint256 i; i < specs.length; ++i) {
                if (specs[i].depth == PoolDepth.TwoHopDeep) fundUsd += _poolUsdPerSide(specs[i].depth);
            }
        }
        MockERC20(token).mint(_liquidityProvider(), _usdToAmount(token, fundUsd));

        if (spec.depth == PoolDepth.TwoHopDeep) {
            _addPool(token, address(weth), FEE_MEDIUM, spec.depth);
            _routeTokens[token] = [address(usdt), address(weth), token];
            _routeFees[token] = [_routeFees[address(weth)][0], FEE_MEDIUM];
        } else {
            uint24 fee = token == address(weth) ? FEE_LOW : spec.depth == PoolDepth.Thin ? FEE_HIGH : FEE_MEDIUM;
            _addPool(token, address(usdt), fee, spec.depth);
            _routeTokens[token] = [address(usdt), token];
            _routeFees[token] = [fee];
        }
    }

    function _listToken(address token, string memory symbol, MockAggregator feed, uint32 heartbeat) private {
        _feeds[token] = feed;
        _heartbeats[token] = heartbeat;
        _symbols[token] = symbol;
        feed.setUpdater(address(priceMover), true);
        priceMover.registerToken(token, feed);
    }

    /// @dev Creates the pool at the feeds' price, registers it with the PriceMover and mints its positions.
    function _addPool(address token, address quote, uint24 fee, PoolDepth depth) private {
        (address token0, address token1) = token < quote ? (token, quote) : (quote, token);
        uint160 sqrtPriceX96 = priceMover.sqrtPriceX96FromPrices(
            priceOf(token0), MockERC20(token0).decimals(), priceOf(token1), MockERC20(token1).decimals()
        );
        address pool = INonfungiblePositionManagerMinimal(positionManager)
            .createAndInitializePoolIfNecessary(token0, token1, fee, sqrtPriceX96);
        priceMover.registerPool(pool);

        int24 spacing = IUniswapV3Factory(uniswapFactory).feeAmountTickSpacing(fee);
        // Rounding MAX_TICK down to a multiple of the spacing is the point of dividing first.
        // forge-lint: disable-next-line(divide-before-multiply)
        int24 fullRange = (MAX_TICK / spacing) * spacing;
        if (depth == PoolDepth.Thin) {
            _mintPosition(token0, token1, fee, -fullRange, fullRange, THIN_FULL_RANGE_USD);
            return;
        }
        bool deep = depth != PoolDepth.Normal;
        _mintPosition(token0, token1, fee, -fullRange, fullRange, deep ? DEEP_FULL_RANGE_USD : NORMAL_FULL_RANGE_USD);

        (, int24 tick,,,,,) = IUniswapV3Pool(pool).slot0();
        int24 halfWidth = deep ? DEEP_HALF_WIDTH_TICKS : NORMAL_HALF_WIDTH_TICKS;
        int24 lower = _floorToSpacing(tick - halfWidth, spacing);
        int24 upper = _floorToSpacing(tick + halfWidth, spacing) + spacing;
        _mintPosition(token0, token1, fee, lower, upper, deep ? DEEP_CONCENTRATED_USD : NORMAL_CONCENTRATED_USD);
    }

    /// @return Whole USD of each token that a pool of this depth receives (all its positions, one side).
    function _poolUsdPerSide(PoolDepth depth) private pure returns (uint256) {
        if (depth == PoolDepth.Thin) return THIN_FULL_RANGE_USD;
        if (depth == PoolDepth.Normal) return NORMAL_FULL_RANGE_USD + NORMAL_CONCENTRATED_USD;
        return DEEP_FULL_RANGE_USD + DEEP_CONCENTRATED_USD;
    }

    /// @dev Adds `usdPerSide` whole USD of each token (already held by the liquidity provider) as one position;
    /// the position manager uses what the range needs and the rest stays with the provider.
    function _mintPosition(address token0, address token1, uint24 fee, int24 lower, int24 upper, uint256 usdPerSide)
        private
    {
        address provider = _liquidityProvider();
        uint256 amount0 = _usdToAmount(token0, usdPerSide);
        uint256 amount1 = _usdToAmount(token1, usdPerSide);
        INonfungiblePositionManagerMinimal(positionManager)
            .mint(
                INonfungiblePositionManagerMinimal.MintParams({
                token0: token0,
                token1: token1,
                fee: fee,
                tickLower: lower,
                tickUpper: upper,
                amount0Desired: amount0,
                amount1Desired: amount1,
                amount0Min: 0,
                amount1Min: 0,
                recipient: provider,
                deadline: block.timestamp + 1 days // a broadcast lands in a later block than the simulation
            })
            );
    }

    /// @return Raw amount {tok} worth `usd` whole USD at the feed price.
    function _usdToAmount(address token, uint256 usd) internal view returns (uint256) {
        return usd * 1e8 * 10 ** MockERC20(token).decimals() / priceOf(token);
    }

    function _floorToSpacing(int24 tick, int24 spacing) private pure returns (int24) {
        int24 q = tick / spacing;
        if (tick < 0 && tick % spacing != 0) q -= 1;
        return q * spacing;
    }
}
