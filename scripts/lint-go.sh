#!/usr/bin/env bash
# The Go half of `npm run lint`: gofmt and go vet over the project's Go code, scripts/pulumi-cli/ (the RunPlugin that
# scripts/pulumi-cli.sh adds to the Node.js language host it builds). go vet type-checks it against the SDK the host
# builds with, which the go command fetches through the Go module proxy once per machine, as the CLI's build does.
# Without Go, scripts/go-tool.sh says what is skipped (and fails under CI).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/go-tool.sh
need_go "gofmt and go vet of scripts/pulumi-cli/"
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
