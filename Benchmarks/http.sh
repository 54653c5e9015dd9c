#!/usr/bin/env bash
# Warta's HTTP server against nginx serving the same small file on loopback.
#
# Alternates wrk runs (10 s each) at 64 and 512 connections, three rounds, and prints
# req/s and p99 side by side with the warta/nginx ratio; then holds 10,000 idle keep-alive
# connections on warta and reports its resident memory. Run by hand: the figures depend on
# the machine and whatever else it is doing, which is why both servers run in one session.
#
#   Benchmarks/http.sh            # DURATION=10s ROUNDS=3 CONNECTIONS="64 512" IDLE=10000
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-"64 512"}
IDLE=${IDLE:-10000}
FILE=/robots.txt
CORES=$(nproc)

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
swift build -c release --product warta >/dev/null

work=$(mktemp -d)
chmod 755 "$work"   # nginx workers run as an unprivileged user
cleanup() {
    [ -n "${warta_pid:-}" ] && kill "$warta_pid" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    [ -n "${idle_pid:-}" ] && kill "$idle_pid" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT

# The same bytes for both servers.
mkdir -p "$work/root"
cp "Public${FILE}" "$work/root${FILE}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NGINX_PORT=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes $CORES;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 20000; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    default_type text/plain;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp;
    scgi_temp_path $work/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT reuseport;
        root $work/root;
    }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf"

.build/release/warta serve --port 0 --db "$work/warta.db" >"$work/warta.out" 2>/dev/null &
warta_pid=$!
for _ in $(seq 100); do grep -q listening "$work/warta.out" 2>/dev/null && break; sleep 0.1; done
WARTA_PORT=$(grep -o '[0-9]*$' "$work/warta.out")

# Both must serve the file before anything is measured.
sleep 0.3
cmp <(curl -sf "http://127.0.0.1:$NGINX_PORT$FILE") <(curl -sf "http://127.0.0.1:$WARTA_PORT$FILE")

# wrk's summary as "req/s p99_ms errors".
measure() {
    local output rps p99 errors
    output=$(wrk -t "$CORES" -c "$2" -d "$DURATION" --latency "http://127.0.0.1:$1$FILE")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$output")
    errors=$(awk '/Socket errors/ {gsub(/,/,""); n += $4+$6+$8+$10} /Non-2xx/ {n += $5} END {print n+0}' <<<"$output")
    echo "$rps ${p99:-?} ${errors:-0}"
}

printf '%-6s %-5s %12s %12s %7s %11s %11s %7s\n' round conns "nginx req/s" "warta req/s" ratio "nginx p99" "warta p99" errors
for round in $(seq "$ROUNDS"); do
    for c in $CONNECTIONS; do
        read -r n_rps n_p99 n_err < <(measure "$NGINX_PORT" "$c")
        read -r w_rps w_p99 w_err < <(measure "$WARTA_PORT" "$c")
        ratio=$(awk -v w="$w_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", w / n }')
        printf '%-6s %-5s %12.0f %12.0f %6sx %9.2fms %9.2fms %3s/%-3s\n' \
            "$round" "$c" "$n_rps" "$w_rps" "$ratio" "$n_p99" "$w_p99" "$n_err" "$w_err"
    done
done

# Idle keep-alive connections: each sends one request, reads the answer, then stays open.
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$warta_pid/status")
python3 - "$WARTA_PORT" "$IDLE" "$work/idle.ready" <<'PY' &
import resource, socket, sys, time
port, count, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
sockets = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: bench\r\n\r\n")
    sockets.append(s)
for s in sockets:
    data = b""
    while b"Allow: /\n" not in data:
        data += s.recv(4096)
open(ready, "w").write(str(len(sockets)))
time.sleep(60)
PY
idle_pid=$!
for _ in $(seq 600); do [ -f "$work/idle.ready" ] && break; sleep 0.1; done
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$warta_pid/status")
still=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WARTA_PORT/healthz")
echo
echo "idle connections held: $(cat "$work/idle.ready" 2>/dev/null || echo 0) of $IDLE;" \
     "warta resident memory: $((rss_before / 1024)) MiB before, $((rss_idle / 1024)) MiB with them open;" \
     "/healthz meanwhile: $still"
