"""Train the lesion network on the cached samples (mv.build_data), with
fixed seeds on two CPU threads, early-stopped on the validation loss.

    python3 -m mv.train [--epochs N] [--seed N] [--out runs/NAME]
    python3 -m mv.train --init runs/final/best.pt --hard-negatives runs/hn_sites.pkl \
        --lr 1e-3 --epochs 12 --out runs/NAME    (experiment: fine-tuning on mined hard negatives)

Writes runs/NAME/best.pt (state dict of the epoch with the lowest
validation loss), last.pt and log.json (per-epoch losses, throughput).
"""
import argparse
import json
import math
import os
import pickle
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import config
from .grid import channels, input_channels
from .model import WIDTHS, LesionNet, count_params, load_state

CROP = 128                 # pixels on the network grid: 128 mm at 1.0 mm (192 mm at 1.1's 1.5 mm)
BATCH = 16
STEPS_PER_EPOCH = 160
GROUP_WEIGHTS = {"phantom": 0.5, "real": 0.3, "blds": 0.2}
# Training crops of these groups draw a source series first, then a sample,
# so that each real patient gets the same share (ct-totalseg-native's 20
# slices × 25 realisations are otherwise 57 % of the real crops). Tried with
# ("real",): better on validation (86.9 % at 0.98 FP/scan against 82.9 % at
# 0.94) but three false positives on lesion-free held-out real CT, so off
# (model card, "What was tried").
BALANCE = ()
# Rotation/scale (0.7) and bone-density (0.3) augmentation were tried with
# weights 0.35/0.3/0.35: validation got worse for phantoms and no better
# for real CT (model card, "What was tried"), so they are off.
ROTATE_P = 0.0
DENSITY_P = 0.0
VAL_CROPS = 1024
# With --hard-negatives (mv.mine; off by default, `make train` does not use
# it): this fraction of the crops drawn from the real-CT groups is centred on
# a training site where a trained network fired away from any lesion, or on
# soft tissue framed by bone (spinal/sacral canal). Tried as fine-tuning
# (fractions 0.25 and 0.5) and from scratch (0.3, group weights 0.4/0.3/0.3):
# validation BLDS false positives at the chosen point 2.9–3.8 per scan vs
# 3.79 before, sensitivity ≥ 5 mm 37–40 % vs 40 %, phantom FP 0.03–0.20 vs 0 —
# no clear gain, so not adopted (the network already scores ~0 on the
# training sites: 23,563 framed sites, mean p 0.002; see README.md).
HN_FRACTION = 0.25
HN_GROUPS = ("real", "blds")
# Fatty-marrow negatives: this fraction of training crops gets one region of
# marrow turned to fat density (−120 to −10 HU) with part of its trabecular
# texture kept, labelled "no lesion". Normal fatty marrow (the humeral
# "pseudocyst", focal fat in vertebrae and the pelvis) mimics a lytic lesion
# by being dark inside bone; myeloma lesions are soft-tissue density (the
# synthetic ones 20–60 HU), so density tells them apart.
FAT_P = 0.0

# RAREFY_P: the same idea for the mimic that density cannot settle. The
# humeral "pseudocyst" (and other normal regions of sparse trabeculae) is
# near soft-tissue density, like a lesion, but keeps some trabeculae and
# fades into the marrow around it, where a lytic lesion is uniform and
# well defined. A fraction RAREFY_P of crops gets one such region (RAREFIED).
RAREFY_P = 0.0
FAT = dict(level=(-120, -10), texture=(0.2, 0.6), edge=(0.6, 0.6))
RAREFIED = dict(level=(-20, 45), texture=(0.3, 0.7), edge=(1.0, 2.5))


class Sampler:
    """Random 128² crops: centred near a lesion (60 % when the slice has
    one), near bone (30 %) or anywhere; air outside the sample. With
    augmentation, ROTATE_P of crops are rotated (±20°) and scaled
    (0.85–1.2) about their centre (bilinear for HU, nearest for labels)."""

    def __init__(self, samples, rng, augment, hard_negatives=None, hn_fraction=HN_FRACTION, weights=None,
                 balance=(), fat_p=FAT_P, rarefy_p=RAREFY_P, context=None, ignore_annotated=False):
        self.rng, self.augment, self.hn_fraction, self.fat_p = rng, augment, hn_fraction, fat_p
        # ignore_annotated: pixels of a sample's "annotated" mask (a lesion
        # its source annotates, not an inserted one) weigh nothing in the
        # loss instead of counting as lesion-free bone (--ignore-annotated)
        self.ignore_annotated = ignore_annotated
        self.rarefy_p = rarefy_p
        # context: the slices each side the network reads. Samples with more
        # (a data set built with a wider MV_SLICE_CONTEXT) give it their
        # middle planes, before any random draw, so that a 2D network trained
        # on a 2.5D data set draws exactly the crops of the 2D data set.
        self.context = context
        weights = weights or GROUP_WEIGHTS
        self.groups = {}
        for s in samples:
            self.groups.setdefault(s["group"], []).append(s)
        # groups in balance draw a source series first (all its realisations
        # together), then a sample of it: each patient counts the same
        self.sources = {}
        for g in balance:
            for s in self.groups.get(g, ()):
                self.sources.setdefault(g, {}).setdefault(s["name"].split("#")[0], []).append(s)
            self.sources[g] = [self.sources[g][k] for k in sorted(self.sources[g])]
        names = sorted(self.groups)
        w = np.array([weights[g] for g in names])
        self.names, self.p = names, w / w.sum()
        # hard-negative sites per group and kind: [(sample, row, col)], in sample order
        self.hn = {}
        if hard_negatives:
            for s in samples:
                for r, c, kind, _ in hard_negatives.get(s["name"], ()):
                    if s["group"] in HN_GROUPS:
                        self.hn.setdefault(s["group"], {}).setdefault(kind, []).append((s, r, c))
        for s in samples:
            if "lesion_px" not in s:
                s["lesion_px"] = {int(l): np.flatnonzero(s["label"].ravel() == l) for l in np.unique(s["label"]) if l}
                s["bone_px"] = np.flatnonzero(s["bone"].ravel())

    def crop(self, s, site=None):
        """(hu, label, annotated or None) of one crop of sample s."""
        rng = self.rng
        ann = s.get("annotated") if self.ignore_annotated else None
        H, W = s["hu"].shape[-2:]   # hu: [H, W], or [D, H, W] with slice context
        u = rng.random()
        if site is not None:
            cy, cx = site[0] + rng.integers(-16, 17), site[1] + rng.integers(-16, 17)
        elif s["lesion_px"] and u < 0.6:
            ids = sorted(s["lesion_px"])
            px = s["lesion_px"][ids[rng.integers(len(ids))]]
            cy, cx = np.unravel_index(px[rng.integers(px.size)], (H, W))
            cy, cx = cy + rng.integers(-48, 49), cx + rng.integers(-48, 49)
        elif s["bone_px"].size and u < 0.9:
            cy, cx = np.unravel_index(s["bone_px"][rng.integers(s["bone_px"].size)], (H, W))
            cy, cx = cy + rng.integers(-16, 17), cx + rng.integers(-16, 17)
        else:
            cy, cx = rng.integers(0, H), rng.integers(0, W)
        if self.augment and ROTATE_P > 0 and rng.random() < ROTATE_P:
            assert s["hu"].ndim == 2, "rotation augmentation is 2D only"
            from scipy import ndimage as ndi
            a = np.deg2rad(rng.uniform(-20, 20))
            sc = rng.uniform(0.85, 1.2)
            A = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) / sc
            off = np.array([cy, cx], float) - A @ np.array([CROP / 2 - 0.5, CROP / 2 - 0.5])
            hu = ndi.affine_transform(s["hu"].astype(np.float32), A, off, (CROP, CROP), order=1, cval=-1024.0)
            nearest = lambda m: ndi.affine_transform(m, A, off, (CROP, CROP), order=0, cval=0)
            lab = nearest(s["label"]) if s["lesion_px"] else np.zeros((CROP, CROP), np.uint8)
            return hu, lab, nearest(ann.astype(np.uint8)) > 0 if ann is not None else None
        y0, x0 = int(cy) - CROP // 2, int(cx) - CROP // 2
        sy0, sy1 = max(y0, 0), min(y0 + CROP, H)
        sx0, sx1 = max(x0, 0), min(x0 + CROP, W)

        def window(a, fill, dtype):
            """The crop of a ([..., H, W]), fill outside the sample."""
            out = np.full(a.shape[:-2] + (CROP, CROP), fill, dtype)
            if sy1 > sy0 and sx1 > sx0:
                out[..., sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = a[..., sy0:sy1, sx0:sx1]
            return out

        return (window(s["hu"], -1024, np.float32), window(s["label"], 0, np.uint8),
                window(ann, False, bool) if ann is not None else None)

    def aug(self, hu):
        from scipy import ndimage as ndi
        rng = self.rng
        # in-plane only: neighbouring slices (hu [D, H, W]) are not mixed
        plane = lambda sigma: sigma if hu.ndim == 2 else (0, sigma, sigma)
        if rng.random() < 0.25:
            hu = ndi.gaussian_filter(hu, plane(rng.uniform(0.3, 0.8)))
        if rng.random() < 0.4:
            n = rng.standard_normal(hu.shape)
            if rng.random() < 0.5:
                n = ndi.gaussian_filter(n, plane(0.7))
                n /= n.std()
            hu = hu + (n * rng.uniform(2, 15)).astype(np.float32) * (hu > -900)
        if DENSITY_P > 0 and rng.random() < DENSITY_P:
            # bone density: stretch or shrink HU above 100 (marrow, cortex) about 100,
            # leaving soft tissue and lesions alone
            f = rng.uniform(0.75, 1.15)
            hu = np.where(hu > 100, 100 + (hu - 100) * f, hu)
        hu = hu * rng.uniform(0.95, 1.05) + rng.uniform(-20, 20)
        return hu.astype(np.float32)

    def batch(self, n):
        xs, ys, ws = [], [], []
        for _ in range(n):
            g = self.names[self.rng.choice(len(self.names), p=self.p)]
            site = None
            if g in self.hn and self.rng.random() < self.hn_fraction:
                kinds = sorted(self.hn[g])
                sites = self.hn[g][kinds[self.rng.integers(len(kinds))]]
                s, r, c = sites[self.rng.integers(len(sites))]
                site = (r, c)
            elif g in self.sources:
                src = self.sources[g][self.rng.integers(len(self.sources[g]))]
                s = src[self.rng.integers(len(src))]
            else:
                s = self.groups[g][self.rng.integers(len(self.groups[g]))]
            hu, lab, ann = self.crop(s, site)
            assert self.context in (None, 0) or hu.ndim == 3, "2D samples for a network with slice context"
            if self.context is not None and hu.ndim == 3:
                mid = hu.shape[0] // 2
                assert self.context <= mid, "samples hold %d slices each side, the network wants %d" % (mid, self.context)
                hu = hu[mid] if self.context == 0 else hu[mid - self.context:mid + self.context + 1]
            if self.augment and self.fat_p > 0 and self.rng.random() < self.fat_p:
                hu = marrow_negative(self.rng, hu, lab, FAT)
            if self.augment and self.rarefy_p > 0 and self.rng.random() < self.rarefy_p:
                hu = marrow_negative(self.rng, hu, lab, RAREFIED)
            if self.augment:
                if self.rng.random() < 0.5:
                    hu, lab = hu[..., ::-1], lab[:, ::-1]
                    ann = ann[:, ::-1] if ann is not None else None
                hu = self.aug(hu)
            xs.append(input_channels(hu) if hu.ndim == 3 else channels(hu))
            y, w = targets(lab, ann)
            ys.append(y)
            ws.append(w)
        return (torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))[:, None],
                torch.from_numpy(np.stack(ws))[:, None])


def marrow_negative(rng, hu, lab, kind):
    """One irregular region of trabecular marrow (lesions.bone_masks, on
    the 1.5 mm grid), at least 3 pixels from any lesion, brought to a
    level drawn from kind["level"] HU with a fraction kind["texture"] of
    its texture kept and a soft edge of kind["edge"] pixels: FAT (fatty
    marrow) or RAREFIED (sparse trabeculae). Returns hu unchanged when the
    crop has no such marrow."""
    from scipy import ndimage as ndi
    from .lesions import Shape, bone_masks
    marrow = bone_masks(hu[None], (config.TARGET_SPACING_MM,) * 2)[2][0]
    if lab.any():
        marrow &= ~ndi.binary_dilation(lab > 0, iterations=3)
    cand = np.flatnonzero(marrow)
    if cand.size < 8:
        return hu
    cy, cx = np.unravel_index(cand[rng.integers(cand.size)], hu.shape)
    # the lesions' own lobulated shape (radius in pixels), cut through its
    # centre: shape alone then cannot tell a negative from a lesion
    yy, xx = np.mgrid[:hu.shape[0], :hu.shape[1]].astype(np.float64)
    p = np.stack([np.zeros_like(yy), yy - cy, xx - cx], axis=-1)
    blob = Shape(rng, rng.uniform(1.5, 8.0)).sd(p) <= 0
    m = blob & marrow
    if m.sum() < 4:
        return hu
    lo, hi = kind["edge"]
    sigma = lo if lo == hi else rng.uniform(lo, hi)   # FAT's edge is fixed: no draw
    soft = np.clip(ndi.gaussian_filter(m.astype(np.float32), sigma) * 1.5, 0, 1)
    soft *= ndi.binary_dilation(m, iterations=max(1, int(round(2 * sigma))))
    region = rng.uniform(*kind["level"]) + (hu - hu[m].mean()) * rng.uniform(*kind["texture"])
    return (hu * (1 - soft) + region * soft).astype(np.float32)


def targets(lab, annotated=None):
    """Binary target and pixel weights: background 1, pixels of lesion l
    2 + 30/√(area of l in the crop), so that small lesions count;
    annotated pixels that are no inserted lesion 0 (left out)."""
    y = (lab > 0).astype(np.float32)
    w = np.ones(lab.shape, np.float32)
    if annotated is not None:
        w[annotated & (lab == 0)] = 0
    if not y.any():
        return y, w
    for l in np.unique(lab):
        if l:
            m = lab == l
            w[m] = 2 + 30 / math.sqrt(m.sum())
    return y, w


class EMA:
    """Exponential moving average of a model's weights and BatchNorm
    statistics: after each step, avg = decay·avg + (1 − decay)·current
    (integer buffers, the batch counts, are copied)."""

    def __init__(self, model, decay):
        self.decay = decay
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model):
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.state[k].mul_(self.decay).add_(v.detach(), alpha=1 - self.decay)
            else:
                self.state[k].copy_(v)


def epoch_decision(epoch, val_loss, best, best_epoch, keep_epoch, min_epochs, patience):
    """(save, stop) after an epoch. Early stopping (keep_epoch -1): save
    when the validation loss is the lowest so far, stop after `patience`
    epochs without one once min_epochs have passed. With keep_epoch ≥ 0:
    save that epoch's weights whatever the loss, and stop there."""
    if keep_epoch >= 0:
        return epoch == keep_epoch, epoch == keep_epoch
    improved = val_loss < best
    return improved, not improved and epoch >= min_epochs and epoch - best_epoch >= patience


def loss_fn(logits, y, w):
    bce = F.binary_cross_entropy_with_logits(logits, y, weight=w, reduction="sum") / w.sum()
    # pixels of weight 0 (targets: annotated) stay out of the Dice term too;
    # everywhere else w ≥ 1, and p is unchanged
    p = torch.sigmoid(logits) * (w > 0)
    dice = 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)
    return bce + dice, bce.item(), dice.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=6)
    ap.add_argument("--min-epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--out", default=os.path.join(config.RUNS, "final"))
    ap.add_argument("--seed", type=int, default=config.SEED,
                    help="weights and training crops (validation crops keep config.SEED + 1, so runs compare on the same crops)")
    ap.add_argument("--widths", default=",".join(map(str, WIDTHS)),
                    help="channels at /2, /4, /8 (checkpoints record them in their shapes)")
    ap.add_argument("--full-width", type=int, default=0,
                    help="channels of a full-resolution stage before the stride-2 stem (0: none, as 1.2)")
    ap.add_argument("--train-samples", default=os.path.join(config.CACHE, "data", "samples_train.pkl"),
                    help="training samples (mv.build_data --data DIR writes DIR/samples_train.pkl); "
                         "validation samples are read from the same folder")
    ap.add_argument("--init", help="start from this state dict (fine-tuning)")
    ap.add_argument("--hard-negatives", help="mv.mine output: centre some real-CT crops on these sites")
    ap.add_argument("--hn-fraction", type=float, default=HN_FRACTION)
    ap.add_argument("--group-weights", help="e.g. phantom=0.4,real=0.3,blds=0.3 (default GROUP_WEIGHTS)")
    ap.add_argument("--fat-p", type=float, default=FAT_P, help="fraction of training crops with a fatty-marrow negative")
    ap.add_argument("--rarefy-p", type=float, default=RAREFY_P,
                    help="fraction of training crops with a rarefied-marrow negative")
    ap.add_argument("--slice-context", type=int, default=config.SLICE_CONTEXT,
                    help="slices each side the network reads (default MV_SLICE_CONTEXT); at most the data set's, "
                         "whose middle planes it then reads")
    ap.add_argument("--ignore-annotated", action="store_true",
                    help="leave the lesions real sources annotate (BLDS boxes) out of the loss, "
                         "instead of training them as lesion-free bone")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="keep an exponential moving average of the weights with this decay per step "
                         "(e.g. 0.998) and validate and save it instead of the raw weights (0: off, as 1.2)")
    ap.add_argument("--keep-epoch", type=int, default=-1,
                    help="save the weights after this epoch as best.pt, whatever the validation loss, and stop "
                         "(a network trained on every validation patient: mv.cv_blds; -1: early stopping, as 1.2)")
    ap.add_argument("--save-epochs", default="",
                    help="also save the weights after these epochs as epoch_N.pt, e.g. 22,26,29 (to compare "
                         "epochs on validation; the run itself is unchanged)")
    ap.add_argument("--balance", default=",".join(BALANCE),
                    help="groups whose training crops draw each source series equally ('' for none)")
    args = ap.parse_args()
    if not -1 <= args.keep_epoch < args.epochs:
        ap.error("--keep-epoch must be below --epochs (epochs count from 0), or -1 for early stopping")
    try:
        save_epochs = {int(v) for v in args.save_epochs.split(",") if v}
    except ValueError:
        ap.error("--save-epochs: want epoch numbers, e.g. 22,26,29")
    if not 0 <= args.ema < 1:
        ap.error("--ema takes a decay in [0, 1): 0 is off, 1 would never move from the first weights")

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    # validation samples come from the training samples' data set (same grid)
    data = os.path.dirname(os.path.abspath(args.train_samples))
    train = pickle.load(open(args.train_samples, "rb"))
    val = pickle.load(open(os.path.join(data, "samples_val.pkl"), "rb"))
    print("samples: train %d, val %d" % (len(train), len(val)), flush=True)

    weights = dict(GROUP_WEIGHTS)   # training crops only: validation keeps GROUP_WEIGHTS
    if args.group_weights:
        weights.update({k: float(v) for k, v in (kv.split("=") for kv in args.group_weights.split(","))})
        print("training group weights: %s" % weights, flush=True)
    hn = None
    if args.hard_negatives:
        hn = pickle.load(open(args.hard_negatives, "rb"))
        print("hard negatives: %s (mined with %s)" % (hn["counts"], hn["state"]), flush=True)
        hn = hn["sites"]
    ts = Sampler(train, np.random.default_rng(args.seed), augment=True, hard_negatives=hn,
                 hn_fraction=args.hn_fraction, weights=weights, balance=[g for g in args.balance.split(",") if g],
                 fat_p=args.fat_p, rarefy_p=args.rarefy_p, context=args.slice_context,
                 ignore_annotated=args.ignore_annotated)
    vs = Sampler(val, np.random.default_rng(config.SEED + 1), augment=False, context=args.slice_context,
                 ignore_annotated=args.ignore_annotated)
    val_batches = [vs.batch(BATCH) for _ in range(VAL_CROPS // BATCH)]

    model = LesionNet(in_ch=(2 * args.slice_context + 1) * len(config.CHANNELS),
                      widths=tuple(int(v) for v in args.widths.split(",")), full_width=args.full_width)
    if args.init:
        model = load_state(args.init)
        print("initialised from %s" % args.init, flush=True)
    print("parameters: %d" % count_params(model), flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    total = args.epochs * STEPS_PER_EPOCH
    warm = STEPS_PER_EPOCH
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))

    log = dict(args=vars(args), params=count_params(model), slice_context=model.slice_context,
               slice_context_step_mm=config.SLICE_CONTEXT_STEP_MM,
               target_spacing_mm=config.TARGET_SPACING_MM, epochs=[])
    ema = EMA(model, args.ema) if args.ema > 0 else None
    best, best_epoch, t_start = float("inf"), -1, time.time()
    train_seconds = 0.0
    for epoch in range(args.epochs):
        model.train()
        t0 = time.time()
        tl = []
        for step in range(STEPS_PER_EPOCH):
            x, y, w = ts.batch(BATCH)
            loss, b, d = loss_fn(model(x), y, w)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if ema:
                ema.update(model)
            tl.append(loss.item())
        dt = time.time() - t0
        train_seconds += dt
        raw = None
        if ema:  # validate and save the average; training resumes from the raw weights
            raw = {k: v.clone() for k, v in model.state_dict().items()}
            model.load_state_dict(ema.state)
        model.eval()
        vl, vb, vd = [], [], []
        with torch.no_grad():
            inter = psum = ysum = 0.0
            for x, y, w in val_batches:
                logits = model(x)
                l, b, d = loss_fn(logits, y, w)
                vl.append(l.item())
                p = (logits > 0).float() * (w > 0)
                inter += (p * y).sum().item()
                psum += p.sum().item()
                ysum += y.sum().item()
        v = float(np.mean(vl))
        e = dict(epoch=epoch, train_loss=float(np.mean(tl)), val_loss=v, val_dice=2 * inter / max(psum + ysum, 1),
                 seconds=dt, images_per_s=STEPS_PER_EPOCH * BATCH / dt, lr=sched.get_last_lr()[0])
        log["epochs"].append(e)
        print(json.dumps(e), flush=True)
        torch.save(model.state_dict(), os.path.join(args.out, "last.pt"))
        if epoch in save_epochs:
            torch.save(model.state_dict(), os.path.join(args.out, "epoch_%d.pt" % epoch))
        save, stop = epoch_decision(epoch, v, best, best_epoch, args.keep_epoch, args.min_epochs, args.patience)
        if save:
            best, best_epoch = v, epoch
            torch.save(model.state_dict(), os.path.join(args.out, "best.pt"))
        if raw is not None:
            model.load_state_dict(raw)
        if stop:
            if args.keep_epoch < 0:
                print("early stop: no improvement for %d epochs" % args.patience, flush=True)
            break
    log.update(best_epoch=best_epoch, best_val_loss=best, train_seconds=train_seconds,
               wall_seconds=time.time() - t_start,
               images_per_s=sum(e["images_per_s"] * e["seconds"] for e in log["epochs"]) / train_seconds)
    json.dump(log, open(os.path.join(args.out, "log.json"), "w"), indent=1)
    print("best epoch %d, val loss %.4f" % (best_epoch, best), flush=True)


if __name__ == "__main__":
    main()
