// The checks a deposit or a redemption must pass, shared by the quotes and the sending paths so a quote refuses
// exactly what the transaction would, with the same words (the vault's own error messages, errors.ts).
import { formatUnits } from "viem";
import { ERROR_MESSAGES } from "./errors";
import type { VaultStatus } from "./vault";

/** A request the vault would refuse, caught before anything is quoted or sent. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  /** The vault error the transaction would revert with, when there is one. */
  readonly errorName: string | undefined;
  constructor(message: string, errorName?: string) {
    super(message);
    this.errorName = errorName;
  }
}

function refuse(errorName: string, args: readonly unknown[]): never {
  const explain = ERROR_MESSAGES[errorName];
  throw new ValidationError(explain !== undefined ? explain(args) : errorName, errorName);
}

type Checked = Pick<VaultStatus, "minDeposit" | "paused" | "rebalancing" | "priceError" | "totalSupply" | "pendingFeeShares">;

/** USDT paths need prices, no pause and no rebalance in flight. */
function checkUsdtPath(status: Checked, flag: 1 | 4, paused: boolean): void {
  if (status.priceError !== undefined) throw new ValidationError(`prices unavailable: ${status.priceError}; redeem-in-kind works without prices`);
  if (paused) refuse("IndexVault__Paused", [BigInt(flag)]);
  if (status.rebalancing) refuse("IndexVault__RebalanceInProgress", []);
}

/** What `deposit(assets, …)` requires: a positive amount at least the vault's minimum, prices, no pause, no rebalance. */
export function validateDeposit(status: Checked, assets: bigint): void {
  if (assets <= 0n) refuse("IndexVault__ZeroAmount", []);
  if (assets < status.minDeposit) refuse("IndexVault__DepositTooSmall", [assets, status.minDeposit]);
  checkUsdtPath(status, 1, status.paused.deposit);
}

/** What `redeem(shares, …)` requires: positive, no more than exist (and than the holder's balance when known), prices, no pause, no rebalance. */
export function validateRedeem(status: Checked, shares: bigint, holderBalance?: bigint): void {
  validateShares(status, shares, holderBalance);
  checkUsdtPath(status, 4, status.paused.redeem);
}

/** Share amount checks common to every redemption (USDT or in kind). */
export function validateShares(status: Pick<Checked, "totalSupply" | "pendingFeeShares">, shares: bigint, holderBalance?: bigint): void {
  if (shares <= 0n) refuse("IndexVault__ZeroAmount", []);
  if (status.totalSupply === 0n) throw new ValidationError("the vault has no shares yet");
  if (shares > status.totalSupply) {
    throw new ValidationError(`${formatUnits(shares, 18)} shares asked, but only ${formatUnits(status.totalSupply, 18)} exist`);
  }
  if (holderBalance !== undefined && shares > holderBalance) {
    throw new ValidationError(`the owner holds ${formatUnits(holderBalance, 18)} shares, ${formatUnits(shares, 18)} asked`);
  }
}
