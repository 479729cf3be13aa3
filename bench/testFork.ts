// npm run test:fork: the Forge fork tests (test/fork/**) against Ethereum mainnet at config/mainnet.json's pinned
// block. Without FORK_URL it says so and exits 0 (the fork tests also skip themselves under a plain `forge test`).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../sdk/local/paths";
import { forkSkipReason } from "./lib/forkConfig";

const skip = forkSkipReason();
if (skip !== undefined) {
  console.log(`test:fork: SKIPPED. ${skip}`);
  process.exit(0);
}
const forge = join(repoRoot(), "node_modules", ".bin", "forge");
// As `npm run test:forge`: the audited build in out/, then the tests compiled under the `tests` profile (foundry.toml).
const built = spawnSync(forge, ["build", "--skip", "test"], { cwd: repoRoot(), stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);
const r = spawnSync(forge, ["test", "--match-path", "test/fork/*", "-vv", ...process.argv.slice(2)], {
  cwd: repoRoot(),
  stdio: "inherit",
  env: { ...process.env, FOUNDRY_PROFILE: "tests" },
});
process.exit(r.status ?? 1);
