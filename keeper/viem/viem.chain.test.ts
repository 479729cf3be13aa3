/**
 * The viem layer on a real local chain (anvil + the real Uniswap V3 deployment): Chainlink reads
 * and staleness, QuoterV2 quotes along a constituent's route, the transaction sender (nonces,
 * confirmations, stuck-transaction replacement, reverted transactions decoded), and transport
 * failures mapped to RpcUnavailableError.
 */
import { createPublicClient, encodeFunctionData, http, type Address, type PublicClient } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { mockAggregatorAbi, mockUSDTAbi } from "../../sdk/generated/abis.js";
import { useLocalChain } from "../../sdk/local/testing.js";
import { RpcUnavailableError } from "../chain.js";
import { createLogger } from "../logger.js";
import { errorSignature, revertFromError } from "../../sdk/client/errors";
import { readFeed, toD18 } from "../../sdk/client/feeds";
import { encodePath, reverseRoute } from "../../sdk/client/routes";
import { guardRpc } from "./errors.js";
import { quoteExactInput, quotePlan } from "./quoter.js";
import { TxSender, type SenderWallet } from "./txSender.js";

const local = useLocalChain();
let chain: typeof local.chain;
let client: PublicClient;

beforeAll(() => {
  chain = local.chain;
  client = chain.publicClient as unknown as PublicClient;
});

function capture() {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } }),
    msgs: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
  };
}

function firstConstituent() {
  const c = chain.market.constituents[0];
  if (c === undefined) throw new Error("no constituent in the local market");
  return c;
}

describe("feeds", () => {
  it("test_readFeed_scalesToD18AndReportsUpdatedAt", async () => {
    const c = firstConstituent();
    const reading = await readFeed(client, c.feed);
    expect(reading.decimals).toBe(8);
    expect(reading.priceD18).toBe(toD18(reading.answer, 8));
    expect(reading.priceD18).toBe(c.priceUsd8 * 10n ** 10n);
    expect(reading.updatedAt).toBeGreaterThan(0n);
  });

  it("test_readFeed_seesAStaleTimestamp", async () => {
    const restore = await chain.snapshot();
    const c = firstConstituent();
    const block = await client.getBlock();
    const old = block.timestamp - BigInt(c.heartbeat) - 1n;
    await chain.walletClients[0]!.writeContract({ address: c.feed, abi: mockAggregatorAbi, functionName: "setUpdatedAt", args: [old] });
    await chain.testClient.mine({ blocks: 1 });
    const reading = await readFeed(client, c.feed);
    expect(reading.updatedAt).toBe(old);
    await restore();
  });
});

describe("quoter", () => {
  it("test_quoteExactInput_buyAndSellAlongTheRouteNearTheOraclePrice", async () => {
    const c = firstConstituent();
    const route = { tokens: c.buyRouteTokens, fees: c.buyRouteFees };
    expect(encodePath(route).length).toBe(2 + 2 * (20 * route.tokens.length + 3 * route.fees.length));
    const usdtIn = 1_000n * 10n ** 6n; // $1,000
    const buy = await quoteExactInput(client, chain.market.quoterV2, route, usdtIn);
    // Oracle-implied output: $1,000 / price, in token units.
    const oracleOut = (1_000n * 10n ** 8n * 10n ** BigInt(c.decimals)) / c.priceUsd8;
    const impactBps = Number(((oracleOut - buy.amountOut) * 10_000n) / oracleOut);
    expect(impactBps).toBeGreaterThanOrEqual(0);
    expect(impactBps).toBeLessThan(200); // pool fees + a little impact on a deep pool
    expect(buy.gasEstimate).toBeGreaterThan(50_000n);
    const sell = await quoteExactInput(client, chain.market.quoterV2, reverseRoute(route), buy.amountOut);
    expect(sell.amountOut).toBeLessThan(usdtIn);
    expect(sell.amountOut).toBeGreaterThan((usdtIn * 9_500n) / 10_000n);
  });
});

describe("quotePlan", () => {
  it("test_quotePlan_leavesOutALegTheQuoterCannotPrice", async () => {
    const c = firstConstituent();
    const usdt = chain.market.usdt;
    const leg = () => ({
      token: c.address,
      side: "buy" as const,
      valueD18: 100n * 10n ** 18n,
      tokenIn: usdt,
      tokenOut: c.address,
      amountIn: 100n * 10n ** 6n,
      oracleAmountOut: 1n,
    });
    const good = new Map([[c.address.toLowerCase(), { tokens: c.buyRouteTokens, fees: c.buyRouteFees }]]);
    const plan = { trades: [leg()], turnoverD18: 0n, turnoverBps: 0 };
    expect(await quotePlan(client, chain.market.quoterV2, plan, good)).toHaveLength(1);
    // No pool at the 0.01 % tier on this route: the quoter reverts and the leg is left out.
    const bad = new Map([[c.address.toLowerCase(), { tokens: [usdt, c.address], fees: [100] }]]);
    expect(await quotePlan(client, chain.market.quoterV2, plan, bad)).toEqual([]);
  });
});

describe("TxSender", () => {
  function sender(options: Partial<ConstructorParameters<typeof TxSender>[2]> = {}, account = 3) {
    const { logger, msgs } = capture();
    const wallet = chain.walletClients[account] as unknown as SenderWallet;
    const s = new TxSender(
      client,
      wallet,
      { confirmations: 1, timeoutMs: 5_000, feeBumpPercent: 15, maxFeeCapWei: 500n * 10n ** 9n, pollingIntervalMs: 25, ...options },
      logger,
    );
    return { s, msgs, address: wallet.account.address };
  }

  const mintCall = (to: Address, amount: bigint) =>
    encodeFunctionData({ abi: mockUSDTAbi, functionName: "mint", args: [to, amount] });

  it("test_send_confirmsAndTracksNonces", async () => {
    const { s, address } = sender();
    const start = await client.getTransactionCount({ address });
    const a = await s.send({ to: chain.market.usdt, data: mintCall(address, 1n), gas: 100_000n });
    const b = await s.send({ to: chain.market.usdt, data: mintCall(address, 2n), gas: 100_000n });
    expect([a.nonce, b.nonce]).toEqual([start, start + 1]);
    const [ra, rb] = [await s.wait(a), await s.wait(b)];
    expect([ra.status, rb.status]).toEqual(["success", "success"]);
    expect(ra.gasUsed).toBeGreaterThan(0n);
    expect(ra.effectiveGasPriceWei).toBeGreaterThan(0n);
  });

  it("test_wait_replacesAStuckTransactionWithBumpedFees", async () => {
    const { s, msgs, address } = sender({ timeoutMs: 300 }, 4);
    await chain.testClient.setAutomine(false);
    try {
      const p = await s.send({ to: chain.market.usdt, data: mintCall(address, 7n), gas: 100_000n });
      const firstFee = p.maxFeePerGas;
      const waiting = s.wait(p);
      await new Promise((r) => setTimeout(r, 900));
      await chain.testClient.mine({ blocks: 1 });
      const receipt = await waiting;
      expect(receipt.status).toBe("success");
      expect(p.hashes.length).toBeGreaterThanOrEqual(2);
      expect(receipt.hash).toBe(p.hashes[p.hashes.length - 1]);
      expect(p.maxFeePerGas).toBeGreaterThanOrEqual((firstFee * 115n) / 100n);
      expect(msgs()).toContain("stuck transaction replaced with bumped fees");
      expect(await client.getTransactionCount({ address })).toBe(p.nonce + 1);
    } finally {
      await chain.testClient.setAutomine(true);
    }
  });

  it("test_wait_decodesTheReasonOfARevertedTransaction", async () => {
    const { s, address } = sender({}, 5);
    // A transfer of more USDT than the account holds: gas given explicitly so it is mined and reverts.
    const data = encodeFunctionData({ abi: mockUSDTAbi, functionName: "transfer", args: [chain.market.usdt, 10n ** 30n] });
    const p = await s.send({ to: chain.market.usdt, data, gas: 100_000n });
    const receipt = await s.wait(p, async (blockNumber) => {
      try {
        await client.call({ account: address, to: chain.market.usdt, data, blockNumber });
        return undefined;
      } catch (e) {
        return revertFromError(e, mockUSDTAbi);
      }
    });
    expect(receipt.status).toBe("reverted");
    expect(receipt.revert?.errorName).toBe("MockUSDT__InsufficientBalance");
    expect(receipt.revert?.args?.[0]).toBe(address);
  });
});

describe("errors", () => {
  it("test_revertFromError_decodesACustomErrorWithArguments", async () => {
    const c = firstConstituent();
    const stranger = chain.accounts[6]!.address;
    try {
      await client.simulateContract({ account: stranger, address: c.feed, abi: mockAggregatorAbi, functionName: "setPrice", args: [1n] });
      expect.unreachable("setPrice by a stranger must revert");
    } catch (e) {
      // Decoded from the one error table, without passing the aggregator's ABI.
      const info = revertFromError(e);
      expect(info?.errorName).toBe("MockAggregator__NotUpdater");
      expect(info?.args).toEqual([stranger]);
      expect(info && errorSignature(info)).toBe(`MockAggregator__NotUpdater(${stranger})`);
      expect(info?.message).toBe(`${stranger} may not update this feed`);
    }
  });

  it("test_guardRpc_mapsAnUnreachableNodeToRpcUnavailable", async () => {
    const dead = createPublicClient({ transport: http("http://127.0.0.1:1", { retryCount: 0, timeout: 2_000 }) });
    const error = await guardRpc("block number", () => dead.getBlockNumber()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect((error as Error).message).toMatch(/^block number: HTTP request failed/);
    expect((error as Error).message).not.toContain("127.0.0.1:1"); // URLs may embed API keys: never logged
    // A revert is not a transport failure.
    await expect(
      guardRpc("setPrice", () =>
        client.simulateContract({ account: chain.accounts[6]!.address, address: firstConstituent().feed, abi: mockAggregatorAbi, functionName: "setPrice", args: [1n] }),
      ),
    ).rejects.not.toBeInstanceOf(RpcUnavailableError);
  });
});
