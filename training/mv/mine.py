"""Hard-negative mining on the TRAINING samples of real CT (never on
validation or test): run a trained network over every real-CT and BLDS
training sample (lesion-free and lesion realisations, on the 1.5 mm
network grid, as mv.train sees them) and record where it fires away from
any inserted lesion, so that mv.train can centre part of its real-CT crops
there. Also records soft tissue framed by bone (spinal and sacral canal,
foramina, joint spaces), the anatomy where the first model fired on real
validation CT.

    python3 -m mv.mine [--state runs/final/best.pt] [--out runs/hn_sites.pkl]

An experiment, not a `make train` stage: fine-tuning or retraining with
these sites (mv.train --hard-negatives) did not clearly lower the false
positives on the validation real CT (README.md, "Hard-negative mining").

Writes {sample name: [(row, col, kind, max probability), …]} (kind "fp"
or "framed"). Deterministic (no random draws).
"""
import argparse
import os
import pickle
import time

import numpy as np
import torch
from scipy import ndimage as ndi

from . import config
from .grid import channels
from .model import load_state

MINE_PROB = 0.5          # a component of p ≥ MINE_PROB is a candidate
LESION_MARGIN_PX = 4     # components within 6 mm of a lesion are not negatives
FRAMED_HU = (-100.0, 100.0)   # soft tissue and fat
FRAMED_PX = 9                 # 13.5 mm window on the 1.5 mm grid
FRAMED_BONE = 0.35            # bone fraction of that window
FRAMED_MIN_PX = 6
GROUPS = ("real", "blds")


def predict(model, hu):
    """Probability map of one net-grid HU slice (padded with air to a
    multiple of config.SIZE_MULTIPLE, centred, as the app does)."""
    H, W = hu.shape
    m = config.SIZE_MULTIPLE
    ph, pw = -(-H // m) * m, -(-W // m) * m
    top, left = (ph - H) // 2, (pw - W) // 2
    x = np.full((ph, pw), config.PADDING_HU, np.float32)
    x[top:top + H, left:left + W] = hu
    with torch.no_grad():
        p = torch.sigmoid(model(torch.from_numpy(channels(x)[None])))[0, 0].numpy()
    return p[top:top + H, left:left + W]


def false_positive_sites(p, label):
    """(row, col, max p) of each component of p ≥ MINE_PROB that stays
    LESION_MARGIN_PX away from every lesion pixel; the site is the
    component's most probable pixel."""
    near = ndi.binary_dilation(label > 0, iterations=LESION_MARGIN_PX) if label.any() else np.zeros(label.shape, bool)
    lab, n = ndi.label(p >= MINE_PROB, structure=np.ones((3, 3), bool))
    out = []
    for i, sl in enumerate(ndi.find_objects(lab), start=1):
        m = lab[sl] == i
        if (near[sl] & m).any():
            continue
        sub = np.where(m, p[sl], -1)
        r, c = np.unravel_index(int(np.argmax(sub)), sub.shape)
        out.append((r + sl[0].start, c + sl[1].start, float(sub[r, c])))
    return out


def framed_sites(hu, label):
    """(row, col) of soft tissue framed by bone: components of pixels with
    HU in FRAMED_HU where at least FRAMED_BONE of the surrounding
    FRAMED_PX² window is bone (HU > 180), of at least FRAMED_MIN_PX pixels
    and away from lesions; the site is the component's most bone-framed
    pixel. This finds the spinal and sacral canal, foramina and joint
    spaces even where a patch border cuts the bony ring."""
    bone = (hu > 180).astype(np.float32)
    frac = ndi.uniform_filter(bone, FRAMED_PX, mode="constant")
    near = ndi.binary_dilation(label > 0, iterations=LESION_MARGIN_PX) if label.any() else np.zeros(label.shape, bool)
    cand = (hu >= FRAMED_HU[0]) & (hu <= FRAMED_HU[1]) & (frac >= FRAMED_BONE) & ~near
    lab, n = ndi.label(cand, structure=np.ones((3, 3), bool))
    out = []
    for i, sl in enumerate(ndi.find_objects(lab), start=1):
        m = lab[sl] == i
        if m.sum() < FRAMED_MIN_PX:
            continue
        sub = np.where(m, frac[sl], -1)
        r, c = np.unravel_index(int(np.argmax(sub)), sub.shape)
        out.append((int(r + sl[0].start), int(c + sl[1].start)))
    return out


def mine(model, samples):
    sites, counts = {}, dict(samples=0, fp=0, framed=0, with_fp=0)
    for s in samples:
        if s["group"] not in GROUPS:
            continue
        hu = s["hu"].astype(np.float32)
        p = predict(model, hu)
        fp = false_positive_sites(p, s["label"])
        enc = framed_sites(hu, s["label"])
        lst = [(r, c, "fp", q) for r, c, q in fp] + [(r, c, "framed", float(p[r, c])) for r, c in enc]
        counts["samples"] += 1
        counts["fp"] += len(fp)
        counts["framed"] += len(enc)
        counts["with_fp"] += bool(fp)
        if lst:
            sites[s["name"]] = lst
    return sites, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", default=os.path.join(config.RUNS, "final", "best.pt"))
    ap.add_argument("--out", default=os.path.join(config.RUNS, "hn_sites.pkl"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    t0 = time.time()
    model = load_state(args.state).eval()
    train = pickle.load(open(os.path.join(config.CACHE, "data", "samples_train.pkl"), "rb"))
    sites, counts = mine(model, train)
    with open(args.out, "wb") as f:
        pickle.dump(dict(state=os.path.abspath(args.state), sites=sites, counts=counts), f, protocol=4)
    print("hard negatives from %s: %s (%.0f s)" % (args.state, counts, time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
