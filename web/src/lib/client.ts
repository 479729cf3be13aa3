// The app's one door to the chain. Every read, quote, error decoding and send the web app makes comes from the
// project's vault client, sdk/client (browser-safe: viem and the generated ABIs only), the same module the CLI, the
// keeper and the demo use; cli/format.ts lends its exact bigint formatters. Nothing else in web/ imports chain logic
// from outside web/.
import {
  BaseError,
  ChainMismatchError,
  createPublicClient,
  http,
  UserRejectedRequestError,
  type Address,
  type Chain,
} from "viem";
import { foundry } from "viem/chains";
import { explainError, vaultAbi, type AnyPublicClient } from "../../../sdk/client";

export {
  BPS,
  ERROR_MESSAGES,
  PAUSE,
  batchAbi,
  batchOf,
  cancelRequest,
  claim,
  claimSettled,
  deposit,
  explainError,
  factoryAbi,
  listVaults,
  quoteDeposit,
  quoteRedeem,
  readBatchPosition,
  readBatchStatus,
  readClaimable,
  readVaultStatus,
  redeem,
  redeemInKind,
  requestDeposit,
  requestRedeem,
  settleBatch,
  valueInUsdt,
  vaultAbi,
  withSlippage,
  type AnyPublicClient,
  type BatchPolicyValue,
  type BatchPosition,
  type BatchSide,
  type BatchStatus,
  type DepositQuote,
  type DepositResult,
  type Leg,
  type NamedFeed,
  type Progress,
  type RedeemInKindResult,
  type RedeemQuote,
  type RedeemResult,
  type SettlementResult,
  type VaultStatus,
  type Wallet,
} from "../../../sdk/client";
export { fmtBps, fmtUnits, fmtUsdt, parseAmount, shortAddress } from "../../../cli/format";

/** The chain the app talks to: anvil's foundry chain for 31337, otherwise a minimal definition from the RPC URL. */
export function appChain(chainId: number, rpcUrl: string): Chain {
  const base: Chain =
    chainId === foundry.id
      ? foundry
      : { id: chainId, name: `Chain ${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } };
  return { ...base, rpcUrls: { default: { http: [rpcUrl] } } };
}

/** A read-only client: works without any wallet. */
export function readClient(chain: Chain, rpcUrl: string): AnyPublicClient {
  return createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 1 }), pollingInterval: chain.id === foundry.id ? 200 : 4_000 });
}

/**
 * Why something failed, in plain words: a rejected signature and a wallet on the wrong chain are said as such; a
 * revert is decoded with the client's one custom-error table (sdk/client/errors.ts).
 */
export function explain(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError) !== null || (error as { code?: number }).code === 4001) {
      return "You rejected the request in your wallet: nothing was sent.";
    }
    const mismatch = error.walk((e) => e instanceof ChainMismatchError);
    if (mismatch !== null) return `Your wallet is on the wrong network: ${(mismatch as BaseError).shortMessage}`;
  }
  if ((error as { code?: unknown } | null)?.code === 4001) return "You rejected the request in your wallet: nothing was sent.";
  const decoded = explainError(error);
  const text = decoded.message.charAt(0).toUpperCase() + decoded.message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Dry-runs `deposit(assets, receiver, minShares, deadline)` as `account` before anything is signed, so a deposit the
 * vault would refuse (paused, rebalancing, stale price, below the minimum) is explained before the approval. A refusal
 * only for want of allowance is expected at this point and passes.
 */
export async function preflightDeposit(
  client: AnyPublicClient,
  vault: Address,
  account: Address,
  args: { assets: bigint; minShares: bigint; deadline: bigint },
): Promise<string | undefined> {
  try {
    await client.simulateContract({ address: vault, abi: vaultAbi, functionName: "deposit", args: [args.assets, account, args.minShares, args.deadline], account });
    return undefined;
  } catch (error) {
    const decoded = explainError(error);
    if (decoded.errorName !== undefined && /Allowance/.test(decoded.errorName)) return undefined;
    return explain(error);
  }
}
