#!/usr/bin/python3
"""Independent reference for a thick slab (myeloview render --slab).

Usage: slab_reference.py FILE MODE COUNT CENTER WIDTH OUT

Reads every file of FILE's folder in FILE's series with pydicom, sorts
them along the slice normal (the cross product of Image Orientation
(Patient)'s two directions, PS3.3 C.7.6.2.1.1), takes the COUNT slices
centred on FILE (fewer at the ends of the stack), combines their modality
values pixel by pixel (MODE: avg, mip or minip), applies the LINEAR
window of linear_reference.py and writes the 8-bit result as raw bytes,
row by row, to OUT. Needs Debian's python3 with python3-pydicom and
python3-numpy.
"""
import glob
import os
import sys

import numpy as np
import pydicom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from linear_reference import modality, voi  # noqa: E402


def main():
    path, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    c, w, out = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
    me = pydicom.dcmread(path)
    same = []
    for p in glob.glob(os.path.join(os.path.dirname(path), "*")):
        try:
            ds = pydicom.dcmread(p)
        except Exception:
            continue
        if getattr(ds, "SeriesInstanceUID", None) == me.SeriesInstanceUID:
            same.append((p, ds))
    iop = np.array([float(v) for v in me.ImageOrientationPatient])
    normal = np.cross(iop[:3], iop[3:])
    same.sort(key=lambda e: float(np.dot([float(v) for v in e[1].ImagePositionPatient], normal)))
    k = [os.path.samefile(p, path) for p, _ in same].index(True)
    half = (count - 1) // 2
    chosen = same[max(k - half, 0):k + half + 1]
    stack = np.stack([modality(ds) for _, ds in chosen])
    x = {"avg": stack.mean(0), "mip": stack.max(0), "minip": stack.min(0)}[mode]
    with open(out, "wb") as f:
        f.write(voi(x, c, w).tobytes(order="C"))


if __name__ == "__main__":
    main()
