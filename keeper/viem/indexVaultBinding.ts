/**
 * The IndexVault binding: every vault- and factory-specific read and call, on the generated ABIs
 * (sdk/generated/abis.ts, from `npm run build:abis`; never hand-copied).
 *
 * Reads (all at one block):
 *   factory.vaults()
 *   vault.asset(), vault.config() (usdtFeed, usdtHeartbeat, pauseFlags, rebalancing),
 *   vault.constituentCount(), vault.constituent(i) (token, target, decimals, feed, heartbeat, path, pools),
 *   pool.fee() for each route hop (cached: immutable), token.symbol() (cached),
 *   vault.basket() for balances held for shareholders; when it reverts (a bad price), the raw
 *   balanceOf(vault) − totalClaimable(token) instead, so a stale feed is still reported.
 *
 *   vault.rebalanceStatus() (IIndexVaultRebalancer, served by the vault through its module): drift,
 *   threshold, reason (UnderThreshold / Cooldown / Due / Continue / TimedOut / BelowMinTrade), cooldown
 *   end, in-flight state; when it reverts (a bad price), vault.rebalanceConfig() for the threshold and
 *   drift computed off-chain exactly as DriftLib does.
 *
 * Rebalance call: `rebalanceDue()` (the keeper trigger in the tendTrigger shape) gives the calldata of
 * `rebalance()`, which the adapter simulates and estimates as the keeper (KEEPER_ROLE) before sending.
 * Not due → "UpkeepNotNeeded" (already done / cooldown), never a send.
 *
 * Maintenance: Chainlink Automation's `checkUpkeep` (a view) also reports ClearRebalancing (a
 * multi-step rebalance timed out) and ExecuteProposal (a composition change past its delay); the
 * keeper performs those through `performUpkeep(performData)`, which anyone may call for them.
 */
import { decodeAbiParameters, encodeFunctionData, erc20Abi, type Abi, type Address, type PublicClient } from "viem";
import { allErrorsAbi } from "../../sdk/client/errors";
import { REBALANCE_REASONS } from "../../sdk/client/vault";
import { vaultAbi } from "../../sdk/client/abis";
import { iIndexFactoryAbi, uniswapV3PoolAbi } from "../../sdk/generated/abis";
import type { PreparedRebalance, VaultBinding, VaultReadout } from "./adapter";

export { REBALANCE_REASONS };
export type RebalanceReasonName = (typeof REBALANCE_REASONS)[number];
/** IIndexVaultRebalancer.UpkeepAction, in declaration order (checkUpkeep's performData is abi.encode(action)). */
export const UPKEEP_ACTIONS = ["None", "Rebalance", "ClearRebalancing", "ExecuteProposal"] as const;

/** Every error of every ABI (vault, modules, composer, libraries, oracle): the client's one table. */
export const indexVaultErrorsAbi: Abi = allErrorsAbi;

export function createIndexVaultBinding(): VaultBinding {
  const poolFees = new Map<string, number>();
  const symbols = new Map<string, string>();

  async function feeOf(client: PublicClient, pool: Address): Promise<number> {
    const cached = poolFees.get(pool.toLowerCase());
    if (cached !== undefined) return cached;
    const fee = await client.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "fee" });
    poolFees.set(pool.toLowerCase(), fee);
    return fee;
  }

  async function symbolOf(client: PublicClient, token: Address): Promise<string | undefined> {
    const cached = symbols.get(token.toLowerCase());
    if (cached !== undefined) return cached;
    try {
      const symbol = await client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" });
      symbols.set(token.toLowerCase(), symbol);
      return symbol;
    } catch {
      return undefined;
    }
  }

  return {
    errorsAbi: indexVaultErrorsAbi,

    async listVaults(client, factory) {
      if (factory === undefined) return [];
      return client.readContract({ address: factory, abi: iIndexFactoryAbi, functionName: "vaults" });
    },

    async read(client, vault, blockNumber): Promise<VaultReadout> {
      const at = { blockNumber };
      const v = { address: vault, abi: vaultAbi } as const;
      const [asset, config, count] = await Promise.all([
        client.readContract({ ...v, functionName: "asset", ...at }),
        client.readContract({ ...v, functionName: "config", ...at }),
        client.readContract({ ...v, functionName: "constituentCount", ...at }),
      ]);
      const infos = await Promise.all(
        Array.from({ length: Number(count) }, (_, i) =>
          client.readContract({ ...v, functionName: "constituent", args: [BigInt(i)], ...at }),
        ),
      );
      const [assetDecimals, constituents] = await Promise.all([
        client.readContract({ address: asset, abi: erc20Abi, functionName: "decimals", ...at }),
        Promise.all(
          infos.map(async (c) => {
            const [fees, symbol] = await Promise.all([
              Promise.all(c.pools.map((pool) => feeOf(client, pool))),
              symbolOf(client, c.token),
            ]);
            return {
              token: c.token,
              ...(symbol !== undefined && { symbol }),
              decimals: c.tokenDecimals,
              feed: c.feed,
              heartbeat: c.heartbeat,
              targetBps: c.targetWeightBps,
              route: { tokens: c.path, fees },
            };
          }),
        ),
      ]);

      // Balances held for shareholders: basket() when prices are valid, else raw balances less claims.
      let balances: bigint[];
      let idleAsset: bigint;
      try {
        const [states, idle] = await client.readContract({ ...v, functionName: "basket", ...at });
        balances = states.map((s) => s.balance);
        idleAsset = idle;
      } catch {
        const held = await Promise.all(
          [...infos.map((c) => c.token), asset].map(async (token) => {
            const [balance, claimable] = await Promise.all([
              client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [vault], ...at }),
              client.readContract({ ...v, functionName: "totalClaimable", args: [token], ...at }),
            ]);
            return balance > claimable ? balance - claimable : 0n;
          }),
        );
        idleAsset = held.pop() ?? 0n;
        balances = held;
      }

      // Rebalance state: the vault's own view; it reverts on a bad price, then only the config is read
      // (the keeper refuses on the stale price anyway, and computes drift off-chain for the metrics).
      const r = { address: vault, abi: vaultAbi } as const;
      let rebalance: Pick<VaultReadout, "rebalancing" | "thresholdBps" | "cooldownRemainingSeconds" | "drift" | "gracePeriodSeconds">;
      try {
        const [status, block, cfg] = await Promise.all([
          client.readContract({ ...r, functionName: "rebalanceStatus", ...at }),
          client.getBlock({ blockNumber }),
          client.readContract({ ...r, functionName: "rebalanceConfig", ...at }),
        ]);
        const reason = REBALANCE_REASONS[status.reason] ?? "UnderThreshold";
        rebalance = {
          rebalancing: reason === "Continue",
          thresholdBps: Number(status.thresholdBps),
          cooldownRemainingSeconds:
            status.cooldownEndsAt > block.timestamp ? Number(status.cooldownEndsAt - block.timestamp) : 0,
          drift: { maxBps: Number(status.maxDeviationBps), sumBps: Number(status.sumDeviationBps) },
          gracePeriodSeconds: Number(cfg.gracePeriod),
        };
      } catch {
        const cfg = await client.readContract({ ...r, functionName: "rebalanceConfig", ...at });
        rebalance = { rebalancing: config.rebalancing, thresholdBps: cfg.thresholdBps, cooldownRemainingSeconds: 0, gracePeriodSeconds: Number(cfg.gracePeriod) };
      }

      return {
        asset,
        assetDecimals,
        assetFeed: config.usdtFeed,
        assetHeartbeat: config.usdtHeartbeat,
        constituents,
        balances,
        idleAsset,
        // No pause flag covers rebalancing (PAUSE_* guard the USDT and in-kind entry points).
        paused: false,
        ...rebalance,
      };
    },

    async maintenance(client, vault) {
      const [needed, performData] = await client.readContract({
        address: vault,
        abi: vaultAbi,
        functionName: "checkUpkeep",
        args: ["0x"],
      });
      if (!needed) return undefined;
      const [action] = decodeAbiParameters([{ type: "uint8" }], performData);
      const name = UPKEEP_ACTIONS[action];
      // Rebalances go through the strategy (cost test); only the unblocking actions are maintenance.
      if (name !== "ClearRebalancing" && name !== "ExecuteProposal") return undefined;
      return {
        action: name,
        data: encodeFunctionData({ abi: vaultAbi, functionName: "performUpkeep", args: [performData] }),
      };
    },

    async prepare(client, vault): Promise<PreparedRebalance> {
      const [due, data] = await client.readContract({ address: vault, abi: vaultAbi, functionName: "rebalanceDue" });
      if (!due || data === "0x") return { needed: false, reason: "rebalanceDue: no rebalance due now" };
      return { needed: true, data, performData: data };
    },
  };
}

/** The binding `npm run keeper` uses. */
export const indexVaultBinding: VaultBinding = createIndexVaultBinding();
