"""Where networks fire on validation phantoms, with and without the sacral
hiatus (sample.Options.SacralHiatus): every false positive with its voxel,
so that a site that repeats in every phantom (an artefact of the phantom,
not of one seed) stands out.

    MV_SLICE_CONTEXT_STEP_MM=3 python3 -m mv.phantom_fp ctx2s3 g10 g10,ctx2s3 [--phantoms 10] [--at 0.975,3]

Runs on the first N validation seeds of the 120-slice shape, regenerated
under /tmp (not the data cache), and prints per network the false
positives and the lesions >= 5 mm found (README.md, "Through-plane
context")."""
import argparse
import os
import tempfile

import numpy as np
import torch

from . import config, phantoms
from .infer import findings, probability_maps_shared
from .metrics import match


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("nets", nargs="+", help="member specs (mv.bundle.parse_members): runs or ensembles")
    ap.add_argument("--phantoms", type=int, default=10)
    ap.add_argument("--at", default="0.975,3", help="threshold,min_mm")
    args = ap.parse_args()
    t, min_mm = (float(v) for v in args.at.split(","))
    torch.set_num_threads(2)
    nets = args.nets
    seeds = [s for s in config.PHANTOM_VAL if phantoms.shape_for(s, config.PHANTOM_SHAPES_EVAL)[0] == 120]
    seeds = seeds[:args.phantoms]
    out = os.path.join(tempfile.gettempdir(), "mv_phantom_fp")
    for hiatus in (False, True):
        fps = {n: 0 for n in nets}
        found = {n: [0, 0] for n in nets}
        for s in seeds:
            sc = phantoms.load(phantoms.generate([(s, 120, 256)], out, hiatus=hiatus)[0], drop=True)
            big = np.array([l["diameter_mm"] >= 5 for l in sc.lesions])
            maps = probability_maps_shared(nets, sc)   # each distinct run once
            for n in nets:
                fs = findings(maps[n], sc, t, min_mm)
                det, fp = match(fs, sc.lesions)
                found[n][0] += int(det[big].sum())
                found[n][1] += int(big.sum())
                fps[n] += int(fp.sum())
                for f, is_fp in zip(fs, fp):
                    if is_fp:
                        print("  hiatus=%s seed %d %s: false positive at voxel %s, p %.2f, %.1f mm" % (
                            hiatus, s, n, [round(v) for v in f["center_voxel"]], f["max_probability"],
                            f["diameter_mm"]), flush=True)
        for n in nets:
            print("hiatus=%s %s: %d false positives in %d phantoms; lesions >= 5 mm %d of %d" % (
                hiatus, n, fps[n], len(seeds), found[n][0], found[n][1]), flush=True)


if __name__ == "__main__":
    main()
