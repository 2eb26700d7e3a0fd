"""How much bone surrounds the bundled model's findings on the VALIDATION
series, true positives against false positives: could a finding that
touches no bone be dropped as no bone lesion? (README.md, "Bone around the
findings".) Measured at the model's operating point from model.json; never
reads test data.

    python3 -m mv.bone_proximity [--model ../assets/model/model.onnx] [--maps DIR]

For each finding: its 26-connected component at the threshold, a shell of
3 voxels around it (binary dilation), and the fraction of the shell's
voxels at ≥ 200 HU (trabecular or cortical bone). --maps reads cached
probability maps (DIR/NAME.npy, uint8) instead of running the network.
Reading fixed before the first run: a bone gate is worth building only
if some cut on the fraction removes ≥ 25 % of the false positives and
loses no true positive of ≥ 5 mm.
"""
import argparse
import json
import os

import numpy as np
from scipy import ndimage as ndi

from . import app, config
from . import grid as G
from .bundle import load_network
from .evaluate import group_of, load_scan
from .infer import findings, label26, probability_maps
from .metrics import match_left_out
from .sources import annotated_regions

BONE_HU = 200
SHELL_VOXELS = 3
CUTS = (0.0, 0.02, 0.05, 0.10, 0.20)


def shell_bone_fraction(lab, label, hu):
    """Fraction of the voxels within SHELL_VOXELS of component label (not
    in it) that are at ≥ BONE_HU."""
    comp = lab == label
    sl = ndi.find_objects(comp.astype(np.uint8))[0]
    sl = tuple(slice(max(s.start - SHELL_VOXELS - 1, 0), s.stop + SHELL_VOXELS + 1) for s in sl)
    cm = comp[sl]
    shell = ndi.binary_dilation(cm, iterations=SHELL_VOXELS) & ~cm
    h = hu[sl][shell]
    return float((h >= BONE_HU).mean()) if h.size else 0.0


def component_of(lab, f):
    """The label of finding f's component: at its centre voxel, else that
    of the labelled voxel nearest the centre (a curved component's centre
    can fall outside it)."""
    c, r, s = (int(round(v)) for v in f["center_voxel"])
    s, r, c = min(s, lab.shape[0] - 1), min(r, lab.shape[1] - 1), min(c, lab.shape[2] - 1)
    if lab[s, r, c]:
        return lab[s, r, c]
    idx = np.argwhere(lab > 0)
    nearest = idx[((idx - (s, r, c)) ** 2).sum(axis=1).argmin()]
    return lab[tuple(nearest)]


def scored_findings(name, sc, maps, t, min_mm, score):
    """One dict per finding of maps at t (min_mm): its group, whether it is
    a false positive by the matching rule, the diameters of the lesions it
    matches, and score(labels, its label, sc); findings on the source's own
    annotated lesions, neither true nor false, are left out."""
    lab, _ = label26(maps >= G.quant_threshold(t), scan=sc)
    fs = findings(maps, sc, t, min_mm=min_mm)
    _, fp, left_out = match_left_out(fs, sc.lesions, annotated_regions(name))
    rows = []
    for f, is_fp, out in zip(fs, fp, left_out):
        if out:
            continue
        hit = match_left_out([f], sc.lesions)[0]
        rows.append(dict(group=group_of(name), scan=name, fp=bool(is_fp), diameter_mm=f["diameter_mm"],
                         lesions_mm=[l["diameter_mm"] for l, h in zip(sc.lesions, hit) if h],
                         score=score(lab, component_of(lab, f), sc)))
    return rows


def validation_rows(t, min_mm, score, maps_dir=None, net=None):
    """scored_findings of every validation scan, from maps_dir/NAME.npy
    when there, else from net."""
    rows = []
    for name, path in app.scan_files("val"):
        sc = load_scan(path)
        cached = os.path.join(maps_dir, name + ".npy") if maps_dir else ""
        maps = np.load(cached) if cached and os.path.exists(cached) else probability_maps(net, sc)
        rows += scored_findings(name, sc, maps, t, min_mm, score)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(config.BUNDLE, "model.onnx"))
    ap.add_argument("--maps", help="cached uint8 probability maps, DIR/NAME.npy")
    args = ap.parse_args()
    manifest = json.load(open(os.path.join(os.path.dirname(args.model), "model.json")))
    post = manifest["postprocessing"]
    t, min_mm = post["operating_threshold"], post["min_lesion_mm"]
    net = None if args.maps else load_network(args.model)
    rows = validation_rows(t, min_mm, lambda lab, label, sc: shell_bone_fraction(lab, label, sc.hu), args.maps, net)
    print("operating point %.4g / %g mm, %d findings" % (t, min_mm, len(rows)))
    for g in ("phantom", "real", "blds"):
        for kind, is_fp in (("true positives", False), ("false positives", True)):
            b = np.array([r["score"] for r in rows if r["group"] == g and r["fp"] == is_fp])
            if b.size:
                print("  %-8s %-15s n=%3d  bone fraction: min %.2f, 10th pct %.2f, median %.2f" % (
                    g, kind, b.size, b.min(), np.percentile(b, 10), np.median(b)))
    tps, fps = [r for r in rows if not r["fp"]], [r for r in rows if r["fp"]]
    for cut in CUTS:
        lost = [r for r in tps if r["score"] <= cut]
        print("  cut bone fraction <= %.2f: false positives removed %d of %d; true positives lost %d of %d (%s)" % (
            cut, sum(r["score"] <= cut for r in fps), len(fps), len(lost), len(tps),
            ", ".join("%s %.0f mm" % (r["scan"], r["diameter_mm"]) for r in lost) or "none"))


if __name__ == "__main__":
    main()
