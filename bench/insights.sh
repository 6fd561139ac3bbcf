#!/bin/sh
# Insights benchmark: the insights of 1000 synthetic persons with 730 days each (knead demo)
# computed by the C engine (BUILD/bench/insights DB, one JSON line per person) against the
# pandas + scipy reference (bench/insights_ref.py --db DB), timed in the same run on the
# same database. Goal: knead at least 30 times faster. Both must give the same numbers
# (bench/insights_compare.py: 1e-9 absolute or relative). Also measures the peak memory
# (max RSS) of `knead insights --person 1 --json` on one person's two years. Goal: < 20 MB.
# Both sides run KNEAD_BENCH_RUNS times (default 3) in turns; the medians are compared. A turn
# of knead is KNEAD_BENCH_REPEAT runs back to back (default 5) and counts as their mean: one
# run is some 35 times shorter than the reference's, and a slow spell of a few seconds (this
# kind of machine has them) would otherwise weigh on it far more than on the reference.
#   sh bench/insights.sh BUILD_DIR
# KNEAD_BENCH_PERSONS (default 1000) changes the number of persons, KNEAD_BENCH_DAYS
# (default 730) their days; KNEAD_PYTHON names the python3 to use (default: the first on
# PATH with numpy, pandas and scipy); KNEAD_BENCH_STRICT=1 makes a missed goal a failure.
set -eu
build=${1:?usage: sh bench/insights.sh BUILD_DIR}
persons=${KNEAD_BENCH_PERSONS:-1000}
days=${KNEAD_BENCH_DAYS:-730}
runs=${KNEAD_BENCH_RUNS:-3}
repeat=${KNEAD_BENCH_REPEAT:-5}
speed_goal=30
memory_goal_mb=20
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$build" ]; then
    echo "insights bench: $build: no such build directory (build first: make build)" >&2
    exit 1
fi
build=$(cd "$build" && pwd)
knead=$build/knead
cbench=$build/bench/insights
ref=$here/insights_ref.py
compare=$here/insights_compare.py

fail() {
    echo "insights bench: $*" >&2
    exit 1
}

[ -x "$knead" ] || fail "$knead is missing (build first: make build)"
[ -x "$cbench" ] || fail "$cbench is missing: the C benchmark program bench/insights.c (target bench_insights) is not built (make build)"
[ -f "$ref" ] || fail "$ref is missing"
if ! "$knead" insights --help >/dev/null 2>&1; then
    fail "'$knead insights' does not run: the knead binary has no insights command yet"
fi

. "$here/pick_python.inc"
py=$(pick_python) || fail "no python3 with numpy, pandas and scipy (Debian: python3-pandas python3-scipy)"

case $persons in
    '' | *[!0-9]*) fail "KNEAD_BENCH_PERSONS must be a positive number, not '$persons'" ;;
esac
[ "$persons" -ge 1 ] || fail "KNEAD_BENCH_PERSONS must be at least 1"
case $runs in
    '' | *[!0-9]*) fail "KNEAD_BENCH_RUNS must be a positive number, not '$runs'" ;;
esac
[ "$runs" -ge 1 ] || fail "KNEAD_BENCH_RUNS must be at least 1"
case $repeat in
    '' | *[!0-9]*) fail "KNEAD_BENCH_REPEAT must be a positive number, not '$repeat'" ;;
esac
[ "$repeat" -ge 1 ] || fail "KNEAD_BENCH_REPEAT must be at least 1"

work=$(mktemp -d "${TMPDIR:-/tmp}/knead-bench-insights-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
db=$work/insights.db

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# One demo person per seed, each appended to the same database.
t0=$(now)
"$knead" --db "$db" init >/dev/null
i=1
while [ "$i" -le "$persons" ]; do
    "$knead" --db "$db" demo --days "$days" --seed "$i" --end 2026-06-30 >/dev/null ||
        fail "knead demo --seed $i failed"
    i=$((i + 1))
done
t1=$(now)
create_s=$(elapsed "$t0" "$t1")
size_mb=$(awk -v b="$(wc -c <"$db")" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "database: $persons persons x $days days, created in $create_s s ($size_mb MB)"

# The new file's pages go to disk before any timing, so that neither side pays for it.
sync

# Each side runs KNEAD_BENCH_RUNS times (default 3), taking turns, so that a slow spell of
# the machine falls on both; each side's figure is the median of its runs.
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
knead_runs=""
ref_runs=""
run=1
while [ "$run" -le "$runs" ]; do
    t0=$(now)
    k=1
    while [ "$k" -le "$repeat" ]; do
        "$cbench" "$db" >"$work/knead.jsonl" || fail "$cbench failed"
        k=$((k + 1))
    done
    t1=$(now)
    knead_runs="$knead_runs $(awk -v a="$t0" -v b="$t1" -v n="$repeat" 'BEGIN { printf "%.3f", (b - a) / n }')"
    t0=$(now)
    "$py" "$ref" --db "$db" >"$work/ref.jsonl" || fail "the reference $ref failed"
    t1=$(now)
    ref_runs="$ref_runs $(elapsed "$t0" "$t1")"
    run=$((run + 1))
done
knead_s=$(echo "$knead_runs" | median)
ref_s=$(echo "$ref_runs" | median)

status=0
echo "comparing knead with the reference:"
if "$py" "$compare" "$work/ref.jsonl" "$work/knead.jsonl" >"$work/compare.txt"; then
    sed 's/^/  /' "$work/compare.txt"
else
    status=1
    sed 's/^/  /' "$work/compare.txt"
    echo "insights bench: knead and the reference differ (above)" >&2
fi

# Peak memory of the CLI on person 1 (two years of diary with the default days); its
# output must also be the same object as the reference's first line. GNU time (Debian
# package time) measures the process itself. Without it, python's getrusage of a child is
# only an upper bound: Linux keeps the parent's resident size in a child's peak when the
# child execs, so every child of python reads at least python's own size.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    /usr/bin/time -o "$work/rss" -f %M "$knead" --db "$db" insights --person 1 --json \
        >"$work/cli.json" || fail "knead insights --person 1 --json failed"
    memory_kb=$(tail -n 1 "$work/rss")
    memory_how="GNU time"
else
    memory_kb=$("$py" - "$knead" "$db" "$work/cli.json" <<'EOF'
import resource
import subprocess
import sys

knead, db, out = sys.argv[1:4]
with open(out, "wb") as f:
    run = subprocess.run([knead, "--db", db, "insights", "--person", "1", "--json"], stdout=f)
if run.returncode != 0:
    sys.exit(f"knead insights --person 1 --json failed ({run.returncode})")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
) || fail "could not measure 'knead insights --person 1 --json'"
    memory_how="python getrusage, an upper bound: install Debian package time for the exact figure"
fi
head -n 1 "$work/ref.jsonl" >"$work/ref1.jsonl"
"$py" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))))' \
    "$work/cli.json" >"$work/cli1.jsonl"
if ! "$py" "$compare" "$work/ref1.jsonl" "$work/cli1.jsonl" >"$work/cli.diff"; then
    status=1
    echo "insights bench: 'knead insights --person 1 --json' differs from the reference:" >&2
    sed 's/^/  /' "$work/cli.diff" >&2
fi

ratio=$(awk -v k="$knead_s" -v r="$ref_s" 'BEGIN { printf "%.1f", (k > 0) ? r / k : 0 }')
speed_met=$(awk -v r="$ratio" -v g="$speed_goal" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
memory_mb=$(awk -v k="$memory_kb" 'BEGIN { printf "%.1f", k / 1024 }')
memory_met=$(awk -v m="$memory_mb" -v g="$memory_goal_mb" 'BEGIN { print (m < g) ? "met" : "NOT met" }')
echo
echo "insights of $persons persons x $days days (wall clock, median of $runs turns each, taking turns)"
printf '  knead     bench/insights DB              %9.3f s  (turns, each the mean of %s runs:%s)\n' "$knead_s" "$repeat" "$knead_runs"
printf '  reference insights_ref.py --db DB      %9.3f s  (runs:%s; %s)\n' "$ref_s" "$ref_runs" "$py"
echo "  ratio reference/knead                  $ratio  (goal >= $speed_goal: $speed_met)"
echo "  peak memory, knead insights --person 1 --json  $memory_mb MB  (goal < $memory_goal_mb MB: $memory_met; $memory_how)"
if [ "${KNEAD_BENCH_STRICT:-0}" = 1 ] && { [ "$speed_met" != met ] || [ "$memory_met" != met ]; }; then
    status=1
fi
exit "$status"
