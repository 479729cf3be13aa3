import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { App, ConfigProblems } from "./App";
import { appChain, readClient } from "./lib/client";
import { resolveConfig } from "./lib/config";
import { AppContext } from "./context";
import { makeWagmiConfig } from "./wagmi";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
const resolved = resolveConfig(new URLSearchParams(window.location.search), import.meta.env as Record<string, string | undefined>);
if (!resolved.ok) {
  root.render(<ConfigProblems problems={resolved.problems} />);
} else {
  const config = resolved.config;
  const chain = appChain(config.chainId, config.rpcUrl);
  const client = readClient(chain, config.rpcUrl);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });
  root.render(
    <StrictMode>
      <WagmiProvider config={makeWagmiConfig(config, chain)}>
        <QueryClientProvider client={queryClient}>
          <AppContext.Provider value={{ config, chain, client }}>
            <App />
          </AppContext.Provider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  );
}
