#!/usr/bin/env python3
"""Compares two insights JSON values (docs/INSIGHTS.md) for tests/insights_check.py and
bench/insights.sh: the same keys, lists of the same length in the same order, equal strings,
booleans and nulls, and numbers within 1e-9 absolute or relative. Standard library only.

    python3 bench/insights_compare.py EXPECTED.jsonl ACTUAL.jsonl
        compares two outputs of one JSON object per line; exit 0 when they agree.
"""

import json
import math
import sys

TOLERANCE = 1e-9


def numbers_close(a, b, tol=TOLERANCE):
    if a == b:
        return True
    if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
        return False
    diff = abs(a - b)
    return diff <= tol or diff <= tol * max(abs(a), abs(b))


def _kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def compare(expected, actual, path="$", tol=TOLERANCE, limit=20):
    """A list of differences ("PATH: ...") between expected and actual; empty when equal."""
    out = []
    _compare(expected, actual, path, tol, out, limit)
    return out


def _compare(e, a, path, tol, out, limit):
    if len(out) >= limit:
        return
    ke, ka = _kind(e), _kind(a)
    if ke != ka:
        out.append(f"{path}: expected {ke} {e!r}, got {ka} {a!r}")
    elif ke == "object":
        missing = [k for k in e if k not in a]
        extra = [k for k in a if k not in e]
        if missing:
            out.append(f"{path}: missing keys {missing}")
        if extra:
            out.append(f"{path}: unexpected keys {extra}")
        for k in e:
            if k in a:
                _compare(e[k], a[k], f"{path}.{k}", tol, out, limit)
    elif ke == "list":
        if len(e) != len(a):
            out.append(f"{path}: expected {len(e)} items, got {len(a)}")
        for i, (x, y) in enumerate(zip(e, a)):
            _compare(x, y, f"{path}[{i}]", tol, out, limit)
    elif ke == "number":
        if not numbers_close(e, a, tol):
            out.append(f"{path}: expected {e!r}, got {a!r}")
    elif e != a:
        out.append(f"{path}: expected {e!r}, got {a!r}")


def compare_lines(expected_lines, actual_lines, tol=TOLERANCE, limit=20):
    """Differences between two JSON-lines outputs (one insights object per person)."""
    out = []
    if len(expected_lines) != len(actual_lines):
        out.append(f"expected {len(expected_lines)} lines, got {len(actual_lines)}")
    for i, (e, a) in enumerate(zip(expected_lines, actual_lines), start=1):
        try:
            ej, aj = json.loads(e), json.loads(a)
        except ValueError as err:
            out.append(f"line {i}: not JSON ({err})")
            continue
        person = ej.get("person") if isinstance(ej, dict) else None
        out.extend(compare(ej, aj, f"line {i} (person {person})", tol, limit - len(out)))
        if len(out) >= limit:
            break
    return out[:limit]


def main(argv):
    """python3 bench/insights_compare.py EXPECTED.jsonl ACTUAL.jsonl: exit 0 when equal."""
    if len(argv) != 3:
        print("usage: insights_compare.py EXPECTED.jsonl ACTUAL.jsonl", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        expected = [line for line in f.read().splitlines() if line.strip()]
    with open(argv[2], encoding="utf-8") as f:
        actual = [line for line in f.read().splitlines() if line.strip()]
    diffs = compare_lines(expected, actual)
    for d in diffs:
        print(d)
    if diffs:
        return 1
    print(f"{len(expected)} objects agree (numbers within {TOLERANCE:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
