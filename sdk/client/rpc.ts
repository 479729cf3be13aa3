// One bare JSON-RPC call over fetch: for what runs before (or without) a viem client, e.g. telling "no node" apart
// from "a node without our contracts", reading a chain's identity, polling a node that is starting.

/** Why a bare JSON-RPC call failed: the node did not answer at all, or answered without a result. */
export class JsonRpcError extends Error {
  constructor(
    /** "unreachable": nothing answered (connection refused, timeout); "no-result": an answer without a result. */
    readonly kind: "unreachable" | "no-result",
    /** The fetch error's message, or the node's error message (else its HTTP status). */
    readonly detail: string,
    readonly rpcMethod: string,
  ) {
    super(kind === "unreachable" ? `no answer: ${detail}` : `${rpcMethod} failed: ${detail}`);
    this.name = "JsonRpcError";
  }
}

/** Sends one JSON-RPC request to `url` and returns its result; throws `JsonRpcError` (see `kind`). */
export async function jsonRpc<T>(url: string, method: string, params: unknown[] = [], timeoutMs?: number): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
    });
  } catch (e) {
    throw new JsonRpcError("unreachable", (e as Error).message, method);
  }
  const body = (await response.json().catch(() => ({}))) as { result?: T; error?: { code?: number; message?: string } };
  if (body.result === undefined) {
    const detail = body.error?.message !== undefined ? `${body.error.message}${body.error.code !== undefined ? ` (${body.error.code})` : ""}` : `HTTP ${response.status}`;
    throw new JsonRpcError("no-result", detail, method);
  }
  return body.result;
}
