#!/usr/bin/env bash
# `npm test`: build once (contracts with the audited settings, then the bindings), then type-check the TypeScript
# WHILE forge compiles and runs its tests (tsc and the WebAssembly solc each keep about one core busy; on a 2-core
# machine this saves about a minute), then the vitest suites. The type-checker's output is printed after forge's.
# Exits non-zero if any step failed; forge's and vitest's summaries are what .ci/run counts.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npm run build || exit 1

typecheck_log="$(mktemp)"
npm run typecheck >"$typecheck_log" 2>&1 &
typecheck_pid=$!

npm run test:forge
forge_status=$?

wait "$typecheck_pid"
typecheck_status=$?
cat "$typecheck_log"
rm -f "$typecheck_log"
if [[ $typecheck_status -ne 0 ]]; then
  echo "npm test: the type-check failed (above); vitest not run" >&2
  exit 1
fi

npm run test:ts || exit 1
exit "$forge_status"
