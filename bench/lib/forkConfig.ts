// config/mainnet.json (validated with zod) and whether the fork suites can run here. No generated-ABI import, so
// the skip check works before anything is built.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress } from "viem";
import { z } from "zod";
import { repoRoot } from "../../sdk/local/paths";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((a) => getAddress(a));

const ConstituentSchema = z.object({
  symbol: z.string().min(1),
  address,
  decimals: z.number().int().min(0).max(18),
  feed: address,
  heartbeat: z.number().int().positive(),
  route: z.array(z.string()).min(2),
  fees: z.array(z.number().int().positive()).min(1),
});

export const MainnetConfigSchema = z
  .object({
    chainId: z.literal(1),
    forkBlock: z.number().int().positive(),
    uniswapV3: z.object({ factory: address, swapRouter: address, quoterV2: address }),
    usdt: z.object({ symbol: z.literal("USDT"), address, decimals: z.literal(6), feed: address, heartbeat: z.number().int().positive() }),
    weth: address,
    constituents: z.array(ConstituentSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const symbols = new Set(["USDT", ...c.constituents.map((t) => t.symbol)]);
    c.constituents.forEach((t, i) => {
      if (t.route.length !== t.fees.length + 1) ctx.addIssue({ code: "custom", path: ["constituents", i], message: "route/fees lengths" });
      if (t.route[0] !== "USDT" || t.route[t.route.length - 1] !== t.symbol) {
        ctx.addIssue({ code: "custom", path: ["constituents", i], message: "route must run from USDT to the token" });
      }
      for (const s of t.route) if (!symbols.has(s)) ctx.addIssue({ code: "custom", path: ["constituents", i], message: `unknown symbol ${s}` });
    });
  });

export type MainnetConfig = z.infer<typeof MainnetConfigSchema>;

export function readMainnetConfig(file = join(repoRoot(), "config", "mainnet.json")): MainnetConfig {
  return MainnetConfigSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

/** Why the fork suite cannot run here, or undefined when it can. */
export function forkSkipReason(): string | undefined {
  if ((process.env.FORK_URL ?? "") === "") {
    return "FORK_URL is not set. Set it to an Ethereum mainnet archive RPC (state at config/mainnet.json forkBlock) to run the fork suite.";
  }
  return undefined;
}

