#!/usr/bin/python3
"""Time pydicom + GDCM decoding the 20 lossless JPEG 2000 CT slices of
shared/data/ct-totalseg-j2k, to compare with package codec/openjpeg
(BenchmarkDecodeCTSlice).

Run with Debian's interpreter, which has pydicom 2.3.1 and GDCM:

    /usr/bin/python3 bench/j2k_pydicom.py

Files are read once; each slice's pixel data is then decoded 5 times
through pydicom's GDCM handler (GDCM uses the system OpenJPEG) and the best
time is kept. Prints per-slice best times and their mean in milliseconds.
"""

import glob
import os
import time

import pydicom
from pydicom.pixel_data_handlers import gdcm_handler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.abspath(os.path.join(HERE, "..", "..", "shared", "data", "ct-totalseg-j2k"))
REPEATS = 5


def main():
    pydicom.config.pixel_data_handlers = [gdcm_handler]
    paths = sorted(glob.glob(os.path.join(DATA, "CT.*")))
    if len(paths) != 20:
        raise SystemExit("want 20 slices in %s, found %d" % (DATA, len(paths)))
    best = []
    for path in paths:
        ds = pydicom.dcmread(path)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            pixels = gdcm_handler.get_pixeldata(ds)
            times.append(time.perf_counter() - start)
        if pixels.size * pixels.itemsize != ds.Rows * ds.Columns * 2:
            raise SystemExit("%s: decoded %d bytes" % (path, pixels.size * pixels.itemsize))
        best.append(min(times) * 1000)
        print("%s  %.2f ms" % (os.path.basename(path), best[-1]))
    print("pydicom %s + GDCM: %d slices, best of %d, mean %.2f ms/slice (min %.2f, max %.2f)" % (
        pydicom.__version__, len(best), REPEATS, sum(best) / len(best), min(best), max(best)))


if __name__ == "__main__":
    main()
