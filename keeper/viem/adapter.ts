/**
 * The real ChainAdapter, on viem. Generic chain work lives here (clients, consistent reads at one
 * block, feeds, quotes, simulate-then-send, receipts); everything that depends on the vault's ABI
 * sits behind `VaultBinding` (see indexVaultBinding.ts), so this file does not change when the
 * vault's interface does.
 *
 * Reads: every read of one snapshot is pinned to one block number; the HTTP transport batches
 * concurrent JSON-RPC calls into one request (works on any node, no Multicall3 needed).
 */
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Abi,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  ChainMismatchError,
  RpcUnavailableError,
  type ChainAdapter,
  type MaintenanceTask,
  type RebalanceRequest,
  type SentTransaction,
  type SimulationResult,
  type TransactionReceipt,
} from "../chain";
import type { KeeperConfig } from "../config";
import type { Logger } from "../logger";
import type { AssetState, ConstituentState, TradePlan, TradeQuote, VaultState } from "../types";
import { driftBps as clientDriftBps } from "../../sdk/client/math";
import { ageSeconds, readFeed as clientReadFeed, type FeedReading } from "../../sdk/client/feeds";
import { minedRevertReason } from "../../sdk/client/tx";
import { valueD18 } from "../units";
import { forLogs, guardRpc, revertFromError } from "./errors";
import { quotePlan, type Route } from "./quoter";
import { TxSender, type PendingTx } from "./txSender";

/** One constituent's configuration as the vault reports it. */
export interface ConstituentConfig {
  readonly token: Address;
  readonly symbol?: string;
  readonly decimals: number;
  readonly feed: Address;
  /** {s} */
  readonly heartbeat: number;
  /** {bps} */
  readonly targetBps: number;
  /** Buy route from the vault's asset to the token. */
  readonly route: Route;
}

/** What the binding reads from a vault at one block (no prices: the adapter reads the feeds). */
export interface VaultReadout {
  readonly asset: Address;
  readonly assetDecimals: number;
  readonly assetFeed: Address;
  /** {s} */
  readonly assetHeartbeat: number;
  readonly constituents: readonly ConstituentConfig[];
  /** {tok} held for shareholders, same order as `constituents`. */
  readonly balances: readonly bigint[];
  /** {tok of asset} idle asset held for shareholders. */
  readonly idleAsset: bigint;
  readonly paused: boolean;
  readonly rebalancing: boolean;
  /** {bps} */
  readonly thresholdBps: number;
  /** {s} */
  readonly cooldownRemainingSeconds: number;
  /** {s} rebalanceConfig().gracePeriod, when read. */
  readonly gracePeriodSeconds?: number;
  /** The vault's own drift view; undefined when it reverted (e.g. on a stale price). */
  readonly drift?: { readonly maxBps: number; readonly sumBps: number };
}

export type PreparedRebalance =
  | {
      readonly needed: true;
      /** Full calldata of the rebalance call. */
      readonly data: Hex;
      /** The argument inside it (e.g. performUpkeep's performData), for logs. */
      readonly performData: Hex;
    }
  /** The vault's own check says there is nothing to do (cooldown, below its threshold, done by another keeper). */
  | { readonly needed: false; readonly reason: string };

/** The RevertInfo name used when the vault's check (not a revert) says no rebalance is needed. */
export const UPKEEP_NOT_NEEDED = "UpkeepNotNeeded";

/** Everything that depends on the vault's (and factory's) ABI. */
export interface VaultBinding {
  /** Errors to decode reverts with: the vault's, its libraries' and the oracle's. */
  readonly errorsAbi: Abi;
  listVaults(client: PublicClient, factory: Address | undefined): Promise<readonly Address[]>;
  read(client: PublicClient, vault: Address, blockNumber: bigint): Promise<VaultReadout>;
  /** The rebalance call to make now (e.g. performUpkeep with checkUpkeep's performData), not yet simulated. */
  prepare(client: PublicClient, vault: Address, keeper: Address): Promise<PreparedRebalance>;
  /** A non-rebalance upkeep the vault asks for (e.g. clearing a timed-out rebalance), not yet simulated. */
  maintenance?(client: PublicClient, vault: Address): Promise<{ readonly action: string; readonly data: Hex } | undefined>;
}

/** {bps} drift as the vault's DriftLib defines it (sdk/client/math.ts), used when the vault's own drift view reverts. */
export function driftBps(values: readonly bigint[], targetsBps: readonly number[], idle: bigint): { maxBps: number; sumBps: number } {
  const d = clientDriftBps(values, targetsBps, idle);
  return { maxBps: Number(d.maxBps), sumBps: Number(d.sumBps) };
}

/** One feed read (the client's), transport failures as RpcUnavailableError. */
function readFeed(client: PublicClient, feed: Address, blockNumber?: bigint): Promise<FeedReading> {
  return guardRpc(`read feed ${feed}`, () => clientReadFeed(client, feed, blockNumber));
}

export interface ViemAdapterOptions {
  readonly binding: VaultBinding;
  readonly publicClient?: PublicClient;
  /** {ms} receipt polling. */
  readonly pollingIntervalMs?: number;
}

export class ViemAdapter implements ChainAdapter {
  private readonly routes = new Map<string, Map<string, Route>>();
  private readonly pending = new Map<string, PendingTx>();

  constructor(
    private readonly config: KeeperConfig,
    private readonly client: PublicClient,
    private readonly binding: VaultBinding,
    private readonly sender: TxSender | undefined,
    private readonly keeperAddress: Address,
    private readonly logger: Logger,
  ) {}

  /**
   * The node must be the configured chain: checked on every iteration (in `listVaults`), not only at start, so a node
   * that was down at start, or one swapped behind the same URL, is caught before anything is read or sent. One
   * eth_chainId per iteration, batched with the iteration's other reads by the HTTP transport.
   */
  private async ensureChain(): Promise<void> {
    const id = await guardRpc("chain id", () => this.client.getChainId());
    if (id !== this.config.chainId) throw new ChainMismatchError(id, this.config.chainId);
  }

  async listVaults(): Promise<readonly Address[]> {
    await this.ensureChain();
    const fromFactory = await guardRpc("list vaults", () => this.binding.listVaults(this.client, this.config.factory));
    const seen = new Set<string>();
    const out: Address[] = [];
    for (const v of [...this.config.vaults, ...fromFactory]) {
      if (!seen.has(v.toLowerCase())) {
        seen.add(v.toLowerCase());
        out.push(v);
      }
    }
    return out;
  }

  async gasPrice(): Promise<bigint> {
    return guardRpc("gas price", () => this.client.getGasPrice());
  }

  async ethPriceD18(): Promise<bigint> {
    if (this.config.ethUsdFeed !== undefined) return (await readFeed(this.client, this.config.ethUsdFeed)).priceD18;
    return BigInt(Math.round((this.config.ethPriceUsd ?? 0) * 1e6)) * 10n ** 12n;
  }

  async readSnapshot(vault: Address): Promise<VaultState> {
    const block = await guardRpc("latest block", () => this.client.getBlock({ blockTag: "latest" }));
    const at = block.number;
    const r = await guardRpc(`read vault ${vault}`, () => this.binding.read(this.client, vault, at));
    const [assetFeed, ...feeds] = await Promise.all([
      readFeed(this.client, r.assetFeed, at),
      ...r.constituents.map((c) => readFeed(this.client, c.feed, at)),
    ]);
    if (assetFeed === undefined) throw new Error("asset feed missing");
    this.routes.set(vault.toLowerCase(), new Map(r.constituents.map((c) => [c.token.toLowerCase(), c.route])));

    const asset: AssetState = {
      token: r.asset,
      symbol: "USDT",
      balance: r.idleAsset,
      decimals: r.assetDecimals,
      priceD18: assetFeed.priceD18,
      priceAgeSeconds: ageSeconds(assetFeed.updatedAt, block.timestamp),
      heartbeatSeconds: r.assetHeartbeat,
    };
    const constituents: ConstituentState[] = r.constituents.map((c, i) => {
      const feed = feeds[i];
      if (feed === undefined) throw new Error(`feed ${c.feed} missing`);
      return {
        token: c.token,
        ...(c.symbol !== undefined && { symbol: c.symbol }),
        balance: r.balances[i] ?? 0n,
        decimals: c.decimals,
        priceD18: feed.priceD18,
        priceAgeSeconds: ageSeconds(feed.updatedAt, block.timestamp),
        heartbeatSeconds: c.heartbeat,
        targetBps: c.targetBps,
      };
    });
    const values = constituents.map((c) => valueD18(c.balance, c.decimals, c.priceD18));
    const idleValue = valueD18(asset.balance, asset.decimals, asset.priceD18);
    const drift = r.drift ?? driftBps(values, constituents.map((c) => c.targetBps), idleValue);
    return {
      vault,
      asset,
      constituents,
      navD18: values.reduce((a, b) => a + b, idleValue),
      maxDriftBps: drift.maxBps,
      sumDriftBps: drift.sumBps,
      thresholdBps: r.thresholdBps,
      cooldownRemainingSeconds: r.cooldownRemainingSeconds,
      ...(r.gracePeriodSeconds !== undefined && { gracePeriodSeconds: r.gracePeriodSeconds }),
      rebalanceInFlight: r.rebalancing,
      paused: r.paused,
      blockTimestamp: Number(block.timestamp),
      blockNumber: at,
    };
  }

  async quote(vault: Address, plan: TradePlan): Promise<readonly TradeQuote[]> {
    const routes = this.routes.get(vault.toLowerCase());
    if (routes === undefined) throw new Error(`no routes known for ${vault}: read its snapshot first`);
    return quotePlan(this.client, this.config.quoterV2, plan, routes);
  }

  async simulateRebalance(vault: Address): Promise<SimulationResult> {
    try {
      const prepared = await guardRpc("prepare rebalance", () => this.binding.prepare(this.client, vault, this.keeperAddress));
      if (!prepared.needed) {
        return { ok: false, revert: { errorName: UPKEEP_NOT_NEEDED, args: [], message: prepared.reason } };
      }
      // eth_call then eth_estimateGas, both as the keeper at the latest block.
      await guardRpc("simulate rebalance", () => this.client.call({ account: this.keeperAddress, to: vault, data: prepared.data }));
      const gas = await guardRpc("estimate gas", () =>
        this.client.estimateGas({ account: this.keeperAddress, to: vault, data: prepared.data }),
      );
      return { ok: true, request: { vault, data: prepared.data, gas } };
    } catch (e) {
      if (e instanceof RpcUnavailableError) throw e;
      const revert = revertFromError(e, this.binding.errorsAbi);
      if (revert !== undefined) return { ok: false, revert };
      throw e;
    }
  }

  async maintenance(vault: Address): Promise<MaintenanceTask | undefined> {
    const binding = this.binding;
    if (binding.maintenance === undefined) return undefined;
    const task = await guardRpc("check upkeep", () => binding.maintenance!(this.client, vault));
    if (task === undefined) return undefined;
    try {
      await guardRpc("simulate upkeep", () => this.client.call({ account: this.keeperAddress, to: vault, data: task.data }));
      const gas = await guardRpc("estimate gas", () =>
        this.client.estimateGas({ account: this.keeperAddress, to: vault, data: task.data }),
      );
      return { action: task.action, request: { vault, data: task.data, gas } };
    } catch (e) {
      if (e instanceof RpcUnavailableError) throw e;
      const revert = revertFromError(e, this.binding.errorsAbi);
      this.logger.warn({ vault, action: task.action, revert }, `${task.action} would revert: skipped`);
      return undefined;
    }
  }

  async sendRebalance(request: RebalanceRequest): Promise<SentTransaction> {
    if (this.sender === undefined) throw new Error("no signing key: the keeper runs in dry-run mode");
    const pending = await this.sender.send({ to: request.vault, data: request.data, gas: request.gas });
    const hash = pending.hashes[0];
    if (hash === undefined) throw new Error("transaction not sent");
    this.pending.set(hash, pending);
    return { vault: request.vault, hash, nonce: pending.nonce };
  }

  async waitForReceipt(sent: SentTransaction): Promise<TransactionReceipt> {
    if (this.sender === undefined) throw new Error("no signing key");
    const pending = this.pending.get(sent.hash);
    if (pending === undefined) throw new Error(`unknown transaction ${sent.hash}`);
    try {
      // The reason from the transaction's own execution (a front-run earlier in its block included).
      return await this.sender.wait(pending, async (_blockNumber, hash) => forLogs(await minedRevertReason(this.client, hash)));
    } finally {
      this.pending.delete(sent.hash);
    }
  }
}

/**
 * Build the adapter from the config: clients and signer (absent in dry-run without a key). Makes no
 * RPC call, so the keeper starts even while the node is down (the loop backs off until it answers).
 */
export function createViemAdapterWith(
  config: KeeperConfig,
  logger: Logger,
  options: ViemAdapterOptions,
): ViemAdapter {
  const chain: Chain = defineChain({
    id: config.chainId,
    name: `chain-${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const transport = http(config.rpcUrl, { batch: { wait: 0 }, retryCount: 1, timeout: 15_000 });
  const client =
    options.publicClient ??
    (createPublicClient({ chain, transport, ...(options.pollingIntervalMs !== undefined && { pollingInterval: options.pollingIntervalMs }) }) as PublicClient);
  const key = config.secrets.privateKey;
  let sender: TxSender | undefined;
  // Without a key (dry-run), simulate as the configured keeper address so role checks pass.
  let keeperAddress: Address = config.keeperAddress ?? "0x0000000000000000000000000000000000000001";
  if (key !== undefined) {
    const account = privateKeyToAccount(key);
    keeperAddress = account.address;
    const wallet = createWalletClient({ chain, transport, account });
    sender = new TxSender(
      client,
      wallet,
      {
        confirmations: config.confirmations,
        timeoutMs: config.txTimeoutMs,
        feeBumpPercent: config.feeBumpPercent,
        maxFeeCapWei: config.gasPriceCapWei,
        ...(options.pollingIntervalMs !== undefined && { pollingIntervalMs: options.pollingIntervalMs }),
      },
      logger,
    );
  } else if (!config.dryRun) {
    throw new Error("KEEPER_PRIVATE_KEY is required unless dry-run");
  }
  logger.info({ keeper: keeperAddress, chainId: config.chainId, signer: sender !== undefined }, "chain adapter ready");
  return new ViemAdapter(config, client, options.binding, sender, keeperAddress, logger);
}

/** The adapter on the IndexVault binding (what `npm run keeper` uses). */
export async function createViemAdapter(config: KeeperConfig, logger: Logger): Promise<ViemAdapter> {
  const { indexVaultBinding } = await import("./indexVaultBinding");
  return createViemAdapterWith(config, logger, { binding: indexVaultBinding });
}
