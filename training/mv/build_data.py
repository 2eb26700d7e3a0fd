"""Build the cached data set (training/cache/data): training and
validation samples on the network grid, and whole validation and test scans
with their ground truth. Deterministic: every random draw comes from a
generator seeded by (config.SEED, source name, realisation).

    python3 -m mv.build_data
"""
import json
import os
import pickle
import sys
import time
import zlib
from multiprocessing import Pool

import numpy as np

from . import config, phantoms, slab, sources
from .lesions import insert_lesions
from .samples import choose_slices, slice_samples

DATA = os.path.join(config.CACHE, "data")

# MV_SLAB_MM (experiment, "Thin slices" in README.md): average every scan's
# slices to slabs at least this thick (mv.slab) before sampling; 0 leaves
# the scans as they are. The slabbed HU are not rounded again (as slab3 was
# built), and save_scan stores the val/test scans of such a set truncated
# to integers; mv.slab_val slabs the recipe's own DICOM series instead.
SLAB_MM = float(os.environ.get("MV_SLAB_MM", "0"))

# realisations (lesion insertions with different seeds) per real series;
# realisation 0 is lesion-free.
REALISATIONS = {"ct-totalseg-native": 24, "nifti-totalseg": 8, "toshiba-thorax": 30, "pydicom-spine": 30,
                "jlsn-thorax": 30, "pydicom-abdomen": 30,
                "ct-kits": 16, "blds-train": 16, "blds-val": 6, "blds-test": 8}


def realisations(name, split):
    return REALISATIONS[name] if name in REALISATIONS else REALISATIONS["blds-" + split]
PHANTOM_EXTRA_FRACTION = 0.0     # training phantoms that also get inserted lesions (off: time)
# Training phantoms whose lesions may breach the cortex (sample.Options.
# BreachFraction) and with mottled trabecular bone (TextureHU). Both 0 in
# `make train`: tried, not adopted (README.md, "Phantom lesions that breach
# the cortex, and textured marrow").
PHANTOM_BREACH = 0.0
PHANTOM_TEXTURE = 0.0
# Phantoms whose sacral canal opens dorsally over the sacrum's last 25 mm
# (sample.Options.SacralHiatus) instead of ending closed by cortex, which a
# network with slice context reads as a lesion (README.md, "Through-plane
# context"). Off in `make train`, which then builds the phantoms 1.2 was
# trained on.
PHANTOM_HIATUS = False


def rng_for(*key):
    return np.random.default_rng([config.SEED] + [zlib.crc32(str(k).encode()) for k in key])


def lesion_count(scan, rng):
    if scan.hu.shape[0] == 1:
        return int(rng.integers(2, 5))
    return int(rng.integers(6, 13))


def realise(base, r, split):
    """Realisation r of a real scan: a copy with lesions inserted."""
    import copy
    sc = copy.copy(base)
    sc.hu = base.hu.copy()
    sc.lesions = []
    sc.label = np.zeros(base.hu.shape, np.uint8)
    sc.name = "%s#%d" % (base.name, r)
    if r > 0:
        rng = rng_for(split, base.name, r)
        insert_lesions(sc, rng, lesion_count(sc, rng))
    # what the app reads back from DICOM: integer stored values
    sc.hu = np.rint(sc.hu).astype(np.float32)
    return sc


def group_of(name):
    return "blds" if name.startswith("blds") else "real"


def save_scan(sc, split):
    d = os.path.join(DATA, "scans", split)
    os.makedirs(d, exist_ok=True)
    fn = os.path.join(d, sc.name.replace("/", "_") + ".pkl")
    sc2 = dict(sc.__dict__)
    sc2["hu"] = sc.hu.astype(np.int16)
    with open(fn, "wb") as f:
        pickle.dump(sc2, f, protocol=4)


def load_scans(split):
    from .sources import Scan
    d = os.path.join(DATA, "scans", split)
    out = []
    for fn in sorted(os.listdir(d)):
        with open(os.path.join(d, fn), "rb") as f:
            dct = pickle.load(f)
        dct["hu"] = dct["hu"].astype(np.float32)
        out.append(Scan(**dct))
    return out


def real_job(args):
    split, base, r = args
    sc = realise(base, r, split)
    rng = rng_for("slices", split, sc.name)
    if SLAB_MM:
        sc.hu = slab.slab(sc.hu, sc.z, SLAB_MM)
    samples = []
    if split in ("train", "val"):
        if sc.hu.shape[0] <= 24:
            ks = list(range(sc.hu.shape[0]))
        elif not sc.lesions:  # lesion-free anatomy: every other slice
            ks = list(range(0, sc.hu.shape[0], 2))
        else:
            ks = choose_slices(sc, rng, 1.0, 8)
        samples = slice_samples(sc, ks, group_of(base.name))
    if split in ("val", "test"):
        save_scan(sc, split)
    return samples, len(sc.lesions)


def phantom_job(args):
    split, folder = args
    sc = phantoms.load(folder, drop=True)
    rng = rng_for("phantom", split, sc.name)
    if split == "train" and rng.random() < PHANTOM_EXTRA_FRACTION:
        insert_lesions(sc, rng, int(rng.integers(3, 8)), existing=sc.label)
    if SLAB_MM:
        sc.hu = slab.slab(sc.hu, sc.z, SLAB_MM)
    samples = []
    if split in ("train", "val"):
        samples = slice_samples(sc, choose_slices(sc, rng, 0.5, 6), "phantom")
    if split in ("val", "test"):
        save_scan(sc, split)
    return samples, len(sc.lesions)


def main():
    global DATA
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default="train,val,test")
    ap.add_argument("--phantom-breach", type=float, default=PHANTOM_BREACH,
                    help="sample.Options.BreachFraction of the phantoms of --phantom-options-splits")
    ap.add_argument("--phantom-texture", type=float, default=PHANTOM_TEXTURE,
                    help="sample.Options.TextureHU of the phantoms of --phantom-options-splits")
    ap.add_argument("--phantom-hiatus", action=argparse.BooleanOptionalAction, default=PHANTOM_HIATUS,
                    help="sample.Options.SacralHiatus for the phantoms of every split (anatomy, not augmentation)")
    ap.add_argument("--phantom-options-splits", default="train",
                    help="splits whose phantoms get --phantom-breach and --phantom-texture")
    ap.add_argument("--data", default=DATA, help="output folder (an experiment's data set beside the real one)")
    ap.add_argument("--realisations", default="",
                    help="override REALISATIONS for an experiment, e.g. blds-train=48 (realisations "
                         "1..N of a series do not depend on N, so a larger N only adds scans)")
    ap.add_argument("--blds-train", default="",
                    help="train on these BLDS patches only, e.g. 1,2,3 (a subset of sources.BLDS_SPLITS['train'], "
                         "for measuring how sensitivity grows with the number of real patients)")
    ap.add_argument("--train-shapes", default="",
                    help="override config.PHANTOM_SHAPES_TRAIN for an experiment, e.g. 120x256,80x192 "
                         "(SLICESxSIZE, cycled by seed)")
    args = ap.parse_args()
    if args.train_shapes:
        try:
            config.PHANTOM_SHAPES_TRAIN = [tuple(int(v) for v in item.split("x")) for item in args.train_shapes.split(",")]
        except ValueError:
            ap.error("--train-shapes: want SLICESxSIZE[,...], got %r" % args.train_shapes)
        if any(len(t) != 2 or min(t) < 1 for t in config.PHANTOM_SHAPES_TRAIN):
            ap.error("--train-shapes: want SLICESxSIZE[,...], got %r" % args.train_shapes)
    if (args.train_shapes or args.blds_train or args.realisations or SLAB_MM) and \
            os.path.abspath(args.data) == os.path.abspath(DATA):
        # make model, select and evaluate reuse DATA while its stats.json
        # exists, so an experiment's data set written there would silently
        # become the recipe's
        ap.error("MV_SLAB_MM, --train-shapes, --blds-train and --realisations change the data set: give them their own --data folder")
    if args.blds_train:
        parts = args.blds_train.split(",")
        if not all(p.isdigit() for p in parts) or not {int(p) for p in parts} <= set(sources.BLDS_SPLITS["train"]):
            ap.error("--blds-train: want a subset of %s" % (sources.BLDS_SPLITS["train"],))
        sources.BLDS_SPLITS["train"] = tuple(int(p) for p in parts)
    for item in filter(None, args.realisations.split(",")):
        key, _, n = item.partition("=")
        if key not in REALISATIONS or not n.isdigit():
            ap.error("--realisations: want SERIES=N with SERIES one of %s, got %r" % (", ".join(sorted(REALISATIONS)), item))
        REALISATIONS[key] = int(n)
    splits = args.splits.split(",")
    opt_splits = args.phantom_options_splits.split(",")
    DATA = args.data
    t0 = time.time()
    os.makedirs(DATA, exist_ok=True)
    phantoms.build_tool()
    stats = {}
    with Pool(2) as pool:
        for split in splits:
            jobs = []
            for base in sources.real_series(split):
                n = realisations(base.name, split)
                jobs += [(split, base, r) for r in range(n + 1)]
            seeds = {"train": config.PHANTOM_TRAIN, "val": config.PHANTOM_VAL, "test": config.PHANTOM_TEST}[split]
            shapes = config.PHANTOM_SHAPES_TRAIN if split == "train" else config.PHANTOM_SHAPES_EVAL
            pjobs = [(s,) + phantoms.shape_for(s, shapes) for s in seeds]
            samples, n_les = [], 0
            for smp, n in pool.imap(real_job, jobs):
                samples += smp
                n_les += n
            print("%s: real %d scans, %d lesions (%.0f s)" % (split, len(jobs), n_les, time.time() - t0), flush=True)
            # phantoms in chunks: generate (Go, 2 threads), then load + sample
            for i in range(0, len(pjobs), 20):
                folders = phantoms.generate(pjobs[i:i + 20], os.path.join(config.CACHE, "phantoms", split),
                                            breach=args.phantom_breach if split in opt_splits else 0.0,
                                            texture=args.phantom_texture if split in opt_splits else 0.0,
                                            hiatus=args.phantom_hiatus)
                for smp, n in pool.imap(phantom_job, [(split, f) for f in folders]):
                    samples += smp
                    n_les += n
            print("%s: +%d phantoms, %d lesions total, %d samples (%.0f s)" % (
                split, len(pjobs), n_les, len(samples), time.time() - t0), flush=True)
            stats[split] = dict(lesions=n_les, samples=len(samples), scans=len(jobs) + len(pjobs))
            if samples:
                with open(os.path.join(DATA, "samples_%s.pkl" % split), "wb") as f:
                    pickle.dump(samples, f, protocol=4)
    stats["seconds"] = time.time() - t0
    old = json.load(open(os.path.join(DATA, "stats.json"))) if os.path.exists(os.path.join(DATA, "stats.json")) else {}
    old.update(stats)
    json.dump(old, open(os.path.join(DATA, "stats.json"), "w"), indent=1)
    print(json.dumps(stats))


if __name__ == "__main__":
    sys.exit(main())
