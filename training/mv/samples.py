"""Turning scans into 2D training samples on the network grid."""
import numpy as np

from . import config, sources
from . import grid as G


def slice_samples(scan, ks, group, context=config.SLICE_CONTEXT):
    """Samples of slices ks of scan, on the network grid and cropped to the
    body (HU > −500, 8-pixel margin; outside is air, which the network sees
    as zeros either way): dicts with hu (int16; [H, W], or with context > 0
    [2·context + 1, H, W], the slice and its neighbours in channel order,
    grid.context_slices), label (uint8 lesion id, 0 none), bone (bool: HU >
    180), group and name; where the slice crosses a lesion its source
    annotates (sources.annotated_regions), also annotated (bool: inside
    one of those boxes), which mv.train --ignore-annotated leaves out of
    the loss."""
    g = G.Grid(scan.hu.shape[1], scan.hu.shape[2], scan.pixel_spacing)
    offsets, runs = G.slice_offsets(scan.z, context), G.contiguous_runs(scan.z)
    regions = sources.annotated_regions(scan.name)
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
        ann = annotated_mask(scan, k, regions)
        ann = g.to_net(ann.astype(np.float32)) >= 0.5 if ann is not None else None
        bone = hu > 180  # where crops are centred; need not be precise
        body = hu > -500
        if body.any():
            rs, cs = np.flatnonzero(body.any(1)), np.flatnonzero(body.any(0))
            r0, r1 = max(rs[0] - 8, 0), min(rs[-1] + 9, hu.shape[0])
            c0, c1 = max(cs[0] - 8, 0), min(cs[-1] + 9, hu.shape[1])
            hu, lab, bone = hu[r0:r1, c0:c1], lab[r0:r1, c0:c1], bone[r0:r1, c0:c1]
            ann = ann[r0:r1, c0:c1] if ann is not None else None
            if context:
                stack = stack[:, r0:r1, c0:c1]
        if context:
            hu = stack
        out.append(dict(hu=np.clip(np.rint(hu), -1024, 3071).astype(np.int16), label=lab, bone=bone,
                        group=group, name="%s/%d" % (scan.name, k)))
        if ann is not None and ann.any():
            out[-1]["annotated"] = ann
    return out


def annotated_mask(scan, k, regions):
    """Bool [rows, cols] of slice k inside the annotated boxes (LPS mm,
    axis-aligned; pixel centres tested), or None when no box crosses it."""
    z = float(scan.z[k])
    hit = [b for b in regions if abs(z - b["center_mm"][2]) <= b["size_mm"][2] / 2]
    if not hit:
        return None
    rows, cols = scan.hu.shape[1:]
    x = scan.origin_xy[0] + np.arange(cols) * scan.pixel_spacing[1]
    y = scan.origin_xy[1] + np.arange(rows) * scan.pixel_spacing[0]
    m = np.zeros((rows, cols), bool)
    for b in hit:
        (cx, cy, _), (w, h, _) = b["center_mm"], b["size_mm"]
        m |= (np.abs(y - cy) <= h / 2)[:, None] & (np.abs(x - cx) <= w / 2)[None, :]
    return m


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
