import { useConnect, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { useApp } from "../context";
import { useWallet } from "../hooks";
import { explain } from "../lib/client";
import { short } from "../lib/format";
import { DEV_WALLET_ID } from "../wagmi";

export function WalletBar() {
  const { chain } = useApp();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const { address, wrongChain, walletChainId, connectorName } = useWallet();
  const isDev = connectorName === "Local development wallet";
  return (
    <div className="wallet">
      {address === undefined ? (
        <div className="connect" role="group" aria-label="Connect a wallet">
          {connectors.map((c) => (
            <button
              key={c.uid}
              type="button"
              className={c.id === DEV_WALLET_ID ? "dev" : ""}
              onClick={() => connect.mutate({ connector: c })}
              disabled={connect.isPending}
            >
              {c.id === DEV_WALLET_ID ? "Connect local development wallet" : `Connect ${c.name}`}
            </button>
          ))}
          {connectors.length === 0 ? <span>No wallet found: reading only.</span> : null}
        </div>
      ) : (
        <div className="connected">
          {isDev ? (
            <span className="devbadge" title="An anvil account: exists only on this local chain">
              LOCAL DEV WALLET
            </span>
          ) : null}
          <span aria-label="Connected account" data-testid="account">
            {short(address)}
          </span>
          <button type="button" onClick={() => disconnect.mutate({})}>
            Disconnect
          </button>
        </div>
      )}
      {connect.error !== null ? (
        <p role="alert" className="error small">
          {explain(connect.error)}
        </p>
      ) : null}
      {wrongChain ? (
        <div role="alert" className="warn banner" data-testid="wrong-chain">
          Wrong network: your wallet is on chain {walletChainId}, this app works on {chain.name} (chain {chain.id}).{" "}
          <button type="button" onClick={() => switchChain.mutate({ chainId: chain.id })}>
            Switch network
          </button>
          {switchChain.error !== null ? <span> {explain(switchChain.error)}</span> : null}
        </div>
      ) : null}
    </div>
  );
}
