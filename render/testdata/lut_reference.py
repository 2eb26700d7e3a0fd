#!/usr/bin/python3
"""Independent reference for render's lookup-table paths, using pydicom's
own implementations of the Modality LUT and VOI LUT (PS3.3 C.11.1,
C.11.2.1.1) in pydicom.pixel_data_handlers.util.

Usage:
  lut_reference.py FILE modality CENTER WIDTH OUT
      apply_modality_lut, then the LINEAR window (PS3.3 C.11.2.1.2.1) to 0..255
  lut_reference.py FILE voi OUT
      apply_modality_lut, then apply_voi; the LUT output e is displayed as
      e / (2^n - 1) with n the LUT Descriptor's third value

pydicom 2.3's pixel_array does not sign-extend signed samples narrower
than Bits Allocated (mlut_18.dcm: 12 of 16 bits), so the stored values are
first masked to Bits Stored and sign-extended here (PS3.5 8.1.1), as dcmtk
does.

Writes 8-bit values, rounded half up, as raw bytes row by row to OUT.
Needs Debian's python3 with python3-pydicom and python3-numpy.
"""
import sys

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi


def main():
    path, mode = sys.argv[1], sys.argv[2]
    ds = pydicom.dcmread(path)
    bits = int(ds.BitsStored)
    stored = ds.pixel_array.astype(np.int64) & ((1 << bits) - 1)
    if int(ds.PixelRepresentation) == 1:
        stored = np.where(stored >= 1 << (bits - 1), stored - (1 << bits), stored)
    x = apply_modality_lut(stored, ds).astype(np.float64)
    if mode == "modality":
        c, w, out = float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
        w = max(w, 1.0)
        lo, hi = c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            mid = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255
        y = np.where(x <= lo, 0.0, np.where(x > hi, 255.0, mid))
    elif mode == "voi":
        out = sys.argv[3]
        depth = int(ds.VOILUTSequence[0].LUTDescriptor[2])
        e = apply_voi(x.astype(np.int64), ds).astype(np.float64)
        y = e / ((1 << depth) - 1) * 255
    else:
        sys.exit("unknown mode " + mode)
    y8 = np.floor(np.clip(y, 0, 255) + 0.5).astype(np.uint8)
    with open(out, "wb") as f:
        f.write(y8.tobytes(order="C"))


if __name__ == "__main__":
    main()
