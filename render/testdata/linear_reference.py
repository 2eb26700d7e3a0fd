#!/usr/bin/python3
"""Independent reference for render's VOI windowing of a real DICOM image.

Usage: linear_reference.py FILE CENTER WIDTH OUT [FUNCTION]

Reads FILE with pydicom, takes the stored values (masked to Bits Stored,
two's complement when Pixel Representation is 1, PS3.5 8.1.1), applies
Rescale Slope/Intercept (PS3.3 C.11.1.2), then the VOI LUT Function
(default LINEAR) of PS3.3 C.11.2.1.2.1 / C.11.2.1.3 with ymin = 0 and
ymax = 255, written here in NumPy directly from the standard's text:

  LINEAR:       x <= c - 0.5 - (w-1)/2 -> 0;  x > c - 0.5 + (w-1)/2 -> 255;
                else ((x - (c - 0.5)) / (w-1) + 0.5) * 255
  LINEAR_EXACT: x <= c - w/2 -> 0;  x > c + w/2 -> 255;
                else ((x - c) / w + 0.5) * 255
  SIGMOID:      255 / (1 + exp(-4 (x - c) / w))

and writes the result, rounded half up to 8 bits, as raw bytes, row by
row, to OUT. Needs Debian's python3 with python3-pydicom and python3-numpy.
"""
import sys

import numpy as np
import pydicom


def modality(ds):
    """The modality values (HU for CT) of a dataset's pixels: stored values
    masked to Bits Stored, two's complement when Pixel Representation is 1
    (PS3.5 8.1.1), then Rescale Slope/Intercept (PS3.3 C.11.1.2)."""
    bits = int(ds.BitsStored)
    raw = ds.pixel_array.astype(np.int64) & ((1 << bits) - 1)
    if int(ds.PixelRepresentation) == 1:
        raw = np.where(raw >= 1 << (bits - 1), raw - (1 << bits), raw)
    slope = float(getattr(ds, "RescaleSlope", 1) or 1)
    intercept = float(getattr(ds, "RescaleIntercept", 0) or 0)
    return raw.astype(np.float64) * slope + intercept


def voi(x, c, w, function="LINEAR"):
    """PS3.3 C.11.2.1.2.1 / C.11.2.1.3 onto 0..255, rounded half up."""
    if function == "LINEAR":
        w = max(w, 1.0)
        lo, hi = c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            mid = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255
        y = np.where(x <= lo, 0.0, np.where(x > hi, 255.0, mid))
    elif function == "LINEAR_EXACT":
        lo, hi = c - w / 2, c + w / 2
        y = np.where(x <= lo, 0.0, np.where(x > hi, 255.0, ((x - c) / w + 0.5) * 255))
    elif function == "SIGMOID":
        y = 255 / (1 + np.exp(-4 * (x - c) / w))
    else:
        sys.exit("unknown function " + function)
    return np.floor(np.clip(y, 0, 255) + 0.5).astype(np.uint8)


def main():
    path, c, w, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    function = sys.argv[5] if len(sys.argv) > 5 else "LINEAR"
    y8 = voi(modality(pydicom.dcmread(path)), c, w, function)
    with open(out, "wb") as f:
        f.write(y8.tobytes(order="C"))


if __name__ == "__main__":
    main()
