// Bench helpers over the protocol deployment in sdk/protocol.ts: deploys the protocol on a BenchEnv chain, creates
// equal-weight vaults over the first n constituents (like test/base/VaultFixture.sol) and runs the wallet paths.
import { erc20Abi, maxUint256, type Address, type TransactionReceipt } from "viem";
import { indexVaultAbi, mockUSDTAbi } from "../../sdk/generated/abis";
import type { LocalWalletClient } from "../../sdk/local/localChain";
import {
  constituentParams,
  createVault as createVaultThroughFactory,
  deployProtocol as deployProtocolContracts,
  equalWeights,
  prepareProbes,
  vaultParams,
  type ProtocolDeployment,
} from "../../sdk/protocol";
import { confirm, type BenchEnv, type BenchToken } from "./env";

export { equalWeights, type ProtocolDeployment };

/** Vault parameters the benchmark uses (VaultFixture's defaults, except the slippage bound). */
export interface BenchVaultParams {
  /** {bps} */
  mintFeeBps: number;
  /** {bps} */
  burnFeeBps: number;
  /** {bps per year} */
  managementFeeBps: number;
  /** {bps} per-swap bound below the Chainlink value. */
  maxSlippageBps: number;
  /** {USDT units} */
  minDeposit: bigint;
}

export const DEFAULT_BENCH_PARAMS: BenchVaultParams = {
  mintFeeBps: 50,
  burnFeeBps: 50,
  managementFeeBps: 100,
  // The widest bound the vault accepts (ConstantsLib.MAX_SLIPPAGE_BPS): the $1M slippage rows must execute. Gas does
  // not depend on it.
  maxSlippageBps: 500,
  minDeposit: 10_000_000n,
};

/** A far-future deadline {s}. */
export const FAR_DEADLINE = 2n ** 48n;

function admin(env: BenchEnv): LocalWalletClient {
  const wallet = env.wallets[0];
  if (wallet === undefined) throw new Error("no admin wallet");
  return wallet;
}

/** Deploys configurator → rebalancer → implementation → factory (sdk/protocol.ts). */
export async function deployProtocol(env: BenchEnv): Promise<ProtocolDeployment> {
  return deployProtocolContracts(env.publicClient, admin(env), env.market);
}

/** Creates a vault over `tokens` through the factory (funding and approving the fee-on-transfer probes). */
export async function createVault(
  env: BenchEnv,
  protocol: ProtocolDeployment,
  tokens: readonly BenchToken[],
  params: BenchVaultParams = DEFAULT_BENCH_PARAMS,
  weights: readonly number[] = equalWeights(tokens.length),
): Promise<Address> {
  const wallet = admin(env);
  const owner = wallet.account.address;
  const probes = await prepareProbes(env.publicClient, wallet, protocol.factory, tokens.map((t) => t.address), (token, to, amount) =>
    env.fund(token, to, amount),
  );
  const vault = vaultParams(
    { name: `Bench Index ${tokens.length}`, symbol: `BIX${tokens.length}` },
    { admin: owner, manager: owner, keeper: owner, guardian: owner, feeRecipient: owner },
    params,
    { feed: env.market.usdtFeed, heartbeat: env.market.usdtHeartbeat },
  );
  const list = constituentParams(tokens, weights);
  return (await createVaultThroughFactory(env.publicClient, wallet, protocol.factory, vault, list, probes)).vault;
}

/** Approves `spender` for `amount` of USDT the mainnet way (reset to zero first when an allowance is left). */
export async function approveUsdt(env: BenchEnv, wallet: LocalWalletClient, spender: Address, amount: bigint): Promise<void> {
  const current = await env.publicClient.readContract({
    address: env.market.usdt,
    abi: mockUSDTAbi,
    functionName: "allowance",
    args: [wallet.account.address, spender],
  });
  if (current !== 0n) {
    await confirm(env, await wallet.writeContract({ address: env.market.usdt, abi: mockUSDTAbi, functionName: "approve", args: [spender, 0n] }));
  }
  await confirm(env, await wallet.writeContract({ address: env.market.usdt, abi: mockUSDTAbi, functionName: "approve", args: [spender, amount] }));
}

/** Approves `spender` for `amount` of an ordinary ERC-20. */
export async function approveToken(env: BenchEnv, wallet: LocalWalletClient, token: Address, spender: Address, amount: bigint = maxUint256): Promise<void> {
  if (token === env.market.usdt) return approveUsdt(env, wallet, spender, amount);
  await confirm(env, await wallet.writeContract({ address: token, abi: erc20Abi, functionName: "approve", args: [spender, amount] }));
}

/** Funds `wallet` with `assets` USDT and approves the vault for it. */
export async function fundForDeposit(env: BenchEnv, vault: Address, wallet: LocalWalletClient, assets: bigint): Promise<void> {
  await env.fund(env.market.usdt, wallet.account.address, assets);
  await approveUsdt(env, wallet, vault, assets);
}

/** The wallet path: deposit(assets, receiver, minShares, deadline). Returns the receipt. */
export async function depositUsdt(
  env: BenchEnv,
  vault: Address,
  wallet: LocalWalletClient,
  assets: bigint,
  minShares = 0n,
  deadline = FAR_DEADLINE,
): Promise<TransactionReceipt> {
  const hash = await wallet.writeContract({
    address: vault,
    abi: indexVaultAbi,
    functionName: "deposit",
    args: [assets, wallet.account.address, minShares, deadline],
    gas: 15_000_000n,
  });
  return confirm(env, hash);
}

/** The wallet path: redeem(shares, receiver, owner, minAssets, deadline). Returns the receipt. */
export async function redeemUsdt(
  env: BenchEnv,
  vault: Address,
  wallet: LocalWalletClient,
  shares: bigint,
  minAssets = 0n,
  deadline = FAR_DEADLINE,
): Promise<TransactionReceipt> {
  const me = wallet.account.address;
  const hash = await wallet.writeContract({
    address: vault,
    abi: indexVaultAbi,
    functionName: "redeem",
    args: [shares, me, me, minAssets, deadline],
    gas: 15_000_000n,
  });
  return confirm(env, hash);
}

export async function shareBalance(env: BenchEnv, vault: Address, who: Address): Promise<bigint> {
  return env.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "balanceOf", args: [who] });
}

export async function tokenBalance(env: BenchEnv, token: Address, who: Address): Promise<bigint> {
  return env.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });
}

/** Funds and approves the pro-rata basket for an in-kind deposit of `shares`, then deposits in kind. */
export async function depositInKind(env: BenchEnv, vault: Address, wallet: LocalWalletClient, shares: bigint): Promise<TransactionReceipt> {
  const amounts = await env.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "previewDepositInKind", args: [shares] });
  const n = amounts.length - 1;
  for (let i = 0; i <= n; i++) {
    const amount = amounts[i] ?? 0n;
    if (amount === 0n) continue;
    const token =
      i === n
        ? env.market.usdt
        : (await env.publicClient.readContract({ address: vault, abi: indexVaultAbi, functionName: "constituent", args: [BigInt(i)] })).token;
    await env.fund(token, wallet.account.address, amount);
    await approveToken(env, wallet, token, vault, amount);
  }
  const hash = await wallet.writeContract({
    address: vault,
    abi: indexVaultAbi,
    functionName: "depositInKind",
    args: [shares, wallet.account.address],
    gas: 15_000_000n,
  });
  return confirm(env, hash);
}

export async function redeemInKind(env: BenchEnv, vault: Address, wallet: LocalWalletClient, shares: bigint): Promise<TransactionReceipt> {
  const me = wallet.account.address;
  const hash = await wallet.writeContract({
    address: vault,
    abi: indexVaultAbi,
    functionName: "redeemInKind",
    args: [shares, me, me],
    gas: 15_000_000n,
  });
  return confirm(env, hash);
}
