#!/usr/bin/env bash
# The Go half of `npm run lint`: gofmt and go vet over the project's Go code, scripts/pulumi-cli/ (the RunPlugin that
# scripts/pulumi-cli.sh adds to the Node.js language host it builds). go vet type-checks it against the SDK the host
# builds with, which the go command fetches through the Go module proxy once per machine, as the CLI's build does.
# Without Go (needed only for the engine suite) it says so and checks nothing, unless CI is set: then it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "entra-tap: $*" >&2; }
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    say "FAILED: no 'go' on PATH nor in /usr/local/go/bin, so scripts/pulumi-cli/ cannot be checked"
    exit 1
  fi
  say "note: Go is not installed; gofmt and go vet of scripts/pulumi-cli/ skipped"
  exit 0
fi
# Build with the Go installed, never another toolchain; go.mod and go.sum are used as they are (-mod=readonly).
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"
module=scripts/pulumi-cli
unformatted=$(gofmt -l "$module")
if [ -n "$unformatted" ]; then
  say "FAILED: not formatted by gofmt (run gofmt -w on them):"
  printf '  %s\n' $unformatted >&2
  exit 1
fi
(cd "$module" && go vet ./...)
