import { createContext, useContext } from "react";
import type { Chain } from "viem";
import type { AnyPublicClient } from "./lib/client";
import type { AppConfig } from "./lib/config";

export interface AppContextValue {
  config: AppConfig;
  chain: Chain;
  /** Read-only client on the configured RPC: the app reads through it with or without a wallet. */
  client: AnyPublicClient;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === undefined) throw new Error("useApp outside AppContext");
  return value;
}
