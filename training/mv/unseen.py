"""Phantoms with seeds never used in training, validation or testing,
written by sample.Write (what `myeloview sample` writes) and analysed by the
Go pipeline with the committed bundle: per seed, the ground-truth lesions
matched (all sizes and ≥ 5 mm) and the false positives. This previews the
Go regression test.

    python3 -m mv.unseen [--seeds 9001-9010] [--slices 120 --size 256]
"""
import argparse
import json
import os

from . import app, config, phantoms
from .metrics import match


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="9001-9010")
    ap.add_argument("--slices", type=int, default=120)
    ap.add_argument("--size", type=int, default=256)
    a = ap.parse_args()
    lo, hi = (int(v) for v in a.seeds.split("-"))
    used = set(config.PHANTOM_TRAIN) | set(config.PHANTOM_VAL) | set(config.PHANTOM_TEST)
    seeds = [s for s in range(lo, hi + 1) if s not in used]
    folders = phantoms.generate([(s, a.slices, a.size) for s in seeds],
                                os.path.join(config.CACHE, "dicom", "unseen"), dicom=True)
    res = app.analyze(config.BUNDLE, folders)
    rows = []
    for s, f, r in zip(seeds, folders, res):
        gt = json.load(open(os.path.join(f, "ground_truth.json")))["lesions"]
        det, fp = match(r["findings"], gt)
        big = [i for i, l in enumerate(gt) if l["diameter_mm"] >= 5]
        rows.append(dict(seed=s, lesions=len(gt), matched=int(det.sum()), lesions_5mm=len(big),
                         matched_5mm=int(det[big].sum()), false_positives=int(fp.sum()),
                         findings=len(r["findings"]), inference_ms=r["inference_ms"]))
        print(json.dumps(rows[-1]))
    out = os.path.join(config.RUNS, "eval", "unseen_%d_%d.json" % (a.slices, a.size))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    json.dump(rows, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
