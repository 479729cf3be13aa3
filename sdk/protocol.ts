// The protocol's deployment in one place, with viem: the contracts (configurator → rebalancer → implementation →
// factory) from the generated creation bytecode, the `VaultParams` and constituent list a vault is created with, and
// the vault's creation through the factory. Used by the benchmark and the keeper's chain tests; the hardhat-deploy
// scripts (deploy/) record their deployments with hardhat-deploy and share the parameter assembly.
import { getAddress, zeroAddress, type Address, type Hash, type TransactionReceipt } from "viem";
import {
  bytecodes,
  indexFactoryAbi,
  indexVaultAbi,
  indexVaultConfiguratorAbi,
  indexVaultRebalancerAbi,
} from "./generated/abis";
import type { LocalPublicClient, LocalWalletClient } from "./localChain";

/** The addresses of one protocol deployment. */
export interface ProtocolDeployment {
  readonly configurator: Address;
  /** The rebalancing module (DELEGATECALL target of the vault's fallback). */
  readonly rebalancer: Address;
  /** The IndexVault implementation every vault clones. */
  readonly implementation: Address;
  readonly factory: Address;
}

/** What a deployment needs from a market. */
export interface ProtocolMarket {
  readonly usdt: Address;
  readonly uniswapFactory: Address;
}

/** A constituent as the market describes it (the local market's address book has this shape). */
export interface MarketConstituent {
  readonly address: Address;
  readonly feed: Address;
  /** {s} */
  readonly heartbeat: number;
  /** Buy route from USDT to the constituent. */
  readonly buyRouteTokens: readonly Address[];
  /** Uniswap V3 fee tier of each hop {hundredths of a bip}. */
  readonly buyRouteFees: readonly number[];
}

/** `ConstituentParams` as `IndexFactory.createVault` takes it. */
export interface ConstituentParamsValue {
  readonly token: Address;
  readonly targetWeightBps: number;
  readonly feed: Address;
  readonly heartbeat: number;
  readonly path: readonly Address[];
  readonly fees: readonly number[];
}

/** The roles a vault is created with. */
export interface VaultRoles {
  readonly admin: Address;
  readonly manager: Address;
  readonly keeper: Address;
  readonly guardian: Address;
  readonly feeRecipient: Address;
}

/** The economic parameters a vault is created with. */
export interface VaultEconomics {
  /** {bps} */
  readonly mintFeeBps: number;
  /** {bps} */
  readonly burnFeeBps: number;
  /** {bps per year} */
  readonly managementFeeBps: number;
  /** {bps} per-swap bound below the Chainlink value. */
  readonly maxSlippageBps: number;
  /** {USDT units} */
  readonly minDeposit: bigint;
}

/** `VaultParams` as `IndexFactory.createVault` takes it. */
export interface VaultParamsValue extends VaultRoles, VaultEconomics {
  readonly name: string;
  readonly symbol: string;
  readonly usdtFeed: Address;
  readonly usdtHeartbeat: number;
  readonly sequencerFeed: Address;
  readonly sequencerGracePeriod: number;
}

/** {tok units} The fee-on-transfer probe the factory takes per constituent (ConstantsLib.MIN_PROBE_AMOUNT). */
export const PROBE_AMOUNT = 10_000n;

/** Equal weights {bps} over `n` constituents, the last taking the remainder (VaultFixture._equalWeights). */
export function equalWeights(n: number): number[] {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`equalWeights: n must be a positive integer, got ${n}`);
  const each = Math.floor(10_000 / n);
  return Array.from({ length: n }, (_, i) => (i + 1 === n ? 10_000 - each * (n - 1) : each));
}

/** The constituent list of a vault over `constituents` with `weights` {bps} (default: equal weights). */
export function constituentParams(
  constituents: readonly MarketConstituent[],
  weights: readonly number[] = equalWeights(constituents.length),
): ConstituentParamsValue[] {
  if (weights.length !== constituents.length) {
    throw new Error(`constituentParams: ${weights.length} weights for ${constituents.length} constituents`);
  }
  return constituents.map((c, i) => ({
    token: c.address,
    targetWeightBps: weights[i]!,
    feed: c.feed,
    heartbeat: c.heartbeat,
    path: [...c.buyRouteTokens],
    fees: [...c.buyRouteFees],
  }));
}

/** `VaultParams` for an L1 vault (no sequencer feed). */
export function vaultParams(
  identity: { readonly name: string; readonly symbol: string },
  roles: VaultRoles,
  economics: VaultEconomics,
  usdtFeed: { readonly feed: Address; readonly heartbeat: number },
): VaultParamsValue {
  return {
    name: identity.name,
    symbol: identity.symbol,
    ...roles,
    ...economics,
    usdtFeed: usdtFeed.feed,
    usdtHeartbeat: usdtFeed.heartbeat,
    sequencerFeed: zeroAddress,
    sequencerGracePeriod: 0,
  };
}

/** Waits for `hash` and throws if it reverted. */
export async function confirm(publicClient: LocalPublicClient, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 25 });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

async function deployed(publicClient: LocalPublicClient, hash: Hash): Promise<Address> {
  const receipt = await confirm(publicClient, hash);
  if (receipt.contractAddress == null) throw new Error(`deployment ${hash} created no contract`);
  return getAddress(receipt.contractAddress);
}

/** Deploys configurator → rebalancer → implementation → factory for `market`, from `wallet`. */
export async function deployProtocol(
  publicClient: LocalPublicClient,
  wallet: LocalWalletClient,
  market: ProtocolMarket,
): Promise<ProtocolDeployment> {
  const configurator = await deployed(
    publicClient,
    await wallet.deployContract({
      abi: indexVaultConfiguratorAbi,
      bytecode: bytecodes.IndexVaultConfigurator,
      args: [market.usdt, market.uniswapFactory],
    }),
  );
  const rebalancer = await deployed(
    publicClient,
    await wallet.deployContract({ abi: indexVaultRebalancerAbi, bytecode: bytecodes.IndexVaultRebalancer, args: [configurator] }),
  );
  const implementation = await deployed(
    publicClient,
    await wallet.deployContract({ abi: indexVaultAbi, bytecode: bytecodes.IndexVault, args: [configurator, rebalancer] }),
  );
  const factory = await deployed(
    publicClient,
    await wallet.deployContract({ abi: indexFactoryAbi, bytecode: bytecodes.IndexFactory, args: [implementation] }),
  );
  return { configurator, rebalancer, implementation, factory };
}

/**
 * Creates a vault through the factory (simulated first, so a revert surfaces with its reason). The caller must hold and
 * have approved `probes[i]` of every constituent for the factory's fee-on-transfer probe.
 */
export async function createVault(
  publicClient: LocalPublicClient,
  wallet: LocalWalletClient,
  factory: Address,
  params: VaultParamsValue,
  list: readonly ConstituentParamsValue[],
  probes: readonly bigint[] = list.map(() => PROBE_AMOUNT),
): Promise<Address> {
  const { result: vault, request } = await publicClient.simulateContract({
    account: wallet.account,
    address: factory,
    abi: indexFactoryAbi,
    functionName: "createVault",
    args: [
      params,
      list.map((c) => ({ ...c, path: [...c.path], fees: [...c.fees] })),
      [...probes],
    ],
  });
  await confirm(publicClient, await wallet.writeContract(request));
  return getAddress(vault);
}
