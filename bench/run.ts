// npm run bench            : builds (forge + generated ABIs), then runs the benchmark on a fresh local anvil with the
//                            fixture's market; writes bench-results/latest.json, details.json, summary.md and prints
//                            a table. Every local pool on the measured routes is traded both ways first
//                            (bench/lib/warmup.ts): no measured sale pays a fee-growth counter's first write.
// npm run bench -- --fork  : the same suite on mainnet state at the pinned block of config/mainnet.json. Needs
//                            FORK_URL; without it, prints why and exits 0 (before building). Writes bench-results/fork-*.
//                            Mainnet pools are measured as found (they have long been traded both ways).
// Options: --sizes 1,2,5 (default 1,2,5,10,20), --no-slippage, --out <dir>, --no-build.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { repoRoot } from "../sdk/local/paths";
import { forkSkipReason } from "./lib/forkConfig";

function build(): void {
  for (const script of ["build:forge", "build:abis"]) {
    const r = spawnSync("npm", ["run", "--silent", script], { cwd: repoRoot(), stdio: "inherit" });
    if (r.status !== 0) throw new Error(`npm run ${script} failed (exit ${r.status})`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fork: { type: "boolean", default: false },
      sizes: { type: "string" },
      "no-slippage": { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const fork = values.fork === true;
  if (fork) {
    const skip = forkSkipReason();
    if (skip !== undefined) {
      console.log(`bench --fork: SKIPPED. ${skip}`);
      return 0;
    }
  }
  if (values["no-build"] !== true) build();
  // Imported after the build: the suite uses the ABIs generated from it.
  const { runBench } = await import("./main");
  return runBench({
    fork,
    ...(values.sizes === undefined ? {} : { sizes: values.sizes.split(",").map((s) => Number(s.trim())) }),
    slippage: values["no-slippage"] !== true,
    ...(values.out === undefined ? {} : { out: values.out }),
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
