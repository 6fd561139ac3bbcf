#!/usr/bin/env python3
"""Times the pandas + scipy reference of the insights (bench/insights_ref.py) in-process on
one database: the reading of the database and the computation of every person's insights,
after the interpreter and its modules have started. Prints the median of RUNS timings in
seconds on one line; the insights of the last run go to --out as JSON lines.

    insights_time.py DB RUNS --out FILE
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import insights_ref  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("runs", type=int)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    times = []
    objs = []
    for _ in range(max(1, args.runs)):
        t0 = time.perf_counter()
        objs = list(insights_ref.insights_from_db(args.db))
        times.append(time.perf_counter() - t0)
    with open(args.out, "w", encoding="utf-8") as out:
        for obj in objs:
            out.write(insights_ref.dumps(obj))
            out.write("\n")
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    print(f"{median:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
