// The demo's batch step (ERC-7540): several wallets queue deposit requests and one a redemption in the index's batch,
// the keeper settles the epoch once (netting it: only the net flow touches the vault) and pushes everyone's claims in
// the same transaction (multicall), as keeper/batch.ts does. Prints each user's gas all in: own request (approval
// included) + the keeper's transaction ÷ users, next to a direct deposit's gas.
import type { Address } from "viem";
import { fmtUnits, fmtUsdt, table } from "../cli/format";
import {
  readBatchPosition,
  requestDeposit,
  requestRedeem,
  settleAndClaim,
  vaultAbi,
  type AnyPublicClient,
  type Wallet,
} from "../sdk/client";

export interface BatchStepInput {
  client: AnyPublicClient;
  batch: Address;
  vault: Address;
  usdt: Address;
  /** Wallets that request deposits (funded here through `mint`). */
  depositors: readonly { name: string; wallet: Wallet }[];
  /** A wallet holding shares that requests a redemption (of a quarter of them). */
  redeemer?: { name: string; wallet: Wallet };
  /** The vault's keeper: settles and pushes the claims. */
  keeper: Wallet;
  /** {USDT units} each depositor's request */
  amount: bigint;
  mint(token: Address, to: Address, amount: bigint): Promise<void>;
  log(line: string): void;
}

export interface BatchUserGas {
  name: string;
  side: "deposit" | "redeem";
  request: bigint;
  /** {gas} the keeper's settle-and-claim transaction ÷ users */
  keeperShare: bigint;
  total: bigint;
}

export interface BatchStepResult {
  users: BatchUserGas[];
  /** {gas} the keeper's one transaction: settlement and every pushed claim */
  keeperTxGas: bigint;
  /** {gas} of it, measured inside settle() (EpochSettled), before the transaction's refunds */
  settlementGas: bigint;
  /** {gas} every transaction of the step */
  gasUsed: bigint;
  netAssets: bigint;
  netShares: bigint;
  depositAssets: bigint;
}

export async function runBatchStep(input: BatchStepInput): Promise<BatchStepResult> {
  const { client, batch, vault, usdt, keeper, log } = input;
  const requests: { name: string; side: "deposit" | "redeem"; controller: Address; gas: bigint }[] = [];
  for (const { name, wallet } of input.depositors) {
    await input.mint(usdt, wallet.account.address, input.amount);
    const r = await requestDeposit(client, wallet, { batch, asset: usdt }, { amount: input.amount });
    requests.push({ name, side: "deposit", controller: wallet.account.address, gas: r.gasUsed });
  }
  if (input.redeemer !== undefined) {
    const { name, wallet } = input.redeemer;
    const held = await client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [wallet.account.address] });
    if (held > 0n) {
      const r = await requestRedeem(client, wallet, { batch, vault }, { amount: held / 4n });
      requests.push({ name, side: "redeem", controller: wallet.account.address, gas: r.gasUsed });
    }
  }
  const depositors = requests.filter((r) => r.side === "deposit").map((r) => r.controller);
  const redeemers = requests.filter((r) => r.side === "redeem").map((r) => r.controller);
  const settled = await settleAndClaim(client, keeper, batch, depositors, redeemers);
  const n = BigInt(requests.length);
  const users = requests.map((r) => {
    const keeperShare = settled.gasUsed / n;
    return { name: r.name, side: r.side, request: r.gas, keeperShare, total: r.gas + keeperShare };
  });
  for (const r of requests) {
    const p = await readBatchPosition(client, batch, r.controller);
    if (p.claimableShares !== 0n || p.claimableAssets !== 0n) throw new Error(`${r.name} still has a claim after the keeper's push`);
  }
  const netText =
    settled.netAssets > 0n ? `${fmtUsdt(settled.netAssets)} net deposited in the vault` : settled.netShares > 0n ? `${fmtUnits(settled.netShares, 18, 4)} shares net redeemed` : "fully crossed";
  log(
    ` Epoch ${settled.epoch}: ${fmtUsdt(settled.depositAssets)} of deposit requests and ${fmtUnits(settled.redeemShares, 18, 4)} shares of redeem requests, ` +
      `settled once (${netText}; crossed ${fmtUsdt(settled.crossValue)}) and ${settled.claimed} claims pushed in the same keeper transaction, gas ${settled.gasUsed.toLocaleString("en-US")}.`,
  );
  log(
    table(
      ["user", "side", "request", "keeper tx share", "per-user gas"],
      users.map((u) => [u.name, u.side, u.request.toLocaleString("en-US"), u.keeperShare.toLocaleString("en-US"), u.total.toLocaleString("en-US")]),
      ["left", "left", "right", "right", "right"],
    ),
  );
  const gasUsed = requests.reduce((g, r) => g + r.gas, 0n) + settled.gasUsed;
  return { users, keeperTxGas: settled.gasUsed, settlementGas: settled.settlementGas, gasUsed, netAssets: settled.netAssets, netShares: settled.netShares, depositAssets: settled.depositAssets };
}
