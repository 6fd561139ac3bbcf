#!/usr/bin/env python3
"""Reference implementation of knead's insights (docs/INSIGHTS.md) with pandas and scipy.

It is written independently of the C engine (src/insight/) so that the two can check each
other: tests/insights_check.py re-derives tests/data/insights/*/expected.json with it, and
bench/insights.sh uses it as the speed baseline for the C engine.

    python3 bench/insights_ref.py --csv DIR [--from DATE] [--to DATE]
        DIR holds pain.csv, checkin.csv and session.csv (any may be missing), in the
        formats of docs/CSV.md; prints one JSON object ("person": null).
    python3 bench/insights_ref.py --db PATH [--from DATE] [--to DATE]
        reads a knead SQLite database read-only; prints one JSON line per person,
        {"person": ID, ...}, sorted by person id.

Days are handled as integer day numbers (days since 1970-01-01) and turned back into
YYYY-MM-DD only for output. Pain values are integers, so the means the definitions compare
with a threshold (a PEG change <= -2, |diff| >= 1, "all changes equal") are decided on
their exact rational values, not on doubles, where 10/3 - 16/3 is -1.9999999999999996.
"""

import argparse
import fractions
import json
import math
import os
import re
import sqlite3
import sys
import warnings

import numpy as np
import pandas as pd
from scipy import stats

EPOCH = np.datetime64("1970-01-01", "D")

# Baseline window of a flare day, the days it needs, and how far a flare day must rise.
BASELINE_DAYS = 28
BASELINE_MIN_DAYS = 7
FLARE_RISE = 2
FLARE_MAX_GAP = 2
# Factor tests.
MIN_PAIRS = 10
MIN_PER_SIDE = 5
CONTINUOUS = ("stress", "sleep_hours", "sleep_quality")
DRIVER_Q = 0.05
DRIVER_RHO = 0.3
DRIVER_DIFF = 1.0
# Massage windows (days before and after a session) and the values a window needs.
MASSAGE_WINDOW = 3
MASSAGE_MIN_DAYS = 2
# Pain outcome windows.
OUTCOME_WINDOW = 14

PAIN_HEADER = ["at", "region", "intensity", "qualities", "note"]
CHECKIN_HEADER = ["date", "stress", "sleep_hours", "sleep_quality", "routine", "pain_free",
                  "tags", "treatments", "peg_pain", "peg_enjoyment", "peg_activity", "note"]
SESSION_HEADER = ["at", "minutes", "therapist", "work", "techniques", "pre_pain",
                  "post_pain", "note"]


# ---------------------------------------------------------------------------------------
# Days


def day_numbers(texts):
    """YYYY-MM-DD strings (a sequence or Series) -> int64 day numbers."""
    if len(texts) == 0:
        return np.zeros(0, dtype=np.int64)
    parsed = pd.to_datetime(pd.Series(texts, dtype=object), format="%Y-%m-%d")
    return parsed.to_numpy().astype("datetime64[D]").astype(np.int64)


def day_text(n):
    return str(EPOCH + np.timedelta64(int(n), "D"))


def parse_date_arg(text):
    if text is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return int(day_numbers([text])[0])
    except ValueError:
        raise ValueError(f"{text}: not a date (YYYY-MM-DD)") from None


# ---------------------------------------------------------------------------------------
# Empty inputs: the column layout compute_insights expects.


def empty_pain():
    return pd.DataFrame({"day": np.zeros(0, np.int64), "region": pd.Series([], dtype=object),
                         "intensity": np.zeros(0, np.int64)})


def empty_checkins():
    cols = {"day": np.zeros(0, np.int64)}
    for c in ("stress", "sleep_hours", "sleep_quality", "routine",
              "peg_pain", "peg_enjoyment", "peg_activity"):
        cols[c] = np.zeros(0, float)
    cols["pain_free"] = np.zeros(0, bool)
    return pd.DataFrame(cols)


def empty_items(column):
    return pd.DataFrame({"day": np.zeros(0, np.int64), column: pd.Series([], dtype=object)})


def empty_sessions():
    return pd.DataFrame({"at_utc": np.zeros(0, np.int64), "day": np.zeros(0, np.int64),
                         "pre_pain": np.zeros(0, float), "post_pain": np.zeros(0, float)})


# ---------------------------------------------------------------------------------------
# The insights of one person.


class DayLookup:
    """Daily worst values on a dense calendar, looked up by day number (NaN: no value)."""

    def __init__(self, worst):
        if len(worst):
            self.first = int(worst.index[0])
            self.values = np.full(int(worst.index[-1]) - self.first + 1, np.nan)
            self.values[worst.index.to_numpy() - self.first] = worst.to_numpy()
        else:
            self.first = 0
            self.values = np.zeros(0)

    def at(self, days):
        days = np.asarray(days, dtype=np.int64)
        pos = days - self.first
        inside = (pos >= 0) & (pos < len(self.values))
        out = np.full(days.shape, np.nan)
        out[inside] = self.values[pos[inside]]
        return out


def daily_worst(pain, checkins):
    """Series of daily worst values (float) indexed by day number, sorted."""
    worst = pain.groupby("day")["intensity"].max().astype(float)
    free = checkins.loc[checkins["pain_free"], "day"]
    free = free[~free.isin(worst.index)]
    if len(free):
        worst = pd.concat([worst, pd.Series(0.0, index=free.to_numpy())])
    return worst.sort_index()


def chronic_section(pain):
    felt = pain[pain["intensity"] >= 1]
    if felt.empty:
        return []
    months = (EPOCH + felt["day"].to_numpy().astype("timedelta64[D]")).astype("datetime64[M]")
    felt = felt.assign(month=months.astype(np.int64))
    by_region = felt.groupby("region")
    agg = by_region.agg(first=("day", "min"), last=("day", "max"),
                        total=("intensity", "sum"), entries=("intensity", "size"))
    agg["entry_days"] = felt.drop_duplicates(["region", "day"]).groupby("region").size()
    agg["months"] = felt.drop_duplicates(["region", "month"]).groupby("region").size()
    out = []
    for region, row in zip(agg.index, agg.itertuples(index=False)):
        span = int(row.last - row.first)
        chronic = span > 90 and int(row.months) >= 3
        # The diary's own verdict; an intake's onsets are not part of this input.
        status = ("chronic" if chronic else
                  "too_little_history" if span <= 90 else "not_yet_three_months")
        out.append({
            "region": region,
            "first": day_text(row.first),
            "last": day_text(row.last),
            "span_days": span,
            "months": int(row.months),
            "entry_days": int(row.entry_days),
            "mean_intensity": float(row.total) / float(row.entries),
            "chronic": chronic,
            "status": status,
            "basis": "diary",
            "onset": None,
            "onset_exact": None,
        })
    # groupby sorts the regions; sort again by code point (= UTF-8 byte order) to be sure.
    out.sort(key=lambda r: r["region"])
    return out


def flares_section(lookup):
    values = lookup.values
    if len(values) == 0:
        return []
    baseline = (pd.Series(values).shift(1)
                .rolling(BASELINE_DAYS, min_periods=BASELINE_MIN_DAYS).median().to_numpy())
    with np.errstate(invalid="ignore"):
        flag = ~np.isnan(values) & ~np.isnan(baseline) & (values >= baseline + FLARE_RISE)
    pos = np.flatnonzero(flag)
    if len(pos) == 0:
        return []
    # A new flare starts wherever the gap to the previous flare day exceeds 2 days.
    starts = np.flatnonzero(np.concatenate([[True], np.diff(pos) > FLARE_MAX_GAP]))
    ends = np.concatenate([starts[1:], [len(pos)]]) - 1
    peaks = np.maximum.reduceat(values[pos], starts)
    out = []
    for first, last, peak in zip(starts, ends, peaks):
        run = pos[first:last + 1]
        peak_pos = run[np.argmax(values[run] == peak)]   # the earliest day with the peak
        out.append({
            "start": day_text(lookup.first + run[0]),
            "end": day_text(lookup.first + run[-1]),
            "days": int(len(run)),
            "peak": int(peak),
            "peak_date": day_text(lookup.first + peak_pos),
            "baseline": float(baseline[run[0]]),
        })
    return out


def factor_table(checkins, tags, treatments):
    """(check-in days, {factor name: values}) with one value per check-in day, sorted by
    day; NaN is unknown, binary factors are 1.0 (with) or 0.0 (without)."""
    checkins = checkins.sort_values("day")
    days = checkins["day"].to_numpy(dtype=np.int64)
    table = {name: checkins[name].to_numpy(dtype=float) for name in CONTINUOUS + ("routine",)}
    for items, column, prefix in ((tags, "tag", "tag:"), (treatments, "name", "treatment:")):
        if items.empty:
            continue
        codes, names = pd.factorize(items[column], sort=False)
        rows = np.searchsorted(days, items["day"].to_numpy(dtype=np.int64))
        present = np.zeros((len(days), len(names)))
        present[rows, codes] = 1.0
        for k, name in enumerate(names):
            table[prefix + str(name)] = present[:, k]
    return days, table


def all_equal(a):
    return bool(np.all(a == a[0]))


def continuous_test(x, y):
    """(result fields, None) or (None, skip reason) for paired arrays x, y."""
    n = len(x)
    if n < MIN_PAIRS:
        return None, "too_few_pairs"
    if all_equal(x) or all_equal(y):
        return None, "constant"
    rho, p = stats.spearmanr(x, y)
    rho = float(rho)
    p = 0.0 if abs(rho) == 1.0 else float(p)
    return {"rho": rho, "p": p}, None


def t_quantile(prob, df):
    """Student's t quantile to full double precision.

    scipy 1.10's t.ppf (cephes stdtrit) is off by up to about 4e-9 (relative) for a
    non-integer df, more than the 1e-9 the tests allow; one Newton step on t.sf, which is
    accurate, brings it to within a few ulp.
    """
    q = float(stats.t.ppf(prob, df))
    return q + float((stats.t.sf(q, df) - (1.0 - prob)) / stats.t.pdf(q, df))


def binary_test(x, y):
    n = len(x)
    if n < MIN_PAIRS:
        return None, "too_few_pairs"
    with_ = y[x == 1.0]
    without = y[x == 0.0]
    n_with, n_without = len(with_), len(without)
    if n_with < MIN_PER_SIDE or n_without < MIN_PER_SIDE:
        return None, "too_few_with_or_without"
    if all_equal(with_) and all_equal(without):
        return None, "constant"
    diff = float(with_.mean() - without.mean())
    # Pain values are integers: the exact difference of the means decides |diff| >= 1.
    exact = (fractions.Fraction(int(with_.sum()), n_with)
             - fractions.Fraction(int(without.sum()), n_without))
    a = with_.var(ddof=1) / n_with
    b = without.var(ddof=1) / n_without
    se = math.sqrt(a + b)
    df = se ** 4 / (a * a / (n_with - 1) + b * b / (n_without - 1))
    half = t_quantile(0.975, df) * se
    with warnings.catch_warnings():
        # scipy warns of "catastrophic cancellation" when one group has no variance; its
        # variance is then exactly 0 (integer pain values) and the test is still valid.
        warnings.simplefilter("ignore", RuntimeWarning)
        p = float(stats.ttest_ind(with_, without, equal_var=False).pvalue)
    return {"n_with": n_with, "n_without": n_without, "diff": diff,
            "ci_low": diff - half, "ci_high": diff + half, "p": p,
            "big": abs(exact) >= DRIVER_DIFF}, None


def benjamini_hochberg(p):
    """q_(i) = min_{j >= i} p_(j) * m / j over the p-values sorted ascending, capped at 1."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    q = np.empty(m)
    q[order] = q_sorted
    return q


def factors_section(lookup, checkins, tags, treatments):
    days, table = factor_table(checkins, tags, treatments)
    names = sorted(table)
    tested, skipped = [], []
    for lag in (0, 1):
        pain = lookup.at(days + lag)
        known_pain = ~np.isnan(pain)
        for name in names:
            x = table[name]
            pair = known_pain & ~np.isnan(x)
            n = int(pair.sum())
            continuous = name in CONTINUOUS
            test = continuous_test if continuous else binary_test
            fields, reason = test(x[pair], pain[pair])
            if reason is not None:
                skipped.append({"factor": name, "lag": lag, "n": n, "reason": reason})
                continue
            entry = {"factor": name, "kind": "continuous" if continuous else "binary",
                     "lag": lag, "n": n}
            entry.update(fields)
            tested.append(entry)
    q = benjamini_hochberg([t["p"] for t in tested])
    out = []
    for t, qi in zip(tested, q):
        effect = abs(t["rho"]) >= DRIVER_RHO if "rho" in t else t["big"]
        if "rho" in t:
            keys = ("factor", "kind", "lag", "n", "rho", "p")
        else:
            keys = ("factor", "kind", "lag", "n", "n_with", "n_without", "diff", "ci_low",
                    "ci_high", "p")
        entry = {k: t[k] for k in keys}
        entry["q"] = float(qi)
        # A treatment is never a driver: it is taken because the day is bad.
        stands_out = bool(qi < DRIVER_Q and effect)
        treatment = t["factor"].startswith("treatment:")
        rises = (t["rho"] if "rho" in t else t["diff"]) > 0
        entry["driver"] = stands_out and not treatment
        entry["taken_on_worse_days"] = stands_out and treatment and rises
        out.append(entry)
    return out, skipped


def window_sums(lookup, days, offsets):
    """Per day in days: (sum, count) of the daily worst values of days + offsets."""
    values = lookup.at(days[:, None] + np.asarray(offsets)[None, :])
    known = ~np.isnan(values)
    return np.where(known, values, 0.0).sum(axis=1), known.sum(axis=1)


def number_or_none(v):
    return None if math.isnan(v) else float(v)


def massage_section(lookup, sessions):
    sessions = sessions.sort_values("at_utc", kind="stable")
    days = sessions["day"].to_numpy(dtype=np.int64)
    pre_sum, pre_n = window_sums(lookup, days, range(-MASSAGE_WINDOW, 0))
    post_sum, post_n = window_sums(lookup, days, range(1, MASSAGE_WINDOW + 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        pre = np.where(pre_n >= MASSAGE_MIN_DAYS, pre_sum / pre_n, np.nan)
        post = np.where(post_n >= MASSAGE_MIN_DAYS, post_sum / post_n, np.nan)
    change = post - pre
    immediate = (sessions["post_pain"] - sessions["pre_pain"]).to_numpy(dtype=float)
    rows = []
    for i in range(len(days)):
        rows.append({
            "date": day_text(days[i]),
            "pre": number_or_none(pre[i]),
            "post": number_or_none(post[i]),
            "change": number_or_none(change[i]),
            "immediate": None if math.isnan(immediate[i]) else int(immediate[i]),
        })
    has = ~np.isnan(change)
    changes = change[has]
    n = len(changes)
    mean_change = float(changes.mean()) if n else None
    # "All changes equal" is decided on the exact changes (the pain values are integers),
    # so that 13/3 - 10/3 and 7/3 - 4/3 count as equal although their doubles differ.
    exact = {fractions.Fraction(int(ps), int(pn)) - fractions.Fraction(int(qs), int(qn))
             for ps, pn, qs, qn in zip(post_sum[has], post_n[has], pre_sum[has], pre_n[has])}
    p = None
    if n >= 2 and len(exact) > 1:
        p = float(stats.ttest_1samp(changes, 0.0).pvalue)
    return {"sessions": rows, "n": n, "mean_change": mean_change, "p": p}


def category(change, percent):
    """IMMPACT category from the exact change and percent (percent None: baseline 0)."""
    if percent is None:
        return "worse" if change >= 2 else "no_important_change"
    if percent <= -50:
        return "substantial"
    if percent <= -30 and change <= -2:
        return "important"
    if percent >= 30 and change >= 2:
        return "worse"
    return "no_important_change"


def outcome(baseline, baseline_day, latest, latest_day):
    """An outcome from exact (Fraction) baseline and latest values.

    The values are means of integers, so change, percent and the category thresholds are
    worked out exactly: a PEG going from 16/3 to 10/3 changes by exactly -2.
    """
    change = latest - baseline
    percent = None if baseline == 0 else 100 * change / baseline
    return {"baseline": float(baseline), "baseline_date": day_text(baseline_day),
            "latest": float(latest), "latest_date": day_text(latest_day),
            "change": float(change), "percent": None if percent is None else float(percent),
            "category": category(change, percent)}


def peg_outcome(checkins):
    peg = checkins.dropna(subset=["peg_pain", "peg_enjoyment", "peg_activity"])
    if peg.empty:
        return None
    peg = peg.sort_values("day")
    total = (peg["peg_pain"] + peg["peg_enjoyment"] + peg["peg_activity"]).to_numpy()
    days = peg["day"].to_numpy()
    return outcome(fractions.Fraction(int(total[0]), 3), days[0],
                   fractions.Fraction(int(total[-1]), 3), days[-1])


def pain_outcome(worst):
    if len(worst) < 2 * OUTCOME_WINDOW:
        return None
    values = worst.to_numpy()
    days = worst.index.to_numpy()
    first = int(values[:OUTCOME_WINDOW].sum())
    last = int(values[-OUTCOME_WINDOW:].sum())
    return outcome(fractions.Fraction(first, OUTCOME_WINDOW), days[0],
                   fractions.Fraction(last, OUTCOME_WINDOW), days[-1])


def in_range(frame, first, last):
    if first is None and last is None:
        return frame
    keep = np.ones(len(frame), dtype=bool)
    if first is not None:
        keep &= frame["day"].to_numpy() >= first
    if last is not None:
        keep &= frame["day"].to_numpy() <= last
    return frame[keep]


def compute_insights(pain, checkins, tags, treatments, sessions, date_from=None, date_to=None):
    """The insights dict of one person (without "person"), as docs/INSIGHTS.md defines it.

    pain:       day (int day number), region (str), intensity (int)
    checkins:   day, stress, sleep_hours, sleep_quality (float, NaN: not recorded),
                routine (1.0 disrupted, 0.0 normal, NaN), pain_free (bool),
                peg_pain, peg_enjoyment, peg_activity (float, NaN)
    tags:       day, tag        (one row per tag listed in a check-in)
    treatments: day, name       (one row per treatment listed, name without the dose)
    sessions:   at_utc (int seconds), day, pre_pain, post_pain (float, NaN)
    date_from, date_to: inclusive YYYY-MM-DD strings or None (open).
    """
    first = parse_date_arg(date_from)
    last = parse_date_arg(date_to)
    pain = in_range(pain, first, last)
    checkins = in_range(checkins, first, last)
    tags = in_range(tags, first, last)
    treatments = in_range(treatments, first, last)
    sessions = in_range(sessions, first, last)

    worst = daily_worst(pain, checkins)
    lookup = DayLookup(worst)
    factors, skipped = factors_section(lookup, checkins, tags, treatments)
    return {
        "from": date_from,
        "to": date_to,
        "days_logged": int(len(worst)),
        "chronic": chronic_section(pain),
        "flares": flares_section(lookup),
        "factors": factors,
        "factors_skipped": skipped,
        "massage": massage_section(lookup, sessions),
        "outcomes": {"peg": peg_outcome(checkins), "pain": pain_outcome(worst)},
    }


# ---------------------------------------------------------------------------------------
# CSV input (docs/CSV.md)

INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                     r"(Z|[+-]\d{2}(?::?\d{2})?)?$")


def instants(at):
    """Series of ISO-8601 instants -> (local day numbers, UTC seconds).

    The local day is the date as written (the day in the instant's own offset). An instant
    without an offset is local time in the person's zone, which a CSV directory does not
    tell: it is taken as UTC for the order of sessions and for duplicates only.
    """
    parts = at.str.extract(INSTANT)
    bad = parts[0].isna()
    if bad.any():
        raise ValueError(f"instant {at[bad].iloc[0]!r}: not ISO 8601")
    day = day_numbers(parts[0])
    seconds = (parts[1].astype(np.int64) * 3600 + parts[2].astype(np.int64) * 60
               + parts[3].fillna("0").astype(np.int64)).to_numpy()
    off = parts[4].fillna("Z")
    sign = np.where(off.str[0] == "-", -1, 1)
    digits = off.str.replace(r"[^0-9]", "", regex=True)
    off_h = pd.to_numeric(digits.str[0:2], errors="coerce").fillna(0).to_numpy()
    off_m = pd.to_numeric(digits.str[2:4], errors="coerce").fillna(0).to_numpy()
    offset_s = (sign * (off_h * 3600 + off_m * 60)).astype(np.int64)
    return day, day * 86400 + seconds - offset_s


def read_kind(directory, name, header):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if list(frame.columns) != header:
        raise ValueError(f"{path}: header is not {','.join(header)}")
    return frame


def number_column(series):
    return pd.to_numeric(series.replace("", np.nan), errors="raise").astype(float)


def split_items(days, lists, strip_dose):
    """Explode ';'-separated list cells into (day, item) rows."""
    rows = pd.DataFrame({"day": days, "item": lists})
    rows = rows[rows["item"] != ""]
    rows = rows.assign(item=rows["item"].str.split(";")).explode("item")
    item = rows["item"].str.strip()
    if strip_dose:
        item = item.str.split(":", n=1).str[0].str.strip()
    return rows.assign(item=item)


def read_csv_dir(directory):
    """(pain, checkins, tags, treatments, sessions) frames from a directory of CSV files."""
    pain = empty_pain()
    raw = read_kind(directory, "pain.csv", PAIN_HEADER)
    if raw is not None and len(raw):
        day, utc = instants(raw["at"])
        pain = pd.DataFrame({"day": day, "utc": utc, "region": raw["region"].to_numpy(),
                             "intensity": raw["intensity"].astype(np.int64).to_numpy()})
        # A second entry with the same instant and region is a duplicate: the first stays.
        pain = pain.drop_duplicates(["utc", "region"], keep="first")
        pain = pain[["day", "region", "intensity"]].reset_index(drop=True)

    checkins, tags, treatments = empty_checkins(), empty_items("tag"), empty_items("name")
    raw = read_kind(directory, "checkin.csv", CHECKIN_HEADER)
    if raw is not None and len(raw):
        # A later row for the same day is merged into the earlier one: every field it
        # records replaces the earlier value (groupby.last takes the last non-empty one).
        merged = raw.replace("", np.nan).groupby("date", sort=True).last()
        merged = merged.fillna("")
        day = day_numbers(merged.index.to_series())
        routine = merged["routine"].map({"disrupted": 1.0, "normal": 0.0, "": np.nan})
        checkins = pd.DataFrame({
            "day": day,
            "stress": number_column(merged["stress"]).to_numpy(),
            "sleep_hours": number_column(merged["sleep_hours"]).to_numpy(),
            "sleep_quality": number_column(merged["sleep_quality"]).to_numpy(),
            "routine": routine.to_numpy(dtype=float),
            "pain_free": (merged["pain_free"] == "yes").to_numpy(),
            "peg_pain": number_column(merged["peg_pain"]).to_numpy(),
            "peg_enjoyment": number_column(merged["peg_enjoyment"]).to_numpy(),
            "peg_activity": number_column(merged["peg_activity"]).to_numpy(),
        })
        t = split_items(day, merged["tags"].to_numpy(), strip_dose=False)
        tags = pd.DataFrame({"day": t["day"].to_numpy(np.int64), "tag": t["item"].to_numpy()})
        t = split_items(day, merged["treatments"].to_numpy(), strip_dose=True)
        treatments = pd.DataFrame({"day": t["day"].to_numpy(np.int64),
                                   "name": t["item"].to_numpy()})

    sessions = empty_sessions()
    raw = read_kind(directory, "session.csv", SESSION_HEADER)
    if raw is not None and len(raw):
        day, utc = instants(raw["at"])
        sessions = pd.DataFrame({"at_utc": utc, "day": day,
                                 "pre_pain": number_column(raw["pre_pain"]).to_numpy(),
                                 "post_pain": number_column(raw["post_pain"]).to_numpy()})
        # A second session with the same instant is skipped.
        sessions = sessions.drop_duplicates(["at_utc"], keep="first").reset_index(drop=True)
    return pain, checkins, tags, treatments, sessions


def insights_from_csv(directory, date_from=None, date_to=None):
    """The insights object of --csv mode ("person": null first)."""
    out = {"person": None}
    out.update(compute_insights(*read_csv_dir(directory), date_from, date_to))
    return out


# ---------------------------------------------------------------------------------------
# SQLite input (src/store/sqlite.c)


def read_db(path):
    """(person ids, {person: (pain, checkins, tags, treatments, sessions)}) from a database."""
    uri = "file:" + os.path.abspath(path).replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        persons = [r[0] for r in con.execute("SELECT id FROM person ORDER BY id")]
        pain = pd.read_sql_query(
            "SELECT person_id, local_date, region, intensity FROM pain", con)
        checkins = pd.read_sql_query(
            "SELECT person_id, local_date, stress, sleep_hours, sleep_quality, routine,"
            " pain_free, peg_pain, peg_enjoyment, peg_activity FROM checkin", con)
        tags = pd.read_sql_query("SELECT person_id, local_date, tag FROM checkin_tag", con)
        treatments = pd.read_sql_query(
            "SELECT person_id, local_date, name FROM checkin_treatment", con)
        sessions = pd.read_sql_query(
            "SELECT person_id, at_utc, local_date, pre_pain, post_pain FROM session", con)
    finally:
        con.close()

    pain = pd.DataFrame({"person_id": pain["person_id"].to_numpy(),
                         "day": day_numbers(pain["local_date"]),
                         "region": pain["region"].to_numpy(),
                         "intensity": pain["intensity"].to_numpy(np.int64)})
    checkins = pd.DataFrame({
        "person_id": checkins["person_id"].to_numpy(),
        "day": day_numbers(checkins["local_date"]),
        "stress": checkins["stress"].to_numpy(float),
        "sleep_hours": checkins["sleep_hours"].to_numpy(float),
        "sleep_quality": checkins["sleep_quality"].to_numpy(float),
        "routine": checkins["routine"].map({"disrupted": 1.0, "normal": 0.0}).to_numpy(float),
        "pain_free": (checkins["pain_free"] == 1).to_numpy(),
        "peg_pain": checkins["peg_pain"].to_numpy(float),
        "peg_enjoyment": checkins["peg_enjoyment"].to_numpy(float),
        "peg_activity": checkins["peg_activity"].to_numpy(float),
    })
    tags = pd.DataFrame({"person_id": tags["person_id"].to_numpy(),
                         "day": day_numbers(tags["local_date"]), "tag": tags["tag"].to_numpy()})
    treatments = pd.DataFrame({"person_id": treatments["person_id"].to_numpy(),
                               "day": day_numbers(treatments["local_date"]),
                               "name": treatments["name"].to_numpy()})
    sessions = pd.DataFrame({"person_id": sessions["person_id"].to_numpy(),
                             "at_utc": sessions["at_utc"].to_numpy(np.int64),
                             "day": day_numbers(sessions["local_date"]),
                             "pre_pain": sessions["pre_pain"].to_numpy(float),
                             "post_pain": sessions["post_pain"].to_numpy(float)})

    empties = (empty_pain(), empty_checkins(), empty_items("tag"), empty_items("name"),
               empty_sessions())
    frames = [pain, checkins, tags, treatments, sessions]
    split = []
    for frame, empty in zip(frames, empties):
        groups = {pid: g.drop(columns="person_id") for pid, g in frame.groupby("person_id")}
        split.append((groups, empty))
    per_person = {
        pid: tuple(groups.get(pid, empty) for groups, empty in split) for pid in persons
    }
    return persons, per_person


def insights_from_db(path, date_from=None, date_to=None):
    """Yields the insights object of every person ("person": ID first), by person id."""
    persons, per_person = read_db(path)
    for pid in persons:
        out = {"person": int(pid)}
        out.update(compute_insights(*per_person[pid], date_from, date_to))
        yield out


def dumps(obj):
    return json.dumps(obj, allow_nan=False, ensure_ascii=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Reference insights (docs/INSIGHTS.md).")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", metavar="DIR", help="directory of pain/checkin/session.csv")
    source.add_argument("--db", metavar="PATH", help="knead SQLite database (read-only)")
    parser.add_argument("--from", dest="date_from", metavar="DATE")
    parser.add_argument("--to", dest="date_to", metavar="DATE")
    args = parser.parse_args(argv)
    try:
        parse_date_arg(args.date_from)
        parse_date_arg(args.date_to)
        if args.csv is not None:
            if not os.path.isdir(args.csv):
                raise ValueError(f"{args.csv}: not a directory")
            print(dumps(insights_from_csv(args.csv, args.date_from, args.date_to)))
        else:
            if not os.path.exists(args.db):
                raise ValueError(f"{args.db}: no such database")
            out = sys.stdout
            for obj in insights_from_db(args.db, args.date_from, args.date_to):
                out.write(dumps(obj))
                out.write("\n")
    except (ValueError, sqlite3.Error) as e:
        print(f"insights_ref: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
