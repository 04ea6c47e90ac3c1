#!/usr/bin/env bash
# Makes the engine suite runnable: the Pulumi CLI (a user's own `pulumi` on PATH, or one built from source into
# .tools/ by scripts/pulumi-cli.sh, once per machine) and the policy pack's own dependencies, which the CLI loads
# from policies/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v pulumi >/dev/null 2>&1; then
  echo "entra-tap: using $(command -v pulumi) ($(pulumi version 2>/dev/null || echo 'version unknown'))" >&2
else
  bash scripts/pulumi-cli.sh >/dev/null
fi
marker=policies/node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ policies/package-lock.json -nt "$marker" ]; then
  echo "entra-tap: installing the policy pack's dependencies (npm ci in policies/)..." >&2
  (cd policies && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
