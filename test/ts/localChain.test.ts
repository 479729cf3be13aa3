// The TypeScript local chain is the real one: the same market the Solidity fixture deploys (real Uniswap V3 from
// the npm artifacts), reached through the generated ABIs. Quotes equal executed swaps, USDT keeps its mainnet
// quirks, and PriceMover leaves pools and feeds in agreement.
import { BaseError, ContractFunctionRevertedError, encodePacked, maxUint256, parseUnits, type Address } from "viem";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mockUSDTAbi } from "../../sdk/generated/abis";
import { startAnvil, rpcRequest } from "../../sdk/local/anvil";
import { confirm } from "../../sdk/protocol";
import type { LocalChain } from "../../sdk/local/localChain";
import { constituentOf } from "../../sdk/local/localMarket";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();
let revert: () => Promise<void>;
beforeEach(async () => {
  revert = await local.chain.snapshot();
});
afterEach(async () => {
  await revert();
});

const Q192 = 2n ** 192n;
/** 0.1 % in parts per million. */
const MAX_DEVIATION_PPM = 1000n;

/** A far-future deadline {s}. */
const DEADLINE = 2n ** 48n;

/** Name of the custom error a viem call failed with (walks to the root revert). */
function revertName(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revertError = error.walk((e) => e instanceof ContractFunctionRevertedError);
  return revertError instanceof ContractFunctionRevertedError ? revertError.data?.errorName : undefined;
}

/** Funds `who` with USDT and approves the router for it (USDT: from zero only). */
async function fundAndApproveUsdt(chain: LocalChain, who: number, amount: bigint): Promise<Address> {
  const wallet = chain.walletClients[who];
  if (wallet === undefined) throw new Error(`no account ${who}`);
  const trader = wallet.account.address;
  await chain.mintTo(chain.market.usdt, trader, amount);
  const hash = await chain.contractsFor(wallet).usdt.write.approve([chain.market.swapRouter, maxUint256]);
  await chain.publicClient.waitForTransactionReceipt({ hash });
  return trader;
}

/** Deviation between a pool's price and the price its tokens' feeds imply {ppm}. */
async function poolFeedDeviationPpm(chain: LocalChain, pool: Address): Promise<bigint> {
  const p = chain.contracts.pool(pool);
  const [token0, token1, slot0] = await Promise.all([p.read.token0(), p.read.token1(), p.read.slot0()]);
  const sqrtPriceX96 = slot0[0];
  const info = async (token: Address): Promise<{ price: bigint; decimals: bigint }> => {
    const [, answer] = await chain.contracts.feedOf(token).read.latestRoundData();
    const decimals = token === chain.market.usdt ? 6n : BigInt(constituentOf(chain.market, token).decimals);
    return { price: answer, decimals };
  };
  const [a, b] = await Promise.all([info(token0), info(token1)]);
  // pool: raw token1 per raw token0 = sqrtP² / 2^192; feeds: price0 · 10^dec1 / (price1 · 10^dec0).
  const poolSide = sqrtPriceX96 * sqrtPriceX96 * b.price * 10n ** a.decimals;
  const feedSide = a.price * 10n ** b.decimals * Q192;
  const diff = poolSide > feedSide ? poolSide - feedSide : feedSide - poolSide;
  return (diff * 1_000_000n) / feedSide;
}

describe("local chain from TypeScript", () => {
  it("test_market_matchesFixtureShape", async () => {
    const { chain } = local;
    const m = chain.market;
    expect(m.constituents).toHaveLength(20);
    expect(m.constituents[0]?.symbol).toBe("WETH");
    expect(m.constituents[1]?.decimals).toBe(8);
    expect(await chain.contracts.usdt.read.decimals()).toBe(6);
    expect(await chain.contracts.usdtFeed.read.decimals()).toBe(8);
    expect(await chain.contracts.priceMover.read.owner()).toBe(chain.accounts[0]?.address);
    expect(constituentOf(m, m.twoHopToken).buyRouteTokens).toEqual([m.usdt, m.weth, m.twoHopToken]);
    for (const c of m.constituents) {
      expect(await chain.contracts.uniswapFactory.read.getPool([c.buyRouteTokens[0]!, c.buyRouteTokens[1]!, c.buyRouteFees[0]!])).toBe(c.pools[0]);
    }
  });

  it("test_quoteExactInputSingle_equalsExecutedSwap", async () => {
    const { chain } = local;
    const amountIn = parseUnits("250000", 6); // 250k USDT
    const trader = await fundAndApproveUsdt(chain, 1, amountIn);
    const weth = constituentOf(chain.market, chain.market.weth);
    const params = {
      tokenIn: chain.market.usdt,
      tokenOut: weth.address,
      fee: weth.buyRouteFees[0]!,
      amountIn,
      sqrtPriceLimitX96: 0n,
    } as const;
    const { result } = await chain.contracts.quoterV2.simulate.quoteExactInputSingle([params]);
    const quoted = result[0];
    expect(quoted).toBeGreaterThan(0n);

    const router = chain.contractsFor(chain.walletClients[1]!).swapRouter;
    const before = await chain.contracts.tokens[0]!.read.balanceOf([trader]);
    const hash = await router.write.exactInputSingle([
      { ...params, recipient: trader, deadline: DEADLINE, amountOutMinimum: quoted },
    ]);
    expect((await chain.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    const received = (await chain.contracts.tokens[0]!.read.balanceOf([trader])) - before;
    expect(received).toBe(quoted);
    // ~83 WETH at $3000 minus the 0.05 % fee and a little impact.
    expect(received).toBeGreaterThan(parseUnits("82", 18));
    expect(received).toBeLessThan(parseUnits("84", 18));
  });

  it("test_quoteExactInput_twoHop_equalsExecutedSwap", async () => {
    const { chain } = local;
    const m = chain.market;
    const yfi = constituentOf(m, m.twoHopToken);
    const [t0, t1, t2] = yfi.buyRouteTokens;
    const [f0, f1] = yfi.buyRouteFees;
    const path = encodePacked(["address", "uint24", "address", "uint24", "address"], [t0!, f0!, t1!, f1!, t2!]);
    const amountIn = parseUnits("70000", 6);
    const trader = await fundAndApproveUsdt(chain, 2, amountIn);
    const { result } = await chain.contracts.quoterV2.simulate.quoteExactInput([path, amountIn]);
    const quoted = result[0];
    const token = chain.contracts.tokens[yfi.index]!;
    const before = await token.read.balanceOf([trader]);
    const router = chain.contractsFor(chain.walletClients[2]!).swapRouter;
    const hash = await router.write.exactInput([
      { path, recipient: trader, deadline: DEADLINE, amountIn, amountOutMinimum: quoted },
    ]);
    expect((await chain.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect((await token.read.balanceOf([trader])) - before).toBe(quoted);
    expect(quoted).toBeGreaterThan(parseUnits("9.8", 18)); // $70k of YFI at $7000, less two fees
  });

  it("test_usdtApprove_nonZeroToNonZero_reverts", async () => {
    const { chain } = local;
    const owner = chain.walletClients[3]!;
    const usdt = chain.contractsFor(owner).usdt;
    const spender = chain.accounts[4]!.address;
    await chain.publicClient.waitForTransactionReceipt({ hash: await usdt.write.approve([spender, 1n]) });

    const error = await usdt.simulate.approve([spender, 2n], { account: owner.account.address }).catch((e: unknown) => e);
    expect(revertName(error)).toBe("MockUSDT__ApproveFromNonZero");

    // The mainnet dance: reset to zero, then set.
    await chain.publicClient.waitForTransactionReceipt({ hash: await usdt.write.approve([spender, 0n]) });
    await chain.publicClient.waitForTransactionReceipt({ hash: await usdt.write.approve([spender, 2n]) });
    expect(await usdt.read.allowance([owner.account.address, spender])).toBe(2n);
  });

  it("test_usdtTransferAndApprove_returnNothing", () => {
    for (const name of ["transfer", "transferFrom", "approve"] as const) {
      const entry = mockUSDTAbi.find((e) => e.type === "function" && e.name === name);
      expect(entry?.type === "function" ? entry.outputs : undefined).toEqual([]);
    }
  });

  it("test_setMarketPrice_poolsFollowFeedWithin0_1Percent", async () => {
    const { chain } = local;
    const m = chain.market;
    const link = m.constituents[2]!;
    expect(link.symbol).toBe("LINK");
    const newPrice = (link.priceUsd8 * 115n) / 100n; // +15 %
    await chain.setMarketPrice(link.address, newPrice);
    const [, answer] = await chain.contracts.feeds[2]!.read.latestRoundData();
    expect(answer).toBe(newPrice);
    expect(await poolFeedDeviationPpm(chain, link.pools[0]!)).toBeLessThanOrEqual(MAX_DEVIATION_PPM);
  });

  it("test_setMarketPrice_wethMove_keepsTwoHopPoolConsistent", async () => {
    const { chain } = local;
    const m = chain.market;
    const weth = constituentOf(m, m.weth);
    const yfi = constituentOf(m, m.twoHopToken);
    await chain.setMarketPrice(m.weth, (weth.priceUsd8 * 90n) / 100n); // -10 %
    for (const pool of [weth.pools[0]!, ...yfi.pools]) {
      expect(await poolFeedDeviationPpm(chain, pool)).toBeLessThanOrEqual(MAX_DEVIATION_PPM);
    }
  });

  it("test_snapshot_isolatesTests", async () => {
    // beforeEach reverted every earlier test: LINK is back at its deployment price.
    const { chain } = local;
    const [, answer] = await chain.contracts.feeds[2]!.read.latestRoundData();
    expect(answer).toBe(chain.market.constituents[2]!.priceUsd8);
  });

  it("test_confirm_namesTheCauseOfAMinedRevert", async () => {
    const { chain } = local;
    const owner = chain.walletClients[3]!;
    const usdt = chain.contractsFor(owner).usdt;
    const spender = chain.accounts[5]!.address;
    await confirm(chain.publicClient, await usdt.write.approve([spender, 1n]));
    // Sent with a fixed gas limit so the node mines it instead of refusing at estimation.
    const hash = await usdt.write.approve([spender, 2n], { gas: 100_000n });
    await expect(confirm(chain.publicClient, hash)).rejects.toThrow(/reverted: USDT only changes a non-zero allowance through zero/);
  });
});

describe("startAnvil", () => {
  it("test_parallelStarts_eachSuiteGetsItsOwnNode", async () => {
    // anvil binds port 0 itself: no window in which two suites can pick the same port and share one node.
    const nodes = await Promise.all(Array.from({ length: 4 }, () => startAnvil()));
    try {
      expect(new Set(nodes.map((n) => n.port)).size).toBe(nodes.length);
      const marker = "0x0000000000000000000000000000000000000a11";
      await Promise.all(nodes.map((n, i) => rpcRequest(n.rpcUrl, "anvil_setBalance", [marker, `0x${(i + 1).toString(16)}`])));
      const balances = await Promise.all(nodes.map((n) => rpcRequest<string>(n.rpcUrl, "eth_getBalance", [marker, "latest"])));
      expect(balances.map((b) => Number(BigInt(b)))).toEqual([1, 2, 3, 4]);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
});
