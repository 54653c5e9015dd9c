#!/usr/bin/env bash
# Reads during a burst of writes: the latency of `/history?page=3` (rendered from the store
# once per snapshot, then served from it) and of the management API's incident search (read
# from the store on every request) while staff post WRITES_PER_SECOND incident updates,
# on a database with INCIDENTS backdated incidents over two years. Readers keep a fixed pace
# (READ_RATE requests a second on each of READERS connections, and on the search's one), so
# the machine is not saturated and a latency shows waiting, not a queue for the CPU. Run for
# two binaries, BEFORE and AFTER, each on its own copy of the same generated history, one
# after the other.
#
#   Benchmarks/reads.sh       # INCIDENTS=4000 WRITES_PER_SECOND=10 SECONDS_EACH=20 READERS=4 READ_RATE=50
#   WARTA_BIN_BEFORE=/tmp/warta-before WARTA_BIN=.build/release/warta Benchmarks/reads.sh
#
# WARTA_BIN_BEFORE defaults to /tmp/warta-before; WARTA_BIN skips the build of AFTER.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
INCIDENTS=${INCIDENTS:-4000}
WRITES_PER_SECOND=${WRITES_PER_SECOND:-10}
SECONDS_EACH=${SECONDS_EACH:-20}
READERS=${READERS:-4}
READ_RATE=${READ_RATE:-50}
BEFORE=${WARTA_BIN_BEFORE:-/tmp/warta-before}

build_warta
setup_workdir

# INCIDENTS incidents over the two years before now, with 20 components, written straight
# into SQLite by the generator scale.sh uses too.
generate_history() {
    python3 Benchmarks/lib/generate-history.py "$1" --incidents "$INCIDENTS" --components 20 >/dev/null
}

# Writes at WRITES_PER_SECOND for SECONDS_EACH while READERS connections fetch
# /history?page=3 and one more searches incidents through the API, each at READ_RATE a
# second; prints the latencies.
measure_reads() {
    python3 - "$WARTA_PORT" "$1" "$WRITES_PER_SECOND" "$SECONDS_EACH" "$READERS" "$READ_RATE" <<'PY'
import http.client, json, sys, threading, time
port, token, rate, seconds, readers, read_rate = (int(sys.argv[1]), sys.argv[2], float(sys.argv[3]),
                                                  float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

def call(conn, method, path, body=None, headers=None):
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, data, time.perf_counter() - started

setup = http.client.HTTPConnection("127.0.0.1", port)
page = json.loads(call(setup, "GET", "/v1/pages", headers=auth)[1])[0]["id"]
incident = json.loads(call(setup, "POST", f"/v1/pages/{page}/incidents",
                           json.dumps({"incident": {"name": "Burst", "body": "start"}}), auth)[1])["id"]
# Warm: the history page rendered once, the reader connections opened.
for _ in range(3):
    call(setup, "GET", "/history?page=3")
    call(setup, "GET", f"/v1/pages/{page}/incidents?q=case%201&limit=20", headers=auth)

stop = threading.Event()
samples = {"history": [], "search": [], "write": []}
failures = {"history": 0, "search": 0, "write": 0}
lock = threading.Lock()
def record(kind, status, elapsed):
    with lock:
        if status == 200: samples[kind].append(elapsed)
        else: failures[kind] += 1

# Each on a fixed schedule, not after each response: a slow answer does not lower the rate.
def paced(kind, per_second, method, path, body=None, headers=None):
    def run():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        n, started = 0, time.perf_counter()
        while not stop.is_set():
            status, _, elapsed = call(conn, method, path, body(n) if body else None, headers)
            record(kind, status, elapsed)
            n += 1
            time.sleep(max(0, started + n / per_second - time.perf_counter()))
    return threading.Thread(target=run)

threads = [paced("write", rate, "PATCH", f"/v1/pages/{page}/incidents/{incident}",
                 lambda n: json.dumps({"incident": {"status": "identified", "body": f"update {n}"}}), auth),
           paced("search", read_rate, "GET", f"/v1/pages/{page}/incidents?q=case%201&limit=20", headers=auth)]
threads += [paced("history", read_rate, "GET", "/history?page=3") for _ in range(readers)]
for t in threads: t.start()
time.sleep(seconds)
stop.set()
for t in threads: t.join()

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")
for kind in ("history", "search", "write"):
    values = samples[kind]
    print(f"  {kind:8} n={len(values):6} failures={failures[kind]} p50={pct(values, 0.5):7.2f}ms "
          f"p99={pct(values, 0.99):7.2f}ms p99.9={pct(values, 0.999):7.2f}ms max={pct(values, 1.0):7.2f}ms")
PY
}

for label in before after; do
    bin=$BEFORE
    [ "$label" = after ] && bin=$WARTA
    db="$work/$label.db"
    token=$("$bin" token create bench --db "$db" 2>/dev/null)
    generate_history "$db"
    WARTA=$bin start_warta "$db" --no-access-log
    echo "$label ($bin): $INCIDENTS incidents, $WRITES_PER_SECOND writes/s for ${SECONDS_EACH}s," \
         "$READERS history readers and 1 search at $READ_RATE/s each"
    measure_reads "$token"
    kill "$warta_pid"
    wait "$warta_pid" 2>/dev/null || true
    warta_pid=
done
