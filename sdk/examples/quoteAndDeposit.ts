// Quote a USDT deposit along the vault's own routes, then deposit with a 0.5 % bound below the quote.
import { createPublicClient, createWalletClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { deposit, quoteDeposit, readVaultStatus, withSlippage } from "../client";

export async function quoteAndDeposit(rpcUrl: string, vault: Address, quoter: Address, privateKey: Hex, usdt: bigint) {
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const client = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 100 });
  const wallet = createWalletClient({ chain, transport: http(rpcUrl), account: privateKeyToAccount(privateKey) });

  const status = await readVaultStatus(client, vault); // NAV, weights, fees, feeds named by token
  const quote = await quoteDeposit(client, status, quoter, usdt); // QuoterV2 per leg, impact vs Chainlink
  const deadline = (await client.getBlock()).timestamp + 600n;
  const result = await deposit(client, wallet, status, { assets: usdt, minShares: withSlippage(quote.expectedShares, 50), deadline });
  return { quote, result }; // result.shares, result.gasUsed, result.hash …
}
