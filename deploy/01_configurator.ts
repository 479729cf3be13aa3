// 01 · IndexVaultConfigurator: the delegatecall module holding the vault's initialisation and setters, bound to
// the market's USDT and Uniswap V3 factory (immutables).
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployConfig, deployedMarket } from "../config/hardhat";

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployer } = await hre.getNamedAccounts();
  const market = await deployedMarket(hre, await deployConfig(hre));
  await hre.deployments.deploy("IndexVaultConfigurator", {
    from: deployer!,
    args: [market.usdt, market.uniswapFactory],
    log: true,
  });
};

func.tags = ["Configurator", "Protocol", "core"];
func.dependencies = ["LocalMarket"];

export default func;
