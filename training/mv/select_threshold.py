"""Choose the operating threshold (and min_lesion_mm) on the validation
series, through the Go pipeline, and write the final bundle.

Rule (fixed before looking at test data): over all validation scans
pooled, among thresholds t ∈ app.THRESHOLDS and min_lesion_mm m ∈ {0, 2,
3}, keep those with at most FP_BUDGET false positives per scan and pick
the one with the highest sensitivity for lesions ≥ 5 mm; ties go to the
higher threshold, then the smaller m. FP_BUDGET is half the 1-per-scan
target, a margin for the shift from validation to unseen data; if no
choice reaches 90 % sensitivity within it, the budget becomes 1 (and if
even that cannot be met, the fewest false positives win).

    python3 -m mv.select_threshold [--members final,final~] [--bundle DIR]

--members (or --state) takes mv.bundle.parse_members' spec: run names or
checkpoint paths, "~" for a member run on the mirrored slice; the default
is config.MEMBERS. The table goes to runs/NAME/selection.json for a single
checkpoint, and to runs/selection_<spec>.json for an ensemble, so that an
ensemble never overwrites its members' tables.
"""
import argparse
import json
import os

import numpy as np

from . import app, config
from .bundle import single_checkpoint, write_bundle
from .metrics import Sweep

FP_BUDGET = 0.5
MIN_MM = (0.0, 2.0, 3.0)


def best_within(table, budget):
    """The row of choose's table with the highest sensitivity for lesions
    >= 5 mm within budget false positives per scan (ties: the higher
    threshold, then the smaller min_mm); None when no row is within it."""
    ok = [row for row in table if row["fp"] <= budget]
    return max(ok, key=lambda r: (round(r["sens5"], 6), r["t"], -r["min_mm"])) if ok else None


def describe(row):
    """A table row in one line: point, pooled and per-group figures."""
    return "%.4g / %g mm, %.1f %% at %.2f; %s" % (
        row["t"], row["min_mm"], 100 * row["sens5"], row["fp"],
        ", ".join("%s %.1f %% at %.2f" % (g, 100 * v["sens5"], v["fp"]) for g, v in row["groups"].items()))


def choose(items, thresholds=app.THRESHOLDS, min_mms=MIN_MM):
    """items: [(name, group, lesions, findings per threshold)]."""
    table = []
    for m in min_mms:
        sw = Sweep(thresholds)
        for name, group, les, by_t in items:
            sw.add(name, group, les, [[f for f in fs if f["diameter_mm"] >= m] for fs in by_t])
        s5, fp, n5 = sw.curve(size=">=5 mm")
        sa, _, na = sw.curve()
        for i, t in enumerate(thresholds):
            groups = {}
            for g in ("phantom", "real", "blds"):
                sc = [s for s in sw.scans if s["group"] == g]
                if sc:
                    gs, gf, gn = sw.curve(sc, ">=5 mm")
                    groups[g] = dict(sens5=float(gs[i]), fp=float(gf[i]), n5=gn, scans=len(sc))
            table.append(dict(t=t, min_mm=m, sens5=float(s5[i]), sens_all=float(sa[i]), fp=float(fp[i]),
                              n5=n5, n_all=na, groups=groups))
    best, budget = apply_rule(table)
    return best, budget, table


def apply_rule(table):
    """The rule on a ready table: (row, FP budget), the budget None when
    not even 1 FP per scan can be met."""
    for budget in (FP_BUDGET, 1.0):
        best = best_within(table, budget)
        if best and (best["sens5"] >= 0.9 or budget == 1.0):
            return best, budget
    # the budget cannot be met: fewest false positives, then sensitivity
    print("warning: no threshold reaches 1 FP per scan on validation")
    return min(table, key=lambda r: (r["fp"], -r["sens5"], -r["t"], r["min_mm"])), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", "--state", dest="members", default=config.MEMBERS,
                    help="member spec (mv.bundle.parse_members)")
    ap.add_argument("--bundle", default=config.BUNDLE)
    args = ap.parse_args()
    staging = os.path.join(config.CACHE, "bundle_staging")
    write_bundle(args.members, staging, 0.5, 0.0)
    series = app.dicom_dirs("val", app.scan_files("val"))
    results = app.analyze(staging, [s[0] for s in series], app.THRESHOLDS)
    items = [(name, group, les, [r["sweep"][str(t)] for t in app.THRESHOLDS])
             for r, (d, les, name, group) in zip(results, series)]
    best, budget, table = choose(items)
    print("chosen: %s (FP budget %s)" % (json.dumps(best), "none met" if budget is None else "%.1f" % budget))
    m = write_bundle(args.members, args.bundle, best["t"], best["min_mm"])
    single = single_checkpoint(args.members)
    if single:
        out = os.path.join(os.path.dirname(single), "selection.json")
    else:
        slug = args.members.replace("~", "-flip").replace(",", "+").replace("/", "_")
        out = os.path.join(config.RUNS, "selection_%s.json" % slug)
    json.dump(dict(members=args.members, chosen=best, budget=budget, table=table, sha256=m["sha256"]), open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
