// TanStack Query hooks over the vault client and the app's reads. Everything refreshes on a short interval and after
// each transaction (invalidateVault).
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { useConnection, useWalletClient } from "wagmi";
import { useApp } from "./context";
import { listVaults, readVaultStatus, type VaultStatus, type Wallet } from "./lib/client";
import { readActivity, readBatchView, readDeferred, readHistory, readLastRebalance, readRoles, readVaultDetails, readWallet } from "./lib/reads";

const LIVE_MS = 6_000;

export function useVaults() {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["vaults", config.factory],
    queryFn: async () => {
      const vaults = await listVaults(client, config.factory);
      return Promise.all(vaults.map((v) => readVaultStatus(client, v)));
    },
    refetchInterval: LIVE_MS,
  });
}

export function useDetails(vault: Address) {
  const { client } = useApp();
  return useQuery({ queryKey: ["details", vault], queryFn: () => readVaultDetails(client, vault), refetchInterval: LIVE_MS });
}

export function useHistory(vault: Address) {
  const { client, config } = useApp();
  return useQuery({ queryKey: ["history", vault], queryFn: () => readHistory(client, vault, config.fromBlock) });
}

export function useRolesAndRebalance(vault: Address) {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["roles", vault],
    queryFn: async () => {
      const [roles, lastRebalance] = await Promise.all([readRoles(client, vault, config.fromBlock), readLastRebalance(client, vault, config.fromBlock)]);
      return { roles, lastRebalance };
    },
  });
}

/** The connected account, whether it is on the app's chain, and a viem wallet client for the vault client's sends. */
export function useWallet(): { address?: Address; wrongChain: boolean; walletChainId?: number; wallet?: Wallet; connectorName?: string } {
  const { chain } = useApp();
  const connection = useConnection();
  const { data: walletClient } = useWalletClient();
  const address = connection.status === "connected" ? connection.address : undefined;
  const walletChainId = connection.status === "connected" ? connection.chainId : undefined;
  const wrongChain = walletChainId !== undefined && walletChainId !== chain.id;
  return {
    ...(address === undefined ? {} : { address }),
    wrongChain,
    ...(walletChainId === undefined ? {} : { walletChainId }),
    ...(walletClient === undefined || address === undefined ? {} : { wallet: walletClient as unknown as Wallet }),
    ...(connection.connector === undefined ? {} : { connectorName: connection.connector.name }),
  };
}

export function useWalletState(vault: Address, asset: Address | undefined, account: Address | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["wallet", vault, account],
    enabled: account !== undefined && asset !== undefined,
    queryFn: () => readWallet(client, { vault, asset: asset! }, account!),
    refetchInterval: LIVE_MS,
  });
}

export function useActivity(vault: Address, account: Address | undefined) {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["activity", vault, account],
    enabled: account !== undefined,
    queryFn: () => readActivity(client, vault, account!, config.fromBlock),
  });
}

/** The vault's batch (undefined: no batch factory configured or no batch for this vault) and the wallet's part in it. */
export function useBatch(vault: Address, account: Address | undefined) {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["batch", vault, account, config.batchFactory],
    enabled: config.batchFactory !== undefined,
    queryFn: async () => (await readBatchView(client, config.batchFactory!, vault, account)) ?? null,
    refetchInterval: LIVE_MS,
  });
}

/** What the vault set aside for the wallet during in-kind redemptions (claimable per token). */
export function useDeferred(status: VaultStatus, account: Address | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["deferred", status.vault, account],
    enabled: account !== undefined,
    queryFn: () => readDeferred(client, status, account!),
    refetchInterval: LIVE_MS,
  });
}

export function invalidateVault(queryClient: QueryClient, vault: Address): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === "vaults" || q.queryKey.includes(vault) });
}

export { useQueryClient };
