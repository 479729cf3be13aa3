// The demo's story, told with numbers: deploy everything (hardhat-deploy scripts, which deploy the local market
// with the fixture's forge script), three wallets deposit USDT, market prices move (Chainlink feeds and Uniswap pools
// together, through PriceMover), drift crosses the threshold, the keeper rebalances, one wallet redeems to USDT and
// one in kind. After each step: NAV, index level, weights vs targets, drift and gas; at the end an SVG chart.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseEventLogs, type Abi, type Address } from "viem";
import { chainIdentity, deploymentsRootFor, readDeployments } from "../cli/deployments";
import { fmtBps, fmtUnits, fmtUsdt, table } from "../cli/format";
import { weightsTable } from "../cli/main";
import {
  deposit,
  quoteDeposit,
  quoteRedeem,
  readVaultStatus,
  readFeed,
  redeem,
  redeemInKind,
  send,
  silentProgress,
  withSlippage,
  vaultAbi,
  type VaultStatus,
} from "../sdk/client";
import { privateKeyOf } from "../sdk/local/accounts";
import { rpcRequest, startAnvil, type AnvilInstance } from "../sdk/local/anvil";
import { priceMoverAbi } from "../sdk/generated/abis";
import { connectLocalChain, LOCAL_ANVIL_ARGS, type LocalChain } from "../sdk/local/localChain";
import { repoRoot } from "../sdk/local/paths";
import { runBatchStep } from "./batch";
import { renderChart, type ChartPoint } from "./chart";

export interface DemoOptions {
  /** Use this node instead of starting anvil. */
  rpcUrl?: string;
  /** Smaller amounts, terser output (the test suite runs this). */
  short?: boolean;
  /** Where the chart goes. Default demo-output/. */
  outDir?: string;
  /** hardhat-deploy records folder (parent of <network>/). Default: the chain's own with --rpc, a throwaway one otherwise. */
  deploymentsDir?: string;
  /** A local market already on the node (JSON from the sdk): recorded instead of deployed. */
  marketJson?: string;
  /** Which example index tells the story (config/local.json id). Default "btc-eth". */
  index?: string;
  /** Let hardhat compile before deploying (default true; tests build first and pass false). */
  compile?: boolean;
}

export interface StepRecord {
  step: number;
  title: string;
  nav: bigint;
  indexLevel: bigint;
  weightsBps: bigint[];
  targetsBps: bigint[];
  maxDriftBps: bigint;
  /** {gas} paid by the step's user (depositor, redeemer, keeper); undefined for a market move, whose PriceMover
   *  transactions stand for arbitrageurs and are not a cost of the index */
  gasUsed: bigint | undefined;
}

export interface DemoResult {
  chartPath: string;
  steps: StepRecord[];
  /** Whether the keeper process (keeper/cli.ts --once) performed the rebalance. */
  rebalancedBy: "keeper" | "direct" | "none";
  rebalanceGas: bigint;
  wallMs: number;
  vault: Address;
}

type Log = (line: string) => void;

const HR = "─".repeat(78);

/** Runs a command, streaming nothing; rejects with its output on failure. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot(), env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(out);
      else reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${out.slice(-4000)}`));
    });
  });
}

export async function runDemo(options: DemoOptions, log: Log = (l) => console.log(l)): Promise<DemoResult> {
  const started = performance.now();
  const short = options.short === true;
  const root = repoRoot();
  const indexId = options.index ?? "btc-eth";
  let anvil: AnvilInstance | undefined;
  let scratch: string | undefined;
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    // ── 0. A chain ───────────────────────────────────────────────────────────────────────────────────────────
    let rpcUrl = options.rpcUrl;
    if (rpcUrl === undefined) {
      anvil = await startAnvil({ args: LOCAL_ANVIL_ARGS });
      rpcUrl = anvil.rpcUrl;
      log(`▶ started anvil at ${rpcUrl} (stopped when the demo ends)`);
    } else {
      log(`▶ using the node at ${rpcUrl}`);
    }
    let deploymentsRoot = options.deploymentsDir;
    if (deploymentsRoot === undefined && anvil !== undefined) {
      mkdirSync(join(root, "cache", "demo"), { recursive: true });
      scratch = mkdtempSync(join(root, "cache", "demo", "run-"));
      deploymentsRoot = join(scratch, "deployments");
    }
    // A node of the user's: its own records folder (chain id + genesis), where the CLI finds them.
    deploymentsRoot ??= deploymentsRootFor(root, await chainIdentity(rpcUrl));
    mkdirSync(deploymentsRoot, { recursive: true }); // hardhat-deploy creates the network folder, not its parents

    // ── 1. Deploy everything with the hardhat-deploy scripts ─────────────────────────────────────────────────
    log(`▶ deploying: local market (real Uniswap V3, tokens, feeds, pools), configurator, vault implementation, factory, three indexes…`);
    const env: NodeJS.ProcessEnv = { ...process.env, ANVIL_RPC_URL: rpcUrl, NO_COLOR: "1" };
    env.HARDHAT_DEPLOYMENTS_DIR = deploymentsRoot;
    if (options.marketJson !== undefined) env.LOCAL_MARKET_JSON = options.marketJson;
    const recordsDir = join(deploymentsRoot, "localhost");
    // Records left by an earlier chain (anvil restarted) would make hardhat-deploy look for transactions that are
    // gone: start those records afresh.
    let reset = false;
    for (const name of ["LocalMarket", "IndexFactory"]) {
      const record = readDeployments(recordsDir).records.get(name);
      if (record !== undefined && (await rpcRequest<string>(rpcUrl, "eth_getCode", [record.address, "latest"])) === "0x") reset = true;
    }
    if (reset) log(`  │ the records in ${relative(process.cwd(), recordsDir) || recordsDir} are from an earlier chain: deploying afresh (--reset)`);
    const deployArgs = ["deploy", "--network", "localhost", ...(options.compile === false ? ["--no-compile"] : []), ...(reset ? ["--reset"] : [])];
    const deployOut = await run(join(root, "node_modules", ".bin", "hardhat"), deployArgs, env, 600_000);
    if (!short) for (const line of deployOut.split("\n").filter((l) => /deployed at|Index \(|local market:|reusing/.test(l))) log(`  │ ${line.replace(/\(tx: 0x[0-9a-f]+\)\.\.\.: /, "")}`);
    const deployments = readDeployments(recordsDir);
    const market = deployments.localMarket;
    if (market === undefined) throw new Error(`no LocalMarket record in ${deployments.dir}: the demo needs the local market (chain 31337)`);
    const vaultRecord = deployments.records.get(`Index_${indexId}`);
    if (vaultRecord === undefined) throw new Error(`no index "${indexId}" in ${deployments.dir}`);
    const vault = vaultRecord.address;
    log(`✔ deployed in ${elapsed()}: factory ${deployments.records.get("IndexFactory")?.address}, story index ${indexId} at ${vault}`);

    const chain: LocalChain = await connectLocalChain(rpcUrl, market);
    const client = chain.publicClient;
    const [deployer, keeper, alice, bob, carol] = [0, 1, 2, 3, 4].map((i) => chain.walletClients[i]!);
    if (deployer === undefined || keeper === undefined || alice === undefined || bob === undefined || carol === undefined) throw new Error("need 5 dev accounts");
    const names = new Map<Address, string>([
      [alice.account.address, "Alice"],
      [bob.account.address, "Bob"],
      [carol.account.address, "Carol"],
    ]);

    // ── The story ────────────────────────────────────────────────────────────────────────────────────────────
    const steps: StepRecord[] = [];
    const points: ChartPoint[] = [];
    let thresholdBps: bigint | undefined;
    const record = async (title: string, label: string, gasUsed: bigint | undefined, note?: string): Promise<VaultStatus> => {
      const s = await readVaultStatus(client, vault);
      thresholdBps = s.rebalance?.thresholdBps ?? thresholdBps;
      const step = steps.length + 1;
      steps.push({
        step,
        title,
        nav: s.nav,
        indexLevel: s.indexLevel,
        weightsBps: s.constituents.map((c) => c.weightBps),
        targetsBps: s.constituents.map((c) => c.targetBps),
        maxDriftBps: s.drift.maxBps,
        gasUsed,
      });
      points.push({ label, indexLevel: Number(s.indexLevel / 10n ** 14n) / 1e4, weightsBps: s.constituents.map((c) => Number(c.weightBps)) });
      log("");
      log(`${HR}\n Step ${step} · ${title}\n${HR}`);
      if (note !== undefined) log(` ${note}`);
      const due = s.rebalance === undefined ? "" : ` (threshold ${fmtBps(s.rebalance.thresholdBps)}: ${s.rebalance.due ? "REBALANCE DUE" : s.rebalance.reason})`;
      const gas = gasUsed === undefined ? "" : ` · gas ${gasUsed.toLocaleString("en-US")}`;
      log(` NAV ${fmtUsdt(s.nav)} · index level ${fmtUnits(s.indexLevel, 18, 2)} · NAV/share ${fmtUsdt(s.navPerShare, 4)} · drift max ${fmtBps(s.drift.maxBps)}${due}${gas}`);
      if (short) {
        log(table(["token", "weight", "target", "drift"], [...s.constituents.map((c) => [c.symbol, fmtBps(c.weightBps), fmtBps(c.targetBps), fmtBps(c.deviationBps)]), ["USDT (idle)", fmtBps(s.idleWeightBps), fmtBps(0), fmtBps(s.idleWeightBps)]]));
      } else {
        log(weightsTable(s));
      }
      return s;
    };

    const scale = short ? 10n : 1n;
    const deposits: [typeof alice, bigint][] = [
      [alice, 50_000_000_000n / scale],
      [bob, 30_000_000_000n / scale],
      [carol, 20_000_000_000n / scale],
    ];
    for (const [wallet, assets] of deposits) {
      await chain.mintTo(market.usdt, wallet.account.address, assets);
      const status = await readVaultStatus(client, vault);
      const q = await quoteDeposit(client, status, market.quoterV2, assets);
      const deadline = (await client.getBlock()).timestamp + 600n;
      const r = await deposit(client, wallet, status, { assets, minShares: withSlippage(q.expectedShares, 50), deadline });
      const who = names.get(wallet.account.address)!;
      // Where the deposit went: mint fee (USDT to the fee recipient), the rest swapped into the basket; what the
      // basket is worth at Chainlink prices is valueIn, the difference is the pools' fees and price impact.
      const swapped = r.assets - r.mintFee;
      const swapCost = swapped - r.valueIn;
      const feePct = Number((r.mintFee * 10_000n) / r.assets) / 100;
      await record(
        `${who} deposits ${fmtUsdt(assets, 0)}`,
        `${who} +${fmtUnits(assets, 6, 0)}`,
        r.gasUsed,
        `${who} receives ${fmtUnits(r.shares, 18, 2)} shares (quoted ${fmtUnits(q.expectedShares, 18, 2)}; worst leg impact ${(Math.max(...q.legs.map((l) => l.impactBps)) / 100).toFixed(2)} % incl. pool fee)\n` +
          ` ${fmtUsdt(r.assets)} in = ${fmtUsdt(r.mintFee)} mint fee (${feePct.toFixed(2)} %, to the fee recipient) + ${fmtUsdt(swapped)} swapped into the basket, ` +
          `worth ${fmtUsdt(r.valueIn)} at Chainlink prices (${fmtUsdt(swapCost)} pool fees and price impact)`,
      );
    }

    // Prices move: as an arbitrageur would, feeds and pools together.
    const s0 = await readVaultStatus(client, vault);
    const [up, down] = s0.constituents;
    if (up === undefined) throw new Error("empty basket");
    // The PriceMover's transactions stand for the market (arbitrageurs): their gas is nobody's cost in this story.
    const moveTo = async (moves: [typeof up, number][]): Promise<{ text: string }> => {
      const parts: string[] = [];
      for (const [c, pct] of moves) {
        const { answer } = await readFeed(client, chain.contracts.feedOf(c.token).address);
        const target = (answer * BigInt(Math.round((100 + pct) * 100))) / 10_000n;
        await send(client, deployer, `move ${c.symbol}`, { address: market.priceMover, abi: priceMoverAbi, functionName: "moveMarket", args: [c.token, target] }, silentProgress);
        parts.push(`${c.symbol} ${pct >= 0 ? "+" : ""}${pct} % → $${fmtUnits(target, 8, 2)}`);
      }
      return { text: parts.join(", ") };
    };
    const small = await moveTo(down === undefined ? [[up, 1.5]] : [[up, 1.5], [down, -1]]);
    await record(
      `Prices drift a little: ${small.text}`,
      "small move",
      undefined,
      "Feeds and pools moved together (PriceMover: Chainlink answer + arbitrage swap; the market's gas, not a cost of the index). Drift stays under the threshold: the keeper waits.",
    );
    const big = await moveTo(down === undefined ? [[up, 18]] : [[up, 18], [down, -9]]);
    const afterMove = await record(`Prices move: ${big.text}`, "big move", undefined, "Drift crosses the threshold.");

    // The keeper rebalances.
    let rebalancedBy: DemoResult["rebalancedBy"] = "none";
    let rebalanceGas = 0n;
    {
      // On a chain where the demo already ran, the previous rebalance's cooldown may still run: skip ahead to its
      // end (anvil time travel) and re-stamp every feed so prices stay fresh.
      if (afterMove.rebalance?.reason === "cooldown") {
        const now = (await client.getBlock()).timestamp;
        await chain.testClient.increaseTime({ seconds: Number(afterMove.rebalance.cooldownEndsAt - now) + 1 });
        await chain.testClient.mine({ blocks: 1 });
        for (const feed of [chain.contracts.usdtFeed, ...afterMove.constituents.map((c) => chain.contracts.feedOf(c.token))]) {
          const { answer } = await readFeed(client, feed.address);
          await client.waitForTransactionReceipt({ hash: await feed.write.setPrice([answer]) });
        }
        log(`\n ▶ the last rebalance's cooldown was still running: skipped ahead to its end and refreshed the feeds`);
      }
      const fromBlock = (await client.getBlockNumber()) + 1n;
      let keeperNote = "";
      try {
        keeperNote = await runKeeperOnce(scratch ?? mkdtempSync(join(root, "cache", "demo-keeper-")), rpcUrl, market.quoterV2, market.constituents[0]!.feed, vault, privateKeyOf(chain.accounts[1]!));
      } catch (error) {
        keeperNote = `keeper process failed: ${(error as Error).message.split("\n")[0]}`;
      }
      const logs = await client.getLogs({ address: vault, fromBlock, toBlock: "latest" });
      const rebalanced = parseEventLogs({ abi: vaultAbi, eventName: "Rebalanced", logs });
      if (rebalanced.length > 0) {
        rebalancedBy = "keeper";
        for (const hash of new Set(rebalanced.map((e) => e.transactionHash))) rebalanceGas += (await client.getTransactionReceipt({ hash })).gasUsed;
        log(`\n ▶ keeper (keeper/cli.ts --once, account ${keeper.account.address}): ${keeperNote}`);
      } else {
        log(`\n ▶ the keeper process did not rebalance (${keeperNote}); calling the vault's rebalance() directly as the keeper account`);
        for (let i = 0; i < 20; i++) {
          const r = await send(client, keeper, "rebalance", { address: vault, abi: vaultAbi as Abi, functionName: "rebalance" }, silentProgress);
          rebalanceGas += r.gasUsed;
          rebalancedBy = "direct";
          if (!(await readVaultStatus(client, vault)).rebalancing) break;
        }
      }
      await record(`The keeper rebalances (${rebalancedBy === "keeper" ? "keeper process" : "direct call"})`, "rebalance", rebalanceGas, "Minimal-turnover trades planned on-chain from Chainlink prices; each trade bounded by the oracle.");
    }

    // Alice redeems to USDT; Bob redeems in kind.
    {
      const shares = await client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [alice.account.address] });
      const status = await readVaultStatus(client, vault);
      const q = await quoteRedeem(client, status, market.quoterV2, shares);
      const deadline = (await client.getBlock()).timestamp + 600n;
      const r = await redeem(client, alice, vault, { shares, minAssets: withSlippage(q.expectedAssets, 50), deadline });
      await record("Alice redeems all her shares to USDT", "Alice → USDT", r.gasUsed, `Alice receives ${fmtUsdt(r.assets)} (burn fee ${fmtUsdt(r.burnFee)}).`);
    }
    {
      const shares = await client.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [bob.account.address] });
      const status = await readVaultStatus(client, vault);
      const r = await redeemInKind(client, bob, vault, { shares });
      const got = status.constituents.map((c, i) => `${fmtUnits(r.amounts[i] ?? 0n, c.decimals, 4)} ${c.symbol}`).join(" + ");
      await record("Bob redeems all his shares in kind", "Bob in kind", r.gasUsed, `Bob receives the basket itself: ${got} (no oracle, no swap).`);
    }

    // ERC-7540 batch (demo/batch.ts): four wallets queue deposits, Carol a redemption, one settlement, claims pushed.
    const batchRecord = deployments.records.get(`Batch_${indexId}`);
    if (batchRecord !== undefined) {
      const b = await runBatchStep({ client, batch: batchRecord.address, vault, usdt: market.usdt, depositors: [5, 6, 7, 8].map((i) => ({ name: `Wallet ${i}`, wallet: chain.walletClients[i]! })), redeemer: { name: "Carol", wallet: carol }, keeper, amount: 1_000_000_000n / scale, mint: (t, to, a) => chain.mintTo(t, to, a), log });
      await record("Batch: 4 wallets queue deposits, Carol a redemption; one settlement; claims", "batch", b.gasUsed, `Per-user gas all in: ${b.users.map((u) => `${u.name} ${u.total.toLocaleString("en-US")}`).join(", ")}.`);
    }

    // ── Chart ────────────────────────────────────────────────────────────────────────────────────────────────
    const outDir = resolve(root, options.outDir ?? "demo-output");
    mkdirSync(outDir, { recursive: true });
    const chartPath = join(outDir, `index-vault-demo-${indexId}.svg`);
    const last = await readVaultStatus(client, vault);
    writeFileSync(
      chartPath,
      renderChart({
        title: `${last.name}: index level and weights through the demo`,
        symbols: last.constituents.map((c) => c.symbol),
        targetsBps: last.constituents.map((c) => Number(c.targetBps)),
        ...(thresholdBps === undefined ? {} : { thresholdBps: Number(thresholdBps) }),
        points,
      }),
    );
    log("");
    log(HR);
    log(` Summary`);
    log(HR);
    log(table(["step", "what", "NAV", "level", "max drift", "gas"], steps.map((s) => [String(s.step), s.title.length > 48 ? `${s.title.slice(0, 47)}…` : s.title, fmtUsdt(s.nav, 0), fmtUnits(s.indexLevel, 18, 2), fmtBps(s.maxDriftBps), s.gasUsed === undefined ? "— (market)" : s.gasUsed.toLocaleString("en-US")]), ["right", "left", "right", "right", "right", "right"]));
    log("");
    log(`chart: ${relative(process.cwd(), chartPath) || chartPath}`);
    const wallMs = performance.now() - started;
    log(`done in ${(wallMs / 1000).toFixed(1)} s (${process.uptime().toFixed(1)} s since the process started)${anvil === undefined ? "" : "; anvil stopped"}.`);
    if (anvil === undefined) {
      log(`the chain keeps running at ${rpcUrl}: try  npm run cli -- status --rpc ${rpcUrl} --vault ${indexId}`);
    }
    return { chartPath, steps, rebalancedBy, rebalanceGas, wallMs, vault };
  } finally {
    await anvil?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs the TypeScript keeper once (keeper/cli.ts --once) against the vault, as the keeper account, and summarises
 * what it logged.
 */
async function runKeeperOnce(dir: string, rpcUrl: string, quoterV2: Address, ethUsdFeed: Address, vault: Address, privateKey: `0x${string}`): Promise<string> {
  const configFile = join(dir, "keeper.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      chainId: 31337,
      rpcUrl,
      vaults: [vault],
      quoterV2,
      ethUsdFeed,
      gasPriceCapGwei: 100,
      pollIntervalSeconds: 1,
      confirmations: 1,
      txTimeoutSeconds: 30,
    }),
  );
  const root = repoRoot();
  const out = await run(
    join(root, "node_modules", ".bin", "tsx"),
    [join(root, "keeper", "cli.ts"), "--config", configFile, "--once"],
    { ...process.env, KEEPER_PRIVATE_KEY: privateKey, KEEPER_RPC_URL: rpcUrl, KEEPER_LOG_LEVEL: "info" },
    120_000,
  );
  const messages = out
    .split("\n")
    .map((line) => {
      try {
        return (JSON.parse(line) as { msg?: string }).msg;
      } catch {
        return undefined;
      }
    })
    .filter((m): m is string => m !== undefined && m !== "");
  return messages.slice(-3).join(" · ") || "no log";
}
