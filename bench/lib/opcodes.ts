// Opcode-level profile of the gas a contract spends in its OWN frames during a transaction (struct-log tracer):
// cold/warm SLOADs, SSTOREs, events, the CALL opcodes' own cost (cold account access, memory), hashing and the rest.
// It answers "where does the vault's own execution go" beyond the call tracer's per-call numbers.
import { getAddress, type Address, type Hash } from "viem";
import { rpcRequest } from "../../sdk/local/anvil";
import type { BenchEnv } from "./env";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

export interface OpcodeProfile {
  /** {gas} and counts, own frames of the profiled contract only. */
  sloadCold: { count: number; gas: number };
  sloadWarm: { count: number; gas: number };
  sstore: { count: number; gas: number };
  tstore: { count: number; gas: number };
  logs: { count: number; gas: number };
  /** The CALL/STATICCALL/DELEGATECALL opcodes' own cost (not the callee's): cold account access, memory expansion. */
  callOverhead: { count: number; gas: number };
  keccak: { count: number; gas: number };
  /** Arithmetic, stack, memory, jumps, calldata/returndata copies. */
  other: { gas: number };
  total: number;
}

const CALL_OPS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);

/** Profiles the frames running `addresses`' code (e.g. a clone and its implementation) in transaction `hash`. */
export async function opcodeProfile(env: BenchEnv, hash: Hash, addresses: readonly Address[]): Promise<OpcodeProfile> {
  const url = env.publicClient.transport.url ?? "";
  const trace = await rpcRequest<{ structLogs: StructLog[] }>(url, "debug_traceTransaction", [
    hash,
    { disableStorage: true, disableMemory: true, disableStack: false, enableReturnData: false },
  ]);
  const logs = trace.structLogs;
  const tx = await env.publicClient.getTransaction({ hash });
  const own = new Set(addresses.map((a) => getAddress(a)));
  const profile: OpcodeProfile = {
    sloadCold: { count: 0, gas: 0 },
    sloadWarm: { count: 0, gas: 0 },
    sstore: { count: 0, gas: 0 },
    tstore: { count: 0, gas: 0 },
    logs: { count: 0, gas: 0 },
    callOverhead: { count: 0, gas: 0 },
    keccak: { count: 0, gas: 0 },
    other: { gas: 0 },
    total: 0,
  };
  // isOwn[depth]: whether the frame at that depth runs one of `addresses`' code.
  const isOwn: boolean[] = [];
  isOwn[1] = tx.to !== null && own.has(getAddress(tx.to));
  // Pending calls from own frames: gas before the call, and the callee's first/last gas readings.
  const pending: { depth: number; gasBefore: number; calleeFirst?: number; calleeLastRemaining?: number }[] = [];
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i]!;
    const top = pending[pending.length - 1];
    if (top !== undefined && step.depth === top.depth + 1) {
      top.calleeFirst ??= step.gas;
      top.calleeLastRemaining = step.gas - step.gasCost;
    }
    if (top !== undefined && step.depth === top.depth && i > 0) {
      // Back in the caller: the call's total effect minus what the callee consumed is the CALL opcode's own cost.
      const previous = logs[i - 1]!;
      if (previous.depth !== top.depth || CALL_OPS.has(previous.op)) {
        const delta = top.gasBefore - step.gas;
        const callee = top.calleeFirst === undefined ? 0 : top.calleeFirst - (top.calleeLastRemaining ?? top.calleeFirst);
        profile.callOverhead.count++;
        profile.callOverhead.gas += delta - callee;
        pending.pop();
      }
    }
    if (CALL_OPS.has(step.op)) {
      const stack = step.stack ?? [];
      const target = stack.length >= 2 ? getAddress(`0x${BigInt(stack[stack.length - 2]!).toString(16).padStart(40, "0")}`) : undefined;
      isOwn[step.depth + 1] = target !== undefined && own.has(target);
      if (isOwn[step.depth] === true) pending.push({ depth: step.depth, gasBefore: step.gas });
      continue;
    }
    if (isOwn[step.depth] !== true) continue;
    const bucket =
      step.op === "SLOAD"
        ? step.gasCost >= 2100
          ? profile.sloadCold
          : profile.sloadWarm
        : step.op === "SSTORE"
          ? profile.sstore
          : step.op === "TSTORE" || step.op === "TLOAD"
            ? profile.tstore
            : step.op.startsWith("LOG")
              ? profile.logs
              : step.op === "KECCAK256" || step.op === "SHA3"
                ? profile.keccak
                : undefined;
    if (bucket === undefined) profile.other.gas += step.gasCost;
    else {
      bucket.count++;
      bucket.gas += step.gasCost;
    }
  }
  profile.total =
    profile.sloadCold.gas +
    profile.sloadWarm.gas +
    profile.sstore.gas +
    profile.tstore.gas +
    profile.logs.gas +
    profile.callOverhead.gas +
    profile.keccak.gas +
    profile.other.gas;
  return profile;
}
