#!/usr/bin/env python3
"""CTest check `insights_check`: re-derives every tests/data/insights/<name>/expected.json
with the Python reference (bench/insights_ref.py, pandas + scipy) and compares it with the
committed file (bench/insights_compare.py: same keys, same list lengths and order, numbers
within 1e-9 absolute or relative, equal nulls, strings and booleans).

Without numpy, pandas and scipy it looks for another python3 on PATH that has them (a
pyenv shim may come before Debian's python3; KNEAD_PYTHON names one explicitly), and when
there is none it prints why and exits 77, which CTest reports as skipped.
"""

import importlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "insights")
BENCH = os.path.join(HERE, "..", "bench")
SKIP = 77
MODULES = "import numpy, pandas, scipy.stats"


def has_modules():
    try:
        for name in ("numpy", "pandas", "scipy.stats"):
            importlib.import_module(name)
    except ImportError:
        return False
    return True


def other_python():
    """A python3 other than this one that imports numpy, pandas and scipy, or None."""
    candidates = []
    if os.environ.get("KNEAD_PYTHON"):
        candidates.append(os.environ["KNEAD_PYTHON"])
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidates.append(os.path.join(folder or ".", "python3"))
    seen = {os.path.realpath(sys.executable)}
    for cand in candidates:
        real = os.path.realpath(cand)
        if real in seen or not os.access(cand, os.X_OK):
            continue
        seen.add(real)
        probe = subprocess.run([cand, "-c", MODULES], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        if probe.returncode == 0:
            return cand
    return None


def main():
    if not has_modules():
        if os.environ.get("KNEAD_INSIGHTS_CHECK_REEXEC") != "1":
            python = other_python()
            if python:
                env = dict(os.environ, KNEAD_INSIGHTS_CHECK_REEXEC="1")
                return subprocess.run([python, os.path.abspath(__file__)], env=env).returncode
        print("insights_check: skipped: no python3 with numpy, pandas and scipy "
              "(Debian: python3-pandas python3-scipy)")
        return SKIP

    sys.dont_write_bytecode = True      # no __pycache__ in the source tree
    sys.path.insert(0, BENCH)
    sys.path.insert(0, DATA)
    import insights_compare
    import make_expected

    datasets = make_expected.dataset_dirs()
    if not datasets:
        print(f"insights_check: no datasets in {DATA}")
        return 1
    failed = 0
    for path in datasets:
        name = os.path.basename(path)
        expected_path = os.path.join(path, "expected.json")
        if not os.path.exists(expected_path):
            print(f"FAIL {name}: no expected.json (run tests/data/insights/make_expected.py)")
            failed += 1
            continue
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        actual = make_expected.insights(path)
        diffs = insights_compare.compare(expected, actual)
        if diffs:
            failed += 1
            print(f"FAIL {name}: the reference no longer gives expected.json:")
            for d in diffs:
                print(f"  {d}")
        else:
            print(f"ok   {name}")
    passed = len(datasets) - failed
    print(f"insights_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
