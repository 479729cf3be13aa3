// The CLI's batch commands (cli/batch.ts) against the local chain: the protocol, the example indexes and their
// batches deployed by the real hardhat-deploy scripts (deploy/06_batches.ts included); each command's --json output
// parsed, --dry-run signing nothing, refusals in plain words with the batch's custom error named.
import { describe, expect, it } from "vitest";
import { isBatchCommand } from "../../cli/batch";
import { units, useCli, type CliRun } from "./cliHarness";

const local = useCli(300_000);
const { cli } = local;
const position = (r: CliRun) => r.json.position as Record<string, string>;

describe("cli batch commands", () => {
  it("test_isBatchCommand_findsTheCommandPastOptionValues", () => {
    expect(isBatchCommand(["--vault", "defi", "pending", "--json"])).toBe(true);
    expect(isBatchCommand(["--json", "claim"])).toBe(true);
    expect(isBatchCommand(["--vault", "claim", "status"])).toBe(false); // "claim" is --vault's value here
    expect(isBatchCommand(["deposit", "10"])).toBe(false);
    // the vault's claim of tokens set aside by an in-kind redeem takes a token (or "all"): not the batch's claim
    expect(isBatchCommand(["claim", "all", "--vault", "btc-eth"])).toBe(false);
    expect(isBatchCommand(["--vault", "btc-eth", "claim", "WBTC", "--json"])).toBe(false);
    expect(isBatchCommand(["claim", "--vault", "btc-eth", "--json"])).toBe(true);
  });

  it("test_deployScript_recordsABatchPerIndex", () => {
    for (const id of ["btc-eth", "defi", "top10"]) expect(local.deployed.deployments.records.get(`Batch_${id}`)?.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(local.deployed.deployments.records.get("IndexBatchFactory")).toBeDefined();
  });

  it("test_requestPendingCancelSettleClaim_json", async () => {
    expect((await cli("faucet", "5000", "--account", "6", "--json")).code).toBe(0);
    expect((await cli("faucet", "500", "--account", "7", "--json")).code).toBe(0);

    // --dry-run: approval + request simulated together, nothing signed.
    const dry = await cli("request-deposit", "1000", "--vault", "defi", "--account", "6", "--dry-run", "--json");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json.dryRun).toBe(true);
    expect((dry.json.calls as { label: string }[]).map((c) => c.label)).toEqual(["approve", "request deposit"]);
    expect(units(dry.json.gas)).toBeGreaterThan(0n);
    let pending = await cli("pending", "--vault", "defi", "--account", "6", "--json");
    expect(units(position(pending).pendingAssets)).toBe(0n);

    const req = await cli("request-deposit", "1000", "--vault", "defi", "--account", "6", "--json");
    expect(req.code, req.stderr).toBe(0);
    expect(units(req.json.assets)).toBe(1_000_000_000n);
    expect(units(req.json.requestId)).toBe(1n);
    pending = await cli("pending", "--vault", "defi", "--account", "6", "--json");
    expect(units(position(pending).pendingAssets)).toBe(1_000_000_000n);
    expect(units((pending.json.epoch as Record<string, string>).pendingAssets)).toBe(1_000_000_000n);

    // Account 7 queues and changes its mind: exactly its USDT back; a second cancel is refused in plain words.
    expect((await cli("request-deposit", "300", "--vault", "defi", "--account", "7", "--json")).code).toBe(0);
    const cancel = await cli("cancel", "deposit", "--vault", "defi", "--account", "7", "--json");
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(units(cancel.json.amount)).toBe(300_000_000n);
    const again = await cli("cancel", "deposit", "--vault", "defi", "--account", "7", "--json");
    expect(again.code).toBe(1);
    expect((again.json.error as { name: string }).name).toBe("IndexVaultBatch__NothingPending");
    expect(again.stderr).toMatch(/no pending request in the open epoch/);

    // Too small a request: the batch's griefing bound (the vault's minimum deposit), explained.
    const tiny = await cli("request-deposit", "1", "--vault", "defi", "--account", "7");
    expect(tiny.code).toBe(1);
    expect(tiny.stderr).toMatch(/below the batch's minimum.*\[IndexVaultBatch__RequestTooSmall\]/);

    // Nothing to claim before the settlement.
    const early = await cli("claim", "--vault", "defi", "--account", "6");
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/waits for the settlement/);

    // Settlement: refused to a non-keeper before the grace period, done by the keeper (account 1).
    const notKeeper = await cli("settle", "--vault", "defi", "--account", "6", "--json");
    expect(notKeeper.code).toBe(1);
    expect((notKeeper.json.error as { name: string }).name).toBe("IndexVaultBatch__SettlementNotOpen");
    const settled = await cli("settle", "--vault", "defi", "--account", "1", "--json");
    expect(settled.code, settled.stderr).toBe(0);
    expect(units(settled.json.depositAssets)).toBe(1_000_000_000n);
    const sharesOut = units(settled.json.sharesOut);
    expect(sharesOut).toBeGreaterThan(0n);

    pending = await cli("pending", "--vault", "defi", "--account", "6", "--json");
    expect(units(position(pending).pendingAssets)).toBe(0n);
    expect(units(position(pending).claimableShares)).toBe(sharesOut); // the only depositor of the epoch
    const claimDry = await cli("claim", "--vault", "defi", "--account", "6", "--dry-run", "--json");
    expect(claimDry.code, claimDry.stderr).toBe(0);
    expect((claimDry.json.calls as { label: string }[]).map((c) => c.label)).toEqual(["claim shares"]);
    const claim = await cli("claim", "--vault", "defi", "--account", "6", "--json");
    expect(claim.code, claim.stderr).toBe(0);
    expect(units(claim.json.shares)).toBe(sharesOut);

    // The shares go back in a redeem request, which is cancelled: exactly the shares back.
    const redeem = await cli("request-redeem", "all", "--vault", "defi", "--account", "6", "--json");
    expect(redeem.code, redeem.stderr).toBe(0);
    expect(units(redeem.json.shares)).toBe(sharesOut);
    expect(units(redeem.json.requestId)).toBe(2n);
    const back = await cli("cancel", "redeem", "--vault", "defi", "--account", "6", "--json");
    expect(back.code, back.stderr).toBe(0);
    expect(units(back.json.amount)).toBe(sharesOut);
  }, 240_000);

  it("test_settle_pushClaims_paysEveryRequesterInTheSameTransaction", async () => {
    for (const account of ["4", "5"]) {
      expect((await cli("faucet", "2000", "--account", account, "--json")).code).toBe(0);
      const r = await cli("request-deposit", "1000", "--vault", "top10", "--account", account, "--json");
      expect(r.code, r.stderr).toBe(0);
    }
    const dry = await cli("settle", "--push-claims", "--vault", "top10", "--account", "1", "--dry-run", "--json");
    expect(dry.code, dry.stderr).toBe(0);
    expect((dry.json.calls as { label: string }[]).map((c) => c.label)).toEqual(["settle and push claims"]);

    const settled = await cli("settle", "--push-claims", "--vault", "top10", "--account", "1", "--json");
    expect(settled.code, settled.stderr).toBe(0);
    expect(units(settled.json.depositAssets)).toBe(2_000_000_000n);
    expect(settled.json.claimed).toBe(2);
    expect(units(settled.json.claimedShares)).toBe(units(settled.json.sharesOut)); // every share of the epoch paid out
    for (const account of ["4", "5"]) {
      const p = position(await cli("pending", "--vault", "top10", "--account", account, "--json"));
      expect(units(p.pendingAssets)).toBe(0n);
      expect(units(p.claimableShares)).toBe(0n);
    }
    const nothing = await cli("claim", "--vault", "top10", "--account", "4");
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/nothing to claim/);
  }, 240_000);

  it("test_requestRedeem_moreThanBalance_failsBeforeSending", async () => {
    const account = local.chain.accounts[8]!.address;
    const nonce = await local.chain.publicClient.getTransactionCount({ address: account });
    const r = await cli("request-redeem", "5", "--vault", "btc-eth", "--account", "8", "--json");
    expect(r.code).toBe(1);
    expect((r.json.error as { message: string }).message).toBe(`${account} holds 0 shares of this index, 5 asked`);
    const all = await cli("request-redeem", "all", "--vault", "btc-eth", "--account", "8");
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/holds no shares of this index/);
    expect(await local.chain.publicClient.getTransactionCount({ address: account })).toBe(nonce);
  });

  it("test_pending_human_output", async () => {
    const r = await cli("pending", "--vault", "btc-eth", "--account", "2");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/open epoch\s+1: 0 USDT to deposit/);
    expect(r.stdout).toMatch(/no request yet/);
  });
});
