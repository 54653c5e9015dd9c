#!/usr/bin/env bash
# What mailing every subscriber costs: N confirmed subscribers, one incident.
#
# 1. A relay on loopback (aiosmtpd, from .venv-mail/, as the tests use) that accepts every
#    message, counts them and keeps none; plain SMTP, so `--smtp-insecure` (loopback only).
# 2. N confirmed subscribers written straight into SQLite (the public path would send N
#    confirmations first), then a release `warta serve` with the relay, `--smtp-rate RATE`
#    and `--mail-coalesce 0`.
# 3. Readers alone: wrk on `/` (DURATION, CONNECTIONS). Then one incident through the
#    management API and, while the mails go out, wrk again; the time from the incident's 201
#    to the relay's N-th message, warta's peak resident memory, and readers' req/s side by side.
#
#   Benchmarks/mail.sh   # N=100000 RATE=10000 DURATION=10s CONNECTIONS=64
#                        # WARTA_BIN=path skips the build
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

N=${N:-100000}
RATE=${RATE:-10000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}

install_tools
make --no-print-directory mail-deps >/dev/null
build_warta
setup_workdir
relay_pid=
stop_helpers() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null || true
    cleanup
}
trap stop_helpers EXIT

RELAY_PORT=$(free_port)
.venv-mail/bin/python3 - "$RELAY_PORT" "$work/relay.count" <<'PY' &
import asyncio, sys, time
from aiosmtpd.controller import Controller
port, count_file = int(sys.argv[1]), sys.argv[2]
class Counter:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Counter.received += 1
        if Counter.received % 1000 == 0:
            with open(count_file, "w") as f: f.write(str(Counter.received))
        return "250 OK"
controller = Controller(Counter(), hostname="127.0.0.1", port=port)
controller.start()
async def flush():
    while True:
        with open(count_file, "w") as f: f.write(str(Counter.received))
        await asyncio.sleep(0.2)
try:
    asyncio.run(flush())
finally:
    controller.stop()
PY
relay_pid=$!
delivered() { local n; n=$(cat "$work/relay.count" 2>/dev/null); echo "${n:-0}"; }
for _ in $(seq 50); do [ -f "$work/relay.count" ] && break; sleep 0.1; done

token=$("$WARTA" token create bench --db "$work/warta.db" 2>/dev/null)
AUTH="Authorization: Bearer $token"
python3 - "$work/warta.db" "$N" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
with c:
    c.executemany(
        "INSERT INTO mail_subscribers (id, email, language, all_components, created_at, confirmed_at) VALUES (?, ?, ?, 1, ?, ?)",
        (("b%011d" % i, "reader%d@example.org" % i, "id" if i % 3 else "en",
          "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z") for i in range(n)))
c.close()
PY
start_warta "$work/warta.db" --no-access-log --smtp-url "smtp://127.0.0.1:$RELAY_PORT" --smtp-insecure \
    --mail-from "Status Bench <status@bench.example>" --base-url https://status.bench.example \
    --smtp-rate "$RATE" --mail-coalesce 0
WARTA_URL="http://127.0.0.1:$WARTA_PORT"
PAGE=$(curl -sf -H "$AUTH" "$WARTA_URL/v1/pages" | grep -o '"id":"[a-z0-9]*"' | head -1 | cut -d'"' -f4)
GZIP=(-H "Accept-Encoding: gzip")
echo "warta $WARTA_URL, $N confirmed subscribers, relay 127.0.0.1:$RELAY_PORT (aiosmtpd), --smtp-rate $RATE;" \
     "wrk -t $CORES -c $CONNECTIONS $DURATION on /"

read -r quiet_rps quiet_p50 quiet_p99 quiet_err < <(measure "$WARTA_PORT" "$CONNECTIONS" / "${GZIP[@]}")
rss_before=$(rss_kib "$warta_pid")

started=$(date +%s.%N)
curl -sf -o /dev/null -H "$AUTH" -X POST "$WARTA_URL/v1/pages/$PAGE/incidents" \
    --data-urlencode "incident[name]=Gangguan layanan paspor" --data-urlencode "incident[body]=Kami sedang menyelidiki."
created=$(date +%s.%N)
read -r busy_rps busy_p50 busy_p99 busy_err < <(measure "$WARTA_PORT" "$CONNECTIONS" / "${GZIP[@]}")
peak=0
while [ "$(delivered)" -lt "$N" ]; do
    rss=$(rss_kib "$warta_pid"); [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.2
    if [ "$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { print (n - s > 3600) }')" = 1 ]; then
        echo "gave up after an hour: $(delivered) of $N delivered" >&2; exit 1
    fi
done
finished=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$warta_pid/status")
# A moment later: what is still queued (the last batch is recorded after its last mail),
# and whether the relay got any mail twice.
sleep 2
pending=$(curl -sf "$WARTA_URL/metrics" | awk '/^warta_mail_queue_depth/ {print $2}')
total=$(delivered)

awk -v s="$started" -v c="$created" -v f="$finished" -v n="$N" 'BEGIN {
    printf "incident 201 after %.0f ms; %d mails handed to the relay in %.1f s (%.0f a second)\n", (c - s) * 1000, n, f - c, n / (f - c) }'
echo "warta resident memory: $((rss_before / 1024)) MiB before, peak $((hwm / 1024)) MiB (sampled during the send: $((peak / 1024)) MiB)"
echo "2 s later: $total mails at the relay (of $N), queue depth ${pending:-?}"
printf '%-28s %10s %9s %9s %7s\n' "readers on / (gzip)" "req/s" "p50 ms" "p99 ms" "errors"
printf '%-28s %10s %9s %9s %7s\n' "without mail" "$quiet_rps" "$quiet_p50" "$quiet_p99" "$quiet_err"
printf '%-28s %10s %9s %9s %7s\n' "while mailing" "$busy_rps" "$busy_p50" "$busy_p99" "$busy_err"
awk -v a="$busy_rps" -v b="$quiet_rps" 'BEGIN { printf "ratio while mailing / without: %.2f\n", a / b }'
