import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig, strategyParamsFor } from "./config";

const KEY = `0x${"11".repeat(32)}`;
const VAULT_A = "0x00000000000000000000000000000000000000a1";
const ENV = { KEEPER_PRIVATE_KEY: KEY };

function base(): Record<string, unknown> {
  return {
    chainId: 31337,
    rpcUrl: "http://127.0.0.1:8545",
    vaults: [VAULT_A],
    quoterV2: "0x00000000000000000000000000000000000000c2",
    ethPriceUsd: 2000,
    gasPriceCapGwei: 50,
  };
}

/** The issues of the ConfigError thrown by `fn`. */
function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("test_parseConfig_appliesDefaultsAndConvertsUnits", () => {
    const c = parseConfig(base(), ENV);
    expect(c).toMatchObject({
      chainId: 31337,
      gasPriceCapWei: 50_000_000_000n,
      pollIntervalMs: 30_000,
      confirmations: 1,
      dryRun: false,
      once: false,
      backoff: { initialMs: 1_000, maxMs: 60_000 },
      strategy: { trackingErrorCostBps: 100, maxPriceImpactBps: 100, gasEstimate: 1_500_000 },
      secrets: { privateKey: KEY },
    });
    expect(c.metricsPort).toBeUndefined();
  });

  it("test_parseConfig_exampleFileIsValid", () => {
    const path = fileURLToPath(new URL("./config.example.json", import.meta.url));
    const c = loadConfig(path, {}, { dryRun: true });
    expect(c.chainId).toBe(31337);
    expect(c.metricsPort).toBe(9464);
  });

  it("test_parseConfig_rejectsPrivateKeyInFile", () => {
    const issues = issuesOf(() => parseConfig({ ...base(), privateKey: KEY }, ENV));
    expect(issues).toEqual([
      "privateKey: secrets must come from the environment (KEEPER_PRIVATE_KEY), never from the config file",
    ]);
    const nested = issuesOf(() => parseConfig({ ...base(), signer: { mnemonic: "test test" } }, ENV));
    expect(nested[0]).toMatch(/^signer\.mnemonic: secrets must come from the environment/);
  });

  it("test_parseConfig_requiresKeyUnlessDryRun", () => {
    expect(issuesOf(() => parseConfig(base(), {}))).toEqual([
      "KEEPER_PRIVATE_KEY: required unless dry-run (set it in the environment, never in the file)",
    ]);
    expect(parseConfig(base(), {}, { dryRun: true }).dryRun).toBe(true);
    expect(parseConfig(base(), { KEEPER_DRY_RUN: "true" }).dryRun).toBe(true);
    expect(parseConfig({ ...base(), dryRun: true }, {}).secrets).toEqual({});
  });

  it("test_parseConfig_rejectsMalformedKey", () => {
    expect(issuesOf(() => parseConfig(base(), { KEEPER_PRIVATE_KEY: "0x1234" }))).toEqual([
      "KEEPER_PRIVATE_KEY: must be 0x followed by 64 hex characters",
    ]);
  });

  it("test_parseConfig_envRpcUrlOverridesFile", () => {
    const c = parseConfig(base(), { ...ENV, KEEPER_RPC_URL: "https://rpc.example/key" });
    expect(c.rpcUrl).toBe("https://rpc.example/key");
    expect(issuesOf(() => parseConfig(base(), { ...ENV, KEEPER_RPC_URL: "nope" }))).toEqual([
      "KEEPER_RPC_URL: must be a URL",
    ]);
  });

  it("test_parseConfig_reportsEveryBadFieldWithItsPath", () => {
    const issues = issuesOf(() =>
      parseConfig(
        {
          ...base(),
          chainId: -1,
          rpcUrl: "not a url",
          vaults: ["0x123"],
          gasPriceCapGwei: 0,
          strategy: { thresholdBps: 20_000, maxPriceImpactBps: 1.5 },
        },
        ENV,
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        "chainId: Number must be greater than 0",
        "rpcUrl: must be a URL, e.g. http://127.0.0.1:8545",
        "vaults.0: must be a 0x-prefixed 20-byte hex address",
        "gasPriceCapGwei: Number must be greater than 0",
        "strategy.thresholdBps: Number must be less than or equal to 10000",
        "strategy.maxPriceImpactBps: must be an integer number of bps",
      ]),
    );
  });

  it("test_parseConfig_needsVaultsOrFactoryAndAnEthPrice", () => {
    const { vaults: _v, ethPriceUsd: _e, ...rest } = base();
    expect(issuesOf(() => parseConfig(rest, ENV))).toEqual([
      "vaults: set `vaults` or `factory` (or both)",
      "ethUsdFeed: set `ethUsdFeed` or `ethPriceUsd`",
    ]);
    const withFactory = parseConfig({ ...rest, factory: VAULT_A, ethUsdFeed: VAULT_A }, ENV);
    expect(withFactory.factory).toBe(VAULT_A);
  });

  it("test_parseConfig_rejectsUnknownKeysAndNonLoopbackHost", () => {
    const issues = issuesOf(() => parseConfig({ ...base(), metricsHost: "0.0.0.0", pollIntrval: 5 }, ENV));
    expect(issues[0]).toMatch(/Unrecognized key\(s\) in object: 'metricsHost', 'pollIntrval'/);
  });

  it("test_parseConfig_rejectsBackoffMaxBelowInitial", () => {
    expect(issuesOf(() => parseConfig({ ...base(), backoff: { initialMs: 5_000, maxMs: 1_000 } }, ENV))).toEqual([
      "backoff: maxMs must be ≥ initialMs",
    ]);
  });

  it("test_parseConfig_cliOnceAndDryRun", () => {
    const c = parseConfig(base(), {}, { dryRun: true, once: true });
    expect(c.once).toBe(true);
    expect(c.dryRun).toBe(true);
  });
});

describe("loadConfig", () => {
  it("test_loadConfig_clearErrorsForMissingFileAndBadJson", () => {
    const dir = mkdtempSync(join(tmpdir(), "keeper-config-"));
    expect(issuesOf(() => loadConfig(join(dir, "missing.json"), ENV))[0]).toMatch(/^cannot read config file .*missing\.json/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ nope");
    expect(issuesOf(() => loadConfig(bad, ENV))[0]).toMatch(/is not valid JSON/);
  });
});

describe("strategyParamsFor", () => {
  it("test_strategyParamsFor_appliesPerVaultOverridesCaseInsensitively", () => {
    const c = parseConfig(
      {
        ...base(),
        strategy: { thresholdBps: 300, minTradeValueUsd: 2.5 },
        vaultOverrides: { [VAULT_A.toUpperCase().replace("0X", "0x")]: { thresholdBps: 500 } },
      },
      ENV,
    );
    const p = strategyParamsFor(c, VAULT_A);
    expect(p.thresholdBps).toBe(500);
    expect(p.gasPriceCapWei).toBe(50_000_000_000n);
    expect(p.minTradeValueD18).toBe(25n * 10n ** 17n);
    expect(p.gasEstimate).toBe(1_500_000n);
    expect(strategyParamsFor(c, "0x00000000000000000000000000000000000000ff").thresholdBps).toBe(300);
  });
});

describe("deployments", () => {
  it("test_parseConfig_takesFactoryQuoterAndEthFeedFromADeploymentsDirectory", () => {
    const dir = mkdtempSync(join(tmpdir(), "keeper-deployments-"));
    const factory = "0x00000000000000000000000000000000000000f1";
    const quoter = "0x00000000000000000000000000000000000000f2";
    const wethFeed = "0x00000000000000000000000000000000000000f3";
    writeFileSync(join(dir, "IndexFactory.json"), JSON.stringify({ address: factory, abi: [] }));
    writeFileSync(
      join(dir, "LocalMarket.json"),
      JSON.stringify({
        address: "0x00000000000000000000000000000000000000f4",
        abi: [],
        linkedData: { quoterV2: quoter, constituents: [{ symbol: "WBTC", feed: VAULT_A }, { symbol: "WETH", feed: wethFeed }] },
      }),
    );
    const c = parseConfig({ chainId: 31337, rpcUrl: "http://127.0.0.1:8545", deployments: dir, gasPriceCapGwei: 50 }, ENV);
    expect(c).toMatchObject({ factory, quoterV2: quoter, ethUsdFeed: wethFeed });
    // Explicit values win.
    const own = parseConfig({ ...base(), deployments: dir }, ENV);
    expect(own.quoterV2).toBe("0x00000000000000000000000000000000000000c2");
    expect(own.factory).toBeUndefined();
  });

  it("test_parseConfig_reportsAMissingDeploymentsDirectory", () => {
    const issues = issuesOf(() =>
      parseConfig({ chainId: 31337, rpcUrl: "http://127.0.0.1:8545", deployments: "/nonexistent/dir", gasPriceCapGwei: 50 }, ENV),
    );
    expect(issues[0]).toMatch(/^deployments: cannot use \/nonexistent\/dir: ENOENT/);
  });
});

describe("batches", () => {
  const BATCH_FACTORY = "0x00000000000000000000000000000000000000b1";
  const BATCH = "0x00000000000000000000000000000000000000b2";

  it("test_parseConfig_batchesOffByDefault", () => {
    expect(parseConfig(base(), ENV).batches).toBeUndefined();
    expect(parseConfig({ ...base(), batches: { enabled: false, maxCostBps: 10 } }, ENV).batches).toBeUndefined();
  });

  it("test_parseConfig_batchesEnabled_convertsUnitsAndDefaultsToTheKeepersGasCap", () => {
    const c = parseConfig({ ...base(), batches: { enabled: true, batchFactory: BATCH_FACTORY } }, ENV);
    expect(c.batches).toEqual({
      batchFactory: BATCH_FACTORY,
      addresses: [],
      maxCostBps: 50,
      gasPriceCapWei: 50_000_000_000n,
      settlementGasEstimate: 1_500_000n,
    });
    const own = parseConfig(
      { ...base(), batches: { enabled: true, addresses: [BATCH], maxCostBps: 120, gasPriceCapGwei: 5, settlementGasEstimate: 900_000, logsFromBlock: 123 } },
      ENV,
    );
    expect(own.batches).toEqual({ addresses: [BATCH], maxCostBps: 120, gasPriceCapWei: 5_000_000_000n, settlementGasEstimate: 900_000n, logsFromBlock: 123n });
  });

  it("test_parseConfig_batchesRejectedWithClearReasons", () => {
    expect(issuesOf(() => parseConfig({ ...base(), batches: { enabled: true } }, ENV))).toEqual([
      "batches.batchFactory: batches are enabled but none can be found: set `batchFactory` (each watched vault's batch through IndexBatchFactory.batchOf), `addresses` (batch contracts), or `deployments`",
    ]);
    const issues = issuesOf(() =>
      parseConfig(
        { ...base(), batches: { enabled: true, batchFactory: "0x1234", addresses: ["nope"], maxCostBps: 20_000, settlementGasEstimate: 0, maxWait: 60 } },
        ENV,
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        "batches.batchFactory: must be a 0x-prefixed 20-byte hex address",
        "batches.addresses.0: must be a 0x-prefixed 20-byte hex address",
        expect.stringMatching(/^batches\.maxCostBps: .*10000/),
        expect.stringMatching(/^batches\.settlementGasEstimate: /),
        expect.stringMatching(/^batches: Unrecognized key.*maxWait/),
      ]),
    );
  });

  it("test_parseConfig_batchFactoryFromTheDeploymentsDirectory", () => {
    const dir = mkdtempSync(join(tmpdir(), "keeper-deployments-"));
    writeFileSync(join(dir, "IndexBatchFactory.json"), JSON.stringify({ address: BATCH_FACTORY, abi: [] }));
    const c = parseConfig({ ...base(), deployments: dir, batches: { enabled: true } }, ENV);
    expect(c.batches?.batchFactory).toBe(BATCH_FACTORY);
    // Not looked up when batches are off or the file names batches itself (as `factory` is not when `vaults` are set).
    expect(parseConfig({ ...base(), deployments: "/nonexistent", batches: { enabled: true, addresses: [BATCH] } }, ENV).batches).toEqual(
      expect.objectContaining({ addresses: [BATCH] }),
    );
    expect(parseConfig({ ...base(), deployments: "/nonexistent", batches: { enabled: false } }, ENV).batches).toBeUndefined();
    // Batches on, nothing named, no record: the reason names the directory.
    expect(issuesOf(() => parseConfig({ ...base(), deployments: "/nonexistent", batches: { enabled: true } }, ENV))[0]).toMatch(
      /^deployments: cannot use \/nonexistent: ENOENT.*IndexBatchFactory\.json/,
    );
  });
});

describe("the shipped keeper configs", () => {
  it("test_exampleAndLocalConfigs_turnTheBatchDutyOn", () => {
    const example = loadConfig(fileURLToPath(new URL("./config.example.json", import.meta.url)), {}, { dryRun: true });
    expect(example.batches).toMatchObject({ batchFactory: "0x0000000000000000000000000000000000000004", maxCostBps: 50, gasPriceCapWei: 50_000_000_000n });
    const dir = mkdtempSync(join(tmpdir(), "keeper-local-"));
    const records = join(dir, "deployments", "localhost");
    mkdirSync(records, { recursive: true });
    writeFileSync(join(records, "IndexFactory.json"), JSON.stringify({ address: "0x00000000000000000000000000000000000000f1" }));
    writeFileSync(join(records, "IndexBatchFactory.json"), JSON.stringify({ address: "0x00000000000000000000000000000000000000f5" }));
    writeFileSync(
      join(records, "LocalMarket.json"),
      JSON.stringify({ address: "0x00000000000000000000000000000000000000f4", linkedData: { quoterV2: "0x00000000000000000000000000000000000000f2", constituents: [{ symbol: "WETH", feed: "0x00000000000000000000000000000000000000f3" }] } }),
    );
    const cwd = process.cwd();
    process.chdir(dir); // config.local.json names its records relative to the repository root
    try {
      const local = loadConfig(fileURLToPath(new URL("./config.local.json", import.meta.url)), {}, { dryRun: true });
      expect(local.batches).toMatchObject({ batchFactory: "0x00000000000000000000000000000000000000f5", maxCostBps: 50 });
    } finally {
      process.chdir(cwd);
    }
  });
});
