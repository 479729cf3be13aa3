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
 * Rebalance call: Chainlink Automation's standard interface (ABI from the @chainlink/contracts
 * package): `checkUpkeep("0x")` is called without a sender (as the automation network simulates it,
 * so a `cannotExecute` guard passes); when it says an upkeep is needed, the call to make is
 * `performUpkeep(performData)`, which the adapter then simulates and estimates as the keeper.
 *
 * PENDING (issue 4, not in the vault's ABI yet): dedicated views for the threshold, cooldown and
 * drift. Until they exist the vault reports no threshold (the keeper's configured `thresholdBps`
 * applies), no cooldown (checkUpkeep returning false covers it), and drift is computed off-chain
 * exactly as DriftLib does.
 */
import automationCompatibleAbi from "@chainlink/contracts/abi/v0.8/AutomationCompatibleInterface.json";
import { decodeFunctionResult, encodeFunctionData, erc20Abi, type Abi, type Address, type Hex, type PublicClient } from "viem";
import {
  iIndexFactoryAbi,
  iIndexVaultAbi,
  iOracleErrorsAbi,
  indexVaultAbi,
  uniswapV3PoolAbi,
} from "../../sdk/generated/abis.js";
import type { PreparedRebalance, VaultBinding, VaultReadout } from "./adapter.js";

/** Chainlink's AutomationCompatibleInterface: checkUpkeep(bytes) → (bool, bytes), performUpkeep(bytes). */
export const automationAbi = automationCompatibleAbi as Abi;

/** Vault, oracle and library errors, for decoding reverts. */
export const indexVaultErrorsAbi: Abi = [
  ...indexVaultAbi.filter((x) => x.type === "error"),
  ...iOracleErrorsAbi.filter((x) => x.type === "error"),
];

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
      const v = { address: vault, abi: iIndexVaultAbi } as const;
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

      return {
        asset,
        assetDecimals,
        assetFeed: config.usdtFeed,
        assetHeartbeat: config.usdtHeartbeat,
        constituents,
        balances,
        idleAsset,
        // No pause flag covers rebalancing yet (PAUSE_* guard the USDT and in-kind entry points).
        paused: false,
        rebalancing: config.rebalancing,
        thresholdBps: 0,
        cooldownRemainingSeconds: 0,
      };
    },

    async prepare(client, vault): Promise<PreparedRebalance> {
      const { data: raw } = await client.call({
        to: vault,
        data: encodeFunctionData({ abi: automationAbi, functionName: "checkUpkeep", args: ["0x"] }),
      });
      if (raw === undefined || raw === "0x") throw new Error(`checkUpkeep on ${vault} returned no data`);
      const [upkeepNeeded, performData] = decodeFunctionResult({
        abi: automationAbi,
        functionName: "checkUpkeep",
        data: raw,
      }) as readonly [boolean, Hex];
      if (!upkeepNeeded) return { needed: false, reason: "checkUpkeep: no rebalance needed now" };
      return {
        needed: true,
        performData,
        data: encodeFunctionData({ abi: automationAbi, functionName: "performUpkeep", args: [performData] }),
      };
    },
  };
}

/** The binding `npm run keeper` uses. */
export const indexVaultBinding: VaultBinding = createIndexVaultBinding();
