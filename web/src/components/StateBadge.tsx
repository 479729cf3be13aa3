import type { VaultState } from "../lib/quote";

export function StateBadge({ state }: { state: VaultState }) {
  return (
    <span className={`badge state-${state.replace(" ", "-")}`} data-testid="state">
      {state}
    </span>
  );
}
