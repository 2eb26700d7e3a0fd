"""Thick-slab averaging of thin slices (experiment; see training/README.md,
"Thin slices").

slab(hu, z, slab_mm) returns each slice averaged with its neighbours over
[z - slab_mm/2, z + slab_mm/2], each neighbour weighted by how much of its
own extent (one slice spacing, centred on it) falls inside: what a scanner
reconstructing slab_mm-thick slices at the same positions would give, up to
its slice profile. Slices at least slab_mm apart are returned unchanged;
neighbours across a gap wider than max_gap_mm are not averaged in.
"""
import numpy as np


def weights(z, slab_mm, max_gap_mm=6.0):
    """[(i, [(j, w)])]: the normalised weights of every slice."""
    z = np.asarray(z, np.float64)
    order = np.argsort(z)
    zs = z[order]
    n = len(zs)
    # contiguous runs over the sorted positions
    run = np.zeros(n, int)
    for k in range(1, n):
        run[k] = run[k - 1] + (zs[k] - zs[k - 1] > max_gap_mm)
    out = [None] * n
    for k in range(n):
        same = np.nonzero(run == run[k])[0]
        sp = float(np.median(np.diff(zs[same]))) if len(same) > 1 else slab_mm
        ws = []
        for m in same:
            lo = max(zs[m] - sp / 2, zs[k] - slab_mm / 2)
            hi = min(zs[m] + sp / 2, zs[k] + slab_mm / 2)
            if hi - lo > 1e-9 or m == k:
                ws.append((int(order[m]), max(hi - lo, 1e-9)))
        tot = sum(w for _, w in ws)
        out[int(order[k])] = [(j, w / tot) for j, w in ws]
    return out


def slab(hu, z, slab_mm, max_gap_mm=6.0):
    if slab_mm <= 0 or len(z) < 2:
        return hu
    out = np.empty_like(hu)
    for i, ws in enumerate(weights(z, slab_mm, max_gap_mm)):
        acc = np.zeros(hu.shape[1:], np.float64)
        for j, w in ws:
            acc += w * hu[j]
        out[i] = acc
    return out


def write_dicom_slabs(src, dst, slab_mm):
    """Copies the CT images of DICOM folder src to dst with their pixels
    averaged to slab_mm slabs (stored values rounded; headers kept, Slice
    Thickness raised to the slab), and ground_truth.json and any DICOM
    Segmentation beside them. Returns the slice spacing."""
    import glob
    import os
    import shutil

    import pydicom
    paths = sorted(glob.glob(os.path.join(src, "*.dcm")))
    ds = [pydicom.dcmread(p) for p in paths]
    ct = [(p, d) for p, d in zip(paths, ds) if d.Modality == "CT"]
    z = [float(d.ImagePositionPatient[2]) for _, d in ct]
    os.makedirs(dst, exist_ok=True)
    vol = np.stack([d.pixel_array.astype(np.float64) for _, d in ct])
    sp = float(np.median(np.abs(np.diff(sorted(z))))) if len(z) > 1 else 0.0
    for (p, d), ws in zip(ct, weights(z, slab_mm)):
        acc = sum(w * vol[j] for j, w in ws)
        d.PixelData = np.rint(acc).astype(d.pixel_array.dtype).tobytes()
        d.SliceThickness = max(float(d.get("SliceThickness", 0) or 0), slab_mm)
        d.save_as(os.path.join(dst, os.path.basename(p)))
    for p, d in zip(paths, ds):
        if d.Modality != "CT":
            shutil.copy(p, dst)
    if os.path.exists(os.path.join(src, "ground_truth.json")):
        shutil.copy(os.path.join(src, "ground_truth.json"), dst)
    return sp


if __name__ == "__main__":
    import sys
    if len(sys.argv) != 4:
        sys.exit("usage: python3 -m mv.slab IN-DIR OUT-DIR SLAB-MM")
    write_dicom_slabs(sys.argv[1], sys.argv[2], float(sys.argv[3]))
