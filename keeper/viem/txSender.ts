/**
 * Sending the keeper's transactions: EIP-1559 fees capped at the configured gas-price cap, nonces
 * from the node's pending count (one keeper process per key) with the last unmined transaction
 * remembered so a new send replaces it rather than queueing behind it, confirmations awaited, and a transaction stuck
 * past the timeout replaced (same nonce, fees bumped by `feeBumpPercent`) up to `maxReplacements`
 * times, never above the cap. Whichever of the original and its replacements is mined is returned.
 */
import {
  WaitForTransactionReceiptTimeoutError,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { RevertInfo, TransactionReceipt } from "../chain.js";
import type { Logger } from "../logger.js";
import { guardRpc } from "./errors.js";

export interface TxSenderOptions {
  readonly confirmations: number;
  /** {ms} before a pending transaction is replaced. */
  readonly timeoutMs: number;
  /** {%} fee increase of a replacement (nodes require ≥ 10). */
  readonly feeBumpPercent: number;
  /** {wei} never pay a max fee above this. */
  readonly maxFeeCapWei: bigint;
  readonly maxReplacements?: number;
  /** {ms} receipt polling; default viem's client setting. */
  readonly pollingIntervalMs?: number;
  /** {%} gas limit over the simulated estimate. */
  readonly gasBufferPercent?: number;
}

export interface TxRequest {
  readonly to: Address;
  readonly data: Hex;
  /** {gas} simulated estimate (a buffer is added). */
  readonly gas: bigint;
}

export interface PendingTx {
  readonly request: TxRequest;
  readonly nonce: number;
  /** Every hash sent for this nonce, newest last. */
  readonly hashes: Hash[];
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export type SenderWallet = WalletClient<Transport, Chain, Account>;

const bump = (x: bigint, percent: number): bigint => (x * BigInt(100 + percent) + 99n) / 100n;
const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** A transaction still unmined after every replacement and the whole wait budget. */
export class TxStuckError extends Error {
  override readonly name = "TxStuckError";
  constructor(readonly nonce: number, readonly hashes: readonly Hash[]) {
    super(`transaction with nonce ${nonce} still pending (${hashes.join(", ")})`);
  }
}

export class TxSender {
  /** The last transaction not yet seen mined: a new send reuses (replaces) its nonce. */
  private outstanding: PendingTx | undefined;

  constructor(
    private readonly publicClient: PublicClient,
    private readonly wallet: SenderWallet,
    private readonly options: TxSenderOptions,
    private readonly logger: Logger,
  ) {}

  get address(): Address {
    return this.wallet.account.address;
  }

  private async fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const est = await guardRpc("estimate fees", () => this.publicClient.estimateFeesPerGas());
    const maxFeePerGas = minBig(est.maxFeePerGas, this.options.maxFeeCapWei);
    return { maxFeePerGas, maxPriorityFeePerGas: minBig(est.maxPriorityFeePerGas, maxFeePerGas) };
  }

  private async broadcast(p: PendingTx): Promise<Hash> {
    const gas = bump(p.request.gas, this.options.gasBufferPercent ?? 20);
    return guardRpc("send transaction", () =>
      this.wallet.sendTransaction({
        to: p.request.to,
        data: p.request.data,
        gas,
        nonce: p.nonce,
        maxFeePerGas: p.maxFeePerGas,
        maxPriorityFeePerGas: p.maxPriorityFeePerGas,
        chain: this.wallet.chain,
        account: this.wallet.account,
      }),
    );
  }

  async send(request: TxRequest): Promise<PendingTx> {
    const [mined, pendingCount] = await guardRpc("read nonce", () =>
      Promise.all([
        this.publicClient.getTransactionCount({ address: this.address, blockTag: "latest" }),
        this.publicClient.getTransactionCount({ address: this.address, blockTag: "pending" }),
      ]),
    );
    let fees = await this.fees();
    let nonce: number;
    const stuck = this.outstanding;
    if (stuck !== undefined && mined <= stuck.nonce) {
      // Our previous transaction is still pending: this one replaces it (same nonce, higher fees).
      nonce = stuck.nonce;
      fees = {
        maxFeePerGas: maxBig(bump(stuck.maxFeePerGas, this.options.feeBumpPercent), fees.maxFeePerGas),
        maxPriorityFeePerGas: maxBig(bump(stuck.maxPriorityFeePerGas, this.options.feeBumpPercent), fees.maxPriorityFeePerGas),
      };
      if (fees.maxFeePerGas > this.options.maxFeeCapWei) throw new TxStuckError(stuck.nonce, stuck.hashes);
    } else {
      // The node's pending count, not a local counter: after a reorg (or an anvil revert) a local
      // counter would run ahead and leave our transactions stuck behind a nonce gap.
      nonce = pendingCount;
    }
    const pending: PendingTx = { request, nonce, hashes: [...(stuck?.nonce === nonce ? stuck.hashes : [])], ...fees };
    pending.hashes.push(await this.broadcast(pending));
    this.outstanding = pending;
    return pending;
  }

  /** Replace a stuck transaction; false when the cap leaves no room for a bump. */
  private async replace(p: PendingTx): Promise<boolean> {
    const current = await this.fees();
    const maxFeePerGas = maxBig(bump(p.maxFeePerGas, this.options.feeBumpPercent), current.maxFeePerGas);
    const maxPriorityFeePerGas = maxBig(
      bump(p.maxPriorityFeePerGas, this.options.feeBumpPercent),
      current.maxPriorityFeePerGas,
    );
    if (maxFeePerGas > this.options.maxFeeCapWei) {
      this.logger.warn(
        { nonce: p.nonce, hashes: p.hashes, maxFeePerGas, cap: this.options.maxFeeCapWei },
        "transaction stuck but a fee bump would exceed the gas-price cap: waiting",
      );
      return false;
    }
    const next = { ...p, maxFeePerGas, maxPriorityFeePerGas: minBig(maxPriorityFeePerGas, maxFeePerGas) };
    try {
      const hash = await this.broadcast(next);
      p.hashes.push(hash);
      p.maxFeePerGas = next.maxFeePerGas;
      p.maxPriorityFeePerGas = next.maxPriorityFeePerGas;
      this.logger.warn({ nonce: p.nonce, hash, maxFeePerGas }, "stuck transaction replaced with bumped fees");
      return true;
    } catch (e) {
      // "nonce too low" / "already known": an earlier version was mined or is known; keep waiting.
      this.logger.warn({ nonce: p.nonce, err: e }, "replacement not accepted; waiting for the pending one");
      return false;
    }
  }

  /**
   * Wait for `confirmations` on whichever transaction of `p` gets mined. `replay` decodes the
   * reason of a reverted transaction (e.g. from its own execution: sdk/client/tx.ts minedRevertReason).
   */
  async wait(p: PendingTx, replay?: (blockNumber: bigint, hash: Hash) => Promise<RevertInfo | undefined>): Promise<TransactionReceipt> {
    let replacements = 0;
    const max = this.options.maxReplacements ?? 5;
    const deadline = Date.now() + this.options.timeoutMs * (max + 2);
    for (;;) {
      if (Date.now() > deadline) throw new TxStuckError(p.nonce, p.hashes);
      const hash = p.hashes[p.hashes.length - 1];
      if (hash === undefined) throw new Error("no transaction to wait for");
      try {
        const r = await guardRpc("wait for receipt", () =>
          this.publicClient.waitForTransactionReceipt({
            hash,
            confirmations: this.options.confirmations,
            timeout: this.options.timeoutMs,
            ...(this.options.pollingIntervalMs !== undefined && { pollingInterval: this.options.pollingIntervalMs }),
          }),
        );
        if (this.outstanding?.nonce === p.nonce) this.outstanding = undefined;
        const base = {
          hash: r.transactionHash,
          blockNumber: r.blockNumber,
          gasUsed: r.gasUsed,
          effectiveGasPriceWei: r.effectiveGasPrice,
        };
        if (r.status === "success") return { ...base, status: "success" };
        const revert = replay !== undefined ? await replay(r.blockNumber, r.transactionHash).catch(() => undefined) : undefined;
        return { ...base, status: "reverted", ...(revert !== undefined && { revert }) };
      } catch (e) {
        if (!(e instanceof WaitForTransactionReceiptTimeoutError)) throw e;
        if (replacements < max && (await this.replace(p))) replacements += 1;
      }
    }
  }
}
