// The client's batch module (sdk/client/batch.ts) on the local chain: the protocol deployed by sdk/protocol.ts (which
// now deploys the IndexBatchFactory too), a vault's batch found with batchOf, requests, a cancellation, one
// settlement, claims and the epoch's controllers from the request logs; refusals decoded to plain words.
import { getAddress, type Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { benchEnvOf } from "../../bench/lib/localEnv";
import { createVault, deployProtocol } from "../../bench/lib/vault";
import type { BenchEnv } from "../../bench/lib/env";
import {
  batchOf,
  cancelRequest,
  claimSettled,
  epochControllers,
  readBatchPosition,
  readBatchStatus,
  requestDeposit,
  requestDepositCalls,
  requestRedeem,
  settleAndClaim,
  settleAndClaimCalls,
  settleBatch,
} from "../../sdk/client/batch";
import { explainError } from "../../sdk/client/errors";
import { deposit } from "../../sdk/client/tx";
import { erc20Abi } from "viem";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import { createBatch, type ProtocolDeployment } from "../../sdk/protocol";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();

describe("sdk/client/batch on the local chain", () => {
  let env: BenchEnv;
  let protocol: ProtocolDeployment;
  let vault: Address;
  let batch: Address;
  const wallet = (i: number): LocalWalletClient => {
    const w = env.wallets[i];
    if (w === undefined) throw new Error(`no wallet ${i}`);
    return w;
  };
  const balanceOf = (token: Address, owner: Address) => env.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });

  beforeAll(async () => {
    env = benchEnvOf(local.chain);
    protocol = await deployProtocol(env);
    vault = await createVault(env, protocol, env.market.constituents.slice(0, 3));
    expect(await batchOf(env.publicClient, protocol.batchFactory, vault)).toBeUndefined();
    const created = await createBatch(env.publicClient, wallet(0), protocol.batchFactory, vault);
    batch = created.batch;
    // A second call returns the recorded batch without a transaction.
    expect(await createBatch(env.publicClient, wallet(0), protocol.batchFactory, vault)).toEqual({ batch });
    // Seed the vault so the batch nets against an existing basket; wallet 0 (keeper) holds the shares.
    await env.fund(env.market.usdt, wallet(0).account.address, 20_000_000_000n);
    await deposit(env.publicClient, wallet(0), { vault, asset: env.market.usdt }, { assets: 20_000_000_000n, minShares: 0n, deadline: 2n ** 48n });
  }, 240_000);

  it("test_batchOf_findsTheCreatedBatch_andStatusReadsItsVault", async () => {
    expect(await batchOf(env.publicClient, protocol.batchFactory, vault)).toBe(batch);
    const status = await readBatchStatus(env.publicClient, batch);
    expect(status.vault).toBe(getAddress(vault));
    expect(status.asset).toBe(getAddress(env.market.usdt));
    expect(status.status.epoch).toBe(1n);
    expect(status.status.pendingAssets).toBe(0n);
    expect(status.policy.minRequestAssets).toBe(10_000_000n); // the vault's minimum deposit
  });

  it("test_requestCancelSettleClaim_throughTheClient", async () => {
    const [a, b] = [wallet(1), wallet(2)];
    await env.fund(env.market.usdt, a.account.address, 1_000_000_000n);
    await env.fund(env.market.usdt, b.account.address, 400_000_000n);
    // Exact approval then the request: the approval is for the amount, not unlimited.
    const calls = await requestDepositCalls(env.publicClient, a.account.address, batch, env.market.usdt, { amount: 1_000_000_000n });
    expect(calls.map((c) => c.label)).toEqual(["approve", "request deposit"]);
    expect(calls[0]!.args).toEqual([batch, 1_000_000_000n]);
    const ra = await requestDeposit(env.publicClient, a, { batch, asset: env.market.usdt }, { amount: 1_000_000_000n });
    expect(ra.requestId).toBe(1n);
    await requestDeposit(env.publicClient, b, { batch, asset: env.market.usdt }, { amount: 400_000_000n });
    const keeper = wallet(0);
    const redeemShares = 300n * 10n ** 18n;
    await requestRedeem(env.publicClient, keeper, { batch, vault }, { amount: redeemShares });

    let pos = await readBatchPosition(env.publicClient, batch, a.account.address);
    expect(pos.pendingAssets).toBe(1_000_000_000n);
    expect(pos.claimableShares).toBe(0n);

    // b cancels: exactly its USDT back.
    const cancelled = await cancelRequest(env.publicClient, b, batch, "deposit");
    expect(cancelled.amount).toBe(400_000_000n);
    expect(await balanceOf(env.market.usdt, b.account.address)).toBe(400_000_000n);
    // A second cancel is refused, decoded.
    const refusal = await cancelRequest(env.publicClient, b, batch, "deposit").catch((e: unknown) => e);
    expect(explainError(refusal).errorName).toBe("IndexVaultBatch__NothingPending");
    expect(explainError(refusal).message).toMatch(/no pending request in the open epoch/);

    // Claiming before the settlement is refused in plain words.
    await expect(claimSettled(env.publicClient, a, batch)).rejects.toThrow(/nothing to claim/);

    const controllers = await epochControllers(env.publicClient, batch, 1n);
    expect(controllers.depositors).toEqual([getAddress(a.account.address), getAddress(b.account.address)]);
    expect(controllers.redeemers).toEqual([getAddress(keeper.account.address)]);

    const settled = await settleBatch(env.publicClient, keeper, batch);
    expect(settled.epoch).toBe(1n);
    expect(settled.depositAssets).toBe(1_000_000_000n);
    expect(settled.redeemShares).toBe(redeemShares);
    expect(settled.settlementGas).toBeGreaterThan(0n);

    pos = await readBatchPosition(env.publicClient, batch, a.account.address);
    expect(pos.pendingAssets).toBe(0n);
    expect(pos.claimableDepositAssets).toBe(1_000_000_000n);
    expect(pos.claimableShares).toBe(settled.sharesOut); // a is the only depositor
    const claimedA = await claimSettled(env.publicClient, a, batch);
    expect(claimedA.shares).toBe(settled.sharesOut);
    expect(await balanceOf(vault, a.account.address)).toBe(settled.sharesOut);

    const usdtBefore = await balanceOf(env.market.usdt, keeper.account.address);
    const claimedK = await claimSettled(env.publicClient, keeper, batch);
    expect(claimedK.assets).toBe(settled.assetsOut);
    expect((await balanceOf(env.market.usdt, keeper.account.address)) - usdtBefore).toBe(settled.assetsOut);
    expect((await readBatchPosition(env.publicClient, batch, keeper.account.address)).claimableRedeemShares).toBe(0n);
  }, 240_000);

  it("test_settleAndClaim_oneTransaction_paysEveryListedController", async () => {
    const [d1, d2, r, keeper] = [wallet(4), wallet(5), wallet(6), wallet(0)];
    await env.fund(env.market.usdt, r.account.address, 200_000_000n);
    await deposit(env.publicClient, r, { vault, asset: env.market.usdt }, { assets: 200_000_000n, minShares: 0n, deadline: 2n ** 48n });
    await env.fund(env.market.usdt, d1.account.address, 500_000_000n);
    await env.fund(env.market.usdt, d2.account.address, 700_000_000n);
    await requestDeposit(env.publicClient, d1, { batch, asset: env.market.usdt }, { amount: 500_000_000n });
    await requestDeposit(env.publicClient, d2, { batch, asset: env.market.usdt }, { amount: 700_000_000n });
    await requestRedeem(env.publicClient, r, { batch, vault }, { amount: 100n * 10n ** 18n });
    const { status } = await readBatchStatus(env.publicClient, batch);
    const listed = await epochControllers(env.publicClient, batch, status.epoch);
    expect(listed.depositors).toHaveLength(2);
    // Nothing to claim: a plain settlement; claims: one multicall.
    expect(settleAndClaimCalls(batch, [], []).map((c) => c.functionName)).toEqual(["settle"]);
    expect(settleAndClaimCalls(batch, listed.depositors, listed.redeemers).map((c) => c.functionName)).toEqual(["multicall"]);

    const nonce = await env.publicClient.getTransactionCount({ address: keeper.account.address });
    const usdtBefore = await balanceOf(env.market.usdt, r.account.address);
    const out = await settleAndClaim(env.publicClient, keeper, batch, listed.depositors, listed.redeemers);
    expect(await env.publicClient.getTransactionCount({ address: keeper.account.address })).toBe(nonce + 1);
    expect(out.epoch).toBe(status.epoch);
    expect(out.claimed).toBe(3);
    // Each depositor's pro-rata share rounded down: all of sharesOut but at most one unit per depositor.
    const s1 = await balanceOf(vault, d1.account.address);
    const s2 = await balanceOf(vault, d2.account.address);
    expect(s1).toBe((out.sharesOut * 500_000_000n) / 1_200_000_000n);
    expect(s2).toBe((out.sharesOut * 700_000_000n) / 1_200_000_000n);
    expect(out.claimedShares).toBe(s1 + s2);
    expect(out.sharesOut - out.claimedShares).toBeLessThanOrEqual(2n);
    expect(out.claimedAssets).toBe(out.assetsOut); // the only redeemer
    expect((await balanceOf(env.market.usdt, r.account.address)) - usdtBefore).toBe(out.assetsOut);
    for (const c of [d1, d2, r]) {
      const p = await readBatchPosition(env.publicClient, batch, c.account.address);
      expect(p.claimableShares + p.claimableAssets).toBe(0n);
    }
  }, 240_000);

  it("test_requestDeposit_belowMinimum_refusedBeforeSigning", async () => {
    const c = wallet(3);
    await env.fund(env.market.usdt, c.account.address, 5_000_000n);
    const error = await requestDeposit(env.publicClient, c, { batch, asset: env.market.usdt }, { amount: 5_000_000n }).catch((e: unknown) => e);
    const info = explainError(error);
    expect(info.errorName).toBe("IndexVaultBatch__RequestTooSmall");
    expect(info.message).toMatch(/below the batch's minimum of 10000000 units/);
  }, 120_000);
});
