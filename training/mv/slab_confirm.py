"""Slab-confirmed findings (experiment; README.md, "Thin slices"): the
bundled model on the validation series and on the thin check's phantoms
(run `mv.thin_check` first), once as they are and once averaged to 3 mm
slabs (mv.slab), through the Go pipeline at every threshold; a finding of
the first is kept only where a finding of the second at the same threshold
lies within max(5 mm, its diameter / 2). Scored by mv.select_threshold's
rule on validation, and at the chosen point on the thin phantoms by
ground_truth.json. The analyses are kept in cache/slab_confirm, keyed by the
bundle's checksum.

    python3 -m mv.slab_confirm
"""
import glob
import json
import os
import pickle

from . import app, config
from .metrics import Sweep
from .select_threshold import choose, describe
from .slab import write_dicom_slabs
from .slab_val import slabbed_val_dirs

SLAB_MM = 3.0
CACHE = os.path.join(config.CACHE, "slab_confirm")
THIN_SEEDS = range(1200, 1210)  # mv.thin_check's phantoms


def analyses(name, dirs):
    """The bundled model's Go analyses of dirs at every threshold, cached
    per bundle (model.json's sha256 of the ONNX file)."""
    sha = json.load(open(os.path.join(config.BUNDLE, "model.json")))["sha256"][:12]
    path = os.path.join(CACHE, "%s_%s.pkl" % (name, sha))
    if not os.path.exists(path):
        os.makedirs(CACHE, exist_ok=True)
        with open(path + ".tmp", "wb") as f:
            pickle.dump(app.analyze(config.BUNDLE, dirs, app.THRESHOLDS), f)
        os.replace(path + ".tmp", path)
    return pickle.load(open(path, "rb"))


def confirmed(findings, slab_findings):
    """The findings with a slab finding within max(MATCH_MIN_MM, their
    diameter / 2) of their centre."""
    def near(f, g):
        d = sum((a - b) ** 2 for a, b in zip(f["center_mm"], g["center_mm"])) ** 0.5
        return d <= max(config.MATCH_MIN_MM, f["diameter_mm"] / 2)
    return [f for f in findings if any(near(f, g) for g in slab_findings)]


def thin_dirs():
    """The thin check's phantoms without their reference segmentation (the
    analysis wants one series per folder; hard links), and their slabs."""
    plain, slabbed = [], []
    for seed in THIN_SEEDS:
        src = os.path.join(config.CACHE, "thin", "%d_600_512" % seed)
        if not os.path.exists(os.path.join(src, "ground_truth.json")):
            raise SystemExit("%s missing: run python3 -m mv.thin_check first" % src)
        n = os.path.join(CACHE, "thin", "%d_n" % seed)
        os.makedirs(n, exist_ok=True)
        for f in glob.glob(os.path.join(src, "IM*.dcm")) + [os.path.join(src, "ground_truth.json")]:
            if not os.path.exists(os.path.join(n, os.path.basename(f))):
                os.link(f, os.path.join(n, os.path.basename(f)))
        sl = os.path.join(CACHE, "thin", "%d_s" % seed)
        write_dicom_slabs(n, sl, SLAB_MM)
        plain.append(n)
        slabbed.append(sl)
    return plain, slabbed


def main():
    T = app.THRESHOLDS
    series = app.dicom_dirs("val", app.scan_files("val"))
    native = analyses("val_native", [s[0] for s in series])
    slab = analyses("val_slab", slabbed_val_dirs(series, SLAB_MM))
    points = {}
    for label, confirm in (("native", False), ("confirmed", True)):
        items = [(name, g, les, [confirmed(rn["sweep"][str(t)], rs["sweep"][str(t)]) if confirm else rn["sweep"][str(t)]
                                 for t in T])
                 for rn, rs, (_, les, name, g) in zip(native, slab, series)]
        best, _, _ = choose(items)
        points[label] = best
        print("val %s, chosen: %s" % (label, describe(best)), flush=True)

    plain, slabbed = thin_dirs()
    tnat, tslb = analyses("thin_native", plain), analyses("thin_slab", slabbed)
    for label, best in points.items():
        t, m = best["t"], best["min_mm"]
        sw = Sweep([t])
        for d, rn, rs in zip(plain, tnat, tslb):
            les = json.load(open(os.path.join(d, "ground_truth.json")))["lesions"]
            fs = rn["sweep"][str(t)]
            if label == "confirmed":
                fs = confirmed(fs, rs["sweep"][str(t)])
            sw.add(os.path.basename(d), "phantom", les, [[f for f in fs if f["diameter_mm"] >= m]])
        s5, fp, n5 = sw.curve(size=">=5 mm")
        print("thin %s at %.4g / %g mm: %d of %d lesions >= 5 mm, %d false positives" % (
            label, t, m, round(s5[0] * n5), n5, round(fp[0] * len(plain))), flush=True)


if __name__ == "__main__":
    main()
