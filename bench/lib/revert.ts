// Why a mined transaction reverted: its revert data from the call tracer, decoded against the vault's errors.
import { decodeErrorResult, type Abi, type Hash } from "viem";
import { indexVaultAbi, iOracleErrorsAbi } from "../../sdk/generated/abis";
import { rpcRequest } from "../../sdk/local/anvil";
import type { BenchEnv } from "./env";

export interface DecodedRevert {
  errorName: string;
  args: readonly unknown[];
}

const ERRORS_ABI = [...indexVaultAbi, ...iOracleErrorsAbi].filter((e) => e.type === "error") as Abi;

/** Decodes the revert of mined transaction `hash` (undefined if it did not revert or the data is unknown). */
export async function minedRevert(env: Pick<BenchEnv, "publicClient">, hash: Hash): Promise<DecodedRevert | undefined> {
  const url = env.publicClient.transport.url ?? "";
  const frame = await rpcRequest<{ output?: `0x${string}`; error?: string }>(url, "debug_traceTransaction", [hash, { tracer: "callTracer" }]);
  if (frame.error === undefined || frame.output === undefined || frame.output === "0x") return undefined;
  try {
    const decoded = decodeErrorResult({ abi: ERRORS_ABI, data: frame.output });
    return { errorName: decoded.errorName, args: (decoded.args ?? []) as readonly unknown[] };
  } catch {
    return undefined;
  }
}
