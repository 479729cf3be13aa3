#!/usr/bin/env node
// Stand-in for the native `solc` CLI, backed by the official WebAssembly compiler from npm (`solc`).
// Forge calls it with `--version` and with `--standard-json` (input on stdin); nothing else is needed.
// Why: this machine cannot download native solc binaries, and pinning `solc` in package.json pins the compiler.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("tools/solc.cjs supports only --version and --standard-json\n");
  process.exit(2);
}

// Import roots: the working directory plus every --base-path / --include-path / --allow-paths given.
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if (["--base-path", "--include-path", "--allow-paths"].includes(args[i]) && args[i + 1]) {
    for (const p of args[i + 1].split(",")) roots.push(path.resolve(p));
  }
}

function findImports(importPath) {
  for (const root of roots) {
    const candidate = path.isAbsolute(importPath) ? importPath : path.join(root, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
  }
  return { error: `File not found: ${importPath}` };
}

const input = fs.readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
