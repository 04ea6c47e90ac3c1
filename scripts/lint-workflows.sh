#!/usr/bin/env bash
# The workflows' half of `npm run lint`: actionlint (rhysd/actionlint, a Go module) over .github/workflows/, beside
# GitHub's own parser in the tests: expressions, contexts, job outputs, `needs`, runner labels and the inputs of the
# actions it knows. It is built from source into .tools/bin once per machine (the Go module proxy, like the Pulumi
# CLI). Shellcheck and pyflakes integrations are off: neither is installed here. Without Go, scripts/go-tool.sh says
# what is skipped (and fails under CI).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/go-tool.sh
VERSION=v1.7.12
BIN="$PWD/.tools/bin"
if ! "$BIN/actionlint" -version 2>/dev/null | head -1 | grep -qx "$VERSION"; then
  need_go "actionlint of .github/workflows/"
  say "building actionlint $VERSION into .tools/bin..."
  mkdir -p "$BIN"
  GOBIN="$BIN" GOTOOLCHAIN=local GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
fi
"$BIN/actionlint" -no-color -shellcheck= -pyflakes= .github/workflows/*.yml
