// Entry point of the wallet CLI (`npm run cli -- <command>`); see cli/main.ts.
import { runCli } from "./main";

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
