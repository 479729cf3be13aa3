// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EpochResult} from "../../contracts/interfaces/IIndexVaultBatch.sol";

import {BatchFixture} from "../base/BatchFixture.sol";

/// @notice Fuzzed epochs of two depositors and two redeemers of any sizes (net deposit, net redeem or balanced):
///         claims never exceed the settlement, USDT and shares are conserved, each side gets one price, holders
///         outside the batch keep their NAV per share, and each side is priced at least as well as the crossing
///         rule promises (redeemers ≥ NAV less burn fee when depositors cover them; depositors' shares worth ≥
///         their USDT less the mint fee when redeemers cover them).
contract IndexVaultBatchFuzzTest is BatchFixture {
    address internal carol = makeAddr("carol");
    address internal dave = makeAddr("dave");
    uint256 internal sharesCarol;
    uint256 internal sharesDave;

    function setUp() public override {
        super.setUp();
        _createBatchedVault(3);
        sharesCarol = _holder(carol, 20_000e6);
        sharesDave = _holder(dave, 5000e6);
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_settle_claimsBoundedAndFair(uint256 d1, uint256 d2, uint256 bpsCarol, uint256 bpsDave) public {
        d1 = bound(d1, 0, 30_000e6);
        d2 = bound(d2, 0, 3000e6);
        uint256 s1 = sharesCarol * bound(bpsCarol, 0, 10_000) / 10_000;
        uint256 s2 = sharesDave * bound(bpsDave, 0, 10_000) / 10_000;
        if (d1 != 0 && d1 < MIN_DEPOSIT) d1 = MIN_DEPOSIT;
        if (d2 != 0 && d2 < MIN_DEPOSIT) d2 = MIN_DEPOSIT;
        if (s1 != 0 && s1 < 10e18) s1 = 10e18;
        if (s2 != 0 && s2 < 10e18) s2 = 10e18;
        if (d1 + d2 == 0 && s1 + s2 == 0) d1 = 1000e6;
        if (d1 != 0) _requestDeposit(alice, d1);
        if (d2 != 0) _requestDeposit(bob, d2);
        if (s1 != 0) _requestRedeem(carol, s1);
        if (s2 != 0) _requestRedeem(dave, s2);
        uint256 d = d1 + d2;
        uint256 s = s1 + s2;
        if (s == 0 && d < MIN_DEPOSIT) return;

        _settleAndCheck(d1, d2, s1, s2);
    }

    struct Before {
        uint256 valueS;
        uint256 nav;
        uint256 seederValue;
        uint256 fees;
    }

    function _settleAndCheck(uint256 d1, uint256 d2, uint256 s1, uint256 s2) internal {
        uint256 d = d1 + d2;
        uint256 s = s1 + s2;
        Before memory b = Before({
            valueS: s == 0 ? 0 : vault.convertToAssets(s),
            nav: vault.navPerShare(),
            seederValue: vault.convertToAssets(vault.balanceOf(seeder)),
            fees: usdt.balanceOf(feeRecipient)
        });
        _settle();
        EpochResult memory r = _result(1);
        assertEq(r.depositAssets, d);
        assertEq(r.redeemShares, s);

        // Claims ≤ settled; one price per side (each claim is its pro-rata floor).
        uint256 got1 = d1 == 0 ? 0 : _claimShares(alice);
        uint256 got2 = d2 == 0 ? 0 : _claimShares(bob);
        assertLe(got1 + got2, r.sharesOut);
        if (d1 != 0) assertEq(got1, uint256(r.sharesOut) * d1 / d);
        uint256 paid1 = s1 == 0 ? 0 : _claimAssets(carol);
        uint256 paid2 = s2 == 0 ? 0 : _claimAssets(dave);
        assertLe(paid1 + paid2, r.assetsOut);
        if (s1 != 0) assertEq(paid1, uint256(r.assetsOut) * s1 / s);
        // Every participant's realised price within 1 bp (1e14 of 1e18) of its side's single epoch price.
        if (d1 != 0) assertApproxEqRel(got1 * d, uint256(r.sharesOut) * d1, 1e14);
        if (d2 != 0) assertApproxEqRel(got2 * d, uint256(r.sharesOut) * d2, 1e14);
        if (s1 != 0) assertApproxEqRel(paid1 * s, uint256(r.assetsOut) * s1, 1e14);
        if (s2 != 0) assertApproxEqRel(paid2 * s, uint256(r.assetsOut) * s2, 1e14);
        // Nothing left but claim rounding dust (at most one unit per claimant).
        assertLe(vault.balanceOf(address(batch)), 2);
        assertLe(usdt.balanceOf(address(batch)), 2);
        // Outside holders: NAV per share unchanged beyond rounding (in USDT units per share).
        assertApproxEqAbs(vault.navPerShare(), b.nav, 1);
        // The outside holder never loses beyond rounding; it may gain dust from the vault's own rounding on the net
        // trade (pro-rata amounts sold rounded down), bounded here at 1e-6 of its value.
        uint256 seederValue = vault.convertToAssets(vault.balanceOf(seeder));
        assertGe(seederValue + 2, b.seederValue);
        assertApproxEqRel(seederValue, b.seederValue, 1e12);
        if (s != 0 && d != 0) _checkCrossing(d, b, r);
    }

    /// @dev The crossing rule: the side that covers the other prices it at NAV with the vault's fee.
    function _checkCrossing(uint256 d, Before memory b, EpochResult memory r) internal view {
        uint256 afterMintFee = d - (d * MINT_FEE_BPS + 9999) / 10_000;
        if (afterMintFee >= b.valueS) {
            // Depositors cover the redeemers: redeemers get at least NAV less the burn fee.
            assertGe(r.assetsOut + 1, b.valueS - (b.valueS * BURN_FEE_BPS + 9999) / 10_000);
        } else {
            // Redeemers cover the depositors: depositors' shares worth at least their USDT less the mint fee.
            assertGe(vault.convertToAssets(r.sharesOut) + 2, afterMintFee);
        }
        assertGe(usdt.balanceOf(feeRecipient), b.fees);
    }
}
