// The protocol's deployment in one place, with viem: the contracts (configurator → rebalancer → implementation →
// factory) from the generated creation bytecode, the `VaultParams` and constituent list a vault is created with, the
// factory's fee-on-transfer probes and the vault's creation through the factory. Used by the benchmark, the keeper's
// chain tests and the hardhat-deploy scripts (deploy/05_indexes.ts, over hardhat's provider; deploy/01-04 record the
// contracts with hardhat-deploy). Loaded by ts-node as CommonJS for those scripts (tsconfig.json "moduleTypes"), so
// it imports only viem, the generated ABIs and the client's revert decoding.
import {
  erc20Abi,
  getAddress,
  isAddressEqual,
  parseEventLogs,
  zeroAddress,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import {
  bytecodes,
  indexBatchFactoryAbi,
  indexFactoryAbi,
  indexVaultBatchAbi,
  indexVaultAbi,
  indexVaultConfiguratorAbi,
  indexVaultRebalancerAbi,
} from "./generated/abis";
import { minedRevertReason } from "./client/tx";

/** Any viem public client on a known chain (a local node over HTTP, hardhat's provider, …). */
export type ProtocolPublicClient = PublicClient<Transport, Chain>;
/** Any viem wallet client on a known chain with its account. */
export type ProtocolWalletClient = WalletClient<Transport, Chain, Account>;

/** The addresses of one protocol deployment. */
export interface ProtocolDeployment {
  readonly configurator: Address;
  /** The rebalancing module (DELEGATECALL target of the vault's fallback). */
  readonly rebalancer: Address;
  /** The IndexVault implementation every vault clones. */
  readonly implementation: Address;
  readonly factory: Address;
  /** The IndexVaultBatch implementation (ERC-7540 batch) every vault's batch clones. */
  readonly batchImplementation: Address;
  /** IndexBatchFactory: one batch per registered vault (`createBatch(vault)`, `batchOf(vault)`). */
  readonly batchFactory: Address;
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

/** Waits for `hash` (polling at the client's interval) and throws if it reverted. */
export async function confirm(publicClient: ProtocolPublicClient, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: publicClient.pollingInterval });
  if (receipt.status !== "success") {
    // Name the cause (the node's trace or a replay), not only the hash.
    const reason = await minedRevertReason(publicClient as unknown as PublicClient, hash);
    throw new Error(`transaction ${hash} reverted: ${reason.message}`);
  }
  return receipt;
}

async function deployed(publicClient: ProtocolPublicClient, hash: Hash): Promise<Address> {
  const receipt = await confirm(publicClient, hash);
  if (receipt.contractAddress == null) throw new Error(`deployment ${hash} created no contract`);
  return getAddress(receipt.contractAddress);
}

/** Deploys configurator → rebalancer → implementation → factory for `market`, from `wallet`. */
export async function deployProtocol(
  publicClient: ProtocolPublicClient,
  wallet: ProtocolWalletClient,
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
  const { batchImplementation, batchFactory } = await deployBatchFactory(publicClient, wallet, factory);
  return { configurator, rebalancer, implementation, factory, batchImplementation, batchFactory };
}

/** Deploys the IndexVaultBatch implementation and the IndexBatchFactory over the index `factory`, from `wallet`. */
export async function deployBatchFactory(
  publicClient: ProtocolPublicClient,
  wallet: ProtocolWalletClient,
  factory: Address,
): Promise<{ batchImplementation: Address; batchFactory: Address }> {
  const batchImplementation = await deployed(
    publicClient,
    await wallet.deployContract({ abi: indexVaultBatchAbi, bytecode: bytecodes.IndexVaultBatch, args: [] }),
  );
  const batchFactory = await deployed(
    publicClient,
    await wallet.deployContract({ abi: indexBatchFactoryAbi, bytecode: bytecodes.IndexBatchFactory, args: [batchImplementation, factory] }),
  );
  return { batchImplementation, batchFactory };
}

/** A vault's batch: created now, or the one the batch factory already records. */
export interface CreatedBatch {
  readonly batch: Address;
  /** Undefined when the batch already existed. */
  readonly receipt?: TransactionReceipt;
}

/**
 * The ERC-7540 batch of `vault` through the batch factory (permissionless, one per registered vault): returns the
 * existing one, or creates it (simulated first, so a refusal names its reason) and reads `BatchCreated`.
 */
export async function createBatch(
  publicClient: ProtocolPublicClient,
  wallet: ProtocolWalletClient,
  batchFactory: Address,
  vault: Address,
): Promise<CreatedBatch> {
  const existing = await publicClient.readContract({ address: batchFactory, abi: indexBatchFactoryAbi, functionName: "batchOf", args: [vault] });
  if (existing !== zeroAddress) return { batch: getAddress(existing) };
  const { request } = await publicClient.simulateContract({
    account: wallet.account,
    address: batchFactory,
    abi: indexBatchFactoryAbi,
    functionName: "createBatch",
    args: [vault],
  });
  const receipt = await confirm(publicClient, await wallet.writeContract(request));
  const [created] = parseEventLogs({ abi: indexBatchFactoryAbi, eventName: "BatchCreated", logs: receipt.logs.filter((l) => isAddressEqual(l.address, batchFactory)) });
  if (created === undefined) throw new Error(`createBatch ${receipt.transactionHash}: no BatchCreated event`);
  return { batch: getAddress(created.args.batch), receipt };
}

/** Creates the batch of every vault in `vaults` that has none yet (the `deployBatches` step of a deployment). */
export async function deployBatches(
  publicClient: ProtocolPublicClient,
  wallet: ProtocolWalletClient,
  batchFactory: Address,
  vaults: readonly Address[],
): Promise<Map<Address, CreatedBatch>> {
  const out = new Map<Address, CreatedBatch>();
  for (const vault of vaults) out.set(getAddress(vault), await createBatch(publicClient, wallet, batchFactory, vault));
  return out;
}

/** Makes `owner` hold at least `amount` of `token` (mint on a local market, wrap or buy on a real one). */
export type FundProbe = (token: Address, owner: Address, amount: bigint) => Promise<void>;

/**
 * Funds (through `fund`) and approves the factory's fee-on-transfer probe of every token, from `wallet`. Returns the
 * probe amounts `createVault` takes, in the same order.
 */
export async function prepareProbes(
  publicClient: ProtocolPublicClient,
  wallet: ProtocolWalletClient,
  factory: Address,
  tokens: readonly Address[],
  fund: FundProbe,
): Promise<bigint[]> {
  for (const token of tokens) {
    await fund(token, wallet.account.address, PROBE_AMOUNT);
    await confirm(
      publicClient,
      await wallet.writeContract({ address: token, abi: erc20Abi, functionName: "approve", args: [factory, PROBE_AMOUNT] }),
    );
  }
  return tokens.map(() => PROBE_AMOUNT);
}

/**
 * The factory's ABI with the errors the vault's initialization can raise (it runs in the configurator module), so a
 * refused `createVault` names its reason (`IndexVault__InvalidWeights`, …).
 */
const createVaultAbi = [...indexFactoryAbi, ...indexVaultConfiguratorAbi.filter((item) => item.type === "error")];

/** A vault created through the factory. */
export interface CreatedVault {
  readonly vault: Address;
  readonly receipt: TransactionReceipt;
}

/**
 * Creates a vault through the factory (simulated first, so a revert surfaces with its reason) and reads its address
 * from the factory's `VaultCreated` event. The caller must hold and have approved `probes[i]` of every constituent
 * for the factory's fee-on-transfer probe (`prepareProbes`).
 */
export async function createVault(
  publicClient: ProtocolPublicClient,
  wallet: ProtocolWalletClient,
  factory: Address,
  params: VaultParamsValue,
  list: readonly ConstituentParamsValue[],
  probes: readonly bigint[] = list.map(() => PROBE_AMOUNT),
): Promise<CreatedVault> {
  const { request } = await publicClient.simulateContract({
    account: wallet.account,
    address: factory,
    abi: createVaultAbi,
    functionName: "createVault",
    args: [
      params,
      list.map((c) => ({ ...c, path: [...c.path], fees: [...c.fees] })),
      [...probes],
    ],
  });
  const receipt = await confirm(publicClient, await wallet.writeContract(request));
  const fromFactory = receipt.logs.filter((log) => isAddressEqual(log.address, factory));
  const [created] = parseEventLogs({ abi: indexFactoryAbi, eventName: "VaultCreated", logs: fromFactory });
  if (created === undefined) throw new Error(`createVault ${receipt.transactionHash}: no VaultCreated event`);
  return { vault: getAddress(created.args.vault), receipt };
}
