// Shared setup of the slippage and sandwich suites: the protocol on the suite's local chain and a seeded vault
// (`useSeededVault` registers it with vitest, each test starting from the seeded state).
import { BaseError, ContractFunctionRevertedError, type Address } from "viem";
import { afterEach, beforeAll, beforeEach } from "vitest";
import type { LocalChain } from "../../sdk/local/localChain";
import { useLocalChain } from "../../sdk/local/testing";
import { benchEnvOf } from "./localEnv";
import { snapshot, type BenchEnv, type BenchToken } from "./env";
import {
  DEFAULT_BENCH_PARAMS,
  createVault,
  deployProtocol,
  depositUsdt,
  fundForDeposit,
  type BenchVaultParams,
  type ProtocolDeployment,
} from "./vault";

/** VaultFixture's defaults: 1 % per-swap bound. */
export const SUITE_PARAMS: BenchVaultParams = { ...DEFAULT_BENCH_PARAMS, maxSlippageBps: 100 };
export const USDT = (usd: number): bigint => BigInt(usd) * 1_000_000n;

export interface SeededVault {
  env: BenchEnv;
  protocol: ProtocolDeployment;
  vault: Address;
  tokens: BenchToken[];
}

/** Deploys the protocol, creates a vault over the first `n` constituents and seeds it with $10k from wallet 1. */
export async function seededVault(chain: LocalChain, n: number, params: BenchVaultParams = SUITE_PARAMS): Promise<SeededVault> {
  const env = benchEnvOf(chain);
  const protocol = await deployProtocol(env);
  const tokens = env.market.constituents.slice(0, n);
  const vault = await createVault(env, protocol, tokens, params);
  const seeder = env.wallets[1]!;
  await fundForDeposit(env, vault, seeder, USDT(10_000));
  await depositUsdt(env, vault, seeder, USDT(10_000));
  return { env, protocol, vault, tokens };
}

/**
 * Registers vitest hooks: the suite's local chain, `seededVault(chain, n)` once (beforeAll), and a snapshot reverted
 * after each test, so every test starts from the seeded vault. Read the fields inside tests.
 */
export function useSeededVault(n: number): Readonly<SeededVault> & { readonly chain: LocalChain } {
  const local = useLocalChain();
  let seeded: SeededVault | undefined;
  let revert: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    seeded = await seededVault(local.chain, n);
  }, 170_000);
  beforeEach(async () => {
    revert = await snapshot(get().env);
  });
  afterEach(async () => {
    await revert?.();
  });
  const get = (): SeededVault => {
    if (seeded === undefined) throw new Error("useSeededVault: the vault is only available inside tests");
    return seeded;
  };
  return {
    get chain() {
      return local.chain;
    },
    get env() {
      return get().env;
    },
    get protocol() {
      return get().protocol;
    },
    get vault() {
      return get().vault;
    },
    get tokens() {
      return get().tokens;
    },
  };
}

/** The custom error a viem call reverted with (walks to the root revert). */
export function revertOf(error: unknown): { errorName?: string; args: readonly unknown[] } | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) return undefined;
  return { errorName: revert.data?.errorName, args: (revert.data?.args ?? []) as readonly unknown[] };
}

/** Pins the next block's timestamp {s} to latest + `ahead` and returns it. */
export async function pinNextTimestamp(env: BenchEnv, ahead = 60n): Promise<bigint> {
  const latest = await env.publicClient.getBlock();
  const t = latest.timestamp + ahead;
  await env.testClient.setNextBlockTimestamp({ timestamp: t });
  return t;
}
