#!/usr/bin/env python3
"""Writes the fixed insight test datasets of tests/data/insights/<name>/ (pain.csv,
checkin.csv, session.csv as needed, and an `args` file where a dataset is read with a
range). Deterministic: the same script always writes the same files, which are committed;
the expected values come from make_expected.py. Standard library only.

    python3 tests/data/insights/make_datasets.py

Every dataset targets edges of docs/INSIGHTS.md; the comment above each builder says which.
"""

import csv
import datetime as dt
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

PAIN_HEADER = ["at", "region", "intensity", "qualities", "note"]
CHECKIN_HEADER = ["date", "stress", "sleep_hours", "sleep_quality", "routine", "pain_free",
                  "tags", "treatments", "peg_pain", "peg_enjoyment", "peg_activity", "note"]
SESSION_HEADER = ["at", "minutes", "therapist", "work", "techniques", "pre_pain",
                  "post_pain", "note"]


def day(text):
    return dt.date.fromisoformat(text)


def cell(v):
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return ";".join(v)
    return str(v)


class Diary:
    """Rows of the three CSV kinds, written in the order they were added."""

    def __init__(self):
        self.pain = []
        self.checkins = []
        self.sessions = []

    def entry(self, date, time, region, intensity, qualities=(), note=None, offset="+00:00"):
        self.pain.append([f"{date.isoformat()}T{time}:00{offset}", region, intensity,
                          cell(list(qualities)), cell(note)])

    def checkin(self, date, stress=None, sleep_hours=None, sleep_quality=None, routine=None,
                pain_free=False, tags=(), treatments=(), peg=None, note=None):
        peg = peg or (None, None, None)
        sleep = None if sleep_hours is None else f"{sleep_hours:.1f}"
        self.checkins.append([date.isoformat(), cell(stress), cell(sleep), cell(sleep_quality),
                              cell(routine), "yes" if pain_free else "", cell(list(tags)),
                              cell(list(treatments)), cell(peg[0]), cell(peg[1]),
                              cell(peg[2]), cell(note)])

    def session(self, date, time, pre=None, post=None, offset="+00:00", minutes=60,
                therapist="Dana Reyes", work=("neck_side_r:5:4", "shoulder_top_r:6"),
                techniques=("trigger point release",), note=None):
        self.sessions.append([f"{date.isoformat()}T{time}:00{offset}", minutes, therapist,
                              cell(list(work)), cell(list(techniques)), cell(pre), cell(post),
                              cell(note)])

    def write(self, name, args=None):
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        for file, header, rows in (("pain.csv", PAIN_HEADER, self.pain),
                                   ("checkin.csv", CHECKIN_HEADER, self.checkins),
                                   ("session.csv", SESSION_HEADER, self.sessions)):
            path = os.path.join(folder, file)
            if not rows:
                if os.path.exists(path):
                    os.remove(path)
                continue
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(rows)
        args_path = os.path.join(folder, "args")
        if args:
            with open(args_path, "w", encoding="utf-8") as f:
                f.write(args + "\n")
        elif os.path.exists(args_path):
            os.remove(args_path)
        total = len(self.pain) + len(self.checkins) + len(self.sessions)
        print(f"{name}: {len(self.pain)} pain, {len(self.checkins)} checkin, "
              f"{len(self.sessions)} session rows ({total})")


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def berlin_offset(date):
    """Central European time; summer time from 2026-03-29 (and before 2025-10-26)."""
    return "+02:00" if date >= day("2026-03-29") or date < day("2025-10-26") else "+01:00"


# demo_like: about 200 days of a realistic diary. Stress and short sleep raise pain on the
# same day and the next; tags "long drive", "sick child", "travel", "gym"; treatments
# ibuprofen:400mg and heat; routine disruptions; Thursday sessions with pre/post pain;
# weekly PEG on Sundays; missing days and check-ins; offsets +01:00/+02:00 (a summer-time
# change), a trip in -05:00, a few entries in Z; entries whose local day differs from their
# UTC day (00:30+01:00 and 21:30-05:00); one check-in merged from two rows.
def demo_like():
    rnd = random.Random(20260301)
    d = Diary()
    start = day("2025-11-03")
    days = 200
    trip = set(range(100, 105))         # New York, 2026-02-11 .. 02-15
    drive = {150, 151, 170, 171, 172}   # a weekend drive and a three-day trip by car
    sick = set()
    i = 0
    while i < days:
        if rnd.random() < 0.025 and i not in trip:
            sick.update(range(i, i + rnd.randint(2, 3)))
            i += 4
        i += 1
    stress_prev, sleep_prev, ar, relief = 4.0, 7.2, 0.0, 0.0
    week_pain = []
    for i in range(days):
        date = start + dt.timedelta(days=i)
        weekday = date.weekday()
        offset = "-05:00" if i in trip else berlin_offset(date)
        travel = i in trip or i in drive
        long_drive = i in (100, 104, 150, 151, 170, 172)
        is_sick = i in sick
        stress = (4.5 if weekday < 5 else 2.5) + rnd.gauss(0, 1.2)
        stress += 1.5 * is_sick + 1.0 * travel
        stress = int(round(clamp(stress, 0, 10)))
        sleep = 7.2 - 0.15 * (stress_prev - 4) - 1.2 * is_sick - 0.8 * travel
        sleep = round(clamp(sleep + rnd.gauss(0, 0.6), 4.5, 9.0), 1)
        quality = int(round(clamp(5 + (sleep - 7) * 1.5 + rnd.gauss(0, 1), 0, 10)))
        disrupted = travel or is_sick
        ar = 0.7 * ar + rnd.gauss(0, 0.5)
        latent = (3.8 + 0.4 * (stress - 4) + 0.25 * (stress_prev - 4) + 1.0 * (sleep < 6)
                  + 0.6 * (sleep_prev < 6) + 1.0 * disrupted + ar + rnd.gauss(0, 0.8) - relief)
        relief *= 0.65
        stress_prev, sleep_prev = stress, sleep

        forced = i in (60, 102)        # the days with a local day unlike the UTC day
        nothing = rnd.random() < 0.05 and not forced and weekday != 6
        if nothing:
            continue
        pain_free = latent < 1.5 and not forced
        worst = 0
        if not pain_free:
            worst = int(clamp(round(latent), 1, 10))
            n = 1 + (worst >= 5) + (rnd.random() < 0.3)
            regions = ["neck_side_r", "shoulder_top_r", "neck_back_r"]
            rnd.shuffle(regions)
            if stress >= 6 and rnd.random() < 0.6:
                regions.insert(0, "temple_r")
            if long_drive:
                regions.insert(0, "lowback_l")
            if rnd.random() < 0.08:
                regions.append("shoulder_top_l")
            if rnd.random() < 0.05:
                regions.append("vertex")
            times = sorted(rnd.sample(range(8 * 4, 22 * 4), n + 1))
            for k in range(n + 1 if long_drive else n):
                hour, quarter = divmod(times[k % len(times)], 4)
                intensity = worst if k == 0 else max(0, worst - rnd.randint(1, 3))
                region = regions[k % len(regions)]
                qualities = {"temple_r": ["throbbing"], "lowback_l": ["aching", "stiffness"],
                             "vertex": ["dull"]}.get(region, rnd.choice(
                                 [["aching"], ["stiffness"], ["tender"], ["aching", "tender"]]))
                entry_offset = "Z" if i % 37 == 5 else offset
                d.entry(date, f"{hour:02d}:{quarter * 15:02d}", region, intensity, qualities,
                        offset=entry_offset)
            if i == 60:
                # 00:30 in +01:00 is still the previous day in UTC.
                d.entry(date, "00:30", "neck_back_r", max(1, worst - 1), ["stiffness"],
                        note="woke up at night", offset=offset)
            if i == 102:
                # 21:30 in New York is already the next day in UTC.
                d.entry(date, "21:30", "temple_r", worst, ["throbbing"],
                        note="jet lag, headache in the hotel", offset="-05:00")
        week_pain.append(worst)

        if rnd.random() < 0.10 and weekday != 6 and not forced and not long_drive:
            continue                    # pain entries but no check-in
        tags = []
        if is_sick:
            tags.append("sick child")
        if travel:
            tags.append("travel")
        if long_drive:
            tags.append("long drive")
        if weekday in (1, 4) and rnd.random() < 0.5 and not travel:
            tags.append("gym")
        treatments = []
        if worst >= 6 and rnd.random() < 0.8:
            treatments.append("ibuprofen:400mg")
        if 3 <= worst <= 6 and rnd.random() < 0.4:
            treatments.append("heat")
        peg = None
        if weekday == 6:
            p = int(round(sum(week_pain) / len(week_pain)))
            peg = (p, int(clamp(p + rnd.randint(-1, 1), 0, 10)),
                   int(clamp(p + rnd.randint(-2, 1), 0, 10)))
            week_pain = []
        d.checkin(date, stress=stress, sleep_hours=sleep,
                  sleep_quality=None if rnd.random() < 0.05 else quality,
                  routine=None if rnd.random() < 0.03 else
                  ("disrupted" if disrupted else "normal"),
                  pain_free=pain_free, tags=tags, treatments=treatments, peg=peg,
                  note="long day" if rnd.random() < 0.05 else None)

        if weekday == 3 and not travel and rnd.random() > 0.08:
            pre = int(clamp(worst + rnd.randint(-1, 1), 0, 10))
            post = max(0, pre - rnd.randint(1, 3))
            d.session(date, "18:00", pre=pre if rnd.random() > 0.05 else None,
                      post=post if rnd.random() > 0.05 else None, offset=offset,
                      work=("neck_side_r:6:5", "shoulder_top_r:5:3", "neck_back_r:5"),
                      techniques=("trigger point release", "myofascial release"))
            relief = 1.5
    # A second row for a day that already has a check-in: only its sleep quality is
    # recorded, so the merge changes that one field.
    merged = next(r for r in d.checkins if r[0] == "2026-01-15")
    d.checkins.append([merged[0], "", "", "2", "", "", "", "", "", "", "", ""])
    d.write("demo_like")


# ties_and_constants: stress takes only three values (many ties); sleep_quality is the same
# on every check-in (continuous, constant); sleep_hours is recorded only on days with the
# same pain (lag 0: constant pain series) and the next day's pain rises with it in ties
# (lag 1: rho 1, p 0); routine is recorded on 12 days where disrupted days all hurt 6 and
# normal ones 2 (lag 0: both groups without variance, skipped constant); tag "nap" has no
# variance in one group only (the test runs); an entry of intensity 0 next to others.
def ties_and_constants():
    d = Diary()
    start = day("2026-01-05")
    pain = {}
    sleep = {}
    for i in range(0, 24, 2):
        sleep[i] = (6.0, 7.0, 8.0)[(i // 2) % 3]
        pain[i] = 4
        pain[i + 1] = {6.0: 3, 7.0: 5, 8.0: 7}[sleep[i]]
    routine = dict(zip(range(24, 36), "DNNDDNDNNDDN"))
    for i, r in routine.items():
        pain[i] = 6 if r == "D" else 2
    pain.update({36: 5, 37: 3, 38: 6, 39: 4})
    naps = {0, 4, 8, 12, 16, 20}
    for i in range(40):
        date = start + dt.timedelta(days=i)
        d.entry(date, "09:00", "neck_side_r", pain[i], ["aching"], offset="Z")
        if i % 3 == 0:
            d.entry(date, "15:30", "temple_r", max(0, pain[i] - 2), ["throbbing"], offset="Z")
        if i == 5:
            d.entry(date, "12:00", "vertex", 0, offset="Z")
        if i < 38:
            r = routine.get(i)
            d.checkin(date, stress=(2, 5, 8)[(i * 7) % 3], sleep_hours=sleep.get(i),
                      sleep_quality=7,
                      routine=None if r is None else ("disrupted" if r == "D" else "normal"),
                      tags=["nap"] if i in naps else [])
    d.write("ties_and_constants")


# thresholds: stress recorded on 10 days (lag 0: n 10, run; lag 1: n 9, too_few_pairs);
# sleep_hours on 9 days (too_few_pairs); tag "tea" on 4 days (too_few_with_or_without),
# tag "walk" on exactly 5 (run); routine with exactly 5 normal days at lag 0 (run) and 4 at
# lag 1 (too_few_with_or_without); tag "stretch" whose difference of means is exactly 1
# although the doubles give 0.9999999999999996 (driver); one PEG check-in (baseline =
# latest); a session with pre_pain only (immediate null).
def thresholds():
    rnd = random.Random(7)
    d = Diary()
    start = day("2026-03-02")
    stretch = [1, 4, 7, 10, 13, 16, 19, 22, 25, 28]
    rest = [i for i in range(30) if i not in stretch]
    with_values = [5] * 6 + [4] * 4      # sum 46
    without_values = [4] * 12 + [3] * 8  # sum 72
    rnd.shuffle(with_values)
    rnd.shuffle(without_values)
    pain = dict(zip(stretch, with_values))
    pain.update(zip(rest, without_values))
    walk = {2, 8, 14, 20, 26}
    tea = {3, 9, 15, 21}
    stress = dict(zip(range(20, 30), [3, 5, 4, 6, 2, 7, 5, 3, 6, 4]))
    sleep = dict(zip(range(9), [6.5, 7.0, 5.5, 8.0, 7.5, 6.0, 7.2, 6.8, 5.9]))
    normal = {19, 22, 24, 27, 29}
    for i in range(30):
        date = start + dt.timedelta(days=i)
        d.entry(date, "10:15", "shoulder_top_r", pain[i], ["aching", "stiffness"],
                offset=berlin_offset(date))
        if i % 4 == 1:
            d.entry(date, "19:45", "neck_back_r", pain[i] - 1, ["tender"],
                    offset=berlin_offset(date))
        tags = (["stretch"] if i in stretch else []) + (["walk"] if i in walk else []) + \
               (["tea"] if i in tea else [])
        routine = None
        if i >= 18:
            routine = "normal" if i in normal else "disrupted"
        d.checkin(date, stress=stress.get(i), sleep_hours=sleep.get(i),
                  sleep_quality=int(clamp(9 - pain[i] + rnd.randint(-1, 1), 0, 10)),
                  routine=routine, tags=tags,
                  peg=(5, 4, 6) if i == 10 else None)
    d.session(start + dt.timedelta(days=12), "17:00", pre=5, offset="+01:00")
    d.session(start + dt.timedelta(days=19), "17:00", pre=5, post=3, offset="+01:00")
    d.write("thresholds")


# flare_at_start: the baseline is first defined on day 8 of data and that day is a flare;
# flare days 2 apart join (with a tie for the peak: the earliest day is peak_date) and 3
# apart do not; flare days joined across a day without a value; three flare days with the
# peak twice; a gap after which the baseline is undefined again (a high day that is no
# flare), then a flare whose baseline is over an even number of days (3.5). Chronic edges: span 90 with 3
# months (not chronic), span 91 with 3 months (chronic), span 91 with 2 months (not
# chronic), a region with intensity 0 only (not listed), a midline region.
def flare_at_start():
    d = Diary()
    start = day("2026-01-05")
    pain = {i: 3 for i in range(7)}
    pain[7] = 6
    for i in range(8, 20):
        pain[i] = 3 + i % 2
    pain.update({20: 7, 21: 3, 22: 7, 23: 3, 24: 3, 25: 6})
    for i in range(26, 40):
        pain[i] = 3 + (i % 3 == 0)
    # days 40-45 have no value
    for i in range(46, 70):
        pain[i] = 3 + i % 2
    pain.update({50: 6, 51: None, 52: 8, 55: 5, 56: 7, 57: 7})
    # days 70-95 have no value: the baseline needs 7 days in its 28 again
    for i in range(96, 126):
        pain[i] = 3 + (i % 4 == 0)
    # day 96 is high but has no baseline; day 103 has one (7 days) and is no flare; day 104
    # has a baseline over 8 days, 3.5, and 6 >= 5.5 starts a flare.
    pain.update(zip(range(96, 105), [9, 3, 3, 3, 4, 4, 3, 4, 6]))
    for i, v in sorted(pain.items()):
        if v is None:
            continue
        date = start + dt.timedelta(days=i)
        d.entry(date, "08:30", "neck_back_r", v, ["aching"], offset=berlin_offset(date))
        if i % 5 == 0:
            d.entry(date, "13:00", "sacrum_coccyx", 2, ["dull"], offset=berlin_offset(date))
        if i == 30:
            d.entry(date, "13:30", "vertex", 0, offset=berlin_offset(date))
    for region, dates in (("forehead_l", ("2026-01-31", "2026-03-15", "2026-05-01")),
                          ("temple_l", ("2026-01-31", "2026-03-15", "2026-05-02")),
                          ("occiput_l", ("2026-01-31", "2026-05-02"))):
        for text in dates:
            assert pain.get((day(text) - start).days), text
            d.entry(day(text), "20:00", region, 1, ["dull"], offset=berlin_offset(day(text)))
    d.write("flare_at_start")


# baseline_zero: 14 pain-free check-in days first, so the pain outcome's baseline is 0
# (percent null) and the last 14 days average exactly 2 (category worse); the first PEG is
# 0, 0, 0 (baseline 0, a later PEG of 1: no_important_change); a baseline of 0 makes days
# of 2 flares; a pain-free check-in on a day with entries keeps their largest intensity.
def baseline_zero():
    rnd = random.Random(11)
    d = Diary()
    start = day("2026-04-01")
    later = [1, 3, 2, 4, 1, 2, 3, 2, 1, 2, 3, 4]          # days 14-25
    last = [2, 2, 1, 3, 2, 2, 3, 1, 2, 2, 3, 2, 1, 2]    # days 26-39, sum 28
    assert sum(last) == 28
    values = dict(zip(range(14, 26), later))
    values.update(zip(range(26, 40), last))
    for i in range(40):
        date = start + dt.timedelta(days=i)
        if i < 14:
            d.checkin(date, stress=rnd.randint(1, 3), sleep_hours=7.5, sleep_quality=8,
                      routine="normal", pain_free=True, tags=["rest"] if i == 5 else [],
                      peg=(0, 0, 0) if i == 3 else None)
            continue
        d.entry(date, "11:00", "lowback_r", values[i], ["aching"], offset="+02:00")
        if i % 6 == 0:
            d.entry(date, "18:00", "hip_outer_r", max(0, values[i] - 1), offset="+02:00")
        if i % 2 == 0 or i == 20:
            d.checkin(date, stress=rnd.randint(2, 7), sleep_hours=round(6 + rnd.random() * 2, 1),
                      sleep_quality=rnd.randint(4, 8),
                      routine="disrupted" if i % 8 == 0 else "normal",
                      pain_free=(i == 20), tags=["rest"] if i % 10 == 0 else [],
                      treatments=["heat"] if values[i] >= 3 else [],
                      peg=(1, 1, 1) if i == 36 else None)
    d.session(start + dt.timedelta(days=17), "16:00", pre=3, post=1, offset="+02:00")
    d.write("baseline_zero")


# range: data from 2026-01-01 to 2026-04-30 read with --from 2026-02-01 --to 2026-03-31.
# High pain just before the range (it must not enter baselines: early February has a flare
# only with the in-range baseline); entries at 23:30-05:00 on 31 January (outside, although
# UTC 1 February) and 00:30+02:00 on 1 February (inside, although UTC 31 January), and at
# the end 23:45-04:00 on 31 March (inside, UTC 1 April) and 00:15+03:00 on 1 April
# (outside, UTC 31 March), each the day's largest intensity; a region and a tag that occur only outside; a check-in on the last day whose
# lag-1 day is outside; sessions on the first day (pre window outside: null) and the last
# (post null) and outside; PEG check-ins outside and inside.
def range_():
    rnd = random.Random(3)
    d = Diary()
    start = day("2026-01-01")
    for i in range(120):
        date = start + dt.timedelta(days=i)
        offset = berlin_offset(date)
        if day("2026-01-20") <= date <= day("2026-01-31"):
            v = 8
        elif date == day("2026-02-10"):
            v = 7
        else:
            v = rnd.choice([3, 4, 4, 5])
        d.entry(date, "09:30", "neck_side_r", v, ["aching"], offset=offset)
        if date.month == 1 and i % 3 == 0:
            d.entry(date, "12:00", "knee_front_l", 5, ["sharp"], offset=offset)
        if i % 4 == 0:
            d.entry(date, "17:00", "shoulder_top_r", max(0, v - 1), ["stiffness"], offset=offset)
        stress = int(clamp(v - 1 + rnd.randint(-2, 2), 0, 10))
        tags = []
        if date.month == 1 and i % 5 == 0:
            tags.append("ski trip")
        if date.weekday() < 5 and rnd.random() < 0.4:
            tags.append("office")
        peg = None
        if date.weekday() == 6:
            peg = (v, 5, 5) if day("2026-02-01") <= date <= day("2026-03-31") else (9, 9, 9)
        d.checkin(date, stress=stress, sleep_hours=round(6 + rnd.random() * 2.5, 1),
                  sleep_quality=rnd.randint(3, 9), routine="normal", tags=tags, peg=peg)
    d.entry(day("2026-01-31"), "23:30", "neck_side_r", 9, ["burning"], offset="-05:00")
    d.entry(day("2026-02-01"), "00:30", "neck_side_r", 6, ["dull"], offset="+02:00")
    d.entry(day("2026-03-31"), "23:45", "neck_side_r", 6, ["dull"], offset="-04:00")
    d.entry(day("2026-04-01"), "00:15", "neck_side_r", 10, ["electric"], offset="+03:00")
    for text, pre, post in (("2026-01-15", 6, 3), ("2026-02-01", 5, 3), ("2026-02-12", 6, 4),
                            ("2026-03-05", 4, 2), ("2026-03-31", 5, 2), ("2026-04-09", 7, 1)):
        date = day(text)
        d.session(date, "18:00", pre=pre, post=post, offset=berlin_offset(date))
    d.write("range", args="--from 2026-02-01 --to 2026-03-31")


# all_missing: data in January and March, read with a February range that holds nothing:
# days_logged 0, every list empty, every outcome null (only the fixed factors are listed
# as skipped, n 0). Entries at 23:30-01:00 on 31 January and 00:30+02:00 on 1 March have a
# UTC day inside the range but a local day outside.
def all_missing():
    rnd = random.Random(5)
    d = Diary()
    for month in (1, 3):
        for k in range(1, 32):
            date = dt.date(2026, month, k)
            offset = berlin_offset(date)
            d.entry(date, "10:00", "neck_side_r", rnd.randint(2, 6), ["aching"], offset=offset)
            d.checkin(date, stress=rnd.randint(1, 8), sleep_hours=7.0, sleep_quality=6,
                      routine="normal", tags=["work"] if k % 3 == 0 else [],
                      peg=(4, 4, 4) if date.weekday() == 6 else None)
            if date.weekday() == 3:
                d.session(date, "18:00", pre=5, post=3, offset=offset)
    d.entry(day("2026-01-31"), "23:30", "temple_r", 7, ["throbbing"], offset="-01:00")
    d.entry(day("2026-03-01"), "00:30", "temple_r", 7, ["throbbing"], offset="+02:00")
    d.write("all_missing", args="--from 2026-02-01 --to 2026-02-28")


# few_days: 20 days with values (pain outcome null); a PEG from 16/3 to 10/3, a change of
# exactly -2 and -37.5 % (important; the doubles give -1.9999999999999996); a session
# on the first day (no pre window: pre null); two sessions on one local day whose order by
# instant (09:00+03:00, then 07:00Z) differs from their clock times; a third session whose
# change equals theirs exactly (14/3 - 13/3 and 8/3 - 7/3, unequal as doubles), so all
# changes are equal and p is null; a session whose post window is empty.
def few_days():
    d = Diary()
    start = day("2026-05-04")
    values = [3, 4, 3, 4, 3, 4, 4, 5, 5, 4, 5, 5, 2, 2, 3, 3, 2, 3, 3, 3]
    for i, v in enumerate(values):
        date = start + dt.timedelta(days=i)
        d.entry(date, "08:45", "jaw_r", v, ["aching"], offset="+02:00")
        if i % 2:
            d.entry(date, "20:10", "tmj_ear_r", max(0, v - 2), ["sharp"], offset="+02:00")
        if i % 2 == 0:
            d.checkin(date, stress=2 + (i * 3) % 7, sleep_hours=6.5 + (i % 3) * 0.5,
                      sleep_quality=5 + i % 4, routine="normal",
                      peg={0: (6, 5, 5), 14: (4, 3, 3)}.get(i))
    d.session(start, "18:00", pre=3, post=2, offset="+02:00", work=("jaw_r:3:2",))
    d.session(start + dt.timedelta(days=8), "09:00", pre=6, post=4, offset="+03:00",
              work=("jaw_r:4",))
    d.session(start + dt.timedelta(days=8), "07:00", pre=5, post=4, offset="Z",
              work=("jaw_r:4",))
    d.session(start + dt.timedelta(days=15), "18:00", pre=4, offset="+02:00",
              work=("jaw_r:3",))
    d.session(start + dt.timedelta(days=19), "18:00", pre=3, post=2, offset="+02:00",
              work=("jaw_r:3",))
    d.write("few_days")


def main():
    demo_like()
    ties_and_constants()
    thresholds()
    flare_at_start()
    baseline_zero()
    range_()
    all_missing()
    few_days()


if __name__ == "__main__":
    main()
