// The web app in a real browser: Debian's Chromium driven by playwright-core against the suite's local chain (real
// Uniswap V3 market, the protocol and example indexes deployed by the hardhat-deploy scripts). The page gets an
// injected EIP-1193 wallet that forwards JSON-RPC to anvil, whose unlocked account signs; the test can make it reject
// the next signature or sit on the wrong chain. Every assertion is on what the page shows, checked against reads of
// the chain. The batch flows (ERC-7540: request, settle once the keeper's window passed, claim; request and cancel) and
// a deferred in-kind transfer (WBTC made to refuse transfers to the user with anvil_setCode, then restored) run on the
// same chain and page. Screenshots of the main screens go to E2E_SCREENSHOTS_DIR (default cache/web-e2e/screenshots).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { erc20Abi, parseEventLogs, type Address, type Hash, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployProtocol, type DeployedProtocol } from "../../cli/testing";
import { batchAbi, batchOf, deposit, quoteDeposit, readVaultStatus, vaultAbi, withSlippage } from "../../sdk/client";
import { repoRoot } from "../../sdk/local/paths";
import { useLocalChain } from "../../sdk/local/testing";
import { fmtUnits, level, pct, short, usd } from "../src/lib/format";
import { planDeposit } from "../src/lib/quote";
import { serveApp, type ServedApp } from "../scripts/serve";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** anvil account the page's wallet uses (0 deploys and guards, 1 keeps, 9 takes fees). */
const USER = 7;
/** anvil account that makes some history before the browser opens. */
const OTHER = 8;
/** anvil account offered as the local development wallet. */
const DEV = 6;
const UI_TIMEOUT = 20_000;

const local = useLocalChain();
let deployed: DeployedProtocol;
let app: ServedApp;
let context: BrowserContext;
let page: Page;
let profileDir: string;
let vault: Address;
let batch: Address;
let user: Address;
const shots = process.env.E2E_SCREENSHOTS_DIR ?? join(repoRoot(), "cache", "web-e2e", "screenshots");

/** The wallet injected into the page: anvil's unlocked account, with switches for the error cases. */
function injectedWallet({ rpcUrl, account }: { rpcUrl: string; account: string }): void {
  const w = window as unknown as Record<string, unknown>;
  const state = { chainId: "0x7a69", rejectNext: false, authorized: false, delayNextCallSeconds: 0 };
  const listeners: Record<string, ((...a: unknown[]) => void)[]> = {};
  const emit = (event: string, ...args: unknown[]): void => (listeners[event] ?? []).forEach((f) => f(...args));
  let id = 0;
  const rpc = async (method: string, params: unknown[]): Promise<unknown> => {
    const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }) });
    const json = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (json.error !== undefined) throw Object.assign(new Error(json.error.message), json.error);
    return json.result;
  };
  w.__e2eWallet = {
    state,
    setChain(chainId: string) {
      state.chainId = chainId;
      emit("chainChanged", chainId);
    },
  };
  w.ethereum = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      switch (method) {
        case "eth_requestAccounts":
          state.authorized = true;
          return [account];
        case "eth_accounts":
          return state.authorized ? [account] : [];
        case "eth_chainId":
          return state.chainId;
        case "wallet_requestPermissions":
        case "wallet_getPermissions":
          return [{ parentCapability: "eth_accounts" }];
        case "wallet_revokePermissions":
          state.authorized = false;
          return null;
        case "wallet_switchEthereumChain": {
          const next = (params?.[0] as { chainId: string }).chainId;
          state.chainId = next;
          emit("chainChanged", next);
          return null;
        }
        case "eth_sendTransaction": {
          if (state.rejectNext) {
            state.rejectNext = false;
            throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          }
          // A user who leaves the signature open: time passes on the chain before a (non-approve) call is sent.
          const data = (params?.[0] as { data?: string } | undefined)?.data ?? "";
          if (state.delayNextCallSeconds > 0 && !data.startsWith("0x095ea7b3")) {
            await rpc("evm_increaseTime", [state.delayNextCallSeconds]);
            await rpc("evm_mine", []);
            state.delayNextCallSeconds = 0;
          }
        }
      }
      return rpc(method, params ?? []);
    },
    on(event: string, f: (...a: unknown[]) => void) {
      (listeners[event] ??= []).push(f);
    },
    removeListener(event: string, f: (...a: unknown[]) => void) {
      listeners[event] = (listeners[event] ?? []).filter((g) => g !== f);
    },
  };
}

/**
 * Runtime code for a token address that blocks transfers to `blocked` (like a stablecoin's blocklist) and otherwise
 * runs the token's own code (`impl`, the original runtime placed elsewhere) by DELEGATECALL on its own storage:
 *   if (selector == transfer && to == blocked) revert; else delegatecall(impl) and bubble the result.
 */
function blockingTokenCode(impl: Address, blocked: Address): Hex {
  const a = (x: Address): string => x.slice(2).toLowerCase();
  const body = `600035 60e01c 63a9059cbb 14 600435 73${a(blocked)} 14 16 61RRRR 57 36 6000 6000 37 6000 6000 36 6000 73${a(impl)} 5a f4 3d 6000 6000 3e 61OOOO 57 3d 6000 fd`.replace(/ /g, "");
  const ok = body.length / 2; // JUMPDEST RETURNDATASIZE PUSH1 0 RETURN (5 bytes), then JUMPDEST PUSH1 0 DUP1 REVERT
  const hex2 = (n: number): string => n.toString(16).padStart(4, "0");
  return `0x${body.replace("OOOO", hex2(ok)).replace("RRRR", hex2(ok + 5))}5b3d6000f35b600080fd`;
}

async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  return local.chain.publicClient.request({ method: method as never, params: params as never }) as Promise<T>;
}

async function send(hash: Hash): Promise<void> {
  const receipt = await local.chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${hash} reverted`);
}

async function shot(name: string, testid?: string): Promise<void> {
  if (testid === undefined) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  else await page.getByTestId(testid).screenshot({ path: join(shots, `${name}.png`) });
}

const testId = (id: string) => page.getByTestId(id);
/** expect.poll with the UI's patience (vitest's default is 1 s; a loaded 2-core machine needs more). */
const poll = <T,>(fn: () => Promise<T>, options: { timeout?: number } = {}) => expect.poll(fn, { timeout: options.timeout ?? UI_TIMEOUT, interval: 100 });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  const chain = local.chain;
  deployed = await deployProtocol(chain);
  const market = chain.market;
  vault = deployed.deployments.records.get("Index_btc-eth")!.address;
  user = chain.accounts[USER]!.address;
  // Some history: another wallet deposits, the market moves, it deposits again.
  const other = chain.walletClients[OTHER]!;
  await chain.mintTo(market.usdt, other.account.address, 20_000_000_000n);
  for (const assets of [5_000_000_000n, 3_000_000_000n]) {
    const status = await readVaultStatus(chain.publicClient, vault);
    const q = await quoteDeposit(chain.publicClient, status, market.quoterV2, assets);
    const deadline = (await chain.publicClient.getBlock()).timestamp + 600n;
    await deposit(chain.publicClient, other, status, { assets, minShares: withSlippage(q.expectedShares, 100), deadline });
    const first = market.constituents[0]!;
    const [, answer] = await chain.contracts.feedOf(first.address).read.latestRoundData();
    await chain.setMarketPrice(first.address, (answer * 103n) / 100n);
  }
  await chain.mintTo(market.usdt, user, 5_000_000_000n);

  const batchFactory = deployed.deployments.records.get("IndexBatchFactory")!.address;
  batch = (await batchOf(chain.publicClient, batchFactory, vault))!;
  app = await serveApp({ rpcUrl: chain.rpcUrl, chainId: chain.chain.id, factory: deployed.deployments.records.get("IndexFactory")!.address, quoter: market.quoterV2, batchFactory, devWallet: chain.accounts[DEV]!.address });
  mkdirSync(shots, { recursive: true });
  mkdirSync(join(repoRoot(), "cache", "web-e2e"), { recursive: true });
  profileDir = mkdtempSync(join(repoRoot(), "cache", "web-e2e", "profile-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  await context.addInitScript(injectedWallet, { rpcUrl: chain.rpcUrl, account: user });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(UI_TIMEOUT);
}, 300_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
  deployed?.cleanup();
  if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
});

describe("web app in Chromium", { timeout: 180_000 }, () => {
  it("test_list_showsEveryFactoryVaultWithOnChainNumbers", async () => {
    // The first load compiles the app (Vite's dependency pre-bundling): give it time on a busy machine.
    await page.goto(app.url, { timeout: 120_000 });
    const rows = page.locator("[data-testid=index-list] tbody tr");
    await poll(() => rows.count(), { timeout: 90_000 }).toBe(3);
    const status = await readVaultStatus(local.chain.publicClient, vault);
    const row = page.locator(`tr[data-vault="${vault}"]`);
    await poll(() => row.textContent()).toContain(status.name);
    const text = (await row.textContent()) ?? "";
    expect(text).toContain(usd(status.navPerShare, 4));
    expect(text).toContain(level(status.indexLevel));
    expect(text).toContain(usd(status.nav));
    expect(text).toContain("WBTC, WETH");
    expect(text.toLowerCase()).toContain("open");
    // Read-only: no account is connected and the wallet offers to connect.
    await poll(() => page.getByRole("button", { name: "Connect Browser wallet" }).isVisible()).toBe(true);
    await shot("01-indexes");
  });

  it("test_indexPage_basketChartRebalanceFeesRoles", async () => {
    await page.getByRole("link", { name: "BTC/ETH Index" }).click();
    await poll(() => testId("nav-per-share").textContent()).not.toBeNull();
    const status = await readVaultStatus(local.chain.publicClient, vault);
    expect(await testId("nav-per-share").textContent()).toBe(usd(status.navPerShare, 4));
    expect(await testId("index-level").textContent()).toBe(level(status.indexLevel));
    const basket = (await testId("basket").textContent()) ?? "";
    for (const c of status.constituents) expect(basket).toContain(c.symbol);
    expect(basket).toContain("USDT → ");
    await poll(() => page.locator("figure.chart svg").count()).toBe(2);
    expect(await page.getByRole("meter").count()).toBe(status.constituents.length);
    expect(await testId("fees").textContent()).toContain("guardian");
    expect(await testId("rebalance").textContent()).toContain(`${pct(status.rebalance!.thresholdBps)} largest drift`);
    // The deposit form is there but asks for a wallet.
    expect(await page.getByRole("button", { name: "Connect a wallet to deposit" }).isDisabled()).toBe(true);
    await shot("02-index");
  });

  it("test_wrongChain_thenSwitch", async () => {
    await page.evaluate(() => (window as unknown as { __e2eWallet: { setChain(c: string): void } }).__e2eWallet.setChain("0x1"));
    await page.getByRole("button", { name: "Connect Browser wallet" }).click();
    await poll(() => testId("account").textContent()).toBe(short(user));
    await poll(() => testId("wrong-chain").textContent()).toContain("Wrong network: your wallet is on chain 1");
    expect(await page.getByRole("button", { name: "Switch network to deposit" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Switch network", exact: true }).click();
    await poll(() => testId("wrong-chain").count()).toBe(0);
  });

  it("test_quote_matchesTheClientsQuoteAndTooLittleBalanceIsSaid", async () => {
    const amount = page.getByLabel("Deposit amount (USDT)");
    await amount.fill("9000");
    await poll(() => testId("deposit-blocker").textContent()).toBe("Your balance is too low: you hold 5,000 USDT and the deposit needs 9,000 USDT.");
    await amount.fill("1000");
    await poll(() => testId("deposit-blocker").count()).toBe(0);
    await poll(() => testId("min-shares").textContent()).toMatch(/shares$/);
    const status = await readVaultStatus(local.chain.publicClient, vault);
    const q = await quoteDeposit(local.chain.publicClient, status, local.chain.market.quoterV2, 1_000_000_000n);
    expect(await testId("expected-shares").textContent()).toBe(`${fmtUnits(q.expectedShares, 18, 4)} shares`);
    expect(await testId("min-shares").textContent()).toBe(`${fmtUnits(planDeposit(q, 50).minShares, 18, 4)} shares`);
    expect(await testId("mint-fee").textContent()).toBe(usd(q.mintFee));
    expect(await testId("deposit-wallet").textContent()).toContain("an approval of exactly 1,000 USDT comes first");
    // Keyboard: the amount field is reachable with Tab from the top of the page.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.getAttribute("inputmode") === "decimal" && document.activeElement.id.endsWith("-amount"));
    }
    expect(reached).toBe(true);
  });

  it("test_rejectedSignature_isSaidAndNothingIsSent", async () => {
    await page.evaluate(() => ((window as unknown as { __e2eWallet: { state: { rejectNext: boolean } } }).__e2eWallet.state.rejectNext = true));
    await page.getByRole("button", { name: "Approve and deposit" }).click();
    await poll(() => testId("deposit-error").textContent()).toBe("You rejected the request in your wallet: nothing was sent.");
    expect(await page.locator("[data-step=approve]").getAttribute("data-state")).toBe("failed");
    const allowance = await local.chain.publicClient.readContract({ address: local.chain.market.usdt, abi: erc20Abi, functionName: "allowance", args: [user, vault] });
    expect(allowance).toBe(0n);
  });

  it("test_vaultRule_isRefusedInPlainWordsBeforeSigning", async () => {
    await page.getByLabel("Deposit amount (USDT)").fill("5");
    await poll(() => testId("quote-error").textContent()).toBe("Could not quote: Deposit of 5 USDT is below the vault's minimum of 10 USDT.");
    expect(await page.getByRole("button", { name: "Approve and deposit" }).isDisabled()).toBe(true);
  });

  it("test_approveAndDeposit_receiptMatchesTheChain", async () => {
    await page.getByLabel("Deposit amount (USDT)").fill("1000");
    await poll(() => testId("min-shares").textContent()).toMatch(/shares$/);
    await poll(() => page.getByRole("button", { name: "Approve and deposit" }).isEnabled()).toBe(true);
    await page.getByRole("button", { name: "Approve and deposit" }).click();
    await poll(() => testId("deposit-receipt").count(), { timeout: 45_000 }).toBe(1);
    for (const step of ["check", "approve", "deposit"]) expect(await page.locator(`[data-step=${step}]`).getAttribute("data-state")).toBe("done");
    const hash = ((await testId("receipt-hash").textContent()) ?? "").split(" ")[0] as Hash;
    const receipt = await local.chain.publicClient.getTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: vaultAbi, eventName: "Deposited", logs: receipt.logs });
    expect(event?.args.receiver).toBe(user);
    expect(await testId("receipt-assets").textContent()).toBe(`${fmtUnits(event!.args.assets, 6, 6)} USDT`);
    expect(await testId("receipt-shares").textContent()).toBe(fmtUnits(event!.args.shares, 18, 18));
    expect(await testId("receipt-value").textContent()).toBe(`${fmtUnits(event!.args.valueIn, 6, 6)} USDT`);
    const balance = await local.chain.publicClient.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] });
    expect(balance).toBe(event!.args.shares);
    await poll(() => testId("position-shares").textContent()).toBe(fmtUnits(balance, 18, 6));
    await poll(() => page.locator("[data-testid=activity] tbody tr").count()).toBe(1);
    // The exact approval was used up.
    const allowance = await local.chain.publicClient.readContract({ address: local.chain.market.usdt, abi: erc20Abi, functionName: "allowance", args: [user, vault] });
    expect(allowance).toBe(0n);
    await shot("03-deposit-receipt");
  });

  it("test_minedRevert_deadlinePassedWhileSigning_isDecoded", async () => {
    const usdtBefore = await local.chain.publicClient.readContract({ address: local.chain.market.usdt, abi: erc20Abi, functionName: "balanceOf", args: [user] });
    await page.getByLabel("Deposit amount (USDT)").fill("1000");
    await poll(() => page.getByRole("button", { name: "Approve and deposit" }).isEnabled()).toBe(true);
    // The deposit is signed 25 minutes later: past its 20-minute deadline, so the vault reverts it on chain.
    await page.evaluate(() => ((window as unknown as { __e2eWallet: { state: { delayNextCallSeconds: number } } }).__e2eWallet.state.delayNextCallSeconds = 25 * 60));
    await page.getByRole("button", { name: "Approve and deposit" }).click();
    await poll(() => testId("deposit-error").textContent(), { timeout: 45_000 }).toMatch(/reverted .*: the transaction arrived after its deadline/);
    expect(await page.locator("[data-step=approve]").getAttribute("data-state")).toBe("done");
    expect(await page.locator("[data-step=deposit]").getAttribute("data-state")).toBe("failed");
    const usdtAfter = await local.chain.publicClient.readContract({ address: local.chain.market.usdt, abi: erc20Abi, functionName: "balanceOf", args: [user] });
    expect(usdtAfter).toBe(usdtBefore);
  });

  it("test_redeemToUsdt_receiptMatchesTheChain", async () => {
    const before = await local.chain.publicClient.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] });
    const half = before / 2n;
    await page.getByLabel("Shares to redeem").fill(fmtUnits(half, 18, 18).replace(/,/g, ""));
    await poll(() => testId("min-assets").textContent()).toMatch(/^\$/);
    await page.getByRole("button", { name: "Redeem to USDT" }).click();
    await poll(() => testId("redeem-receipt").count(), { timeout: 45_000 }).toBe(1);
    const events = await local.chain.publicClient.getContractEvents({ address: vault, abi: vaultAbi, eventName: "Redeemed", args: { owner: user }, fromBlock: 0n });
    expect(events).toHaveLength(1);
    expect(events[0]!.args.shares).toBe(half);
    expect(await testId("redeem-receipt-assets").textContent()).toBe(`${fmtUnits(events[0]!.args.assets!, 6, 6)} USDT`);
    await poll(() => testId("position-shares").textContent()).toBe(fmtUnits(before - half, 18, 6));
  });

  it("test_redeemInKind_whileUsdtRedeemsArePaused", async () => {
    const guardian = local.chain.walletClients[0]!;
    const hash = await guardian.writeContract({ address: vault, abi: vaultAbi, functionName: "pause", args: [4] });
    await local.chain.publicClient.waitForTransactionReceipt({ hash });
    await poll(() => testId("redeem-closed").textContent(), { timeout: UI_TIMEOUT }).toContain("USDT redemptions are paused by the vault's guardian.");
    await page.getByRole("button", { name: "Max" }).click();
    await poll(() => testId("in-kind-preview").textContent()).toContain("WBTC");
    expect(await page.getByRole("button", { name: "Redeem to USDT" }).isDisabled()).toBe(true);
    expect(await testId("min-assets").count()).toBe(0); // no USDT bound offered while the path is closed
    await shot("04-redeem-paused");
    await page.getByRole("button", { name: "Redeem in kind" }).click();
    await poll(() => testId("inkind-receipt").count(), { timeout: 45_000 }).toBe(1);
    const [event] = await local.chain.publicClient.getContractEvents({ address: vault, abi: vaultAbi, eventName: "RedeemedInKind", args: { owner: user }, fromBlock: 0n });
    const status = await readVaultStatus(local.chain.publicClient, vault);
    const expected = status.constituents
      .map((c, i) => ({ a: event!.args.amounts![i]!, c }))
      .filter((x) => x.a > 0n)
      .map((x) => `${fmtUnits(x.a, x.c.decimals, x.c.decimals)} ${x.c.symbol}`);
    const shown = (await testId("inkind-receipt-amounts").textContent()) ?? "";
    for (const part of expected) expect(shown).toContain(part);
    await poll(() => testId("position-shares").textContent()).toBe("0");
    await poll(() => page.locator("[data-testid=activity] tbody tr").count()).toBe(3);
    await shot("05-position");
  });

  it("test_batch_requestDeposit_pendingShown_settle_claimShares", async () => {
    const chain = local.chain;
    const read = chain.publicClient;
    // The previous test left USDT redemptions paused: the guardian reopens them.
    await send(await chain.walletClients[0]!.writeContract({ address: vault, abi: vaultAbi, functionName: "unpause", args: [4] }));
    await poll(() => testId("batch-pitch").textContent()).toContain("one set of swaps serves every user");
    await poll(() => testId("batch-mine-none").count()).toBe(1);
    await page.getByLabel("Request deposit (USDT)").fill("5");
    await poll(() => testId("batch-deposit-blocker").textContent()).toBe("The batch's smallest deposit request is 10 USDT (a bound against spam).");
    await page.getByLabel("Request deposit (USDT)").fill("500");
    await page.getByRole("button", { name: "Approve and request deposit" }).click();
    await poll(() => testId("batch-my-deposit").textContent(), { timeout: 45_000 }).toContain("500 USDT");
    for (const step of ["approve", "request deposit"]) expect(await testId("batch").locator(`[data-step="${step}"]`).getAttribute("data-state")).toBe("done");
    const status = await read.readContract({ address: batch, abi: batchAbi, functionName: "epochStatus" });
    expect(await read.readContract({ address: batch, abi: batchAbi, functionName: "pendingDepositRequest", args: [status.epoch, user] })).toBe(500_000_000n);
    expect(await read.readContract({ address: chain.market.usdt, abi: erc20Abi, functionName: "allowance", args: [user, batch] })).toBe(0n); // the exact approval was used up
    await poll(() => testId("batch-pending-assets").textContent()).toBe(`${fmtUnits(status.pendingAssets, 6, 6)} USDT`);
    expect(await testId("batch-preview").textContent()).toBe("One vault deposit of $500 (one set of swaps) mints the shares every depositor shares pro rata.");
    expect(await testId("batch-timing").textContent()).toMatch(/^Oldest request [0-9a-z ]+ old of a 1 d maximum wait/);
    // Not the keeper: the page says when anyone may settle and does not offer it before.
    expect(await testId("batch-settle-access").textContent()).toMatch(/^Only the keeper may settle now; anyone may in (2 d|1 d 23 h)\.$/);
    expect(await page.getByRole("button", { name: "Settle now" }).isDisabled()).toBe(true);
    await shot("07-batch", "batch");

    // The keeper lets its window pass (max wait + grace); the oracles keep reporting.
    const now = (await read.getBlock()).timestamp;
    await rpc("evm_increaseTime", [Number(status.permissionlessAt - now + 1n)]);
    await rpc("evm_mine", []);
    const vs = await readVaultStatus(read, vault).catch(() => undefined);
    for (const token of [...(vs?.constituents.map((c) => c.token) ?? chain.market.constituents.map((c) => c.address)), chain.market.usdt]) {
      const feed = chain.contracts.feedOf(token);
      const [, answer] = await feed.read.latestRoundData();
      await send(await feed.write.setPrice([answer]));
    }
    await poll(() => testId("batch-settle-access").textContent()).toBe("The keeper's window is over: anyone may settle now, you included.");
    await page.getByRole("button", { name: "Settle now" }).click();
    await poll(() => testId("batch-result").textContent(), { timeout: 45_000 }).toMatch(/^Settled epoch \d+: \$500 deposited in the vault/);
    const claimable = await read.readContract({ address: batch, abi: batchAbi, functionName: "maxMint", args: [user] });
    expect(claimable).toBeGreaterThan(0n);
    await poll(() => testId("batch-my-claimable").textContent()).toBe(`Settled, yours to claim: ${fmtUnits(claimable, 18, 6)} shares (for 500 USDT)`);
    const before = await read.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] });
    await page.getByRole("button", { name: "Claim", exact: true }).click();
    await poll(() => testId("batch-result").textContent(), { timeout: 45_000 }).toBe(`Claimed ${fmtUnits(claimable, 18, 6)} shares.`);
    const after = await read.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] });
    expect(after - before).toBe(claimable);
    await poll(() => testId("position-shares").textContent()).toBe(fmtUnits(after, 18, 6));
    await poll(() => testId("batch-mine-none").count()).toBe(1);
  });

  it("test_batch_requestRedeem_thenCancel_returnsExactlyTheShares", async () => {
    const read = local.chain.publicClient;
    const before = await read.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] });
    const half = before / 2n;
    await page.getByLabel("Request redeem (shares)").fill(fmtUnits(half, 18, 18).replace(/,/g, ""));
    await page.getByRole("button", { name: "Approve and request redeem" }).click();
    await poll(() => testId("batch-my-redeem").textContent(), { timeout: 45_000 }).toContain(`${fmtUnits(half, 18, 6)} shares`);
    const { epoch } = await read.readContract({ address: batch, abi: batchAbi, functionName: "epochStatus" });
    expect(await read.readContract({ address: batch, abi: batchAbi, functionName: "pendingRedeemRequest", args: [epoch, user] })).toBe(half);
    expect(await read.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] })).toBe(before - half);
    await poll(() => testId("batch-pending-shares").textContent()).toMatch(new RegExp(`^${fmtUnits(half, 18, 6).replace(/\./g, "\\.")} shares \\(\\$`));
    await poll(() => testId("batch-preview").textContent()).toMatch(/^One vault redemption of/);
    await page.getByRole("button", { name: "Cancel redeem request" }).click();
    await poll(() => testId("batch-result").textContent(), { timeout: 45_000 }).toBe(`Cancelled: ${fmtUnits(half, 18, 6)} shares are back in your wallet.`);
    expect(await read.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] })).toBe(before);
    expect(await read.readContract({ address: batch, abi: batchAbi, functionName: "pendingRedeemRequest", args: [epoch, user] })).toBe(0n);
    await poll(() => testId("batch-mine-none").count()).toBe(1);
  });

  it("test_setAside_inKindTransferBlocked_shownThenClaimed", async () => {
    const chain = local.chain;
    const read = chain.publicClient;
    const status = await readVaultStatus(read, vault);
    const wbtc = status.constituents.find((c) => c.symbol === "WBTC")!;
    // WBTC starts refusing transfers to the user (a blocklisting token); its own code keeps running for everything else.
    const original = (await read.getCode({ address: wbtc.token }))!;
    const impl: Address = "0x00000000000000000000000000000000b10c0001";
    await rpc("anvil_setCode", [impl, original]);
    await rpc("anvil_setCode", [wbtc.token, blockingTokenCode(impl, user)]);
    try {
      const shares = await read.readContract({ address: vault, abi: vaultAbi, functionName: "balanceOf", args: [user] });
      await page.getByLabel("Shares to redeem").fill(fmtUnits(shares / 4n, 18, 18).replace(/,/g, ""));
      await poll(() => testId("in-kind-preview").textContent()).toContain("WBTC");
      await page.getByRole("button", { name: "Redeem in kind" }).click();
      const deferredEvents = () => read.getContractEvents({ address: vault, abi: vaultAbi, eventName: "TransferDeferred", args: { receiver: user }, fromBlock: 0n });
      await poll(async () => (await deferredEvents()).length, { timeout: 45_000 }).toBe(1);
      const [deferred] = await read.getContractEvents({ address: vault, abi: vaultAbi, eventName: "TransferDeferred", args: { receiver: user }, fromBlock: 0n });
      expect(deferred?.args.token).toBe(wbtc.token);
      const owed = await read.readContract({ address: vault, abi: vaultAbi, functionName: "claimable", args: [user, wbtc.token] });
      expect(owed).toBe(deferred!.args.amount);
      await poll(() => testId("set-aside-WBTC").textContent()).toContain(`${fmtUnits(owed, 8, 8)} WBTC`);
      // The in-kind receipt tells what reached the wallet and what was set aside.
      await poll(() => testId("inkind-receipt-set-aside").textContent()).toMatch(new RegExp(`^${fmtUnits(owed, 8, 8).replace(/\./g, "\\.")} WBTC: the token refused the transfer`));
      expect(await testId("inkind-receipt-amounts").textContent()).not.toContain("WBTC");
      // Claiming while the token still blocks the user fails and says why; nothing moves.
      await page.getByRole("button", { name: "Claim WBTC" }).click();
      await poll(() => testId("set-aside-error").textContent(), { timeout: 45_000 }).toMatch(/^Could not claim WBTC: .+ It stays set aside for you; try again once the token lets you receive it\.$/);
      expect(await read.readContract({ address: vault, abi: vaultAbi, functionName: "claimable", args: [user, wbtc.token] })).toBe(owed);
      await shot("08-set-aside", "position");
    } finally {
      await rpc("anvil_setCode", [wbtc.token, original]);
    }
    const owed = await read.readContract({ address: vault, abi: vaultAbi, functionName: "claimable", args: [user, wbtc.token] });
    const before = await read.readContract({ address: wbtc.token, abi: erc20Abi, functionName: "balanceOf", args: [user] });
    await page.getByRole("button", { name: "Claim WBTC" }).click();
    await poll(() => testId("set-aside-result").textContent(), { timeout: 45_000 }).toMatch(new RegExp(`^Claimed ${fmtUnits(owed, 8, 8).replace(/\./g, "\\.")} WBTC \\(tx `));
    expect(await read.readContract({ address: wbtc.token, abi: erc20Abi, functionName: "balanceOf", args: [user] })).toBe(before + owed);
    expect(await read.readContract({ address: vault, abi: vaultAbi, functionName: "claimable", args: [user, wbtc.token] })).toBe(0n);
    await poll(() => page.locator("[data-testid^=set-aside-W]").count()).toBe(0);
  });

  it("test_devWallet_isClearlyMarked", async () => {
    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("button", { name: "Connect local development wallet" }).click();
    await poll(() => testId("account").textContent()).toBe(short(local.chain.accounts[DEV]!.address));
    expect(await page.getByText("LOCAL DEV WALLET").isVisible()).toBe(true);
  });

  it("test_phoneWidth_noSidewaysScroll", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload({ timeout: 60_000 });
    await poll(() => testId("nav-per-share").count()).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("06-index-phone");
  });
});
