// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IndexFactory} from "../../contracts/IndexFactory.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IndexVaultConfigurator} from "../../contracts/IndexVaultConfigurator.sol";
import {IndexVaultRebalancer} from "../../contracts/IndexVaultRebalancer.sol";
import {IIndexVaultComposer} from "../../contracts/interfaces/IIndexVaultComposer.sol";
import {IIndexVaultRebalancer} from "../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {VaultParams, ConstituentParams} from "../../contracts/interfaces/IIndexVault.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";

import {ArrayHelpers} from "./ArrayHelpers.sol";
import {BaseTest} from "./BaseTest.sol";
import {INonfungiblePositionManagerMinimal} from "./INonfungiblePositionManagerMinimal.sol";
import {IndexVaultHarness} from "../harness/IndexVaultHarness.sol";
import {QuirkyToken} from "../mocks/QuirkyToken.sol";

/// @title VaultFixture
/// @notice The vault layer on top of the shared market fixture: deploys the configurator, the `IndexVault`
///         implementation and the factory, and creates vaults over the first 1, 3, 5 or 10 constituents (or any list).
/// @dev Default parameters: mint fee 0.5 %, burn fee 0.5 %, management fee 1 %/year, max slippage 1 %, minimum
///      deposit 10 USDT. Weights are equal, the last constituent taking the remainder of 10,000.
abstract contract VaultFixture is BaseTest, ArrayHelpers {
    uint16 internal constant MINT_FEE_BPS = 50;
    uint16 internal constant BURN_FEE_BPS = 50;
    uint16 internal constant MANAGEMENT_FEE_BPS = 100;
    uint16 internal constant MAX_SLIPPAGE_BPS = 100;
    uint96 internal constant MIN_DEPOSIT = 10e6; // {USDT units}
    uint32 internal constant SEQUENCER_GRACE = 3600; // {s}

    address internal admin = makeAddr("admin");
    address internal manager = makeAddr("manager");
    address internal keeper = makeAddr("keeper");
    address internal guardian = makeAddr("guardian");
    address internal feeRecipient = makeAddr("feeRecipient");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    IndexVaultConfigurator internal configurator;
    IndexVaultRebalancer internal rebalancer;
    IndexVault internal implementation;
    IndexFactory internal factory;

    function setUp() public virtual override {
        super.setUp();
        configurator = IndexVaultConfigurator(
            _deployBuilt(
                "IndexVaultConfigurator.sol", "IndexVaultConfigurator", abi.encode(address(usdt), uniswapFactory)
            )
        );
        rebalancer = IndexVaultRebalancer(
            _deployBuilt("IndexVaultRebalancer.sol", "IndexVaultRebalancer", abi.encode(configurator))
        );
        implementation =
            IndexVault(_deployBuilt("IndexVault.sol", "IndexVault", abi.encode(configurator, address(rebalancer))));
        factory = _deployFactory(address(implementation));
        vm.label(address(configurator), "IndexVaultConfigurator");
        vm.label(address(rebalancer), "IndexVaultRebalancer");
        vm.label(address(implementation), "IndexVault implementation");
        vm.label(address(factory), "IndexFactory");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parameters
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Default vault parameters.
    function _vaultParams() internal view returns (VaultParams memory p) {
        p.name = "Index Vault";
        p.symbol = "IDX";
        p.admin = admin;
        p.manager = manager;
        p.keeper = keeper;
        p.guardian = guardian;
        p.feeRecipient = feeRecipient;
        p.mintFeeBps = MINT_FEE_BPS;
        p.burnFeeBps = BURN_FEE_BPS;
        p.managementFeeBps = MANAGEMENT_FEE_BPS;
        p.maxSlippageBps = MAX_SLIPPAGE_BPS;
        p.minDeposit = MIN_DEPOSIT;
        p.usdtFeed = address(usdtFeed);
        p.usdtHeartbeat = heartbeatOf(address(usdt));
    }

    /// @dev The first `n` constituents of the market.
    function _firstTokens(uint256 n) internal view returns (address[] memory tokens) {
        tokens = new address[](n);
        for (uint256 i; i < n; ++i) {
            tokens[i] = constituents[i];
        }
    }

    /// @dev Constituent parameters from the market's feeds, heartbeats and buy routes.
    function _constituentParams(address[] memory tokens, uint16[] memory weights)
        internal
        view
        returns (ConstituentParams[] memory list)
    {
        list = new ConstituentParams[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            (address[] memory path, uint24[] memory fees) = buyRouteOf(tokens[i]);
            list[i] = ConstituentParams({
                token: tokens[i],
                targetWeightBps: weights[i],
                feed: address(feedOf(tokens[i])),
                heartbeat: heartbeatOf(tokens[i]),
                path: path,
                fees: fees
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Vault creation
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev A vault over the first `n` constituents with equal weights and default parameters.
    /// @dev An IndexFactory over `implementation_`, from the audited build (see `_deployBuilt`).
    function _deployFactory(address implementation_) internal returns (IndexFactory) {
        return IndexFactory(_deployBuilt("IndexFactory.sol", "IndexFactory", abi.encode(implementation_)));
    }

    /// @dev A factory whose implementation is an IndexVaultHarness (rebalancing switch exposed) over this fixture's
    ///      configurator and rebalancer, from the audited-settings build (see `_deployBuilt`).
    function _deployHarnessFactory() internal returns (IndexFactory) {
        return _deployFactory(
            _deployBuilt("IndexVaultHarness.sol", "IndexVaultHarness", abi.encode(configurator, address(rebalancer)))
        );
    }

    function _createVault(uint256 n) internal returns (IndexVault) {
        return _createVault(_vaultParams(), _constituentParams(_firstTokens(n), _equalWeights(n)));
    }

    /// @dev A harness vault (rebalancing switch exposed) over the first `n` constituents, from its own factory.
    function _createHarnessVault(uint256 n) internal returns (IndexVaultHarness vault) {
        IndexFactory harnessFactory = _deployHarnessFactory();
        IndexFactory defaultFactory = factory;
        factory = harnessFactory;
        vault = IndexVaultHarness(address(_createVault(n)));
        factory = defaultFactory;
    }

    /// @dev Creates a vault through the factory, funding and approving the fee-on-transfer probes.
    function _createVault(VaultParams memory params, ConstituentParams[] memory list) internal returns (IndexVault) {
        uint256[] memory probes = _fundProbes(list);
        return IndexVault(factory.createVault(params, list, probes));
    }

    /// @dev Mints and approves a 1e4-unit probe of each constituent for the factory.
    function _fundProbes(ConstituentParams[] memory list) internal returns (uint256[] memory probes) {
        probes = new uint256[](list.length);
        for (uint256 i; i < list.length; ++i) {
            probes[i] = 1e4;
            _mintAny(list[i].token, address(this), probes[i]);
            MockERC20(list[i].token).approve(address(factory), probes[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // User actions
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Funds `user` with `assets` USDT, approves the vault and deposits for `user`.
    function _deposit(IndexVault vault, address user, uint256 assets) internal returns (uint256 shares) {
        _fundUsdt(vault, user, assets);
        vm.prank(user);
        shares = vault.deposit(assets, user);
    }

    /// @dev Mints `assets` USDT to `user` and approves the vault for exactly that (USDT: approve from zero).
    function _fundUsdt(IndexVault vault, address user, uint256 assets) internal {
        mintTo(address(usdt), user, assets);
        vm.startPrank(user);
        usdt.approve(address(vault), 0);
        usdt.approve(address(vault), assets);
        vm.stopPrank();
    }

    /// @dev Funds `user` with the pro-rata basket for `shares` and approves the vault for each token.
    function _fundInKind(IndexVault vault, address user, uint256 shares) internal returns (uint256[] memory amounts) {
        amounts = vault.previewDepositInKind(shares);
        uint256 n = amounts.length - 1;
        for (uint256 i; i <= n; ++i) {
            address token = i == n ? address(usdt) : vault.constituent(i).token;
            _mintAny(token, user, amounts[i]);
            vm.startPrank(user);
            if (token == address(usdt)) {
                usdt.approve(address(vault), 0);
                usdt.approve(address(vault), amounts[i]);
            } else {
                IERC20(token).approve(address(vault), amounts[i]);
            }
            vm.stopPrank();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Custom tokens
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Deploys a QuirkyToken with a USD feed (8 decimals) and a USDT pool (0.3 %) with full-range liquidity worth
    ///      `usdPerSide` USD on each side at the feed price. The feed's heartbeat is one hour.
    function _listQuirkyToken(uint8 decimals, uint256 priceUsd8, uint256 usdPerSide)
        internal
        returns (QuirkyToken token, MockAggregator feed)
    {
        token = new QuirkyToken(decimals);
        feed = new MockAggregator(8, "QRK / USD", int256(priceUsd8));
        vm.label(address(token), "QRK");
        (address token0, address token1) =
            address(token) < address(usdt) ? (address(token), address(usdt)) : (address(usdt), address(token));
        (uint256 price0, uint256 price1) =
            token0 == address(token) ? (priceUsd8, uint256(1e8)) : (uint256(1e8), priceUsd8);
        uint160 sqrtPriceX96 = priceMover.sqrtPriceX96FromPrices(
            price0, MockERC20(token0).decimals(), price1, MockERC20(token1).decimals()
        );
        INonfungiblePositionManagerMinimal(positionManager)
            .createAndInitializePoolIfNecessary(token0, token1, 3000, sqrtPriceX96);
        if (usdPerSide == 0) return (token, feed);
        uint256 amountToken = usdPerSide * 1e8 * 10 ** decimals / priceUsd8;
        uint256 amountUsdt = usdPerSide * 1e6;
        token.mint(address(this), amountToken);
        usdt.mint(address(this), amountUsdt);
        token.approve(positionManager, type(uint256).max);
        usdt.approve(positionManager, 0);
        usdt.approve(positionManager, type(uint256).max);
        int24 full = 887_220; // MAX_TICK rounded down to the 0.3 % tier's spacing (60)
        INonfungiblePositionManagerMinimal(positionManager)
            .mint(
                INonfungiblePositionManagerMinimal.MintParams({
                token0: token0,
                token1: token1,
                fee: 3000,
                tickLower: -full,
                tickUpper: full,
                amount0Desired: token0 == address(token) ? amountToken : amountUsdt,
                amount1Desired: token0 == address(token) ? amountUsdt : amountToken,
                amount0Min: 0,
                amount1Min: 0,
                recipient: address(this),
                deadline: block.timestamp
            })
            );
    }

    /// @dev Parameters of a constituent listed with `_listQuirkyToken` (route USDT → token at 0.3 %).
    function _quirkyParams(QuirkyToken token, MockAggregator feed, uint16 weightBps)
        internal
        view
        returns (ConstituentParams memory p)
    {
        address[] memory path = new address[](2);
        path[0] = address(usdt);
        path[1] = address(token);
        uint24[] memory fees = new uint24[](1);
        fees[0] = 3000;
        p = ConstituentParams(address(token), weightBps, address(feed), 3600, path, fees);
    }

    /// @dev Mints any token: market tokens through the fixture, others (QuirkyToken) through their `mint`.
    function _mintAny(address token, address to, uint256 amount) internal {
        if (token == address(usdt) || address(_feeds[token]) != address(0)) mintTo(token, to, amount);
        else MockERC20(token).mint(to, amount);
    }

    /// @dev Re-stamps every feed (constituents and USDT) at the current timestamp with its current answer, so that
    ///      tests warping time keep valid prices.
    function _refreshFeeds() internal {
        for (uint256 i; i < constituents.length; ++i) {
            feedOf(constituents[i]).setPrice(int256(priceOf(constituents[i])));
        }
        usdtFeed.setPrice(int256(priceOf(address(usdt))));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Delayed configuration (feeds, routes, slippage widening, fee increases wait the composition delay)
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev As the manager, calls the setter encoded in `data` on `v` (a value-moving one queues the change).
    function _proposeConfig(IndexVault v, bytes memory data) internal {
        vm.prank(manager);
        (bool ok, bytes memory ret) = address(v).call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    /// @dev Moves time past `v`'s composition delay and re-stamps the fixture's feeds.
    function _waitConfigDelay(IndexVault v) internal {
        uint256 delay = IIndexVaultRebalancer(address(v)).rebalanceConfig().compositionDelay;
        vm.warp(block.timestamp + delay);
        vm.roll(block.number + delay / 12 + 1);
        _refreshFeeds();
    }

    /// @dev As the manager, executes the matured change queued by `data`.
    function _executeConfig(IndexVault v, bytes memory data) internal {
        vm.prank(manager);
        IIndexVaultComposer(address(v)).executeConfigChange(data);
    }

    /// @dev Proposes, waits the delay and executes a value-moving setter (the path every such change now takes).
    function _setDelayed(IndexVault v, bytes memory data) internal {
        _proposeConfig(v, data);
        _waitConfigDelay(v);
        _executeConfig(v, data);
    }
}
