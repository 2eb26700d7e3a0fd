"""Pool two folds' validation tables out of fold and apply the threshold
rule (experiment, README.md "Two more real patients in training").

    python3 -m mv.cv_score runs/cv_a.json:STATE_A runs/cv_b.json:STATE_B [--json out.json]

Each argument is an mv.compare_val --json file and the state in it. Every
(threshold, min_mm) row is rebuilt from counts: the phantoms, which both
folds score, count as the mean of the two folds; every other group (the
one BLDS patch a fold left out of its training) is added as it is. The
result covers the same validation scans as one network scored on all of
them, so its rule's choice compares with 1.2's directly.
"""
import argparse
import json

from . import select_threshold


def counts(group):
    """(lesions >= 5 mm found, lesions >= 5 mm, false positives, scans) of a group row."""
    return group["sens5"] * group["n5"], group["n5"], group["fp"] * group["scans"], group["scans"]


def pool(rows, shared=("phantom",)):
    """One out-of-fold row from the folds' rows at the same point."""
    groups = {}
    for g in sorted({g for r in rows for g in r["groups"]}):
        parts = [counts(r["groups"][g]) for r in rows if g in r["groups"]]
        if g in shared:
            assert all((p[1], p[3]) == (parts[0][1], parts[0][3]) for p in parts), \
                "group %s: the folds scored different scans (lesions or scans differ)" % g
            k = len(parts)
            found, n5, fp, scans = (sum(p[i] for p in parts) / k for i in range(4))
        else:
            found, n5, fp, scans = (sum(p[i] for p in parts) for i in range(4))
        groups[g] = dict(sens5=found / n5 if n5 else 0.0, fp=fp / scans, n5=n5, scans=scans, found=found, fps=fp)
    found = sum(v["found"] for v in groups.values())
    n5 = sum(v["n5"] for v in groups.values())
    fps = sum(v["fps"] for v in groups.values())
    scans = sum(v["scans"] for v in groups.values())
    return dict(t=rows[0]["t"], min_mm=rows[0]["min_mm"], sens5=found / n5, fp=fps / scans, n5=n5, groups=groups)


def pooled_table(tables):
    """The out-of-fold table of folds' compare_val tables (same points in each)."""
    keyed = [{(r["t"], r["min_mm"]): r for r in t} for t in tables]
    assert all(k.keys() == keyed[0].keys() for k in keyed), "the folds were swept over different points"
    return [pool([k[p] for k in keyed]) for p in sorted(keyed[0])]


def best_in_group(table, group, budget):
    """The highest sensitivity >= 5 mm of one group within budget FP per scan
    of that group (a rate rebuilt from counts may differ from the budget's
    own in the last bit: 1e-9 of slack)."""
    ok = [r for r in table if r["groups"][group]["fp"] <= budget + 1e-9]
    return max(ok, key=lambda r: (r["groups"][group]["sens5"], r["t"])) if ok else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folds", nargs="+", help="FILE.json:STATE of mv.compare_val --json")
    # 1.2's BLDS false positives per scan at its point: 45 on 14 scans
    ap.add_argument("--blds-budget", type=float, default=45 / 14, help="FP per BLDS scan for the BLDS row")
    ap.add_argument("--json")
    args = ap.parse_args()
    tables = []
    if len(args.folds) < 2:
        ap.error("want two folds or more")
    for spec in args.folds:
        path, _, state = spec.rpartition(":")
        if not path or not state:
            ap.error("want FILE.json:STATE, got %r" % spec)
        tables.append(json.load(open(path))[state]["table"])
    table = pooled_table(tables)
    best, budget = select_threshold.apply_rule(table)
    print("rule's point (FP budget %s): %s" % (budget, select_threshold.describe(best)))
    blds = best_in_group(table, "blds", args.blds_budget)
    print("BLDS within %.2f FP per BLDS scan: %s" % (args.blds_budget,
          "none" if blds is None else "%.1f %% at %.2f (%.4g / %g mm)" % (
              100 * blds["groups"]["blds"]["sens5"], blds["groups"]["blds"]["fp"], blds["t"], blds["min_mm"])))
    if args.json:
        json.dump(dict(chosen=best, budget=budget, blds=blds, table=table), open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
