// End to end on the local chain: the ERC-7540 batch of a real vault (real Uniswap V3 market). Several wallets queue
// deposits and a redemption, one cancels, the keeper settles once (netting the epoch), claims follow.
import { getAddress, maxUint256, parseEventLogs, type Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { benchEnvOf } from "../../bench/lib/localEnv";
import { approveUsdt, createVault, deployProtocol } from "../../bench/lib/vault";
import type { BenchEnv } from "../../bench/lib/env";
import { bytecodes, indexBatchFactoryAbi, indexVaultAbi, indexVaultBatchAbi, mockUSDTAbi } from "../../sdk/generated/abis";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import { confirm } from "../../sdk/protocol";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();

describe("IndexVaultBatch on the local chain", () => {
  let env: BenchEnv;
  let vault: Address;
  let batch: Address;
  let keeper: LocalWalletClient;

  const send = async (hash: `0x${string}`) => confirm(env.publicClient, hash);
  const wallet = (i: number): LocalWalletClient => {
    const w = env.wallets[i];
    if (w === undefined) throw new Error(`no wallet ${i}`);
    return w;
  };
  const read = <T>(functionName: string, args: readonly unknown[] = []): Promise<T> =>
    env.publicClient.readContract({ address: batch, abi: indexVaultBatchAbi, functionName, args } as never) as Promise<T>;

  beforeAll(async () => {
    env = benchEnvOf(local.chain);
    keeper = wallet(0); // the vault's admin, manager and keeper in the bench parameters
    const protocol = await deployProtocol(env);
    vault = await createVault(env, protocol, env.market.constituents.slice(0, 3));
    const implementation = (
      await send(await keeper.deployContract({ abi: indexVaultBatchAbi, bytecode: bytecodes.IndexVaultBatch, args: [] }))
    ).contractAddress!;
    const batchFactory = (
      await send(
        await keeper.deployContract({
          abi: indexBatchFactoryAbi,
          bytecode: bytecodes.IndexBatchFactory,
          args: [getAddress(implementation), protocol.factory],
        }),
      )
    ).contractAddress!;
    const receipt = await send(
      await keeper.writeContract({ address: getAddress(batchFactory), abi: indexBatchFactoryAbi, functionName: "createBatch", args: [vault] }),
    );
    const [created] = parseEventLogs({ abi: indexBatchFactoryAbi, eventName: "BatchCreated", logs: receipt.logs });
    batch = getAddress(created!.args.batch);
    // Seed the vault with a direct deposit, so the batch nets against an existing basket.
    await env.fund(env.market.usdt, keeper.account.address, 20_000_000_000n);
    await approveUsdt(env, keeper, vault, 20_000_000_000n);
    await send(
      await keeper.writeContract({
        address: vault,
        abi: indexVaultAbi,
        functionName: "deposit",
        args: [20_000_000_000n, keeper.account.address],
        // A fixed limit, not anvil's exact estimate: mined a second after the estimate, the deposit also accrues the
        // management fee and a nested swap would run out of gas (keeper/testing/deployVault.ts says more).
        gas: 10_000_000n,
      }),
    );
  }, 240_000);

  it("queues from several wallets, cancels one, settles once, claims", async () => {
    const depositors = [wallet(1), wallet(2), wallet(3)];
    const amounts = [1_000_000_000n, 2_500_000_000n, 700_000_000n];
    for (const [i, w] of depositors.entries()) {
      await env.fund(env.market.usdt, w.account.address, amounts[i]!);
      await approveUsdt(env, w, batch, maxUint256);
      await send(await w.writeContract({ address: batch, abi: indexVaultBatchAbi, functionName: "requestDeposit", args: [amounts[i]!, w.account.address, w.account.address] }));
    }
    // A redeemer: the keeper's own shares (it holds the seed).
    const redeemer = keeper;
    const redeemShares = 1_500n * 10n ** 18n;
    await send(await redeemer.writeContract({ address: vault, abi: indexVaultAbi, functionName: "approve", args: [batch, redeemShares] }));
    await send(await redeemer.writeContract({ address: batch, abi: indexVaultBatchAbi, functionName: "requestRedeem", args: [redeemShares, redeemer.account.address, redeemer.account.address] }));

    // The third depositor changes its mind: exactly its USDT back, at once.
    const third = depositors[2]!;
    await send(await third.writeContract({ address: batch, abi: indexVaultBatchAbi, functionName: "cancelDepositRequest", args: [third.account.address, third.account.address] }));
    const back = await env.publicClient.readContract({ address: env.market.usdt, abi: mockUSDTAbi, functionName: "balanceOf", args: [third.account.address] });
    expect(back).toBe(700_000_000n);
    expect(await read<bigint>("pendingDepositRequest", [1n, third.account.address])).toBe(0n);

    const status = await read<{ pendingAssets: bigint; pendingShares: bigint }>("epochStatus");
    expect(status.pendingAssets).toBe(3_500_000_000n);
    expect(status.pendingShares).toBe(redeemShares);

    // One settlement by the keeper: only the net flow reaches the vault.
    const settled = await send(await keeper.writeContract({ address: batch, abi: indexVaultBatchAbi, functionName: "settle", args: [] }));
    const [event] = parseEventLogs({ abi: indexVaultBatchAbi, eventName: "EpochSettled", logs: settled.logs });
    expect(event!.args.depositAssets).toBe(3_500_000_000n);
    expect(event!.args.redeemShares).toBe(redeemShares);
    expect(event!.args.netAssets).toBeGreaterThan(0n);
    expect(event!.args.netAssets).toBeLessThan(3_500_000_000n); // the crossed part never touched the vault
    // Exactly one vault deposit, of the net, and no vault redeem.
    const deposits = parseEventLogs({ abi: indexVaultAbi, eventName: "Deposited", logs: settled.logs });
    expect(deposits).toHaveLength(1);
    expect(deposits[0]!.args.assets).toBe(event!.args.netAssets);
    expect(deposits[0]!.args.shares).toBe(event!.args.sharesOut - redeemShares);
    expect(parseEventLogs({ abi: indexVaultAbi, eventName: "Redeemed", logs: settled.logs })).toHaveLength(0);

    // Claims: the keeper pushes the depositors' shares in one transaction; the redeemer claims its USDT itself.
    const users = depositors.slice(0, 2).map((w) => w.account.address);
    await send(await keeper.writeContract({ address: batch, abi: indexVaultBatchAbi, functionName: "claimDeposits", args: [users] }));
    let claimed = 0n;
    for (const [i, user] of users.entries()) {
      const shares = await env.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "balanceOf", args: [user] });
      expect(shares).toBe((event!.args.sharesOut * amounts[i]!) / 3_500_000_000n);
      claimed += shares;
    }
    expect(claimed).toBeLessThanOrEqual(event!.args.sharesOut);
    const usdtBefore = await env.publicClient.readContract({ address: env.market.usdt, abi: mockUSDTAbi, functionName: "balanceOf", args: [redeemer.account.address] });
    await send(await redeemer.writeContract({ address: batch, abi: indexVaultBatchAbi, functionName: "redeem", args: [redeemShares, redeemer.account.address, redeemer.account.address] }));
    const usdtAfter = await env.publicClient.readContract({ address: env.market.usdt, abi: mockUSDTAbi, functionName: "balanceOf", args: [redeemer.account.address] });
    expect(usdtAfter - usdtBefore).toBe(event!.args.assetsOut);
    expect(await read<bigint>("maxRedeem", [redeemer.account.address])).toBe(0n);
  }, 240_000);
});
