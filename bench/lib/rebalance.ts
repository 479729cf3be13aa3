// Rebalance rows of the benchmark. Rebalancing (IndexVaultRebalancer, engineer "rebalancer") is not merged yet: until
// the vault exposes it, every row is reported as pending (gas and turnoverRatio null) and the summary says so.
import type { BenchEnv } from "./env";
import type { RebalanceDetail } from "./report";
import type { RebalanceRow } from "./suite";
import type { ProtocolDeployment } from "./vault";
import { indexVaultAbi } from "../../sdk/generated/abis";

/** True when the generated IndexVault ABI has a rebalance entry point. */
export function rebalanceAvailable(): boolean {
  return (indexVaultAbi as readonly { type: string; name?: string }[]).some(
    (e) => e.type === "function" && typeof e.name === "string" && /^rebalance/i.test(e.name),
  );
}

export async function measureRebalance(
  _env: BenchEnv,
  _protocol: ProtocolDeployment,
  sizes: readonly number[],
): Promise<{ rows: RebalanceRow[]; detail: RebalanceDetail }> {
  const rows = sizes.map((constituents) => ({ constituents, gas: null, turnoverRatio: null }));
  return {
    rows,
    detail: {
      status: "pending",
      note: rebalanceAvailable()
        ? "the vault ABI has a rebalance entry point but the benchmark for it is not wired yet"
        : "rebalancing (IndexVaultRebalancer) is not merged yet; gas and turnoverRatio are null until it lands",
    },
  };
}
