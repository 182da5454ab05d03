#!/usr/bin/env bash
# The project's two entry points, each from a clean clone to a result:
#   ./build.sh example   runs examples/QuickStart end to end (your Claude Code login if there is one, else offline
#                        against the bundled fake Messages API, and it says which)
#   ./build.sh test      runs every test (unit, and integration against the pinned CLI and the fake API), then the
#                        notebooks offline (notebooks/run.sh)
# Both install what they need: the pinned Claude Code CLI via npm into .claude-cli/, the NuGet packages and the
# notebook runner (a local dotnet tool).
set -euo pipefail
cd "$(dirname "$0")"

CLI_VERSION="2.1.328"
CLI_DIR=".claude-cli"
CLI_BIN="$CLI_DIR/node_modules/@anthropic-ai/claude-code/bin/claude.exe"

install_cli() {
  if [ -x "$CLI_BIN" ] && "$CLI_BIN" --version 2>/dev/null | grep -q "^$CLI_VERSION "; then
    return
  fi
  command -v npm >/dev/null || { echo "npm is required to install the Claude Code CLI (Node.js 18+)." >&2; exit 1; }
  echo "Installing the Claude Code CLI (@anthropic-ai/claude-code@$CLI_VERSION) into $CLI_DIR/…"
  mkdir -p "$CLI_DIR"
  printf '{ "name": "claude-cli-pin", "private": true }\n' > "$CLI_DIR/package.json"
  npm install --prefix "$CLI_DIR" --save-exact --no-audit --no-fund --loglevel=error "@anthropic-ai/claude-code@$CLI_VERSION" >/dev/null
  # npm may skip the package's postinstall; the platform binary is then reachable through the optional dependency.
  if ! "$CLI_BIN" --version >/dev/null 2>&1; then
    platform_bin=$(ls "$CLI_DIR"/node_modules/@anthropic-ai/claude-code-*/claude 2>/dev/null | head -n 1)
    [ -n "$platform_bin" ] || { echo "The Claude Code CLI did not install a binary for this platform." >&2; exit 1; }
    ln -sf "$(cd "$(dirname "$platform_bin")" && pwd)/claude" "$CLI_BIN"
  fi
  "$CLI_BIN" --version
}

# A build that prints nothing unless it fails (then its whole output, errors included).
quiet_build() {
  local output
  output=$(dotnet build "$1" -c Release --nologo 2>&1) || { printf '%s\n' "$output"; echo "The build of $1 failed." >&2; exit 1; }
}

case "${1:-}" in
  example)
    install_cli
    shift
    echo "Building the example…"
    quiet_build examples/QuickStart
    exec dotnet run --project examples/QuickStart -c Release --no-build -- "$@"
    ;;
  bench)
    # Not one of the README's two commands: measures the connector against the TypeScript Agent SDK (bench/README.md).
    install_cli
    shift
    command -v node >/dev/null || { echo "node is required for the TypeScript Agent SDK side of the benchmark." >&2; exit 1; }
    npm ci --prefix bench/ts --no-audit --no-fund --loglevel=error >/dev/null
    exec dotnet run --project bench/Connectors.ClaudeCode.Bench -c Release -- "$@"
    ;;
  test)
    install_cli
    echo "Building…"
    quiet_build Connectors.ClaudeCode.sln
    log=$(mktemp)
    status=0
    set +e
    # Unit tests first: they take seconds and fail fastest.
    projects=(tests/*.UnitTests/*.csproj)
    for project in tests/*Tests/*.csproj; do
      [[ " ${projects[*]} " == *" $project "* ]] || projects+=("$project")
    done
    for project in "${projects[@]}"; do
      echo "Running $(basename "$project" .csproj)…"
      dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=minimal" 2>&1 | tee -a "$log"
      [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    done
    echo "Running notebooks…"
    notebooks/run.sh 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    set -e
    # One closing line for the whole suite, summed over the test projects; each notebook counts as one test.
    awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
         /^notebooks: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
         END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    rm -f "$log"
    exit "$status"
    ;;
  *)
    echo "usage: ./build.sh example | test | bench" >&2
    exit 2
    ;;
esac
