// 05 · Example indexes: one vault per `indexes[]` entry of config/<network>.json (a BTC/ETH index, a DeFi index and
// a 10-token index), created through the factory and saved as `Index_<id>`. Re-running skips indexes already in
// the factory's registry. `VaultParams`, the probes and `createVault` come from sdk/protocol.ts (viem over hardhat's
// provider), like the benchmark's and the keeper tests' vaults; the basket is the config's (config/index.ts). The
// factory probes each constituent for a transfer fee with PROBE_AMOUNT units from the deployer: on the local market
// they are minted; on a real market the deployer must hold them (WETH is wrapped); on an anvil fork of mainnet they
// are bought with the fork's ETH through Uniswap (see `buyProbe`).
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, type Address } from "viem";
import { constituentParams, indexDeploymentName, vaultDefaults } from "../config/index";
import { deployConfig, deployedMarket, roleAddress, viemClients } from "../config/hardhat";
import { encodePath, reverseRoute } from "../sdk/client/routes";
import { indexFactoryAbi } from "../sdk/generated/abis";
import {
  createVault,
  prepareProbes,
  vaultParams,
  type ConstituentParamsValue,
} from "../sdk/protocol";
import { MockERC20__factory, MockWETH9__factory } from "../typechain-types";

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments } = hre;
  const config = await deployConfig(hre);
  const market = await deployedMarket(hre, config);
  const { deployer } = await hre.getNamedAccounts();
  const signer = await hre.ethers.getSigner(deployer!);
  const factory = getAddress((await deployments.get("IndexFactory")).address);
  const { publicClient, wallet } = await viemClients(hre, getAddress(deployer!));
  const vaultArtifact = await deployments.getArtifact("IndexVault");
  const isLocal = config.market.kind === "local";
  const weth = isLocal ? (await deployments.get("LocalMarket")).linkedData.weth as string : config.market.kind === "external" ? config.market.tokens.WETH?.address : undefined;

  const roles = {
    admin: await roleAddress(hre, config.roles.admin),
    manager: await roleAddress(hre, config.roles.manager),
    keeper: await roleAddress(hre, config.roles.keeper),
    guardian: await roleAddress(hre, config.roles.guardian),
    feeRecipient: await roleAddress(hre, config.roles.feeRecipient),
  };

  /** Makes sure the deployer holds `amount` of a constituent for the factory's fee-on-transfer probe. */
  const fundProbe = async (address: Address, owner: Address, amount: bigint): Promise<void> => {
    const token = MockERC20__factory.connect(address, signer);
    const balance = await token.balanceOf(owner);
    if (balance >= amount) return;
    if (weth !== undefined && getAddress(address) === getAddress(weth)) {
      await (await MockWETH9__factory.connect(address, signer).deposit({ value: amount - balance })).wait();
    } else if (isLocal) {
      await (await token.mint(owner, amount - balance)).wait();
    } else if (weth !== undefined && (await isAnvilFork(hre))) {
      await buyProbe(address, amount - balance);
    } else {
      throw new Error(`the deployer ${owner} needs ${amount} units of ${address} for the factory's fee-on-transfer probe`);
    }
  };

  /**
   * On an anvil fork of a real market: buys `amount` of a constituent with the deployer's (fork) ETH through the
   * Uniswap V3 SwapRouter (exact output), along WETH → USDT → the constituent's route, or its route's tail when the
   * route already passes through WETH.
   */
  const buyProbe = async (token: Address, amount: bigint): Promise<void> => {
    const c = [...market.tokens.values()].find((t) => getAddress(t.address) === getAddress(token));
    if (c === undefined) throw new Error(`${token} is not a token of the market: no route to buy its probe`);
    const wethAddress = getAddress(weth!);
    const wethFee = market.tokens.get("WETH")?.fees[0] ?? 500;
    const hops = (
      c.path.length >= 3 && getAddress(c.path[1]!) === wethAddress
        ? { tokens: c.path.slice(1), fees: c.fees.slice(1) }
        : { tokens: [wethAddress, ...c.path], fees: [wethFee, ...c.fees] }
    ) as { tokens: Address[]; fees: number[] };
    // exactOutput takes the path reversed: tokenOut first.
    const path = encodePath(reverseRoute(hops));
    const maxIn = hre.ethers.parseEther("1");
    await (await MockWETH9__factory.connect(wethAddress, signer).deposit({ value: maxIn })).wait();
    await (await MockERC20__factory.connect(wethAddress, signer).approve(market.swapRouter, maxIn)).wait();
    const { abi } = require("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json") as { abi: unknown[] };
    const router = new hre.ethers.Contract(market.swapRouter, abi as never, signer);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    await (await router.getFunction("exactOutput")({ path, recipient: deployer!, deadline, amountOut: amount, amountInMaximum: maxIn })).wait();
    deployments.log(`bought ${amount} units of ${token} on the fork for the fee-on-transfer probe`);
  };

  const isVault = async (address: string): Promise<boolean> =>
    publicClient.readContract({ address: factory, abi: indexFactoryAbi, functionName: "isVault", args: [getAddress(address)] });

  for (const index of config.indexes) {
    const name = indexDeploymentName(index);
    const existing = await deployments.getOrNull(name);
    if (existing != null && (await isVault(existing.address))) {
      deployments.log(`reusing ${name} at ${existing.address}`);
      continue;
    }
    const basket: ConstituentParamsValue[] = constituentParams(index, market);
    const params = vaultParams(
      { name: index.name, symbol: index.symbol },
      roles,
      vaultDefaults(config, index),
      { feed: market.usdtFeed, heartbeat: market.usdtHeartbeat },
    );
    const probes = await prepareProbes(publicClient, wallet, factory, basket.map((c) => c.token), fundProbe);
    const { vault, receipt } = await createVault(publicClient, wallet, factory, params, basket, probes).catch((cause: unknown) => {
      throw new Error(`createVault for ${index.id} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    });
    await deployments.save(name, {
      address: vault,
      abi: vaultArtifact.abi,
      transactionHash: receipt.transactionHash,
      linkedData: { id: index.id, name: index.name, symbol: index.symbol, constituents: index.constituents },
    });
    deployments.log(`${index.name} (${index.symbol}): ${vault} — ${index.constituents.map((c) => `${c.symbol} ${c.weightBps / 100}%`).join(", ")} (gas ${receipt.gasUsed})`);
  }
};

/** Whether the node is anvil running a fork (probes may then be bought with the fork's ETH). */
async function isAnvilFork(hre: HardhatRuntimeEnvironment): Promise<boolean> {
  try {
    const version = (await hre.network.provider.request({ method: "web3_clientVersion" })) as string;
    if (!/anvil/i.test(version)) return false;
    const info = (await hre.network.provider.request({ method: "anvil_nodeInfo" })) as { forkConfig?: { forkUrl?: string | null } };
    return typeof info.forkConfig?.forkUrl === "string" && info.forkConfig.forkUrl !== "";
  } catch {
    return false;
  }
}

func.tags = ["Indexes"];
func.dependencies = ["Factory"];

export default func;
