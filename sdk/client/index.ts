// The index-vault client: what an integrator (the CLI, the keeper, the demo, a web app) imports to talk to vaults.
// Browser-safe: viem and the generated ABIs only, no node: modules. See sdk/README.md for which module does what.
export * from "./abis";
export * from "./errors";
export * from "./feeds";
export * from "./math";
export * from "./quotes";
export * from "./routes";
export * from "./rpc";
export * from "./tx";
export * from "./validate";
export * from "./vault";
export * from "./batch";
