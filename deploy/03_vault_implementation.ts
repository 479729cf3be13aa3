// 03 · IndexVault implementation: the logic every index vault clones (ERC-1167), bound to the configurator and the
// rebalancing module (both DELEGATECALL targets). Never used directly.
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { vaultTakesRebalancer } from "./02_rebalancer";

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployer } = await hre.getNamedAccounts();
  const configurator = await hre.deployments.get("IndexVaultConfigurator");
  const args: string[] = [configurator.address];
  if (await vaultTakesRebalancer(hre)) args.push((await hre.deployments.get("IndexVaultRebalancer")).address);
  await hre.deployments.deploy("IndexVault", { from: deployer!, args, log: true });
};

func.tags = ["VaultImplementation", "Protocol", "core"];
func.dependencies = ["Configurator", "Rebalancer"];

export default func;
