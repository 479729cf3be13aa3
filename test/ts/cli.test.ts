// The wallet CLI against the local chain: the protocol and example indexes deployed by the real hardhat-deploy
// scripts; each command's --json output parsed; errors decoded to the vault's custom errors.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Abi } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allErrorsAbi, ERROR_MESSAGES, explainError } from "../../sdk/client/errors";
import { runCli, type CliIo } from "../../cli/main";
import { deployProtocol, type DeployedProtocol } from "../../cli/testing";
import { abis } from "../../sdk/generated/abis";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();
let deployed: DeployedProtocol;

beforeAll(async () => {
  deployed = await deployProtocol(local.chain);
}, 240_000);
afterAll(() => deployed?.cleanup());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

/** Runs the CLI in-process against the suite's chain and deployments. */
async function cli(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, env: {} };
  const code = await runCli([...args, "--rpc", local.chain.rpcUrl, "--deployments", join(deployed.root, "localhost")], io);
  let json: Record<string, unknown> = {};
  if (args.includes("--json") && stdout.trim() !== "") json = JSON.parse(stdout) as Record<string, unknown>;
  return { code, stdout, stderr, json };
}

const units = (v: unknown): bigint => BigInt(v as string);

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
    const halfText = `${half / 10n ** 18n}.${(half % 10n ** 18n).toString().padStart(18, "0")}`;
    const red = await cli("redeem", halfText, "--vault", "defi", "--account", "5", "--json");
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
    const r = await cli("deposit", "50", "--vault", "btc-eth", "--account", "7");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds 0 USDT, 50 needed/);
    expect(r.stderr).not.toMatch(/confirmed/);
  });

  it("test_redeem_moreThanBalance_failsBeforeSending", async () => {
    const r = await cli("redeem-in-kind", "5", "--vault", "top10", "--account", "8", "--json");
    expect(r.code).toBe(1);
    expect((r.json.error as { message: string }).message).toMatch(/holds 0 shares of this index, 5 asked/);
  });

  it("test_usage_unknownCommandAndVault", async () => {
    expect((await cli("frobnicate")).code).toBe(2);
    const r = await cli("status", "--vault", "nope");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no index "nope".*btc-eth, defi, top10/);
    let out = "";
    expect(await runCli(["--help"], { stdout: (t) => (out += t), stderr: () => {}, isTTY: false, env: {} })).toBe(0);
    expect(out).toMatch(/redeem-in-kind <shares\|all>/);
  });

  it("test_bin_runsTheCli", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot(), "cli", "bin.mjs"), "indexes", "--json", "--rpc", local.chain.rpcUrl, "--deployments", join(deployed.root, "localhost")],
      { cwd: repoRoot(), timeout: 60_000 },
    );
    expect((JSON.parse(stdout) as { indexes: unknown[] }).indexes).toHaveLength(3);
  }, 60_000);
});

describe("cli error messages", () => {
  it("test_errorMessages_coverEveryCustomErrorOfTheProtocol", () => {
    const protocol = ["IndexVault", "IndexVaultConfigurator", "IndexFactory", "IIndexVaultRebalancer", "IIndexVaultComposer", "IOracleErrors"];
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

  it("test_explainError_unknownData_saysSo", () => {
    expect(explainError({ data: "0xdeadbeef00" }).message).toMatch(/unknown data 0xdeadbeef00/);
  });
});
