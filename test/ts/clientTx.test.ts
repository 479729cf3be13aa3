// The client's transaction layer on the local chain: a transaction mined reverted is explained from its OWN
// execution, even when what made it revert is an earlier transaction of the same block (a replay at the parent
// block would see it succeed), and a dry run simulates a sequence without sending anything.
import { encodeFunctionData, type Hash } from "viem";
import { describe, expect, it } from "vitest";
import { dryRunCalls, minedRevertReason, DryRunRevertError } from "../../sdk/client/tx";
import { approveNoReturnAbi } from "../../sdk/client/abis";
import { mockUSDTAbi, swapRouterAbi } from "../../sdk/generated/abis";
import { constituentOf } from "../../sdk/local/localMarket";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();

describe("client transactions", () => {
  it("test_minedRevertReason_seesAFrontRunInTheSameBlock", async () => {
    const chain = local.chain;
    const [, , , , , , alice, bob] = chain.walletClients;
    await chain.mintTo(chain.market.usdt, alice!.account.address, 100_000_000n);
    await chain.testClient.setAutomine(false);
    let second: Hash;
    try {
      // Both spend the same 100 USDT in one block: the first empties the balance, the second reverts on it.
      const transfer = (amount: bigint) => encodeFunctionData({ abi: mockUSDTAbi, functionName: "transfer", args: [bob!.account.address, amount] });
      await alice!.sendTransaction({ to: chain.market.usdt, data: transfer(100_000_000n), gas: 100_000n });
      second = await alice!.sendTransaction({ to: chain.market.usdt, data: transfer(50_000_000n), gas: 100_000n });
      await chain.testClient.mine({ blocks: 1 });
    } finally {
      await chain.testClient.setAutomine(true);
    }
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: second });
    expect(receipt.status).toBe("reverted");
    // Replayed alone at the parent block, the transfer would succeed: the reason comes from its own execution.
    await expect(
      chain.publicClient.call({ account: alice!.account.address, to: chain.market.usdt, data: encodeFunctionData({ abi: mockUSDTAbi, functionName: "transfer", args: [bob!.account.address, 50_000_000n] }), blockNumber: receipt.blockNumber - 1n }),
    ).resolves.toBeDefined();
    const reason = await minedRevertReason(chain.publicClient, second);
    expect(reason.errorName).toBe("MockUSDT__InsufficientBalance");
    expect(reason.message).toMatch(/USDT balance of 0x[0-9a-fA-F]{40} is 0 USDT, 50 USDT needed/);
  });

  it("test_minedRevertReason_namesOutOfGas_ofTheTransactionAndOfANestedCall", async () => {
    const chain = local.chain;
    const wallet = chain.walletClients[8]!;
    const me = wallet.account.address;
    await chain.mintTo(chain.market.usdt, me, 10_000_000_000n);
    await chain.publicClient.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: chain.market.usdt, abi: mockUSDTAbi, functionName: "approve", args: [chain.market.swapRouter, 10_000_000_000n] }) });
    // Nested: a call inside the swap (63/64 of what is left) runs out of gas and the router turns the failure into its
    // own "TF" (transfer failed), which used to be all the client said.
    const weth = constituentOf(chain.market, chain.market.weth);
    const swap = encodeFunctionData({
      abi: swapRouterAbi,
      functionName: "exactInputSingle",
      args: [{ tokenIn: chain.market.usdt, tokenOut: weth.address, fee: weth.buyRouteFees[0]!, recipient: me, deadline: 2n ** 48n, amountIn: 1_000_000_000n, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }],
    });
    const nested = await wallet.sendTransaction({ to: chain.market.swapRouter, data: swap, gas: 90_000n });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash: nested })).status).toBe("reverted");
    const inner = await minedRevertReason(chain.publicClient, nested);
    expect(inner.message).toMatch(/^a call inside it \(to 0x[0-9a-fA-F]{40}\) ran out of gas and the transaction reverted with it: its gas limit was too low.*\(it then reverted with: .*TF.*\)$/);
    // The transaction itself: a USDT transfer with a limit just above the intrinsic 21,000.
    const transfer = encodeFunctionData({ abi: mockUSDTAbi, functionName: "transfer", args: [chain.walletClients[9]!.account.address, 1n] });
    const own = await wallet.sendTransaction({ to: chain.market.usdt, data: transfer, gas: 23_000n });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash: own })).status).toBe("reverted");
    expect((await minedRevertReason(chain.publicClient, own)).message).toMatch(/^the transaction ran out of gas: its gas limit was too low for this path; send it again with a higher gas limit$/);
  });

  it("test_minedRevertReason_withoutDebugOrSimulate_saysNotAvailable", async () => {
    // A node that answers neither debug_traceTransaction nor eth_simulateV1 (here: a client whose every request fails).
    const blind = { ...local.chain.publicClient, request: async () => Promise.reject(new Error("method not found")), getTransaction: async () => Promise.reject(new Error("method not found")) };
    const reason = await minedRevertReason(blind as never, `0x${"11".repeat(32)}`);
    expect(reason.message).toBe("reverted; reason not available from this node");
  });

  it("test_dryRunCalls_simulatesInOrder_andSendsNothing", async () => {
    const chain = local.chain;
    const wallet = chain.walletClients[5]!;
    const spender = chain.accounts[6]!.address;
    const nonce = await chain.publicClient.getTransactionCount({ address: wallet.account.address });
    const approve = { label: "approve", address: chain.market.usdt, abi: approveNoReturnAbi, functionName: "approve", args: [spender, 5n] } as const;
    const r = await dryRunCalls(chain.publicClient, wallet.account.address, [approve]);
    expect(r.calls.map((c) => c.label)).toEqual(["approve"]);
    expect(r.gas).toBeGreaterThan(20_000n);
    expect(r.costWei).toBe(r.gas * r.gasPriceWei);
    // USDT refuses a non-zero → non-zero approve: the second approve of the SAME sequence sees the first.
    await expect(dryRunCalls(chain.publicClient, wallet.account.address, [approve, { ...approve, label: "again", args: [spender, 6n] }])).rejects.toThrow(DryRunRevertError);
    expect(await chain.publicClient.getTransactionCount({ address: wallet.account.address })).toBe(nonce);
  });
});
