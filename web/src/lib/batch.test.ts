// The batch panel's pure decisions: phase and timing of the open epoch, who may settle, what the settlement will do
// (the contract's netting rule), request blockers and which of the user's rows show.
import { describe, expect, it } from "vitest";
import type { BatchPosition } from "./client";
import { duration, epochPhase, myBatchRows, owedTokens, requestBlocker, settleAccess, settlementPreview, settlementWait, settleTiming, type EpochView } from "./batch";

const HOUR = 3_600n;
const DAY = 86_400n;
const policy = { maxWait: 86_400, gracePeriod: 86_400, minSettleValue: 10_000_000_000n };
const empty: EpochView = { epoch: 3n, pendingAssets: 0n, pendingShares: 0n, openedAt: 0n, grossValue: 0n, due: false, permissionlessAt: 0n };
const opened = 1_000_000n;
const queued: EpochView = { ...empty, pendingAssets: 500_000_000n, openedAt: opened, grossValue: 500_000_000n, permissionlessAt: opened + 2n * DAY };
const open = { priceError: undefined, rebalancing: false, paused: { deposit: false, depositInKind: false, redeem: false } };

describe("epoch phase and timing", () => {
  it("test_epochPhase_emptyCollectingDueOpenToAnyone", () => {
    expect(epochPhase(empty, opened)).toBe("empty");
    expect(epochPhase(queued, opened + HOUR)).toBe("collecting");
    expect(epochPhase({ ...queued, due: true }, opened + DAY)).toBe("due");
    // Past the keeper's window the phase says so, whether or not the policy's `due` is set.
    expect(epochPhase(queued, opened + 2n * DAY)).toBe("open to anyone");
    expect(epochPhase({ ...queued, due: true }, opened + 3n * DAY)).toBe("open to anyone");
  });

  it("test_duration_twoLargestUnitsRoundedDown", () => {
    expect(duration(0)).toBe("0 s");
    expect(duration(45n)).toBe("45 s");
    expect(duration(90)).toBe("1 min 30 s");
    expect(duration(7_200n)).toBe("2 h");
    expect(duration(5_400n)).toBe("1 h 30 min");
    expect(duration(2n * DAY)).toBe("2 d");
    expect(duration(2n * DAY - 10n)).toBe("1 d 23 h");
    expect(duration(DAY + 300n)).toBe("1 d"); // no "0 h": the next unit after a zero is noise
    expect(duration(-5)).toBe("0 s");
  });

  it("test_settleTiming_saysAgeAgainstMaxWaitAndWhenAnyoneMaySettle", () => {
    expect(settleTiming(empty, policy, opened)).toBe(
      "Nothing is queued. The first request opens the batch; the keeper settles it once it is 1 d old or $10,000 queued, whichever comes first.",
    );
    expect(settleTiming(queued, policy, opened + 2n * HOUR)).toBe(
      "Oldest request 2 h old of a 1 d maximum wait: the keeper settles in about 22 h, or sooner once $10,000 queued ($500 now). Anyone may settle in 1 d 22 h.",
    );
    expect(settleTiming({ ...queued, due: true }, policy, opened + DAY + 60n)).toBe(
      "Due now: its oldest request reached the 1 d maximum wait; the keeper settles next. Anyone may settle in 23 h 59 min.",
    );
    // Due by size, not by age.
    expect(settleTiming({ ...queued, due: true, grossValue: 12_000_000_000n }, policy, opened + 90n)).toBe(
      "Due now: $12,000 is queued (settle size $10,000); the keeper settles next. Anyone may settle in 1 d 23 h.",
    );
    expect(settleTiming(queued, policy, opened + 2n * DAY)).toBe("The keeper let its window pass (1 d maximum wait + 1 d grace): anyone may settle now.");
  });
});

describe("who may settle", () => {
  it("test_settleAccess_keeperAlwaysAnyoneAfterTheGracePeriod", () => {
    expect(settleAccess(empty, opened, true)).toEqual({ allowed: false, why: "Nothing to settle: no request is queued." });
    expect(settleAccess(queued, opened + 60n, true).allowed).toBe(true);
    expect(settleAccess(queued, opened + DAY, false)).toEqual({ allowed: false, why: "Only the keeper may settle now; anyone may in 1 d." });
    expect(settleAccess(queued, queued.permissionlessAt - 1n, false).allowed).toBe(false);
    expect(settleAccess(queued, queued.permissionlessAt, false)).toEqual({ allowed: true, why: "The keeper's window is over: anyone may settle now, you included." });
  });

  it("test_settlementWait_mirrorsTheBatchsVaultChecks", () => {
    const deposits = { pendingAssets: 1n, pendingShares: 0n };
    const redeems = { pendingAssets: 0n, pendingShares: 1n };
    expect(settlementWait(open, deposits)).toBeUndefined();
    // A redeem pause only holds up an epoch with redemptions, a deposit pause one with deposits (as `_checkVault`).
    const redeemPaused = { ...open, paused: { ...open.paused, redeem: true } };
    expect(settlementWait(redeemPaused, deposits)).toBeUndefined();
    expect(settlementWait(redeemPaused, redeems)).toBe("The settlement waits: USDT redemptions are paused on the vault. Requests stay cancellable.");
    expect(settlementWait({ ...open, paused: { ...open.paused, deposit: true } }, deposits)).toMatch(/USDT deposits are paused/);
    expect(settlementWait({ ...open, rebalancing: true }, redeems)).toMatch(/multi-step rebalance/);
    expect(settlementWait({ ...open, priceError: "Chainlink feed 0xabc is stale." }, deposits)).toBe(
      "The settlement waits for a valid price (Chainlink feed 0xabc is stale). Requests stay cancellable.",
    );
  });
});

describe("what the settlement will do (the contract's _net)", () => {
  const base = { mintBps: 50, minDeposit: 10_000_000n };
  it("test_settlementPreview_pureSides", () => {
    expect(settlementPreview({ ...base, pendingAssets: 0n, pendingShares: 0n, valueS: 0n }).kind).toBe("nothing");
    const dep = settlementPreview({ ...base, pendingAssets: 500_000_000n, pendingShares: 0n, valueS: 0n });
    expect(dep).toMatchObject({ kind: "net deposit", netAssets: 500_000_000n, crossValue: 0n });
    expect(dep.line).toBe("One vault deposit of $500 (one set of swaps) mints the shares every depositor shares pro rata.");
    expect(settlementPreview({ ...base, pendingAssets: 5_000_000n, pendingShares: 0n, valueS: 0n }).line).toMatch(/below the vault's \$10 minimum: the settlement waits/);
    const red = settlementPreview({ ...base, pendingAssets: 0n, pendingShares: 2n * 10n ** 18n, valueS: undefined });
    expect(red).toMatchObject({ kind: "net redeem", netShares: 2n * 10n ** 18n });
  });

  it("test_settlementPreview_crossesAtNavAndSendsOnlyTheNetFlow", () => {
    // 1,000 USDT of deposits against shares worth 398 USDT: depositors pay 398 / 0.995 = 400 (ceil) for them, 600 is deposited.
    const netDep = settlementPreview({ ...base, pendingAssets: 1_000_000_000n, pendingShares: 10n ** 18n, valueS: 398_000_000n });
    expect(netDep).toMatchObject({ kind: "net deposit", netAssets: 600_000_000n, crossValue: 398_000_000n });
    expect(netDep.line).toBe("$398 of deposits buys the redeemers' shares at NAV with no swap; only the rest, $600, goes into the vault as one deposit.");
    // 100 USDT of deposits (99.5 after the mint fee) against shares worth 1,000: 9.95 % of the shares cross, the rest is redeemed.
    const netRed = settlementPreview({ ...base, pendingAssets: 100_000_000n, pendingShares: 10n * 10n ** 18n, valueS: 1_000_000_000n });
    expect(netRed).toMatchObject({ kind: "net redeem", crossValue: 99_500_000n, netShares: 10n * 10n ** 18n - (10n * 10n ** 18n * 99_500_000n) / 1_000_000_000n });
    // Within the vault's minimum of each other: balanced, nothing touches the vault.
    const balanced = settlementPreview({ ...base, pendingAssets: 1_005_000_000n, pendingShares: 10n ** 18n, valueS: 1_000_000_000n });
    expect(balanced).toMatchObject({ kind: "balanced", netAssets: 0n, netShares: 0n });
    expect(balanced.line).toMatch(/nothing is swapped/);
  });
});

describe("requests and the user's rows", () => {
  it("test_requestBlocker_amountMinimumBalance", () => {
    const dep = { side: "deposit" as const, minimum: 10_000_000n, balance: 5_000_000_000n };
    expect(requestBlocker({ ...dep, amount: undefined })).toBe("Enter an amount.");
    expect(requestBlocker({ ...dep, amount: 0n })).toBe("Enter an amount.");
    expect(requestBlocker({ ...dep, amount: 5_000_000n })).toBe("The batch's smallest deposit request is 10 USDT (a bound against spam).");
    expect(requestBlocker({ ...dep, amount: 6_000_000_000n })).toBe("You hold only 5,000 USDT.");
    expect(requestBlocker({ ...dep, amount: 5_000_000_000n })).toBeUndefined();
    // No wallet read yet: the balance check waits, the minimum does not.
    expect(requestBlocker({ ...dep, balance: undefined, amount: 6_000_000_000n })).toBeUndefined();
    expect(requestBlocker({ side: "redeem", minimum: 10n ** 16n, balance: 15n * 10n ** 17n, amount: 2n * 10n ** 18n })).toBe("You hold only 1.5 shares.");
  });

  it("test_myBatchRows_showsOnlyWhatIsThere", () => {
    const none: BatchPosition = {
      controller: "0x0000000000000000000000000000000000000007",
      epoch: 2n,
      pendingAssets: 0n,
      pendingShares: 0n,
      claimableDepositAssets: 0n,
      claimableShares: 0n,
      claimableRedeemShares: 0n,
      claimableAssets: 0n,
    };
    expect(myBatchRows(undefined).any).toBe(false);
    expect(myBatchRows(none)).toEqual({ pendingDeposit: false, pendingRedeem: false, claimShares: false, claimUsdt: false, any: false });
    expect(myBatchRows({ ...none, pendingShares: 1n })).toMatchObject({ pendingRedeem: true, pendingDeposit: false, any: true });
    expect(myBatchRows({ ...none, claimableDepositAssets: 5n, claimableShares: 7n })).toMatchObject({ claimShares: true, claimUsdt: false, any: true });
    expect(myBatchRows({ ...none, claimableRedeemShares: 5n, claimableAssets: 7n, pendingAssets: 3n })).toMatchObject({ claimUsdt: true, pendingDeposit: true });
  });

  it("test_owedTokens_keepsOnlyWhatTheVaultSetAside", () => {
    const rows = [
      { symbol: "WBTC", amount: 0n },
      { symbol: "WETH", amount: 123n },
      { symbol: "USDT", amount: 0n },
    ];
    expect(owedTokens(rows).map((r) => r.symbol)).toEqual(["WETH"]);
    expect(owedTokens([])).toEqual([]);
  });
});
