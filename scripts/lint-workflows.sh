#!/usr/bin/env bash
# The workflows' half of `npm run lint`: actionlint (rhysd/actionlint, a Go module) over .github/workflows/, beside
# GitHub's own parser in the tests: expressions, contexts, job outputs, `needs`, runner labels and the inputs of the
# actions it knows. It is built from source into .tools/bin once per machine (the Go module proxy, like the Pulumi
# CLI). Shellcheck and pyflakes integrations are off: neither is installed here. Without Go it says so and checks
# nothing, unless CI is set: then it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "entra-tap: $*" >&2; }
VERSION=v1.7.12
BIN="$PWD/.tools/bin"
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi
if ! "$BIN/actionlint" -version 2>/dev/null | head -1 | grep -qx "$VERSION"; then
  if ! command -v go >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
      say "FAILED: no 'go' on PATH nor in /usr/local/go/bin, so actionlint cannot be built"
      exit 1
    fi
    say "note: Go is not installed; actionlint of .github/workflows/ skipped"
    exit 0
  fi
  say "building actionlint $VERSION into .tools/bin..."
  mkdir -p "$BIN"
  GOBIN="$BIN" GOTOOLCHAIN=local GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
fi
"$BIN/actionlint" -no-color -shellcheck= -pyflakes= .github/workflows/*.yml
