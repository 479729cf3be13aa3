// Deploys the protocol (configurator, IndexVault implementation, factory) on a BenchEnv chain from the generated
// creation bytecode and creates equal-weight vaults over the first n constituents, like test/base/VaultFixture.sol.
import { erc20Abi, getAddress, maxUint256, type Address, type TransactionReceipt } from "viem";
import {
  bytecodes,
  indexFactoryAbi,
  indexVaultAbi,
  indexVaultConfiguratorAbi,
  mockUSDTAbi,
} from "../../sdk/generated/abis";
import type { LocalWalletClient } from "../../sdk/localChain";
import { confirm, type BenchEnv, type BenchToken } from "./env";

export interface ProtocolDeployment {
  configurator: Address;
  /** The rebalancing module (DELEGATECALL target of the vault's fallback), when the vault has one. */
  rebalancer?: Address;
  implementation: Address;
  factory: Address;
}

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

/** {tok units} Fee-on-transfer probe per constituent (ConstantsLib.MIN_PROBE_AMOUNT). */
const PROBE_AMOUNT = 10_000n;

/** A far-future deadline {s}. */
export const FAR_DEADLINE = 2n ** 48n;

async function deploy(env: BenchEnv, hash: `0x${string}`): Promise<Address> {
  const receipt = await confirm(env, hash);
  if (receipt.contractAddress == null) throw new Error(`deployment ${hash} created no contract`);
  return getAddress(receipt.contractAddress);
}

function admin(env: BenchEnv): LocalWalletClient {
  const wallet = env.wallets[0];
  if (wallet === undefined) throw new Error("no admin wallet");
  return wallet;
}

/** Deploys configurator → implementation → factory. */
export async function deployProtocol(env: BenchEnv): Promise<ProtocolDeployment> {
  const wallet = admin(env);
  const configurator = await deploy(
    env,
    await wallet.deployContract({
      abi: indexVaultConfiguratorAbi,
      bytecode: bytecodes.IndexVaultConfigurator,
      args: [env.market.usdt, env.market.uniswapFactory],
    }),
  );
  // The vault takes (configurator) or, once rebalancing is merged, (configurator, rebalancer): wire what the ABI asks.
  const ctor = (indexVaultAbi as readonly { type: string; inputs?: readonly unknown[] }[]).find((e) => e.type === "constructor");
  const codes = bytecodes as Record<string, `0x${string}`>;
  let rebalancer: Address | undefined;
  if ((ctor?.inputs?.length ?? 1) >= 2) {
    const code = codes.IndexVaultRebalancer;
    if (code === undefined) throw new Error("IndexVault wants a rebalancer but no IndexVaultRebalancer bytecode was generated");
    rebalancer = await deploy(env, await wallet.deployContract({ abi: [{ type: "constructor", stateMutability: "nonpayable", inputs: [{ name: "configurator", type: "address" }] }], bytecode: code, args: [configurator] }));
  }
  const implementation = await deploy(
    env,
    await wallet.deployContract({
      abi: indexVaultAbi,
      bytecode: bytecodes.IndexVault,
      args: (rebalancer === undefined ? [configurator] : [configurator, rebalancer]) as never,
    }),
  );
  const factory = await deploy(
    env,
    await wallet.deployContract({ abi: indexFactoryAbi, bytecode: bytecodes.IndexFactory, args: [implementation] }),
  );
  return { configurator, ...(rebalancer === undefined ? {} : { rebalancer }), implementation, factory };
}

/** Equal weights {bps} over n constituents, the last taking the remainder (VaultFixture._equalWeights). */
export function equalWeights(n: number): number[] {
  const each = Math.floor(10_000 / n);
  return Array.from({ length: n }, (_, i) => (i + 1 === n ? 10_000 - each * (n - 1) : each));
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
  for (const t of tokens) {
    await env.fund(t.address, owner, PROBE_AMOUNT);
    await confirm(
      env,
      await wallet.writeContract({ address: t.address, abi: erc20Abi, functionName: "approve", args: [protocol.factory, PROBE_AMOUNT] }),
    );
  }
  const vaultParams = {
    name: `Bench Index ${tokens.length}`,
    symbol: `BIX${tokens.length}`,
    admin: owner,
    manager: owner,
    keeper: owner,
    guardian: owner,
    feeRecipient: owner,
    mintFeeBps: params.mintFeeBps,
    burnFeeBps: params.burnFeeBps,
    managementFeeBps: params.managementFeeBps,
    maxSlippageBps: params.maxSlippageBps,
    minDeposit: params.minDeposit,
    usdtFeed: env.market.usdtFeed,
    usdtHeartbeat: env.market.usdtHeartbeat,
    sequencerFeed: "0x0000000000000000000000000000000000000000" as Address,
    sequencerGracePeriod: 0,
  };
  const list = tokens.map((t, i) => ({
    token: t.address,
    targetWeightBps: weights[i] ?? 0,
    feed: t.feed,
    heartbeat: t.heartbeat,
    path: [...t.buyRouteTokens],
    fees: [...t.buyRouteFees],
  }));
  const probes = tokens.map(() => PROBE_AMOUNT);
  const { result: vault, request } = await env.publicClient.simulateContract({
    account: wallet.account,
    address: protocol.factory,
    abi: indexFactoryAbi,
    functionName: "createVault",
    args: [vaultParams, list, probes],
  });
  await confirm(env, await wallet.writeContract(request));
  return getAddress(vault);
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
