"""Validation BLDS patients moved into training, one fold at a time
(experiment, README.md "Two more real patients in training").

The learning curve (README.md) says the number of real patients limits the
network, and the only real patients not yet trained on are the validation
BLDS patches 6 and 7. A fold trains on patches 1–5 plus one of them and is
validated on the phantoms and the other, so that each validation patch is
scored by a network that never saw it; mv.cv_score pools the two folds'
out-of-fold results and applies the threshold rule to them.

    python3 -m mv.cv_blds --base cache/data_ema --add 6 --data cache/cv_a
    python3 -m mv.cv_blds --base cache/data_ema --add 7 --data cache/cv_b

--base is a data set built by mv.build_data with the recipe's training
samples, --val-base one with its validation samples and scans (default
cache/data). The fold's folder gets the --base training samples plus
realisations 0..N of each added patch, drawn as for a training patch
(split "train", N = REALISATIONS["blds-train"]), the --val-base
validation samples without the added patches, and links to the
--val-base validation scans without them. Test data is never read.
"""
import argparse
import json
import os
import pickle
import time
from multiprocessing import Pool

from . import build_data, config, sources

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="data set with the recipe's samples_train.pkl")
    ap.add_argument("--val-base", default=os.path.join(config.CACHE, "data"),
                    help="data set with samples_val.pkl and scans/val (default cache/data)")
    ap.add_argument("--add", required=True, help="validation BLDS patches to train on, e.g. 6")
    ap.add_argument("--data", required=True, help="the fold's folder")
    args = ap.parse_args()
    add = [int(p) for p in args.add.split(",")]
    if not set(add) <= set(sources.BLDS_SPLITS["val"]):
        ap.error("--add: want validation patches %s" % (sources.BLDS_SPLITS["val"],))
    if os.path.realpath(args.data) in {os.path.realpath(args.base), os.path.realpath(args.val_base)}:
        ap.error("--data must differ from --base and --val-base: a fold never writes over the recipe's data")
    t0 = time.time()
    links = os.path.join(args.data, "scans", "val")
    # a fold's folder used before (it has fold.json): its files go
    # (unlinked, so that a link into another data set is never written
    # through), and so do its scan links, which a fold of other patches
    # may have left; any other folder with samples in it is refused
    marker = os.path.join(args.data, "fold.json")
    samples = [fn for fn in ("samples_train.pkl", "samples_val.pkl") if os.path.lexists(os.path.join(args.data, fn))]
    if samples and not os.path.exists(marker):
        ap.error("%s holds %s but no fold.json: not a fold's folder" % (args.data, ", ".join(samples)))
    old_links = sorted(os.listdir(links)) if os.path.isdir(links) else []
    if any(not os.path.islink(os.path.join(links, fn)) for fn in old_links):
        ap.error("%s holds a file that is no link: not a fold's folder" % links)
    for fn in samples:
        os.unlink(os.path.join(args.data, fn))
    for fn in old_links:
        os.unlink(os.path.join(links, fn))
    os.makedirs(links, exist_ok=True)
    n = build_data.realisations("blds-%d" % add[0], "train")
    jobs = [("train", sources.load_blds(p), r) for p in add for r in range(n + 1)]
    extra, lesions = [], 0
    with Pool(2) as pool:
        for smp, k in pool.imap(build_data.real_job, jobs):
            extra += smp
            lesions += k
    print("added patches %s: %d scans, %d lesions, %d samples (%.0f s)" % (
        add, len(jobs), lesions, len(extra), time.time() - t0), flush=True)
    train = pickle.load(open(os.path.join(args.base, "samples_train.pkl"), "rb"))
    assert not any(sources.blds_patch(s["name"]) in add for s in train), "the base already trains on an added patch"
    with open(os.path.join(args.data, "samples_train.pkl"), "wb") as f:
        pickle.dump(train + extra, f, protocol=4)
    n_train = len(train) + len(extra)
    del train
    val = pickle.load(open(os.path.join(args.val_base, "samples_val.pkl"), "rb"))
    kept = [s for s in val if sources.blds_patch(s["name"]) not in add]
    with open(os.path.join(args.data, "samples_val.pkl"), "wb") as f:
        pickle.dump(kept, f, protocol=4)
    src = os.path.realpath(os.path.join(args.val_base, "scans", "val"))
    linked = 0
    for fn in sorted(os.listdir(src)):
        if sources.blds_patch(fn) in add:
            continue
        os.symlink(os.path.join(src, fn), os.path.join(links, fn))
        linked += 1
    print("validation: %d of %d samples, %d scans linked (%.0f s)" % (len(kept), len(val), linked, time.time() - t0))
    json.dump(dict(base=os.path.realpath(args.base), val_base=os.path.realpath(args.val_base), add=add,
                   train_samples=n_train, val_samples=len(kept), val_scans=linked), open(marker, "w"), indent=1)


if __name__ == "__main__":
    main()
