// The wallet CLI against the local chain: the protocol and example indexes deployed by the real hardhat-deploy
// scripts; each command's --json output parsed; errors decoded to the vault's custom errors.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { encodeErrorResult, erc20Abi, type Abi, type Address } from "viem";
import { describe, expect, it } from "vitest";
import { allErrorsAbi, ERROR_MESSAGES, explainError } from "../../sdk/client/errors";
import { abis } from "../../sdk/generated/abis";
import { repoRoot } from "../../sdk/local/paths";
import { runCliCaptured, units, useCli, type CliRun } from "./cliHarness";

const local = useCli(240_000);
const { cli } = local;

/** Nonce of dev account `n` (a "fails before sending" test checks it did not move). */
const nonceOf = (n: number): Promise<number> => local.chain.publicClient.getTransactionCount({ address: local.chain.accounts[n]!.address });

/** Runs the CLI with `env` (e.g. PRIVATE_KEY) against a node that does not exist. */
const offline = (env: Record<string, string>, ...args: string[]): Promise<CliRun> => runCliCaptured([...args, "--rpc", "http://127.0.0.1:1"], env);

/** Shares (18 decimals) as the decimal text the CLI reads. */
const sharesText = (shares: bigint): string => `${shares / 10n ** 18n}.${(shares % 10n ** 18n).toString().padStart(18, "0")}`;

describe("cli", () => {
  it("test_indexes_json_listsTheThreeExampleIndexes", async () => {
    const r = await cli("indexes", "--json");
    expect(r.code).toBe(0);
    const indexes = r.json.indexes as { id: string; symbol: string; constituents: string[]; indexLevel: string }[];
    expect(indexes.map((i) => i.id)).toEqual(["btc-eth", "defi", "top10"]);
    expect(indexes[0]!.constituents).toEqual(["WBTC", "WETH"]);
    expect(indexes[2]!.constituents).toHaveLength(10);
    expect(units(indexes[0]!.indexLevel)).toBe(1000n * 10n ** 18n);
  });

  it("test_depositThenRedeem_roundTrip_json", async () => {
    // Account 5 funds itself from the local faucet, deposits into the DeFi index, then redeems half to USDT and
    // the rest in kind.
    const faucet = await cli("faucet", "20000", "--account", "5", "--json");
    expect(faucet.code, faucet.stderr).toBe(0);
    expect(units(faucet.json.balance)).toBeGreaterThanOrEqual(20_000_000_000n);

    const quote = await cli("quote", "deposit", "10000", "--vault", "defi", "--json");
    expect(quote.code, quote.stderr).toBe(0);
    const legs = quote.json.legs as { symbol: string; impactBps: number; amountIn: string }[];
    expect(legs.map((l) => l.symbol)).toEqual(["UNI", "AAVE", "MKR", "LINK", "CRV", "LDO", "COMP"]);
    for (const leg of legs) {
      expect(leg.impactBps).toBeGreaterThan(0); // at least the pool fee
      expect(leg.impactBps).toBeLessThan(100);
    }
    const expected = units(quote.json.expectedShares);
    expect(expected).toBeGreaterThanOrEqual(units(quote.json.previewShares));

    const dep = await cli("deposit", "10000", "--vault", "defi", "--account", "5", "--slippage", "30", "--json");
    expect(dep.code, dep.stderr).toBe(0);
    expect(dep.stderr).toMatch(/deposit confirmed in block/);
    const shares = units(dep.json.shares);
    expect(shares).toBeGreaterThanOrEqual(units(dep.json.minShares));
    expect(shares).toBeGreaterThan((expected * 997n) / 1000n);
    expect(units(dep.json.gasUsed)).toBeGreaterThan(0n);

    const status = await cli("status", "--vault", "DEFI", "--account", "5", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(units((status.json.holder as { shares: string }).shares)).toBe(shares);
    expect(units(status.json.totalSupply)).toBe(shares);
    expect(units(status.json.nav)).toBeGreaterThan(9_800_000_000n);
    const drift = status.json.drift as { maxBps: string };
    expect(units(drift.maxBps)).toBeLessThan(100n);

    const half = shares / 2n;
    const red = await cli("redeem", sharesText(half), "--vault", "defi", "--account", "5", "--json");
    expect(red.code, red.stderr).toBe(0);
    expect(units(red.json.shares)).toBe(half);
    expect(units(red.json.assets)).toBeGreaterThanOrEqual(units(red.json.minAssets));
    expect(units(red.json.assets)).toBeGreaterThan(4_850_000_000n);

    const kind = await cli("redeem-in-kind", "all", "--vault", "defi", "--account", "5", "--json");
    expect(kind.code, kind.stderr).toBe(0);
    const received = kind.json.received as { symbol: string; amount: string }[];
    expect(received.map((t) => t.symbol)).toEqual(["UNI", "AAVE", "MKR", "LINK", "CRV", "LDO", "COMP", "USDT"]);
    for (const t of received.slice(0, 7)) expect(units(t.amount)).toBeGreaterThan(0n);

    const after = await cli("status", "--vault", "defi", "--account", "5", "--json");
    expect(units((after.json.holder as { shares: string }).shares)).toBe(0n);
  }, 60_000);

  it("test_deposit_belowMinimum_explainsCustomError", async () => {
    await cli("faucet", "100", "--account", "6");
    const r = await cli("deposit", "1", "--vault", "btc-eth", "--account", "6", "--json");
    expect(r.code).toBe(1);
    const error = r.json.error as { name: string; message: string };
    expect(error.name).toBe("IndexVault__DepositTooSmall");
    expect(error.message).toBe("deposit of 1 USDT is below the vault's minimum of 10 USDT");
    expect(r.stderr).toMatch(/^error: deposit of 1 USDT is below/m);
  });

  it("test_deposit_withoutUsdt_failsBeforeSending", async () => {
    const nonce = await nonceOf(7);
    const r = await cli("deposit", "50", "--vault", "btc-eth", "--account", "7");
    expect(await nonceOf(7)).toBe(nonce);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds 0 USDT, 50 needed/);
    expect(r.stderr).not.toMatch(/confirmed/);
  });

  it("test_redeem_moreThanBalance_failsBeforeSending", async () => {
    const nonce = await nonceOf(8);
    const r = await cli("redeem-in-kind", "5", "--vault", "top10", "--account", "8", "--json");
    expect(await nonceOf(8)).toBe(nonce);
    expect(r.code).toBe(1);
    expect((r.json.error as { message: string }).message).toMatch(/holds 0 shares of this index, 5 asked/);
  });

  it("test_usage_unknownCommandAndVault", async () => {
    expect((await cli("frobnicate")).code).toBe(2);
    const r = await cli("status", "--vault", "nope");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no index "nope".*btc-eth, defi, top10/);
    const help = await runCliCaptured(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/redeem-in-kind <shares\|all>/);
  });

  it("test_commandLine_checkedBeforeConnecting_oneLineEach_andJson", async () => {
    // No node at 127.0.0.1:1: each of these must fail on the command line itself, never on the connection.
    const unknown = await offline({}, "frobnicate", "--json");
    expect(unknown.code).toBe(2);
    expect(unknown.json).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^unknown command "frobnicate"/) } });
    for (const [args, pattern] of [
      [["deposit", "abc"], /"abc" is not a positive decimal number/],
      [["quote", "deposit", "1e3"], /"1e3" is not a positive decimal number/],
      [["deposit", "10", "--slippage", "-5"], /^error: --slippage must not be negative/],
      [["deposit", "10", "--slippage=-5"], /--slippage must be a whole number from 0 to 5000, got "-5"/],
      [["deposit", "10", "--slippage", "lots"], /--slippage must be a whole number/],
      [["redeem", "1", "--deadline", "0"], /--deadline must be a whole number from 1/],
      [["deposit", "10", "--account", "-1"], /^error: --account must not be negative/],
      [["deposit", "10", "--account", "10"], /--account must be a whole number from 0 to 9, got "10"/],
      [["status", "--dry-run"], /--dry-run is for sending commands/],
    ] as [string[], RegExp][]) {
      const r = await offline({}, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.split("\n")[0], args.join(" ")).toMatch(pattern);
      expect(r.stderr).not.toMatch(/no node answers|at .*\.ts:\d+/);
    }
    const bad = await offline({ PRIVATE_KEY: "0x1234" }, "deposit", "10", "--json");
    expect(bad.code).toBe(2);
    expect((bad.json.error as { message: string }).message).toBe("PRIVATE_KEY is not a private key: 0x followed by 64 hex digits");
  });

  it("test_status_needsNoKey_andNamesFeedsByToken", async () => {
    const r = await cli("status", "--vault", "btc-eth", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.pricesKnown).toBe(true);
    expect((r.json.feeds as { token: string; stale: boolean }[]).map((f) => [f.token, f.stale])).toEqual([["USDT", false], ["WBTC", false], ["WETH", false]]);
  });

  it("test_wrongVaultAddresses_oneClearLineEach", async () => {
    const eoa = local.chain.accounts[9]!.address;
    const r1 = await cli("status", "--vault", eoa, "--json");
    expect(r1.code).toBe(1);
    expect((r1.json.error as { message: string }).message).toMatch(new RegExp(`^no contract at ${eoa} on chain 31337: not an index vault`));
    const r2 = await cli("status", "--vault", local.chain.market.usdt);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/is the token USDT, not an index vault/);
    // The checksummed address with the case of its first letter flipped.
    const i = eoa.slice(2).search(/[a-fA-F]/) + 2;
    const flipped = `${eoa.slice(0, i)}${eoa[i] === eoa[i]!.toLowerCase() ? eoa[i]!.toUpperCase() : eoa[i]!.toLowerCase()}${eoa.slice(i + 1)}`;
    const r3 = await cli("status", "--vault", flipped);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/bad address checksum/);
    for (const r of [r1, r2, r3]) expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("test_quote_validatesLikeTheSendingCommands", async () => {
    await cli("faucet", "100", "--account", "3");
    expect((await cli("deposit", "50", "--vault", "btc-eth", "--account", "3")).code).toBe(0); // shares exist
    const zero = await cli("quote", "deposit", "0", "--vault", "btc-eth", "--json");
    expect(zero.code).toBe(1);
    expect(zero.json.error).toMatchObject({ name: "IndexVault__ZeroAmount", message: "the amount must be greater than zero" });
    const small = await cli("quote", "deposit", "1", "--vault", "btc-eth", "--json");
    expect(small.code).toBe(1);
    expect(small.json.error).toMatchObject({ name: "IndexVault__DepositTooSmall", message: "deposit of 1 USDT is below the vault's minimum of 10 USDT" });
    const tooMany = await cli("quote", "redeem", "1000000000", "--vault", "btc-eth", "--json");
    expect(tooMany.code).toBe(1);
    expect((tooMany.json.error as { message: string }).message).toMatch(/^1000000000 shares asked, but only [0-9.]+ exist$/);
  });

  it("test_dryRun_showsGasAndCost_andSendsNothing", async () => {
    await cli("faucet", "1000", "--account", "4");
    const nonce = await nonceOf(4);
    const r = await cli("deposit", "500", "--vault", "btc-eth", "--account", "4", "--dry-run", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.dryRun).toBe(true);
    const calls = r.json.calls as { label: string; gas: string }[];
    expect(calls.map((c) => c.label)).toEqual(["approve", "deposit"]);
    expect(units(calls[1]!.gas)).toBeGreaterThan(200_000n);
    expect(units(r.json.costWei)).toBe(units(r.json.gas) * units(r.json.gasPriceWei));
    expect(await nonceOf(4)).toBe(nonce);
  });

  it("test_depositInKind_claimable_revoke", async () => {
    // Account 4 takes shares in USDT, redeems them in kind, pays the basket back in kind, then revokes allowances.
    await cli("faucet", "1000", "--account", "4");
    const dep = await cli("deposit", "500", "--vault", "btc-eth", "--account", "4", "--json");
    expect(dep.code, dep.stderr).toBe(0);
    const shares = units(dep.json.shares);
    const kind = await cli("redeem-in-kind", "all", "--vault", "btc-eth", "--account", "4", "--json");
    expect(kind.code, kind.stderr).toBe(0);
    const half = shares / 4n;
    const back = await cli("deposit-in-kind", sharesText(half), "--vault", "btc-eth", "--account", "4", "--json");
    expect(back.code, back.stderr).toBe(0);
    expect(units(back.json.shares)).toBe(half);
    expect((back.json.paid as { symbol: string }[]).map((t) => t.symbol)).toEqual(["WBTC", "WETH", "USDT"]);
    const claimable = await cli("claimable", "--vault", "btc-eth", "--account", "4", "--json");
    expect(claimable.code, claimable.stderr).toBe(0);
    expect((claimable.json.claimable as { amount: string }[]).every((c) => units(c.amount) === 0n)).toBe(true);
    const nonce = await nonceOf(4);
    const claim = await cli("claim", "all", "--vault", "btc-eth", "--account", "4", "--json");
    expect(claim.code).toBe(1);
    expect(claim.json.error).toMatchObject({ name: "IndexVault__NothingToClaim" });
    expect(await nonceOf(4)).toBe(nonce);
    const revoke = await cli("revoke", "WBTC", "--vault", "btc-eth", "--account", "4", "--json");
    expect(revoke.code, revoke.stderr).toBe(0);
    const allowance = await local.chain.publicClient.readContract({
      address: local.chain.market.constituents.find((c) => c.symbol === "WBTC")!.address,
      abi: erc20Abi,
      functionName: "allowance",
      args: [local.chain.accounts[4]!.address, (back.json.vault as Address)],
    });
    expect(allowance).toBe(0n);
  }, 60_000);

  it("test_status_stalePrices_sayUnknownAndNameTheFeed", async () => {
    const revert = await local.chain.snapshot();
    try {
      await local.chain.testClient.increaseTime({ seconds: 90_000 });
      await local.chain.testClient.mine({ blocks: 1 });
      const r = await cli("status", "--vault", "btc-eth");
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/NAV\s+unknown \(feed for USDT stale since \d{4}-\d\d-\d\dT/);
      expect(r.stdout).toMatch(/WBTC STALE/);
      const q = await cli("quote", "deposit", "100", "--vault", "btc-eth", "--json");
      expect(q.code).toBe(1);
      expect((q.json.error as { message: string }).message).toMatch(/^prices unavailable: feed for USDT stale since/);
    } finally {
      await revert();
    }
  });

  it("test_bin_runsTheCli", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot(), "cli", "bin.mjs"), "indexes", "--json", "--rpc", local.chain.rpcUrl, "--deployments", join(local.deployed.root, "localhost")],
      { cwd: repoRoot(), timeout: 60_000 },
    );
    expect((JSON.parse(stdout) as { indexes: unknown[] }).indexes).toHaveLength(3);
  }, 60_000);
});

describe("cli error messages", () => {
  it("test_errorMessages_coverEveryCustomErrorOfTheProtocol", () => {
    const protocol = ["IIndexVaultFull", "IndexVault", "IndexVaultConfigurator", "IndexFactory", "IIndexVaultRebalancer", "IIndexVaultComposer", "IOracleErrors", "DriftLib", "RebalancePlanLib", "ConstituentTableLib"];
    const missing: string[] = [];
    for (const name of protocol) {
      const abi = (abis as Record<string, Abi>)[name];
      if (abi === undefined) continue;
      for (const item of abi) if (item.type === "error" && ERROR_MESSAGES[item.name] === undefined) missing.push(`${name}.${item.name}`);
    }
    expect(missing).toEqual([]);
    expect(allErrorsAbi.length).toBeGreaterThan(40);
  });

  it("test_explainError_panic_explainsTheCode", () => {
    // Panic(0x11), as Solidity encodes an arithmetic underflow.
    const data = "0x4e487b710000000000000000000000000000000000000000000000000000000000000011";
    expect(explainError({ data }).message).toMatch(/arithmetic overflow or underflow/);
  });

  it("test_explainError_feedUnavailable_namesTheCausesAndTheExitThatWorks", () => {
    // A feed that reverts, has no code or returns malformed data (fewer than five words, a round id above 80 bits).
    const feed = "0x00000000000000000000000000000000000000fe";
    const data = encodeErrorResult({ abi: allErrorsAbi, errorName: "Oracle__FeedUnavailable", args: [feed] });
    const info = explainError({ data });
    expect(info.errorName).toBe("Oracle__FeedUnavailable");
    expect(info.message).toMatch(/did not answer a usable round \(it reverted, has no code or returned malformed data\)/);
    expect(info.message).toMatch(/redeem-in-kind works now/);
  });

  it("test_explainError_unknownData_saysSo", () => {
    expect(explainError({ data: "0xdeadbeef00" }).message).toMatch(/unknown data 0xdeadbeef00/);
  });
});
