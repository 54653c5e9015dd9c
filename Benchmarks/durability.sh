#!/usr/bin/env bash
# The long durability run: the DurabilityTests suite (a writer appends incident updates
# while the server is killed with SIGKILL at a random moment, restarted, and every update
# that got a 2xx checked present with PRAGMA integrity_check ok) for CYCLES cycles instead
# of make test's 5.
#
#   Benchmarks/durability.sh          # CYCLES=200
#
# Prints the suite's summary: cycles, updates sent, acknowledged, and that all are present.
set -euo pipefail
cd "$(dirname "$0")/.."
CYCLES=${CYCLES:-200}

swift build --build-tests >/dev/null
WARTA_DURABILITY_CYCLES=$CYCLES swift test --skip-build --filter DurabilityTests 2>&1 \
    | grep -E "^durability:|✘|recorded an issue|Test run with"
