/**
 * Turning viem's errors into the keeper's error contract (see chain.ts): transport failures
 * become `RpcUnavailableError`; contract reverts become `RevertInfo`, decoded by the client's one
 * error table (sdk/client/errors.ts: every ABI's errors, composer and libraries included).
 */
import { BaseError } from "viem";
import { isTransportError, revertFromError } from "../../sdk/client/errors";
import { RpcUnavailableError } from "../chain";

export { revertFromError };

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
