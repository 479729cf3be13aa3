#!/usr/bin/env node
// The `index-vault` bin: runs the TypeScript CLI through tsx's loader (no build step).
import { register } from "tsx/esm/api";

register();
await import("./index.ts");
