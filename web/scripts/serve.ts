// Serves the web app with Vite's dev server on 127.0.0.1, pointed at a chain and a factory (VITE_* variables).
// Used by `npm run app` and the browser suite.
import { fileURLToPath } from "node:url";
import type { Address } from "viem";
import { createServer, type ViteDevServer } from "vite";

export interface ServeOptions {
  rpcUrl: string;
  chainId: number;
  factory: Address;
  quoter?: Address;
  /** The IndexBatchFactory: the index page offers batched (ERC-7540) requests when it is set. */
  batchFactory?: Address;
  /** The local development wallet (anvil account): only for the local chain. */
  devWallet?: Address;
  /** 0 (default): any free port. */
  port?: number;
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(options: ServeOptions): Promise<ServedApp> {
  const env: Record<string, string> = {
    VITE_RPC_URL: options.rpcUrl,
    VITE_CHAIN_ID: String(options.chainId),
    VITE_FACTORY: options.factory,
    VITE_QUOTER: options.quoter ?? "",
    VITE_BATCH_FACTORY: options.batchFactory ?? "",
    VITE_DEV_WALLET: options.devWallet ?? "",
  };
  Object.assign(process.env, env);
  const server: ViteDevServer = await createServer({
    configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
    server: { host: "127.0.0.1", port: options.port ?? 0, strictPort: options.port !== undefined && options.port !== 0 },
    logLevel: "warn",
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
