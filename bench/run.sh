#!/bin/sh
# Runs every benchmark in bench/ (each bench/*.sh other than this one) against a build
# directory: `sh bench/run.sh BUILD_DIR`, as `make bench` does. Exits non-zero when any
# benchmark fails; each one prints its own figures.
set -u
build=${1:?usage: sh bench/run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
failed=""
for bench in "$here"/*.sh; do
    name=$(basename "$bench")
    [ "$name" = run.sh ] && continue
    echo "== $name"
    if ! sh "$bench" "$build"; then
        failed="$failed $name"
    fi
done
if [ -n "$failed" ]; then
    echo "bench: failed:$failed" >&2
    exit 1
fi
echo "bench: all benchmarks ran"
