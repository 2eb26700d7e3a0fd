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
    """For each slice i (in the order of z): [(j, w)], the slices j whose
    extent overlaps i's slab, with weights summing to 1. Each contiguous
    run (no gap over max_gap_mm) uses its median spacing as the slices'
    extent."""
    z = np.asarray(z, np.float64)
    order = np.argsort(z)
    zs = z[order]
    out = [None] * len(zs)
    cuts = np.nonzero(np.diff(zs) > max_gap_mm)[0] + 1
    for lo_k, hi_k in zip(np.r_[0, cuts], np.r_[cuts, len(zs)]):
        run = zs[lo_k:hi_k]
        sp = float(np.median(np.diff(run))) if len(run) > 1 else slab_mm
        reach = (slab_mm + sp) / 2  # farther centres cannot overlap the slab
        for k, zk in enumerate(run):
            ws = []
            for m in range(np.searchsorted(run, zk - reach), np.searchsorted(run, zk + reach, "right")):
                overlap = min(run[m] + sp / 2, zk + slab_mm / 2) - max(run[m] - sp / 2, zk - slab_mm / 2)
                if overlap > 1e-9 or m == k:
                    ws.append((int(order[lo_k + m]), max(overlap, 1e-9)))
            tot = sum(w for _, w in ws)
            out[int(order[lo_k + k])] = [(j, w / tot) for j, w in ws]
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


# What write_dicom_slabs can rewrite in place: native little-endian pixels.
NATIVE_LE = ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1")


def write_dicom_slabs(src, dst, slab_mm):
    """Copies the CT images of DICOM folder src (*.dcm, one axial series of
    native little-endian images with one rescale, as the pipeline's own
    writers make them: mv.dicom_out, sample.Write) to dst with their stored
    values averaged to slab_mm slabs and rounded; Slice Thickness becomes
    slab_mm where a slice was averaged. Other files (a Segmentation) and
    ground_truth.json are copied as they are; UIDs are kept, so a
    reference segmentation still lies on the copy. Raises ValueError for
    any other input instead of writing a wrong file. Returns the slice
    spacing."""
    import glob
    import os
    import shutil

    import pydicom
    paths = sorted(glob.glob(os.path.join(src, "*.dcm")))
    ds = [pydicom.dcmread(p) for p in paths]
    ct = [(p, d) for p, d in zip(paths, ds) if d.Modality == "CT"]
    if not ct:
        raise ValueError("%s: no CT image" % src)
    for p, d in ct:
        problem = None
        if d.file_meta.TransferSyntaxUID not in NATIVE_LE:
            problem = "transfer syntax %s is not native little endian" % d.file_meta.TransferSyntaxUID
        elif d.SeriesInstanceUID != ct[0][1].SeriesInstanceUID:
            problem = "a second series"
        elif (d.Rows, d.Columns) != (ct[0][1].Rows, ct[0][1].Columns):
            problem = "another image size"
        elif (d.get("RescaleSlope"), d.get("RescaleIntercept")) != (ct[0][1].get("RescaleSlope"), ct[0][1].get("RescaleIntercept")):
            problem = "another rescale"
        elif not np.allclose([float(v) for v in d.ImageOrientationPatient], [1, 0, 0, 0, 1, 0], atol=1e-3):
            problem = "not an axial slice"
        if problem:
            raise ValueError("%s: %s" % (p, problem))
    z = [float(d.ImagePositionPatient[2]) for _, d in ct]
    pixels = [d.pixel_array for _, d in ct]
    vol = np.stack(pixels).astype(np.float64)
    sp = float(np.median(np.abs(np.diff(sorted(z))))) if len(z) > 1 else 0.0
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    for (p, d), px, ws in zip(ct, pixels, weights(z, slab_mm)):
        acc = sum(w * vol[j] for j, w in ws)
        d.PixelData = np.rint(acc).astype(px.dtype.newbyteorder("<")).tobytes()
        if len(ws) > 1:
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
