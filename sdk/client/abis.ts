// The ABIs a vault client needs, from the generated build output (sdk/generated/abis.ts, `npm run build:abis`):
// one ABI for everything the vault's address serves (IIndexVaultFull: the vault, its rebalancing module and its
// composer), the factory's, Chainlink's AggregatorV3 subset, Uniswap's QuoterV2, and ERC-20 with USDT's quirks.
import { erc20Abi, type Abi } from "viem";
import { iIndexFactoryAbi, iIndexVaultAbi, iIndexVaultComposerAbi, iIndexVaultRebalancerAbi, mockAggregatorAbi, quoterV2Abi } from "../generated/abis";

/** Everything the vault's address answers: IIndexVault, plus IIndexVaultRebalancer and IIndexVaultComposer (served through the vault's fallback). */
export const vaultAbi = [...iIndexVaultAbi, ...iIndexVaultRebalancerAbi, ...iIndexVaultComposerAbi] as const;
export const factoryAbi = iIndexFactoryAbi;
export { quoterV2Abi };

/** Chainlink's AggregatorV3Interface subset the client reads (our mock aggregator implements exactly it). */
export const aggregatorV3Abi = mockAggregatorAbi.filter(
  (item) => item.type === "function" && ["latestRoundData", "getRoundData", "decimals", "description"].includes(item.name),
);

/**
 * ERC-20 `approve` without a return value: USDT on mainnet (and its local mock) returns nothing, which a strict
 * decoder rejects. Derived from viem's standard ERC-20 ABI.
 */
export const approveNoReturnAbi = erc20Abi
  .filter((item) => item.type === "function" && item.name === "approve")
  .map((item) => ({ ...item, outputs: [] })) as Abi;

export { erc20Abi };
