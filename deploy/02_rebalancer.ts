// 02 · IndexVaultRebalancer: the rebalancing module (drift views, keeper trigger, on-chain plan, trades) that every
// vault reaches by DELEGATECALL from its fallback; it deploys its own composition module (IndexVaultComposer).
// Skipped when the IndexVault in the build takes no rebalancer (its constructor has one argument).
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** Whether this build's IndexVault constructor takes the rebalancer module. */
export async function vaultTakesRebalancer(hre: HardhatRuntimeEnvironment): Promise<boolean> {
  const artifact = await hre.deployments.getArtifact("IndexVault");
  const ctor = (artifact.abi as { type: string; inputs?: unknown[] }[]).find((item) => item.type === "constructor");
  return (ctor?.inputs?.length ?? 0) >= 2;
}

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployer } = await hre.getNamedAccounts();
  const configurator = await hre.deployments.get("IndexVaultConfigurator");
  await hre.deployments.deploy("IndexVaultRebalancer", { from: deployer!, args: [configurator.address], log: true });
};

func.tags = ["Rebalancer", "Protocol", "core"];
func.dependencies = ["Configurator"];
func.skip = async (hre) => !(await vaultTakesRebalancer(hre));

export default func;
