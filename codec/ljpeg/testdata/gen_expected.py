#!/usr/bin/python3
"""Regenerate testdata/expected.json for package ljpeg from reference decoders.

Run from anywhere with Debian's interpreter (it has pydicom, numpy and the
GDCM bindings; dcmtk's dcmcjpeg/dcmdjpeg must be on PATH):

    /usr/bin/python3 codec/ljpeg/testdata/gen_expected.py

It writes, for every JPEG Lossless file (transfer syntax 1.2.840.10008.1.2.4.57
or .70) found in ../shared/data beside the repository, and for every synthetic
codestream in testdata/synth/, the SHA-256 of each decoded frame. The hash
covers the samples as little-endian uint32 bit patterns masked to Bits Stored
(pydicom sign-extends signed data; the mask undoes that), which is what the Go
test computes from codec.Image.Pix. GDCM (through pydicom's gdcm handler) is
the reference; dcmtk's dcmdjpeg decodes the same files as a second opinion,
recorded as "dcmtk_agrees". A file the reference cannot decode is kept with
its "error" so the Go test reports it rather than silently dropping it.

Synthetic codestreams:
  synth/dcmtk_*.jpg  are regenerated here: deterministic numpy images encoded
                     by dcmcjpeg (IJG lossless) with each selection value and
                     point transforms; the script also checks the GDCM decode
                     equals the source image (shifted right then left by Pt).
  synth/go_*.jpg     are written by the Go test encoder
                     (go test ./codec/ljpeg -run TestWriteVectors -args -write-vectors)
                     to cover restart intervals, multi-scan files, fill bytes
                     and precisions dcmcjpeg cannot write; here they only get
                     their GDCM hashes.
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian
import pydicom.pixel_data_handlers.gdcm_handler as gdcm_handler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal", "testdicom"))
import refdecode  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = refdecode.DATA
SYNTH = os.path.join(HERE, "synth")
LOSSLESS = ("1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70")
SOF3 = 0xC3


def pixel_hashes(ds):
    """Per-frame SHA-256 of the pixel data as masked uint32 bit patterns."""
    return refdecode.frame_hashes(ds.pixel_array, refdecode.number_of_frames(ds), ds.BitsStored)


def dcmtk_hashes(path):
    """Decode with dcmdjpeg and hash the native result the same way."""
    ds, _ = refdecode.dcmtk_decode("dcmdjpeg", path)
    return None if ds is None else pixel_hashes(ds)


def real_entry(path):
    ds = pydicom.dcmread(path)
    entry = {
        "name": os.path.relpath(path, DATA),
        "in": "shared",
        "frames": refdecode.number_of_frames(ds),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samples": int(ds.SamplesPerPixel),
        "bits_stored": int(ds.BitsStored),
        "pixel_representation": int(ds.PixelRepresentation),
        "frame_sha256": refdecode.compressed_frame_hashes(ds),
    }
    entry.update(reference_hashes(path))
    return entry


def dataset(rows, cols, bits_stored, samples, pixel_data, ts):
    """A minimal Secondary Capture data set around pixel_data."""
    return refdecode.secondary_capture(rows, cols, samples, bits_stored,
                                       "RGB" if samples == 3 else "MONOCHROME2",
                                       pixel_data, ts, "1.2.826.0.1.3680043.8.498.1")


def sof3(stream):
    """(precision, rows, columns, components) from a codestream's SOF3."""
    _, precision, rows, cols, ids = refdecode.frame_header(stream, (SOF3,))
    return precision, rows, cols, len(ids)


def synth_entry(path):
    """The entry of a raw codestream, which GDCM decodes wrapped in a data set."""
    stream = open(path, "rb").read()
    precision, rows, cols, comps = sof3(stream)
    entry = {
        "name": os.path.relpath(path, HERE),
        "in": "testdata",
        "frames": 1,
        "rows": rows,
        "columns": cols,
        "samples": comps,
        "bits_stored": 8 if precision <= 8 else 16,
        "pixel_representation": 0,
        "frame_sha256": [refdecode.sha256(stream)],
    }
    entry.update(reference_hashes(path))
    return entry


def reference_hashes(path):
    """GDCM's per-frame hashes of a DICOM file or raw codestream, and
    whether dcmtk agrees; {"error": ...} when GDCM fails.

    GDCM aborts the whole process on some streams and, through pydicom,
    returns a buffer even when its codec reports an error on stderr; so the
    decode runs in a child process (this script with --gdcm-hash) and any
    GDCM "Error:" line counts as failure."""
    r = refdecode.run_child(__file__, "--gdcm-hash", path)
    errors = refdecode.gdcm_errors(r.stderr)
    if r.returncode != 0 or errors:
        lines = errors or r.stderr.strip().splitlines()[-1:] or ["exit status %d" % r.returncode]
        return {"error": "GDCM: " + "; ".join(lines[:2])}
    return json.loads(r.stdout)


def gdcm_hash(path):
    """Child process of reference_hashes: print the GDCM (and dcmtk) hashes."""
    with tempfile.TemporaryDirectory() as tmp:
        if not path.endswith(".jpg"):
            f = path
        else:
            stream = open(path, "rb").read()
            precision, rows, cols, comps = sof3(stream)
            # Bits Stored equal to Bits Allocated: GDCM asserts on anything
            # else when it decodes by streams; the samples fit either way.
            f = os.path.join(tmp, "w.dcm")
            dataset(rows, cols, 8 if precision <= 8 else 16, comps,
                    encapsulate([stream]), LOSSLESS[0]).save_as(f, write_like_original=False)
        refdecode.use(gdcm_handler)
        out = {"pixel_sha256": pixel_hashes(pydicom.dcmread(f)),
               "reference": "gdcm " + gdcm_handler.gdcm.Version.GetVersion()}
        out["dcmtk_agrees"] = dcmtk_hashes(f) == out["pixel_sha256"]
    print(json.dumps(out))


def synthetic_image(rng, rows, cols, bits, samples):
    """Smooth ramps plus noise and hard edges, covering the full range."""
    y, x = np.mgrid[0:rows, 0:cols]
    top = (1 << bits) - 1
    planes = []
    for c in range(samples):
        ramp = (x * 37 + y * 11 + c * 1000) % (top + 1)
        noise = rng.integers(-3, 4, size=(rows, cols))
        img = np.clip(ramp + noise, 0, top)
        img[rows // 3, :] = top          # full-scale edges: large differences
        img[:, cols // 2] = 0
        img[1::5, 2::7] = rng.integers(0, top + 1, size=img[1::5, 2::7].shape)
        planes.append(img)
    arr = np.stack(planes, axis=-1) if samples > 1 else planes[0]
    return arr.astype(np.int64)


def make_dcmtk_vectors():
    """Encode synthetic images with dcmcjpeg, one file per case."""
    rng = np.random.default_rng(20240614)
    cases = []
    for sv in range(1, 8):
        cases.append(("sv%d_8bit" % sv, 8, 1, sv, 0))
        cases.append(("sv%d_16bit" % sv, 16, 1, sv, 0))
    cases += [
        ("sv1_8bit_pt3", 8, 1, 1, 3),
        ("sv6_16bit_pt2", 16, 1, 6, 2),
        ("sv7_12bit_pt1", 12, 1, 7, 1),
        ("sv1_rgb", 8, 3, 1, 0),
        ("sv5_rgb", 8, 3, 5, 0),
        ("sv4_12bit", 12, 1, 4, 0),
    ]
    for f in glob.glob(os.path.join(SYNTH, "dcmtk_*.jpg")):
        os.remove(f)
    with tempfile.TemporaryDirectory() as tmp:
        for name, bits, samples, sv, pt in cases:
            arr = synthetic_image(rng, 23, 37, bits, samples)
            src, enc = os.path.join(tmp, "src.dcm"), os.path.join(tmp, "enc.dcm")
            raw = arr.astype(np.uint8 if bits <= 8 else "<u2").tobytes()
            dataset(arr.shape[0], arr.shape[1], bits, samples, raw, ExplicitVRLittleEndian).save_as(
                src, write_like_original=False)
            subprocess.run(["dcmcjpeg", "+el", "+sv", str(sv), "+pt", str(pt), src, enc],
                           check=True, capture_output=True)
            ds = pydicom.dcmread(enc)
            stream = next(generate_pixel_data_frame(ds.PixelData, 1))
            out = os.path.join(SYNTH, "dcmtk_%s.jpg" % name)
            with open(out, "wb") as fh:
                fh.write(stream)
            # The reference decode must reproduce the source (T.81 Annex H:
            # samples lose their Pt low bits).
            refdecode.use(gdcm_handler)
            decoded = ds.pixel_array.astype(np.int64)
            want = (arr >> pt) << pt
            if not np.array_equal(decoded.reshape(want.shape), want):
                sys.exit("GDCM decode of %s differs from its source image" % out)


def main():
    os.makedirs(SYNTH, exist_ok=True)
    make_dcmtk_vectors()
    entries = []
    if os.path.isdir(DATA):
        entries += [real_entry(p) for p in refdecode.shared_files(LOSSLESS)]
    else:
        print("warning: %s absent; only synthetic vectors" % DATA, file=sys.stderr)
    for p in sorted(glob.glob(os.path.join(SYNTH, "*.jpg"))):
        entries.append(synth_entry(p))
    refdecode.write_json(os.path.join(HERE, "expected.json"), entries, sort_keys=True)
    for e in entries:
        print("%-60s %s" % (e["name"], e.get("error") or
                            ("ok" if e.get("dcmtk_agrees") else "ok (dcmtk differs)")))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--gdcm-hash":
        gdcm_hash(sys.argv[2])
    else:
        main()
