// `npm run demo [-- --rpc <url>] [--short] [--index <id>] [--out <dir>]`: see demo/story.ts.
import { parseArgs } from "node:util";
import { runDemo } from "./story";

const USAGE = `usage: npm run demo [-- options]

  (no options)        start anvil, deploy everything, tell the story, write the chart, stop anvil
  --rpc <url>         use a running node instead (records go to the chain's own folder, where the CLI finds them)
  --short             smaller amounts, compact tables (the test suite runs this)
  --index <id>        which example index tells the story: btc-eth (default), defi, top10
  --out <dir>         where the chart goes (default demo-output/)
  --deployments <dir> hardhat-deploy records folder (default: the chain's own with --rpc, a throwaway one otherwise)
  --market <file>     a local market already on the node (sdk JSON): recorded, not redeployed`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rpc: { type: "string" },
        short: { type: "boolean", default: false },
        index: { type: "string" },
        out: { type: "string" },
        deployments: { type: "string" },
        market: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  await runDemo({
    compile: false, // `npm run demo` built first (npm run build)
    ...(values.rpc === undefined ? {} : { rpcUrl: values.rpc }),
    short: values.short === true,
    ...(values.index === undefined ? {} : { index: values.index }),
    ...(values.out === undefined ? {} : { outDir: values.out }),
    ...(values.deployments === undefined ? {} : { deploymentsDir: values.deployments }),
    ...(values.market === undefined ? {} : { marketJson: values.market }),
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
