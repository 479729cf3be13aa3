// vitest: TypeScript suites (infra in test/ts/, the keeper's beside its code). The global setup deploys the
// local market once on anvil and shares its state; each suite that needs a chain starts its own anvil from
// that state (sdk/local/testing.ts), so suites run in parallel and never see each other's transactions.
// LOCAL_RPC_URL=<url> runs against an existing node instead: suites then share it, one file at a time.
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const externalNode = (process.env.LOCAL_RPC_URL ?? "") !== "";

export default defineConfig({
  test: {
    include: ["test/ts/**/*.test.ts", "keeper/**/*.test.ts", "sdk/**/*.test.ts", "bench/**/*.test.ts", "web/**/*.test.ts"],
    exclude: ["**/node_modules/**", "web/dist/**", "out/**", "out-*/**", "artifacts/**", "typechain-types/**"],
    globalSetup: ["test/ts/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: !externalNode,
    // Most chain suites wait on child processes (anvil, hardhat, the demo, Chromium) rather than compute: one worker
    // per core (vitest's default is cores − 1, i.e. ONE on a 2-core machine) overlaps those waits.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
