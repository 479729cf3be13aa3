// A BenchEnv on a mainnet fork: anvil --fork-url $FORK_URL --fork-block-number <config forkBlock>, real USDT, tokens,
// Uniswap V3 pools and Chainlink feeds from config/mainnet.json. Without FORK_URL the fork suites skip.
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  erc20Abi,
  getAddress,
  http,
  keccak256,
  maxUint256,
  numberToHex,
  pad,
  type Address,
  type Chain,
  type Hex,
} from "viem";
import { mainnet } from "viem/chains";
import { devAccounts } from "../../sdk/local/accounts";
import { startAnvil } from "../../sdk/local/anvil";
import type { LocalPublicClient, LocalTestClient, LocalWalletClient } from "../../sdk/local/localChain";
import { forkSkipReason, readMainnetConfig, type MainnetConfig } from "./forkConfig";
import { swapRouterAbi, uniswapV3FactoryAbi } from "../../sdk/generated/abis";
import { confirm, type BenchEnv, type BenchMarket, type BenchToken } from "./env";

/** Storage slot of `holder`'s balance in `token`, found by overriding candidate slots in an eth_call. */
async function findBalanceSlot(client: LocalPublicClient, token: Address, holder: Address): Promise<Hex | undefined> {
  const marker = 0x1234567890abcdefn;
  for (let slot = 0n; slot < 64n; slot++) {
    const candidates: Hex[] = [
      keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [holder, slot])), // Solidity mapping
      keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "address" }], [slot, holder])), // Vyper mapping
    ];
    for (const key of candidates) {
      try {
        const balance = await client.readContract({
          address: token,
          abi: erc20Abi,
          functionName: "balanceOf",
          args: [holder],
          stateOverride: [{ address: token, stateDiff: [{ slot: key, value: pad(numberToHex(marker), { size: 32 }) }] }],
        });
        if (balance === marker) return key;
      } catch {
        // not this slot
      }
    }
  }
  return undefined;
}

function resolveSymbol(config: MainnetConfig, symbol: string): Address {
  if (symbol === "USDT") return config.usdt.address;
  const t = config.constituents.find((c) => c.symbol === symbol);
  if (t === undefined) throw new Error(`unknown symbol ${symbol}`);
  return t.address;
}

/** Starts anvil forking mainnet at the pinned block and returns a BenchEnv over config/mainnet.json. */
export async function startForkBenchEnv(config: MainnetConfig = readMainnetConfig()): Promise<BenchEnv> {
  const forkUrl = process.env.FORK_URL ?? "";
  if (forkUrl === "") throw new Error(forkSkipReason());
  const anvil = await startAnvil({
    args: ["--fork-url", forkUrl, "--fork-block-number", String(config.forkBlock), "--no-rate-limit", "--steps-tracing"],
    startTimeoutMs: 120_000,
  });
  try {
    const chain: Chain = { ...mainnet, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const transport = http(anvil.rpcUrl, { retryCount: 0, timeout: 120_000 });
    const publicClient: LocalPublicClient = createPublicClient({ chain, transport, pollingInterval: 25 });
    const testClient: LocalTestClient = createTestClient({ chain, transport, mode: "anvil", pollingInterval: 25 });
    const wallets = devAccounts().map(
      (account): LocalWalletClient => createWalletClient({ chain, transport, account, pollingInterval: 25 }),
    );
    // Time stands still at the fork block (+1 s a block), so feeds fresh at the pinned block stay fresh.
    const forkBlock = await publicClient.getBlock({ blockNumber: BigInt(config.forkBlock) });
    await testClient.setNextBlockTimestamp({ timestamp: forkBlock.timestamp + 1n });
    await testClient.setBlockTimestampInterval({ interval: 1 });

    const constituents: BenchToken[] = [];
    for (const c of config.constituents) {
      const tokens = c.route.map((s) => resolveSymbol(config, s));
      const pools: Address[] = [];
      for (let h = 0; h < c.fees.length; h++) {
        const pool = await publicClient.readContract({
          address: config.uniswapV3.factory,
          abi: uniswapV3FactoryAbi,
          functionName: "getPool",
          args: [tokens[h]!, tokens[h + 1]!, c.fees[h]!],
        });
        if (pool === "0x0000000000000000000000000000000000000000") throw new Error(`no Uniswap V3 pool ${c.route[h]}/${c.route[h + 1]} ${c.fees[h]}`);
        pools.push(getAddress(pool));
      }
      constituents.push({
        symbol: c.symbol,
        address: c.address,
        decimals: c.decimals,
        feed: c.feed,
        heartbeat: c.heartbeat,
        buyRouteTokens: tokens,
        buyRouteFees: c.fees,
        pools,
      });
    }
    const market: BenchMarket = {
      usdt: config.usdt.address,
      usdtFeed: config.usdt.feed,
      usdtHeartbeat: config.usdt.heartbeat,
      uniswapFactory: config.uniswapV3.factory,
      swapRouter: config.uniswapV3.swapRouter,
      quoterV2: config.uniswapV3.quoterV2,
      constituents,
    };

    const slots = new Map<string, Hex | null>();
    const setBalance = async (token: Address, holder: Address, amount: bigint): Promise<boolean> => {
      const id = `${token}:${holder}`;
      let slot = slots.get(id);
      if (slot === undefined) {
        slot = (await findBalanceSlot(publicClient, token, holder)) ?? null;
        slots.set(id, slot);
      }
      if (slot === null) return false;
      await testClient.setStorageAt({ address: token, index: slot, value: pad(numberToHex(amount), { size: 32 }) });
      return true;
    };
    const balanceOf = (token: Address, who: Address) =>
      publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });

    const fund = async (token: Address, to: Address, amount: bigint): Promise<void> => {
      const current = await balanceOf(token, to);
      if (await setBalance(token, to, current + amount)) return;
      // Balances kept elsewhere (e.g. SNX's TokenState): buy exactly `amount` along the token's route with USDT.
      const t = constituents.find((c) => c.address === token);
      const buyer = wallets.find((w) => w.account.address === to);
      if (t === undefined || buyer === undefined) throw new Error(`cannot fund ${token} for ${to}`);
      const usdtBudget = 10n ** 15n; // {USDT units} a billion USDT: exact output never spends it
      await setBalance(market.usdt, to, (await balanceOf(market.usdt, to)) + usdtBudget);
      await confirm({ publicClient }, await buyer.writeContract({ address: market.usdt, abi: erc20Abi, functionName: "approve", args: [market.swapRouter, 0n] }));
      await confirm({ publicClient }, await buyer.writeContract({ address: market.usdt, abi: erc20Abi, functionName: "approve", args: [market.swapRouter, maxUint256] }));
      // exactOutput takes the path reversed (tokenOut first).
      const rev = [...t.buyRouteTokens].reverse();
      const fees = [...t.buyRouteFees].reverse();
      let path: Hex = rev[0]!.toLowerCase() as Hex;
      fees.forEach((fee, i) => {
        path = `${path}${fee.toString(16).padStart(6, "0")}${rev[i + 1]!.slice(2).toLowerCase()}` as Hex;
      });
      await confirm(
        { publicClient },
        await buyer.writeContract({
          address: market.swapRouter,
          abi: swapRouterAbi,
          functionName: "exactOutput",
          args: [{ path, recipient: to, deadline: 2n ** 48n, amountOut: amount, amountInMaximum: usdtBudget }],
        }),
      );
    };

    return {
      mode: "fork",
      description: `anvil forking Ethereum mainnet at block ${config.forkBlock} (config/mainnet.json)`,
      publicClient,
      testClient,
      wallets,
      market,
      fund,
      stop: anvil.stop,
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
