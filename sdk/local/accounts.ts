// anvil's funded development accounts, derived from its default mnemonic (nothing hand-copied).
import { toHex } from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";

/** anvil's (and hardhat's) public default test mnemonic. Never holds real funds. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
/** anvil funds this many accounts by default (10 000 ETH each). */
export const ANVIL_ACCOUNT_COUNT = 10;

const cache = new Map<string, HDAccount[]>();

/** The first `count` accounts of `mnemonic` (default: anvil's), derived once per process. */
export function devAccounts(mnemonic: string = ANVIL_MNEMONIC, count: number = ANVIL_ACCOUNT_COUNT): readonly HDAccount[] {
  let accounts = cache.get(mnemonic);
  if (accounts === undefined) {
    accounts = [];
    cache.set(mnemonic, accounts);
  }
  while (accounts.length < count) accounts.push(mnemonicToAccount(mnemonic, { addressIndex: accounts.length }));
  return accounts.slice(0, count);
}

/** Private key of an HD account, e.g. to pass to `forge script --private-key`. */
export function privateKeyOf(account: HDAccount): `0x${string}` {
  const key = account.getHdKey().privateKey;
  if (key === null) throw new Error(`no private key for ${account.address}`);
  return toHex(key);
}
