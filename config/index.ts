// Per-network deployment parameters: config/<network>.json validated with zod, then resolved against a market
// (the local market's address book, or the real addresses in the file) into the exact structs `createVault` takes.
// Used by the hardhat-deploy scripts (deploy/, loaded as CommonJS by ts-node) and by the demo and tests (ESM via
// tsx), so this module stays free of `import.meta` and of runtime imports from ESM-only files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, type Address } from "viem";
import { z } from "zod";
import type { LocalMarket } from "../sdk/local/localMarket";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "not an address")
  .transform((value) => getAddress(value));
const bps = z.number().int().min(0).max(10_000);
/** {s} a Chainlink heartbeat. */
const heartbeat = z.number().int().positive();
const uintString = z.string().regex(/^\d+$/, "an unsigned integer as a decimal string").transform((s) => BigInt(s));
const feeTier = z.union([z.literal(100), z.literal(500), z.literal(3000), z.literal(10000)]);

/** "deployer", "account:<n>" (the node's n-th unlocked account) or an address. */
const RoleSchema = z.union([z.literal("deployer"), z.string().regex(/^account:\d+$/), address]);
export type Role = z.infer<typeof RoleSchema>;

const ParamsSchema = z
  .object({
    /** {bps} of each deposit. */
    mintFeeBps: bps,
    /** {bps} of each redemption. */
    burnFeeBps: bps,
    /** {bps per year} */
    managementFeeBps: bps,
    /** {bps} every swap returns at least its Chainlink value less this. */
    maxSlippageBps: bps,
    /** {USDT units} smallest USDT deposit. */
    minDeposit: uintString,
  })
  .strict();
export type VaultDefaults = z.infer<typeof ParamsSchema>;

const IndexSchema = z
  .object({
    /** Stable key: the deployment is saved as `Index_<id>`. */
    id: z.string().regex(/^[a-z0-9-]+$/, "lowercase letters, digits and dashes"),
    name: z.string().min(1),
    symbol: z.string().min(1),
    constituents: z
      .array(z.object({ symbol: z.string().min(1), weightBps: bps.refine((w) => w > 0, "weight must be positive") }).strict())
      .min(1)
      .max(25),
    /** Per-index overrides of `defaults`. */
    params: ParamsSchema.partial().optional(),
  })
  .strict()
  .superRefine((index, ctx) => {
    const sum = index.constituents.reduce((s, c) => s + c.weightBps, 0);
    if (sum !== 10_000) ctx.addIssue({ code: "custom", path: ["constituents"], message: `weights sum to ${sum} bps, not 10000` });
    const symbols = new Set(index.constituents.map((c) => c.symbol));
    if (symbols.size !== index.constituents.length) ctx.addIssue({ code: "custom", path: ["constituents"], message: "a symbol is listed twice" });
  });
export type IndexDefinition = z.infer<typeof IndexSchema>;

/** A token of an external market (mainnet, a fork): its Chainlink feed and its buy route from USDT. */
const ExternalTokenSchema = z
  .object({
    address,
    decimals: z.number().int().min(0).max(18),
    /** Chainlink TOKEN/USD aggregator (proxy). */
    feed: address,
    heartbeat,
    /** Buy route by symbol, "USDT" first, this token last; selling reverses it. */
    route: z.object({ path: z.array(z.string()).min(2).max(4), fees: z.array(feeTier).min(1).max(3) }).strict(),
  })
  .passthrough();

const ExternalMarketSchema = z
  .object({
    kind: z.literal("external"),
    uniswapFactory: address,
    swapRouter: address,
    quoterV2: address,
    usdt: z.object({ address, decimals: z.literal(6), feed: address, heartbeat }).passthrough(),
    tokens: z.record(ExternalTokenSchema),
  })
  .passthrough();

const MarketSchema = z.discriminatedUnion("kind", [z.object({ kind: z.literal("local") }).strict(), ExternalMarketSchema]);

export const DeployConfigSchema = z
  .object({
    $comment: z.string().optional(),
    network: z.string().min(1),
    market: MarketSchema,
    roles: z.object({ admin: RoleSchema, manager: RoleSchema, guardian: RoleSchema, keeper: RoleSchema, feeRecipient: RoleSchema }).strict(),
    defaults: ParamsSchema,
    indexes: z.array(IndexSchema),
  })
  .passthrough()
  .superRefine((config, ctx) => {
    const ids = new Set(config.indexes.map((i) => i.id));
    if (ids.size !== config.indexes.length) ctx.addIssue({ code: "custom", path: ["indexes"], message: "duplicate index id" });
  });
export type DeployConfig = z.infer<typeof DeployConfigSchema>;

/** Which config file a chain uses: 31337 (anvil, hardhat) → local, 1 (mainnet or a mainnet fork) → mainnet. */
export function configNameForChain(chainId: number): string {
  if (chainId === 31337) return "local";
  if (chainId === 1) return "mainnet";
  throw new Error(`no deployment config for chain ${chainId}: add config/<name>.json and map it in config/index.ts`);
}

/**
 * The market file written by the benchmark engineer (config/mainnet.json): real addresses with routes as symbol lists.
 * Converted to `market: { kind: "external", ... }`.
 */
const BenchMarketSchema = z
  .object({
    uniswapV3: z.object({ factory: address, swapRouter: address, quoterV2: address }).passthrough(),
    usdt: z.object({ address, decimals: z.literal(6), feed: address, heartbeat }).passthrough(),
    constituents: z.array(
      z
        .object({ symbol: z.string(), address, decimals: z.number().int(), feed: address, heartbeat, route: z.array(z.string()).min(2), fees: z.array(feeTier).min(1) })
        .passthrough(),
    ),
  })
  .passthrough();

function fromBenchMarket(json: z.infer<typeof BenchMarketSchema>): z.input<typeof ExternalMarketSchema> {
  return {
    kind: "external",
    uniswapFactory: json.uniswapV3.factory,
    swapRouter: json.uniswapV3.swapRouter,
    quoterV2: json.uniswapV3.quoterV2,
    usdt: { address: json.usdt.address, decimals: 6, feed: json.usdt.feed, heartbeat: json.usdt.heartbeat },
    tokens: Object.fromEntries(
      json.constituents.map((c) => [c.symbol, { address: c.address, decimals: c.decimals, feed: c.feed, heartbeat: c.heartbeat, route: { path: c.route, fees: c.fees } }]),
    ),
  };
}

/**
 * Loads and validates a deployment config. `DEPLOY_CONFIG=<file>` overrides the choice by chain id.
 * A file that only describes a market (config/mainnet.json, shared with the benchmarks) takes its deployment
 * parameters (roles, defaults, indexes) from the sibling `<name>.indexes.json`.
 * @param root The repository root (config/ lives there).
 */
export function loadDeployConfig(root: string, chainId: number, file: string | undefined = process.env.DEPLOY_CONFIG): DeployConfig {
  const path = file !== undefined && file !== "" ? file : join(root, "config", `${configNameForChain(chainId)}.json`);
  let json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const bench = json.market === undefined ? BenchMarketSchema.safeParse(json) : undefined;
  if (bench?.success === true) json = { $comment: json.$comment, network: json.network ?? "mainnet", market: fromBenchMarket(bench.data) };
  if (json.indexes === undefined) {
    const paramsPath = path.replace(/\.json$/, ".indexes.json");
    json = { ...(JSON.parse(readFileSync(paramsPath, "utf8")) as Record<string, unknown>), ...json };
  }
  const result = DeployConfigSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`invalid deployment config ${path}:\n  - ${issues.join("\n  - ")}`);
  }
  return result.data;
}

/** A constituent token of the resolved market. */
export interface MarketToken {
  symbol: string;
  address: Address;
  decimals: number;
  feed: Address;
  /** {s} */
  heartbeat: number;
  /** Buy route, USDT first. */
  path: Address[];
  /** {hundredths of a bip} fee tier per hop. */
  fees: number[];
}

/** The addresses a deployment needs, whatever the market's origin. */
export interface ResolvedMarket {
  uniswapFactory: Address;
  swapRouter: Address;
  quoterV2: Address;
  usdt: Address;
  usdtFeed: Address;
  /** {s} */
  usdtHeartbeat: number;
  tokens: Map<string, MarketToken>;
}

/** The market of a config: from the local market's address book (kind "local") or from the file itself. */
export function resolveMarket(config: DeployConfig, localMarket?: LocalMarket): ResolvedMarket {
  if (config.market.kind === "local") {
    if (localMarket === undefined) throw new Error("config market is local: the local market's address book is needed");
    const tokens = new Map<string, MarketToken>();
    for (const c of localMarket.constituents) {
      tokens.set(c.symbol, {
        symbol: c.symbol,
        address: c.address,
        decimals: c.decimals,
        feed: c.feed,
        heartbeat: c.heartbeat,
        path: [...c.buyRouteTokens],
        fees: [...c.buyRouteFees],
      });
    }
    return {
      uniswapFactory: localMarket.uniswapFactory,
      swapRouter: localMarket.swapRouter,
      quoterV2: localMarket.quoterV2,
      usdt: localMarket.usdt,
      usdtFeed: localMarket.usdtFeed,
      usdtHeartbeat: localMarket.usdtHeartbeat,
      tokens,
    };
  }
  const m = config.market;
  const bySymbol = (symbol: string): Address => {
    if (symbol === "USDT") return m.usdt.address;
    const t = m.tokens[symbol];
    if (t === undefined) throw new Error(`route names unknown token ${symbol}`);
    return t.address;
  };
  const tokens = new Map<string, MarketToken>();
  for (const [symbol, t] of Object.entries(m.tokens)) {
    if (t.route.path[0] !== "USDT" || t.route.path[t.route.path.length - 1] !== symbol) {
      throw new Error(`${symbol}: route must run from USDT to ${symbol}`);
    }
    if (t.route.fees.length !== t.route.path.length - 1) throw new Error(`${symbol}: one fee tier per hop`);
    tokens.set(symbol, {
      symbol,
      address: t.address,
      decimals: t.decimals,
      feed: t.feed,
      heartbeat: t.heartbeat,
      path: t.route.path.map(bySymbol),
      fees: [...t.route.fees],
    });
  }
  return {
    uniswapFactory: m.uniswapFactory,
    swapRouter: m.swapRouter,
    quoterV2: m.quoterV2,
    usdt: m.usdt.address,
    usdtFeed: m.usdt.feed,
    usdtHeartbeat: m.usdt.heartbeat,
    tokens,
  };
}

/** `ConstituentParams` of IIndexVault.sol, in the index's order. */
export interface ConstituentParamsValue {
  token: Address;
  targetWeightBps: number;
  feed: Address;
  heartbeat: number;
  path: Address[];
  fees: number[];
}

/** The basket of an index definition over a resolved market. */
export function constituentParams(index: IndexDefinition, market: ResolvedMarket): ConstituentParamsValue[] {
  return index.constituents.map((c) => {
    const token = market.tokens.get(c.symbol);
    if (token === undefined) throw new Error(`index ${index.id}: the market has no token ${c.symbol}`);
    return { token: token.address, targetWeightBps: c.weightBps, feed: token.feed, heartbeat: token.heartbeat, path: token.path, fees: token.fees };
  });
}

/** Vault-wide parameters of an index: `defaults` overridden by the index's own `params`. */
export function vaultDefaults(config: DeployConfig, index: IndexDefinition): VaultDefaults {
  return { ...config.defaults, ...(index.params ?? {}) } as VaultDefaults;
}

/** The name under which an index's vault is saved in deployments/. */
export function indexDeploymentName(index: Pick<IndexDefinition, "id">): string {
  return `Index_${index.id}`;
}

/**
 * The local market's address book as saved in deployments (`LocalMarket.linkedData`). It was validated by the sdk's
 * zod schema (sdk/local/localMarket.ts) when written; this CommonJS-safe reader checks the fields the deploy scripts use.
 * ESM code should prefer `parseLocalMarket` from sdk/local/localMarket.ts.
 */
export function parseLocalMarketJson(json: unknown): LocalMarket {
  const m = json as Partial<Record<keyof LocalMarket, unknown>> | null;
  const isAddress = (v: unknown): boolean => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v);
  const required = ["owner", "uniswapFactory", "positionManager", "swapRouter", "quoterV2", "usdt", "usdtFeed", "weth", "priceMover"] as const;
  if (m === null || typeof m !== "object" || !Array.isArray(m.constituents) || typeof m.chainId !== "number") {
    throw new Error("local market JSON: missing chainId or constituents");
  }
  for (const key of required) if (!isAddress(m[key])) throw new Error(`local market JSON: ${key} is not an address`);
  for (const c of m.constituents as Record<string, unknown>[]) {
    if (!isAddress(c.address) || !isAddress(c.feed) || !Array.isArray(c.buyRouteTokens) || !Array.isArray(c.buyRouteFees)) {
      throw new Error(`local market JSON: constituent ${String(c.symbol)} is incomplete`);
    }
  }
  return json as LocalMarket;
}
