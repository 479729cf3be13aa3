// Display formatting and the app's configuration (query string over build environment).
import { describe, expect, it } from "vitest";
import { appEnv, resolveConfig, type AppSettings } from "./config";
import { age, driftFraction, level, pct, price18, route, shares, short, usd } from "./format";
import { explain } from "./client";
import { encodeErrorResult, UserRejectedRequestError } from "viem";
import { vaultAbi } from "./client";

describe("format", () => {
  it("test_usd_exactBigintWithGrouping", () => {
    expect(usd(1_234_567_891n)).toBe("$1,234.56");
    expect(usd(1_000_123_456n, 4)).toBe("$1,000.1234");
    expect(usd(-2_500_000n)).toBe("-$2.5");
    expect(usd(0n)).toBe("$0");
  });

  it("test_price18_moreDigitsUnderOneDollar", () => {
    expect(price18(64_000_123_000_000_000_000_000n)).toBe("$64,000.12");
    expect(price18(999_870_000_000_000_000n)).toBe("$0.9998");
  });

  it("test_levelSharesPct", () => {
    expect(level(1_012_345_000_000_000_000_000n)).toBe("1,012.34");
    expect(shares(1_500_000_000_000_000_000n)).toBe("1.5");
    expect(pct(125)).toBe("1.25 %");
    expect(pct(-10n)).toBe("-0.10 %");
  });

  it("test_age_unitsStepUp", () => {
    expect(age(100n, 145n)).toBe("45 s");
    expect(age(0, 600)).toBe("10 min");
    expect(age(0, 3 * 3600)).toBe("3 h");
    expect(age(0, 3 * 86_400)).toBe("3 d");
    expect(age(200, 100)).toBe("0 s");
  });

  it("test_routeAndShortAndDrift", () => {
    expect(route(["USDT", "WETH", "WBTC"], [500, 3000])).toBe("USDT → WETH → WBTC (0.05 %, 0.3 %)");
    expect(short("0x1234567890abcdef1234567890abcdef12345678")).toBe("0x1234…5678");
    expect(driftFraction(150n, 300n)).toBe(0.5);
    expect(driftFraction(450n, 300n)).toBe(1);
    expect(driftFraction(5n, 0n)).toBe(0);
  });
});

describe("errors in plain words", () => {
  it("test_explain_decodesTheVaultsCustomErrorWithTheCliTable", () => {
    const data = encodeErrorResult({ abi: vaultAbi, errorName: "IndexVault__DepositTooSmall", args: [5_000_000n, 10_000_000n] });
    expect(explain({ data })).toBe("Deposit of 5 USDT is below the vault's minimum of 10 USDT.");
  });

  it("test_explain_rejectedSignature", () => {
    expect(explain(new UserRejectedRequestError(new Error("denied")))).toBe("You rejected the request in your wallet: nothing was sent.");
    expect(explain({ code: 4001, message: "User rejected" })).toBe("You rejected the request in your wallet: nothing was sent.");
  });
});

describe("config", () => {
  const factory = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  it("test_resolveConfig_queryWinsOverEnv", () => {
    const r = resolveConfig(new URLSearchParams(`rpc=http://127.0.0.1:9999&factory=${factory.toLowerCase()}`), { VITE_RPC_URL: "http://127.0.0.1:8545", VITE_FACTORY: "0x0000000000000000000000000000000000000001" });
    expect(r).toEqual({ ok: true, config: { rpcUrl: "http://127.0.0.1:9999", chainId: 31337, factory, fromBlock: 0n } });
  });

  it("test_resolveConfig_devWalletOnlyOnTheLocalChain", () => {
    const env = { VITE_RPC_URL: "https://rpc.example", VITE_FACTORY: factory, VITE_DEV_WALLET: factory };
    const local = resolveConfig(new URLSearchParams(), env);
    expect(local.ok && local.config.devWallet).toBe(factory);
    const mainnet = resolveConfig(new URLSearchParams("chainId=1"), env);
    expect(mainnet.ok && mainnet.config.devWallet).toBeUndefined();
  });

  it("test_resolveConfig_batchFactoryIsOptional", () => {
    const env = { VITE_RPC_URL: "https://rpc.example", VITE_FACTORY: factory };
    const without = resolveConfig(new URLSearchParams(), env);
    expect(without.ok && without.config.batchFactory).toBeUndefined();
    const withBatches = resolveConfig(new URLSearchParams(`batches=${factory.toLowerCase()}`), env);
    expect(withBatches.ok && withBatches.config.batchFactory).toBe(factory);
    const bad = resolveConfig(new URLSearchParams(), { ...env, VITE_BATCH_FACTORY: "0x12" });
    expect(!bad.ok && bad.problems).toEqual(['batches "0x12" is not an address']);
  });

  it("test_appEnv_isReadBackByResolveConfig", () => {
    // What `npm run app` and the browser suite hand to Vite (web/scripts/serve.ts) is what the app reads back.
    const quoter = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
    const dev = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    const full: AppSettings = { rpcUrl: "http://127.0.0.1:8545", chainId: 31337, factory, quoter, batchFactory: quoter, devWallet: dev, fromBlock: 12n };
    expect(resolveConfig(new URLSearchParams(), appEnv(full))).toEqual({ ok: true, config: full });
    const minimal: AppSettings = { rpcUrl: "https://rpc.example", chainId: 1, factory };
    expect(resolveConfig(new URLSearchParams(), appEnv(minimal))).toEqual({ ok: true, config: { ...minimal, fromBlock: 0n } });
  });

  it("test_resolveConfig_listsEveryProblem", () => {
    const r = resolveConfig(new URLSearchParams("rpc=ws://x&factory=0x12"), {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual(['RPC URL "ws://x" must start with http:// or https://', 'factory "0x12" is not an address']);
  });
});
