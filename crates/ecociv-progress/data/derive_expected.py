#!/usr/bin/env python3
"""Derives the expected values of series.toml from the formulas of anchors.md §2.3.

An independent second computation of the Statistics Canada / Open SDG progress measure, written
from the formulas in docs/reference/anchors.md §2.3 (not from the Rust code), used only to fill in
the expected numbers of the conformance cases. Run: python3 derive_expected.py > series.toml
Python 3.11+, standard library only.
"""

ZERO = 0.001
A = 4.44


def cagr(a, b, ta, tb):
    return (a / b) ** (1.0 / (ta - tb)) - 1.0


def coeff(y0, lim):
    y0, lim = abs(y0), abs(lim)
    if y0 >= 2 * lim:
        return 1.0
    if y0 <= lim:
        return 1.0 - (y0 / lim) ** A
    return 1.0 - ((2 * lim - y0) / lim) ** A


def band(v, high, med, low):
    if v >= high:
        return "substantial_progress"
    if v >= med:
        return "moderate_progress"
    if v >= low:
        return "limited_progress"
    return "deterioration"


def score1(p, high, med, low, c):
    if p < low:
        return max(125 * p - 2.5, -5)
    if c == 0:
        return 5.0
    if p >= high:
        return min(500 * p / c - 5, 5)
    if p >= med:
        return 250 * p / c - 1.25
    return 500 * p / c - 2.5


def score2(r):
    if r >= 0.6:
        return min(7.1429 * r - 4.2857, 5)
    return max(4.1667 * r - 2.5, -5)


def measure(points, d, base_year, target_year, target=None, limit=None):
    """Returns a dict of expected fields, or {'error': code} for input errors."""
    years = [y for y, _ in points]
    if len(set(years)) != len(years):
        return {"error": "duplicate_year"}
    pts = sorted(points)
    out = {}
    method = 1 if target is None else 2
    out["method"] = "method1_no_target" if method == 1 else "method2_target"
    t_used = None if target is None else (ZERO if target == 0 else target)
    if not pts:
        return {**out, "status": "not_available", "refusal": "no_data"}
    cy, cv = pts[-1]
    after = [(y, v) for y, v in pts if y >= base_year]
    if not after:
        return {**out, "status": "not_available", "refusal": "no_data_since_base_year"}
    by, bv = after[0]
    out["base_year"] = by
    sign = -1.0 if bv < 0 else 1.0
    out["sign"] = sign
    high, med, low = (0.015, 0.005, 0.0) if method == 1 else (0.95, 0.6, 0.0)
    c = 1.0
    if method == 1 and limit is not None:
        c = coeff(bv, limit)
        out["limit_coefficient"] = c
        high, med, low = high * c, med * c, low * c
    out["threshold_high"] = high
    out["threshold_med"] = med
    achieved = t_used is not None and ((d == 1 and cv >= t_used) or (d == -1 and cv <= t_used))
    out["target_achieved"] = achieved
    b_used = ZERO if bv == 0 else bv
    out["base_value_used"] = b_used
    p = None
    refusal = None
    zero_required = False
    if (b_used > 0 and cv < 0) or (b_used < 0 and cv > 0):
        refusal = "sign_mismatch"
    elif cy - by < 1:
        refusal = "too_few_years"
    else:
        co = cagr(cv, b_used, cy, by)
        out["cagr_observed"] = co
        if method == 1:
            p = sign * d * co
        elif (t_used > 0) != (b_used > 0):
            refusal = "target_sign_mismatch"
        else:
            cr = cagr(t_used, b_used, target_year, by)
            out["cagr_required"] = cr
            if cr == 0:
                # Target = base value: met -> target_achieved (below); not met -> R < 0 without
                # bound -> deterioration, score -5 (the published table and score floor).
                zero_required = not achieved
            else:
                p = sign * d * co / abs(cr)
    if refusal:
        out["refusal"] = refusal
    if p is not None:
        out["progress_value"] = p
    if achieved:
        out["status"] = "target_achieved"
        out["score"] = 5.0
    elif p is not None:
        out["status"] = band(p, high, med, low)
        out["score"] = score1(p, high, med, low, c) if method == 1 else score2(p)
    elif zero_required:
        out["status"] = "deterioration"
        out["score"] = -5.0
    else:
        out["status"] = "not_available"
    return out


# (id, description, points, direction, base_year, target_year, target, limit)
CASES = [
    ("m1_substantial", "no target, +2 %/yr over one year: P = 0.02 -> substantial, score 5",
     [(2020, 100), (2021, 102)], 1, 2020, 2030, None, None),
    ("m1_moderate", "no target, +1 %/yr: P = 0.01 -> moderate, score 250*0.01-1.25 = 1.25",
     [(2020, 100), (2021, 101)], 1, 2020, 2030, None, None),
    ("m1_limited", "no target, +0.2 %/yr: limited, score 500*0.002-2.5 = -1.5",
     [(2020, 100), (2021, 100.2)], 1, 2020, 2030, None, None),
    ("m1_deterioration", "no target, -1 %/yr: deterioration, score 125*(-0.01)-2.5 = -3.75",
     [(2020, 100), (2021, 99)], 1, 2020, 2030, None, None),
    ("m1_lower_is_better", "lower is better, -2 %/yr: P = -1*-0.02 = 0.02 -> substantial",
     [(2020, 100), (2021, 98)], -1, 2020, 2030, None, None),
    ("m1_multi_year", "no target, 2015 to 2020, intermediate years ignored by the method",
     [(2015, 50), (2016, 40), (2017, 70), (2020, 53)], 1, 2015, 2030, None, None),
    ("m1_negative_values", "both values negative, higher is better: sign = -1 flips the direction",
     [(2015, -100), (2020, -90)], 1, 2015, 2030, None, None),
    ("m1_negative_values_worse", "both negative, higher is better, falling further: deterioration",
     [(2015, -100), (2020, -110)], 1, 2015, 2030, None, None),
    ("m1_limit_near", "natural limit 100, base 90: C = 1-0.9^4.44 reduces the thresholds",
     [(2021, 90), (2023, 91)], 1, 2021, 2030, None, 100),
    ("m1_limit_at_limit_flat", "base exactly at the limit, flat: C = 0, P = 0 -> substantial, score 5",
     [(2021, 100), (2023, 100)], 1, 2021, 2030, None, 100),
    ("m1_limit_at_limit_falling", "base at the limit, falling: C = 0, P < 0 -> deterioration, 125P-2.5",
     [(2021, 100), (2023, 99)], 1, 2021, 2030, None, 100),
    ("m1_limit_minimum_side", "lower is better, limit 10, base 15 (ylim < y0 < 2 ylim): C = 1-0.5^4.44",
     [(2021, 15), (2022, 14.9)], -1, 2021, 2030, None, 10),
    ("m1_limit_far", "base >= 2*limit: C = 1 (thresholds unchanged)",
     [(2021, 30), (2022, 30.3)], -1, 2021, 2030, None, 10),
    ("m1_limit_negative_values", "negative base -90 and limit -100: C is computed on absolute values (1-0.9^4.44)",
     [(2021, -90), (2022, -90.5)], -1, 2021, 2030, None, -100),
    ("m1_zero_base", "base value 0 replaced by 0.001 with a warning",
     [(2020, 0), (2021, 0.002)], 1, 2020, 2030, None, None),
    ("m2_on_track", "target 120 in 2030 from 100 in 2015; 110 in 2020",
     [(2015, 100), (2020, 110)], 1, 2015, 2030, 120, None),
    ("m2_moderate", "observed growth about 0.7 of required",
     [(2015, 100), (2020, 104.5)], 1, 2015, 2030, 120, None),
    ("m2_limited", "observed growth about 0.3 of required",
     [(2015, 100), (2020, 102)], 1, 2015, 2030, 120, None),
    ("m2_deterioration", "lower is better, target 80, value rose",
     [(2015, 100), (2020, 110)], -1, 2015, 2030, 80, None),
    ("m2_target_achieved_whatever_trend", "lower is better, target 96: current 95 meets it although it rose from 90",
     [(2015, 90), (2020, 95)], -1, 2015, 2030, 96, None),
    ("m2_target_achieved_boundary", "higher is better, current exactly equals the target: achieved (>=)",
     [(2021, 61.87), (2024, 62)], 1, 2021, 2025, 62, None),
    ("m2_target_achieved_one_year", "one year of data but the target is met: the code gives target_achieved, score 5",
     [(2021, 100)], 1, 2021, 2025, 100, None),
    ("m2_zero_target", "target 0 replaced by 0.001 (lower is better)",
     [(2015, 10), (2020, 5)], -1, 2015, 2030, 0, None),
    ("m2_zero_target_achieved", "target 0 -> 0.001; current 0 <= 0.001: achieved",
     [(2015, 10), (2020, 0)], -1, 2015, 2030, 0, None),
    ("m2_zero_base", "base 0 replaced by 0.001 with a warning",
     [(2015, 0), (2020, 5)], 1, 2015, 2030, 10, None),
    ("m2_negative_values", "both negative, higher is better, target -50",
     [(2015, -100), (2020, -90)], 1, 2015, 2030, -50, None),
    ("m2_limit_ignored", "a limit given with a target is ignored (warning)",
     [(2015, 100), (2020, 110)], 1, 2015, 2030, 120, 150),
    ("m2_zero_required_growth", "target equals base value, value moved away: R < 0 without bound -> deterioration, score -5",
     [(2021, 7.37), (2023, 7.0)], 1, 2021, 2025, 7.37, None),
    ("m2_zero_required_growth_lower", "lower is better, target equals base 30, value rose to 32: deterioration, -5",
     [(2021, 30), (2023, 32)], -1, 2021, 2025, 30, None),
    ("m2_zero_required_growth_passed", "target equals base value, value moved past it the desired way: achieved",
     [(2021, 7.37), (2023, 7.6)], 1, 2021, 2025, 7.37, None),
    ("m2_target_sign_mismatch", "target negative, base positive: required growth undefined",
     [(2015, 10), (2020, 5)], -1, 2015, 2030, -1, None),
    ("pre_sign_mismatch", "base negative, current positive: not_available",
     [(2015, -5), (2020, 5)], 1, 2015, 2030, None, None),
    ("pre_too_few_years", "only one year since the base year: not_available",
     [(2021, 100)], 1, 2021, 2030, None, None),
    ("pre_base_year_moved", "no 2015 value: the next year with data (2016) is the base",
     [(2014, 1), (2016, 100), (2020, 110)], 1, 2015, 2030, None, None),
    ("pre_no_data_since_base", "all data before the base year: not_available",
     [(2010, 1), (2014, 2)], 1, 2015, 2030, None, None),
    ("pre_no_data", "no data at all: not_available",
     [], 1, 2015, 2030, None, None),
    ("pre_duplicate_year", "two values for 2020: input error",
     [(2015, 1), (2020, 2), (2020, 3)], 1, 2015, 2030, None, None),
]


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, int):
        return str(v)
    return '"' + v + '"'


def main():
    print("# Conformance cases for the Statistics Canada / Open SDG progress measure.")
    print("# GENERATED by derive_expected.py from the formulas of anchors.md section 2.3; see README.md.")
    print("# Do not edit the expected values by hand: edit the case in derive_expected.py and rerun.")
    for cid, desc, pts, d, by, ty, tgt, lim in CASES:
        exp = measure(pts, d, by, ty, tgt, lim)
        print()
        print("[[case]]")
        print(f'id = "{cid}"')
        print(f'description = "{desc}"')
        print("points = [" + ", ".join(f"[{y}, {float(v)!r}]" for y, v in pts) + "]")
        print(f'direction = "{"higher_is_better" if d == 1 else "lower_is_better"}"')
        print(f"base_year = {by}")
        print(f"target_year = {ty}")
        if tgt is not None:
            print(f"target = {float(tgt)!r}")
        if lim is not None:
            print(f"natural_limit = {float(lim)!r}")
        print("[case.expected]")
        for k, v in exp.items():
            print(f"{k} = {fmt(v)}")


if __name__ == "__main__":
    main()
