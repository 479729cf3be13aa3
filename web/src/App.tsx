import { useEffect, useState } from "react";
import { getAddress, isAddress, type Address } from "viem";
import { IndexList } from "./components/IndexList";
import { IndexPage } from "./components/IndexPage";
import { WalletBar } from "./components/WalletBar";
import { useApp } from "./context";

/** Hash routes: "#/" the list, "#/index/0x…" one index. */
function useRoute(): { vault?: Address } {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = (): void => setHash(window.location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  const match = /^#\/index\/(0x[0-9a-fA-F]{40})/.exec(hash);
  return match !== null && isAddress(match[1]!) ? { vault: getAddress(match[1]!) } : {};
}

export function App() {
  const { config } = useApp();
  const route = useRoute();
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/">
          Index Vault
        </a>
        <span className="network" title={config.rpcUrl}>
          {config.chainId === 31337 ? "Local chain (anvil)" : `Chain ${config.chainId}`}
        </span>
        <WalletBar />
      </header>
      <main id="main" tabIndex={-1}>
        {route.vault === undefined ? <IndexList /> : <IndexPage vault={route.vault} />}
      </main>
      <footer className="foot">
        Reads straight from the chain ({config.rpcUrl}); factory {config.factory}. No server, no database.
      </footer>
    </div>
  );
}

export function ConfigProblems({ problems }: { problems: string[] }) {
  return (
    <main className="app">
      <h1>Index Vault</h1>
      <div role="alert" className="error">
        <p>The app does not know which chain to read:</p>
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <p>
          Example: <code>?rpc=http://127.0.0.1:8545&amp;factory=0x…</code>
        </p>
      </div>
    </main>
  );
}
