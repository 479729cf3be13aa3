/**
 * The seam between the keeper's logic and the chain. The loop only talks to a `ChainAdapter`;
 * the real one (viem: multicall reads, QuoterV2 quotes, simulate-then-send, nonce management,
 * fee bumping of stuck transactions, confirmations, custom-error decoding) lives in
 * `viemAdapter.ts`, and tests use an in-memory fake.
 *
 * Error contract:
 *  - transport problems (node down, timeout, connection refused, 5xx) throw `RpcUnavailableError`;
 *  - an expected on-chain refusal is data, not an exception: `simulateRebalance` returns
 *    `{ ok: false, revert }` and a mined-but-reverted transaction is a receipt with
 *    `status: "reverted"`;
 *  - anything else throws whatever it is and is treated as a per-vault failure.
 */
import type { Address, Hash, TradePlan, TradeQuote, VaultState } from "./types";

/** A decoded revert: the vault's custom error when the ABI knows it. */
export interface RevertInfo {
  /** e.g. "IndexVault__RebalanceNotNeeded", "Oracle__StalePrice"; undefined if not decodable. */
  readonly errorName?: string;
  /** Decoded arguments (bigints stay bigints). */
  readonly args?: readonly unknown[];
  /** A one-line description, always present. */
  readonly message: string;
  /** Raw revert data, when available. */
  readonly data?: `0x${string}`;
}

/** A simulated, ready-to-send rebalance call. Opaque to the loop except for `gas`. */
export interface RebalanceRequest {
  readonly vault: Address;
  /** Full calldata of the rebalance call (e.g. performUpkeep(performData)). */
  readonly data: `0x${string}`;
  /** {gas} estimated by the simulation. */
  readonly gas: bigint;
}

export type SimulationResult =
  | { readonly ok: true; readonly request: RebalanceRequest }
  | { readonly ok: false; readonly revert: RevertInfo };

export interface SentTransaction {
  readonly vault: Address;
  readonly hash: Hash;
  readonly nonce: number;
}

export interface TransactionReceipt {
  /** The hash that was mined (differs from the first sent when a replacement won). */
  readonly hash: Hash;
  readonly status: "success" | "reverted";
  readonly blockNumber: bigint;
  /** {gas} */
  readonly gasUsed: bigint;
  /** {wei} */
  readonly effectiveGasPriceWei: bigint;
  /** Decoded reason when the transaction reverted. */
  readonly revert?: RevertInfo;
}

/** Upkeep that is not a rebalance and that anyone may perform (no cost test: it unblocks the vault). */
export interface MaintenanceTask {
  /** e.g. "ClearRebalancing" (a multi-step rebalance timed out), "ExecuteProposal" (a composition change is due). */
  readonly action: string;
  /** Simulated and estimated, ready to send. */
  readonly request: RebalanceRequest;
}

export interface ChainAdapter {
  /** Every vault to watch: the configured ones plus the factory's registry. */
  listVaults(): Promise<readonly Address[]>;
  /** One consistent read of a vault (balances, feeds and their age, targets, drift, cooldown). */
  readSnapshot(vault: Address): Promise<VaultState>;
  /** {wei} the gas price we would pay now (maxFeePerGas for EIP-1559). */
  gasPrice(): Promise<bigint>;
  /** D18{USD/ETH} for valuing gas. */
  ethPriceD18(): Promise<bigint>;
  /** Quotes for every leg of `plan` (e.g. QuoterV2 along the vault's routes). */
  quote(vault: Address, plan: TradePlan): Promise<readonly TradeQuote[]>;
  /** Simulate the rebalance as the keeper account at the latest block; never sends. */
  simulateRebalance(vault: Address): Promise<SimulationResult>;
  /** Send a simulated rebalance. */
  sendRebalance(request: RebalanceRequest): Promise<SentTransaction>;
  /** Wait for the confirmations, replacing the transaction with bumped fees if it is stuck. */
  waitForReceipt(sent: SentTransaction): Promise<TransactionReceipt>;
  /** Maintenance the vault asks for now (simulated), if any; optional. */
  maintenance?(vault: Address): Promise<MaintenanceTask | undefined>;
}

/** The node cannot be reached or did not answer: back off and retry. */
export class RpcUnavailableError extends Error {
  override readonly name = "RpcUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isRpcUnavailable(e: unknown): boolean {
  return e instanceof RpcUnavailableError;
}

/** The node is another chain than the config's: fatal (a wrong URL must not be retried for ever, nor acted on). */
export class ChainMismatchError extends Error {
  override readonly name = "ChainMismatchError";
  constructor(
    readonly nodeChainId: number,
    readonly configChainId: number,
  ) {
    super(`RPC is chain ${nodeChainId}, the config says ${configChainId}: wrong URL or wrong config (fatal)`);
  }
}
