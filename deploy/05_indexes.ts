// 05 · Example indexes: one vault per `indexes[]` entry of config/<network>.json (a BTC/ETH index, a DeFi index and
// a 10-token index), created through the factory and saved as `Index_<id>`. Re-running skips indexes already in
// the factory's registry. The factory probes each constituent for a transfer fee with PROBE_AMOUNT units from the
// deployer: on the local market they are minted; on a real market the deployer must hold them (WETH is wrapped);
// on an anvil fork of mainnet they are bought with the fork's ETH through Uniswap (see `buyProbe`).
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, type Address } from "viem";
import { constituentParams, indexDeploymentName, vaultDefaults, type ConstituentParamsValue } from "../config/index";
import { deployConfig, deployedMarket, roleAddress } from "../config/hardhat";
import { IndexFactory__factory, MockERC20__factory, MockWETH9__factory } from "../typechain-types";
import type { VaultParamsStruct } from "../typechain-types/contracts/IndexFactory";

/** {tok units} fee-on-transfer probe per constituent: ConstantsLib.MIN_PROBE_AMOUNT. */
const PROBE_AMOUNT = 10_000n;

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments } = hre;
  const config = await deployConfig(hre);
  const market = await deployedMarket(hre, config);
  const { deployer } = await hre.getNamedAccounts();
  const signer = await hre.ethers.getSigner(deployer!);
  const factoryRecord = await deployments.get("IndexFactory");
  const factory = IndexFactory__factory.connect(factoryRecord.address, signer);
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

  /** Makes sure the deployer holds and has approved the probe amount of every constituent. */
  const fundProbes = async (basket: ConstituentParamsValue[]): Promise<bigint[]> => {
    for (const c of basket) {
      const token = MockERC20__factory.connect(c.token, signer);
      const balance = await token.balanceOf(deployer!);
      if (balance < PROBE_AMOUNT) {
        if (weth !== undefined && getAddress(c.token) === getAddress(weth)) {
          await (await MockWETH9__factory.connect(c.token, signer).deposit({ value: PROBE_AMOUNT - balance })).wait();
        } else if (isLocal) {
          await (await token.mint(deployer!, PROBE_AMOUNT - balance)).wait();
        } else if (weth !== undefined && (await isAnvilFork(hre))) {
          await buyProbe(c, PROBE_AMOUNT - balance);
        } else {
          throw new Error(`the deployer ${deployer} needs ${PROBE_AMOUNT} units of ${c.token} for the factory's fee-on-transfer probe`);
        }
      }
      await (await token.approve(factoryRecord.address, PROBE_AMOUNT)).wait();
    }
    return basket.map(() => PROBE_AMOUNT);
  };

  /**
   * On an anvil fork of a real market: buys `amount` of a constituent with the deployer's (fork) ETH through the
   * Uniswap V3 SwapRouter (exact output), along WETH → USDT → the constituent's route, or its route's tail when the
   * route already passes through WETH.
   */
  const buyProbe = async (c: ConstituentParamsValue, amount: bigint): Promise<void> => {
    const wethAddress = getAddress(weth!);
    const wethFee = market.tokens.get("WETH")?.fees[0] ?? 500;
    const hops: { tokens: string[]; fees: number[] } =
      c.path.length >= 3 && getAddress(c.path[1]!) === wethAddress
        ? { tokens: c.path.slice(1), fees: c.fees.slice(1) }
        : { tokens: [wethAddress, ...c.path], fees: [wethFee, ...c.fees] };
    // exactOutput takes the path reversed: tokenOut first.
    const types: string[] = [];
    const values: (string | number)[] = [];
    const reversed = [...hops.tokens].reverse();
    const reversedFees = [...hops.fees].reverse();
    reversed.forEach((t, i) => {
      types.push("address");
      values.push(t);
      if (i < reversedFees.length) {
        types.push("uint24");
        values.push(reversedFees[i]!);
      }
    });
    const path = hre.ethers.solidityPacked(types, values);
    const maxIn = hre.ethers.parseEther("1");
    await (await MockWETH9__factory.connect(wethAddress, signer).deposit({ value: maxIn })).wait();
    await (await MockERC20__factory.connect(wethAddress, signer).approve(market.swapRouter, maxIn)).wait();
    const { abi } = require("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json") as { abi: unknown[] };
    const router = new hre.ethers.Contract(market.swapRouter, abi as never, signer);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    await (await router.getFunction("exactOutput")({ path, recipient: deployer!, deadline, amountOut: amount, amountInMaximum: maxIn })).wait();
    deployments.log(`bought ${amount} units of ${c.token} on the fork for the fee-on-transfer probe`);
  };

  for (const index of config.indexes) {
    const name = indexDeploymentName(index);
    const existing = await deployments.getOrNull(name);
    if (existing != null && (await factory.isVault(existing.address))) {
      deployments.log(`reusing ${name} at ${existing.address}`);
      continue;
    }
    const basket = constituentParams(index, market);
    const p = vaultDefaults(config, index);
    const params: VaultParamsStruct = {
      name: index.name,
      symbol: index.symbol,
      ...roles,
      mintFeeBps: p.mintFeeBps,
      burnFeeBps: p.burnFeeBps,
      managementFeeBps: p.managementFeeBps,
      maxSlippageBps: p.maxSlippageBps,
      minDeposit: p.minDeposit,
      usdtFeed: market.usdtFeed,
      usdtHeartbeat: market.usdtHeartbeat,
      sequencerFeed: "0x0000000000000000000000000000000000000000",
      sequencerGracePeriod: 0,
    };
    const probes = await fundProbes(basket);
    const tx = await factory.createVault(params, basket, probes);
    const receipt = await tx.wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`createVault for ${index.id} failed (${tx.hash})`);
    let vault: Address | undefined;
    for (const log of receipt.logs) {
      const parsed = factory.interface.parseLog(log);
      if (parsed?.name === "VaultCreated") vault = getAddress(parsed.args.vault as string);
    }
    if (vault === undefined) throw new Error(`createVault for ${index.id}: no VaultCreated event (${tx.hash})`);
    await deployments.save(name, {
      address: vault,
      abi: vaultArtifact.abi,
      transactionHash: tx.hash,
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
