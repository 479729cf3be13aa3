// 00 · Local market (local networks only): real Uniswap V3 from the npm artifacts, mock USDT/WETH/constituents,
// Chainlink-style feeds and liquid pools, deployed by the SAME code as the test fixture (sdk/local/localMarket.ts runs
// script/DeployLocalMarket.s.sol). Its address book is saved as the `LocalMarket` deployment (`linkedData`).
// Skipped when config/<network>.json names a real market (mainnet, a mainnet fork).
//   LOCAL_MARKET_JSON=<file>   record a market already deployed on the node instead of deploying one
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { readFileSync } from "node:fs";
import { getAddress } from "viem";
import { parseLocalMarketJson } from "../config/index";
import { deployConfig, deployLocalMarketWithSdk, jsonSafe, LOCAL_MARKET_DEPLOYMENT, rpcUrlOf } from "../config/hardhat";

/** Block gas limit at or above which forge may batch its broadcast (see sdk DeployLocalMarketOptions.slow). */
const BATCH_GAS_LIMIT = 1_000_000_000n;

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments } = hre;
  const rpcUrl = rpcUrlOf(hre);

  const existing = await deployments.getOrNull(LOCAL_MARKET_DEPLOYMENT);
  if (existing != null) {
    const code = await hre.network.provider.request({ method: "eth_getCode", params: [existing.address, "latest"] });
    if (code !== "0x") {
      deployments.log(`reusing ${LOCAL_MARKET_DEPLOYMENT} (PriceMover ${existing.address})`);
      return;
    }
  }

  let market;
  const marketFile = process.env.LOCAL_MARKET_JSON;
  if (marketFile !== undefined && marketFile !== "") {
    market = parseLocalMarketJson(JSON.parse(readFileSync(marketFile, "utf8")));
    deployments.log(`recording the local market of ${marketFile}`);
  } else {
    const { deployer } = await hre.getNamedAccounts();
    if (deployer === undefined) throw new Error("no deployer account");
    const block = (await hre.network.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { gasLimit: string };
    const slow = BigInt(block.gasLimit) < BATCH_GAS_LIMIT;
    deployments.log(`deploying the local market with forge (script/DeployLocalMarket.s.sol${slow ? ", --slow" : ""})…`);
    market = await deployLocalMarketWithSdk(hre, { rpcUrl, deployer: getAddress(deployer), slow });
  }
  const chainId = Number(await hre.getChainId());
  if (market.chainId !== chainId) throw new Error(`local market is on chain ${market.chainId}, node is ${chainId}`);

  const priceMover = await deployments.getArtifact("PriceMover");
  await deployments.save(LOCAL_MARKET_DEPLOYMENT, { address: market.priceMover, abi: priceMover.abi, linkedData: jsonSafe(market) });
  const usdt = await deployments.getArtifact("MockUSDT");
  await deployments.save("USDT", { address: market.usdt, abi: usdt.abi });
  deployments.log(`local market: USDT ${market.usdt}, ${market.constituents.length} constituents, PriceMover ${market.priceMover}`);
};

func.tags = ["LocalMarket"];
func.skip = async (hre) => (await deployConfig(hre)).market.kind !== "local";

export default func;
