"""How well a network fits its own TRAINING data: lesions >= 5 mm found in
lesion realisations of the training BLDS patches (rebuilt exactly as
mv.build_data made them), through the Python replica of the app's
analysis at a given operating point.

    python3 -m mv.fit_check final wide24 [--at 0.775,3] [--realisations 1,2,3] [--val]
                            [--spacing MM] [--list]

Why: on validation the BLDS patches stay near 33-47 % whatever the recipe,
and the misses include large, plainly visible holes with probability ~0.
If the same happens on the realisations the network was trained on, the
network underfits real anatomy (capacity, schedule or loss), and no amount
of validation-side threshold choice or ensembling can fix it. "pmax < 0.1"
counts lesions where the network gives no voxel of the lesion even 0.1.
Found lesions are also split by kind (contained in the marrow or breaching
the cortex; 5-10 mm or larger). With --val the same table is made for the
validation BLDS realisations; it never reads test data.
"""
import argparse

import torch

from . import app, config, sources
from .build_data import realise
from .bundle import load_network
from .evaluate import load_scan
from .infer import findings, probability_maps
from .metrics import match

def training_blds(realisations):
    """Lesion realisations of the training BLDS patches, rebuilt exactly as
    mv.build_data made them."""
    for i in sources.BLDS_SPLITS["train"]:
        base = sources.load_blds(i)
        for r in realisations:
            yield realise(base, r, "train")


def validation_blds():
    """The validation BLDS realisations with lesions (cache/data/scans/val)."""
    for name, path in app.scan_files("val"):
        if name.startswith("blds") and not name.endswith("#0"):
            yield load_scan(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("members", nargs="+", help="member specs (mv.bundle.parse_members)")
    ap.add_argument("--at", default="0.775,3", help="threshold,min_mm")
    ap.add_argument("--realisations", default="1,2,3")
    ap.add_argument("--spacing", type=float, default=config.TARGET_SPACING_MM,
                    help="network grid spacing in mm (experiment: the bundle uses config's)")
    ap.add_argument("--list", action="store_true", help="also print every missed lesion >= 5 mm")
    ap.add_argument("--val", action="store_true",
                    help="the validation BLDS realisations instead (selection data, never test)")
    args = ap.parse_args()
    t, min_mm = (float(v) for v in args.at.split(","))
    rs = [int(v) for v in args.realisations.split(",")]
    torch.set_num_threads(2)
    nets = {spec: load_network(spec) for spec in args.members}
    dark = {spec: 0 for spec in args.members}      # lesions >= 5 mm with no voxel at p >= 0.1
    fps = {spec: 0 for spec in args.members}
    kinds = ("contained 5-10 mm", "contained >= 10 mm", "breach 5-10 mm", "breach >= 10 mm")
    by_kind = {spec: {k: [0, 0] for k in kinds} for spec in args.members}   # found, lesions
    scans = 0
    for sc in (validation_blds() if args.val else training_blds(rs)):
        scans += 1
        for spec, net in nets.items():
            maps = probability_maps(net, sc, target=args.spacing)
            fs = [f for f in findings(maps, sc, t) if f["diameter_mm"] >= min_mm]
            det, fp = match(fs, sc.lesions, sources.annotated_regions(sc.name))
            for les, d in zip(sc.lesions, det):
                if les["diameter_mm"] < 5:
                    continue
                pmax = maps[sc.label == les["id"]].max() / 255.0
                dark[spec] += int(pmax < 0.1)
                kind = "%s %s" % ("breach" if les["breach"] else "contained",
                                  "5-10 mm" if les["diameter_mm"] < 10 else ">= 10 mm")
                by_kind[spec][kind][0] += int(d)
                by_kind[spec][kind][1] += 1
                if args.list and not d:
                    print("  %s missed %s: %.1f mm, %s, centre voxel %s, max p %.2f" % (
                        spec, sc.name, les["diameter_mm"], kind, [int(v) for v in les["center_voxel"]], pmax))
            fps[spec] += int(fp.sum())
        print(sc.name, flush=True)
    for spec in args.members:
        found, n = (sum(v[i] for v in by_kind[spec].values()) for i in (0, 1))
        print("%s at %g / %g mm: %s BLDS lesions >= 5 mm %d of %d (%.1f %%), pmax < 0.1: %d; %.2f FP/scan"
              % (spec, t, min_mm, "validation" if args.val else "training", found, n, 100.0 * found / max(n, 1), dark[spec], fps[spec] / scans))
        print("    " + "; ".join("%s %d of %d" % (k, f, m) for k, (f, m) in by_kind[spec].items()))


if __name__ == "__main__":
    main()
