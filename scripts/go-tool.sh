# Sourced by the lint scripts that need Go (scripts/lint-go.sh, scripts/lint-workflows.sh): finds the go command (on
# PATH, or in /usr/local/go/bin), and `need_go <what>` says what cannot be checked without it. Without Go (needed only
# for the engine suite and these checks) it says so and the check is skipped, unless CI is set: then it fails.
say() { echo "entra-tap: $*" >&2; }
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi
need_go() {
  command -v go >/dev/null 2>&1 && return 0
  if [ -n "${CI:-}" ]; then
    say "FAILED: no 'go' on PATH nor in /usr/local/go/bin, so $1 cannot be checked"
    exit 1
  fi
  say "note: Go is not installed; $1 skipped"
  exit 0
}
