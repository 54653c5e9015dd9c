#!/usr/bin/env bash
# Durable writes through the v1 API: how many incident updates per second Warta
# acknowledges (each one committed with synchronous=FULL and published in a new snapshot
# before its response), and whether the very next read of /api/v2/summary.json shows it.
#
#   Benchmarks/writes.sh              # WRITES=1000 CLIENTS="1 4"
#                                     # WARTA_BIN=path skips the build
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
WRITES=${WRITES:-1000}
CLIENTS=${CLIENTS:-"1 4"}

build_warta
setup_workdir
token=$("$WARTA" token create bench --db "$work/warta.db" 2>/dev/null)
start_warta "$work/warta.db" --no-access-log
port=$WARTA_PORT

for clients in $CLIENTS; do
python3 - "$port" "$token" "$WRITES" "$clients" <<'PY'
import http.client, json, sys, threading, time
port, token, writes, clients = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

def call(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()

setup = http.client.HTTPConnection("127.0.0.1", port)
page = json.loads(call(setup, "GET", "/v1/pages", headers=auth)[1])[0]["id"]

def open_incident(conn, name):
    status, body = call(conn, "POST", f"/v1/pages/{page}/incidents",
                        json.dumps({"incident": {"name": name, "body": "start"}}), auth)
    return json.loads(body)["id"]

latencies, stale, failures = [], [0], [0]
verify = False
lock = threading.Lock()
def worker(count, index):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    reader = http.client.HTTPConnection("127.0.0.1", port)
    incident = None
    for n in range(count):
        # A real incident has tens of updates, not thousands: start a new one every 20, so
        # the documents rebuilt on each write stay the size they are on a real day.
        if n % 20 == 0:
            if incident:
                call(conn, "PATCH", f"/v1/pages/{page}/incidents/{incident}",
                     json.dumps({"incident": {"status": "resolved", "body": "done"}}), auth)
            incident = open_incident(conn, f"bench {index}-{n}")
        text = f"update {index}-{n}"
        started = time.perf_counter()
        status, _ = call(conn, "PATCH", f"/v1/pages/{page}/incidents/{incident}",
                         json.dumps({"incident": {"status": "identified", "body": text}}), auth)
        elapsed = time.perf_counter() - started
        if status != 200:
            with lock: failures[0] += 1
            continue
        with lock: latencies.append(elapsed)
        if not verify:
            continue
        # The very next read after the 2xx must show the update (newest first).
        _, summary = call(reader, "GET", "/api/v2/summary.json")
        shown = [u["body"] for i in json.loads(summary)["incidents"] if i["id"] == incident for u in i["incident_updates"]]
        if text not in shown:
            with lock: stale[0] += 1

def run(count, verifying):
    global verify
    verify = verifying
    latencies.clear()
    per_client = count // clients
    threads = [threading.Thread(target=worker, args=(per_client, i)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    return time.perf_counter() - started

# Throughput: writes only. Then visibility: after each 2xx, the next read must show it.
wall = run(writes, False)
latencies.sort()
def pct(p): return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
line = (f"clients={clients} writes={len(latencies)} failures={failures[0]} "
        f"writes/s={len(latencies) / wall:.0f} p50={pct(0.5):.2f}ms p99={pct(0.99):.2f}ms")
run(min(writes, 200), True)
print(f"{line} | visibility: {len(latencies)} writes, stale reads after 2xx={stale[0]}")
PY
done
