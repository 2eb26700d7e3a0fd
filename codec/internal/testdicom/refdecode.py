"""Shared helpers of the codec packages' testdata/gen_expected.py scripts.

Each script writes testdata/expected.json for its package: reference
decodings of DICOM frames by decoders independent of the Go code (pydicom
with GDCM or its own handlers, dcmtk's command-line tools). This module
holds what they have in common:

  * where the shared test data is (../shared/data beside the repository)
    and which of its files have a given transfer syntax;
  * hashing decoded frames the way the Go tests hash codec.Image.Pix
    (package codectest's PixelHash): each sample as a little-endian uint32
    masked to a number of bits, frames hashed one by one;
  * running a decoder in a child process, so that GDCM, which aborts the
    whole process on some streams, costs one reference only;
  * decoding with a dcmtk tool into a temporary native file;
  * wrapping a raw codestream in a minimal Secondary Capture data set.

Import it from a script with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "..", "internal", "testdicom"))
    import refdecode

and run the scripts with Debian's /usr/bin/python3 (pydicom 2.3, numpy,
GDCM bindings).
"""

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom import config
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import generate_pixel_data_frame
import pydicom.pixel_data_handlers.numpy_handler as numpy_handler

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DATA = os.path.abspath(os.path.join(REPO, "..", "shared", "data"))

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


def use(handler):
    """Make handler pydicom's only pixel data handler."""
    config.pixel_data_handlers = [handler]


def read(path, **kwargs):
    """Read a DICOM file, a path relative to DATA unless absolute."""
    return pydicom.dcmread(path if os.path.isabs(path) else os.path.join(DATA, path), **kwargs)


def number_of_frames(ds):
    return int(getattr(ds, "NumberOfFrames", 1) or 1)


def shared_files(syntaxes):
    """The files of pydicom-data and pylibjpeg-data in DATA, sorted, whose
    transfer syntax is one of syntaxes."""
    paths = sorted(glob.glob(os.path.join(DATA, "pydicom-data", "*.dcm")) +
                   glob.glob(os.path.join(DATA, "pylibjpeg-data", "*", "*.dcm")))
    out = []
    for p in paths:
        try:
            ts = pydicom.dcmread(p, stop_before_pixels=True).file_meta.TransferSyntaxUID
        except Exception:
            continue
        if ts in syntaxes:
            out.append(p)
    return out


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def frame_hashes(arr, frames, bits=32):
    """SHA-256 of each frame of a decoded pixel array (any shape whose C
    order is frame by frame, row-major, samples interleaved per pixel):
    every sample as a little-endian uint32 holding its value masked to
    bits, which undoes pydicom's sign extension of signed samples."""
    flat = np.asarray(arr).astype(np.int64).reshape(frames, -1) & ((1 << int(bits)) - 1)
    return [sha256(f.astype("<u4").tobytes()) for f in flat]


def compressed_frame_hashes(ds):
    """SHA-256 of each compressed frame of encapsulated pixel data, as
    pydicom splits the fragments into frames."""
    return [sha256(f) for f in generate_pixel_data_frame(ds.PixelData, number_of_frames(ds))]


def run_child(script, *args, text=True, timeout=None):
    """Run script (normally the calling script itself, which handles args
    as a child's request) in a child process of this interpreter and
    return the CompletedProcess: a decoder that crashes kills the child
    only."""
    return subprocess.run([sys.executable, os.path.abspath(script)] + [str(a) for a in args],
                          capture_output=True, text=text, timeout=timeout)


def last_line(stderr, returncode):
    """The last non-blank line of a child's stderr, or its exit status."""
    lines = [l for l in stderr.strip().splitlines() if l.strip()]
    return lines[-1] if lines else "exit status %d" % returncode


def gdcm_errors(stderr, invalid_except=()):
    """GDCM's error lines on stderr: those that start with "Error:" or say
    "Invalid". Through pydicom, GDCM returns a buffer even when its codec
    reports an error there, so they count as failure. An "Invalid" line
    holding any of the strings in invalid_except is a warning, not an
    error."""
    return [l for l in stderr.splitlines()
            if l.startswith("Error:") or "Invalid" in l and not any(s in l for s in invalid_except)]


def dcmtk_decode(tool, path, *options):
    """Decompress path with a dcmtk tool (dcmdjpeg, dcmdjpls, dcmdrle)
    into a temporary native file, read back with pydicom's numpy handler.
    Returns (data set, None), or (None, why) when the tool is missing or
    fails."""
    exe = shutil.which(tool)
    if exe is None:
        return None, "%s (Debian dcmtk) is not installed" % tool
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "native.dcm")
        r = subprocess.run([exe] + list(options) + [path, out], capture_output=True, text=True)
        if r.returncode != 0:
            return None, "%s: %s" % (tool, (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1])
        use(numpy_handler)
        ds = pydicom.dcmread(out)
        ds.pixel_array  # decode while the file exists
        return ds, None


def sibling_hashes(ds, sibling):
    """Hash the pixel values of sibling, the uncompressed original of ds
    (as pydicom's numpy handler interprets them with the sibling's own Bits
    Stored and Pixel Representation), masked to ds's Bits Stored."""
    use(numpy_handler)
    sds = read(sibling, force=True)
    for attr in ("Rows", "Columns", "SamplesPerPixel", "NumberOfFrames"):
        if getattr(sds, attr, 1) != getattr(ds, attr, 1):
            raise SystemExit("%s differs from its sibling in %s" % (sibling, attr))
    return frame_hashes(sds.pixel_array, number_of_frames(sds), ds.BitsStored)


def referenced_entry(path, ds):
    """A new entry of the expected.json of packages charls and openjpeg
    (codectest.ReferencedFile in Go) for the shared file path, read as ds,
    without references yet."""
    return {
        "path": path,
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samples_per_pixel": int(ds.SamplesPerPixel),
        "bits_stored": int(ds.BitsStored),
        "frames": number_of_frames(ds),
        "references": [],
        "unavailable": [],
    }


def add_reference(entry, decoder, hashes, why):
    """Add decoder's hashes to a referenced entry, or why it has none."""
    if hashes is None:
        entry["unavailable"].append(why)
    else:
        entry["references"].append({"decoder": decoder, "sha256": hashes})


def add_sibling_reference(entry, ds, sibling):
    """Add the hashes of sibling, the uncompressed original, if any."""
    if sibling is not None:
        entry["references"].append({
            "decoder": "uncompressed original %s (pydicom numpy handler)" % sibling,
            "sha256": sibling_hashes(ds, sibling),
        })


def report_references(entry, width):
    """Print a referenced entry's path, its number of references, whether
    they disagree, and why any is missing."""
    agree = {tuple(r["sha256"]) for r in entry["references"]}
    print("%-*s %d reference(s)%s%s" % (
        width, entry["path"], len(entry["references"]),
        "" if len(agree) <= 1 else "  REFERENCES DISAGREE",
        "" if not entry["unavailable"] else "  (" + "; ".join(entry["unavailable"]) + ")"))


def write_referenced(path, entries):
    """Write the expected.json of packages charls and openjpeg."""
    write_json(path, {"generator": "testdata/gen_expected.py", "files": entries})


def secondary_capture(rows, cols, samples, bits_stored, photometric, pixel_data, ts, instance_uid,
                      bits_allocated=None):
    """A minimal Secondary Capture data set around pixel_data, encapsulated
    (undefined length) unless ts is Explicit VR Little Endian."""
    ds = Dataset()
    fm = FileMetaDataset()
    fm.TransferSyntaxUID = ts
    fm.MediaStorageSOPClassUID = SECONDARY_CAPTURE
    fm.MediaStorageSOPInstanceUID = instance_uid
    ds.file_meta = fm
    ds.SOPClassUID = fm.MediaStorageSOPClassUID
    ds.SOPInstanceUID = fm.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = bits_allocated or (8 if bits_stored <= 8 else 16)
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    ds.PixelData = pixel_data
    if ts != pydicom.uid.ExplicitVRLittleEndian:
        ds["PixelData"].is_undefined_length = True
    ds.is_little_endian, ds.is_implicit_VR = True, False
    return ds


def frame_header(stream, sof_markers):
    """(marker, precision, rows, columns, component ids) of the first frame
    header (ITU-T T.81 B.2.2) among sof_markers in a JPEG codestream,
    walking its marker segments (B.1.1.4) and skipping fill bytes."""
    p = 2
    while p + 4 <= len(stream):
        m = stream[p + 1]
        if stream[p] != 0xFF or m == 0xFF:
            p += 1
            continue
        n = int.from_bytes(stream[p + 2:p + 4], "big")
        if m in sof_markers:
            s = stream[p + 4:p + 2 + n]
            ids = [s[6 + 3 * i] for i in range(s[5])]
            return m, s[0], int.from_bytes(s[1:3], "big"), int.from_bytes(s[3:5], "big"), ids
        p += 2 + n
    raise ValueError("no frame header among markers %s" % ", ".join("%02X" % m for m in sof_markers))


def write_json(path, doc, sort_keys=False):
    """Write doc as expected.json does: indent 1, a final newline."""
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=sort_keys)
        f.write("\n")
