#!/bin/sh
# Ranking benchmark: random pain maps through kn_rank on one core, against a full scan of
# every muscle side measured in the same run (bench/triggers.c). Goal: at least 1,000,000
# rankings per second per core.
#   sh bench/triggers.sh BUILD_DIR
# KNEAD_BENCH_RANKINGS (default 2000000) changes the count; KNEAD_BENCH_STRICT=1 makes a
# missed goal a failure.
set -eu
build=${1:?usage: sh bench/triggers.sh BUILD_DIR}
bin=$build/bench/triggers
if [ ! -x "$bin" ]; then
    echo "triggers bench: $bin is missing (build first: make build)" >&2
    exit 1
fi
out=$("$bin" "${KNEAD_BENCH_RANKINGS:-2000000}")
echo "$out"
if [ "${KNEAD_BENCH_STRICT:-0}" = 1 ] && echo "$out" | grep -q "NOT met"; then
    exit 1
fi
