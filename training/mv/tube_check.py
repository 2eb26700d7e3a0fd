"""Does a finding continue as a tube of soft tissue beyond its ends? The
spinal canal on thin slices does (README.md, "Thin slices"); a lesion in
bone is bounded by bone on at least one side. Measured for the bundled
model's findings at its operating point on the VALIDATION series (cached
maps, or the network) and on the thin phantoms of mv.thin_check (run that
first); never reads test data.

    python3 -m mv.tube_check [--maps DIR] [--thin SEEDS]

For each finding: the xy footprint of its 26-connected component and, on
the slices 1 to REACH_MM beyond its last slice and, separately, before its
first, the fraction of footprint pixels under SOFT_HU. Its tube score is
the smaller of the two (a side without slices counts 0). The reading was
fixed before the first run: a filter is worth building only if some cut
(drop score >= c) removes >= 50 % of the thin phantoms' false positives
and >= 25 % of the validation BLDS false positives, and drops no finding
of a true lesion >= 5 mm.
"""
import argparse
import glob
import json
import os

import numpy as np

from . import config
from .bone_proximity import scored_findings, validation_rows
from .bundle import load_network
from .infer import probability_maps
from .metrics import in_bin
from .sources import load_dicom_files

SOFT_HU = 100
REACH_MM = 10.0
CUTS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


def tube_score(comp, hu, z):
    """Tube score of the component mask comp [slices, rows, cols] over hu,
    slices at positions z (mm)."""
    ss = np.nonzero(comp.any(axis=(1, 2)))[0]
    s0, s1 = ss.min(), ss.max()
    foot = comp.any(axis=0)

    def side(idx):
        return float((hu[idx][:, foot] < SOFT_HU).mean()) if idx else 0.0

    after = [k for k in range(s1 + 1, len(z)) if abs(z[k] - z[s1]) <= REACH_MM]
    before = [k for k in range(s0) if abs(z[k] - z[s0]) <= REACH_MM]
    return min(side(after), side(before))


def tube_of(lab, label, sc):
    return tube_score(lab == label, sc.hu, sc.z)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--maps", default=os.path.join(config.CACHE, "maps12", "val"),
                    help="cached uint8 validation maps DIR/NAME.npy of the bundled model (computed when absent)")
    ap.add_argument("--thin", default="1200-1209", help="seeds of mv.thin_check's 1 mm phantoms (cache/thin)")
    args = ap.parse_args()
    man = json.load(open(os.path.join(config.BUNDLE, "model.json")))
    t, min_mm = man["postprocessing"]["operating_threshold"], man["postprocessing"]["min_lesion_mm"]
    net = load_network(os.path.join(config.BUNDLE, "model.onnx"))
    rows = validation_rows(t, min_mm, tube_of, args.maps, net)
    lo, _, hi = args.thin.partition("-")
    for seed in range(int(lo), int(hi or lo) + 1):
        d = os.path.join(config.CACHE, "thin", "%d_600_512" % seed)
        sc = load_dicom_files(sorted(glob.glob(os.path.join(d, "IM*.dcm"))), "thin-%d" % seed)
        sc.lesions = json.load(open(os.path.join(d, "ground_truth.json")))["lesions"]
        thin = scored_findings(sc.name, sc, probability_maps(net, sc), t, min_mm, tube_of)
        rows += [dict(r, group="thin") for r in thin]
        print("thin phantom %d done" % seed, flush=True)
    print("operating point %.4g / %g mm" % (t, min_mm))
    for g in ("phantom", "real", "blds", "thin"):
        for kind, is_fp in (("true positives", False), ("false positives", True)):
            v = np.array([r["score"] for r in rows if r["group"] == g and r["fp"] == is_fp])
            if v.size:
                print("  %-8s %-15s n=%3d  tube score: 10th pct %.2f, median %.2f, 90th pct %.2f, max %.2f" % (
                    g, kind, v.size, np.percentile(v, 10), np.median(v), np.percentile(v, 90), v.max()))
    n_fp = {g: sum(r["fp"] for r in rows if r["group"] == g) for g in ("thin", "blds")}
    for c in CUTS:
        drop = [r for r in rows if r["score"] >= c]
        lost = [r for r in drop if not r["fp"] and any(in_bin(d, ">=5 mm") for d in r["lesions_mm"])]
        print("  cut >= %.2f: false positives removed: thin %d of %d, BLDS %d of %d; findings of lesions >= 5 mm dropped %d (%s)" % (
            c, sum(r["fp"] for r in drop if r["group"] == "thin"), n_fp["thin"],
            sum(r["fp"] for r in drop if r["group"] == "blds"), n_fp["blds"], len(lost),
            ", ".join("%s %.0f mm" % (r["scan"], r["diameter_mm"]) for r in lost) or "none"))


if __name__ == "__main__":
    main()
