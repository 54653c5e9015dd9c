# shellcheck shell=bash
# Helpers shared by the benchmarks in this folder; sourced from the repository root, never run.
#
# Each benchmark calls `setup_workdir` first: it makes $work (a fresh temporary folder) and
# stops at exit whatever these helpers started in it (warta, nginx, the idle connections).

CORES=$(nproc)

# wrk and nginx from Debian when missing.
install_tools() {
    local need=()
    command -v wrk >/dev/null || need+=(wrk)
    command -v nginx >/dev/null || need+=(nginx-light)
    if [ ${#need[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    fi
}

# The release binary: WARTA_BIN when given (nothing is built), else a fresh release build.
build_warta() {
    WARTA=${WARTA_BIN:-.build/release/warta}
    [ -n "${WARTA_BIN:-}" ] || swift build -c release --product warta >/dev/null
}

setup_workdir() {
    work=$(mktemp -d)
    chmod 755 "$work"   # nginx workers run as an unprivileged user
    trap cleanup EXIT
}

cleanup() {
    [ -n "${warta_pid:-}" ] && kill "$warta_pid" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    [ -n "${idle_pid:-}" ] && kill "$idle_pid" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# `warta serve --port 0 --db DB ARGS...` in the background, once it listens; sets warta_pid
# and WARTA_PORT.
start_warta() {
    local db=$1
    shift
    # In a session of its own, as nginx is once it daemonises and as a service is: with the
    # kernel's autogroup scheduling (on by default), a server sharing wrk's session shares
    # its CPU share with wrk too, which changes how long each side runs before the other and
    # so the latencies wrk sees. setsid execs in place here, so $! is warta's PID.
    setsid "$WARTA" serve --port 0 --db "$db" "$@" >"$work/warta.out" 2>/dev/null &
    warta_pid=$!
    for _ in $(seq 100); do grep -q listening "$work/warta.out" 2>/dev/null && break; sleep 0.1; done
    WARTA_PORT=$(grep -o '[0-9]*$' "$work/warta.out")
}

# nginx serving ROOT (one worker per core, keep-alive, no access log), with the extra
# `http` directives given as the second argument; sets NGINX_PORT.
start_nginx() {
    local root=$1 extra=${2:-}
    NGINX_PORT=$(free_port)
    start_nginx_http "$extra
    server {
        listen 127.0.0.1:$NGINX_PORT reuseport;
        root $root;
    }"
}

# nginx (one worker per core, keep-alive, no access log, its files in $work) with HTTP as
# the rest of its `http` block; stopped at exit.
start_nginx_http() {
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
$1
}
CONF
    mkdir -p "$work/tmp"
    nginx -c "$work/nginx.conf"
}

# One wrk run as "req/s p50_ms p99_ms errors" (errors: socket errors plus non-2xx/3xx).
#   measure PORT CONNECTIONS PATH [wrk options, e.g. -H 'Accept-Encoding: gzip']
measure() {
    local port=$1 connections=$2 path=$3 output rps p50 p99 errors
    shift 3
    output=$(wrk -t "$CORES" -c "$connections" -d "$DURATION" --latency "$@" "http://127.0.0.1:$port$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$output")
    p50=$(wrk_percentile 50% <<<"$output")
    p99=$(wrk_percentile 99% <<<"$output")
    errors=$(awk '/Socket errors/ {gsub(/,/,""); n += $4+$6+$8+$10} /Non-2xx/ {n += $5} END {print n+0}' <<<"$output")
    echo "${rps:-0} ${p50:-?} ${p99:-?} ${errors:-0}"
}

# A percentile line of wrk's --latency distribution, in milliseconds.
wrk_percentile() {
    awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /m$/) {sub(/m/,"",v); v=v*60000} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.2f\n", v}'
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Opens COUNT keep-alive connections to warta, each sending one request and reading the
# answer, then staying open; reports warta's resident memory before and with them, and
# whether /healthz answers meanwhile. Sets idle_held, rss_before, rss_idle (KiB), idle_health.
idle_check() {
    local count=$1
    rss_before=$(rss_kib "$warta_pid")
    python3 - "$WARTA_PORT" "$count" "$work/idle.ready" <<'PY' &
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
    rss_idle=$(rss_kib "$warta_pid")
    idle_health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WARTA_PORT/healthz")
    idle_held=$(cat "$work/idle.ready" 2>/dev/null || echo 0)
    echo "idle connections held: $idle_held of $count;" \
         "warta resident memory: $((rss_before / 1024)) MiB before, $((rss_idle / 1024)) MiB with them open;" \
         "/healthz meanwhile: $idle_health"
}

# Alternating wrk runs of two servers over $ROUNDS rounds of $CASES ("name|path|gzip") at each
# of $CONNECTIONS: prints a row per run and appends
# "name|conns|round|rps|p50|p99|errors" for the left server, then the same for the right, to
# $work/results. With ALTERNATE=yes the right server goes first in even rounds, so neither
# always meets a warmer machine.
#   compare_rounds LEFT_LABEL LEFT_PORT RIGHT_LABEL RIGHT_PORT
compare_rounds() {
    local left=$1 left_port=$2 right=$3 right_port=$4 round case name path gzip c options
    local l_rps l_p50 l_p99 l_err r_rps r_p50 r_p99 r_err
    row() { printf '%-13s %-5s %-5s %11s %11s %6s %9s %9s %9s %9s %7s\n' "$@"; }
    row case conns round "$left req/s" "$right req/s" ratio "$left p50" "$right p50" "$left p99" "$right p99" errors
    touch "$work/results"
    for round in $(seq "$ROUNDS"); do
        for case in "${CASES[@]}"; do
            IFS='|' read -r name path gzip <<<"$case"
            options=()
            [ "$gzip" = yes ] && options=(-H "Accept-Encoding: gzip")
            for c in $CONNECTIONS; do
                if [ "${ALTERNATE:-no}" = yes ] && ((round % 2 == 0)); then
                    read -r r_rps r_p50 r_p99 r_err < <(measure "$right_port" "$c" "$path" "${options[@]}")
                    read -r l_rps l_p50 l_p99 l_err < <(measure "$left_port" "$c" "$path" "${options[@]}")
                else
                    read -r l_rps l_p50 l_p99 l_err < <(measure "$left_port" "$c" "$path" "${options[@]}")
                    read -r r_rps r_p50 r_p99 r_err < <(measure "$right_port" "$c" "$path" "${options[@]}")
                fi
                echo "$name|$c|$round|$l_rps|$l_p50|$l_p99|$l_err|$r_rps|$r_p50|$r_p99|$r_err" >>"$work/results"
                row "$name" "$c" "$round" "$(printf %.0f "$l_rps")" "$(printf %.0f "$r_rps")" \
                    "$(awk -v r="$r_rps" -v l="$l_rps" 'BEGIN { printf "%.2fx", r / l }')" \
                    "${l_p50}ms" "${r_p50}ms" "${l_p99}ms" "${r_p99}ms" "$l_err/$r_err"
            done
        done
    done
}
