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

import os
import sys

import pydicom
from pydicom import config
import pydicom.pixel_data_handlers.rle_handler as rle_handler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal", "testdicom"))
import refdecode  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = refdecode.DATA
RLE = "1.2.840.10008.1.2.5"


def mask_bits(ds):
    ba, bs = int(ds.BitsAllocated), int(ds.BitsStored)
    return bs if int(ds.PixelRepresentation) == 1 and bs < ba else ba


def dcmtk_hashes(path, bits):
    ds, _ = refdecode.dcmtk_decode("dcmdrle", path)
    if ds is None:
        return None
    return refdecode.frame_hashes(ds.pixel_array, refdecode.number_of_frames(ds), bits)


def entry(path):
    ds = pydicom.dcmread(path)
    frames = refdecode.number_of_frames(ds)
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
        "frame_sha256": refdecode.compressed_frame_hashes(ds),
    }
    try:
        config.pixel_data_handlers = [rle_handler]
        e["pixel_sha256"] = refdecode.frame_hashes(ds.pixel_array, frames, e["mask_bits"])
        e["reference"] = "pydicom %s rle_handler" % pydicom.__version__
        e["dcmtk_agrees"] = dcmtk_hashes(path, e["mask_bits"]) == e["pixel_sha256"]
    except Exception as ex:  # recorded, and reported by the Go test
        e["error"] = "%s: %s" % (type(ex).__name__, ex)
    return e


def main():
    if not os.path.isdir(DATA):
        sys.exit("%s is absent" % DATA)
    entries = [entry(p) for p in refdecode.shared_files({RLE})]
    refdecode.write_json(os.path.join(HERE, "expected.json"), entries, sort_keys=True)
    for e in entries:
        print("%-55s %s" % (e["name"], e.get("error") or
                            ("ok" if e.get("dcmtk_agrees") else "ok (dcmtk differs)")))


if __name__ == "__main__":
    main()
