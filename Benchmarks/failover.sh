#!/usr/bin/env bash
# Failover with Litestream, CYCLES times with the release binary: a writer posts an incident
# update every 100 ms through the management API while `litestream replicate` streams the
# database to a file replica; at a random moment (1.5 to 4 s in) Warta and Litestream are
# both killed with SIGKILL, as when the machine dies; `litestream restore` builds a standby in
# a fresh folder from the replica alone, `warta check` must pass on it, Warta starts there and
# the updates it holds are read back through the API. The standby is the next cycle's
# primary, replicated to a new replica.
#
#   Benchmarks/failover.sh                       # CYCLES=20, Litestream's default 1 s intervals
#   MONITOR_INTERVAL=100ms SYNC_INTERVAL=100ms Benchmarks/failover.sh
#
# Prints per cycle: updates sent (the last may have been in flight at the kill), acknowledged,
# present on the standby, acknowledged but lost, the loss window (from the oldest lost
# acknowledgement to the kill: the replication lag at that moment), and whether every update
# acknowledged longer ago than MONITOR_INTERVAL + SYNC_INTERVAL was there; then a summary
# line. Needs `make scale-deps` (Litestream 0.5).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
CYCLES=${CYCLES:-20}
MONITOR_INTERVAL=${MONITOR_INTERVAL:-1s}
SYNC_INTERVAL=${SYNC_INTERVAL:-1s}
LITESTREAM=${LITESTREAM:-.venv-scale/bin/litestream}
[ -x "$LITESTREAM" ] || { echo "$LITESTREAM is missing: run make scale-deps" >&2; exit 1; }

build_warta
setup_workdir
stop_litestream() { [ -n "${litestream_pid:-}" ] && kill -9 "$litestream_pid" 2>/dev/null || true; cleanup; }
trap stop_litestream EXIT

# Seconds in a duration such as 1s or 100ms.
seconds() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) { sub(/ms/, "", d); print d / 1000 } else { sub(/s$/, "", d); print d } }'; }
lag_bound=$(awk -v m="$(seconds "$MONITOR_INTERVAL")" -v s="$(seconds "$SYNC_INTERVAL")" 'BEGIN { print m + s }')

cat > "$work/failover.py" <<'PY'
import json, os, random, signal, sys, threading, time, urllib.request

def request(port, token, method, path, form=None):
    data = form.encode() if form is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Connection": "close"})
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(req, timeout=10) as response:
        return response.status, response.read()

mode = sys.argv[1]
if mode == "write":
    # write PORT TOKEN PAGE INCIDENT CYCLE KILL_AFTER PID... : updates every 100 ms, SIGKILL
    # the PIDs after KILL_AFTER seconds; prints "sent N" and "ack N SECONDS_BEFORE_KILL".
    port, token, page, incident, cycle, kill_after = sys.argv[2:8]
    pids = [int(p) for p in sys.argv[8:]]
    sent, acks = [], []
    def writer():
        next_at = time.monotonic()
        number = 0
        while True:
            number += 1
            sent.append(number)
            try:
                status, _ = request(port, token, "PATCH", f"/v1/pages/{page}/incidents/{incident}",
                                    f"incident%5Bbody%5D=cycle+{cycle}+update+{number}")
            except Exception:
                return
            if not 200 <= status < 300:
                return
            acks.append((number, time.monotonic()))
            next_at += 0.1
            time.sleep(max(0, next_at - time.monotonic()))
    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(float(kill_after))
    killed_at = time.monotonic()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    thread.join()
    print("sent", len(sent))
    for number, at in acks:
        print("ack", number, f"{killed_at - at:.3f}")
elif mode == "read":
    # read PORT TOKEN PAGE INCIDENT CYCLE LAG_BOUND < writer output: one row for the cycle.
    port, token, page, incident, cycle, bound = sys.argv[2:8]
    sent, acks = 0, []
    for line in sys.stdin:
        words = line.split()
        if words[0] == "sent":
            sent = int(words[1])
        elif words[0] == "ack":
            acks.append((int(words[1]), float(words[2])))
    _, body = request(port, token, "GET", f"/v1/pages/{page}/incidents/{incident}")
    prefix = f"cycle {cycle} update "
    present = sorted(int(u["body"][len(prefix):]) for u in json.loads(body)["incident_updates"]
                     if u["body"].startswith(prefix))
    lost = [(n, age) for n, age in acks if n not in present]
    required_missing = [n for n, age in lost if age > float(bound)]
    gapless = present == list(range(1, len(present) + 1)) and len(present) <= sent
    window = f"{lost[0][1] * 1000:.0f}" if lost else "-"
    ok = "yes" if not required_missing and gapless else "NO"
    print(f"{cycle:>5} {sent:>5} {len(acks):>12} {len(present):>8} {len(lost):>5} {window:>15} {ok:>12}")
PY

db=$work/primary/warta.db
mkdir -p "$work/primary"
token=$("$WARTA" token create failover --db "$db" 2>/dev/null)
start_warta "$db"
page=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$WARTA_PORT/v1/pages" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
incident=$(curl -s -H "Authorization: Bearer $token" --data-urlencode "incident[name]=Data centre fire" \
    --data-urlencode "incident[body]=Investigating." "http://127.0.0.1:$WARTA_PORT/v1/pages/$page/incidents" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "Litestream $("$LITESTREAM" version), monitor-interval $MONITOR_INTERVAL, sync-interval $SYNC_INTERVAL;" \
     "an update every 100 ms; $CYCLES cycles"
printf '%5s %5s %12s %8s %5s %15s %12s\n' cycle sent acknowledged standby lost "loss window ms" "older kept"
for cycle in $(seq "$CYCLES"); do
    dir=$work/cycle$cycle
    mkdir -p "$dir/standby"
    cat > "$dir/litestream.yml" <<YML
dbs:
  - path: $db
    monitor-interval: $MONITOR_INTERVAL
    replica:
      type: file
      path: $dir/replica
      sync-interval: $SYNC_INTERVAL
YML
    "$LITESTREAM" replicate -config "$dir/litestream.yml" >"$dir/litestream.log" 2>&1 &
    litestream_pid=$!
    disown "$litestream_pid" "$warta_pid"   # killed on purpose: no "Killed" notices
    for _ in $(seq 200); do compgen -G "$dir/replica/ltx/0/*.ltx" >/dev/null && break; sleep 0.05; done

    kill_after=$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 1.5 + 2.5 * r / 32767 }')
    python3 "$work/failover.py" write "$WARTA_PORT" "$token" "$page" "$incident" "$cycle" "$kill_after" \
        "$litestream_pid" "$warta_pid" >"$dir/writer.out"
    while kill -0 "$litestream_pid" 2>/dev/null || kill -0 "$warta_pid" 2>/dev/null; do sleep 0.02; done
    litestream_pid=

    db=$dir/standby/warta.db
    "$LITESTREAM" restore -o "$db" "file://$dir/replica" >"$dir/restore.log" 2>&1 \
        || { echo "cycle $cycle: restore failed"; cat "$dir/restore.log"; exit 1; }
    "$WARTA" check --db "$db" >"$dir/check.out" || { echo "cycle $cycle: warta check failed"; cat "$dir/check.out"; exit 1; }
    start_warta "$db"
    python3 "$work/failover.py" read "$WARTA_PORT" "$token" "$page" "$incident" "$cycle" "$lag_bound" \
        <"$dir/writer.out" | tee -a "$work/rows"
done

awk -v bound="$lag_bound" '{ acked += $3; kept += $4; lost += $5; if ($6 != "-" && $6 + 0 > worst) worst = $6; if ($7 != "yes") bad++ }
    END { printf "summary: %d cycles, %d acknowledged, %d on the standbys, %d lost (%.1f%%), worst loss window %d ms; " \
                 "cycles missing an update older than %s s: %d\n", NR, acked, kept, lost, 100 * lost / acked, worst, bound, bad }' \
    "$work/rows"
