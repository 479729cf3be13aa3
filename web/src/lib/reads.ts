// The app's extra reads, all on-chain (no database): price ages, roles, the last rebalance, a NAV/level history from
// events plus block sampling, one wallet's deposits and redemptions, the vault's ERC-7540 batch and what the vault set
// aside for a wallet. Built on the vault client (./client).
import { erc20Abi, keccak256, parseAbi, toHex, zeroHash, type Address, type Hash } from "viem";
import {
  batchAbi,
  batchOf,
  readBatchPosition,
  readBatchStatus,
  readClaimable,
  readVaultStatus,
  vaultAbi,
  type AnyPublicClient,
  type BatchPosition,
  type BatchStatus,
  type NamedFeed,
  type VaultStatus,
} from "./client";

export interface VaultDetails {
  status: VaultStatus;
  /** Chainlink feed of each constituent (same order), named by token with its age, from the client's status read. */
  feeds: (NamedFeed | undefined)[];
  /** Symbol of each token on each constituent's route. */
  routeSymbols: string[][];
  /** {s} from when anyone may rebalance (drift flagged and the keeper's grace period over); 0: not flagged. */
  permissionlessAt: bigint;
}

/** The vault's status plus what the index page shows beside it. */
export async function readVaultDetails(client: AnyPublicClient, vault: Address): Promise<VaultDetails> {
  const status = await readVaultStatus(client, vault);
  const feeds = status.constituents.map((c) => status.feeds.find((f) => f.tokenAddress.toLowerCase() === c.token.toLowerCase()));
  const symbolCache = new Map<Address, Promise<string>>([[status.asset, Promise.resolve("USDT")]]);
  const symbolOf = (token: Address): Promise<string> => {
    let s = symbolCache.get(token);
    if (s === undefined) {
      s = client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }).catch(() => token.slice(0, 8));
      symbolCache.set(token, s);
    }
    return s;
  };
  const routeSymbols = await Promise.all(status.constituents.map((c) => Promise.all(c.path.map(symbolOf))));
  let permissionlessAt = 0n;
  if (status.rebalance !== undefined) {
    const r = await client.readContract({ address: vault, abi: vaultAbi, functionName: "rebalanceStatus" }).catch(() => undefined);
    permissionlessAt = r?.permissionlessAt ?? 0n;
  }
  return { status, feeds, routeSymbols, permissionlessAt };
}

/** OpenZeppelin AccessControl's role events (the vault inherits them; its interface ABI does not list them). */
const roleEventsAbi = parseAbi([
  "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
]);

export const ROLE_NAMES: Record<Hash, string> = {
  [zeroHash]: "admin",
  [keccak256(toHex("MANAGER_ROLE"))]: "manager",
  [keccak256(toHex("KEEPER_ROLE"))]: "keeper",
  [keccak256(toHex("GUARDIAN_ROLE"))]: "guardian",
};

/** Current holders of each role, from RoleGranted/RoleRevoked events. */
export async function readRoles(client: AnyPublicClient, vault: Address, fromBlock: bigint): Promise<{ role: string; holders: Address[] }[]> {
  const [granted, revoked] = await Promise.all([
    client.getContractEvents({ address: vault, abi: roleEventsAbi, eventName: "RoleGranted", fromBlock }),
    client.getContractEvents({ address: vault, abi: roleEventsAbi, eventName: "RoleRevoked", fromBlock }),
  ]);
  const events = [...granted.map((e) => ({ e, grant: true })), ...revoked.map((e) => ({ e, grant: false }))].sort((a, b) =>
    a.e.blockNumber === b.e.blockNumber ? (a.e.logIndex ?? 0) - (b.e.logIndex ?? 0) : a.e.blockNumber < b.e.blockNumber ? -1 : 1,
  );
  const holders = new Map<string, Set<Address>>();
  for (const { e, grant } of events) {
    const role = e.args.role as Hash;
    const name = ROLE_NAMES[role] ?? role.slice(0, 10);
    const set = holders.get(name) ?? new Set<Address>();
    if (grant) set.add(e.args.account as Address);
    else set.delete(e.args.account as Address);
    holders.set(name, set);
  }
  return [...holders.entries()].map(([role, set]) => ({ role, holders: [...set] }));
}

export interface RebalanceReceiptView {
  blockNumber: bigint;
  hash: Hash;
  navBefore: bigint;
  sold: bigint;
  bought: bigint;
  cost: bigint;
  step: bigint;
  complete: boolean;
  maxDriftBeforeBps: bigint;
  maxDriftAfterBps: bigint;
}

/** The vault's latest Rebalanced receipt, if any. */
export async function readLastRebalance(client: AnyPublicClient, vault: Address, fromBlock: bigint): Promise<RebalanceReceiptView | undefined> {
  const events = await client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Rebalanced", fromBlock });
  const last = events.at(-1) as unknown as { blockNumber: bigint; transactionHash: Hash; args: { receipt: Omit<RebalanceReceiptView, "blockNumber" | "hash"> } } | undefined;
  if (last === undefined) return undefined;
  return { blockNumber: last.blockNumber, hash: last.transactionHash, ...last.args.receipt };
}

export interface HistoryPoint {
  block: bigint;
  /** {s} */
  timestamp: bigint;
  /** {USDT units per 1e18 shares} */
  navPerShare: bigint;
  /** D18{1} */
  indexLevel: bigint;
  /** What happened in this block, if an event did. */
  event?: string;
}

/**
 * NAV per share and index level over time: read at every block with a vault event (deposits, redemptions,
 * rebalances) plus `samples` evenly spaced blocks, each value read from the chain at that block.
 */
export async function readHistory(client: AnyPublicClient, vault: Address, fromBlock: bigint, samples = 16): Promise<HistoryPoint[]> {
  const latest = await client.getBlockNumber();
  const labelled = new Map<bigint, string>();
  const add = (events: readonly { blockNumber: bigint }[], label: string): void => {
    for (const e of events) labelled.set(e.blockNumber, labelled.has(e.blockNumber) ? `${labelled.get(e.blockNumber)}, ${label}` : label);
  };
  const [deposits, redeems, inKind] = await Promise.all([
    client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Deposited", fromBlock }),
    client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Redeemed", fromBlock }),
    client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "RedeemedInKind", fromBlock }),
  ]);
  add(deposits, "deposit");
  add(redeems, "redeem");
  add(inKind, "redeem in kind");
  add(await client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Rebalanced", fromBlock }), "rebalance");
  const first = deposits[0]?.blockNumber ?? fromBlock;
  const blocks = new Set<bigint>([...labelled.keys(), latest]);
  if (latest > first) for (let i = 0; i <= samples; i++) blocks.add(first + ((latest - first) * BigInt(i)) / BigInt(samples));
  const sorted = [...blocks].filter((b) => b >= first).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(-60);
  const points = await Promise.all(
    sorted.map(async (block): Promise<HistoryPoint | undefined> => {
      try {
        const [navPerShare, indexLevel, header] = await Promise.all([
          client.readContract({ address: vault, abi: vaultAbi, functionName: "navPerShare", blockNumber: block }),
          client.readContract({ address: vault, abi: vaultAbi, functionName: "indexLevel", blockNumber: block }),
          client.getBlock({ blockNumber: block }),
        ]);
        const label = labelled.get(block);
        return { block, timestamp: header.timestamp, navPerShare, indexLevel, ...(label === undefined ? {} : { event: label }) };
      } catch {
        return undefined; // before the vault existed, or no valid price at that block
      }
    }),
  );
  return points.filter((p): p is HistoryPoint => p !== undefined);
}

export type ActivityKind = "deposit" | "redeem" | "redeem in kind";

export interface Activity {
  kind: ActivityKind;
  blockNumber: bigint;
  hash: Hash;
  /** {share} minted (deposit) or taken (redemptions). */
  shares: bigint;
  /** {USDT units} paid in (deposit) or received (redeem). */
  usdt: bigint;
  /** {USDT units} Chainlink value received (deposit: valueIn) or given up (redeem: shares × NAV/share before). */
  value: bigint;
  /** {USDT units} mint or burn fee. */
  fee: bigint;
  /** {tok units} in-kind amounts: constituents then USDT. */
  amounts?: readonly bigint[];
}

/** A wallet's deposits and redemptions with their receipts, newest first. */
export async function readActivity(client: AnyPublicClient, vault: Address, account: Address, fromBlock: bigint): Promise<Activity[]> {
  const [deposits, redeems, inKind] = await Promise.all([
    client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Deposited", args: { receiver: account }, fromBlock }),
    client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Redeemed", args: { owner: account }, fromBlock }),
    client.getContractEvents({ address: vault, abi: vaultAbi, eventName: "RedeemedInKind", args: { owner: account }, fromBlock }),
  ]);
  const out: Activity[] = deposits.map((e) => ({
    kind: "deposit",
    blockNumber: e.blockNumber,
    hash: e.transactionHash,
    shares: e.args.shares!,
    usdt: e.args.assets!,
    value: e.args.valueIn!,
    fee: e.args.mintFee!,
  }));
  const navBefore = (block: bigint): Promise<bigint> =>
    client.readContract({ address: vault, abi: vaultAbi, functionName: "navPerShare", blockNumber: block - 1n }).catch(() => 0n);
  for (const e of redeems) {
    const nps = await navBefore(e.blockNumber);
    out.push({ kind: "redeem", blockNumber: e.blockNumber, hash: e.transactionHash, shares: e.args.shares!, usdt: e.args.assets!, value: (e.args.shares! * nps) / 10n ** 18n, fee: e.args.burnFee! });
  }
  for (const e of inKind) {
    const nps = await navBefore(e.blockNumber);
    out.push({ kind: "redeem in kind", blockNumber: e.blockNumber, hash: e.transactionHash, shares: e.args.shares!, usdt: 0n, value: (e.args.shares! * nps) / 10n ** 18n, fee: 0n, amounts: e.args.amounts! });
  }
  return out.sort((a, b) => (a.blockNumber < b.blockNumber ? 1 : a.blockNumber > b.blockNumber ? -1 : 0));
}

/** The wallet's USDT balance and allowance to the vault, and its shares. */
export async function readWallet(client: AnyPublicClient, status: Pick<VaultStatus, "vault" | "asset">, account: Address): Promise<{ usdt: bigint; allowance: bigint; shares: bigint }> {
  const [usdt, allowance, shares] = await Promise.all([
    client.readContract({ address: status.asset, abi: erc20Abi, functionName: "balanceOf", args: [account] }),
    client.readContract({ address: status.asset, abi: erc20Abi, functionName: "allowance", args: [account, status.vault] }),
    client.readContract({ address: status.vault, abi: vaultAbi, functionName: "balanceOf", args: [account] }),
  ]);
  return { usdt, allowance, shares };
}

const hasRoleAbi = parseAbi(["function hasRole(bytes32 role, address account) view returns (bool)"]);

export interface BatchView {
  /** The batch and its open epoch and keeper policy (the client's readBatchStatus). */
  batch: BatchStatus;
  /** {s} the latest block's timestamp (what "now" means for the policy's clock). */
  now: bigint;
  /** {USDT units} the pending redeem shares at NAV (the batch's convertToAssets); undefined without a valid price. */
  valueS?: bigint;
  /** The connected wallet's requests and claims, balances and allowances toward the batch. */
  mine?: {
    position: BatchPosition;
    isKeeper: boolean;
    usdt: bigint;
    shares: bigint;
  };
}

/** The vault's batch from the IndexBatchFactory, or undefined when it has none. */
export async function readBatchView(client: AnyPublicClient, batchFactory: Address, vault: Address, account: Address | undefined): Promise<BatchView | undefined> {
  const batch = await batchOf(client, batchFactory, vault);
  if (batch === undefined) return undefined;
  const [status, block] = await Promise.all([readBatchStatus(client, batch), client.getBlock()]);
  const valueS =
    status.status.pendingShares === 0n
      ? 0n
      : await client.readContract({ address: batch, abi: batchAbi, functionName: "convertToAssets", args: [status.status.pendingShares] }).catch(() => undefined);
  const view: BatchView = { batch: status, now: block.timestamp, ...(valueS === undefined ? {} : { valueS }) };
  if (account === undefined) return view;
  const [position, isKeeper, usdt, shares] = await Promise.all([
    readBatchPosition(client, batch, account),
    client.readContract({ address: vault, abi: hasRoleAbi, functionName: "hasRole", args: [keccak256(toHex("KEEPER_ROLE")), account] }).catch(() => false),
    client.readContract({ address: status.asset, abi: erc20Abi, functionName: "balanceOf", args: [account] }),
    client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [account] }),
  ]);
  return { ...view, mine: { position, isKeeper, usdt, shares } };
}

export interface OwedToken {
  token: Address;
  symbol: string;
  decimals: number;
  /** {tok units} set aside for the account by an in-kind redemption whose transfer failed (the vault's `claimable`). */
  amount: bigint;
}

/** What the vault set aside for `account` in each in-kind token (constituents, then USDT), zero rows included. */
export async function readDeferred(client: AnyPublicClient, status: Pick<VaultStatus, "vault" | "asset" | "constituents">, account: Address): Promise<OwedToken[]> {
  const tokens = [...status.constituents.map((c) => ({ token: c.token, symbol: c.symbol, decimals: c.decimals })), { token: status.asset, symbol: "USDT", decimals: 6 }];
  const amounts = await readClaimable(client, status.vault, account, tokens.map((t) => t.token));
  return tokens.map((t, i) => ({ ...t, amount: amounts[i]?.amount ?? 0n }));
}
