/**
 * The IndexVault binding: every vault- and factory-specific read and call, on the generated ABIs.
 *
 * PENDING: the vault's rebalancing interface (drift views, threshold, cooldown,
 * checkUpkeep/performUpkeep) and the factory's registry are not in the generated ABIs yet. Until
 * they are, this binding refuses to start rather than guess an ABI.
 */
import type { VaultBinding } from "./adapter.js";

const PENDING = "IndexVault binding pending: the vault's rebalancing ABI is not generated yet";

export const indexVaultBinding: VaultBinding = {
  errorsAbi: [],
  listVaults: () => Promise.reject(new Error(PENDING)),
  read: () => Promise.reject(new Error(PENDING)),
  prepare: () => Promise.reject(new Error(PENDING)),
};
