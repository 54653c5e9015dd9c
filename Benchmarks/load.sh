#!/usr/bin/env bash
# Warta serving the demo page against nginx serving the same site exported as static files
# (`warta export`, with the .gz siblings nginx's gzip_static sends), on loopback.
#
# 1. Alternates wrk runs (10 s each) on warta and nginx for `/`, `/` gzipped and
#    `/api/v2/summary.json` identity and gzipped, at 64 and 512 connections, three rounds: req/s, p50,
#    p99 and errors side by side, then the median of the rounds per case.
# 2. Holds 10,000 idle keep-alive connections on warta: its resident memory, and /healthz.
# 3. Readers during writes: wrk on `/` gzipped without writes, then while a writer posts
#    10 incident updates a second through the v1 API, three rounds; a separate reader polls
#    /api/v2/summary.json and times each update from its 2xx until it is visible.
# Last, a summary against the targets. Run by hand: the figures depend on the machine and
# whatever else it is doing, which is why both servers run in one session.
#
#   Benchmarks/load.sh     # DURATION=10s ROUNDS=3 CONNECTIONS="64 512" IDLE=10000
#                          # WRITE_RATE=10 WRITE_ROUNDS=3 READ_CONNECTIONS=64
#                          # WARTA_BIN=path skips the build; ROUNDS=0 skips to step 2
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-"64 512"}
IDLE=${IDLE:-10000}
WRITE_RATE=${WRITE_RATE:-10}
READ_CONNECTIONS=${READ_CONNECTIONS:-64}
WRITE_ROUNDS=${WRITE_ROUNDS:-3}
GZIP="Accept-Encoding: gzip"
# name|path|gzip: nginx serves `/` from index.html (or index.html.gz) through `index`.
CASES=("/|/|no" "/ gzip|/|yes" "summary|/api/v2/summary.json|no" "summary gzip|/api/v2/summary.json|yes")

install_tools
build_warta
setup_workdir

# The token before the server, as writes.sh; then the page's url, so feeds have absolute links.
token=$("$WARTA" token create bench --db "$work/warta.db" 2>/dev/null)
AUTH="Authorization: Bearer $token"
start_warta "$work/warta.db" --demo --no-access-log
WARTA_URL="http://127.0.0.1:$WARTA_PORT"
PAGE=$(curl -sf -H "$AUTH" "$WARTA_URL/v1/pages" | grep -o '"id":"[a-z0-9]*"' | head -1 | cut -d'"' -f4)
curl -sf -o /dev/null -H "$AUTH" -H "Content-Type: application/json" -X PATCH "$WARTA_URL/v1/pages/$PAGE" \
    -d "{\"page\":{\"url\":\"$WARTA_URL\"}}"

# The same site as files, from the same database right away (the page shows today's
# uptime, so the bytes may drift apart over a day; for load that does not matter).
"$WARTA" export "$work/site" --db "$work/warta.db" >"$work/export.out"
start_nginx "$work/site" "    include /etc/nginx/mime.types;
    index index.html;
    etag on;
    gzip off;
    gzip_static on;
    gzip_vary on;"
sleep 0.3

# Both must answer 200 (and gzip where asked) before anything is measured.
for case in "${CASES[@]}"; do
    IFS='|' read -r name path gzip <<<"$case"
    for port in "$NGINX_PORT" "$WARTA_PORT"; do
        if [ "$gzip" = yes ]; then
            headers=$(curl -s -o /dev/null -D - -H "$GZIP" "http://127.0.0.1:$port$path")
        else
            headers=$(curl -s -o /dev/null -D - "http://127.0.0.1:$port$path")
        fi
        if ! head -1 <<<"$headers" | grep -q ' 200'; then
            echo "port $port $path: $(head -1 <<<"$headers")" >&2
            exit 1
        fi
        if [ "$gzip" = yes ] && ! grep -qi '^content-encoding: *gzip' <<<"$headers"; then
            echo "port $port $path: no Content-Encoding: gzip" >&2
            exit 1
        fi
    done
done
echo "warta $WARTA_URL (demo); nginx http://127.0.0.1:$NGINX_PORT" \
     "($(sed 's/^Wrote \([0-9]*\) files.*/\1 files exported/' "$work/export.out")); wrk -t $CORES, $DURATION a run"
echo

compare_rounds nginx "$NGINX_PORT" warta "$WARTA_PORT"   # ROUNDS=0 skips to the idle connections

# The median of the rounds per case, and each case's verdict for the summary at the end.
echo
python3 - "$work/results" "$work/verdicts" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, conns, _, *values = line.strip().split("|")
    rows.setdefault((name, conns), []).append([float(v) if v != "?" else float("nan") for v in values])
out = open(sys.argv[2], "w")
row = "%-13s %-5s %11s %11s %6s %9s %9s %9s %9s %7s"
print("median of rounds")
print(row % ("case", "conns", "nginx req/s", "warta req/s", "ratio", "nginx p50", "warta p50", "nginx p99", "warta p99", "errors"))
for (name, conns), runs in rows.items():
    med = [statistics.median(column) for column in zip(*runs)]
    n_rps, n_p50, n_p99, _, w_rps, w_p50, w_p99, _ = med
    n_err, w_err = sum(r[3] for r in runs), sum(r[7] for r in runs)
    ratio = w_rps / n_rps if n_rps else float("nan")
    print(row % (name, conns, f"{n_rps:.0f}", f"{w_rps:.0f}", f"{ratio:.2f}x", f"{n_p50:.2f}ms", f"{w_p50:.2f}ms",
                 f"{n_p99:.2f}ms", f"{w_p99:.2f}ms", f"{n_err:.0f}/{w_err:.0f}"))
    misses = []
    if not ratio >= 1.3: misses.append("req/s")
    if not w_p99 <= n_p99: misses.append("p99")
    if w_err: misses.append("errors")
    out.write(f"{'MISS' if misses else 'ok'}|{name} @{conns}: {ratio:.2f}x nginx's req/s (>= 1.3), "
              f"p99 {w_p99:.2f}ms vs nginx's {n_p99:.2f}ms, {w_err:.0f} errors"
              + (f" (misses: {', '.join(misses)})" if misses else "") + "\n")
PY

echo
idle_check "$IDLE"
kill "$idle_pid" 2>/dev/null || true
wait "$idle_pid" 2>/dev/null || true
idle_pid=

# Readers during writes, WRITE_ROUNDS rounds, each without writes then with them. With
# them, the writer opens an incident and posts updates to it at WRITE_RATE a second (a new
# incident every 20 updates, the last one resolved at the end) while wrk reads `/` gzipped.
# Both times a reader polls /api/v2/summary.json in a tight loop on one keep-alive
# connection, so the two wrk runs differ only by the writes.
case $DURATION in
    *m) seconds=$((${DURATION%m} * 60)) ;;
    *s) seconds=${DURATION%s} ;;
    *) seconds=$DURATION ;;
esac
# readers RATE: "req/s p50 p99 errors acknowledged failed writes/s polls/s never-seen"; each
# update's time from its 2xx until the reader saw it goes to $work/visible (ms, one a line).
readers() {
    local rate=$1 stats
    measure "$WARTA_PORT" "$READ_CONNECTIONS" / -H "$GZIP" >"$work/wrk.out" &
    local wrk_pid=$!
    stats=$(python3 - "$WARTA_PORT" "$token" "$PAGE" "$rate" "$seconds" "$work/visible" <<'PY'
import http.client, json, multiprocessing, re, sys, time
port, token, page = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rate, seconds, visible = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
mark = f"load-{time.time_ns()}-"

def call(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()

def reader(stop, pipe):
    # Every update text in each answer, with the first time (CLOCK_MONOTONIC, shared by
    # processes) it was seen; a process of its own, so it never waits for the writer's GIL.
    conn = http.client.HTTPConnection("127.0.0.1", port)
    pattern = re.compile(re.escape(mark.encode()) + rb"(\d+)")
    seen, polls, started = {}, 0, time.monotonic()
    while not stop.is_set():
        _, body = call(conn, "GET", "/api/v2/summary.json")
        now = time.monotonic()
        polls += 1
        for n in pattern.findall(body):
            seen.setdefault(int(n), now)
    pipe.send((seen, polls / (time.monotonic() - started)))

def writer(pipe):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    def post(method, path, incident):
        return call(conn, method, f"/v1/pages/{page}/incidents{path}", json.dumps({"incident": incident}), auth)
    current, acked, failures, started, n = None, {}, 0, time.monotonic(), 0
    while rate and n / rate < seconds:
        time.sleep(max(0.0, started + n / rate - time.monotonic()))
        # A real incident has tens of updates, not hundreds: start a new one every 20 (as
        # writes.sh), so the documents rebuilt on each write stay the size of a real day.
        if n % 20 == 0:
            if current:
                post("PATCH", f"/{current}", {"status": "resolved", "body": "done"})
            current = json.loads(post("POST", "", {"name": f"Load benchmark {n}", "body": "start"})[1])["id"]
        status, _ = post("PATCH", f"/{current}", {"status": "identified", "body": f"{mark}{n}"})
        if 200 <= status < 300:
            acked[n] = time.monotonic()
        else:
            failures += 1
        n += 1
    write_rate = len(acked) / (time.monotonic() - started) if acked else 0.0
    time.sleep(0.5)   # the last update has time to show before its incident is resolved
    if current:
        post("PATCH", f"/{current}", {"status": "resolved", "body": "done"})
    pipe.send((acked, failures, write_rate))

processes = multiprocessing.get_context("fork")
stop = processes.Event()
reads, reads_out = processes.Pipe(False)
writes, writes_out = processes.Pipe(False)
r = processes.Process(target=reader, args=(stop, reads_out))
w = processes.Process(target=writer, args=(writes_out,))
r.start(); w.start()
if rate:
    acked, failures, write_rate = writes.recv()
else:
    time.sleep(seconds + 0.5)
    acked, failures, write_rate = {}, 0, 0.0
stop.set()
seen, poll_rate = reads.recv()
r.join(); w.join()
# From the 2xx until the reader's first answer holding it; 0 when it was seen before the
# writer had its 2xx (the snapshot is swapped before the response is sent).
with open(visible, "a") as out:
    for n, t in acked.items():
        if n in seen:
            out.write(f"{max(0.0, seen[n] - t) * 1000:.3f}\n")
missed = sum(1 for n in acked if n not in seen)
print(f"{len(acked)} {failures} {write_rate:.1f} {poll_rate:.0f} {missed}")
PY
)
    wait "$wrk_pid"
    echo "$(cat "$work/wrk.out") $stats"
}
echo
echo "readers during writes: wrk -c $READ_CONNECTIONS on / gzipped, $WRITE_RATE updates/s or none," \
     "a reader polling /api/v2/summary.json"
reads() { printf '%-6s %14s %14s %7s %11s %11s %9s %15s\n' "$@"; }
reads round "no writes r/s" "writes r/s" ratio "p99 no wr." "p99 writes" errors "reader polls/s"
acked=0 failed=0 missed=0 read_errors=0 rate_sum=0
touch "$work/visible"
for round in $(seq "$WRITE_ROUNDS"); do
    read -r b_rps _ b_p99 b_err _ _ _ b_polls _ < <(readers 0)
    read -r l_rps _ l_p99 l_err a f r l_polls m < <(readers "$WRITE_RATE")
    ratio=$(awk -v a="$l_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", a / b }')
    echo "$ratio" >>"$work/ratios"
    acked=$((acked + a)) failed=$((failed + f)) missed=$((missed + m)) read_errors=$((read_errors + b_err + l_err))
    rate_sum=$(awk -v s="$rate_sum" -v r="$r" 'BEGIN { print s + r }')
    reads "$round" "$(printf %.0f "$b_rps")" "$(printf %.0f "$l_rps")" "${ratio}x" "${b_p99}ms" "${l_p99}ms" \
        "$b_err/$l_err" "$b_polls/$l_polls"
done
read_ratio=$(sort -n "$work/ratios" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
read -r vis_p50 vis_p99 vis_max < <(sort -n "$work/visible" | awk '{ v[NR] = $1 }
    function pct(p) { i = int(p * NR) + 1; return v[i > NR ? NR : i] }
    END { if (NR) printf "%.2f %.2f %.2f\n", pct(0.5), pct(0.99), v[NR]; else print "nan nan nan" }')
echo "median ratio ${read_ratio}x; $acked updates acknowledged" \
     "($(awk -v s="$rate_sum" -v n="$WRITE_ROUNDS" 'BEGIN { printf "%.1f", s / n }')/s), $failed failed;" \
     "write-to-visible p50 ${vis_p50}ms p99 ${vis_p99}ms max ${vis_max}ms; never seen: $missed"

verdict() { if [ "$1" = 1 ]; then echo ok; else echo "MISS"; fi; }
echo
echo "targets"
while IFS='|' read -r result what; do printf '  %-6s %s\n' "$result" "$what"; done <"$work/verdicts"
printf '  %-6s idle: %s MiB resident with %s of %s connections (< 300 MB), /healthz %s\n' \
    "$(verdict "$(awk -v r="$rss_idle" -v h="$idle_held" -v n="$IDLE" -v s="$idle_health" \
        'BEGIN { print (r * 1024 < 300e6 && h == n && s == 200) ? 1 : 0 }')")" \
    "$((rss_idle / 1024))" "$idle_held" "$IDLE" "$idle_health"
printf '  %-6s readers: %sx the req/s without writes, median of %s rounds (>= 0.8), %s errors\n' \
    "$(verdict "$(awk -v r="$read_ratio" -v e="$read_errors" 'BEGIN { print (r >= 0.8 && e == 0) ? 1 : 0 }')")" \
    "$read_ratio" "$WRITE_ROUNDS" "$read_errors"
printf '  %-6s write-to-visible: max %sms, p99 %sms (< 100 ms), %s never seen, %s writes failed\n' \
    "$(verdict "$(awk -v m="$vis_max" -v x="$missed" -v f="$failed" 'BEGIN { print (m < 100 && x == 0 && f == 0) ? 1 : 0 }')")" \
    "$vis_max" "$vis_p99" "$missed" "$failed"
