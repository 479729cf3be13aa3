// The web app (web/): Vite + React. Imports the vault client from ../cli and ../sdk, so the dev server may read the
// repository root. `npm run app:build` writes web/dist: a static site configured by VITE_RPC_URL / VITE_FACTORY (and
// optionally VITE_BATCH_FACTORY for the batched requests) at build time or ?rpc=…&factory=…&batches=… at run time.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: webRoot,
  base: "./",
  // Pre-bundled dependencies go to the repository's cache/, not web/node_modules.
  cacheDir: fileURLToPath(new URL("../cache/vite", import.meta.url)),
  plugins: [react()],
  server: { host: "127.0.0.1", fs: { allow: [repoRoot] } },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  clearScreen: false,
});
