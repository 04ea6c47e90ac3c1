#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) and the Node.js language host (`pulumi-language-nodejs`) from Go source into
# the git-ignored folder .tools/ of this repository, once per machine. No prebuilt Pulumi binary can be
# downloaded here, so the sources come from the Go module proxy through the go command and are compiled locally.
#
# Usage:  bash scripts/pulumi-cli.sh       # builds what is missing; prints the bin folder on stdout
#         PULUMI_CLI_VERSION=3.x.y bash scripts/pulumi-cli.sh    # another release (rebuilds if it differs)
# Then:   export PATH="$PWD/.tools/bin:$PWD/node_modules/.bin:$PATH"
#         export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
#         (and PULUMI_HOME=<folder> to keep the CLI's own state out of ~/.pulumi)
#
# Needs Go no older than the release's go line (1.26.x for 3.274.1), on PATH or in /usr/local/go/bin. A cold
# build fetches about 340 modules into Go's module cache ($(go env GOMODCACHE), 1.7 GB) and compiles under `nice`
# into Go's build cache ($(go env GOCACHE), 1.9 GB): 7 minutes on a busy 2-core machine (README, "The engine
# suite"). When .tools/bin/pulumi already prints the expected version and the language host is in place, it does
# nothing. Go's own output goes to .tools/build.log; each step says one line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
LOG="$TOOLS/build.log"
HOST_STAMP="$TOOLS/pulumi-language-nodejs.stamp"

# The Pulumi release to build. The lockfile pins @pulumi/pulumi 3.276.0 (node_modules/@pulumi/pulumi), but the
# Go module proxy refuses the sources of pkg/v3 and sdk/v3 for 3.275.0 and 3.276.0 ("403 Forbidden: This
# module version is not available"; it serves nothing newer than 3.274.1 of 2026-11-05 as of 2026-11-27), so
# the newest release it serves is pinned: every machine and CI then build the same CLI. The CLI talks to the Node.js SDK
# only over gRPC and the two stay compatible across 3.x minors, so a CLI two minors behind the SDK is fine.
# Bump this (or set PULUMI_CLI_VERSION) once `go mod download github.com/pulumi/pulumi/pkg/v3@v<lockfile>` works.
PINNED_VERSION=3.274.1
VERSION=${PULUMI_CLI_VERSION:-$PINNED_VERSION}
VERSION=${VERSION#v}

say() { echo "entra-tap: $*" >&2; }
# step "what" CMD ARGS...: one step; its output goes to the log, and on failure it says which step and which
# command failed, shows the end of the log and exits with the command's status.
step() {
  local what=$1 rc=0
  shift
  say "$what..."
  "$@" >>"$LOG" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -n 25 "$LOG" | sed 's/^/  | /' >&2
    say "FAILED step '$what' (exit $rc): $(printf '%q ' "$@")"
    say "full log: $LOG"
    exit "$rc"
  fi
}
# indir DIR CMD ARGS...: runs a command in a folder (so that `step` can show the real command).
indir() { local dir=$1; shift; (cd "$dir" && "$@"); }

# Every pulumi command writes a log under $PULUMI_HOME/logs (~/.pulumi by default): keep the check's own in .tools.
cli_ok() {
  [ -x "$BIN/pulumi" ] &&
    [ "$(PULUMI_HOME="$TOOLS/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true "$BIN/pulumi" version 2>/dev/null)" = "v$VERSION" ]
}
host_ok() { [ -x "$BIN/pulumi-language-nodejs" ] && grep -q "^cli=v$VERSION " "$HOST_STAMP" 2>/dev/null; }

if cli_ok && host_ok; then
  say "Pulumi CLI v$VERSION and its Node.js language host are already built in .tools/bin"
  echo "$BIN"
  exit 0
fi

# --- toolchain and scratch tree ------------------------------------------------------------------------------
mkdir -p "$BIN"
: >"$LOG"
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 || { say "FAILED step 'finding Go': no 'go' on PATH nor in /usr/local/go/bin"; exit 1; }
# Never let the go command fetch another toolchain: build with the one installed.
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false"
sdk_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ROOT/node_modules/@pulumi/pulumi/package.json" 2>/dev/null |
  head -n1 || true)
say "building Pulumi v$VERSION with $(go version | cut -d' ' -f3) into .tools/bin (@pulumi/pulumi in node_modules: ${sdk_version:-not installed})"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/entra-tap-pulumi-src.XXXXXX")
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

# moddir MODULE@VERSION: downloads one module into the module cache and prints its (read-only) folder.
moddir() {
  local json dir
  json=$(go mod download -json "$1") || { printf '%s\n' "$json" >&2; echo "command: go mod download -json $1" >&2; return 1; }
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  [ -n "$dir" ] && [ -d "$dir" ] || { printf '%s\n' "$json" >&2; echo "command: go mod download -json $1" >&2; return 1; }
  printf '%s\n' "$dir"
}
# unpack MODULE@VERSION DEST: copies a module out of the module cache (left untouched) into the scratch tree.
unpack() {
  local dir
  dir=$(moddir "$1") || return 1
  mkdir -p "$2" && cp -R "$dir/." "$2/" && chmod -R u+w "$2"
}
# check_replaces MODULEDIR: every relative replace of its go.mod must point at a module of the scratch tree.
check_replaces() {
  local target bad=0
  for target in $(go mod edit -json "$1/go.mod" | sed -n 's/^[[:space:]]*"Path": "\(\.\.*\/[^"]*\)".*/\1/p'); do
    if [ ! -f "$1/$target/go.mod" ]; then
      echo "relative replace '$target' in $1/go.mod has no module in the scratch tree" >&2
      bad=1
    fi
  done
  return $bad
}
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION"

# --- the CLI -------------------------------------------------------------------------------------------------
# pkg/go.mod replaces sdk/v3 with ../sdk, so `go install ...@version` refuses it. The two modules of the release
# are laid out as in the repository (<scratch>/sdk, <scratch>/pkg) and built there. pkg/go.mod's only other
# replace (atotto/clipboard => tgummerer/clipboard) is a module version, which the proxy serves.
if cli_ok; then
  say "Pulumi CLI v$VERSION already in .tools/bin"
else
  step "downloading github.com/pulumi/pulumi/sdk/v3@v$VERSION" unpack "github.com/pulumi/pulumi/sdk/v3@v$VERSION" "$scratch/sdk"
  step "downloading github.com/pulumi/pulumi/pkg/v3@v$VERSION" unpack "github.com/pulumi/pulumi/pkg/v3@v$VERSION" "$scratch/pkg"
  step "checking the replace directives of pkg/go.mod" check_replaces "$scratch/pkg"
  step "downloading the CLI's Go dependencies" indir "$scratch/pkg" go list -deps ./cmd/pulumi
  step "compiling pulumi (minutes when cold)" \
    indir "$scratch/pkg" nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$BIN/pulumi.new" ./cmd/pulumi
  mv -f "$BIN/pulumi.new" "$BIN/pulumi"
  step "checking that .tools/bin/pulumi reports v$VERSION" cli_ok
fi

# --- the Node.js language host -------------------------------------------------------------------------------
# `pulumi-language-nodejs` is its own untagged module, github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3,
# served (if at all) as a pseudo-version of a commit. Route 1, the host of the same release: its commit comes
# from PULUMI_LANGUAGE_NODEJS_REV (a commit hash or pseudo-version) or from the Origin the proxy reports for
# pkg/v3; its go.mod replaces pkg/v3 and sdk/v3 with ../../../../pkg and ../../.., so it is laid out at
# <scratch>/sdk/nodejs/cmd/pulumi-language-nodejs beside the release's sdk and pkg and built there.
# Route 2, when route 1 is refused (as here: the proxy reports no Origin and answers 403 for commit queries of
# that module): the last upstream Node.js host published inside the sdk/v3 module itself (v3.68.0; it moved to its
# own module in v3.69.0). It runs programs, previews, updates and provider plugins with today's CLI and SDK,
# but it predates `RunPlugin`, which the CLI now uses to start Node.js policy packs, so a small RunPlugin
# (scripts/pulumi-cli/runplugin_entra_tap.go) is added to the scratch copy. It ignores runtime options of
# Pulumi.yaml (typescript, nodeargs, tsconfig): it runs TypeScript through @pulumi/pulumi's ts-node with the
# program's tsconfig.json.
HOST_MODULE=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
HOST_FALLBACK_SDK=3.68.0

release_tree() { # the release's sdk and pkg at <scratch>/sdk and <scratch>/pkg (once)
  [ -f "$scratch/pkg/go.mod" ] && return 0
  unpack "github.com/pulumi/pulumi/sdk/v3@v$VERSION" "$scratch/sdk" &&
    unpack "github.com/pulumi/pulumi/pkg/v3@v$VERSION" "$scratch/pkg"
}
release_rev() { # prints the commit (or pseudo-version) of the release, or fails
  if [ -n "${PULUMI_LANGUAGE_NODEJS_REV:-}" ]; then
    printf '%s\n' "$PULUMI_LANGUAGE_NODEJS_REV"
    return 0
  fi
  local hash
  hash=$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$VERSION" |
    sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]\{40\}\)".*/\1/p' | head -n1)
  [ -n "$hash" ] && printf '%s\n' "$hash"
}
build_release_host() { # route 1; needs the release tree
  local hostdir="$scratch/sdk/nodejs/cmd/pulumi-language-nodejs"
  unpack "$HOST_MODULE@$1" "$hostdir" && check_replaces "$hostdir" &&
    (cd "$hostdir" && GOFLAGS="$GOFLAGS -mod=mod" nice -n 10 go build -trimpath -ldflags "$ldflags" \
      -o "$BIN/pulumi-language-nodejs.new" .)
}
# The RunPlugin added to the v3.68.0 host: a Go file of its own, which `npm run lint` checks with gofmt and go vet.
RUNPLUGIN_GO="$ROOT/scripts/pulumi-cli/runplugin_entra_tap.go"
write_runplugin() { # $1: the folder of the v3.68.0 host; replaces its "not supported" RunPlugin
  local main="$1/main.go"
  grep -q '^func (host \*nodeLanguageHost) RunPlugin(' "$main" || { say "no RunPlugin stub in $main"; return 1; }
  [ -f "$RUNPLUGIN_GO" ] || { say "missing $RUNPLUGIN_GO"; return 1; }
  sed -i 's/^func (host \*nodeLanguageHost) RunPlugin(/func (host *nodeLanguageHost) runPluginNotSupported(/' "$main"
  cp "$RUNPLUGIN_GO" "$1/runplugin_entra_tap.go"
}
if host_ok; then
  say "Node.js language host for v$VERSION already in .tools/bin ($(cut -d' ' -f2- "$HOST_STAMP"))"
else
  rm -f "$HOST_STAMP"
  host_built=""
  if rev=$(release_rev 2>>"$LOG"); then
    say "building the Node.js language host of v$VERSION ($HOST_MODULE@$rev)..."
    if (moddir "$HOST_MODULE@$rev" >/dev/null && release_tree && build_release_host "$rev") >>"$LOG" 2>&1; then
      host_built="$HOST_MODULE@$rev"
    else
      say "the Node.js language host $HOST_MODULE@$rev could not be fetched or built (see .tools/build.log)"
    fi
  else
    say "the Go module proxy names no commit for v$VERSION (no Origin in 'go mod download -json github.com/pulumi/pulumi/pkg/v3@v$VERSION'; set PULUMI_LANGUAGE_NODEJS_REV to a commit to try it)"
  fi
  if [ -z "$host_built" ]; then # route 2
    fallback="$scratch/sdk-v$HOST_FALLBACK_SDK"
    say "falling back to the Node.js language host inside github.com/pulumi/pulumi/sdk/v3@v$HOST_FALLBACK_SDK"
    step "downloading github.com/pulumi/pulumi/sdk/v3@v$HOST_FALLBACK_SDK" \
      unpack "github.com/pulumi/pulumi/sdk/v3@v$HOST_FALLBACK_SDK" "$fallback"
    step "adding RunPlugin (policy packs) to its scratch copy" write_runplugin "$fallback/nodejs/cmd/pulumi-language-nodejs"
    step "compiling pulumi-language-nodejs v$HOST_FALLBACK_SDK" \
      indir "$fallback" nice -n 10 go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$HOST_FALLBACK_SDK" \
      -o "$BIN/pulumi-language-nodejs.new" ./nodejs/cmd/pulumi-language-nodejs
    host_built="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v$HOST_FALLBACK_SDK+runplugin"
  fi
  mv -f "$BIN/pulumi-language-nodejs.new" "$BIN/pulumi-language-nodejs"
  echo "cli=v$VERSION $host_built" >"$HOST_STAMP"
fi

say "done: $(du -sh "$TOOLS" | cut -f1) in .tools; put .tools/bin and node_modules/.bin first on PATH"
echo "$BIN"
