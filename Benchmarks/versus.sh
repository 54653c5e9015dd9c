#!/usr/bin/env bash
# Two builds of warta side by side: the one to judge (NEW, default .build/release/warta) and
# a baseline (BASE, e.g. the release binary of an earlier commit), each serving its own copy
# of one demo database on loopback. Alternates short wrk runs on the two for `/`, `/`
# gzipped and `/api/v2/summary.json` gzipped, at 64 and 512 connections, so whatever else the
# machine does falls on both alike; prints each run and the median of the rounds with the
# NEW/BASE ratio. Before anything is timed, both must answer every case 200 with the same
# body bytes.
#
#   Benchmarks/versus.sh BASE [NEW]    # DURATION=5s ROUNDS=5 CONNECTIONS="64 512"
#
#   git worktree add /tmp/base <commit> && (cd /tmp/base && swift build -c release --product warta)
#   Benchmarks/versus.sh /tmp/base/.build/release/warta
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

BASE=${1:?usage: Benchmarks/versus.sh BASE_BINARY [NEW_BINARY]}
NEW=${2:-.build/release/warta}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-"64 512"}
GZIP="Accept-Encoding: gzip"
CASES=("/|/|no" "/ gzip|/|yes" "summary gzip|/api/v2/summary.json|yes")

install_tools
setup_workdir

# One database, seeded once, copied for each side: the same content, no shared file.
WARTA=$NEW
start_warta "$work/seed.db" --demo --no-access-log
kill "$warta_pid"; wait "$warta_pid" 2>/dev/null || true
cp "$work/seed.db" "$work/base.db"
cp "$work/seed.db" "$work/new.db"

WARTA=$BASE
start_warta "$work/base.db" --no-access-log
base_pid=$warta_pid BASE_PORT=$WARTA_PORT
WARTA=$NEW
start_warta "$work/new.db" --no-access-log
new_pid=$warta_pid NEW_PORT=$WARTA_PORT
trap 'kill $base_pid $new_pid 2>/dev/null || true; cleanup' EXIT

# The same bytes on both sides. (The page shows how long ago things happened: should the two
# snapshots fall on either side of a minute, run it again.)
for case in "${CASES[@]}"; do
    IFS='|' read -r name path gzip <<<"$case"
    options=()
    [ "$gzip" = yes ] && options=(-H "$GZIP")
    for port in "$BASE_PORT" "$NEW_PORT"; do
        code=$(curl -s -o "$work/body.$port" -w '%{http_code}' "${options[@]}" "http://127.0.0.1:$port$path")
        [ "$code" = 200 ] || { echo "port $port $path: $code" >&2; exit 1; }
    done
    if ! cmp -s "$work/body.$BASE_PORT" "$work/body.$NEW_PORT"; then
        echo "$name: the two builds answer different bytes ($(wc -c <"$work/body.$BASE_PORT") vs" \
             "$(wc -c <"$work/body.$NEW_PORT")); nothing is timed" >&2
        exit 1
    fi
done
echo "base $BASE on :$BASE_PORT; new $NEW on :$NEW_PORT; same bytes on every case; wrk -t $CORES, $DURATION a run"
echo

ALTERNATE=yes compare_rounds base "$BASE_PORT" new "$NEW_PORT"

echo
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, conns, _, *values = line.strip().split("|")
    rows.setdefault((name, conns), []).append([float(v) if v != "?" else float("nan") for v in values])
row = "%-13s %-5s %11s %11s %6s %9s %9s %9s %9s %7s"
print("median of rounds")
print(row % ("case", "conns", "base req/s", "new req/s", "ratio", "base p50", "new p50", "base p99", "new p99", "errors"))
for (name, conns), runs in rows.items():
    b_rps, b_p50, b_p99, _, n_rps, n_p50, n_p99, _ = [statistics.median(c) for c in zip(*runs)]
    b_err, n_err = sum(r[3] for r in runs), sum(r[7] for r in runs)
    print(row % (name, conns, f"{b_rps:.0f}", f"{n_rps:.0f}", f"{n_rps / b_rps:.2f}x", f"{b_p50:.2f}ms",
                 f"{n_p50:.2f}ms", f"{b_p99:.2f}ms", f"{n_p99:.2f}ms", f"{b_err:.0f}/{n_err:.0f}"))
PY
