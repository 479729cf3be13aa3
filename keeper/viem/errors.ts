/**
 * Turning viem's errors into the keeper's error contract (see chain.ts): transport failures
 * become `RpcUnavailableError`; contract reverts become `RevertInfo` with the custom error's name
 * and arguments, decoded with the ABIs we pass (the vault's and the oracle library's errors).
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
  decodeErrorResult,
  type Abi,
  type Hex,
} from "viem";
import { RpcUnavailableError, type RevertInfo } from "../chain.js";

function isTransportCause(c: unknown): boolean {
  return (
    c instanceof HttpRequestError ||
    c instanceof TimeoutError ||
    c instanceof WebSocketRequestError ||
    c instanceof SocketClosedError ||
    c instanceof LimitExceededRpcError ||
    c instanceof ResourceUnavailableRpcError
  );
}

/** True when `e` (or any cause) is a transport-level failure: node down, timeout, rate limit. */
export function isTransportError(e: unknown): boolean {
  if (e instanceof RpcUnavailableError) return true;
  if (e instanceof BaseError) return e.walk(isTransportCause) !== null;
  // fetch() itself (undici) rejects with TypeError("fetch failed") and an ECONNREFUSED cause.
  return e instanceof TypeError && /fetch failed/i.test(e.message);
}

/**
 * Run `fn`, rethrowing transport failures as RpcUnavailableError (other errors unchanged). The new
 * error carries only viem's short message and details, never the request URL (RPC URLs often embed
 * an API key) nor the original error as `cause` (whose message contains it).
 */
export async function guardRpc<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RpcUnavailableError) throw e;
    if (isTransportError(e)) {
      const detail =
        e instanceof BaseError
          ? `${e.shortMessage}${e.details !== "" && e.details !== e.shortMessage ? ` (${e.details})` : ""}`
          : e instanceof Error
            ? e.message
            : String(e);
      throw new RpcUnavailableError(`${what}: ${detail.replace(/https?:\/\/\S+/g, "<rpc-url>")}`);
    }
    throw e;
  }
}

function formatArgs(args: readonly unknown[] | undefined): string {
  return (args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ");
}

/**
 * The revert inside `e`, decoded against `abi` when viem has not done it already; undefined
 * when `e` is not a contract revert.
 */
export function revertInfoOf(e: unknown, abi: Abi): RevertInfo | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const reverted = e.walk((c) => c instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const data = reverted.raw;
  let errorName = reverted.data?.errorName;
  let args = reverted.data?.args;
  if (errorName === undefined && data !== undefined) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      errorName = decoded.errorName;
      args = decoded.args;
    } catch {
      // unknown selector: leave undecoded
    }
  }
  const message =
    errorName !== undefined
      ? `${errorName}(${formatArgs(args)})`
      : reverted.reason !== undefined
        ? reverted.reason
        : `reverted${data !== undefined ? ` with data ${data}` : " without data"}`;
  return {
    ...(errorName !== undefined && { errorName }),
    ...(args !== undefined && { args }),
    message,
    ...(data !== undefined && { data: data as Hex }),
  };
}

/** Decode raw revert data (e.g. from a replayed call) against `abi`. */
export function decodeRevertData(data: Hex | undefined, abi: Abi): RevertInfo {
  if (data === undefined || data === "0x") return { message: "reverted without data" };
  try {
    const decoded = decodeErrorResult({ abi, data });
    return {
      errorName: decoded.errorName,
      args: decoded.args ?? [],
      message: `${decoded.errorName}(${formatArgs(decoded.args)})`,
      data,
    };
  } catch {
    return { message: `reverted with data ${data}`, data };
  }
}

/**
 * The revert inside any error: viem's decoded ContractFunctionRevertedError when present, else the
 * raw revert data found on the cause chain (an eth_call's RpcRequestError carries it), decoded
 * against `abi`. Undefined when `e` carries no revert.
 */
export function revertFromError(e: unknown, abi: Abi): RevertInfo | undefined {
  const decoded = revertInfoOf(e, abi);
  if (decoded !== undefined) return decoded;
  let cur: unknown = e;
  for (let depth = 0; depth < 10 && cur !== null && typeof cur === "object"; depth++) {
    const data = (cur as { data?: unknown }).data;
    const hex =
      typeof data === "string" ? data : typeof data === "object" && data !== null ? (data as { data?: unknown }).data : undefined;
    if (typeof hex === "string" && /^0x[0-9a-fA-F]*$/.test(hex)) return decodeRevertData(hex as Hex, abi);
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
