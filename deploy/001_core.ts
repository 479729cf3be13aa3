// hardhat-deploy: the protocol core — IndexVaultConfigurator(USDT, Uniswap V3 factory), the IndexVault
// implementation (behind it) and the IndexFactory that clones it. Tags: core.
//
// Where USDT and the Uniswap V3 factory come from:
//   - env DEPLOY_USDT / DEPLOY_UNISWAP_FACTORY when set (any network);
//   - otherwise, on local networks (chain 31337), the local-market JSON at LOCAL_MARKET_JSON written by
//     script/DeployLocalMarket.s.sol (default cache/local-market.json).
// Run: LOCAL_MARKET_JSON=cache/local-market.json npx hardhat deploy --network localhost --tags core --reset
import { readFileSync } from "fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DeployFunction } from "hardhat-deploy/types";

const LOCAL_CHAIN_ID = 31337;

interface CoreInputs {
  usdt: string;
  uniswapFactory: string;
}

function inputsFor(chainId: number): CoreInputs {
  const usdt = process.env.DEPLOY_USDT;
  const uniswapFactory = process.env.DEPLOY_UNISWAP_FACTORY;
  if (usdt !== undefined && usdt !== "" && uniswapFactory !== undefined && uniswapFactory !== "") {
    return { usdt, uniswapFactory };
  }
  if (chainId !== LOCAL_CHAIN_ID) {
    throw new Error(`deploy/001_core: set DEPLOY_USDT and DEPLOY_UNISWAP_FACTORY for chain ${chainId}`);
  }
  const file = process.env.LOCAL_MARKET_JSON ?? "cache/local-market.json";
  const market = JSON.parse(readFileSync(file, "utf8")) as Partial<CoreInputs>;
  if (typeof market.usdt !== "string" || typeof market.uniswapFactory !== "string") {
    throw new Error(`deploy/001_core: ${file} lacks usdt / uniswapFactory`);
  }
  return { usdt: market.usdt, uniswapFactory: market.uniswapFactory };
}

const deployCore: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, getChainId } = hre;
  const { deployer } = await getNamedAccounts();
  if (deployer === undefined) throw new Error("deploy/001_core: no deployer account (set PRIVATE_KEY)");
  const { usdt, uniswapFactory } = inputsFor(Number(await getChainId()));

  const configurator = await deployments.deploy("IndexVaultConfigurator", {
    from: deployer,
    args: [usdt, uniswapFactory],
    log: true,
  });
  const implementation = await deployments.deploy("IndexVault", {
    from: deployer,
    args: [configurator.address],
    log: true,
  });
  await deployments.deploy("IndexFactory", {
    from: deployer,
    args: [implementation.address],
    log: true,
  });
};

deployCore.tags = ["core"];
export default deployCore;
