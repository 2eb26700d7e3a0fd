#!/usr/bin/python3
"""Regenerate testdata/expected.json and testdata/reference/ for package jpeg.

Run from anywhere with Debian's interpreter (it has pydicom 2.3, numpy and
the GDCM bindings; dcmtk's dcmdjpeg must be on PATH):

    /usr/bin/python3 codec/jpeg/testdata/gen_expected.py

For every JPEG Baseline or Extended file (transfer syntax
1.2.840.10008.1.2.4.50 or .51) under ../shared/data/pydicom-data and
../shared/data/pylibjpeg-data beside the repository, and for every
synthetic codestream in testdata/synth/ (written by the Go test encoder:
go test ./codec/jpeg -run TestWriteVectors -args -write-vectors), it
records two reference decodes of each frame:

  gdcm   pydicom's pixel_array with only the GDCM handler enabled. GDCM
         (gdcmJPEGBitsCodec) never converts colour: it tells libjpeg to
         leave YCbCr components alone for YBR_FULL and YBR_FULL_422, and
         also when the codestream looks YCbCr but the header says RGB.
  dcmtk  dcmdjpeg with its default colour handling (+cp: convert YCbCr to
         RGB when the Photometric Interpretation is YBR_*), read back with
         pydicom's numpy handler; "dcmtk_raw_agrees" records whether
         dcmdjpeg +cn (never convert) gives GDCM's samples.

Lossy decoders may legitimately differ by one level, so a hash alone is
too strict and full decoded arrays are too large for the repository (over
5 MB compressed). Each reference therefore holds, per frame:

  pixel_sha256   SHA-256 of all samples as little-endian uint32, interleaved
                 per pixel (what the Go test computes from codec.Image.Pix);
                 equal hashes prove a bit-exact decode;
  min, max, mean over all samples;
  a strided sample: every k-th sample of the interleaved frame, k = 1 for
                 frames of at most 8192 samples (most synthetic vectors),
                 otherwise the smallest prime >= max(7, samples/4096), so
                 that the sampled positions cycle through all columns,
                 block phases and components. The values are stored in
                 testdata/reference.npz (numpy's zip of .npy arrays, uint16,
                 one row per frame, named by the entry's "samples" key); the
                 Go test takes max |difference| over them. The dcmtk sample
                 is stored only when its hash differs from GDCM's.

A file a reference decoder cannot decode is kept with its "gdcm_error" or
"dcmtk_error" so the Go test reports it rather than silently dropping it
(GDCM refuses four-component frames; dcmtk decodes them).
"""

import glob
import io
import os
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import encapsulate
import pydicom.pixel_data_handlers.gdcm_handler as gdcm_handler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal", "testdicom"))
import refdecode  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = refdecode.DATA
SYNTH = os.path.join(HERE, "synth")
REFERENCE = os.path.join(HERE, "reference.npz")
SAMPLES = {}  # key -> strided sample array, written to REFERENCE
BASELINE, EXTENDED = "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"
SOF0, SOF1 = 0xC0, 0xC1
FULL_FRAME = 8192    # frames up to this many samples are stored whole
TARGET = 4096        # about this many sampled values per larger frame


def stride_for(n):
    if n <= FULL_FRAME:
        return 1
    k = max(7, -(-n // TARGET))
    while any(k % d == 0 for d in range(2, int(k ** 0.5) + 1)):
        k += 1
    return k


def frames_of(ds):
    """Decoded frames as int64 arrays, flattened in interleaved order."""
    return ds.pixel_array.astype(np.int64).reshape(refdecode.number_of_frames(ds), -1)


def summary(frames):
    out = {"pixel_sha256": refdecode.frame_hashes(frames, len(frames)), "min": [], "max": [], "mean": []}
    for f in frames:
        out["min"].append(int(f.min()))
        out["max"].append(int(f.max()))
        out["mean"].append(float(f.mean()))
    return out


def save_sample(frames, key):
    """Keep every k-th sample of each frame for REFERENCE; return (k, key)."""
    k = stride_for(frames.shape[1])
    SAMPLES[key] = np.ascontiguousarray(frames[:, ::k].astype("<u2"))
    return k, key


def dcmtk_frames(path, option):
    ds, _ = refdecode.dcmtk_decode("dcmdjpeg", path, option)
    if ds is None:
        return None, None
    return frames_of(ds), str(ds.PhotometricInterpretation)


def reference(path, stem):
    """GDCM and dcmtk references of a DICOM file. A decoder that fails
    leaves its "error" instead of its reference."""
    out = {}
    r = refdecode.run_child(__file__, "--gdcm", path, text=False)
    # libjpeg's warning "Invalid SOS parameters for sequential JPEG" is no error.
    errors = refdecode.gdcm_errors(r.stderr.decode(errors="replace"), invalid_except=("SOS",))
    gdcm = None
    if r.returncode != 0 or errors:
        lines = errors or r.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["exit status %d" % r.returncode]
        out["gdcm_error"] = "GDCM: " + "; ".join(lines[:2])
    else:
        gdcm = np.load(io.BytesIO(r.stdout))
        out["gdcm"] = summary(gdcm)
        out["gdcm"]["version"] = gdcm_handler.gdcm.Version.GetVersion()
        out["gdcm"]["sample_stride"], out["gdcm"]["samples"] = save_sample(gdcm, stem + ".gdcm")
    raw, _ = dcmtk_frames(path, "+cn")
    out["dcmtk_raw_agrees"] = raw is not None and gdcm is not None and np.array_equal(raw, gdcm)
    conv, pi = dcmtk_frames(path, "+cp")
    if conv is None:
        out["dcmtk_error"] = "dcmdjpeg failed"
    else:
        out["dcmtk"] = summary(conv)
        out["dcmtk"]["photometric"] = pi
        if gdcm is None or not np.array_equal(conv, gdcm):
            out["dcmtk"]["sample_stride"], out["dcmtk"]["samples"] = save_sample(conv, stem + ".dcmtk")
    return out


def gdcm_child(path):
    """Child process: decode with GDCM, write the frames as .npy to stdout."""
    refdecode.use(gdcm_handler)
    ds = pydicom.dcmread(path)
    buf = io.BytesIO()
    np.save(buf, frames_of(ds))
    sys.stdout.buffer.write(buf.getvalue())


def stem_of(name):
    return name.replace("/", "__").replace("+", "p").rsplit(".", 1)[0]


def new_entry(name, where, ds, frame_sha256):
    """An expected.json entry for the file or codestream name, in "shared"
    or "testdata", read or wrapped as ds, without its references yet."""
    return {
        "name": name,
        "in": where,
        "frames": refdecode.number_of_frames(ds),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samples_per_pixel": int(ds.SamplesPerPixel),
        "bits_stored": int(ds.BitsStored),
        "photometric": str(ds.PhotometricInterpretation),
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "frame_sha256": frame_sha256,
    }


def real_entry(path):
    ds = pydicom.dcmread(path)
    name = os.path.relpath(path, DATA)
    entry = new_entry(name, "shared", ds, refdecode.compressed_frame_hashes(ds))
    entry.update(reference(path, stem_of(name)))
    return entry


def synth_photometric(ids):
    if len(ids) == 1:
        return "MONOCHROME2"
    if len(ids) == 4:
        return "CMYK"
    return "RGB" if ids == [82, 71, 66] else "YBR_FULL"


def wrap(stream, out):
    """Save a codestream as a minimal Secondary Capture file."""
    marker, precision, rows, cols, ids = refdecode.frame_header(stream, (SOF0, SOF1))
    ts = BASELINE if marker == SOF0 and precision == 8 else EXTENDED
    ds = refdecode.secondary_capture(rows, cols, len(ids), precision, synth_photometric(ids),
                                     encapsulate([stream]), ts, "1.2.826.0.1.3680043.8.498.2",
                                     bits_allocated=8 if precision == 8 else 16)
    ds.save_as(out, write_like_original=False)
    return ds


def synth_entry(path):
    stream = open(path, "rb").read()
    name = os.path.relpath(path, HERE)
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "w.dcm")
        entry = new_entry(name, "testdata", wrap(stream, f), [refdecode.sha256(stream)])
        entry.update(reference(f, stem_of(name)))
    return entry


def main():
    entries = []
    if os.path.isdir(DATA):
        entries += [real_entry(p) for p in refdecode.shared_files((BASELINE, EXTENDED))]
    else:
        print("warning: %s absent; only synthetic vectors" % DATA, file=sys.stderr)
    for p in sorted(glob.glob(os.path.join(SYNTH, "*.jpg"))):
        entries.append(synth_entry(p))
    np.savez_compressed(REFERENCE, **SAMPLES)
    refdecode.write_json(os.path.join(HERE, "expected.json"), entries, sort_keys=True)
    for e in entries:
        if "gdcm" not in e:
            status = e["gdcm_error"]
        else:
            status = "dcmtk +cn %s GDCM" % ("=" if e["dcmtk_raw_agrees"] else "!=")
        d = e.get("dcmtk")
        if d is None:
            status += "; " + e["dcmtk_error"]
        else:
            status += "; dcmtk default gives %s, %s" % (d["photometric"],
                "= GDCM" if "gdcm" in e and d["pixel_sha256"] == e["gdcm"]["pixel_sha256"] else "converted or differs")
        print("%-58s %-12s %s" % (e["name"], e["photometric"], status))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--gdcm":
        gdcm_child(sys.argv[2])
    else:
        main()
