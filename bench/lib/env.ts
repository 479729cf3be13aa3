// What a benchmark needs from a chain, independent of whether it is the local market (anvil + the fixture's
// deployment, sdk/local/localChain.ts) or a mainnet fork (anvil --fork-url, config/mainnet.json).
import type { Address, Hash, TransactionReceipt } from "viem";
import type { LocalPublicClient, LocalTestClient, LocalWalletClient } from "../../sdk/local/localChain";
import { confirm as confirmTransaction } from "../../sdk/protocol";

/** One constituent the benchmark can put in a vault: the token, its USD feed and its buy route from USDT. */
export interface BenchToken {
  symbol: string;
  address: Address;
  decimals: number;
  feed: Address;
  /** {s} */
  heartbeat: number;
  /** [0] = USDT, [last] = the token. */
  buyRouteTokens: readonly Address[];
  /** {hundredths of a bip} fee tier of each hop. */
  buyRouteFees: readonly number[];
  /** Pool of each hop. */
  pools: readonly Address[];
}

export interface BenchMarket {
  usdt: Address;
  usdtFeed: Address;
  /** {s} */
  usdtHeartbeat: number;
  uniswapFactory: Address;
  swapRouter: Address;
  quoterV2: Address;
  constituents: readonly BenchToken[];
}

export interface BenchEnv {
  /** "local" (the fixture's market on anvil) or "fork" (mainnet state at a pinned block). */
  mode: "local" | "fork";
  /** Human description of where the numbers come from (node, block, hardfork). */
  description: string;
  publicClient: LocalPublicClient;
  testClient: LocalTestClient;
  /** Funded accounts: [0] deploys and administers, the others are users, a raw trader and an attacker. */
  wallets: readonly LocalWalletClient[];
  market: BenchMarket;
  /** Moves a token's market as an arbitrageur would (feed and pools), local market only. D8{USD/tok} */
  setMarketPrice?: (token: Address, priceUsd8: bigint) => Promise<void>;
  /** Gives `to` exactly `amount` more of `token` (USDT or a constituent). */
  fund(token: Address, to: Address, amount: bigint): Promise<void>;
  stop(): Promise<void>;
}

/** Waits for a transaction and throws if it reverted. */
export async function confirm(env: Pick<BenchEnv, "publicClient">, hash: Hash): Promise<TransactionReceipt> {
  return confirmTransaction(env.publicClient, hash);
}

/** EVM snapshot; the returned function reverts to it (a snapshot can be reverted to once). */
export async function snapshot(env: Pick<BenchEnv, "testClient">): Promise<() => Promise<void>> {
  const id = await env.testClient.snapshot();
  return async () => {
    await env.testClient.revert({ id });
  };
}

/** Sends a transaction with a fixed gas limit (no estimation, so a reverting call is mined) and returns its receipt. */
export async function sendUnchecked(env: Pick<BenchEnv, "publicClient">, send: () => Promise<Hash>): Promise<TransactionReceipt> {
  const hash = await send();
  return env.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 25 });
}
