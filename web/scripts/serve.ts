// Serves the web app with Vite's dev server on 127.0.0.1, pointed at a chain and a factory (VITE_* variables).
// Used by `npm run app` and the browser suite.
import { fileURLToPath } from "node:url";
import { createServer, type ViteDevServer } from "vite";
import { appEnv, type AppSettings } from "../src/lib/config";

/** The app's settings (as `resolveConfig` reads them back) and the port: 0 (default) is any free port. */
export type ServeOptions = AppSettings & { port?: number };

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(options: ServeOptions): Promise<ServedApp> {
  const env = appEnv(options);
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
