// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {console2} from "forge-std/console2.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Vm} from "forge-std/Vm.sol";

import {IndexVault} from "../../../contracts/IndexVault.sol";
import {IIndexVault} from "../../../contracts/interfaces/IIndexVault.sol";
import {IIndexVaultComposer} from "../../../contracts/interfaces/IIndexVaultComposer.sol";
import {
    IIndexVaultRebalancer,
    RebalanceReceipt,
    DriftState
} from "../../../contracts/interfaces/IIndexVaultRebalancer.sol";
import {ConstantsLib} from "../../../contracts/libraries/ConstantsLib.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {MockUSDT} from "../../../contracts/mocks/MockUSDT.sol";
import {IndexVaultHarness} from "../../base/VaultFixture.sol";

/// @notice What the handler needs from the invariant test (which is the local market and may write feeds).
interface IInvariantMarket {
    function mintTo(address token, address to, uint256 amount) external;
    function setMarketPrice(address token, uint256 priceUsd8) external;
    function priceOf(address token) external view returns (uint256);
    function refreshFeeds() external;
}

/// @title IndexVaultHandler
/// @notice Drives an index vault through random mixes of USDT deposits/redeems, in-kind deposits/redeems, round
///         trips, price moves (feed and pool together), fee changes, pauses, the rebalancing state, stale oracles and
///         time warps, by a few actors. Every input is `_bound()`-ed. Ghost totals record each actor's value in and
///         out at oracle prices (inflows rounded up, outflows down: the actor is never flattered) and every fee or
///         round trip that broke its bound.
/// @dev With `movePrices` false, prices never move and pools are arbitraged back to the oracle after every USDT
///      operation ("unchanged prices"); fee changes keep their caps either way.
contract IndexVaultHandler is CommonBase, StdCheats, StdUtils {
    using Math for uint256;

    IndexVault public immutable vault;
    IInvariantMarket public immutable market;
    MockUSDT public immutable usdt;
    bool public immutable movePrices;
    address public immutable manager;
    address public immutable guardian;
    address public immutable feeRecipient;
    address public immutable keeper;

    address[] public actors;
    bytes[] internal _queuedFees; // fee increases queued behind the composition delay
    address[] public tokens;

    // Ghosts {USDT units at oracle}
    mapping(address actor => uint256) public ghost_valueIn;
    mapping(address actor => uint256) public ghost_valueOut;
    uint256 public ghost_feeCapBreaches;
    uint256 public ghost_roundTripProfits;
    uint256 public ghost_worstRoundTrip; // {USDT units} largest value out − in seen in a round trip (0 if none)
    uint256 public ghost_rebalances; // successful rebalance steps
    uint256 public ghost_rebalanceBreaches; // steps that raised drift or lost more than their bound
    bool public ghost_priceMoved;

    // Call summary
    mapping(bytes32 action => uint256) public calls;
    mapping(bytes32 action => uint256) public skips;
    mapping(bytes32 action => uint256) public reverts;
    bytes32[] internal _actions;

    address internal _actor;

    constructor(
        IndexVault vault_,
        IInvariantMarket market_,
        bool movePrices_,
        address[] memory actors_,
        address manager_,
        address guardian_,
        address feeRecipient_,
        address keeper_
    ) {
        vault = vault_;
        market = market_;
        usdt = MockUSDT(vault_.asset());
        movePrices = movePrices_;
        actors = actors_;
        manager = manager_;
        guardian = guardian_;
        feeRecipient = feeRecipient_;
        keeper = keeper_;
        for (uint256 i; i < vault_.constituentCount(); ++i) {
            tokens.push(vault_.constituent(i).token);
        }
        _actions = [
            // forge-lint: disable-next-line(unsafe-typecast)
            bytes32("deposit"),
            "redeem",
            "depositInKind",
            "redeemInKind",
            "roundTrip",
            "movePrice",
            "warp",
            "setFees",
            "pause",
            "rebalancing",
            "accrue",
            "rebalance"
        ];
    }

    modifier useActor(uint256 seed) {
        _actor = actors[_bound(seed, 0, actors.length - 1)];
        _;
    }

    modifier count(bytes32 action) {
        ++calls[action];
        _;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice A USDT deposit of a bounded amount.
    function deposit(uint256 actorSeed, uint256 assets) external useActor(actorSeed) count("deposit") {
        assets = _bound(assets, 10e6, 50_000e6);
        if (vault.maxDeposit(_actor) == 0) return _skip("deposit");
        _fundUsdt(_actor, assets);
        uint256 feeBefore = usdt.balanceOf(feeRecipient);
        vm.prank(_actor);
        try vault.deposit(assets, _actor) {
            ghost_valueIn[_actor] += assets;
            uint256 fee = usdt.balanceOf(feeRecipient) - feeBefore;
            if (fee > assets.mulDiv(ConstantsLib.MAX_MINT_FEE_BPS, ConstantsLib.BPS, Math.Rounding.Ceil)) {
                ++ghost_feeCapBreaches;
            }
        } catch {
            ++reverts["deposit"];
            _burnUsdt(_actor, assets);
        }
        _arbitrage();
    }

    /// @notice A USDT redeem of a bounded part of the actor's shares.
    function redeem(uint256 actorSeed, uint256 shares) external useActor(actorSeed) count("redeem") {
        uint256 balance = vault.balanceOf(_actor);
        if (balance == 0 || vault.maxRedeem(_actor) == 0) return _skip("redeem");
        shares = _bound(shares, 1, balance);
        uint256 feeBefore = usdt.balanceOf(feeRecipient);
        vm.prank(_actor);
        try vault.redeem(shares, _actor, _actor) returns (uint256 assets) {
            ghost_valueOut[_actor] += assets;
            uint256 fee = usdt.balanceOf(feeRecipient) - feeBefore;
            // fee <= (assets + fee) × cap, rounded up
            if (
                fee * (ConstantsLib.BPS - ConstantsLib.MAX_BURN_FEE_BPS)
                    > assets * ConstantsLib.MAX_BURN_FEE_BPS + ConstantsLib.BPS
            ) {
                ++ghost_feeCapBreaches;
            }
            _burnUsdt(_actor, assets);
        } catch {
            ++reverts["redeem"];
        }
        _arbitrage();
    }

    /// @notice An in-kind deposit of a bounded number of shares (the actor is funded with the exact basket).
    function depositInKind(uint256 actorSeed, uint256 shares) external useActor(actorSeed) count("depositInKind") {
        uint256 supply = vault.totalSupply();
        if (supply == 0 || vault.config().pauseFlags & ConstantsLib.PAUSE_DEPOSIT_IN_KIND != 0) {
            return _skip("depositInKind");
        }
        shares = _bound(shares, 1, supply / 2 + 1);
        uint256[] memory amounts = vault.previewDepositInKind(shares);
        _fundBasket(_actor, amounts);
        vm.prank(_actor);
        try vault.depositInKind(shares, _actor) {
            ghost_valueIn[_actor] += _basketValue(amounts, Math.Rounding.Ceil);
        } catch {
            ++reverts["depositInKind"];
        }
    }

    /// @notice An in-kind redeem of a bounded part of the actor's shares. Must never fail (invariant 3 checks all).
    function redeemInKind(uint256 actorSeed, uint256 shares) external useActor(actorSeed) count("redeemInKind") {
        uint256 balance = vault.balanceOf(_actor);
        if (balance == 0) return _skip("redeemInKind");
        shares = _bound(shares, 1, balance);
        vm.prank(_actor);
        uint256[] memory amounts = vault.redeemInKind(shares, _actor, _actor);
        ghost_valueOut[_actor] += _basketValue(amounts, Math.Rounding.Floor);
        _burnBasket(_actor, amounts);
    }

    /// @notice In one block at unchanged prices (pools arbitraged to the oracle first): deposit by one path, redeem
    ///         every minted share by one path. Invariant 1 in its per-trip form: value out ≤ value in.
    function roundTrip(uint256 actorSeed, uint256 assets, uint8 paths) external useActor(actorSeed) count("roundTrip") {
        if (vault.maxDeposit(_actor) == 0 || vault.totalSupply() == 0) return _skip("roundTrip");
        _syncPools();
        assets = _bound(assets, 10e6, 50_000e6);
        bool inKindIn = paths & 1 != 0;
        bool inKindOut = paths & 2 != 0;
        if (!inKindOut && vault.maxRedeem(_actor) == 0) return _skip("roundTrip");
        uint256 before = vault.balanceOf(_actor);
        uint256 valueIn;
        if (inKindIn) {
            uint256 shares = vault.convertToShares(assets);
            if (shares == 0) return _skip("roundTrip");
            uint256[] memory amounts = vault.previewDepositInKind(shares);
            _fundBasket(_actor, amounts);
            vm.prank(_actor);
            try vault.depositInKind(shares, _actor) {
                valueIn = _basketValue(amounts, Math.Rounding.Ceil);
            } catch {
                ++reverts["roundTrip"];
                return;
            }
        } else {
            _fundUsdt(_actor, assets);
            vm.prank(_actor);
            try vault.deposit(assets, _actor) {
                valueIn = assets;
            } catch {
                ++reverts["roundTrip"];
                _burnUsdt(_actor, assets);
                return;
            }
        }
        uint256 minted = vault.balanceOf(_actor) - before;
        uint256 valueOut;
        vm.prank(_actor);
        if (inKindOut) {
            uint256[] memory amounts = vault.redeemInKind(minted, _actor, _actor);
            valueOut = _basketValue(amounts, Math.Rounding.Floor);
            _burnBasket(_actor, amounts);
        } else {
            valueOut = vault.redeem(minted, _actor, _actor);
            _burnUsdt(_actor, valueOut);
        }
        ghost_valueIn[_actor] += valueIn;
        ghost_valueOut[_actor] += valueOut;
        if (valueOut > valueIn) {
            ++ghost_roundTripProfits;
            if (valueOut - valueIn > ghost_worstRoundTrip) ghost_worstRoundTrip = valueOut - valueIn;
        }
        _arbitrage();
    }

    /// @notice Moves one constituent's market (feed and pools) by at most ±10 %.
    function movePrice(uint256 tokenSeed, uint256 bps) external count("movePrice") {
        if (!movePrices) return _skip("movePrice");
        address token = tokens[_bound(tokenSeed, 0, tokens.length - 1)];
        bps = _bound(bps, 9000, 11_000);
        market.setMarketPrice(token, market.priceOf(token) * bps / ConstantsLib.BPS);
        ghost_priceMoved = true;
    }

    /// @notice Advances time up to two days; a quarter of the time (price-moving suite only) the feeds are left
    ///         as they were, so they may go stale and close the USDT paths until the next refresh.
    function warp(uint256 secs, uint8 staleSeed) external count("warp") {
        secs = _bound(secs, 1, 2 days);
        vm.warp(block.timestamp + secs);
        vm.roll(block.number + 1 + secs / 12);
        if (staleSeed >= 64 || !movePrices) market.refreshFeeds();
    }

    /// @notice The manager sets fees within their caps, and tries one above (which must revert).
    function setFees(uint16 mintFee, uint16 burnFee, uint16 managementFee, uint16 overBy) external count("setFees") {
        mintFee = uint16(_bound(mintFee, 0, ConstantsLib.MAX_MINT_FEE_BPS));
        burnFee = uint16(_bound(burnFee, 0, ConstantsLib.MAX_BURN_FEE_BPS));
        managementFee = uint16(_bound(managementFee, 0, ConstantsLib.MAX_MANAGEMENT_FEE_BPS));
        overBy = uint16(_bound(overBy, 1, 1000));
        // Increases wait the composition delay: apply those queued earlier that matured (time moves in `warp`),
        // then set (a decrease applies at once, an increase queues unless the same one is already queued).
        _executeMaturedFees();
        vm.startPrank(manager);
        _setFee(abi.encodeCall(IIndexVault.setMintFee, (mintFee)));
        _setFee(abi.encodeCall(IIndexVault.setBurnFee, (burnFee)));
        _setFee(abi.encodeCall(IIndexVault.setManagementFee, (managementFee)));
        try vault.setMintFee(uint16(ConstantsLib.MAX_MINT_FEE_BPS + overBy)) {
            ++ghost_feeCapBreaches;
        } catch {}
        try vault.setManagementFee(uint16(ConstantsLib.MAX_MANAGEMENT_FEE_BPS + overBy)) {
            ++ghost_feeCapBreaches;
        } catch {}
        vm.stopPrank();
    }

    /// @dev Calls a fee setter as the (pranked) manager unless the same change is already queued; remembers one queued.
    function _setFee(bytes memory data) internal {
        bytes32 id = keccak256(data);
        (uint256 eta,) = IIndexVaultComposer(address(vault)).pendingConfigChange(id);
        if (eta != 0) return;
        (bool ok, bytes memory ret) = address(vault).call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        (eta,) = IIndexVaultComposer(address(vault)).pendingConfigChange(id);
        if (eta != 0) _queuedFees.push(data);
    }

    /// @dev Executes (as the manager) every queued fee increase whose delay has passed.
    function _executeMaturedFees() internal {
        if (vault.config().rebalancing) return;
        for (uint256 k = _queuedFees.length; k > 0;) {
            --k;
            bytes memory data = _queuedFees[k];
            (uint256 eta,) = IIndexVaultComposer(address(vault)).pendingConfigChange(keccak256(data));
            if (eta > block.timestamp) continue;
            if (eta != 0) {
                vm.prank(manager);
                IIndexVaultComposer(address(vault)).executeConfigChange(data);
            }
            _queuedFees[k] = _queuedFees[_queuedFees.length - 1];
            _queuedFees.pop();
        }
    }

    /// @notice The guardian sets some pause flags (a quarter of the time) or clears them all.
    function pause(uint8 flags, uint8 mode) external count("pause") {
        vm.prank(guardian);
        if (mode < 64) vault.pause(flags);
        else vault.unpause(ConstantsLib.PAUSE_ALL);
    }

    /// @notice Enters (a quarter of the time) or leaves the rebalancing state (USDT paths closed, in-kind open).
    function rebalancing(uint8 mode) external count("rebalancing") {
        IndexVaultHarness(address(vault)).exposed_setRebalancing(mode < 64);
    }

    /// @notice Accrues the management fee and checks it against the 5 %/year cap (continuous rate −ln 0.95).
    function accrue() external count("accrue") {
        uint256 supply = vault.totalSupply();
        uint256 elapsed = block.timestamp - vault.config().lastFeeAccrual;
        uint256 minted = vault.accrueManagementFee();
        // supply × (e^(r t) − 1) ≤ supply × r t × 1.06 for r t ≤ 0.0513 × 2 days / year; r = 0.051293 / year.
        uint256 cap = supply.mulDiv(51_293 * elapsed * 106, 1e6 * ConstantsLib.YEAR * 100, Math.Rounding.Ceil);
        if (minted > cap) ++ghost_feeCapBreaches;
    }

    /// @notice The keeper runs a rebalance step. Invariant 5, checked independently of the module's own receipt at
    ///         the same block and prices: Σ|deviation| does not rise, and NAV falls by at most `maxLossBps` of NAV.
    function rebalance() external count("rebalance") {
        IIndexVaultRebalancer rb = IIndexVaultRebalancer(address(vault));
        DriftState memory before;
        try rb.driftReport() returns (DriftState memory d) {
            before = d;
        } catch {
            return _skip("rebalance"); // invalid price: nothing to judge, the step would revert too
        }
        uint256 maxLossBps = rb.rebalanceConfig().maxLossBps;
        vm.recordLogs();
        vm.prank(keeper);
        try rb.rebalance() {
            ++ghost_rebalances;
            DriftState memory after_ = rb.driftReport();
            if (after_.sumDeviationBps > before.sumDeviationBps) ++ghost_rebalanceBreaches;
            if (after_.nav + before.nav.mulDiv(maxLossBps, ConstantsLib.BPS, Math.Rounding.Ceil) < before.nav) {
                ++ghost_rebalanceBreaches;
            }
            RebalanceReceipt memory r = _lastReceipt(vm.getRecordedLogs());
            if (r.cost > r.navBefore.mulDiv(maxLossBps, ConstantsLib.BPS, Math.Rounding.Ceil)) {
                ++ghost_rebalanceBreaches;
            }
        } catch {
            ++reverts["rebalance"];
        }
        _arbitrage();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ---------------------------------------------------------------------------------------------------------------

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function tokenCount() external view returns (uint256) {
        return tokens.length;
    }

    /// @notice Logs how often each action ran, was skipped (state did not allow it) or reverted.
    function callSummary() external view {
        console2.log("-- IndexVaultHandler call summary (calls / skipped / reverted) --");
        for (uint256 k; k < _actions.length; ++k) {
            bytes32 a = _actions[k];
            console2.log(string(abi.encodePacked(a)), calls[a], skips[a], reverts[a]);
        }
        console2.log("round trips that profited", ghost_roundTripProfits);
        console2.log("fee-cap breaches", ghost_feeCapBreaches);
        console2.log("rebalance steps / breaches", ghost_rebalances, ghost_rebalanceBreaches);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    function _skip(bytes32 action) internal {
        ++skips[action];
    }

    /// @dev With fixed prices, arbitrageurs bring every pool back to the oracle after a USDT operation.
    function _arbitrage() internal {
        if (!movePrices) _syncPools();
    }

    function _syncPools() internal {
        for (uint256 i; i < tokens.length; ++i) {
            market.setMarketPrice(tokens[i], market.priceOf(tokens[i]));
        }
    }

    function _fundUsdt(address who, uint256 amount) internal {
        market.mintTo(address(usdt), who, amount);
        vm.startPrank(who);
        usdt.approve(address(vault), 0);
        usdt.approve(address(vault), amount);
        vm.stopPrank();
    }

    /// @dev Actors spend what they receive: balances are moved out so only ghost totals describe them.
    function _burnUsdt(address who, uint256 amount) internal {
        if (amount == 0) return;
        vm.prank(who);
        usdt.transfer(address(0xdead), amount);
    }

    function _fundBasket(address who, uint256[] memory amounts) internal {
        uint256 n = amounts.length - 1;
        for (uint256 i; i < n; ++i) {
            market.mintTo(tokens[i], who, amounts[i]);
            vm.prank(who);
            IERC20(tokens[i]).approve(address(vault), amounts[i]);
        }
        _fundUsdt(who, amounts[n]);
    }

    function _burnBasket(address who, uint256[] memory amounts) internal {
        uint256 n = amounts.length - 1;
        for (uint256 i; i < n; ++i) {
            if (amounts[i] == 0) continue;
            vm.prank(who);
            assert(IERC20(tokens[i]).transfer(address(0xdead), amounts[i]));
        }
        _burnUsdt(who, amounts[n]);
    }

    function _lastReceipt(Vm.Log[] memory logs) internal pure returns (RebalanceReceipt memory r) {
        bytes32 topic = IIndexVaultRebalancer.Rebalanced.selector;
        for (uint256 k = logs.length; k > 0; --k) {
            if (logs[k - 1].topics[0] == topic) return abi.decode(logs[k - 1].data, (RebalanceReceipt));
        }
    }

    /// @dev {USDT units} Value of an in-kind amounts array at the feeds' latest answers.
    function _basketValue(uint256[] memory amounts, Math.Rounding rounding) internal view returns (uint256 value) {
        uint256 n = amounts.length - 1;
        uint256 usdtPrice = market.priceOf(address(usdt));
        for (uint256 i; i < n; ++i) {
            uint256 unit = 10 ** MockERC20(tokens[i]).decimals();
            value += amounts[i].mulDiv(market.priceOf(tokens[i]) * 1e6, unit * usdtPrice, rounding);
        }
        value += amounts[n].mulDiv(1e8, usdtPrice, rounding);
    }
}
