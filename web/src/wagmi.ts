// wagmi: one chain (the configured RPC), a browser wallet (window.ethereum) and, on the local chain only, the
// clearly marked development wallet.
import { http, createConfig, type CreateConnectorFn } from "wagmi";
import { injected } from "wagmi/connectors";
import type { Chain } from "viem";
import type { AppConfig } from "./lib/config";
import { devWalletProvider } from "./lib/devWallet";

export const DEV_WALLET_ID = "devWallet";
export const BROWSER_WALLET_ID = "browserWallet";

export function makeWagmiConfig(config: AppConfig, chain: Chain) {
  const connectors: CreateConnectorFn[] = [
    injected({
      target: () => {
        const provider = (window as unknown as { ethereum?: unknown }).ethereum;
        return provider === undefined ? undefined : { id: BROWSER_WALLET_ID, name: "Browser wallet", provider: provider as never };
      },
    }),
  ];
  if (config.devWallet !== undefined) {
    connectors.push(
      injected({
        shimDisconnect: true,
        target: { id: DEV_WALLET_ID, name: "Local development wallet", provider: devWalletProvider(config.rpcUrl, config.devWallet) as never },
      }),
    );
  }
  return createConfig({
    chains: [chain],
    connectors,
    multiInjectedProviderDiscovery: false,
    transports: { [chain.id]: http(config.rpcUrl) },
  });
}
