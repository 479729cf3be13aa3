// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IIndexVault} from "./interfaces/IIndexVault.sol";
import {ConstantsLib} from "./libraries/ConstantsLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {ConstituentTableLib} from "./libraries/ConstituentTableLib.sol";
import {UniswapV3SwapLib} from "./libraries/UniswapV3SwapLib.sol";
import {VaultStorageLib} from "./libraries/VaultStorageLib.sol";

/// @title IndexVaultBase
/// @notice The internals shared by `IndexVault` and the modules that run inside it by DELEGATECALL
///         (`IndexVaultRebalancer`): oracle snapshot, valuation, balances held for holders, route swaps, the
///         rebalancing switch. Written once here so the vault and its modules cannot disagree on any of them.
/// @dev No storage variables: state lives in the `VaultStorageLib` namespace; USDT and its decimals are immutables of
///      each inheriting contract (identical for a vault and its modules, which are built from the same USDT).
abstract contract IndexVaultBase {
    /// @dev The asset, as IERC20 (ERC4626 keeps its own private copy).
    IERC20 internal immutable _USDT;

    /// @dev Decimals of USDT (≤ 18).
    uint8 internal immutable _USDT_DECIMALS;

    /// @dev {USDT units} One cent: the absolute part of every swap leg's rounding tolerance (see `SwapFloorLib`).
    uint256 internal immutable _SWAP_DUST;

    /// @dev Chainlink prices and holdings at one moment, shared by every step of a USDT path.
    struct Snapshot {
        uint256 usdtPrice; // D18{USD/USDT}
        uint256 idle; // {USDT units} USDT held for holders
        uint256[] prices; // D18{USD/tok}
        uint256[] balances; // {tok units} held for holders
        bytes table; // the constituent table (tokens, feeds, routes, decimals, targets), read once: ConstituentTableLib
        // value{USDT units} = amount{tok units} × valueNum[i] / valueDen[i]: OracleLib.toUsdt's factors, computed once
        uint256[] valueNum; // D18{USD/tok} × 10^usdtDecimals
        uint256[] valueDen; // D18{USD/USDT} × 10^tokenDecimals
        uint80[] roundIds; // each price's Chainlink round: recorded by the rebalancer only (`_readPriceAt`), else empty
    }

    /// @param usdt The asset; reverts `IndexVault__UnsupportedToken` unless it reports at most 18 decimals.
    constructor(IERC20 usdt) {
        (bool ok, uint8 usdtDecimals) = SafeERC20.tryGetDecimals(usdt);
        if (!ok || usdtDecimals > ConstantsLib.MAX_DECIMALS) {
            revert IIndexVault.IndexVault__UnsupportedToken(address(usdt));
        }
        _USDT = usdt;
        _USDT_DECIMALS = usdtDecimals;
        _SWAP_DUST = 10 ** usdtDecimals / ConstantsLib.SWAP_DUST_DIVISOR;
    }

    /// @dev Validated prices (sequencer, USDT/USD, every constituent) and holdings. Reverts on any invalid price.
    ///      The constituents' configuration comes from the constituent table (one account access for all of them).
    function _snapshot() internal view returns (Snapshot memory s) {
        {
            VaultStorageLib.OracleConfig memory o = _s().oracle;
            if (o.hasSequencerFeed) OracleLib.checkSequencer(_s().sequencerFeed, o.sequencerGracePeriod);
            s.usdtPrice = OracleLib.readPrice(o.usdtFeed, o.usdtHeartbeat, o.usdtFeedDecimals);
        }
        s.table = ConstituentTableLib.read(_s().constituentTable);
        uint256 n = ConstituentTableLib.count(s.table);
        s.prices = new uint256[](n);
        s.balances = new uint256[](n);
        s.valueNum = new uint256[](n);
        s.valueDen = new uint256[](n);
        uint256 usdtScale = OracleLib.pow10(_USDT_DECIMALS);
        bool anyDeferred = _s().params.deferredTokenCount != 0; // one read for every balance below
        for (uint256 i; i < n; ++i) {
            (address token,, uint8 tokenDecimals, uint8 feedDecimals, uint256 heartbeat,) =
                ConstituentTableLib.head(s.table, i);
            _readPriceAt(s, i, heartbeat, feedDecimals);
            s.balances[i] = _heldFor(token, anyDeferred);
            s.valueNum[i] = s.prices[i] * usdtScale;
            s.valueDen[i] = s.usdtPrice * OracleLib.pow10(tokenDecimals);
        }
        s.idle = _heldFor(address(_USDT), anyDeferred);
    }

    /// @dev Reads constituent `i`'s validated price into `s.prices[i]` (called in index order by `_snapshot`). The
    ///      rebalancer overrides it to record each price's round as well, for its trade receipts.
    function _readPriceAt(Snapshot memory s, uint256 i, uint256 heartbeat, uint8 feedDecimals) internal view virtual {
        s.prices[i] = OracleLib.readPrice(ConstituentTableLib.feedOf(s.table, i), heartbeat, feedDecimals);
    }

    /// @dev {bps} Constituent `i`'s target weight, from the snapshot's constituent table (only the rebalancer and a
    ///      first deposit need targets, so the snapshot does not carry them).
    function _targetOf(Snapshot memory s, uint256 i) internal pure returns (uint256 targetWeightBps) {
        (, targetWeightBps,,,,) = ConstituentTableLib.head(s.table, i);
    }

    /// @dev {bps} Every constituent's target weight (`_targetOf`).
    function _targets(Snapshot memory s) internal pure returns (uint256[] memory targets) {
        uint256 n = s.balances.length;
        targets = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            targets[i] = _targetOf(s, i);
        }
    }

    /// @dev Each constituent's Chainlink value at the snapshot (the hook for rebalancing). {USDT units}
    function _constituentValues(Snapshot memory s, Math.Rounding rounding)
        internal
        view
        returns (uint256[] memory values)
    {
        uint256 n = s.balances.length;
        values = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            values[i] = _value(i, s.balances[i], s, rounding);
        }
    }

    /// @dev NAV: Σ constituent values + idle USDT. {USDT units}
    function _nav(Snapshot memory s, Math.Rounding rounding) internal pure returns (uint256 nav) {
        nav = s.idle;
        for (uint256 i; i < s.balances.length; ++i) {
            nav += _value(i, s.balances[i], s, rounding);
        }
    }

    /// @dev One pass for a deposit: NAV rounded up (each value rounded up, as `_nav(s, Ceil)`) and each constituent's
    ///      value rounded down (as `_constituentValues(s, Floor)`). {USDT units}
    function _navCeilAndValues(Snapshot memory s) internal pure returns (uint256 navCeil, uint256[] memory values) {
        uint256 n = s.balances.length;
        values = new uint256[](n);
        navCeil = s.idle;
        for (uint256 i; i < n; ++i) {
            (uint256 amount, uint256 num, uint256 den) = (s.balances[i], s.valueNum[i], s.valueDen[i]);
            uint256 v = Math.mulDiv(amount, num, den);
            values[i] = v;
            navCeil += mulmod(amount, num, den) == 0 ? v : v + 1;
        }
    }

    /// @dev Value of `amount` of constituent `i` at the snapshot's prices (`OracleLib.toUsdt`). {USDT units}
    function _value(uint256 i, uint256 amount, Snapshot memory s, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(amount, s.valueNum[i], s.valueDen[i], rounding);
    }

    /// @dev Amount of constituent `i` worth `value` at the snapshot's prices (`OracleLib.fromUsdt`). {tok units}
    function _amountWorth(uint256 i, uint256 value, Snapshot memory s, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(value, s.valueDen[i], s.valueNum[i], rounding);
    }

    /// @dev Balance held for shareholders: the vault's balance less amounts deferred to in-kind redeemers.
    function _held(address token) internal view returns (uint256 balance) {
        return _heldFor(token, _s().params.deferredTokenCount != 0);
    }

    /// @dev `_held` with `deferredTokenCount != 0` read once by the caller (it cannot change within one operation:
    ///      only in-kind redemptions and claims, which hold the lock, change it).
    function _heldFor(address token, bool anyDeferred) internal view returns (uint256 balance) {
        uint256 held;
        // `IERC20(token).balanceOf(address(this))` in scratch space (it runs for every constituent of every USDT
        // path): a failing call bubbles its revert, a short answer reverts empty, as the high-level call would.
        assembly ("memory-safe") {
            mstore(0x00, shl(224, 0x70a08231)) // balanceOf(address)
            mstore(0x04, address())
            // `token` masked: Solidity may leave the upper bits of an address dirty in assembly
            let ok := staticcall(gas(), and(token, 0xffffffffffffffffffffffffffffffffffffffff), 0x00, 0x24, 0x00, 0x20)
            if iszero(ok) {
                let ptr := mload(0x40)
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x20) { revert(0, 0) }
            held := mload(0x00)
        }
        balance = held;
        if (anyDeferred) {
            uint256 deferred = _s().totalDeferred[token];
            balance = balance > deferred ? balance - deferred : 0;
        }
    }

    /// @notice Swaps exactly `amountIn` through constituent `i`'s route and checks the route's final output.
    /// @dev The hook for rebalancing. Buying walks the hops from USDT to the token; selling walks them backwards.
    ///      The route comes from the snapshot's constituent table.
    /// @param s The snapshot holding the constituent table.
    /// @param i The constituent's index.
    /// @param buy True: USDT → token; false: token → USDT.
    /// @param amountIn {tokIn units} Exact input, > 0.
    /// @param minOut {tokOut units} Reverts `IndexVault__SwapOutputTooLow` below this.
    /// @return amountOut {tokOut units} Output of the last hop.
    function _swapExactIn(Snapshot memory s, uint256 i, bool buy, uint256 amountIn, uint256 minOut)
        internal
        returns (uint256 amountOut)
    {
        (address token,,,,, uint256 hops) = ConstituentTableLib.head(s.table, i);
        address tokenIn = buy ? address(_USDT) : token;
        amountOut = amountIn;
        for (uint256 k; k < hops; ++k) {
            uint256 h = buy ? k : hops - 1 - k;
            (address pool, bool zeroForOne) = ConstituentTableLib.hop(s.table, i, h);
            amountOut = UniswapV3SwapLib.swapExactIn(pool, buy == zeroForOne, tokenIn, amountOut);
            if (k + 1 < hops) tokenIn = ConstituentTableLib.via(s.table, i, buy ? h : h - 1);
        }
        if (amountOut < minOut) {
            revert IIndexVault.IndexVault__SwapOutputTooLow(buy ? token : address(_USDT), amountOut, minOut);
        }
    }

    /// @dev Marks a multi-step rebalance as in flight (USDT deposit and redeem then revert) or finished.
    function _setRebalancing(bool rebalancing) internal {
        _s().params.rebalancing = rebalancing;
        emit IIndexVault.RebalancingSet(rebalancing);
    }

    /// @dev The vault's state (ERC-7201 namespace).
    function _s() internal pure returns (VaultStorageLib.Layout storage) {
        return VaultStorageLib.layout();
    }
}
