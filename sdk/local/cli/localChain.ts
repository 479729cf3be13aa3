// Starts the local chain for humans (demo, keeper development): anvil on 127.0.0.1 with the local market deployed,
// or the market deployed to a node you run yourself. Writes the market JSON and keeps anvil up until Ctrl-C.
//
//   npm run chain                                   # anvil on a free port
//   npm run chain -- --port 8545                    # anvil on 8545
//   npm run chain -- --rpc http://127.0.0.1:8545    # deploy to an existing node (nothing spawned)
//   npm run chain -- --out cache/local-market.json  # where to write the market JSON (default shown)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startAnvil } from "../anvil";
import { LOCAL_ANVIL_ARGS, startLocalChain } from "../localChain";
import { repoRoot } from "../paths";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: "string" },
      port: { type: "string" },
      out: { type: "string", default: "cache/local-market.json" },
      verbose: { type: "boolean", default: false },
    },
  });
  const started = performance.now();
  let rpcUrl = values.rpc;
  let stopAnvil: (() => Promise<void>) | undefined;
  if (rpcUrl === undefined) {
    const anvil = await startAnvil({
      args: LOCAL_ANVIL_ARGS,
      ...(values.port === undefined ? {} : { port: Number(values.port) }),
    });
    rpcUrl = anvil.rpcUrl;
    stopAnvil = anvil.stop;
  }
  const chain = await startLocalChain({ rpcUrl, verbose: values.verbose });
  const out = resolve(repoRoot(), values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(chain.market, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  console.log(`local market deployed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`rpc     ${rpcUrl} (chain ${chain.market.chainId})`);
  console.log(`market  ${out}`);
  console.log(`owner   ${chain.market.owner} (anvil account 0: owns PriceMover and the feeds)`);
  if (stopAnvil === undefined) return;
  console.log("anvil running; Ctrl-C to stop");
  const shutdown = (): void => {
    void stopAnvil().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  setInterval(() => {}, 1 << 30); // keep the process (and so anvil) alive
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
