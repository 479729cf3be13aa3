// The hardhat-deploy scripts (deploy/) on a brand-new anvil: they deploy the local market with the fixture's forge
// script, the protocol and the three example indexes of config/local.json; a second run changes nothing. And the
// config layer: local and mainnet configs resolve to the exact `createVault` arguments, bad configs are refused.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, createWalletClient, erc20Abi, getAddress, http, keccak256, toBytes } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDeployments, type Deployments } from "../../cli/deployments";
import { hardhatDeploy } from "../../cli/testing";
import { constituentParams, loadDeployConfig, resolveMarket } from "../../config/index";
import { devAccounts } from "../../sdk/local/accounts";
import { startAnvil, type AnvilInstance } from "../../sdk/local/anvil";
import { iIndexFactoryAbi, indexVaultAbi } from "../../sdk/generated/abis";
import { LOCAL_ANVIL_ARGS } from "../../sdk/local/localChain";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";

const root = repoRoot();
let anvil: AnvilInstance;
let dir: string;
let firstRun: string;
let deployments: Deployments;

beforeAll(async () => {
  anvil = await startAnvil({ args: LOCAL_ANVIL_ARGS });
  mkdirSync(join(root, "cache", "test-deploy"), { recursive: true });
  dir = mkdtempSync(join(root, "cache", "test-deploy", "fresh-"));
  firstRun = await hardhatDeploy(anvil.rpcUrl, { HARDHAT_DEPLOYMENTS_DIR: dir });
  deployments = readDeployments(join(dir, "localhost"));
}, 300_000);

afterAll(async () => {
  await anvil?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("hardhat deploy on a fresh anvil", () => {
  it("test_deploy_freshChain_deploysMarketProtocolAndThreeIndexes", async () => {
    expect(firstRun).toMatch(/deploying the local market with forge/);
    for (const name of ["LocalMarket", "USDT", "IndexVaultConfigurator", "IndexVault", "IndexFactory", "Index_btc-eth", "Index_defi", "Index_top10"]) {
      expect(deployments.records.has(name), `${name} recorded`).toBe(true);
    }
    expect(deployments.chainId).toBe(31337);
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    for (const record of deployments.records.values()) {
      expect(await client.getCode({ address: record.address }), `${record.name} has code`).toMatch(/^0x[0-9a-f]{2,}/);
    }
    const factory = deployments.records.get("IndexFactory")!.address;
    const vaults = await client.readContract({ address: factory, abi: iIndexFactoryAbi, functionName: "vaults" });
    expect(vaults).toEqual(["Index_btc-eth", "Index_defi", "Index_top10"].map((n) => deployments.records.get(n)!.address));
  }, 60_000);

  it("test_deploy_indexes_matchConfigBasketsAndRoles", async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const config = loadDeployConfig(root, 31337);
    const market = resolveMarket(config, deployments.localMarket);
    const keeper = devAccounts()[1]!.address;
    const feeRecipient = devAccounts()[9]!.address;
    for (const index of config.indexes) {
      const vault = deployments.records.get(`Index_${index.id}`)!.address;
      const v = { address: vault, abi: indexVaultAbi } as const;
      expect(await client.readContract({ ...v, functionName: "name" })).toBe(index.name);
      expect(await client.readContract({ ...v, functionName: "symbol" })).toBe(index.symbol);
      const expected = constituentParams(index, market);
      expect(Number(await client.readContract({ ...v, functionName: "constituentCount" }))).toBe(expected.length);
      for (const [i, c] of expected.entries()) {
        const info = await client.readContract({ ...v, functionName: "constituent", args: [BigInt(i)] });
        expect(info.token).toBe(c.token);
        expect(info.targetWeightBps).toBe(c.targetWeightBps);
        expect(info.feed).toBe(c.feed);
        expect(info.heartbeat).toBe(c.heartbeat);
        expect(info.path).toEqual(c.path);
      }
      const cfg = await client.readContract({ ...v, functionName: "config" });
      expect(cfg.mintFeeBps).toBe(config.defaults.mintFeeBps);
      expect(cfg.burnFeeBps).toBe(config.defaults.burnFeeBps);
      expect(cfg.maxSlippageBps).toBe(config.defaults.maxSlippageBps);
      expect(cfg.minDeposit).toBe(config.defaults.minDeposit);
      expect(cfg.feeRecipient).toBe(feeRecipient);
      const keeperRole = keccak256(toBytes("KEEPER_ROLE"));
      expect(await client.readContract({ ...v, functionName: "hasRole", args: [keeperRole, keeper] })).toBe(true);
    }
  }, 60_000);

  it("test_deploy_secondRun_reusesEverything", async () => {
    const before = await createPublicClient({ transport: http(anvil.rpcUrl) }).getBlockNumber();
    const output = await hardhatDeploy(anvil.rpcUrl, { HARDHAT_DEPLOYMENTS_DIR: dir });
    expect(output).not.toMatch(/deploying "/);
    expect(output).toMatch(/reusing LocalMarket/);
    expect(output).toMatch(/reusing Index_top10/);
    expect(await createPublicClient({ transport: http(anvil.rpcUrl) }).getBlockNumber()).toBe(before);
  }, 120_000);
});

describe("deployment config", () => {
  it("test_loadDeployConfig_mainnet_resolvesBenchMarketAndIndexes", () => {
    const config = loadDeployConfig(root, 1);
    const market = resolveMarket(config);
    expect(market.usdt).toBe(getAddress("0xdAC17F958D2ee523a2206206994597C13D831ec7"));
    expect(market.uniswapFactory).toBe(getAddress("0x1F98431c8aD98523631AE4a59f267346ea31F984"));
    const ids = config.indexes.map((i) => i.id);
    expect(ids).toEqual(["btc-eth", "defi", "top10"]);
    for (const index of config.indexes) {
      const basket = constituentParams(index, market);
      for (const c of basket) {
        expect(c.path[0]).toBe(market.usdt);
        expect(c.path[c.path.length - 1]).toBe(c.token);
        expect(c.fees).toHaveLength(c.path.length - 1);
      }
      expect(basket.reduce((s, c) => s + c.targetWeightBps, 0)).toBe(10_000);
    }
  });

  it("test_loadDeployConfig_badWeights_reverts", () => {
    const tmp = mkdtempSync(join(root, "cache", "test-deploy", "cfg-"));
    try {
      const file = join(tmp, "bad.json");
      const good = JSON.parse(JSON.stringify(loadDeployConfig(root, 31337), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as {
        indexes: { constituents: { symbol: string; weightBps: number }[] }[];
      };
      good.indexes[0]!.constituents[0]!.weightBps = 5000; // 5000 + 4000
      writeFileSync(file, JSON.stringify(good));
      expect(() => loadDeployConfig(root, 31337, file)).toThrow(/weights sum to 9000 bps/);
      good.indexes[0]!.constituents[0]!.weightBps = 6000;
      good.indexes[0]!.constituents[1]!.symbol = "WBTC";
      writeFileSync(file, JSON.stringify(good));
      expect(() => loadDeployConfig(root, 31337, file)).toThrow(/listed twice/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("test_configNameForChain_unknownChain_reverts", () => {
    expect(() => loadDeployConfig(root, 10)).toThrow(/no deployment config for chain 10/);
  });
});

describe("hardhat deploy on a fork of an external market", () => {
  // A real-market deployment rehearsed offline: anvil forks the suite's local chain, and the config describes that
  // market as "external" (addresses in the file, no local-market script). The deployer holds none of the tokens,
  // so the index script buys the fee-on-transfer probes with the fork's ETH through Uniswap's SwapRouter.
  const local = useLocalChain();

  it("test_deploy_externalMarketOnFork_buysProbesAndCreatesIndexes", async () => {
    const m = local.chain.market;
    const tokens = Object.fromEntries(
      m.constituents.map((c) => [
        c.symbol,
        {
          address: c.address,
          decimals: c.decimals,
          feed: c.feed,
          heartbeat: c.heartbeat,
          route: { path: c.buyRouteTokens.map((t) => (t === m.usdt ? "USDT" : m.constituents.find((x) => x.address === t)!.symbol)), fees: c.buyRouteFees },
        },
      ]),
    );
    const config = {
      network: "fork-rehearsal",
      market: {
        kind: "external",
        uniswapFactory: m.uniswapFactory,
        swapRouter: m.swapRouter,
        quoterV2: m.quoterV2,
        usdt: { address: m.usdt, decimals: 6, feed: m.usdtFeed, heartbeat: m.usdtHeartbeat },
        tokens,
      },
      roles: { admin: "deployer", manager: "deployer", guardian: "deployer", keeper: "deployer", feeRecipient: "deployer" },
      defaults: { mintFeeBps: 30, burnFeeBps: 30, managementFeeBps: 100, maxSlippageBps: 100, minDeposit: "100000000" },
      indexes: [
        { id: "btc-eth", name: "BTC/ETH Index", symbol: "BTCETH", constituents: [{ symbol: "WBTC", weightBps: 6000 }, { symbol: "WETH", weightBps: 4000 }] },
        { id: "two-hop", name: "Two-hop Index", symbol: "YFIX", constituents: [{ symbol: "YFI", weightBps: 5000 }, { symbol: "LINK", weightBps: 5000 }] },
      ],
    };
    const tmp = mkdtempSync(join(root, "cache", "test-deploy", "fork-"));
    const fork = await startAnvil({ args: [...LOCAL_ANVIL_ARGS, "--fork-url", local.chain.rpcUrl] });
    try {
      // The deployer (account 0) provided the local market's liquidity: on the fork, it gives away what it holds of
      // the index tokens, so it has ETH but none of them, like a fresh mainnet deployer.
      const deployer = createWalletClient({ account: devAccounts()[0]!, transport: http(fork.rpcUrl), chain: { ...foundry, id: 31337 } });
      const forkClient = createPublicClient({ transport: http(fork.rpcUrl) });
      for (const symbol of ["WBTC", "WETH", "YFI", "LINK"]) {
        const token = m.constituents.find((c) => c.symbol === symbol)!.address;
        const balance = await forkClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [deployer.account.address] });
        if (balance > 0n) {
          const hash = await deployer.writeContract({ address: token, abi: erc20Abi, functionName: "transfer", args: ["0x000000000000000000000000000000000000dEaD", balance] });
          await forkClient.waitForTransactionReceipt({ hash });
        }
      }
      const configFile = join(tmp, "fork.json");
      writeFileSync(configFile, JSON.stringify(config));
      const output = await hardhatDeploy(fork.rpcUrl, { HARDHAT_DEPLOYMENTS_DIR: join(tmp, "deployments"), DEPLOY_CONFIG: configFile });
      expect(output).not.toMatch(/deploying the local market/);
      expect(output).toMatch(/bought 10000 units of/);
      const records = readDeployments(join(tmp, "deployments", "localhost"));
      expect(records.records.has("LocalMarket")).toBe(false);
      const client = createPublicClient({ transport: http(fork.rpcUrl) });
      const factory = records.records.get("IndexFactory")!.address;
      const vaults = await client.readContract({ address: factory, abi: iIndexFactoryAbi, functionName: "vaults" });
      expect(vaults).toHaveLength(2);
      const twoHop = await client.readContract({ address: vaults[1]!, abi: indexVaultAbi, functionName: "constituent", args: [0n] });
      expect(twoHop.path).toHaveLength(3); // USDT → WETH → YFI
    } finally {
      await fork.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
