#!/usr/bin/python3
"""Regenerate testdata/expected.json for package rle from reference decoders.

Run from anywhere with Debian's interpreter (it has pydicom and numpy;
dcmtk's dcmdrle must be on PATH):

    /usr/bin/python3 codec/rle/testdata/gen_expected.py

For every RLE Lossless file (transfer syntax 1.2.840.10008.1.2.5) in
../shared/data beside the repository it writes the SHA-256 of each decoded
frame: the samples as little-endian uint32 bit patterns masked to
"mask_bits" (Bits Allocated, the width of an RLE sample; Bits Stored where
pydicom could have sign-extended a signed sample narrower than that). That
is what the Go test computes from codec.Image.Pix.

The reference is pydicom's RLE handler (pydicom's GDCM handler does not
decode RLE); dcmtk's dcmdrle decodes the same file as an independent second
opinion, recorded as "dcmtk_agrees". A file the reference cannot decode is
kept with its "error" so the Go test reports it instead of dropping it.
"""

import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom import config
from pydicom.encaps import generate_pixel_data_frame
import pydicom.pixel_data_handlers.numpy_handler as numpy_handler
import pydicom.pixel_data_handlers.rle_handler as rle_handler

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.abspath(os.path.join(REPO, "..", "shared", "data"))
RLE = "1.2.840.10008.1.2.5"


def mask_bits(ds):
    ba, bs = int(ds.BitsAllocated), int(ds.BitsStored)
    return bs if int(ds.PixelRepresentation) == 1 and bs < ba else ba


def pixel_hashes(ds, bits):
    """Per-frame SHA-256 of the pixels as masked uint32 bit patterns."""
    arr = ds.pixel_array
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    flat = arr.astype(np.int64).reshape(frames, -1) & ((1 << bits) - 1)
    return [hashlib.sha256(f.astype("<u4").tobytes()).hexdigest() for f in flat]


def dcmtk_hashes(path, bits):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.dcm")
        r = subprocess.run(["dcmdrle", path, out], capture_output=True, text=True)
        if r.returncode != 0:
            return None
        config.pixel_data_handlers = [numpy_handler]
        return pixel_hashes(pydicom.dcmread(out), bits)


def entry(path):
    ds = pydicom.dcmread(path)
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    e = {
        "name": os.path.relpath(path, DATA),
        "frames": frames,
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samples": int(ds.SamplesPerPixel),
        "bits_allocated": int(ds.BitsAllocated),
        "bits_stored": int(ds.BitsStored),
        "pixel_representation": int(ds.PixelRepresentation),
        "mask_bits": mask_bits(ds),
        "frame_sha256": [hashlib.sha256(f).hexdigest()
                         for f in generate_pixel_data_frame(ds.PixelData, frames)],
    }
    try:
        config.pixel_data_handlers = [rle_handler]
        e["pixel_sha256"] = pixel_hashes(ds, e["mask_bits"])
        e["reference"] = "pydicom %s rle_handler" % pydicom.__version__
        e["dcmtk_agrees"] = dcmtk_hashes(path, e["mask_bits"]) == e["pixel_sha256"]
    except Exception as ex:  # recorded, and reported by the Go test
        e["error"] = "%s: %s" % (type(ex).__name__, ex)
    return e


def main():
    if not os.path.isdir(DATA):
        sys.exit("%s is absent" % DATA)
    paths = sorted(glob.glob(os.path.join(DATA, "pydicom-data", "*.dcm")) +
                   glob.glob(os.path.join(DATA, "pylibjpeg-data", "*", "*.dcm")))
    entries = []
    for p in paths:
        try:
            ts = pydicom.dcmread(p, stop_before_pixels=True).file_meta.TransferSyntaxUID
        except Exception:
            continue
        if ts == RLE:
            entries.append(entry(p))
    with open(os.path.join(HERE, "expected.json"), "w") as fh:
        json.dump(entries, fh, indent=1, sort_keys=True)
        fh.write("\n")
    for e in entries:
        print("%-55s %s" % (e["name"], e.get("error") or
                            ("ok" if e.get("dcmtk_agrees") else "ok (dcmtk differs)")))


if __name__ == "__main__":
    main()
