#!/usr/bin/env bash
# What automatic checks cost: the CPU of probing 500 http checks every 10 s, and what it
# takes from readers of `/`.
#
# 1. One asyncio server answers N paths (/svc/0 … /svc/N-1), each after 100 ms, and counts
#    the requests it gets.
# 2. A release `warta serve` with no checks: its CPU over MEASURE seconds (utime + stime from
#    /proc/PID/stat, as % of one core) and wrk on `/` (DURATION, CONNECTIONS).
# 3. N http checks (every INTERVAL s, timeout 5 s) created through the management API; after
#    two intervals of warm-up, the same two measurements while they are probed, and how many
#    probes the targets saw in the meantime (N * MEASURE / INTERVAL expected).
# Side by side, then the target: probing costs < 5 % of one core.
#
#   Benchmarks/checks.sh   # N=500 INTERVAL=10 MEASURE=60 DURATION=10s CONNECTIONS=64
#                          # WARTA_BIN=path skips the build
#
# MODE=local (default): the server probes its checks itself, as location `local`.
# MODE=remote: a `warta probe` process on this machine probes them and posts each result to
#   the server (location `bench`); its CPU is shown too, and readers share the machine with it.
# MODE=standin: `warta probe` alone, against a stand-in for the management API (Python) that
#   lists N checks and counts the results posted: the prober's own cost, no server involved.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

N=${N:-500}
INTERVAL=${INTERVAL:-10}
MEASURE=${MEASURE:-60}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
MODE=${MODE:-local}
TICKS=$(getconf CLK_TCK)
case $MODE in local|remote|standin) ;; *) echo "MODE must be local, remote or standin, not $MODE" >&2; exit 2 ;; esac

install_tools
build_warta
setup_workdir
target_pid= probe_pid= standin_pid=
stop_helpers() {
    for pid in $probe_pid $target_pid $standin_pid; do kill "$pid" 2>/dev/null || true; done
    cleanup
}
trap stop_helpers EXIT

# The services watched: N paths on one port, each answered after 100 ms; /count says how many
# requests have come (and is not counted).
TARGET_PORT=$(free_port)
python3 - "$TARGET_PORT" <<'PY' &
import asyncio, sys
port, served = int(sys.argv[1]), 0
async def answer(reader, writer):
    global served
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split(b" ", 2)[1]
        if path == b"/count":
            body = str(served).encode()
        else:
            served += 1
            await asyncio.sleep(0.1)
            body = b"ok"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()
asyncio.run(main())
PY
target_pid=$!
probes_seen() { curl -sf "http://127.0.0.1:$TARGET_PORT/count"; }
for _ in $(seq 50); do probes_seen >/dev/null 2>&1 && break; sleep 0.1; done

# utime + stime of PID, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the name).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# CPU of each PID over MEASURE seconds, as "% of one core" figures, one per PID.
cpu_over_measure() {
    local before=() after=() pid i
    for pid in "$@"; do before+=("$(cpu_ticks "$pid")"); done
    sleep "$MEASURE"
    for pid in "$@"; do after+=("$(cpu_ticks "$pid")"); done
    for i in "${!before[@]}"; do
        awk -v a="${after[$i]}" -v b="${before[$i]}" -v t="$TICKS" -v s="$MEASURE" 'BEGIN { printf "%.2f\n", (a - b) / t / s * 100 }'
    done
}

if [ "$MODE" = standin ]; then
    # The management API as `warta probe` uses it: one page, N checks, results counted.
    STANDIN_PORT=$(free_port)
    python3 - "$STANDIN_PORT" "$TARGET_PORT" "$N" "$INTERVAL" "$work/results.count" <<'PY' &
import http.server, json, sys, threading, urllib.parse
port, target, n, interval, count_file = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
checks = [{"id": "svc%09d" % i, "page_id": "pgbench", "component_id": "cmpbench", "name": "svc-%d" % i, "type": "http",
           "url": "http://127.0.0.1:%d/svc/%d" % (target, i), "method": "GET", "expected_statuses": [],
           "body_contains": None, "follow_redirects": False, "interval": interval, "timeout": 5, "grace": None,
           "failure_threshold": 3, "success_threshold": 2, "state": "unknown", "since": None, "last_checked_at": None,
           "last_beat_at": None, "locations": [], "created_at": "2026-01-01T00:00:00.000Z",
           "updated_at": "2026-01-01T00:00:00.000Z"} for i in range(n)]
results, lock = 0, threading.Lock()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/v1/pages":
            self.send([{"id": "pgbench"}])
        elif url.path == "/v1/pages/pgbench/checks":
            size, page = int(query.get("per_page", 100)), int(query.get("page", 1))
            self.send(checks[(page - 1) * size:page * size])
        elif url.path == "/count":
            self.send(results)
        else:
            self.send_error(404)
    def do_POST(self):
        global results
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            results += 1
        self.send({})
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024   # the default 5 drops connections a prober opens at once
Server(("127.0.0.1", port), Handler).serve_forever()
PY
    standin_pid=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$STANDIN_PORT/count" >/dev/null 2>&1 && break; sleep 0.1; done
    results_posted() { curl -sf "http://127.0.0.1:$STANDIN_PORT/count"; }
    WARTA_PROBE_TOKEN=standin "$WARTA" probe --server "http://127.0.0.1:$STANDIN_PORT" --location bench \
        2>"$work/probe.log" &
    probe_pid=$!
    echo "warta probe against a stand-in listing $N http checks (every $INTERVAL s, targets answering in 100 ms)"
    sleep $((2 * INTERVAL + 5))
    seen_before=$(probes_seen) posted_before=$(results_posted)
    probe_cpu=$(cpu_over_measure "$probe_pid")
    seen=$(($(probes_seen) - seen_before)) posted=$(($(results_posted) - posted_before))
    echo "over $MEASURE s: $seen probes seen by the targets (expected $((N * MEASURE / INTERVAL))), $posted results posted" \
         "($(grep -c 'result dropped' "$work/probe.log" || true) dropped in all); warta probe: $probe_cpu % of one core," \
         "$((($(rss_kib "$probe_pid")) / 1024)) MiB resident"
    echo
    echo "targets"
    printf '  %-6s prober: %s %% of one core for %s checks every %s s (< 5 %%), %s of %s probes made\n' \
        "$(awk -v c="$probe_cpu" -v s="$seen" -v e="$((N * MEASURE / INTERVAL))" 'BEGIN { print (c < 5 && s >= 0.95 * e) ? "ok" : "MISS" }')" \
        "$probe_cpu" "$N" "$INTERVAL" "$seen" "$((N * MEASURE / INTERVAL))"
    exit 0
fi

token=$("$WARTA" token create bench --db "$work/warta.db" 2>/dev/null)
AUTH="Authorization: Bearer $token"
# In remote mode the server only counts: every probe is the remote prober's.
if [ "$MODE" = remote ]; then start_warta "$work/warta.db" --no-access-log --no-probing
else start_warta "$work/warta.db" --no-access-log; fi
WARTA_URL="http://127.0.0.1:$WARTA_PORT"
PAGE=$(curl -sf -H "$AUTH" "$WARTA_URL/v1/pages" | grep -o '"id":"[a-z0-9]*"' | head -1 | cut -d'"' -f4)
COMPONENT=$(curl -sf -H "$AUTH" -H "Content-Type: application/json" -X POST "$WARTA_URL/v1/pages/$PAGE/components" \
    -d '{"component":{"name":"Layanan paspor"}}' | grep -o '"id":"[a-z0-9]*"' | head -1 | cut -d'"' -f4)
echo "warta $WARTA_URL ($MODE probing), $N targets on port $TARGET_PORT answering in 100 ms;" \
     "CPU over $MEASURE s, wrk -t $CORES -c $CONNECTIONS $DURATION on /"

# Readers ask for gzip, as browsers do: the page grows with its checks, and identity bytes
# would measure the loopback, not the server.
GZIP=(-H "Accept-Encoding: gzip")

# Before any check: the server idle, then readers.
read -r idle_cpu < <(cpu_over_measure "$warta_pid")
read -r idle_rps idle_p50 idle_p99 idle_err < <(measure "$WARTA_PORT" "$CONNECTIONS" / "${GZIP[@]}")

# N checks through the management API, on one keep-alive connection.
python3 - "$WARTA_PORT" "$token" "$PAGE" "$COMPONENT" "$TARGET_PORT" "$N" "$INTERVAL" <<'PY'
import http.client, json, sys
port, token, page, component, target, n, interval = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
conn = http.client.HTTPConnection("127.0.0.1", int(port))
for i in range(n):
    body = {"check": {"name": f"svc-{i}", "component_id": component, "type": "http",
                      "url": f"http://127.0.0.1:{target}/svc/{i}", "interval": interval, "timeout": 5}}
    conn.request("POST", f"/v1/pages/{page}/checks", json.dumps(body),
                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    response = conn.getresponse()
    answer = response.read()
    if response.status != 201:
        sys.exit(f"creating check {i}: HTTP {response.status} {answer[:200]!r}")
PY
pids=("$warta_pid")
if [ "$MODE" = remote ]; then
    WARTA_PROBE_TOKEN=$token "$WARTA" probe --server "$WARTA_URL" --location bench 2>"$work/probe.log" &
    probe_pid=$!
    pids+=("$probe_pid")
fi
sleep $((2 * INTERVAL + 5))
seen_before=$(probes_seen)
if [ "$seen_before" -eq 0 ]; then
    echo "no probe reached the targets after $((2 * INTERVAL + 5)) s: does this build of warta serve probe by itself? (MODE=remote or standin measure the prober)" >&2
    exit 1
fi
mapfile -t busy_cpu < <(cpu_over_measure "${pids[@]}")
seen=$(($(probes_seen) - seen_before))
read -r busy_rps busy_p50 busy_p99 busy_err < <(measure "$WARTA_PORT" "$CONNECTIONS" / "${GZIP[@]}")
reported=$(curl -sf -H "$AUTH" "$WARTA_URL/v1/pages/$PAGE/checks?per_page=100" | grep -o '"last_report_at":"[^"]*"' | wc -l)
page_bytes=$(curl -sf "${GZIP[@]}" "$WARTA_URL/" | wc -c)

# The same page and checks, nobody probing: what probing itself costs the server and readers.
[ -n "$probe_pid" ] && kill "$probe_pid" && wait "$probe_pid" 2>/dev/null || true
probe_pid=
kill "$warta_pid" && wait "$warta_pid" 2>/dev/null || true
start_warta "$work/warta.db" --no-access-log --no-probing
# Unprobed, each check's location falls silent three intervals after its last report: let
# those changes pass before measuring the quiet state.
sleep $((3 * INTERVAL + 5))
read -r quiet_cpu < <(cpu_over_measure "$warta_pid")
read -r quiet_rps quiet_p50 quiet_p99 quiet_err < <(measure "$WARTA_PORT" "$CONNECTIONS" / "${GZIP[@]}")

echo
row() { printf '%-28s %12s %12s %10s %10s %8s\n' "$@"; }
row case "warta CPU" "req/s on /" "p50" "p99" errors
row "no checks" "$idle_cpu %" "$(printf %.0f "$idle_rps")" "${idle_p50}ms" "${idle_p99}ms" "$idle_err"
row "$N checks, not probed" "$quiet_cpu %" "$(printf %.0f "$quiet_rps")" "${quiet_p50}ms" "${quiet_p99}ms" "$quiet_err"
row "$N checks / $INTERVAL s, probed" "${busy_cpu[0]} %" "$(printf %.0f "$busy_rps")" "${busy_p50}ms" "${busy_p99}ms" "$busy_err"
[ "$MODE" = remote ] && echo "warta probe (same machine): ${busy_cpu[1]} % of one core"
echo "over $MEASURE s the targets saw $seen probes (expected $((N * MEASURE / INTERVAL)));" \
     "$reported of the first 100 checks show a location report; / is $page_bytes bytes gzipped"

probing_cpu=$(awk -v b="${busy_cpu[0]}" -v q="$quiet_cpu" -v p="${busy_cpu[1]:-0}" 'BEGIN { printf "%.2f", b - q + p }')
echo
echo "targets"
printf '  %-6s probing: %s %% of one core for %s checks every %s s (< 5 %%), %s of %s probes made\n' \
    "$(awk -v c="$probing_cpu" -v s="$seen" -v e="$((N * MEASURE / INTERVAL))" 'BEGIN { print (c < 5 && s >= 0.95 * e) ? "ok" : "MISS" }')" \
    "$probing_cpu" "$N" "$INTERVAL" "$seen" "$((N * MEASURE / INTERVAL))"
# Readers have no target of their own here: wrk, the targets and warta share the machine.
printf '  %-6s readers: %s req/s while probing, %s with the same checks not probed (%sx), %s errors\n' "" \
    "$(printf %.0f "$busy_rps")" "$(printf %.0f "$quiet_rps")" \
    "$(awk -v a="$busy_rps" -v b="$quiet_rps" 'BEGIN { printf "%.2f", a / b }')" "$busy_err"
