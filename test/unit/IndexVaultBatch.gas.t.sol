// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console2} from "forge-std/console2.sol";

import {BatchFixture, settleAndClaimCalls} from "../base/BatchFixture.sol";

/// @notice Per-user gas of the batch on a 10-constituent vault (snapshots/IndexVaultBatch.json): every request, the
///         keeper's settlement and the operator's batched claims are whole transactions (isolated), each counted
///         as forge reports an isolated top-level call: 21,000 intrinsic + calldata + execution, after refunds.
/// @dev Per user, all in = mean request + settlement ÷ users + batched claim ÷ users. First-time users have never
///      requested (their account slot, and for depositors their share balance, are fresh writes); returning users did
///      one full epoch before (and hold shares). One-time setup (USDT approval to the batch, `setOperator(keeper)`)
///      is reported separately. Balanced: half deposit, half redeem; the net is below the vault's minimum deposit
///      (`_net` crosses everything, no Uniswap volume), or exactly 1 % of gross (a vault deposit of the net).
///      `bundled_*` rows: the keeper settles and pushes every claim in one transaction (`multicall`), recorded as
///      `_settleAndClaims`; the other rows send the settlement and each side's claims as separate transactions.
contract IndexVaultBatchGasTest is BatchFixture {
    uint256 internal constant AMOUNT = 1000e6; // {USDT units} per depositor

    struct Row {
        uint256 request; // mean per request
        uint256 settle;
        uint256 claim; // the operator's batched claim transaction(s), total
        uint256 perUser; // all in
    }

    function setUp() public override {
        super.setUp();
        _createBatchedVault(10);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_firstTime_1() public {
        _deposits(1, false, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_firstTime_5() public {
        _deposits(5, false, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_firstTime_20() public {
        _deposits(20, false, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_firstTime_50() public {
        _deposits(50, false, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_returning_1() public {
        _deposits(1, true, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_returning_5() public {
        _deposits(5, true, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_returning_20() public {
        _deposits(20, true, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_deposits_returning_50() public {
        _deposits(50, true, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_balanced_returning_20() public {
        _balanced(20, 0, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_balanced_net1pct_returning_20() public {
        _balanced(20, 100, false);
    }

    /// forge-config: default.isolate = true
    function test_gas_bundled_deposits_returning_20() public {
        _deposits(20, true, true);
    }

    /// forge-config: default.isolate = true
    function test_gas_bundled_deposits_returning_50() public {
        _deposits(50, true, true);
    }

    /// forge-config: default.isolate = true
    function test_gas_bundled_balanced_returning_20() public {
        _balanced(20, 0, true);
    }

    /// forge-config: default.isolate = true
    function test_gas_bundled_balanced_net1pct_returning_20() public {
        _balanced(20, 100, true);
    }

    /// forge-config: default.isolate = true
    function test_gas_oneTimeSetup() public {
        address u = _user(0);
        mintTo(address(usdt), u, AMOUNT);
        vm.prank(u);
        usdt.approve(address(batch), type(uint256).max);
        uint256 approveGas = _lastTx(abi.encodeCall(usdt.approve, (address(batch), type(uint256).max)));
        vm.prank(u);
        batch.setOperator(keeper, true);
        uint256 operatorGas = _lastTx(abi.encodeCall(batch.setOperator, (keeper, true)));
        vm.snapshotValue("IndexVaultBatch", "setup_approveUsdt", approveGas);
        vm.snapshotValue("IndexVaultBatch", "setup_setOperator", operatorGas);
        // A user claiming alone (own transaction), for comparison with the operator's batched claim.
        vm.prank(u);
        batch.requestDeposit(AMOUNT, u, u);
        _settle();
        vm.prank(u);
        batch.deposit(AMOUNT, u, u);
        vm.snapshotValue(
            "IndexVaultBatch",
            "claim_alone_firstTime",
            _lastTx(abi.encodeWithSignature("deposit(uint256,address,address)", AMOUNT, u, u))
        );
    }

    /// @dev Pins what `gasTotalUsed` means under isolation: a state-changing top-level call reports the 21,000
    ///      intrinsic gas and its calldata on top of its execution (a view call is not a transaction and does not).
    /// forge-config: default.isolate = true
    function test_gas_lastTxIsWholeTransaction() public {
        batch.setOperator(alice, true); // one fresh slot (22,100) and an event
        uint256 gas = vm.lastCallGas().gasTotalUsed;
        assertGt(gas, 21_000 + 22_100);
        assertLt(gas, 21_000 + 22_100 + 2600 + 6000);
    }

    // ---------------------------------------------------------------------------------------------------------------

    function _deposits(uint256 n, bool returning, bool bundled) internal {
        address[] memory users = _users(n);
        _prepare(users, returning);
        Row memory row;
        for (uint256 i; i < n; ++i) {
            row.request += _requestDepositTx(users[i], AMOUNT);
        }
        row.request /= n;
        if (bundled) {
            row.settle = _settleAndClaimTx(users, new address[](0));
        } else {
            row.settle = _settleTx();
            row.claim = _claimDepositsTx(users);
        }
        assertEq(batch.maxDeposit(users[n - 1]), 0);
        assertGt(vault.balanceOf(users[0]), 0);
        _record(
            string.concat(
                bundled ? "bundled_" : "", "deposits_", returning ? "returning_" : "firstTime_", vm.toString(n)
            ),
            n,
            row
        );
    }

    /// @dev Half the users deposit, half redeem shares worth about as much; the deposits exceed the redeems' cost
    ///      by `netBps` of gross (0: by less than the vault's minimum deposit).
    function _balanced(uint256 n, uint256 netBps, bool bundled) internal {
        address[] memory users = _users(n);
        _prepare(users, true);
        uint256 half = n / 2;
        address[] memory depositors = new address[](half);
        address[] memory redeemers = new address[](half);
        uint256 perRedeemer = vault.balanceOf(users[1]) / 2;
        uint256 cost = _costOf(perRedeemer * half);
        uint256 gross = 2 * cost;
        uint256 totalD = netBps == 0 ? cost + 1e6 : cost + gross * netBps / 10_000;
        Row memory row;
        for (uint256 i; i < half; ++i) {
            depositors[i] = users[2 * i];
            redeemers[i] = users[2 * i + 1];
            row.request += _requestDepositTx(depositors[i], totalD / half + 1);
            vm.prank(redeemers[i]);
            batch.requestRedeem(perRedeemer, redeemers[i], redeemers[i]);
            row.request += _lastTx(abi.encodeCall(batch.requestRedeem, (perRedeemer, redeemers[i], redeemers[i])));
        }
        row.request /= n;
        uint256 supply = vault.totalSupply();
        if (bundled) {
            row.settle = _settleAndClaimTx(depositors, redeemers);
        } else {
            row.settle = _settleTx();
            row.claim = _claimDepositsTx(depositors);
            vm.prank(keeper);
            batch.claimRedeems(redeemers);
            row.claim += _lastTx(abi.encodeCall(batch.claimRedeems, (redeemers)));
        }
        if (netBps == 0) assertEq(vault.totalSupply(), supply, "nothing traded");
        else assertGt(vault.totalSupply(), supply - perRedeemer * half, "net flow deposited");
        assertEq(batch.maxDeposit(depositors[0]), 0);
        assertEq(batch.maxRedeem(redeemers[0]), 0);
        _record(_balancedName(n, netBps, bundled), n, row);
    }

    function _balancedName(uint256 n, uint256 netBps, bool bundled) internal pure returns (string memory) {
        return string.concat(
            bundled ? "bundled_" : "", "balanced_", netBps == 0 ? "" : "net1pct_", "returning_", vm.toString(n)
        );
    }

    /// @dev Funds every user (USDT, max approval to the batch, the keeper as operator); returning users also go
    ///      through one full deposit epoch first (2 × AMOUNT each), so they hold shares and their slots are set.
    function _prepare(address[] memory users, bool returning) internal {
        for (uint256 i; i < users.length; ++i) {
            mintTo(address(usdt), users[i], 4 * AMOUNT);
            vm.startPrank(users[i]);
            usdt.approve(address(batch), type(uint256).max);
            vault.approve(address(batch), type(uint256).max);
            batch.setOperator(keeper, true);
            if (returning) batch.requestDeposit(2 * AMOUNT, users[i], users[i]);
            vm.stopPrank();
        }
        if (returning) {
            _settle();
            vm.prank(keeper);
            batch.claimDeposits(users);
        }
        vm.warp(block.timestamp + 1 hours);
        _refreshFeeds();
    }

    function _requestDepositTx(address u, uint256 assets) internal returns (uint256) {
        vm.prank(u);
        batch.requestDeposit(assets, u, u);
        return _lastTx(abi.encodeCall(batch.requestDeposit, (assets, u, u)));
    }

    function _settleTx() internal returns (uint256) {
        vm.prank(keeper);
        batch.settle();
        return _lastTx(abi.encodeCall(batch.settle, ()));
    }

    /// @dev The keeper's one transaction: settle, then push every claim (`multicall`); claim lists may be empty.
    function _settleAndClaimTx(address[] memory depositors, address[] memory redeemers) internal returns (uint256) {
        bytes[] memory calls = settleAndClaimCalls(depositors, redeemers);
        vm.prank(keeper);
        batch.multicall(calls);
        return _lastTx(abi.encodeCall(batch.multicall, (calls)));
    }

    function _claimDepositsTx(address[] memory users) internal returns (uint256) {
        vm.prank(keeper);
        batch.claimDeposits(users);
        return _lastTx(abi.encodeCall(batch.claimDeposits, (users)));
    }

    /// @dev The last call as a transaction. Under `isolate`, `gasTotalUsed` of a top-level call is the whole
    ///      transaction's: 21,000 + calldata + execution, after refunds (checked in `test_gas_lastTxIsWholeTransaction`).
    function _lastTx(bytes memory) internal view returns (uint256) {
        return vm.lastCallGas().gasTotalUsed;
    }

    function _record(string memory name, uint256 n, Row memory row) internal {
        row.perUser = row.request + (row.settle + row.claim) / n;
        vm.snapshotValue("IndexVaultBatch", string.concat(name, "_perUser"), row.perUser);
        vm.snapshotValue("IndexVaultBatch", string.concat(name, "_request"), row.request);
        if (row.claim == 0) {
            // bundled: the keeper's one transaction (settlement and every claim)
            vm.snapshotValue("IndexVaultBatch", string.concat(name, "_settleAndClaims"), row.settle);
        } else {
            vm.snapshotValue("IndexVaultBatch", string.concat(name, "_settle"), row.settle);
            vm.snapshotValue("IndexVaultBatch", string.concat(name, "_claimPerUser"), row.claim / n);
        }
        console2.log(name);
        console2.log("  request (mean), settle, claim/user, per user:", row.request, row.settle, row.claim / n);
        console2.log("  per user all in:", row.perUser);
    }

    function _users(uint256 n) internal pure returns (address[] memory users) {
        users = new address[](n);
        for (uint256 i; i < n; ++i) {
            users[i] = _user(i);
        }
    }

    function _user(uint256 i) internal pure returns (address) {
        return address(uint160(0xB000 + i));
    }
}
