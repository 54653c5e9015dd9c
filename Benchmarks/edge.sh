#!/usr/bin/env bash
# The cache tier at full load: nginx with the configuration of docs/running.md ("Behind
# nginx or a CDN", only the port, the cache folder and TLS changed, as the tests change them)
# in front of Warta's demo page; wrk asks nginx for `/` as fast as it answers for 10 s at
# each --max-age, 1, 10 and 60. Prints nginx's req/s and what reached the origin: Warta's
# responses to `/`, counted by Warta itself (`warta_http_requests_total` of its /metrics),
# per second of the run.
#
# Each --max-age gets a fresh Warta and an empty cache; one request warms the cache first,
# so what the table counts is what a warm tier sends on. nginx refreshes a copy once it is
# older than max-age + 1 s (it counts whole seconds): a 10 s run sees no refresh at 10 and
# 60; DURATION=65s shows one at 60.
#
#   Benchmarks/edge.sh     # DURATION=10s MAX_AGES="1 10 60" CONNECTIONS=256
#                          # WARTA_BIN=path skips the build
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

DURATION=${DURATION:-10s}
MAX_AGES=${MAX_AGES:-"1 10 60"}
CONNECTIONS=${CONNECTIONS:-256}

install_tools
build_warta
setup_workdir

# The documented block with the test's substitutions; fails when the page no longer has one.
documented_nginx() {
    local port=$1 cache=$2 upstream=$3 block
    block=$(awk '/^\*\*Behind nginx or a CDN\./ {section = 1}
                 section && /^```nginx$/ {inside = 1; next}
                 inside && /^```$/ {exit}
                 inside' docs/running.md)
    for documented in 'listen 443 ssl;' /var/cache/nginx/warta 127.0.0.1:8080; do
        grep -qF "$documented" <<<"$block" || { echo "docs/running.md's nginx block no longer says $documented" >&2; exit 1; }
    done
    sed -e "s|listen 443 ssl;|listen 127.0.0.1:$port reuseport;|" \
        -e "s|/var/cache/nginx/warta|$cache|" \
        -e "s|127\.0\.0\.1:8080|127.0.0.1:$upstream|" <<<"$block"
}

# Warta's responses to `/` so far, every status together.
origin_requests() {
    curl -sf "http://127.0.0.1:$WARTA_PORT/metrics" |
        awk '/^warta_http_requests_total\{route="\/",/ {n += $2} END {print n + 0}'
}

stop_tier() {
    kill "$warta_pid"
    wait "$warta_pid" 2>/dev/null || true
    kill "$(cat "$work/nginx.pid")"
    for _ in $(seq 50); do [ -f "$work/nginx.pid" ] || break; sleep 0.1; done
}

seconds=${DURATION%s}
printf '%-8s %-6s %12s %11s %7s %16s %13s\n' max-age conns "nginx req/s" "nginx p99" errors "origin requests" "origin req/s"
for max_age in $MAX_AGES; do
    start_warta "$work/warta-$max_age.db" --demo --max-age "$max_age" --trusted-proxy 127.0.0.1
    NGINX_PORT=$(free_port)
    start_nginx_http "$(documented_nginx "$NGINX_PORT" "$work/cache-$max_age" "$WARTA_PORT")"
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.1; done
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT/metrics")" = 404 ]

    before=$(origin_requests)
    read -r rps _ p99 errors < <(measure "$NGINX_PORT" "$CONNECTIONS" /)
    after=$(origin_requests)
    origin=$((after - before))
    printf '%-8s %-6s %12.0f %9.2fms %7s %16s %13s\n' "$max_age" "$CONNECTIONS" "$rps" "$p99" "$errors" "$origin" \
        "$(awk -v n="$origin" -v s="$seconds" 'BEGIN { printf "%.2f", n / s }')"
    stop_tier
done
