// sdk/README.md's example, run against the local chain: a vault deployed through the factory, a USDT deposit quoted
// and sent with the client. Also checks the README shows exactly the example file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployVault } from "../../keeper/testing/deployVault";
import { quoteAndDeposit } from "../../sdk/examples/quoteAndDeposit";
import { shareBalance } from "../../sdk/client";
import { privateKeyOf } from "../../sdk/local/accounts";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";

const local = useLocalChain();

describe("sdk example", () => {
  it("test_readme_showsTheExampleFile", () => {
    const readme = readFileSync(join(repoRoot(), "sdk", "README.md"), "utf8");
    const example = readFileSync(join(repoRoot(), "sdk", "examples", "quoteAndDeposit.ts"), "utf8");
    expect(readme).toContain(example);
  });

  it("test_quoteAndDeposit_mintsAboutTheQuotedShares", async () => {
    const chain = local.chain;
    const { vault } = await deployVault(chain, { constituents: 2, keeper: chain.accounts[0]!.address });
    const account = chain.accounts[3]!;
    await chain.mintTo(chain.market.usdt, account.address, 5_000_000_000n);
    const { quote, result } = await quoteAndDeposit(chain.rpcUrl, vault, chain.market.quoterV2, privateKeyOf(account), 1_000_000_000n);
    expect(quote.legs).toHaveLength(2);
    for (const leg of quote.legs) expect(leg.impactBps).toBeGreaterThan(0); // at least the pool fee
    expect(result.shares).toBeGreaterThanOrEqual((quote.expectedShares * 9_950n) / 10_000n);
    expect(await shareBalance(chain.publicClient, vault, account.address)).toBe(result.shares);
  }, 120_000);
});
