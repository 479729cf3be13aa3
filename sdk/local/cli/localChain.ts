// `npm run chain`: the local chain for humans, one command. Starts anvil on 127.0.0.1:8545, deploys the local market
// (real Uniswap V3, mock tokens and Chainlink feeds), the protocol and the example indexes (hardhat-deploy scripts,
// tools/deployLocal.ts), prints the addresses and how to use the CLI, and keeps running until Ctrl-C, re-posting
// every feed's price so they never go stale (a local-chain price keeper; anvil's clock runs on).
//
//   npm run chain                                   # anvil on 8545, everything deployed
//   npm run chain -- --port 8546                    # another port (its own records: deployments/local/<id>-<genesis>)
//   npm run chain -- --rpc http://127.0.0.1:8545    # deploy to a node you run yourself (and keep its feeds fresh)
//   npm run chain -- --refresh 300                  # feed refresh period {s} (default 600; 0 = off)
import { writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readDeployments } from "../../../cli/deployments";
import { deployLocal } from "../../../tools/deployLocal";
import { devAccounts } from "../accounts";
import { rpcRequest, startAnvil } from "../anvil";
import { connectLocalChain, LOCAL_ANVIL_ARGS } from "../localChain";
import { refreshFeeds } from "../localTools";

const USAGE = `usage: npm run chain [-- --port <n> | --rpc <url>] [--refresh <s>] [--verbose]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: "string" },
      port: { type: "string", default: "8545" },
      refresh: { type: "string", default: "600" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const refreshSeconds = Number(values.refresh);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`--port must be a TCP port, got "${values.port}"`);
  if (!Number.isFinite(refreshSeconds) || refreshSeconds < 0) throw new Error(`--refresh must be seconds >= 0, got "${values.refresh}"`);
  const started = performance.now();
  let rpcUrl = values.rpc;
  let stopAnvil: (() => Promise<void>) | undefined;
  if (rpcUrl === undefined) {
    const url = `http://127.0.0.1:${port}`;
    const taken = await rpcRequest<string>(url, "eth_chainId").then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`a node already answers at ${url}: use it (npm run cli -- indexes --rpc ${url}) or start another with --port <n>`);
    const anvil = await startAnvil({ args: LOCAL_ANVIL_ARGS, port });
    rpcUrl = anvil.rpcUrl;
    stopAnvil = anvil.stop;
    console.log(`anvil started at ${rpcUrl}`);
  }
  const shutdown = (): void => {
    void (stopAnvil?.() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  try {
    console.log("deploying the local market, the protocol and the example indexes…");
    const deployed = await deployLocal(rpcUrl, { compile: false, onLine: values.verbose === true ? (line) => console.log(`  ${line}`) : undefined });
    const records = readDeployments(deployed.recordsDir);
    const market = records.localMarket;
    if (market === undefined) throw new Error(`no local market in ${deployed.recordsDir}`);
    const marketFile = join(deployed.recordsDir, "..", "local-market.json");
    writeFileSync(marketFile, `${JSON.stringify(market, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
    const [owner, keeper, user] = devAccounts();
    const indexes = [...records.records.values()].filter((r) => r.name.startsWith("Index_"));
    const rpcFlag = rpcUrl === "http://127.0.0.1:8545" ? "" : ` --rpc ${rpcUrl}`;
    console.log(
      [
        ``,
        `local chain ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        `  rpc        ${rpcUrl} (chain ${deployed.chainId})`,
        `  records    ${relative(process.cwd(), deployed.recordsDir)} (market JSON: ${relative(process.cwd(), marketFile)})`,
        `  factory    ${records.records.get("IndexFactory")?.address ?? "?"}`,
        ...indexes.map((r) => `  index      ${r.name.slice(6).padEnd(10)} ${r.address}`),
        `  USDT       ${market.usdt}   quoter ${market.quoterV2}`,
        ...market.constituents.map((c) => `  ${c.symbol.padEnd(10)} ${c.address}   feed ${c.feed}`),
        `  accounts   #0 ${owner?.address} (deployer; owns the feeds and PriceMover)`,
        `             #1 ${keeper?.address} (the keeper's: KEEPER_PRIVATE_KEY, see keeper/README.md)`,
        `             #2 ${user?.address} … (anvil's dev mnemonic, 10 000 ETH each)`,
        ``,
        `try (another terminal):`,
        `  npm run cli -- indexes${rpcFlag}`,
        `  npm run cli -- faucet 10000 --account 2${rpcFlag}`,
        `  npm run cli -- deposit 1000 --vault btc-eth --account 2${rpcFlag}`,
        `  npm run cli -- prices move WBTC 10${rpcFlag}        (also --feed-only / --pool-only; prices refresh; time warp <s>)`,
        ``,
        refreshSeconds > 0 ? `feeds are re-posted every ${refreshSeconds} s so they stay fresh; Ctrl-C stops ${stopAnvil === undefined ? "this process" : "anvil"}` : "feed refresh off; Ctrl-C to stop",
      ].join("\n"),
    );
    if (refreshSeconds > 0) {
      const chain = await connectLocalChain(rpcUrl, market);
      const tick = async (): Promise<void> => {
        try {
          const rows = await refreshFeeds(chain);
          const age = rows.reduce((oldest, r) => (r.ageBefore > oldest ? r.ageBefore : oldest), 0n);
          if (values.verbose === true) console.log(`[${new Date().toISOString()}] feeds re-posted (oldest was ${age} s old)`);
        } catch (error) {
          console.error(`[${new Date().toISOString()}] feed refresh failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        }
      };
      // One refresh at a time (a slow node must not get two batches of the same nonces).
      const loop = (): void => {
        setTimeout(() => void tick().then(loop), refreshSeconds * 1000);
      };
      loop();
    } else {
      setInterval(() => {}, 1 << 30); // keep the process (and so anvil) alive
    }
  } catch (error) {
    await stopAnvil?.();
    throw error;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`chain: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
