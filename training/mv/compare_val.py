"""Compare trained networks on the VALIDATION series only, through the
Python replica of the app's analysis (infer.py; its maps were checked
identical to the Go pipeline's), with the threshold rule of
select_threshold.choose. For each state: the operating point that rule
would choose, and the row at a fixed point (default the shipped 0.85 /
2 mm), pooled and per group (phantoms, BLDS patches).

    python3 -m mv.compare_val runs/final/best.pt runs/NAME/best.pt … [--json out.json]
    python3 -m mv.compare_val final final,final~ final,v8   (ensembles)

Each argument is a member spec (mv.bundle.parse_members): a checkpoint, or
an ensemble of runs and mirrored runs.
--json also writes every (threshold, min_mm) row with its per-group
sensitivity and false positives, so other budgets can be read off later.

Used for the hard-negative experiment (README.md); it never reads test data.
"""
import argparse
import json
import time

import torch

from . import app
from .evaluate import group_of, load_scan
from .infer import findings_sweep, probability_maps, probability_maps_shared
from .bundle import load_network
from .select_threshold import choose


def describe(row):
    parts = ["t=%.3f min_mm=%g: pooled %.1f %% at %.2f FP/scan" % (
        row["t"], row["min_mm"], 100 * row["sens5"], row["fp"])]
    for g, r in sorted(row["groups"].items()):
        parts.append("%s %.1f %% at %.2f" % (g, 100 * r["sens5"], r["fp"]))
    return " | ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("states", nargs="+")
    ap.add_argument("--at", default="0.85,2", help="fixed threshold,min_mm to report as well")
    ap.add_argument("--json")
    ap.add_argument("--data", help="another data set's validation scans (mv.build_data --data DIR)")
    args = ap.parse_args()
    at_t, at_m = (float(v) for v in args.at.split(","))
    torch.set_num_threads(2)
    onnx = [st for st in args.states if st.endswith(".onnx")]
    models = {st: load_network(st) for st in onnx}
    items = {st: [] for st in args.states}
    t0 = time.time()
    for name, path in app.scan_files("val", args.data):
        sc = load_scan(path)
        # runs named by several states (an ensemble and its members) run once
        maps = probability_maps_shared([st for st in args.states if st not in models], sc)
        maps.update({st: probability_maps(m, sc) for st, m in models.items()})
        for st in args.states:
            items[st].append((sc.name, group_of(sc.name), sc.lesions, findings_sweep(maps[st], sc, app.THRESHOLDS)))
        print("%s (%.0f s)" % (name, time.time() - t0), flush=True)
    out = {}
    for st in args.states:
        best, budget, table = choose(items[st])
        fixed = [r for r in table if abs(r["t"] - at_t) < 1e-9 and r["min_mm"] == at_m]
        out[st] = dict(chosen=best, budget=budget, fixed=fixed[0] if fixed else None, table=table)
        print(st)
        print("  chosen (FP budget %s): %s" % (budget, describe(best)))
        if fixed:
            print("  at %g / %g mm:        %s" % (at_t, at_m, describe(fixed[0])))
    if args.json:
        json.dump(out, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
