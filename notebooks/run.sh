#!/usr/bin/env bash
# Runs the notebooks offline, as CI does: packs the library into a local feed, starts the offline host (the fake
# Messages API with demo answers) on 127.0.0.1, and runs each notebook with dotnet-repl against it, with a throwaway
# HOME and API key, so that no run reaches the real API or reads anyone's login. Fails when any cell fails.
#
#   notebooks/run.sh                  runs every notebook; the executed copies go to artifacts/notebooks/out/
#   notebooks/run.sh --update         also writes them back into notebooks/, so the committed ones carry outputs
#   notebooks/run.sh 03-streaming     runs the named notebooks only (with or without .ipynb)
#   notebooks/run.sh --pack           only packs the library into the feed the notebooks import, for VS Code
#
# Needs the pinned CLI in .claude-cli/ (./build.sh test or ./build.sh example installs it) and Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
artifacts="$root/artifacts/notebooks"
feed="$artifacts/feed"
cli="$root/.claude-cli/node_modules/@anthropic-ai/claude-code/bin/claude.exe"
host_project="tests/Connectors.ClaudeCode.FakeAnthropic.Host"
host_dll="$host_project/bin/Release/net10.0/Connectors.ClaudeCode.FakeAnthropic.Host.dll"

update=false
pack_only=false
selected=()
for arg in "$@"; do
  case "$arg" in
    --update) update=true ;;
    --pack) pack_only=true ;;
    -*) echo "usage: notebooks/run.sh [--update | --pack] [NOTEBOOK...]" >&2; exit 2 ;;
    *) selected+=("notebooks/${arg%.ipynb}.ipynb") ;;
  esac
done

# The package the notebooks reference (#r "nuget: Connectors.ClaudeCode, VERSION"), built from this checkout, in a
# folder that local-feed.dib adds as a package source (#i takes absolute paths only, so the file is written here).
pack() {
  version=$(dotnet msbuild src/Connectors.ClaudeCode -getProperty:Version)
  rm -rf "$feed"
  dotnet pack src/Connectors.ClaudeCode -c Release -o "$feed" --nologo -v quiet -clp:ErrorsOnly >/dev/null
  printf '#i "nuget: %s"\n' "$feed" > "$artifacts/local-feed.dib"
}

# NuGet never re-extracts a version it already has, so a stale copy of this version is removed from a packages folder.
evict() {
  rm -rf "$1/connectors.claudecode/$version"
}

mkdir -p "$artifacts"
$pack_only || echo "  packing the library, building the offline host, restoring dotnet-repl…"
pack
if $pack_only; then
  global=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
  evict "$global"
  echo "Packed Connectors.ClaudeCode $version into $feed; the notebooks import it through artifacts/notebooks/local-feed.dib."
  echo "Restart the notebook's kernel to load the new build."
  exit 0
fi

[ -x "$cli" ] || { echo "The pinned Claude Code CLI is missing ($cli): run ./build.sh test or ./build.sh example once." >&2; exit 1; }
command -v node >/dev/null || { echo "node is required (notebooks/nbtool.mjs reads the executed notebooks)." >&2; exit 1; }
[ ${#selected[@]} -gt 0 ] || selected=(notebooks/[0-9]*.ipynb)
for notebook in "${selected[@]}"; do
  [ -f "$notebook" ] || { echo "No notebook $notebook." >&2; exit 2; }
  grep -q "Connectors.ClaudeCode, $version\\\\\"" "$notebook" \
    || { echo "$notebook does not reference Connectors.ClaudeCode $version (the version src/Connectors.ClaudeCode packs): update its #r line." >&2; exit 1; }
done

# A packages folder of the run's own: this build of the package is never confused with another of the same version,
# and nothing is written to the user's NuGet cache. Kept between runs, so third-party packages download once.
packages="$artifacts/nuget-packages"
evict "$packages"
dotnet build "$host_project" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null

# dotnet-repl (pinned in .config/dotnet-tools.json) is restored as usual, into the user's NuGet cache, and started
# from there: `dotnet repl` would look for it in the run's own packages folder and download its 370 MB again.
dotnet tool restore > "$artifacts/tool-restore.log" 2>&1 || { cat "$artifacts/tool-restore.log" >&2; exit 1; }
global_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
repl_version=$(node -p 'require("./.config/dotnet-tools.json").tools["dotnet-repl"].version')
repl_dll=$(ls "$global_packages"/dotnet-repl/"$repl_version"/tools/*/any/dotnet-repl.dll 2>/dev/null | head -n 1)
[ -n "$repl_dll" ] || { echo "dotnet-repl $repl_version was not found in $global_packages after 'dotnet tool restore'." >&2; exit 1; }
# Downloads are still shared with the user's cache, so a fresh clone does not fetch the notebooks' packages again.
http_cache=$(dotnet nuget locals http-cache --list | sed 's/^http-cache: //')

out="$artifacts/out"
rm -rf "$out"
mkdir -p "$out"
home=$(mktemp -d "${TMPDIR:-/tmp}/notebooks-home.XXXXXX")
host_pid=""
cleanup() {
  if [ -n "$host_pid" ]; then
    kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$home"
}
trap cleanup EXIT

# The notebooks' own code is what a user writes (AddClaudeCodeChatCompletion() and the login): the environment is
# what makes it offline. The CLI is the pinned one; the credentials a developer may have are removed, and HOME is an
# empty folder, so neither the CLI nor anything else in the run sees the developer's login or settings.
offline_env() {
  env -u ANTHROPIC_AUTH_TOKEN -u CLAUDE_CODE_OAUTH_TOKEN -u CLAUDE_CODE_USE_BEDROCK -u CLAUDE_CODE_USE_VERTEX \
    -u CLAUDE_CODE_USE_FOUNDRY -u ANTHROPIC_MODEL -u CLAUDECODE \
    HOME="$home" CLAUDE_CONFIG_DIR="$home/.claude" XDG_CONFIG_HOME="$home/.config" \
    NUGET_PACKAGES="$packages" NUGET_HTTP_CACHE_PATH="$http_cache" \
    ANTHROPIC_BASE_URL="${base_url:-}" ANTHROPIC_API_KEY=sk-ant-offline CLAUDE_CODE_CLI_PATH="$cli" \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 "$@"
}

host_log="$out/offline-host.log"
dotnet "$host_dll" --parent-pid $$ > "$host_log" 2>&1 &
host_pid=$!

base_url=""
for _ in $(seq 300); do
  base_url=$(sed -n 's/^export ANTHROPIC_BASE_URL=//p' "$host_log")
  [ -n "$base_url" ] && break
  kill -0 "$host_pid" 2>/dev/null || { echo "The offline host did not start:" >&2; cat "$host_log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base_url" ] || { echo "The offline host printed no URL in 30 s." >&2; exit 1; }

passed=0
failed=0
for notebook in "${selected[@]}"; do
  name=$(basename "$notebook" .ipynb)
  started=$SECONDS
  set +e
  (cd notebooks && offline_env timeout 600 dotnet "$repl_dll" --run "$name.ipynb" --exit-after-run --output-path "$out/$name.ipynb" > "$out/$name.log" 2>&1)
  status=$?
  set -e
  if [ -f "$out/$name.ipynb" ] && node notebooks/nbtool.mjs check "$out/$name.ipynb" > "$out/$name.errors" && [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "  $notebook: ok ($((SECONDS - started)) s)"
    if $update; then
      node notebooks/nbtool.mjs tidy "$out/$name.ipynb" "$notebook" "$root"
    fi
  else
    failed=$((failed + 1))
    echo "  $notebook: FAILED ($((SECONDS - started)) s, dotnet-repl exit $status; log: ${out#"$root"/}/$name.log)"
    cat "$out/$name.errors" 2>/dev/null || true
    [ "$status" -eq 124 ] && echo "  (timed out after 600 s)"
  fi
done

echo "notebooks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
