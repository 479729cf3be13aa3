// The local chain from TypeScript: anvil on a free loopback port (or any node given by URL) holding the local
// market deployed by the fixture's forge script, with typed viem handles. Tests, the demo and the benchmarks use it.
//
//   const chain = await startLocalChain();            // spawn anvil + deploy (~seconds)
//   const chain = await startLocalChain({ rpcUrl });  // use a running node (deploys unless `market` is given)
//   await chain.contracts.quoterV2.simulate.quoteExactInputSingle([...]);
//   await chain.stop();                               // kills the anvil it spawned; nothing is left running
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  getContract,
  http,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type GetContractReturnType,
  type HttpTransport,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from "viem";
import { foundry } from "viem/chains";
import type { HDAccount } from "viem/accounts";
import {
  mockAggregatorAbi,
  mockERC20Abi,
  mockUSDTAbi,
  mockWETH9Abi,
  nonfungiblePositionManagerAbi,
  priceMoverAbi,
  quoterV2Abi,
  swapRouterAbi,
  uniswapV3FactoryAbi,
  uniswapV3PoolAbi,
} from "../generated/abis";
import { ANVIL_MNEMONIC, devAccounts, privateKeyOf } from "./accounts";
import { rpcRequest, startAnvil, waitForRpc, type AnvilInstance } from "./anvil";
import { deployLocalMarket, readLocalMarket, type LocalMarket, type LocalMarketConstituent } from "./localMarket";

/** Polling interval for receipts and watchers on a local node {ms} (viem's default of 4 s is for real chains). */
const LOCAL_POLLING_MS = 25;

/**
 * Block gas limit of spawned anvils: 1e9 lets forge's batched broadcast fit in one block (see
 * DeployLocalMarketOptions.slow). Transactions' own gas use is unaffected.
 */
export const LOCAL_ANVIL_ARGS = ["--gas-limit", "1000000000"] as const;

export type LocalPublicClient = PublicClient<HttpTransport, Chain>;
export type LocalWalletClient = WalletClient<HttpTransport, Chain, Account>;
export type LocalTestClient = TestClient<"anvil", HttpTransport, Chain>;
/** A contract bound to the public client (reads, simulations) and one wallet (writes). */
export type LocalContract<TAbi extends Abi> = GetContractReturnType<
  TAbi,
  { public: LocalPublicClient; wallet: LocalWalletClient }
>;

export interface MarketContracts {
  uniswapFactory: LocalContract<typeof uniswapV3FactoryAbi>;
  positionManager: LocalContract<typeof nonfungiblePositionManagerAbi>;
  swapRouter: LocalContract<typeof swapRouterAbi>;
  quoterV2: LocalContract<typeof quoterV2Abi>;
  usdt: LocalContract<typeof mockUSDTAbi>;
  usdtFeed: LocalContract<typeof mockAggregatorAbi>;
  weth: LocalContract<typeof mockWETH9Abi>;
  priceMover: LocalContract<typeof priceMoverAbi>;
  /** The constituents in index order ([0] = WETH as an ERC-20, [1] = WBTC, ...). */
  tokens: LocalContract<typeof mockERC20Abi>[];
  /** Their USD feeds, same order. */
  feeds: LocalContract<typeof mockAggregatorAbi>[];
  /** Any constituent's (or USDT's) USD feed. */
  feedOf(token: Address): LocalContract<typeof mockAggregatorAbi>;
  /** Any Uniswap V3 pool. */
  pool(address: Address): LocalContract<typeof uniswapV3PoolAbi>;
}

export interface LocalChainOptions {
  /** Use this running node instead of spawning anvil (e.g. `--rpc http://127.0.0.1:8545`). */
  rpcUrl?: string;
  /** An already-deployed market on that node (object or JSON file); otherwise it is deployed now. */
  market?: LocalMarket | string;
  /** anvil state (from `dumpState()`) to load into the fresh anvil; requires `market`. */
  state?: `0x${string}`;
  /** Mnemonic of the node's funded accounts; default anvil's. */
  mnemonic?: string;
  /** Extra arguments for a spawned anvil. */
  anvilArgs?: readonly string[];
  /** Show forge's deploy output. */
  verbose?: boolean;
}

export interface LocalChain {
  rpcUrl: string;
  chain: Chain;
  market: LocalMarket;
  publicClient: LocalPublicClient;
  /** anvil/hardhat cheat methods: mine, increaseTime, setBalance, impersonate, snapshot/revert. */
  testClient: LocalTestClient;
  /** Funded accounts; [0] deployed the market and owns PriceMover and the feeds. */
  accounts: readonly HDAccount[];
  /** One wallet client per account, same order. */
  walletClients: readonly LocalWalletClient[];
  /** Contracts bound to the market owner (account 0 on a spawned anvil) for writes. */
  contracts: MarketContracts;
  /** The same contracts bound to another wallet for writes. */
  contractsFor(wallet: LocalWalletClient): MarketContracts;
  /** Feed answer and pools moved as an arbitrageur would (PriceMover.moveMarket, by account 0). */
  setMarketPrice(token: Address, priceUsd8: bigint): Promise<void>;
  /** Funds `to` with `amount` raw units of USDT or a constituent (WETH is backed by ETH, so withdraw works). */
  mintTo(token: Address, to: Address, amount: bigint): Promise<void>;
  /** Takes an EVM snapshot; calling the returned function reverts to it. */
  snapshot(): Promise<() => Promise<void>>;
  /** Serialized node state (anvil_dumpState), to start other anvils from with `state`. */
  dumpState(): Promise<`0x${string}`>;
  /** Stops the anvil this module spawned (no-op for an external node). Idempotent. */
  stop(): Promise<void>;
}

/** Starts (or connects to) a node, makes sure the local market is on it, and returns typed handles. */
export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  if (options.state !== undefined && options.market === undefined) {
    throw new Error("startLocalChain: `state` needs the `market` it holds");
  }
  let anvil: AnvilInstance | undefined;
  let rpcUrl: string;
  if (options.rpcUrl === undefined) {
    anvil = await startAnvil({ args: [...LOCAL_ANVIL_ARGS, ...(options.anvilArgs ?? [])] });
    rpcUrl = anvil.rpcUrl;
  } else {
    rpcUrl = options.rpcUrl;
    await waitForRpc(rpcUrl, 10_000);
  }
  try {
    if (options.state !== undefined) await rpcRequest<boolean>(rpcUrl, "anvil_loadState", [options.state]);
    const accounts = devAccounts(options.mnemonic ?? ANVIL_MNEMONIC);
    const deployer = accounts[0];
    if (deployer === undefined) throw new Error("no dev account");
    const market =
      options.market === undefined
        ? await deployLocalMarket(rpcUrl, {
            privateKey: privateKeyOf(deployer),
            verbose: options.verbose ?? false,
            slow: anvil === undefined,
          })
        : typeof options.market === "string"
          ? readLocalMarket(options.market)
          : options.market;
    return await connectLocalChain(rpcUrl, market, { accounts, stop: anvil?.stop ?? (async () => {}) });
  } catch (error) {
    await anvil?.stop();
    throw error;
  }
}

/** Typed handles for a market already on the node at `rpcUrl`. Checks the node is the chain the market is on. */
export async function connectLocalChain(
  rpcUrl: string,
  market: LocalMarket,
  options: { accounts?: readonly HDAccount[]; stop?: () => Promise<void> } = {},
): Promise<LocalChain> {
  const chainId = Number(BigInt(await rpcRequest<string>(rpcUrl, "eth_chainId")));
  if (chainId !== market.chainId) throw new Error(`node ${rpcUrl} is chain ${chainId}, market is on ${market.chainId}`);
  await assertDeployed(rpcUrl, market);

  const chain: Chain = { ...foundry, id: chainId, rpcUrls: { default: { http: [rpcUrl] } } };
  const transport = http(rpcUrl, { retryCount: 0 });
  const publicClient: LocalPublicClient = createPublicClient({ chain, transport, pollingInterval: LOCAL_POLLING_MS });
  const testClient: LocalTestClient = createTestClient({ chain, transport, mode: "anvil", pollingInterval: LOCAL_POLLING_MS });
  const accounts = options.accounts ?? devAccounts();
  const walletClients = accounts.map(
    (account): LocalWalletClient => createWalletClient({ chain, transport, account, pollingInterval: LOCAL_POLLING_MS }),
  );
  // Writes go through the market's owner (it owns PriceMover and the feeds) when we hold its key.
  const ownerIndex = Math.max(0, accounts.findIndex((a) => a.address === market.owner));
  const owner = walletClients[ownerIndex];
  if (owner === undefined) throw new Error("connectLocalChain: no accounts");

  const contractsFor = (wallet: LocalWalletClient): MarketContracts => {
    const client = { public: publicClient, wallet };
    const bind = <TAbi extends Abi>(abi: TAbi, address: Address): LocalContract<TAbi> =>
      getContract({ abi, address, client });
    const feedByToken = new Map<Address, Address>([[market.usdt, market.usdtFeed]]);
    for (const c of market.constituents) feedByToken.set(c.address, c.feed);
    return {
      uniswapFactory: bind(uniswapV3FactoryAbi, market.uniswapFactory),
      positionManager: bind(nonfungiblePositionManagerAbi, market.positionManager),
      swapRouter: bind(swapRouterAbi, market.swapRouter),
      quoterV2: bind(quoterV2Abi, market.quoterV2),
      usdt: bind(mockUSDTAbi, market.usdt),
      usdtFeed: bind(mockAggregatorAbi, market.usdtFeed),
      weth: bind(mockWETH9Abi, market.weth),
      priceMover: bind(priceMoverAbi, market.priceMover),
      tokens: market.constituents.map((c) => bind(mockERC20Abi, c.address)),
      feeds: market.constituents.map((c) => bind(mockAggregatorAbi, c.feed)),
      feedOf: (token) => {
        const feed = feedByToken.get(getAddress(token));
        if (feed === undefined) throw new Error(`${token} is not a local-market token`);
        return bind(mockAggregatorAbi, feed);
      },
      pool: (address) => bind(uniswapV3PoolAbi, address),
    };
  };
  const contracts = contractsFor(owner);

  /** Sends a transaction and fails loudly if it reverted. */
  const confirm = async (hash: `0x${string}`): Promise<void> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: LOCAL_POLLING_MS });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };

  return {
    rpcUrl,
    chain,
    market,
    publicClient,
    testClient,
    accounts,
    walletClients,
    contracts,
    contractsFor,
    async setMarketPrice(token, priceUsd8) {
      const args = [getAddress(token), priceUsd8] as const;
      // anvil's eth_estimateGas is sometimes a few hundred gas short for the pool swaps and their callbacks
      // (seen: 469,728 used of 471,590 estimated, then out of gas): send with a margin.
      const estimate = await contracts.priceMover.estimateGas.moveMarket(args, { account: owner.account });
      await confirm(await contracts.priceMover.write.moveMarket(args, { gas: (estimate * 3n) / 2n }));
    },
    async mintTo(token, to, amount) {
      const t = getAddress(token);
      if (t === market.usdt) {
        await confirm(await contracts.usdt.write.mint([to, amount]));
        return;
      }
      if (t === market.weth) {
        // MockWETH9.mint does not take ETH: back it so withdraw() works, as LocalMarket.mintTo does.
        const balance = await publicClient.getBalance({ address: market.weth });
        await testClient.setBalance({ address: market.weth, value: balance + amount });
        await confirm(await contracts.weth.write.mint([to, amount]));
        return;
      }
      constituentOfMarket(market, t);
      await confirm(await bindToken(contracts, market, t).write.mint([to, amount]));
    },
    async snapshot() {
      const id = await testClient.snapshot();
      return async () => {
        const ok = await rpcRequest<boolean>(rpcUrl, "evm_revert", [id]);
        if (!ok) throw new Error(`evm_revert(${id}) failed`);
      };
    },
    async dumpState() {
      return rpcRequest<`0x${string}`>(rpcUrl, "anvil_dumpState");
    },
    stop: options.stop ?? (async () => {}),
  };
}

/** Every contract the market names must have code on the node (catches partial or foreign deployments). */
async function assertDeployed(rpcUrl: string, market: LocalMarket): Promise<void> {
  const named: [string, Address][] = [
    ["PriceMover", market.priceMover],
    ["UniswapV3Factory", market.uniswapFactory],
    ["NonfungiblePositionManager", market.positionManager],
    ["SwapRouter", market.swapRouter],
    ["QuoterV2", market.quoterV2],
    ["USDT", market.usdt],
    ["USDT feed", market.usdtFeed],
  ];
  for (const c of market.constituents) {
    named.push([c.symbol, c.address], [`${c.symbol} feed`, c.feed]);
    c.pools.forEach((pool, hop) => named.push([`${c.symbol} pool (hop ${hop})`, pool]));
  }
  const missing: string[] = [];
  await Promise.all(
    named.map(async ([label, address]) => {
      const code = await rpcRequest<string>(rpcUrl, "eth_getCode", [address, "latest"]);
      if (code === "0x") missing.push(`${label} ${address}`);
    }),
  );
  if (missing.length > 0) {
    throw new Error(`local market not (fully) deployed on ${rpcUrl}; no code at: ${missing.sort().join(", ")}`);
  }
}

function constituentOfMarket(market: LocalMarket, token: Address): LocalMarketConstituent {
  const found = market.constituents.find((c) => c.address === token);
  if (found === undefined) throw new Error(`${token} is not a local-market token`);
  return found;
}

function bindToken(contracts: MarketContracts, market: LocalMarket, token: Address): LocalContract<typeof mockERC20Abi> {
  const index = market.constituents.findIndex((c) => c.address === token);
  const contract = contracts.tokens[index];
  if (contract === undefined) throw new Error(`${token} is not a local-market token`);
  return contract;
}
