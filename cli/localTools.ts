// The CLI's local-chain tools (anvil/hardhat nodes only): keep feeds fresh, move a market, warp time, mint tokens.
//   prices refresh                       re-post every feed's current answer (stale feeds become fresh)
//   prices move <token> <pct>            e.g. `prices move WBTC 10`: pool and feed together, as arbitrage would;
//                                        --feed-only (pools lag) or --pool-only (the oracle lags)
//   time warp <s>                        advance the clock; feeds are re-posted after (--no-refresh keeps them stale)
//   faucet <token> [amount]              mint a mock token (USDT, WBTC, …) to your account (default: 1 unit, 10,000 USDT)
// The market comes from the chain's hardhat-deploy records (npm run chain / deploy:local write them).
import { parseArgs } from "node:util";
import { formatUnits } from "viem";
import { devAccounts } from "../sdk/local/accounts";
import { connectLocalChain } from "../sdk/local/localChain";
import { isDevNode, localToken, movePrice, refreshFeeds, warpTime, type MoveMode } from "../sdk/local/localTools";
import { repoRoot } from "../sdk/local/paths";
import { chainIdentity, deploymentsDirFor, readDeployments } from "./deployments";
import { parseAmount, table, toJson } from "./format";
import { rpcUrlOf, UsageError, type CliIo } from "./connect";

export const LOCAL_TOOLS_USAGE = `local chain tools (anvil; the chain from \`npm run chain\`)
  prices refresh                   re-post every feed's current price (stale feeds become fresh)
  prices move <token> <pct>        move a token's price, pool and feed together   [--feed-only | --pool-only]
  time warp <s>                    advance the chain's clock by s seconds (feeds re-posted after, unless --no-refresh)
  faucet <token> [amount]          mint a mock token (USDT, WBTC, WETH, …) to your account (default 1; USDT 10,000)`;

/** Whether `positionals` name a local tool (the CLI's own `faucet <usdt amount>` stays the CLI's). */
export function isLocalTool(positionals: readonly string[]): boolean {
  const [command, first] = positionals;
  if (command === "prices" || command === "time") return true;
  return command === "faucet" && first !== undefined && !/^[\d.,_]+$/.test(first);
}

/** Runs a local tool; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runLocalTool(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      // "-5" is a number here (prices move WETH -5), not an option.
      args: argv.map((a) => (/^-\d/.test(a) ? `neg:${a.slice(1)}` : a)),
      allowPositionals: true,
      allowNegative: false,
      options: {
        rpc: { type: "string" },
        deployments: { type: "string" },
        account: { type: "string" },
        "feed-only": { type: "boolean", default: false },
        "pool-only": { type: "boolean", default: false },
        "no-refresh": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        vault: { type: "string" },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${LOCAL_TOOLS_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const [command, sub, ...rest] = positionals;
  try {
    // Check the command before touching the node.
    const plan = ((): { kind: "refresh" } | { kind: "move"; token: string; pct: number; mode: MoveMode } | { kind: "warp"; seconds: number } | { kind: "faucet"; token: string; amount?: string } => {
      if (command === "prices" && sub === "refresh") return { kind: "refresh" };
      if (command === "prices" && sub === "move") {
        const [token, pctText] = rest;
        if (token === undefined || pctText === undefined) throw new UsageError("usage: prices move <token> <pct>, e.g. prices move WBTC -5");
        const pct = Number(pctText.startsWith("neg:") ? `-${pctText.slice(4)}` : pctText);
        if (!Number.isFinite(pct) || pct <= -100) throw new UsageError(`<pct> must be a number above -100, got "${pctText}"`);
        if (values["feed-only"] === true && values["pool-only"] === true) throw new UsageError("--feed-only and --pool-only exclude each other");
        return { kind: "move", token, pct, mode: values["feed-only"] === true ? "feed-only" : values["pool-only"] === true ? "pool-only" : "both" };
      }
      if (command === "time" && sub === "warp") {
        const seconds = Number(rest[0]);
        if (rest[0] === undefined || !Number.isInteger(seconds) || seconds <= 0) throw new UsageError(`usage: time warp <seconds> (a whole number above 0), got "${rest[0] ?? ""}"`);
        return { kind: "warp", seconds };
      }
      if (command === "faucet" && sub !== undefined) return { kind: "faucet", token: sub, ...(rest[0] === undefined ? {} : { amount: rest[0] }) };
      throw new UsageError(`unknown local tool "${positionals.join(" ")}"`);
    })();

    const rpcUrl = rpcUrlOf(values, io.env);
    const id = await chainIdentity(rpcUrl);
    if (!(await isDevNode(rpcUrl))) throw new Error(`${rpcUrl} is not a local development node (anvil): local tools only run there`);
    const deployments = readDeployments(values.deployments ?? deploymentsDirFor(repoRoot(), id));
    const market = deployments.localMarket;
    if (market === undefined) {
      throw new Error(`no local market recorded for this chain in ${deployments.dir}: start a chain with everything on it with \`npm run chain\` (or run \`npm run deploy:local\` against this node)`);
    }
    const chain = await connectLocalChain(rpcUrl, market);
    const out = (data: Record<string, unknown>, text: string): void => io.stdout(`${json ? toJson({ ok: true, ...data }) : text}\n`);

    if (plan.kind === "refresh") {
      const rows = await refreshFeeds(chain);
      out({ feeds: rows }, `feeds re-posted at the latest block:\n${table(["token", "price", "age before"], rows.map((r) => [r.symbol, `$${formatUnits(r.answer, 8)}`, `${r.ageBefore} s`]))}`);
    } else if (plan.kind === "move") {
      const r = await movePrice(chain, plan.token, plan.pct, plan.mode);
      const what = plan.mode === "both" ? `feed and ${r.pools.length} pool(s)` : plan.mode === "feed-only" ? "feed only (pools lag)" : `${r.pools.length} pool(s) only (the feed lags)`;
      out({ token: r.symbol, mode: plan.mode, before: r.before, after: r.after, pools: r.pools }, `${r.symbol}: $${formatUnits(r.before, 8)} → $${formatUnits(r.after, 8)} (${plan.pct >= 0 ? "+" : ""}${plan.pct} %, ${what})`);
    } else if (plan.kind === "warp") {
      const timestamp = await warpTime(chain, plan.seconds);
      const refreshed = values["no-refresh"] === true ? [] : await refreshFeeds(chain);
      out(
        { seconds: plan.seconds, timestamp, feedsRefreshed: refreshed.length },
        `clock advanced ${plan.seconds} s: block time ${new Date(Number(timestamp) * 1000).toISOString()}${refreshed.length > 0 ? `; ${refreshed.length} feeds re-posted` : "; feeds left as they were (may be stale)"}`,
      );
    } else {
      const token = localToken(chain, plan.token);
      const accountIndex = values.account === undefined ? 0 : Number(values.account);
      const account = devAccounts()[accountIndex];
      if (account === undefined) throw new Error(`--account must be an anvil dev account index (0-9), got "${values.account}"`);
      const amount = parseAmount(plan.amount ?? (token.symbol === "USDT" ? "10000" : "1"), token.decimals, `${token.symbol} amount`);
      await chain.mintTo(token.address, account.address, amount);
      const balance = await chain.publicClient.readContract({ address: token.address, abi: chain.contracts.usdt.abi, functionName: "balanceOf", args: [account.address] });
      out(
        { token: token.symbol, account: account.address, minted: amount, balance },
        `minted ${formatUnits(amount, token.decimals)} ${token.symbol} to ${account.address}; balance ${formatUnits(balance, token.decimals)} ${token.symbol}`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${LOCAL_TOOLS_USAGE}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    if (json) io.stdout(`${toJson({ ok: false, error: { message } })}\n`);
    io.stderr(`error: ${message}\n`);
    return 1;
  }
}
