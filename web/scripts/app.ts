// `npm run app`: the web app on a local chain, for a newcomer. Starts anvil, deploys the local market (real Uniswap
// V3) and the protocol with its example indexes and makes some history (deposits, price moves, a keeper rebalance,
// redemptions), all by the demo's own story (demo/story.ts, which runs the hardhat-deploy scripts); then funds the
// local development wallet and serves the app on 127.0.0.1. Ctrl-C stops everything.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readDeployments } from "../../cli/deployments";
import { runDemo } from "../../demo/story";
import { startAnvil } from "../../sdk/local/anvil";
import { connectLocalChain, LOCAL_ANVIL_ARGS } from "../../sdk/local/localChain";
import { repoRoot } from "../../sdk/local/paths";
import { serveApp } from "./serve";

/** anvil account used as the local development wallet (0 deploys, 1 keeps, 2-4 are the demo's wallets, 9 takes fees). */
const DEV_ACCOUNT = 6;
/** {USDT units} the development wallet starts with. */
const DEV_USDT = 100_000_000_000n;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string", default: "5173" }, "anvil-port": { type: "string", default: "8545" } } });
  const root = repoRoot();
  mkdirSync(join(root, "cache", "app"), { recursive: true });
  const scratch = mkdtempSync(join(root, "cache", "app", "run-"));
  let anvilPort = Number(values["anvil-port"]);
  const anvil = await startAnvil({ port: anvilPort, args: LOCAL_ANVIL_ARGS }).catch(() => startAnvil({ args: LOCAL_ANVIL_ARGS }));
  anvilPort = anvil.port;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await anvil.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  try {
    console.log(`▶ anvil at ${anvil.rpcUrl}: deploying the market, the protocol and three indexes, then making some history (about a minute)…`);
    const deploymentsDir = join(scratch, "deployments");
    await runDemo({ rpcUrl: anvil.rpcUrl, short: true, deploymentsDir, outDir: join(scratch, "out"), compile: false }, (text) => {
      for (const line of text.split("\n")) if (/^\s*(▶|✔|Step \d)/.test(line)) console.log(`  ${line.trim()}`);
    });
    const deployments = readDeployments(join(deploymentsDir, "localhost"));
    const factory = deployments.records.get("IndexFactory")?.address;
    const batchFactory = deployments.records.get("IndexBatchFactory")?.address;
    const market = deployments.localMarket;
    if (factory === undefined || market === undefined) throw new Error(`no IndexFactory/LocalMarket record in ${deploymentsDir}`);
    const chain = await connectLocalChain(anvil.rpcUrl, market);
    const dev = chain.accounts[DEV_ACCOUNT]!.address;
    await chain.mintTo(market.usdt, dev, DEV_USDT);
    const served = { rpcUrl: anvil.rpcUrl, chainId: chain.chain.id, factory, quoter: market.quoterV2, devWallet: dev, ...(batchFactory === undefined ? {} : { batchFactory }) };
    const app = await serveApp({ ...served, port: Number(values.port) }).catch(() => serveApp(served));
    console.log("");
    console.log(`✔ Index Vault web app: ${app.url}`);
    console.log(`  chain      ${anvil.rpcUrl} (anvil, chain id ${chain.chain.id}, local only)`);
    console.log(`  factory    ${factory}`);
    if (batchFactory !== undefined) console.log(`  batches    ${batchFactory} (IndexBatchFactory: batched ERC-7540 requests on each index page)`);
    console.log(`  dev wallet ${dev}: anvil account ${DEV_ACCOUNT} with 100,000 test USDT. LOCAL DEVELOPMENT WALLET: a public test key, local chain only.`);
    console.log("  Ctrl-C stops the app and the chain.");
  } catch (error) {
    console.error(`app failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main();
