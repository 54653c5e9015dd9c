# shellcheck shell=bash
# Starting and stopping a throwaway `warta serve` for the scripts that test or show it
# (Tests/contract/schemathesis.sh, Tests/html/check.sh, docs/screenshots.sh). Source it:
#
#   . "$ROOT/Tests/lib/warta-server.sh"
#   warta_wait_runnable "$BINARY"
#   warta_start "$BINARY" "$WORK" --demo --no-access-log     # sets WARTA_PID, WARTA_BASE, ...
#   ...                                                      # requests to $WARTA_BASE
#   warta_stop                                               # in the script's cleanup,
#                                                            # set with warta_on_exit
#
# The functions run in the calling shell (not in $(...)): warta_start must start the server as
# a child of that shell for warta_stop to wait for it. On failure they print a message and exit
# the script with status 1 through the caller's `fail` when it has one (so that the message
# carries the script's prefix), or print it to stderr and exit 1 themselves; the caller's EXIT
# trap then runs, and should call warta_stop.

# Set by warta_start (warta_attach sets only WARTA_BASE). WARTA_PID is empty while no server
# runs, so warta_stop may always be called.
WARTA_PID=""    # the server's process id
WARTA_PORT=""   # the port it listens on, chosen by the system (--port 0)
WARTA_BASE=""   # http://127.0.0.1:PORT (or warta_attach's URL), without a slash at the end
WARTA_DB=""     # WORKDIR/warta.db, the server's database
WARTA_BINARY="" # WORKDIR/warta, the copy of the binary the server runs (for CLI commands too)
WARTA_LOG=""    # WORKDIR/server.log, the server's stderr (its log); stdout is in WORKDIR/stdout.log

_warta_fail() {
    if declare -F fail >/dev/null; then fail "$@"; fi
    printf '%s\n' "$*" >&2
    exit 1
}

# warta_on_exit FUNCTION
# Runs FUNCTION (the script's cleanup, which should call warta_stop) when the script exits,
# also when interrupted or terminated: INT and TERM exit with 130 and 143, which runs it.
warta_on_exit() {
    # shellcheck disable=SC2064 # the function's name is meant to be expanded now
    trap "$1" EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# warta_wait_runnable BINARY [ATTEMPTS]
# Fails unless BINARY runs (`BINARY --help`). The binary may be being relinked by a build
# running beside this one: it tries ATTEMPTS times (default 6), 5 s apart, before failing.
warta_wait_runnable() {
    local binary="$1" attempts="${2:-6}" attempt
    for ((attempt = 1; ; attempt++)); do
        if [ -x "$binary" ] && "$binary" --help >/dev/null 2>&1; then return 0; fi
        [ "$attempt" -ge "$attempts" ] && _warta_fail "$binary does not run; build it first (swift build --product warta)"
        sleep 5
    done
}

# warta_wait_healthy BASE
# Waits up to about 10 s until BASE/healthz answers 2xx, and fails if it does not. While a
# server started by warta_start runs, it also fails, printing the server's log, if that exits.
warta_wait_healthy() {
    local base="${1%/}"
    for _ in $(seq 50); do
        _warta_healthy "$base" && return 0
        if [ -n "$WARTA_PID" ] && ! kill -0 "$WARTA_PID" 2>/dev/null; then
            cat "$WARTA_LOG" >&2
            _warta_fail "warta serve exited before $base/healthz answered"
        fi
        sleep 0.2
    done
    _warta_healthy "$base" || _warta_fail "$base/healthz does not answer"
}
_warta_healthy() {
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$1/healthz" >/dev/null 2>&1
}

# warta_start BINARY WORKDIR [extra serve args...]
# Copies BINARY to WORKDIR/warta and starts `warta serve --host 127.0.0.1 --port 0
# --db WORKDIR/warta.db [extra serve args...]` in WORKDIR, its stdout in WORKDIR/stdout.log
# and its log (stderr) in WORKDIR/server.log. Learns the port from the server's
# "listening on http://127.0.0.1:PORT" line, sets WARTA_PID, WARTA_PORT, WARTA_BASE, WARTA_DB,
# WARTA_BINARY and WARTA_LOG, and waits until /healthz answers. Fails, printing the server's
# log, if the server exits first or does not say where it listens within 30 s.
warta_start() {
    local binary="$1" work="$2"
    shift 2
    WARTA_BINARY="$work/warta"
    WARTA_DB="$work/warta.db"
    WARTA_LOG="$work/server.log"
    # A copy, so a rebuild during the run cannot swap the binary under the server or the CLI.
    cp "$binary" "$WARTA_BINARY"
    (cd "$work" && exec ./warta serve --host 127.0.0.1 --port 0 --db "$WARTA_DB" "$@" \
        >"$work/stdout.log" 2>"$WARTA_LOG") &
    WARTA_PID=$!

    WARTA_PORT=""
    for _ in $(seq 150); do
        WARTA_PORT="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$work/stdout.log" | head -n 1)"
        [ -n "$WARTA_PORT" ] && break
        kill -0 "$WARTA_PID" 2>/dev/null || { cat "$WARTA_LOG" >&2; _warta_fail "warta serve exited before listening"; }
        sleep 0.2
    done
    [ -n "$WARTA_PORT" ] || { cat "$WARTA_LOG" >&2; _warta_fail "warta serve did not say where it listens within 30 s"; }
    WARTA_BASE="http://127.0.0.1:$WARTA_PORT"
    warta_wait_healthy "$WARTA_BASE"
}

# warta_attach URL
# Uses a server already running at URL instead of starting one: sets WARTA_BASE to URL without
# a slash at the end, and waits until its /healthz answers. warta_stop leaves it running.
warta_attach() {
    WARTA_BASE="${1%/}"
    warta_wait_healthy "$WARTA_BASE"
}

# warta_stop
# Stops the server warta_start started, if it still runs: TERM, up to 10 s to exit, then KILL.
# Does nothing when none runs, so an EXIT trap can always call it.
warta_stop() {
    if [ -n "$WARTA_PID" ] && kill -0 "$WARTA_PID" 2>/dev/null; then
        kill -TERM "$WARTA_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$WARTA_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$WARTA_PID" 2>/dev/null || true
        wait "$WARTA_PID" 2>/dev/null || true
    fi
    WARTA_PID=""
}
