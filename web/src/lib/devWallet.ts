// The local development wallet of `npm run app`: an EIP-1193 provider for one of anvil's unlocked accounts. anvil
// signs eth_sendTransaction itself, so no key is in the page. Only ever configured for the local chain (31337).
import type { Address } from "viem";

type Listener = (...args: unknown[]) => void;

export interface Eip1193 {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
  on(event: string, listener: Listener): void;
  removeListener(event: string, listener: Listener): void;
}

/** Forwards JSON-RPC to `rpcUrl`, answering account requests with `account`. */
export function devWalletProvider(rpcUrl: string, account: Address): Eip1193 {
  let id = 0;
  // Connected only once the user asked (remembered across reloads), so the app opens read-only.
  const KEY = "indexVault.devWallet.connected";
  const connected = (): boolean => window.localStorage.getItem(KEY) === "1";
  const listeners = new Map<string, Set<Listener>>();
  return {
    async request({ method, params }) {
      switch (method) {
        case "eth_requestAccounts":
          window.localStorage.setItem(KEY, "1");
          return [account];
        case "eth_accounts":
          return connected() ? [account] : [];
        case "wallet_requestPermissions":
        case "wallet_getPermissions":
          return [{ parentCapability: "eth_accounts" }];
        case "wallet_revokePermissions":
          window.localStorage.removeItem(KEY);
          return null;
        case "wallet_switchEthereumChain":
          return null;
      }
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
      });
      const json = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      if (json.error !== undefined) throw Object.assign(new Error(json.error.message), { code: json.error.code, data: json.error.data });
      return json.result;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
    },
  };
}
