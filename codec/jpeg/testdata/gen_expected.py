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
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom import config
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, generate_pixel_data_frame
import pydicom.pixel_data_handlers.gdcm_handler as gdcm_handler
import pydicom.pixel_data_handlers.numpy_handler as numpy_handler

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.abspath(os.path.join(REPO, "..", "shared", "data"))
SYNTH = os.path.join(HERE, "synth")
REFERENCE = os.path.join(HERE, "reference.npz")
SAMPLES = {}  # key -> strided sample array, written to REFERENCE
BASELINE, EXTENDED = "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"
FULL_FRAME = 8192    # frames up to this many samples are stored whole
TARGET = 4096        # about this many sampled values per larger frame


def use(handler):
    config.pixel_data_handlers = [handler]


def stride_for(n):
    if n <= FULL_FRAME:
        return 1
    k = max(7, -(-n // TARGET))
    while any(k % d == 0 for d in range(2, int(k ** 0.5) + 1)):
        k += 1
    return k


def frames_of(ds):
    """Decoded frames as int64 arrays, flattened in interleaved order."""
    arr = ds.pixel_array.astype(np.int64)
    nframes = int(getattr(ds, "NumberOfFrames", 1) or 1)
    return arr.reshape(nframes, -1)


def summary(frames):
    out = {"pixel_sha256": [], "min": [], "max": [], "mean": []}
    for f in frames:
        out["pixel_sha256"].append(hashlib.sha256(f.astype("<u4").tobytes()).hexdigest())
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
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.dcm")
        r = subprocess.run(["dcmdjpeg", option, path, out], capture_output=True, text=True)
        if r.returncode != 0:
            return None, None
        use(numpy_handler)
        ds = pydicom.dcmread(out)
        return frames_of(ds), str(ds.PhotometricInterpretation)


def reference(path, stem):
    """GDCM and dcmtk references of a DICOM file. A decoder that fails
    leaves its "error" instead of its reference."""
    out = {}
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--gdcm", path],
                       capture_output=True)
    errors = [l for l in r.stderr.decode(errors="replace").splitlines()
              if l.startswith("Error:") or "Invalid" in l and "SOS" not in l]
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
    use(gdcm_handler)
    ds = pydicom.dcmread(path)
    buf = io.BytesIO()
    np.save(buf, frames_of(ds))
    sys.stdout.buffer.write(buf.getvalue())


def stem_of(name):
    return name.replace("/", "__").replace("+", "p").rsplit(".", 1)[0]


def real_entry(path):
    ds = pydicom.dcmread(path)
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    name = os.path.relpath(path, DATA)
    entry = {
        "name": name,
        "in": "shared",
        "frames": frames,
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samples_per_pixel": int(ds.SamplesPerPixel),
        "bits_stored": int(ds.BitsStored),
        "photometric": str(ds.PhotometricInterpretation),
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "frame_sha256": [hashlib.sha256(f).hexdigest()
                         for f in generate_pixel_data_frame(ds.PixelData, frames)],
    }
    entry.update(reference(path, stem_of(name)))
    return entry


def sof(stream):
    """(marker, precision, rows, columns, component ids) of a codestream."""
    p = 2
    while p + 4 <= len(stream):
        m = stream[p + 1]
        if stream[p] != 0xFF or m == 0xFF:
            p += 1
            continue
        n = int.from_bytes(stream[p + 2:p + 4], "big")
        if m in (0xC0, 0xC1):
            s = stream[p + 4:p + 2 + n]
            ids = [s[6 + 3 * i] for i in range(s[5])]
            return m, s[0], int.from_bytes(s[1:3], "big"), int.from_bytes(s[3:5], "big"), ids
        p += 2 + n
    raise ValueError("no SOF0/SOF1")


def synth_photometric(ids):
    if len(ids) == 1:
        return "MONOCHROME2"
    if len(ids) == 4:
        return "CMYK"
    return "RGB" if ids == [82, 71, 66] else "YBR_FULL"


def wrap(stream, out):
    """Save a codestream as a minimal Secondary Capture file."""
    marker, precision, rows, cols, ids = sof(stream)
    ts = BASELINE if marker == 0xC0 and precision == 8 else EXTENDED
    ds = Dataset()
    fm = FileMetaDataset()
    fm.TransferSyntaxUID = ts
    fm.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    fm.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.2"
    ds.file_meta = fm
    ds.SOPClassUID = fm.MediaStorageSOPClassUID
    ds.SOPInstanceUID = fm.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = len(ids)
    ds.PhotometricInterpretation = synth_photometric(ids)
    if len(ids) > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8 if precision == 8 else 16
    ds.BitsStored = precision
    ds.HighBit = precision - 1
    ds.PixelRepresentation = 0
    ds.PixelData = encapsulate([stream])
    ds["PixelData"].is_undefined_length = True
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(out, write_like_original=False)
    return ds


def synth_entry(path):
    stream = open(path, "rb").read()
    name = os.path.relpath(path, HERE)
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "w.dcm")
        ds = wrap(stream, f)
        entry = {
            "name": name,
            "in": "testdata",
            "frames": 1,
            "rows": int(ds.Rows),
            "columns": int(ds.Columns),
            "samples_per_pixel": int(ds.SamplesPerPixel),
            "bits_stored": int(ds.BitsStored),
            "photometric": str(ds.PhotometricInterpretation),
            "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
            "frame_sha256": [hashlib.sha256(stream).hexdigest()],
        }
        entry.update(reference(f, stem_of(name)))
    return entry


def main():
    entries = []
    if os.path.isdir(DATA):
        paths = sorted(glob.glob(os.path.join(DATA, "pydicom-data", "*.dcm")) +
                       glob.glob(os.path.join(DATA, "pylibjpeg-data", "*", "*.dcm")))
        for p in paths:
            try:
                ts = pydicom.dcmread(p, stop_before_pixels=True).file_meta.TransferSyntaxUID
            except Exception:
                continue
            if ts in (BASELINE, EXTENDED):
                entries.append(real_entry(p))
    else:
        print("warning: %s absent; only synthetic vectors" % DATA, file=sys.stderr)
    for p in sorted(glob.glob(os.path.join(SYNTH, "*.jpg"))):
        entries.append(synth_entry(p))
    np.savez_compressed(REFERENCE, **SAMPLES)
    with open(os.path.join(HERE, "expected.json"), "w") as fh:
        json.dump(entries, fh, indent=1, sort_keys=True)
        fh.write("\n")
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
