// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {DriftLib} from "./DriftLib.sol";

/// @title RebalancePlanLib
/// @notice Pure planning of the trades that bring a basket back to its target weights.
/// @dev Units (see DriftLib): values, amounts, caps and dust are {value}, one value unit of the caller's choice (the
///      vault passes {USDT units}); targets are {bps} summing to 10,000.
///      Every trade goes through USDT: a sell turns constituent value into USDT, a buy turns USDT into constituent
///      value. All amounts are valued at oracle prices; the vault converts them to token amounts and bounds slippage.
///
///      Rebalance plan (`plan`), one call:
///        nav        = Σ values + idle                                  {value}
///        wanted[i]  = targets[i] × nav / BPS (rounded down)             {value}
///        excess[i]  = max(values[i] − wanted[i], 0)  → candidate sell  min(excess, cap), kept if ≥ dust
///        short[i]   = max(wanted[i] − values[i], 0)  → candidate buy   min(short,  cap), kept if ≥ dust
///        funding    = Σ candidate sells + idle
///        buys       = candidate buys, scaled down pro rata (plus a top-up pass) if they exceed `funding`
///        sells      = only as much as the buys need beyond idle USDT (pro rata over candidate sells)
///      Without a cap and dust this is the minimal-turnover rebalance: Σ sells = Σ excess, Σ buys = Σ short, i.e.
///      turnover = ½ Σ|deviation| (idle USDT counted as a position with target 0), and the basket lands on target up
///      to wei rounding. Every sell is ≤ the constituent's excess and every buy ≤ its shortfall, so no position ever
///      crosses its (rounded-down) target: each |deviation| is non-increasing and Σ|deviation| falls by 2 × Σ buys
///      (a sell may end < 1 wei below the exact rational target; that is the only rounding).
///      Buys never exceed sells + idle. Sells exceed what the buys need by at most dust + 1 wei per constituent
///      (rounding up so the buys are always funded); that USDT stays idle for the next call.
library RebalancePlanLib {
    /// @notice Thrown when a redemption asks for more value than the constituents hold.
    error RebalancePlanLib__RedemptionExceedsHoldings(uint256 amount, uint256 holdings);

    /// @notice One rebalance step.
    struct Plan {
        uint256[] sells; // {value} per constituent: value to sell into USDT
        uint256[] buys; // {value} per constituent: value to buy with USDT
        uint256 totalSell; // {value} Σ sells
        uint256 totalBuy; // {value} Σ buys; always ≤ totalSell + idle
        uint256 nav; // {value} Σ values + idle, the NAV the targets were applied to
        bool complete; // true when calling `plan` again on the post-trade state would plan nothing
    }

    /// @notice Plans the minimal trades that move the basket towards its targets.
    /// @dev Pure and allocation-light: O(n) memory words, O(n) loops. Reverts on malformed targets (DriftLib errors).
    ///      Execute the sells first, then scale the buys by (USDT actually received + idle) / (totalSell + idle) if the
    ///      swaps returned less than valued. If `maxTrade` is below `dust` nothing can ever trade; validate upstream.
    /// @param values {value} per-constituent values (balance × oracle price)
    /// @param targetsBps {bps} target weights, summing to 10,000
    /// @param idle {value} USDT held by the vault (part of NAV, target 0: deployed into underweights)
    /// @param maxTrade {value} largest sell or buy per constituent in this call; 0 = no cap
    /// @param dust {value} trades smaller than this are skipped; 0 = skip only zero trades
    /// @return p the trades of this step (see `Plan`)
    function plan(uint256[] memory values, uint256[] memory targetsBps, uint256 idle, uint256 maxTrade, uint256 dust)
        internal
        pure
        returns (Plan memory p)
    {
        uint256 n = values.length;
        DriftLib.validateTargets(targetsBps, n);
        uint256 nav = DriftLib.sum(values) + idle;
        p.nav = nav;
        p.sells = new uint256[](n);
        if (nav == 0) {
            p.buys = new uint256[](n);
            p.complete = true;
            return p;
        }
        uint256 cap = maxTrade == 0 ? type(uint256).max : maxTrade; // {value}
        uint256 minTrade = dust == 0 ? 1 : dust; // {value}
        {
            // 1. Candidate trades: capped excess (into p.sells) and capped shortfall (into `room`).
            (uint256[] memory room, uint256 sellable, uint256 buyable) =
                _candidates(values, targetsBps, nav, cap, minTrade, p.sells);
            // 2. Buys and sells of this step.
            _settle(p, room, sellable, buyable, idle, dust, minTrade);
        }
        p.complete = _isComplete(values, targetsBps, idle, p, cap, minTrade);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal helpers
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Candidate trades of one step: sells[i] = min(excess, cap) and room[i] = min(shortfall, cap), each kept
    ///      only if ≥ minTrade.
    /// @param values {value}
    /// @param targetsBps {bps}
    /// @param nav {value} Σ values + idle
    /// @param cap {value} per-constituent trade cap (type(uint256).max = none)
    /// @param minTrade {value} smallest trade, ≥ 1
    /// @param sells {value} zeroed array, filled with candidate sells
    /// @return room {value} candidate buys
    /// @return sellable {value} Σ candidate sells
    /// @return buyable {value} Σ candidate buys
    function _candidates(
        uint256[] memory values,
        uint256[] memory targetsBps,
        uint256 nav,
        uint256 cap,
        uint256 minTrade,
        uint256[] memory sells
    ) private pure returns (uint256[] memory room, uint256 sellable, uint256 buyable) {
        uint256 n = values.length;
        room = new uint256[](n);
        for (uint256 i; i < n;) {
            uint256 wanted = targetsBps[i] * nav / DriftLib.BPS; // {value}
            uint256 v = values[i];
            if (v > wanted) {
                // Safe: v > wanted.
                uint256 s = Math.min(_uncheckedSub(v, wanted), cap);
                if (s >= minTrade) {
                    sells[i] = s;
                    sellable += s;
                }
            } else {
                // Safe: wanted ≥ v.
                uint256 b = Math.min(_uncheckedSub(wanted, v), cap);
                if (b >= minTrade) {
                    room[i] = b;
                    buyable += b;
                }
            }
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
    }

    /// @dev Turns candidates into the step's trades. Buys: all candidates if sells + idle can pay for them, otherwise
    ///      `_fundBuys`. Sells: only what the buys need beyond idle USDT; the full candidates when the USDT this would
    ///      leave idle is ≤ dust (+ n wei of target rounding), else scaled down by `_scaleSells`.
    function _settle(
        Plan memory p,
        uint256[] memory room,
        uint256 sellable,
        uint256 buyable,
        uint256 idle,
        uint256 dust,
        uint256 minTrade
    ) private pure {
        uint256 funding = sellable + idle; // {value}
        if (buyable <= funding) {
            p.buys = room;
            p.totalBuy = buyable;
        } else {
            (p.buys, p.totalBuy) = _fundBuys(room, buyable, funding, minTrade);
        }
        uint256 need = p.totalBuy > idle ? p.totalBuy - idle : 0; // {value}
        // Safe: totalBuy ≤ funding in both branches above.
        uint256 surplus = _uncheckedSub(funding, p.totalBuy); // {value} left idle if every candidate sells
        if (need == 0) {
            _zero(p.sells);
        } else if (surplus <= dust + room.length) {
            p.totalSell = sellable;
        } else {
            p.totalSell = _scaleSells(p.sells, sellable, need, minTrade);
        }
    }

    /// @dev Buys when candidates exceed funding: pro rata (rounded down), drop those under `minTrade`, then hand the
    ///      remainder to candidates in index order (only where the result reaches `minTrade`). If funding ≥ minTrade
    ///      at least one buy is made, so repeated calls always progress.
    /// @param room {value} candidate buys (each 0 or ≥ minTrade)
    /// @param buyable {value} Σ room, > funding
    /// @param funding {value} USDT available
    /// @return buys {value} per constituent, buys[i] ≤ room[i]
    /// @return total {value} Σ buys ≤ funding
    function _fundBuys(uint256[] memory room, uint256 buyable, uint256 funding, uint256 minTrade)
        private
        pure
        returns (uint256[] memory buys, uint256 total)
    {
        uint256 n = room.length;
        buys = new uint256[](n);
        for (uint256 i; i < n;) {
            uint256 r = room[i];
            if (r != 0) {
                uint256 b = r * funding / buyable; // ≤ r because funding < buyable
                if (b >= minTrade) {
                    buys[i] = b;
                    total += b;
                }
            }
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
        // Safe: Σ floor(r·funding/buyable) ≤ funding.
        uint256 left = _uncheckedSub(funding, total);
        for (uint256 i; i < n && left != 0;) {
            uint256 r = room[i];
            uint256 b = buys[i];
            if (r > b) {
                // Safe: r > b.
                uint256 add = Math.min(_uncheckedSub(r, b), left);
                if (b + add >= minTrade) {
                    buys[i] = b + add;
                    // Safe: add ≤ left, and total + left == funding.
                    unchecked {
                        total += add;
                        left -= add;
                    }
                }
            }
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
    }

    /// @dev Scales candidate sells in place so that Σ sells ≥ need: each becomes ceil(s·need/sellable) raised to
    ///      `minTrade`, never above s. Σ sells − need ≤ (minTrade + 1) × number of sells.
    /// @param sells {value} candidate sells (each 0 or ≥ minTrade), overwritten
    /// @param sellable {value} Σ sells
    /// @param need {value} 0 < need ≤ sellable
    /// @return total {value} Σ scaled sells
    function _scaleSells(uint256[] memory sells, uint256 sellable, uint256 need, uint256 minTrade)
        private
        pure
        returns (uint256 total)
    {
        uint256 n = sells.length;
        for (uint256 i; i < n;) {
            uint256 s = sells[i];
            if (s != 0) {
                // ≤ s because need ≤ sellable; minTrade ≤ s because candidates below minTrade were dropped.
                uint256 x = Math.max(Math.mulDiv(s, need, sellable, Math.Rounding.Ceil), minTrade);
                if (x > s) x = s;
                sells[i] = x;
                total += x;
            }
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
    }

    /// @dev True when `plan` on the post-trade state (values − sells + buys, idle + Σ sells − Σ buys) would plan
    ///      nothing. That happens exactly when no constituent has a capped shortfall ≥ minTrade, or when the USDT
    ///      such a call could raise (capped excesses ≥ minTrade, plus idle) is below minTrade.
    function _isComplete(
        uint256[] memory values,
        uint256[] memory targetsBps,
        uint256 idle,
        Plan memory p,
        uint256 cap,
        uint256 minTrade
    ) private pure returns (bool) {
        uint256 n = values.length;
        uint256 nav = p.nav;
        // {value} USDT after the trades. Σ sells + idle ≥ Σ buys by construction.
        uint256 fundingAfter = idle + p.totalSell - p.totalBuy;
        bool shortLeft;
        for (uint256 i; i < n;) {
            uint256 wanted = targetsBps[i] * nav / DriftLib.BPS;
            // sells[i] ≤ excess ≤ values[i], so this cannot underflow (checked anyway).
            uint256 v = values[i] - p.sells[i] + p.buys[i];
            if (v > wanted) {
                // Safe: v > wanted.
                uint256 s = Math.min(_uncheckedSub(v, wanted), cap);
                if (s >= minTrade) fundingAfter += s;
            } else if (Math.min(_uncheckedSub(wanted, v), cap) >= minTrade) {
                // Safe: wanted ≥ v.
                shortLeft = true;
            }
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
        return !shortLeft || fundingAfter < minTrade;
    }

    /// @dev Sets every entry to zero.
    function _zero(uint256[] memory a) private pure {
        uint256 n = a.length;
        for (uint256 i; i < n;) {
            a[i] = 0;
            // Safe: i < n.
            unchecked {
                ++i;
            }
        }
    }

    /// @dev a − b without the overflow check; callers guarantee a ≥ b (each call site says why).
    function _uncheckedSub(uint256 a, uint256 b) private pure returns (uint256 c) {
        unchecked {
            c = a - b;
        }
    }
}
