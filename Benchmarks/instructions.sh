#!/usr/bin/env bash
# Instructions per request on the read path, counted by callgrind: a figure that does not
# depend on what else the machine is doing, for changes too small for wrk to see.
#
# Serves the demo page under valgrind --tool=callgrind, warms up, zeroes the counters, then
# runs wrk (one thread, 4 connections, DURATION) on each PATH and divides the instructions
# the event loops executed by the requests answered. Only the event-loop threads are
# counted (--toggle-collect on EventLoop.run), so the publisher's timer and the workers do
# not blur the figure. With WARTA_BIN_BEFORE, the same for an older binary, side by side.
#
#   Benchmarks/instructions.sh      # PATHS="/api/v2/summary.json /" DURATION=10s
#   WARTA_BIN=path WARTA_BIN_BEFORE=path Benchmarks/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

PATHS=${PATHS:-"/api/v2/summary.json /"}
DURATION=${DURATION:-10s}
command -v valgrind >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
install_tools
build_warta
setup_workdir

# callgrind_control names the process by its pid; the binary is copied without its DWARF 5
# debug information, which this valgrind cannot read (the symbol table stays).
count() {
    local binary=$1 label=$2 path=$3 encoding=$4 port out requests total
    objcopy --strip-debug "$binary" "$work/warta-$label"
    cp "$work/demo.db" "$work/$label.db"
    port=$(free_port)
    valgrind --tool=callgrind --callgrind-out-file="$work/cg-$label.out" \
        '--toggle-collect=$s10HTTPServer9EventLoopC3runyyF' \
        "$work/warta-$label" serve --port "$port" --db "$work/$label.db" --no-access-log --no-probing \
        >"$work/cg-$label.log" 2>&1 &
    local pid=$!
    for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
    wrk -t1 -c4 -d2s -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port$path" >/dev/null
    callgrind_control -z "$pid" >/dev/null 2>&1
    requests=$(wrk -t1 -c4 -d"$DURATION" -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port$path" \
        | awk '/requests in/ {print $1}')
    callgrind_control -d "$pid" >/dev/null 2>&1
    sleep 1
    kill "$pid"; wait "$pid" 2>/dev/null || true
    out=$(ls -S "$work"/cg-"$label".out.* | head -1)
    total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(/,/, "", $1); print $1}')
    rm -f "$work"/cg-"$label".out*
    echo "$((total / requests))"
}

"$WARTA" serve --port 0 --db "$work/demo.db" --demo --no-probing >"$work/demo.out" 2>&1 &
demo_pid=$!
until grep -q listening "$work/demo.out" 2>/dev/null; do sleep 0.1; done
kill "$demo_pid"; wait "$demo_pid" 2>/dev/null || true

printf '%-24s %-9s %12s %12s\n' path encoding before after
for path in $PATHS; do
    for encoding in identity gzip; do
        before=-
        [ -n "${WARTA_BIN_BEFORE:-}" ] && before=$(count "$WARTA_BIN_BEFORE" before "$path" "$encoding")
        after=$(count "$WARTA" after "$path" "$encoding")
        printf '%-24s %-9s %12s %12s\n' "$path" "$encoding" "$before" "$after"
    done
done
