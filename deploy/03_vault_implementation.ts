// 02 · IndexVault implementation: the logic every index vault clones (ERC-1167). Never used directly.
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployer } = await hre.getNamedAccounts();
  const configurator = await hre.deployments.get("IndexVaultConfigurator");
  await hre.deployments.deploy("IndexVault", { from: deployer!, args: [configurator.address], log: true });
};

func.tags = ["VaultImplementation", "Protocol", "core"];
func.dependencies = ["Configurator"];

export default func;
