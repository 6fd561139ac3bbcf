#!/bin/sh
# Import benchmark: a 1,000,000-row pain CSV into knead (init, person add, import) against
# the sqlite3 shell's `.import` of the same file into a plain table of a fresh database,
# measured in the same run on the same machine. Goal: knead takes at most 1.5 times as long.
# Also checks that every row arrived.
#   sh bench/import.sh BUILD_DIR
# KNEAD_BENCH_ROWS (default 1000000) and KNEAD_BENCH_RUNS (default 3) change the size;
# KNEAD_BENCH_STRICT=1 makes a missed goal a failure. Uses hyperfine when installed, else
# date +%s.%N.
set -eu
build=${1:?usage: sh bench/import.sh BUILD_DIR}
rows=${KNEAD_BENCH_ROWS:-1000000}
runs=${KNEAD_BENCH_RUNS:-3}
goal=1.5
build=$(cd "$build" && pwd)
knead=$build/knead
gen=$build/bench/gen_pain_csv
for tool in "$knead" "$gen"; do
    if [ ! -x "$tool" ]; then
        echo "import bench: $tool is missing (build first: make build)" >&2
        exit 1
    fi
done
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "import bench: the sqlite3 shell is missing (Debian package sqlite3)" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/knead-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
csv=$work/pain.csv
kdb=$work/knead.db
sdb=$work/sqlite.db
"$gen" "$rows" "$csv"
printf ".mode csv\n.import '%s' t\n" "$csv" >"$work/import.sqlite"

# Each timed command starts from no database at all.
knead_prep="rm -f '$kdb' '$kdb-wal' '$kdb-shm'"
knead_cmd="'$knead' --db '$kdb' init >/dev/null && '$knead' --db '$kdb' person add --name B >/dev/null && '$knead' --db '$kdb' import --person 1 '$csv' >/dev/null"
sqlite_prep="rm -f '$sdb'"
sqlite_cmd="sqlite3 '$sdb' <'$work/import.sqlite'"

if command -v hyperfine >/dev/null 2>&1; then
    timer=hyperfine
    hyperfine --runs "$runs" --style basic --export-csv "$work/times.csv" \
        --prepare "$knead_prep" --command-name knead "$knead_cmd" \
        --prepare "$sqlite_prep" --command-name sqlite3 "$sqlite_cmd"
    knead_s=$(awk -F, '$1 == "knead" { print $2 }' "$work/times.csv")
    sqlite_s=$(awk -F, '$1 == "sqlite3" { print $2 }' "$work/times.csv")
else
    timer="date +%s.%N"
    # Mean wall time of $runs runs of a command, each after its preparation.
    mean_time() {
        total=0
        i=0
        while [ "$i" -lt "$runs" ]; do
            sh -c "$1" >/dev/null
            t0=$(date +%s.%N)
            if ! sh -c "$2" >/dev/null; then
                echo "import bench: command failed: $2" >&2
                return 1
            fi
            t1=$(date +%s.%N)
            total=$(awk -v a="$total" -v b="$t0" -v c="$t1" 'BEGIN { printf "%.6f", a + c - b }')
            i=$((i + 1))
        done
        awk -v t="$total" -v n="$runs" 'BEGIN { printf "%.6f", t / n }'
    }
    knead_s=$(mean_time "$knead_prep" "$knead_cmd")
    sqlite_s=$(mean_time "$sqlite_prep" "$sqlite_cmd")
fi

# The last timed runs left both databases in place: every row must be there.
knead_rows=$("$knead" --db "$kdb" export --person 1 --kind pain | tail -n +2 | wc -l)
sqlite_rows=$(sqlite3 "$sdb" 'SELECT count(*) FROM t')
status=0
if [ "$knead_rows" -ne "$rows" ]; then
    echo "import bench: knead holds $knead_rows pain entries, expected $rows" >&2
    status=1
fi
if [ "$sqlite_rows" -ne "$rows" ]; then
    echo "import bench: sqlite3 imported $sqlite_rows rows, expected $rows" >&2
    status=1
fi

ratio=$(awk -v k="$knead_s" -v s="$sqlite_s" 'BEGIN { printf "%.2f", k / s }')
met=$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r <= g) ? "met" : "NOT met" }')
echo
echo "import of $rows pain rows (mean of $runs runs, timed with $timer)"
printf '  knead   init + person add + import  %8.3f s  (%s rows stored)\n' "$knead_s" "$knead_rows"
printf '  sqlite3 .mode csv + .import         %8.3f s  (%s rows stored)\n' "$sqlite_s" "$sqlite_rows"
echo "  ratio knead/sqlite3                 $ratio  (goal <= $goal: $met)"
if [ "$met" != met ] && [ "${KNEAD_BENCH_STRICT:-0}" = 1 ]; then
    status=1
fi
exit "$status"
