#!/usr/bin/env bash
# Warta's HTTP server against nginx serving the same small file on loopback.
#
# Alternates wrk runs (10 s each) at 64 and 512 connections, three rounds, and prints
# req/s and p99 side by side with the warta/nginx ratio; then holds 10,000 idle keep-alive
# connections on warta and reports its resident memory. Run by hand: the figures depend on
# the machine and whatever else it is doing, which is why both servers run in one session.
#
#   Benchmarks/http.sh            # DURATION=10s ROUNDS=3 CONNECTIONS="64 512" IDLE=10000
#                                 # WARTA_BIN=path skips the build
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-"64 512"}
IDLE=${IDLE:-10000}
FILE=/robots.txt

install_tools
build_warta
setup_workdir

# The same bytes for both servers.
mkdir -p "$work/root"
cp "Public${FILE}" "$work/root${FILE}"
start_nginx "$work/root"
start_warta "$work/warta.db"

# Both must serve the file before anything is measured.
sleep 0.3
cmp <(curl -sf "http://127.0.0.1:$NGINX_PORT$FILE") <(curl -sf "http://127.0.0.1:$WARTA_PORT$FILE")

printf '%-6s %-5s %12s %12s %7s %11s %11s %7s\n' round conns "nginx req/s" "warta req/s" ratio "nginx p99" "warta p99" errors
for round in $(seq "$ROUNDS"); do
    for c in $CONNECTIONS; do
        read -r n_rps _ n_p99 n_err < <(measure "$NGINX_PORT" "$c" "$FILE")
        read -r w_rps _ w_p99 w_err < <(measure "$WARTA_PORT" "$c" "$FILE")
        ratio=$(awk -v w="$w_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", w / n }')
        printf '%-6s %-5s %12.0f %12.0f %6sx %9.2fms %9.2fms %3s/%-3s\n' \
            "$round" "$c" "$n_rps" "$w_rps" "$ratio" "$n_p99" "$w_p99" "$n_err" "$w_err"
    done
done

echo
idle_check "$IDLE"
