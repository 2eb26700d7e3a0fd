"""Validation through the Go pipeline with every series averaged to slabs
of at least SLAB_MM (mv.slab), scored by mv.select_threshold's rule
(experiment; README.md, "Thin slices"). Writes no bundle.

    python3 -m mv.slab_val SLAB_MM BUNDLE-DIR OUT.json
"""
import json
import os
import sys

from . import app, config
from .select_threshold import best_within, choose, describe
from .slab import write_dicom_slabs


def slabbed_val_dirs(series, slab_mm):
    """Slabbed copies of app.dicom_dirs("val", ...)'s folders under
    cache/dicom_slab<MM>/val, rewritten on every call; their folders, in order."""
    src_root = os.path.join(config.CACHE, "dicom", "val")
    root = os.path.join(config.CACHE, "dicom_slab%g" % slab_mm, "val")
    dirs = []
    for d, _, name, group in series:
        dst = os.path.join(root, os.path.relpath(d, src_root))
        sp = write_dicom_slabs(d, dst, slab_mm)
        print("%s (%s): spacing %.2f mm" % (name, group, sp), flush=True)
        dirs.append(dst)
    return dirs


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    slab_mm, bundle, out_json = float(sys.argv[1]), sys.argv[2], sys.argv[3]
    series = app.dicom_dirs("val", app.scan_files("val"))
    dirs = slabbed_val_dirs(series, slab_mm)
    results = app.analyze(bundle, dirs, app.THRESHOLDS)
    items = [(name, group, les, [r["sweep"][str(t)] for t in app.THRESHOLDS])
             for r, (_, les, name, group) in zip(results, series)]
    best, budget, table = choose(items)
    print("chosen: %s (FP budget %s)" % (json.dumps(best), budget))
    json.dump(dict(slab_mm=slab_mm, bundle=bundle, chosen=best, budget=budget, table=table), open(out_json, "w"), indent=1)
    for b in (0.5, 1.0, 1.5):
        row = best_within(table, b)
        if row:
            print("within %.1f FP/scan: %s" % (b, describe(row)))


if __name__ == "__main__":
    main()
