// 04 · IndexFactory: clones the implementation, initialises each vault in the same transaction, probes every
// constituent for a transfer fee and keeps the registry integrators trust (`isVault`, `vaults()`).
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployer } = await hre.getNamedAccounts();
  const implementation = await hre.deployments.get("IndexVault");
  await hre.deployments.deploy("IndexFactory", { from: deployer!, args: [implementation.address], log: true });
};

func.tags = ["Factory", "Protocol", "core"];
func.dependencies = ["VaultImplementation"];

export default func;
