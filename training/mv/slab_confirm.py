"""Slab-confirmed findings (experiment; README.md, "Thin slices"): the
bundled model on the validation series and on the thin check's phantoms
(run `mv.thin_check` first), once as they are and once averaged to 3 mm
slabs (mv.slab), through the Go pipeline at every threshold; a finding of
the first is kept only where a finding of the second at the same threshold
lies within max(5 mm, its diameter / 2). Scored by mv.select_threshold's
rule on validation, and at the chosen point on the thin phantoms by
ground_truth.json. The analyses are kept in cache/slab_confirm.

    python3 -m mv.slab_confirm
"""
import glob
import json
import os
import pickle

from . import app, config
from .metrics import Sweep
from .select_threshold import choose
from .slab import write_dicom_slabs

B = config.BUNDLE
C = os.path.join(config.CACHE, "slab_confirm")
os.makedirs(C, exist_ok=True)

def run(name, dirs):
    p = os.path.join(C, name + ".pkl")
    if os.path.exists(p):
        return pickle.load(open(p, "rb"))
    r = app.analyze(B, dirs, app.THRESHOLDS)
    pickle.dump(r, open(p, "wb"))
    return r

def near(f, g):
    d = sum((a - b) ** 2 for a, b in zip(f["center_mm"], g["center_mm"])) ** 0.5
    return d <= max(5.0, f["diameter_mm"] / 2)

def confirmed(native, slab):
    return [f for f in native if any(near(f, g) for g in slab)]

def report(label, items):
    best, budget, table = choose(items)
    print(label, "chosen t %.4g m %g: %.1f %% at %.2f; %s" % (best["t"], best["min_mm"], 100 * best["sens5"], best["fp"],
          ", ".join("%s %.1f %% at %.2f" % (g, 100 * v["sens5"], v["fp"]) for g, v in best["groups"].items())), flush=True)
    return best

# validation
series = app.dicom_dirs("val", app.scan_files("val"))
root = os.path.join(config.CACHE, "dicom_slab3", "val")
sdirs = []
for d, _, name, group in series:
    dst = os.path.join(root, os.path.relpath(d, os.path.join(config.CACHE, "dicom", "val")))
    if not os.path.exists(dst):
        write_dicom_slabs(d, dst, 3.0)
    sdirs.append(dst)
nat = run("val_native", [s[0] for s in series])
slb = run("val_slab", sdirs)
T = app.THRESHOLDS
items_n = [(name, g, les, [r["sweep"][str(t)] for t in T]) for r, (d, les, name, g) in zip(nat, series)]
items_c = [(name, g, les, [confirmed(rn["sweep"][str(t)], rs["sweep"][str(t)]) for t in T])
           for rn, rs, (d, les, name, g) in zip(nat, slb, series)]
bn = report("val native", items_n)
bc = report("val confirmed", items_c)

# thin phantoms
thin = os.path.join(config.CACHE, "thin")
seeds = range(1200, 1210)
tn, ts = [], []
for s in seeds:
    src = "%s/%d_600_512" % (thin, s)
    n = os.path.join(C, "thin", "%d_n" % s)
    if not os.path.exists(os.path.join(n, "ground_truth.json")):
        os.makedirs(n, exist_ok=True)
        for f in glob.glob(os.path.join(src, "IM*.dcm")) + [os.path.join(src, "ground_truth.json")]:
            if not os.path.exists(os.path.join(n, os.path.basename(f))):
                os.link(f, os.path.join(n, os.path.basename(f)))
    sl = os.path.join(C, "thin", "%d_s" % s)
    if not os.path.exists(os.path.join(sl, "ground_truth.json")):
        write_dicom_slabs(n, sl, 3.0)
    tn.append(n)
    ts.append(sl)
tnat = run("thin_native", tn)
tslb = run("thin_slab", ts)
for label, best, conf in (("native", bn, False), ("confirmed", bc, True)):
    t, m = best["t"], best["min_mm"]
    sw = Sweep([t])
    for d, rn, rs in zip(tn, tnat, tslb):
        les = json.load(open(os.path.join(d, "ground_truth.json")))["lesions"]
        fs = rn["sweep"][str(t)]
        if conf:
            fs = confirmed(fs, rs["sweep"][str(t)])
        sw.add(os.path.basename(d), "phantom", les, [[f for f in fs if f["diameter_mm"] >= m]])
    s5, fp, n5 = sw.curve(size=">=5 mm")
    print("thin %s at t %.4g m %g: %d of %d lesions >= 5 mm, %d false positives" % (label, t, m, round(s5[0] * n5), n5, round(fp[0] * len(tn))), flush=True)
