"""Turning scans into 2D training samples on the network grid."""
import numpy as np

from . import config
from . import grid as G


def slice_samples(scan, ks, group, context=config.SLICE_CONTEXT):
    """Samples of slices ks of scan, on the network grid and cropped to the
    body (HU > −500, 8-pixel margin; outside is air, which the network sees
    as zeros either way): dicts with hu (int16; [H, W], or with context > 0
    [2·context + 1, H, W], the slice and its neighbours in channel order,
    grid.context_slices), label (uint8 lesion id, 0 none), bone (bool: HU >
    180), group and name."""
    g = G.Grid(scan.hu.shape[1], scan.hu.shape[2], scan.pixel_spacing)
    offsets, runs = G.slice_offsets(scan.z, context), G.contiguous_runs(scan.z)
    out = []
    for i, k in enumerate(ks):
        # the slice itself is one plane of its context stack: resample once
        stack = g.to_net(scan.hu[G.context_slices(k, offsets, runs, scan.z)]) if context else None
        hu = stack[offsets.index(0)] if context else g.to_net(scan.hu[k])
        lab_orig = scan.label[k]
        lab = np.zeros((g.net_rows, g.net_cols), np.uint8)
        for lid in np.unique(lab_orig[lab_orig > 0]):
            m = g.to_net((lab_orig == lid).astype(np.float32))
            sel = m >= 0.5
            if not sel.any():
                sel = m == m.max()  # keep every lesion visible on the net grid
            lab[sel & (lab == 0)] = lid
        bone = hu > 180  # where crops are centred; need not be precise
        body = hu > -500
        if body.any():
            rs, cs = np.flatnonzero(body.any(1)), np.flatnonzero(body.any(0))
            r0, r1 = max(rs[0] - 8, 0), min(rs[-1] + 9, hu.shape[0])
            c0, c1 = max(cs[0] - 8, 0), min(cs[-1] + 9, hu.shape[1])
            hu, lab, bone = hu[r0:r1, c0:c1], lab[r0:r1, c0:c1], bone[r0:r1, c0:c1]
            if context:
                stack = stack[:, r0:r1, c0:c1]
        if context:
            hu = stack
        out.append(dict(hu=np.clip(np.rint(hu), -1024, 3071).astype(np.int16), label=lab, bone=bone,
                        group=group, name="%s/%d" % (scan.name, k)))
    return out


def choose_slices(scan, rng, neg_ratio=0.5, min_neg=4, per_lesion=3):
    """Up to per_lesion slices of every lesion (its centre slice first),
    plus lesion-free slices (neg_ratio of the lesion slices, at least
    min_neg)."""
    S = scan.label.shape[0]
    flat = scan.label.reshape(S, -1)
    has = flat.max(axis=1) > 0
    pos = set()
    for les in scan.lesions:
        ks = np.flatnonzero((flat == les["id"]).any(axis=1))
        if ks.size == 0:
            continue
        c = int(round(les["center_voxel"][2]))
        chosen = [c] if c in ks else []
        rest = [k for k in ks if k != c]
        if rest:
            chosen += list(rng.choice(rest, min(len(rest), per_lesion - len(chosen)), replace=False))
        pos.update(int(k) for k in chosen)
    neg = np.flatnonzero(~has)
    n_neg = min(len(neg), max(min_neg, int(round(neg_ratio * len(pos)))))
    negs = [int(k) for k in rng.choice(neg, n_neg, replace=False)] if n_neg else []
    return sorted(pos | set(negs))
