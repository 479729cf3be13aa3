// Locations inside this repository, independent of the caller's working directory.
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root (the folder holding foundry.toml). */
export function repoRoot(): string {
  return fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
}
