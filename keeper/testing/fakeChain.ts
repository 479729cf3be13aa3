/**
 * An in-memory ChainAdapter for the loop's tests (never used in production). It models just
 * enough of the vault: a rebalance is allowed when drift ≥ threshold (or one is in flight) and the
 * cooldown is over; executing it moves the balances to target and starts the cooldown; the same
 * check runs again when the transaction is "mined", so a racing keeper's transaction reverts.
 */
import {
  ChainMismatchError,
  RpcUnavailableError,
  type ChainAdapter,
  type MaintenanceTask,
  type RebalanceRequest,
  type RevertInfo,
  type SentTransaction,
  type SimulationResult,
  type TransactionReceipt,
} from "../chain";
import type { Address, Hash, TradePlan, TradeQuote, VaultState } from "../types";
import { amountFromValue, valueD18 } from "../units";

export const NOT_NEEDED: RevertInfo = {
  errorName: "IndexVault__RebalanceNotNeeded",
  args: [],
  message: "IndexVault__RebalanceNotNeeded()",
};

const COOLDOWN_SECONDS = 3_600;
/** Calldata marking a maintenance request in the fake. */
const MAINTENANCE_DATA = "0x01";

export class FakeChain implements ChainAdapter {
  readonly vaults = new Map<string, VaultState>();
  gasPriceWei = 20n * 10n ** 9n;
  ethPrice = 2_000n * 10n ** 18n;
  /** {bps} price impact of every quote. */
  impactBps = 30;
  /** {gas} the simulation's estimate. */
  simulatedGas = 1_000_000n;
  /** Every call throws RpcUnavailableError while true. */
  rpcDown = false;
  /** When set, listVaults (which checks the node's chain id, as the viem adapter does) throws ChainMismatchError. */
  nodeChainId: number | undefined;
  /** The chain id the keeper was configured for. */
  configChainId = 31337;
  /** Vaults whose snapshot read throws a plain Error. */
  readonly brokenVaults = new Set<string>();
  /** When set, the next simulation reverts with this (unexpected) error. */
  simulationRevert: RevertInfo | undefined;
  /** When set, the next mined transaction reverts with this error. */
  revertNextTx: RevertInfo | undefined;
  /** Runs before each simulation / each send (to model another keeper acting in between). */
  beforeSimulate: ((vault: Address) => void) | undefined;
  beforeSend: ((vault: Address) => void) | undefined;

  /** A maintenance action the vault asks for (e.g. "ClearRebalancing"), cleared once performed. */
  pendingMaintenance: string | undefined;

  readonly calls: string[] = [];
  readonly sent: RebalanceRequest[] = [];
  readonly mined: TransactionReceipt[] = [];
  private nonce = 0;
  private readonly pending = new Map<string, RebalanceRequest>();

  constructor(states: readonly VaultState[]) {
    for (const s of states) this.vaults.set(s.vault.toLowerCase(), s);
  }

  private async io(name: string): Promise<void> {
    this.calls.push(name);
    await Promise.resolve(); // let concurrent callers interleave
    if (this.rpcDown) throw new RpcUnavailableError(`fetch failed: connect ECONNREFUSED (${name})`);
  }

  state(vault: Address): VaultState {
    const s = this.vaults.get(vault.toLowerCase());
    if (s === undefined) throw new Error(`unknown vault ${vault}`);
    return s;
  }

  setState(vault: Address, update: (s: VaultState) => VaultState): void {
    this.vaults.set(vault.toLowerCase(), update(this.state(vault)));
  }

  /** The vault's own on-chain check. */
  private needed(vault: Address): boolean {
    const s = this.state(vault);
    return s.cooldownRemainingSeconds === 0 && (s.rebalanceInFlight || s.maxDriftBps >= s.thresholdBps);
  }

  /** Execute the rebalance: every constituent to target at oracle prices, cooldown starts. */
  rebalanceNow(vault: Address): void {
    this.setState(vault, (s) => {
      const nav =
        s.constituents.reduce((a, c) => a + valueD18(c.balance, c.decimals, c.priceD18), 0n) +
        valueD18(s.asset.balance, s.asset.decimals, s.asset.priceD18);
      return {
        ...s,
        asset: { ...s.asset, balance: 0n },
        constituents: s.constituents.map((c) => ({
          ...c,
          balance: amountFromValue((nav * BigInt(c.targetBps)) / 10_000n, c.decimals, c.priceD18),
        })),
        maxDriftBps: 0,
        sumDriftBps: 0,
        rebalanceInFlight: false,
        cooldownRemainingSeconds: COOLDOWN_SECONDS,
      };
    });
  }

  async listVaults(): Promise<readonly Address[]> {
    await this.io("listVaults");
    if (this.nodeChainId !== undefined && this.nodeChainId !== this.configChainId) throw new ChainMismatchError(this.nodeChainId, this.configChainId);
    return [...this.vaults.values()].map((s) => s.vault);
  }

  async readSnapshot(vault: Address): Promise<VaultState> {
    await this.io(`readSnapshot:${vault}`);
    if (this.brokenVaults.has(vault.toLowerCase())) throw new Error(`vault ${vault}: basket() reverted`);
    return this.state(vault);
  }

  async gasPrice(): Promise<bigint> {
    await this.io("gasPrice");
    return this.gasPriceWei;
  }

  async ethPriceD18(): Promise<bigint> {
    await this.io("ethPriceD18");
    return this.ethPrice;
  }

  async quote(vault: Address, plan: TradePlan): Promise<readonly TradeQuote[]> {
    await this.io(`quote:${vault}`);
    return plan.trades.map((t) => ({
      tokenIn: t.tokenIn,
      tokenOut: t.tokenOut,
      amountIn: t.amountIn,
      amountOut: (t.oracleAmountOut * BigInt(10_000 - this.impactBps)) / 10_000n,
    }));
  }

  async simulateRebalance(vault: Address): Promise<SimulationResult> {
    this.beforeSimulate?.(vault);
    await this.io(`simulate:${vault}`);
    if (this.simulationRevert !== undefined) {
      const revert = this.simulationRevert;
      this.simulationRevert = undefined;
      return { ok: false, revert };
    }
    if (!this.needed(vault)) return { ok: false, revert: NOT_NEEDED };
    return { ok: true, request: { vault, data: "0x", gas: this.simulatedGas } };
  }

  async maintenance(vault: Address): Promise<MaintenanceTask | undefined> {
    await this.io(`maintenance:${vault}`);
    if (this.pendingMaintenance === undefined) return undefined;
    return { action: this.pendingMaintenance, request: { vault, data: MAINTENANCE_DATA, gas: 100_000n } };
  }

  async sendRebalance(request: RebalanceRequest): Promise<SentTransaction> {
    this.beforeSend?.(request.vault);
    await this.io(`send:${request.vault}`);
    this.sent.push(request);
    const nonce = this.nonce++;
    const hash = `0x${nonce.toString(16).padStart(64, "0")}` as Hash;
    this.pending.set(hash, request);
    return { vault: request.vault, hash, nonce };
  }

  async waitForReceipt(sent: SentTransaction): Promise<TransactionReceipt> {
    await this.io(`wait:${sent.hash}`);
    const request = this.pending.get(sent.hash);
    if (request === undefined) throw new Error(`unknown transaction ${sent.hash}`);
    this.pending.delete(sent.hash);
    const base = {
      hash: sent.hash,
      blockNumber: BigInt(100 + this.mined.length),
      gasUsed: 900_000n,
      effectiveGasPriceWei: this.gasPriceWei,
    };
    let receipt: TransactionReceipt;
    if (this.revertNextTx !== undefined) {
      receipt = { ...base, status: "reverted", revert: this.revertNextTx };
      this.revertNextTx = undefined;
    } else if (request.data === MAINTENANCE_DATA) {
      this.pendingMaintenance = undefined;
      receipt = { ...base, status: "success" };
    } else if (!this.needed(request.vault)) {
      receipt = { ...base, status: "reverted", revert: NOT_NEEDED };
    } else {
      this.rebalanceNow(request.vault);
      receipt = { ...base, status: "success" };
    }
    this.mined.push(receipt);
    return receipt;
  }
}
