import { useVaults } from "../hooks";
import { explain } from "../lib/client";
import { level, pct, usd } from "../lib/format";
import { vaultState } from "../lib/quote";
import { StateBadge } from "./StateBadge";

export function IndexList() {
  const vaults = useVaults();
  return (
    <section aria-labelledby="indexes-title">
      <h1 id="indexes-title">Indexes</h1>
      <p className="muted">Every index vault created by the factory, read live from the chain.</p>
      {vaults.isPending ? <p role="status">Loading indexes…</p> : null}
      {vaults.error !== null ? (
        <p role="alert" className="error">
          Could not read the factory: {explain(vaults.error)}
        </p>
      ) : null}
      {vaults.data !== undefined ? (
        <div className="scroll">
          <table className="list" data-testid="index-list">
            <thead>
              <tr>
                <th scope="col">Index</th>
                <th scope="col">NAV / share</th>
                <th scope="col">Index level</th>
                <th scope="col">TVL</th>
                <th scope="col">Constituents</th>
                <th scope="col">Fees (mint / burn / yearly)</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {vaults.data.map((v) => (
                <tr key={v.vault} data-vault={v.vault}>
                  <th scope="row">
                    <a href={`#/index/${v.vault}`}>{v.name}</a> <span className="muted">{v.symbol}</span>
                  </th>
                  <td data-label="NAV / share">{usd(v.navPerShare, 4)}</td>
                  <td data-label="Index level">{level(v.indexLevel)}</td>
                  <td data-label="TVL">{usd(v.nav)}</td>
                  <td data-label="Constituents">
                    {v.constituents.length <= 4 ? v.constituents.map((c) => c.symbol).join(", ") : `${v.constituents.slice(0, 3).map((c) => c.symbol).join(", ")} +${v.constituents.length - 3}`}
                  </td>
                  <td data-label="Fees">
                    {pct(v.fees.mintBps)} / {pct(v.fees.burnBps)} / {pct(v.fees.managementBpsPerYear)}
                  </td>
                  <td data-label="State">
                    <StateBadge state={vaultState(v)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {vaults.data?.length === 0 ? <p>The factory has created no index yet.</p> : null}
    </section>
  );
}
