#!/usr/bin/env python3
"""Writes tests/data/insights/<name>/expected.json for every dataset folder here, computed
by the Python reference bench/insights_ref.py (docs/INSIGHTS.md) with the range of the
folder's `args` file. Run after make_datasets.py; tests/insights_check.py re-derives the
same values and fails when they differ. Needs python3 with pandas and scipy.

    python3 tests/data/insights/make_expected.py [--check-import KNEAD_BIN]

With --check-import, every dataset is also imported into a new database with the given
knead binary (init, person add, import: all rows must be valid), and the reference's
--db reading of that database must give the same object as its reading of the CSV files.
"""

import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True          # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench"))

import insights_compare  # noqa: E402
import insights_ref  # noqa: E402


def dataset_dirs():
    """The dataset folders (those holding a CSV file), by name."""
    out = []
    for name in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, name)
        if os.path.isdir(path) and any(f.endswith(".csv") for f in os.listdir(path)):
            out.append(path)
    return out


def dataset_range(path):
    """(from, to) of a dataset folder's `args` file (one line: --from D --to D), or open."""
    args_path = os.path.join(path, "args")
    words = []
    if os.path.exists(args_path):
        with open(args_path, encoding="utf-8") as f:
            words = shlex.split(f.read())
    values = {"--from": None, "--to": None}
    it = iter(words)
    for w in it:
        if w not in values:
            raise ValueError(f"{args_path}: unknown argument {w!r}")
        values[w] = next(it)
    return values["--from"], values["--to"]


def insights(path):
    """The reference's insights object for a dataset folder, as JSON would give it back."""
    date_from, date_to = dataset_range(path)
    obj = insights_ref.insights_from_csv(path, date_from, date_to)
    return json.loads(insights_ref.dumps(obj))


def check_import(knead, path, obj):
    """Imports a dataset with knead and compares the reference's --db result to obj."""
    name = os.path.basename(path)
    files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".csv"))
    with tempfile.TemporaryDirectory(prefix="knead-insights-") as tmp:
        db = os.path.join(tmp, "check.db")
        for cmd in (["init"], ["person", "add", "--name", name],
                    ["import", "--person", "1"] + files):
            run = subprocess.run([knead, "--db", db] + cmd, capture_output=True, text=True)
            if run.returncode != 0:
                raise SystemExit(f"{name}: knead {' '.join(cmd[:2])} failed:\n{run.stderr}")
        date_from, date_to = dataset_range(path)
        got = list(insights_ref.insights_from_db(db, date_from, date_to))
    if len(got) != 1:
        raise SystemExit(f"{name}: the imported database holds {len(got)} persons")
    got = json.loads(insights_ref.dumps(got[0]))
    got["person"] = None
    diffs = insights_compare.compare(obj, got)
    if diffs:
        raise SystemExit(f"{name}: imported database differs from the CSV files:\n  "
                         + "\n  ".join(diffs))
    return run.stdout.strip()


def main(argv):
    knead = None
    if len(argv) == 3 and argv[1] == "--check-import":
        knead = argv[2]
    elif len(argv) != 1:
        raise SystemExit("usage: make_expected.py [--check-import KNEAD_BIN]")
    for path in dataset_dirs():
        obj = insights(path)
        if knead:
            print(f"{os.path.basename(path)}: {check_import(knead, path, obj)}")
        with open(os.path.join(path, "expected.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False))
            f.write("\n")
        print(f"{os.path.basename(path)}: days_logged {obj['days_logged']}, "
              f"{len(obj['flares'])} flares, {len(obj['factors'])} factors, "
              f"{len(obj['factors_skipped'])} skipped, {len(obj['massage']['sessions'])} sessions")


if __name__ == "__main__":
    main(sys.argv)
