#!/usr/bin/python3
"""Generate dicomio/testdata/conformance.json: what pydicom decodes from every
DICOM file under ../shared/data, the reference the Go conformance test checks.

Run from the repository root:  /usr/bin/python3 dicomio/testdata/gen_conformance.py
Needs Debian's python3-pydicom, python3-numpy and (for compressed syntaxes)
python3-gdcm.

For each file and frame it records the SHA-256 of the stored values (as
little-endian int64, or float64 for float pixel data) and, for the first
frame, modality values (pydicom's apply_modality_lut) at 64 fixed positions.

pydicom 2.3 returns native samples without applying Bits Stored / High Bit
(PS3.5 section 8.1.1): where that leaves bits outside Bits Stored set, we apply the
standard's rule (shift down by High Bit + 1 - Bits Stored, mask, sign-extend
when Pixel Representation is 1) and say so in the entry ("masked": true).

pydicom 2.3 also reads native Pixel Data of VR OW in Explicit VR Big Endian
with Bits Allocated 1, 8 or 32 as if each pixel were in big-endian order. OW is
a stream of 16-bit words (PS3.5 sections 7.3 and 8.1.1), which dcmtk, GDCM
and pydicom 2.4 and later (pydicom pull request 1687) swap word by word
(for Bits Allocated 1 as well; no shared file has that yet):
there the reference swaps the words of the stored bytes and unpacks them
little-endian, and says so in the entry ("ow_words": true).
"""
import hashlib
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

warnings.simplefilter("ignore")
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
OUT = os.path.join(os.path.dirname(__file__), "conformance.json")
NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2"}


def pixel_module(ds):
    """The header's Image Pixel attributes. Read them before pixel_array:
    pydicom's handlers may rewrite them to match the codestream."""
    bits_alloc = int(ds.BitsAllocated)
    bits_stored = int(getattr(ds, "BitsStored", bits_alloc))
    return {
        "bits_alloc": bits_alloc,
        "bits_stored": bits_stored,
        "high_bit": int(getattr(ds, "HighBit", bits_stored - 1)),
        "signed": int(getattr(ds, "PixelRepresentation", 0)) == 1,
    }


def canonical(arr, pm, compressed):
    """Stored values with Bits Stored applied, and whether that changed them."""
    if arr.dtype.kind == "f":
        return arr.astype("<f8"), False
    bits_alloc, bits_stored = pm["bits_alloc"], pm["bits_stored"]
    high_bit, signed = pm["high_bit"], pm["signed"]
    raw = arr.astype(np.int64)
    if bits_alloc == 1:
        return raw, False
    shift = 0 if compressed else high_bit + 1 - bits_stored
    mask = (1 << bits_stored) - 1
    # Two's complement bit pattern of the value as the decoder delivered it.
    patterns = (raw & ((1 << max(bits_alloc, bits_stored, 32)) - 1)) >> shift & mask
    if signed:
        patterns = np.where(patterns >= (1 << (bits_stored - 1)), patterns - (1 << bits_stored), patterns)
    return patterns, bool(np.any(patterns != raw))


def frame_transform(ds):
    """Rescale of frame 1 from the functional groups, per frame first."""
    for seq in ("PerFrameFunctionalGroupsSequence", "SharedFunctionalGroupsSequence"):
        items = getattr(ds, seq, None)
        if items and "PixelValueTransformationSequence" in items[0]:
            pvt = items[0].PixelValueTransformationSequence[0]
            return float(getattr(pvt, "RescaleSlope", 1)), float(getattr(pvt, "RescaleIntercept", 0))
    return None


def ow_words(ds, pm, ts, shape):
    """Stored values of big-endian OW pixel data read as 16-bit words, or None
    where pydicom 2.3's own reading is right (see the module comment)."""
    elem = ds["PixelData"] if "PixelData" in ds else None
    if (ts != "1.2.840.10008.1.2.2" or elem is None or elem.VR != "OW" or pm["bits_alloc"] not in (1, 8, 32)
            or str(ds.PhotometricInterpretation).endswith("_422")):
        return None
    words = np.frombuffer(ds.PixelData, "u1")
    words = words[: words.size // 2 * 2].reshape(-1, 2)[:, ::-1].ravel()
    if pm["bits_alloc"] == 1:
        values = np.unpackbits(words, bitorder="little")
    else:
        values = np.frombuffer(words.tobytes(), "<u1" if pm["bits_alloc"] == 8 else "<u4")
    frames, rows, cols, spp = shape
    values = values[: frames * rows * cols * spp]
    if spp > 1 and int(getattr(ds, "PlanarConfiguration", 0)) == 1:
        return values.reshape(frames, spp, rows, cols).transpose(0, 2, 3, 1)
    return values.reshape((frames, rows, cols, spp) if spp > 1 else (frames, rows, cols))


def sha(arr):
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def describe(path):
    rel = os.path.relpath(path, ROOT)
    forced = False
    try:
        ds = pydicom.dcmread(path)
    except pydicom.errors.InvalidDicomError:
        # No preamble / DICM prefix: pydicom reads it with force=True, as we
        # do (a File Meta group without preamble, or a bare dataset).
        try:
            ds, forced = pydicom.dcmread(path, force=True), True
        except Exception as exc:
            return {"path": rel, "status": "unreadable", "reason": f"{type(exc).__name__}: {exc}"[:200]}
    except Exception as exc:  # not DICOM, or unreadable: the Go side must agree it fails
        return {"path": rel, "status": "unreadable", "reason": f"{type(exc).__name__}: {exc}"[:200]}
    if "TransferSyntaxUID" not in getattr(ds, "file_meta", {}):
        if not hasattr(ds, "file_meta"):
            ds.file_meta = pydicom.dataset.FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = (pydicom.uid.ImplicitVRLittleEndian if ds.is_implicit_VR
                                          else pydicom.uid.ExplicitVRLittleEndian if ds.is_little_endian
                                          else pydicom.uid.ExplicitVRBigEndian)
    ts = str(ds.file_meta.TransferSyntaxUID)
    entry = {"path": rel, "transfer_syntax": ts}
    if forced:
        entry["forced"] = True
    if not any(k in ds for k in ("PixelData", "FloatPixelData", "DoubleFloatPixelData")):
        entry.update(status="no_pixels")
        return entry
    pm = pixel_module(ds)
    try:
        arr = ds.pixel_array
    except Exception as exc:
        entry.update(status="error", reason=f"{type(exc).__name__}: {exc}"[:200])
        return entry
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    spp = int(getattr(ds, "SamplesPerPixel", 1))
    rows, cols = int(ds.Rows), int(ds.Columns)
    arr = arr.reshape((frames, rows, cols, spp) if spp > 1 else (frames, rows, cols))
    swapped = ow_words(ds, pm, ts, (frames, rows, cols, spp))
    if swapped is not None:
        arr = swapped
        entry["ow_words"] = True
    compressed = ts not in NATIVE
    stored, masked = canonical(arr, pm, compressed)
    entry.update(
        status="ok",
        frames=frames, rows=rows, cols=cols, samples=spp,
        photometric=str(ds.PhotometricInterpretation),
        masked=masked,
        stored_sha256=[sha(stored[i]) for i in range(frames)],
    )
    if spp == 1 and "PixelData" in ds:
        first = stored[0].astype(np.int64)
        if not pm["signed"]:
            first = first.astype(np.uint32 if ds.BitsAllocated > 16 else np.uint16 if ds.BitsAllocated > 8 else np.uint8)
        else:
            first = first.astype(np.int32 if ds.BitsAllocated > 16 else np.int16 if ds.BitsAllocated > 8 else np.int8)
        transform = frame_transform(ds)
        if transform is not None:
            # Enhanced multi-frame: the Pixel Value Transformation functional
            # group (PS3.3 C.7.6.16.2.9) holds the rescale, which pydicom
            # 2.3's apply_modality_lut does not read.
            slope, intercept = transform
            modality = (first.astype(np.float64) * slope + intercept).ravel()
            entry["modality_from"] = "functional groups"
        else:
            modality = apply_modality_lut(first, ds).astype(np.float64).ravel()
        idx = np.linspace(0, modality.size - 1, 64).astype(np.int64)
        entry["modality_samples"] = [[int(i), float(modality[i])] for i in idx]
    return entry


def describe_isolated(path):
    """Run describe in a child: GDCM aborts the process on some files."""
    proc = subprocess.run([sys.executable, __file__, "--one", path], capture_output=True, text=True, timeout=300)
    rel = os.path.relpath(path, ROOT)
    if proc.returncode != 0:
        return {"path": rel, "status": "error", "reason": f"reference decoder crashed (exit {proc.returncode})"}
    entry = json.loads(proc.stdout)
    if entry.get("status") == "ok" and "opj_decode failed" in proc.stderr:
        # GDCM reported a failed JPEG 2000 decode, yet pydicom handed back an
        # array (from a fallback handler or GDCM's zeroed buffer): that array
        # is not a reference.
        return {"path": rel, "transfer_syntax": entry["transfer_syntax"], "status": "error",
                "reason": "GDCM reports opj_decode failed; the array pydicom returns is not a decode"}
    return entry


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(describe(sys.argv[2])))
        return
    if not os.path.isdir(ROOT):
        sys.exit(f"no test data at {ROOT}")
    entries = []
    for dirpath, _, names in sorted(os.walk(ROOT)):
        for name in sorted(names):
            if name.endswith((".md", ".txt", ".csv", ".gz", ".nii")) or name == "LICENSE":
                continue
            entries.append(describe_isolated(os.path.join(dirpath, name)))
    doc = {
        "generator": "dicomio/testdata/gen_conformance.py",
        "pydicom": pydicom.__version__,
        "numpy": np.__version__,
        "files": entries,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    counts = {}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    print(f"wrote {OUT}: {counts}")


if __name__ == "__main__":
    main()
