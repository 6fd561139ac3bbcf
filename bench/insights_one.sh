#!/bin/sh
# One long diary: `knead insights --person 1 --json` on one demo person with ten years of
# days (KNEAD_BENCH_DAYS, default 3650), timed as a whole process (start-up, reading the
# database, computing, the JSON) against the pandas + scipy reference of the same definitions
# timed in-process on the same database (bench/insights_time.py: reading and computing, after
# the interpreter and its modules are up), in the same run. Goal: knead at least 15 times
# faster. Both must give the same numbers (bench/insights_compare.py).
#   sh bench/insights_one.sh BUILD_DIR
# KNEAD_BENCH_RUNS (default 5) timings per side, taking turns; a knead timing is the mean of
# KNEAD_BENCH_REPEAT (default 10) runs back to back. KNEAD_PYTHON names the python3;
# KNEAD_BENCH_STRICT=1 makes a missed goal a failure.
set -eu
build=${1:?usage: sh bench/insights_one.sh BUILD_DIR}
days=${KNEAD_BENCH_DAYS:-3650}
runs=${KNEAD_BENCH_RUNS:-5}
repeat=${KNEAD_BENCH_REPEAT:-10}
goal=15
here=$(cd "$(dirname "$0")" && pwd)
fail() {
    echo "insights_one bench: $*" >&2
    exit 1
}
[ -d "$build" ] || fail "$build: no such build directory (build first: make build)"
build=$(cd "$build" && pwd)
knead=$build/knead
[ -x "$knead" ] || fail "$knead is missing (build first: make build)"
for n in "$days" "$runs" "$repeat"; do
    case $n in
        '' | *[!0-9]* | 0) fail "KNEAD_BENCH_DAYS, _RUNS and _REPEAT must be positive numbers" ;;
    esac
done
. "$here/pick_python.inc"
py=$(pick_python) || fail "no python3 with numpy, pandas and scipy (Debian: python3-pandas python3-scipy)"

work=$(mktemp -d "${TMPDIR:-/tmp}/knead-bench-one-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
db=$work/one.db
"$knead" --db "$db" demo --days "$days" --seed 1 --end 2026-06-30 >/dev/null || fail "knead demo failed"
sync

now() { date +%s.%N; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
knead_runs=""
ref_runs=""
run=1
while [ "$run" -le "$runs" ]; do
    t0=$(now)
    k=1
    while [ "$k" -le "$repeat" ]; do
        "$knead" --db "$db" insights --person 1 --json >"$work/knead.json" || fail "knead insights failed"
        k=$((k + 1))
    done
    t1=$(now)
    knead_runs="$knead_runs $(awk -v a="$t0" -v b="$t1" -v n="$repeat" 'BEGIN { printf "%.4f", (b - a) / n }')"
    ref_runs="$ref_runs $("$py" "$here/insights_time.py" "$db" 1 --out "$work/ref.jsonl")" ||
        fail "the reference failed"
    run=$((run + 1))
done
knead_s=$(echo "$knead_runs" | median)
ref_s=$(echo "$ref_runs" | median)

status=0
"$py" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))))' \
    "$work/knead.json" >"$work/knead.jsonl"
if ! "$py" "$here/insights_compare.py" "$work/ref.jsonl" "$work/knead.jsonl" >"$work/diff.txt"; then
    status=1
    echo "insights_one bench: knead and the reference differ:" >&2
    sed 's/^/  /' "$work/diff.txt" >&2
fi
ratio=$(awk -v k="$knead_s" -v r="$ref_s" 'BEGIN { printf "%.1f", (k > 0) ? r / k : 0 }')
met=$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
echo "insights of one person x $days days (wall clock, median of $runs turns each, taking turns)"
printf '  knead insights --person 1 --json, whole process  %8.4f s  (each the mean of %s runs:%s)\n' "$knead_s" "$repeat" "$knead_runs"
printf '  reference, in-process (read + compute)           %8.4f s  (runs:%s)\n' "$ref_s" "$ref_runs"
echo "  ratio reference/knead                            $ratio  (goal >= $goal: $met)"
if [ "${KNEAD_BENCH_STRICT:-0}" = 1 ] && [ "$met" != met ]; then
    status=1
fi
exit "$status"
