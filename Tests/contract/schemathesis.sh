#!/usr/bin/env bash
# Contract tests: Warta's HTTP APIs against their OpenAPI description (Public/api/openapi.json),
# with schemathesis generating requests from it.
#
#   Tests/contract/schemathesis.sh [path/to/warta]      # default: .build/debug/warta
#
# Builds nothing: it runs the given binary. It
#   1. makes (or reuses) the virtual environment .venv-contract/ with pinned schemathesis and
#      openapi-spec-validator from PyPI;
#   2. checks that Public/api/openapi.json is what Tests/contract/build_openapi.py writes, and
#      that it is a valid OpenAPI 3.1 document;
#   3. starts `warta serve --demo --port 0` on a new database in a temporary folder, reads the
#      port from its "listening on http://127.0.0.1:PORT" line and waits for /healthz (with
#      Tests/lib/warta-server.sh), creates an API token with `warta token create`, and checks
#      that the server's GET /api/openapi.json is the file in the tree (a binary built before
#      the last change of the document would test an old one);
#   4. runs schemathesis against http://127.0.0.1:PORT/api/openapi.json with the token: every
#      operation, positive and negative inputs, examples, coverage, fuzzing and stateful phases,
#      with the checks not_a_server_error, status_code_conformance, content_type_conformance,
#      response_headers_conformance and response_schema_conformance.
# It exits non-zero on any failure and always stops the server.
#
# Bounded and seeded for CI: at most $CONTRACT_MAX_EXAMPLES (25) generated cases per operation
# and phase, seed $CONTRACT_SEED, and a wall-clock limit of $CONTRACT_TIMEOUT (360) seconds for
# schemathesis (about 2 minutes on 2 cores). Ids of the demo rows are random, so two runs send
# the same generated inputs but not always the same ids.
#
# Other settings (environment):
#   CONTRACT_WORKERS      schemathesis workers (default 1: with more, hypothesis parses
#                         lambdas with ast from several threads, which CPython 3.11.7 can
#                         fail at with "AST constructor recursion depth mismatch")
#   CONTRACT_PUBLIC_DIR   passed to `warta serve --public-dir`, to test a document newer than
#                         the binary's without rebuilding (development only)
#   CONTRACT_REPORT_DIR   where the JUnit report and the server's log go
#                         (default .build/contract-report)
#   CONTRACT_EXTRA_ARGS   more schemathesis flags (split on spaces)
#
# Reproduce one failure: schemathesis prints a curl command for it; the server's log is in
# the report folder.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/Tests/contract"
cd "$ROOT"
# shellcheck source=Tests/lib/warta-server.sh
. "$ROOT/Tests/lib/warta-server.sh"

SCHEMATHESIS_VERSION="4.32.5"
VALIDATOR_VERSION="0.9.0"

BINARY="${1:-.build/debug/warta}"
VENV="$ROOT/.venv-contract"
SEED="${CONTRACT_SEED:-20261129}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-25}"
TIMEOUT="${CONTRACT_TIMEOUT:-360}"
WORKERS="${CONTRACT_WORKERS:-1}"
REPORT_DIR="${CONTRACT_REPORT_DIR:-$ROOT/.build/contract-report}"

say() { printf 'contract: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# --- 1. The tools -----------------------------------------------------------------------

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" \
        || fail "python3 -m venv failed: install python3-venv (apt-get install python3-venv), or run make contract"
fi
installed() { "$VENV/bin/python" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
if [ "$(installed schemathesis)" != "$SCHEMATHESIS_VERSION" ] \
    || [ "$(installed openapi-spec-validator)" != "$VALIDATOR_VERSION" ]; then
    say "installing schemathesis $SCHEMATHESIS_VERSION and openapi-spec-validator $VALIDATOR_VERSION into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$VALIDATOR_VERSION"
fi

# --- 2. The document --------------------------------------------------------------------

"$VENV/bin/python" "$HERE/build_openapi.py" --check
"$VENV/bin/openapi-spec-validator" "$ROOT/Public/api/openapi.json" >/dev/null \
    || fail "Public/api/openapi.json is not a valid OpenAPI document (run $VENV/bin/openapi-spec-validator on it)"

# --- 3. The server ----------------------------------------------------------------------

warta_wait_runnable "$BINARY"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/warta-contract.XXXXXX")"
cleanup() {
    local status=$?
    warta_stop
    mkdir -p "$REPORT_DIR"
    [ -f "$WORK/server.log" ] && cp "$WORK/server.log" "$REPORT_DIR/server.log"
    rm -rf "$WORK"
    exit "$status"
}
warta_on_exit cleanup

# Negative cases send bad tokens by the hundred; with the per-address limit on, the rest of
# the run would meet 429s instead of the operations it means to test.
serve_args=(--demo --auth-failures 0)
[ -n "${CONTRACT_PUBLIC_DIR:-}" ] && serve_args+=(--public-dir "$CONTRACT_PUBLIC_DIR")
# The server posts webhooks to every subscriber the tests create, at the URLs they generate,
# whose hosts may be real ones on the Internet. Sent through a proxy where nothing listens
# (port 9), each attempt fails at once, without a DNS lookup.
serve_args+=(--webhook-proxy http://127.0.0.1:9)
warta_start "$BINARY" "$WORK" "${serve_args[@]}"
BASE="$WARTA_BASE"
say "warta serve (pid $WARTA_PID) listening on $BASE"

TOKEN="$("$WARTA_BINARY" token create schemathesis --db "$WARTA_DB" 2>/dev/null)"
[ -n "$TOKEN" ] || fail "warta token create printed no token"

fetch() { "$VENV/bin/python" -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=10).read())' "$1"; }
WARTA_PAGE_ID="$(fetch "$BASE/api/v2/status.json" | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["page"]["id"])')"
export WARTA_PAGE_ID

if ! fetch "$BASE/api/openapi.json" > "$WORK/served-openapi.json" 2>/dev/null \
    || ! cmp -s "$WORK/served-openapi.json" "$ROOT/Public/api/openapi.json"; then
    fail "$BINARY does not serve the current Public/api/openapi.json at /api/openapi.json: rebuild it (swift build --product warta)"
fi

cp "$HERE/schemathesis.toml" "$WORK/schemathesis.toml"
"$VENV/bin/python" "$HERE/live_dictionaries.py" "$BASE" "$WARTA_PAGE_ID" "$TOKEN" >> "$WORK/schemathesis.toml"

# --- 4. The tests -----------------------------------------------------------------------

mkdir -p "$REPORT_DIR"
command=(
    "$VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$BASE/api/openapi.json"
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ignored_auth,use_after_free,ensure_resource_availability
    --header "Authorization: Bearer $TOKEN"
    --mode all
    --phases examples,coverage,fuzzing,stateful
    --max-examples "$MAX_EXAMPLES"
    --seed "$SEED"
    --generation-database none
    --workers "$WORKERS"
    --request-timeout 10
    --report junit --report-junit-path "$REPORT_DIR/junit.xml"
    --no-color
)
# More flags, e.g. CONTRACT_EXTRA_ARGS="--include-path-regex /v1/.*/components" to narrow a run.
if [ -n "${CONTRACT_EXTRA_ARGS:-}" ]; then
    read -r -a extra <<< "$CONTRACT_EXTRA_ARGS"
    command+=("${extra[@]}")
fi
say "schemathesis $SCHEMATHESIS_VERSION: seed $SEED, $MAX_EXAMPLES examples per operation, at most ${TIMEOUT}s"
started=$SECONDS
status=0
timeout --kill-after=10 "$TIMEOUT" "${command[@]}" || status=$?
say "schemathesis finished in $((SECONDS - started))s with status $status"
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    fail "schemathesis did not finish within ${TIMEOUT}s"
fi
kill -0 "$WARTA_PID" 2>/dev/null || { status=1; say "the server died during the run; see $REPORT_DIR/server.log"; }
[ "$status" = 0 ] || fail "contract tests failed (JUnit report and server log in $REPORT_DIR)"
say "contract tests passed"
