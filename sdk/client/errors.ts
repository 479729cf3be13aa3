// The one error table: turns a failed call into a sentence a wallet user (or a keeper's log) understands. Revert data
// is decoded against every custom error of EVERY generated ABI (vault, rebalancer and composer modules,
// configurator, factory, libraries, oracle, local-market mocks, the OpenZeppelin errors they inherit), then explained
// by the table below; an error without an entry still shows its name and arguments. Also tells transport failures
// (node down, timeout) apart from reverts.
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
  decodeErrorResult,
  formatUnits,
  toFunctionSelector,
  type Abi,
  type Hex,
} from "viem";
import { abis } from "../generated/abis";

type AbiError = Extract<Abi[number], { type: "error" }>;

/** Every custom error of the generated ABIs, once per selector. */
export const allErrorsAbi: Abi = (() => {
  const seen = new Map<string, AbiError>();
  for (const abi of Object.values(abis) as readonly Abi[]) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const signature = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      const selector = toFunctionSelector(signature);
      if (!seen.has(selector)) seen.set(selector, item);
    }
  }
  return [...seen.values()];
})();

/** A decoded revert (or any failure, explained). */
export interface RevertInfo {
  /** e.g. "IndexVault__InsufficientShares"; undefined when the data matched no known error. */
  readonly errorName?: string;
  /** Decoded arguments (bigints stay bigints). */
  readonly args?: readonly unknown[];
  /** One sentence for a human, always present. */
  readonly message: string;
  /** Raw revert data, when the node returned some. */
  readonly data?: Hex;
}

const usdt = (v: unknown): string => `${formatUnits(v as bigint, 6)} USDT`;
const shares = (v: unknown): string => `${formatUnits(v as bigint, 18)} shares`;
const bps = (v: unknown): string => `${Number(v as bigint) / 100} %`;
const time = (v: unknown): string => new Date(Number(v as bigint) * 1000).toISOString();
const PAUSE_FLAGS: Record<number, string> = { 1: "USDT deposits", 2: "in-kind deposits", 4: "USDT redemptions" };

/** Explanations by error name; `a` are the decoded arguments in ABI order. */
export const ERROR_MESSAGES: Record<string, (a: readonly unknown[]) => string> = {
  // IndexVault: wallet paths
  IndexVault__ZeroAddress: () => "an address argument is zero",
  IndexVault__ZeroAmount: () => "the amount must be greater than zero",
  IndexVault__ZeroShares: (a) => `a deposit of ${usdt(a[0])} would mint no shares`,
  IndexVault__DepositTooSmall: (a) => `deposit of ${usdt(a[0])} is below the vault's minimum of ${usdt(a[1])}`,
  IndexVault__InsufficientShares: (a) =>
    `the deposit would mint ${shares(a[0])}, fewer than your minimum of ${shares(a[1])}: prices moved beyond your slippage bound (raise --slippage or retry)`,
  IndexVault__InsufficientAssets: (a) =>
    `the redemption would pay ${usdt(a[0])}, less than your minimum of ${usdt(a[1])}: prices moved beyond your slippage bound (raise --slippage or retry)`,
  IndexVault__DeadlineExpired: (a) => `the transaction arrived after its deadline (${time(a[0])}, block time ${time(a[1])}): retry with a longer --deadline`,
  IndexVault__Paused: (a) => `${PAUSE_FLAGS[Number(a[0])] ?? `entry point (flag ${String(a[0])})`} are paused by the guardian; redeem-in-kind always works`,
  IndexVault__RebalanceInProgress: () => "a multi-step rebalance is in flight: USDT deposits and redemptions wait for it (redeem-in-kind works now)",
  IndexVault__EmptyVault: () => "the vault holds nothing yet: an in-kind deposit needs an existing basket",
  IndexVault__ExactOutputUnsupported: () => "mint/withdraw (exact output) are not supported: use deposit and redeem",
  IndexVault__TransferShortfall: (a) => `token ${String(a[0])} delivered ${String(a[2])} units instead of ${String(a[1])} (fee on transfer?)`,
  IndexVault__NothingToClaim: (a) => `nothing deferred for ${String(a[0])} in token ${String(a[1])}`,
  IndexVault__FeeTooHigh: (a) => `fee ${bps(a[0])} is above its cap of ${bps(a[1])}`,
  IndexVault__InvalidSlippage: (a) => `slippage bound ${bps(a[0])} is zero or above the cap`,
  IndexVault__SwapOutputTooLow: (a) =>
    `a swap into ${String(a[0])} returned ${String(a[1])} units, below the oracle floor of ${String(a[2])}: the pool price is away from Chainlink (thin liquidity or a moved market); try a smaller amount`,
  IndexVault__PartialFill: (a) => `pool ${String(a[0])} ran out of liquidity (consumed ${String(a[2])} of ${String(a[1])}): try a smaller amount`,
  IndexVault__UnauthorizedCallback: (a) => `swap callback from ${String(a[0])}, which is not the pool being traded`,
  IndexVault__CallbackOverpayment: (a) => `pool ${String(a[0])} asked for more than the exact input`,
  IndexVault__InvalidConstituentCount: (a) => `${String(a[0])} constituents is not a valid basket size`,
  IndexVault__InvalidIndex: (a) => `constituent index ${String(a[0])} is past the end of the basket (${String(a[1])} constituents)`,
  IndexVault__InvalidConstituent: (a) => `token ${String(a[0])} cannot be a constituent (zero, USDT itself, or listed twice)`,
  IndexVault__UnsupportedToken: (a) => `token ${String(a[0])} has unsupported decimals`,
  IndexVault__InvalidWeights: (a) => `target weights must be positive and sum to 100 % (got ${bps(a[0])})`,
  IndexVault__InvalidRoute: (a) => `the swap route of ${String(a[0])} is malformed`,
  IndexVault__PoolNotFound: (a) => `no Uniswap V3 pool for ${String(a[0])}/${String(a[1])} at fee ${String(a[2])}`,
  IndexVaultConfigurator__DelegateCallOnly: () => "the configurator module only runs inside a vault",
  // Factory
  IndexFactory__InvalidImplementation: (a) => `implementation ${String(a[0])} has no code`,
  IndexFactory__LengthMismatch: (a) => `${String(a[0])} constituents but ${String(a[1])} probe amounts`,
  IndexFactory__ProbeTooSmall: (a) => `probe amount ${String(a[1])} of ${String(a[0])} is below ${String(a[2])}`,
  IndexFactory__FeeOnTransfer: (a) => `token ${String(a[0])} charges a transfer fee (sent ${String(a[1])}, moved ${String(a[2])}): not supported`,
  // IndexVaultBatch (ERC-7540 batch) and its factory
  IndexVaultBatch__ZeroAddress: () => "an address argument is zero",
  IndexVaultBatch__WrongCloneArgs: () => "the batch clone was initialised for another vault or asset",
  IndexVaultBatch__NotAuthorized: (a) => `${String(a[0])} may not act for ${String(a[1])}: only the controller itself, its ERC-7540 operator (setOperator) or, for the shares of a redeem request, an allowance`,
  IndexVaultBatch__RequestTooSmall: (a) => `the request of ${String(a[0])} units is below the batch's minimum of ${String(a[1])} units (a griefing bound): request more`,
  IndexVaultBatch__RequestTooLarge: (a) => `the request of ${String(a[0])} units would overflow the controller's pending total`,
  IndexVaultBatch__TransferShortfall: (a) => `USDT delivered ${usdt(a[1])} instead of ${usdt(a[0])} (a transfer fee is switched on): deposit requests are refused`,
  IndexVaultBatch__NothingPending: (a) => `${String(a[0])} has no pending request in the open epoch (it was settled, cancelled or never made): see \`pending\``,
  IndexVaultBatch__ExceedsClaimable: (a) => `${String(a[0])} asked to claim ${String(a[1])} units but only ${String(a[2])} are claimable`,
  IndexVaultBatch__ZeroAmount: () => "the amount must be greater than zero",
  IndexVaultBatch__NothingToSettle: (a) => `epoch ${String(a[0])} has no request: nothing to settle`,
  IndexVaultBatch__VaultPaused: (a) => `the settlement waits: ${PAUSE_FLAGS[Number(a[0])] ?? `flag ${String(a[0])}`} are paused on the vault (requests stay cancellable)`,
  IndexVaultBatch__VaultRebalancing: () => "the settlement waits: the vault is in a multi-step rebalance (requests stay cancellable)",
  IndexVaultBatch__BelowVaultMinimum: (a) => `the epoch's net flow of ${usdt(a[0])} is below the vault's minimum deposit of ${usdt(a[1])}`,
  IndexVaultBatch__SettlementNotOpen: (a) => `${String(a[0])} is not the keeper: anyone may settle from ${time(a[1])}`,
  IndexVaultBatch__NotDue: () => "the keeper policy does not call for a settlement yet (the epoch is young and small)",
  IndexVaultBatch__NotManager: (a) => `${String(a[0])} is not the vault's manager`,
  IndexVaultBatch__InvalidPolicy: () => "the batch policy is out of bounds",
  IndexVaultBatch__AsyncFlow: () => "the batch is asynchronous (ERC-7540): request, wait for the settlement, then claim; there is no preview",
  IndexBatchFactory__InvalidImplementation: (a) => `batch implementation ${String(a[0])} has no code`,
  IndexBatchFactory__NotAVault: (a) => `${String(a[0])} is not a vault of the index factory`,
  IndexBatchFactory__BatchExists: (a) => `vault ${String(a[0])} already has its batch at ${String(a[1])}`,
  // Oracle
  Oracle__FeedUnavailable: (a) =>
    `Chainlink feed ${String(a[0])} did not answer a usable round (it reverted, has no code or returned malformed data): USDT paths wait (redeem-in-kind works now)`,
  Oracle__InvalidAnswer: (a) => `Chainlink feed ${String(a[0])} answered a non-positive price (${String(a[1])})`,
  Oracle__IncompleteRound: (a) => `Chainlink feed ${String(a[0])} is mid-round (round ${String(a[1])}, answered in ${String(a[2])})`,
  Oracle__FutureTimestamp: (a) => `Chainlink feed ${String(a[0])} is stamped in the future`,
  Oracle__StalePrice: (a) =>
    `Chainlink feed ${String(a[0])} is stale: updated ${time(a[1])}, heartbeat ${String(a[2])} s: USDT paths wait for a fresh price (redeem-in-kind works now)`,
  Oracle__SequencerDown: (a) => `the L2 sequencer (${String(a[0])}) is down`,
  Oracle__GracePeriodNotOver: (a) => `the L2 sequencer restarted recently: prices are trusted again after its ${String(a[2])} s grace period`,
  Oracle__InvalidHeartbeat: (a) => `heartbeat ${String(a[1])} s of feed ${String(a[0])} is out of bounds`,
  Oracle__InvalidGracePeriod: (a) => `grace period ${String(a[0])} s is out of bounds`,
  Oracle__UnsupportedDecimals: (a) => `${String(a[0])} reports unsupported decimals (${String(a[1])})`,
  Oracle__ExponentTooLarge: (a) => `a power of ten above 10^77 was asked for (${String(a[0])}): decimals out of range`,
  // Constituent table (the copy of the basket's configuration read by the USDT paths)
  ConstituentTable__Missing: () => "this vault has no constituent table: it was never initialized",
  ConstituentTable__PublishFailed: () => "the constituent table could not be written (out of gas?): retry the configuration change with more gas",
  // Rebalancing module (errors surface at the vault's address)
  IndexVaultModule__DelegateCallOnly: () => "the vault's modules only run inside a vault",
  IndexVaultModule__Unauthorized: (a) => `${String(a[0])} lacks the role needed for this call`,
  IndexVaultRebalancer__NotDue: (a) => `no rebalance is due: drift ${bps(a[0])} is under the threshold of ${bps(a[1])}`,
  IndexVaultRebalancer__Cooldown: (a) => `the rebalance cooldown ends at ${time(a[0])}`,
  IndexVaultRebalancer__GracePeriodNotOver: (a) =>
    Number(a[0] as bigint) === 0 ? "drift is not flagged (or its flag expired): call pokeDrift first" : `anyone may rebalance from ${time(a[0])}`,
  IndexVaultRebalancer__OneStepPerBlock: () => "a rebalance step already ran in this block",
  IndexVaultRebalancer__NothingToTrade: () => "every planned trade is below the minimum trade value",
  IndexVaultRebalancer__DriftNotReduced: () => "the rebalance step would not reduce drift",
  IndexVaultRebalancer__LossTooHigh: (a) => `the rebalance would lose ${usdt(a[0])} to trading, more than the bound of ${usdt(a[1])}`,
  IndexVaultRebalancer__NotRebalancing: () => "no multi-step rebalance is in flight",
  IndexVaultRebalancer__NotTimedOut: (a) => `the rebalance times out at ${time(a[0])}`,
  IndexVaultRebalancer__InvalidConfig: (a) => `rebalance parameter ${String(a[0])} = ${String(a[1])} is out of bounds`,
  IndexVaultComposer__ProposalStale: (a) =>
    `the pending composition change names ${String(a[0])}, which a rebalance has since dropped: the manager withdraws it (cancelProposal) and proposes again`,
  IndexVaultComposer__ConfigChangePending: (a) => `the same configuration change is already queued (executable ${time(a[1])})`,
  IndexVaultComposer__ConfigChangeNotReady: (a) => `the queued configuration change is executable from ${time(a[1])} (value-moving changes wait the composition delay)`,
  IndexVaultComposer__ConfigChangeStale: (a) => `the queued configuration change is for ${String(a[1])}, no longer a constituent: cancel it`,
  IndexVaultComposer__UnknownConfigChange: () => "no such configuration change is queued (propose it first with the setter, as the manager)",
  IndexVaultComposer__ProposalPending: (a) => `a composition change is already pending (executable ${time(a[0])})`,
  IndexVaultComposer__NoProposal: () => "no composition change is pending",
  IndexVaultComposer__ProposalNotReady: (a) => `the composition change is executable from ${time(a[0])}`,
  IndexVaultComposer__InvalidTargets: (a) => `${String(a[0])} targets summing to ${bps(a[1])}: one per constituent, summing to 100 %`,
  IndexVaultRebalancer__ProposalPending: (a) => `a composition change is already pending (executable ${time(a[0])})`,
  IndexVaultRebalancer__NoProposal: () => "no composition change is pending",
  IndexVaultRebalancer__ProposalNotReady: (a) => `the composition change is executable from ${time(a[0])}`,
  IndexVaultRebalancer__InvalidUpkeep: (a) => `unknown upkeep action ${String(a[0])}`,
  // OpenZeppelin (shares are the vault's ERC-20)
  ERC20InsufficientBalance: (a) => `${String(a[0])} holds ${String(a[1])} units, ${String(a[2])} needed`,
  ERC20InsufficientAllowance: (a) => `allowance of ${String(a[0])} is ${String(a[1])} units, ${String(a[2])} needed`,
  ERC20InvalidApprover: (a) => `invalid approver ${String(a[0])}`,
  ERC20InvalidReceiver: (a) => `invalid receiver ${String(a[0])}`,
  ERC20InvalidSender: (a) => `invalid sender ${String(a[0])}`,
  ERC20InvalidSpender: (a) => `invalid spender ${String(a[0])}`,
  ERC4626ExceededMaxDeposit: (a) => `deposit of ${usdt(a[1])} exceeds the maximum of ${usdt(a[2])} (paused, rebalancing or no valid price)`,
  ERC4626ExceededMaxMint: () => "mint is not supported: use deposit",
  ERC4626ExceededMaxRedeem: (a) => `redeeming ${shares(a[1])} exceeds the maximum of ${shares(a[2])} (your balance, or 0 while paused/rebalancing/no valid price)`,
  ERC4626ExceededMaxWithdraw: () => "withdraw is not supported: use redeem",
  AccessControlUnauthorizedAccount: (a) => `${String(a[0])} lacks role ${String(a[1])}`,
  AccessControlBadConfirmation: () => "role renouncement must be confirmed by the account itself",
  ReentrancyGuardReentrantCall: () => "reentrant call refused",
  SafeERC20FailedOperation: (a) => `token ${String(a[0])} refused a transfer`,
  InvalidInitialization: () => "already initialised",
  NotInitializing: () => "not initialising",
  FailedDeployment: () => "clone deployment failed",
  InsufficientBalance: (a) => `balance ${String(a[0])} is below ${String(a[1])}`,
  SafeCastOverflowedIntToUint: (a) => `value ${String(a[0])} does not fit`,
  SafeCastOverflowedUintToInt: (a) => `value ${String(a[0])} does not fit`,
  SafeCastOverflowedUintDowncast: (a) => `value ${String(a[1])} does not fit in ${String(a[0])} bits`,
  // Solidity built-ins
  Error: (a) => `reverted: ${String(a[0])}`,
  Panic: (a) => {
    const code = Number(a[0] as bigint);
    const what: Record<number, string> = { 0x01: "assertion failed", 0x11: "arithmetic overflow or underflow (e.g. more shares than the owner holds)", 0x12: "division by zero", 0x32: "array index out of bounds" };
    return `the contract panicked: ${what[code] ?? `code 0x${code.toString(16)}`}`;
  },
  // Libraries
  DriftLib__LengthMismatch: (a) => `${String(a[0])} values for ${String(a[1])} targets`,
  RebalancePlanLib__RedemptionExceedsHoldings: (a) => `redemption of ${String(a[0])} exceeds holdings of ${String(a[1])}`,
  // Local-market mocks (USDT keeps mainnet's quirks)
  MockUSDT__InsufficientBalance: (a) => `USDT balance of ${String(a[0])} is ${usdt(a[1])}, ${usdt(a[2])} needed`,
  MockUSDT__InsufficientAllowance: (a) => `USDT allowance for ${String(a[1])} is ${usdt(a[2])}, ${usdt(a[3])} needed`,
  MockUSDT__ApproveFromNonZero: () => "USDT only changes a non-zero allowance through zero: approve 0 first",
  MockUSDT__ZeroAddress: () => "USDT transfer to or from the zero address",
  MockWETH9__EthTransferFailed: (a) => `sending ${String(a[1])} wei to ${String(a[0])} failed`,
  MockAggregator__NoDataPresent: (a) => `feed has no round ${String(a[0])}`,
  MockAggregator__NotUpdater: (a) => `${String(a[0])} may not update this feed`,
  MockAggregator__ZeroRoundId: () => "round id 0",
  OwnableInvalidOwner: (a) => `invalid owner ${String(a[0])}`,
  OwnableUnauthorizedAccount: (a) => `${String(a[0])} is not the owner`,
  PriceMover__InvalidFeedAnswer: (a) => `feed of ${String(a[0])} answered ${String(a[1])}`,
  PriceMover__InvalidPrice: (a) => `price ${String(a[0])} is invalid`,
  PriceMover__MissedTarget: (a) => `pool ${String(a[0])} did not reach the target price`,
  PriceMover__PoolAlreadyRegistered: (a) => `pool ${String(a[0])} is already registered`,
  PriceMover__TargetOutOfRange: (a) => `target sqrt price ${String(a[0])} is out of range`,
  PriceMover__UnexpectedCallback: (a) => `unexpected callback from ${String(a[0])}`,
  PriceMover__UnknownToken: (a) => `token ${String(a[0])} is not in the local market`,
};

/** `Name(arg, arg)`: the decoded error as code would write it. */
export function errorSignature(info: Pick<RevertInfo, "errorName" | "args">): string | undefined {
  if (info.errorName === undefined) return undefined;
  return `${info.errorName}(${(info.args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ")})`;
}

/** Finds revert data anywhere in a viem error chain (or a raw error carrying `data`, or a JSON-RPC `{ data: { data } }`). */
export function revertDataOf(error: unknown): Hex | undefined {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.raw !== undefined) return reverted.raw;
  }
  let cur: unknown = error;
  for (let depth = 0; depth < 10 && cur !== null && typeof cur === "object"; depth++) {
    const data = (cur as { data?: unknown }).data;
    const hex = typeof data === "string" ? data : typeof data === "object" && data !== null ? (data as { data?: unknown }).data : undefined;
    if (typeof hex === "string" && /^0x([0-9a-fA-F]{2})*$/.test(hex) && hex.length >= 10) return hex as Hex;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Decodes revert data against every known error (`abi` first, when given: e.g. a contract outside this build). */
export function decodeRevertData(data: Hex | undefined, abi?: Abi): RevertInfo {
  if (data === undefined || data === "0x") return { message: "reverted without a reason" };
  for (const candidate of abi === undefined ? [allErrorsAbi] : [abi, allErrorsAbi]) {
    try {
      const { errorName, args } = decodeErrorResult({ abi: candidate, data });
      const list = (args ?? []) as readonly unknown[];
      const explain = ERROR_MESSAGES[errorName];
      const message = explain !== undefined ? explain(list) : (errorSignature({ errorName, args: list }) ?? errorName);
      return { errorName, args: list, message, data };
    } catch {
      // next candidate
    }
  }
  return { args: [], message: `reverted with unknown data ${data.slice(0, 74)}`, data };
}

/** The revert inside `error`, decoded; undefined when `error` carries no revert data and is no contract revert. */
export function revertFromError(error: unknown, abi?: Abi): RevertInfo | undefined {
  const data = revertDataOf(error);
  if (data !== undefined) return decodeRevertData(data, abi);
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      return { message: reverted.reason !== undefined ? `reverted: ${reverted.reason}` : "reverted without a reason" };
    }
  }
  return undefined;
}

/** Why a call failed, for a human: the decoded custom error, else viem's short message. */
export function explainError(error: unknown): RevertInfo {
  // A refusal caught before sending (validate.ts ValidationError) names the vault error the transaction would raise;
  // a mined revert (tx.ts TransactionRevertedError) carries its decoded reason.
  const named = (error as { errorName?: unknown } | null)?.errorName;
  if (error instanceof Error && typeof named === "string") return { errorName: named, message: error.message };
  const carried = (error as { revert?: RevertInfo } | null)?.revert;
  if (error instanceof Error && carried !== undefined && typeof carried.message === "string") return { ...carried, message: error.message };
  const revert = revertFromError(error);
  if (revert !== undefined) return revert;
  if (error instanceof BaseError) return { message: error.shortMessage };
  return { message: error instanceof Error ? error.message : String(error) };
}

function isTransportCause(c: unknown): boolean {
  return (
    c instanceof HttpRequestError ||
    c instanceof TimeoutError ||
    c instanceof WebSocketRequestError ||
    c instanceof SocketClosedError ||
    c instanceof LimitExceededRpcError ||
    c instanceof ResourceUnavailableRpcError
  );
}

/** True when `e` (or any cause) is a transport-level failure: node down, timeout, rate limit. */
export function isTransportError(e: unknown): boolean {
  if (e instanceof BaseError) return e.walk(isTransportCause) !== null;
  // fetch() itself (undici) rejects with TypeError("fetch failed") and an ECONNREFUSED cause.
  return e instanceof TypeError && /fetch failed/i.test(e.message);
}
