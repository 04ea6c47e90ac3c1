#!/usr/bin/env bash
# Makes a fresh checkout runnable before `npm run plan` and `npm test`: installs the locked dependencies
# when they are missing or older than the lockfile. They include the `node` package, which puts Node 22
# in node_modules/.bin, ahead of the system Node on the PATH of every npm script.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "entra-tap: installing dependencies (npm ci)..." >&2
  # Its report ("added 504 packages") goes to stderr: stdout is the command's own output (`npm run plan -- --json | jq`).
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 22 ]; then
  echo "entra-tap: Node $(node --version) is on the PATH; Node 22 or later is required (run through npm so node_modules/.bin comes first)." >&2
  exit 1
fi
