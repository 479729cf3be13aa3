// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

import {IndexFactory} from "../../contracts/IndexFactory.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {VaultParams, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {ArrayHelpers} from "../base/ArrayHelpers.sol";
import {AuditedBuild} from "../base/AuditedBuild.sol";

/// @title IndexVaultForkTest
/// @notice The vault on Ethereum mainnet state at `config/mainnet.json`'s pinned block: real USDT (its quirks), real
///         Uniswap V3 pools and routers, real Chainlink feeds. Needs `FORK_URL` (an archive RPC); without it every
///         test skips itself, so a plain `forge test` never needs a network. Run: `FORK_URL=... npm run test:fork`.
contract IndexVaultForkTest is Test, AuditedBuild, ArrayHelpers {
    using stdJson for string;
    using SafeERC20 for IERC20;

    string internal constant CONFIG = "config/mainnet.json";
    /// @dev {bps} Chainlink's deviation thresholds (0.5–1 %) plus two fee tiers on the WETH-routed legs: 1 % would
    ///      refuse honest fills at some blocks.
    uint16 internal constant FORK_MAX_SLIPPAGE_BPS = 300;
    uint256 internal constant DEPOSIT = 100_000e6; // {USDT units}

    struct Token {
        string symbol;
        address token;
        address feed;
        uint32 heartbeat; // {s}
        address[] path;
        uint24[] fees;
    }

    bool internal forked;
    string internal json;
    IERC20 internal usdt;
    address internal usdtFeed;
    uint32 internal usdtHeartbeat;
    address internal uniswapFactory;
    ISwapRouter internal router;
    Token[] internal tokens;
    IndexFactory internal factory;

    address internal alice = makeAddr("alice");
    address internal admin = makeAddr("admin");

    function setUp() public {
        string memory url = vm.envOr("FORK_URL", string(""));
        if (bytes(url).length == 0) return;
        json = vm.readFile(CONFIG);
        vm.createSelectFork(url, json.readUint(".forkBlock"));
        forked = true;

        usdt = IERC20(json.readAddress(".usdt.address"));
        usdtFeed = json.readAddress(".usdt.feed");
        usdtHeartbeat = uint32(json.readUint(".usdt.heartbeat"));
        uniswapFactory = json.readAddress(".uniswapV3.factory");
        router = ISwapRouter(json.readAddress(".uniswapV3.swapRouter"));
        for (uint256 i; vm.keyExistsJson(json, _key(i, "")); ++i) {
            _readToken(i);
        }

        address configurator = _deployBuilt(
            "IndexVaultConfigurator.sol", "IndexVaultConfigurator", abi.encode(address(usdt), uniswapFactory)
        );
        address rebalancer = _deployBuilt("IndexVaultRebalancer.sol", "IndexVaultRebalancer", abi.encode(configurator));
        address implementation = _deployBuilt("IndexVault.sol", "IndexVault", abi.encode(configurator, rebalancer));
        factory = IndexFactory(_deployBuilt("IndexFactory.sol", "IndexFactory", abi.encode(implementation)));
    }

    modifier onlyFork() {
        if (!forked) vm.skip(true, "FORK_URL not set");
        _;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The mainnet configuration itself
    // ---------------------------------------------------------------------------------------------------------------

    function test_fork_config_feedsFreshAndRoutesExistAtPinnedBlock() public onlyFork {
        _assertFeed(usdtFeed, usdtHeartbeat, "USDT");
        assertGt(tokens.length, 0, "no constituents in config");
        for (uint256 i; i < tokens.length; ++i) {
            Token storage t = tokens[i];
            _assertFeed(t.feed, t.heartbeat, t.symbol);
            assertEq(t.path[0], address(usdt), "route starts at USDT");
            assertEq(t.path[t.path.length - 1], t.token, "route ends at the token");
            for (uint256 h; h < t.fees.length; ++h) {
                address pool = IUniswapV3Factory(uniswapFactory).getPool(t.path[h], t.path[h + 1], t.fees[h]);
                assertTrue(pool != address(0), string.concat(t.symbol, ": no pool for a hop"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // USDT paths on real pools and feeds
    // ---------------------------------------------------------------------------------------------------------------

    function test_fork_deposit_thenRedeem_withinOracleBounds() public onlyFork {
        uint256 n = tokens.length < 10 ? tokens.length : 10;
        IndexVault vault = _createVault(n);
        deal(address(usdt), alice, DEPOSIT);

        vm.startPrank(alice);
        usdt.forceApprove(address(vault), DEPOSIT);
        uint256 preview = vault.previewDeposit(DEPOSIT);
        uint256 shares = vault.deposit(DEPOSIT, alice, preview, block.timestamp);
        vm.snapshotGasLastCall("IndexVault.fork", string.concat("deposit_", vm.toString(n)));
        vm.stopPrank();

        assertGe(shares, preview, "preview promised more than the deposit delivered");
        // NAV received: the deposit less the 0.5 % mint fee, less at most the slippage bound on every leg.
        uint256 nav = vault.totalAssets();
        uint256 floor = DEPOSIT * (10_000 - 50) / 10_000 * (10_000 - FORK_MAX_SLIPPAGE_BPS) / 10_000;
        assertGe(nav, floor, "NAV below the oracle floor");
        assertLe(nav, DEPOSIT, "NAV above the deposit");

        vm.startPrank(alice);
        uint256 minAssets = vault.previewRedeem(shares);
        uint256 assets = vault.redeem(shares, alice, alice, minAssets, block.timestamp);
        vm.snapshotGasLastCall("IndexVault.fork", string.concat("redeem_", vm.toString(n)));
        vm.stopPrank();

        assertGe(assets, minAssets, "preview promised more than the redemption paid");
        assertEq(usdt.balanceOf(alice), assets);
        // Round trip: at most both fees and both slippage bounds lost.
        uint256 roundTripFloor = floor * (10_000 - 50) / 10_000 * (10_000 - FORK_MAX_SLIPPAGE_BPS) / 10_000;
        assertGe(assets, roundTripFloor, "round trip lost more than fees and slippage bounds");
    }

    function test_fork_inKind_roundTrip_needsNoOracleOrPool() public onlyFork {
        uint256 n = tokens.length < 5 ? tokens.length : 5;
        IndexVault vault = _createVault(n);
        deal(address(usdt), alice, DEPOSIT);
        vm.startPrank(alice);
        usdt.forceApprove(address(vault), DEPOSIT);
        uint256 shares = vault.deposit(DEPOSIT, alice);
        uint256[] memory out = vault.redeemInKind(shares / 2, alice, alice);
        vm.snapshotGasLastCall("IndexVault.fork", string.concat("redeemInKind_", vm.toString(n)));
        vm.stopPrank();
        for (uint256 i; i < n; ++i) {
            assertEq(IERC20(tokens[i].token).balanceOf(alice), out[i], "basket paid in kind");
        }

        // Back in kind with what it received (approving every constituent), shares for a quarter of the supply.
        uint256 back = vault.totalSupply() / 4;
        uint256[] memory needed = vault.previewDepositInKind(back);
        deal(address(usdt), alice, needed[n]); // the idle-USDT part of the basket (alice spent hers)
        vm.startPrank(alice);
        for (uint256 i; i < n; ++i) {
            IERC20(tokens[i].token).forceApprove(address(vault), needed[i]);
        }
        usdt.forceApprove(address(vault), needed[n]);
        vault.depositInKind(back, alice);
        vm.stopPrank();
        assertGt(vault.balanceOf(alice), 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    function _key(uint256 i, string memory field) internal pure returns (string memory) {
        return string.concat(".constituents[", vm.toString(i), "]", field);
    }

    function _readToken(uint256 i) internal {
        Token storage t = tokens.push();
        t.symbol = json.readString(_key(i, ".symbol"));
        t.token = json.readAddress(_key(i, ".address"));
        t.feed = json.readAddress(_key(i, ".feed"));
        t.heartbeat = uint32(json.readUint(_key(i, ".heartbeat")));
        string[] memory route = json.readStringArray(_key(i, ".route"));
        uint256[] memory fees = json.readUintArray(_key(i, ".fees"));
        for (uint256 h; h < route.length; ++h) {
            t.path.push(_addressOf(route[h]));
        }
        for (uint256 h; h < fees.length; ++h) {
            t.fees.push(uint24(fees[h]));
        }
    }

    function _addressOf(string memory symbol) internal view returns (address) {
        if (keccak256(bytes(symbol)) == keccak256("USDT")) return json.readAddress(".usdt.address");
        for (uint256 i; vm.keyExistsJson(json, _key(i, "")); ++i) {
            if (keccak256(bytes(json.readString(_key(i, ".symbol")))) == keccak256(bytes(symbol))) {
                return json.readAddress(_key(i, ".address"));
            }
        }
        revert(string.concat("unknown symbol in config route: ", symbol));
    }

    function _assertFeed(address feed, uint32 heartbeat, string memory symbol) internal view {
        (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredInRound) =
            AggregatorV3Interface(feed).latestRoundData();
        assertGt(answer, 0, string.concat(symbol, ": non-positive answer"));
        assertGe(answeredInRound, roundId, string.concat(symbol, ": incomplete round"));
        assertLe(block.timestamp - updatedAt, heartbeat, string.concat(symbol, ": stale at the pinned block"));
        assertEq(AggregatorV3Interface(feed).decimals(), 8, string.concat(symbol, ": feed decimals"));
    }

    /// @dev An equal-weight vault over the first `n` config constituents. The factory's fee-on-transfer probe needs
    ///      1e4 units of each token: bought here with USDT through the real SwapRouter along the token's route.
    function _createVault(uint256 n) internal returns (IndexVault) {
        ConstituentParams[] memory list = new ConstituentParams[](n);
        uint256[] memory probes = new uint256[](n);
        uint16[] memory weights = _equalWeights(n);
        for (uint256 i; i < n; ++i) {
            Token storage t = tokens[i];
            list[i] = ConstituentParams({
                token: t.token,
                targetWeightBps: weights[i],
                feed: t.feed,
                heartbeat: t.heartbeat,
                path: t.path,
                fees: t.fees
            });
            probes[i] = 1e4;
            _buy(t, 100e6);
            IERC20(t.token).forceApprove(address(factory), probes[i]);
        }
        VaultParams memory p;
        p.name = "Fork Index";
        p.symbol = "FIDX";
        p.admin = admin;
        p.manager = admin;
        p.keeper = admin;
        p.guardian = admin;
        p.feeRecipient = admin;
        p.mintFeeBps = 50;
        p.burnFeeBps = 50;
        p.managementFeeBps = 100;
        p.maxSlippageBps = FORK_MAX_SLIPPAGE_BPS;
        p.minDeposit = 10e6;
        p.usdtFeed = usdtFeed;
        p.usdtHeartbeat = usdtHeartbeat;
        return IndexVault(factory.createVault(p, list, probes));
    }

    /// @dev Buys `usdtIn` worth of `t` for this contract through the real SwapRouter.
    function _buy(Token storage t, uint256 usdtIn) internal {
        deal(address(usdt), address(this), usdt.balanceOf(address(this)) + usdtIn);
        usdt.forceApprove(address(router), usdtIn);
        bytes memory path = abi.encodePacked(t.path[0]);
        for (uint256 h; h < t.fees.length; ++h) {
            path = abi.encodePacked(path, t.fees[h], t.path[h + 1]);
        }
        router.exactInput(
            ISwapRouter.ExactInputParams({
                path: path, recipient: address(this), deadline: block.timestamp, amountIn: usdtIn, amountOutMinimum: 1
            })
        );
    }
}
