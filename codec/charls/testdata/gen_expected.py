#!/usr/bin/python3
"""Write testdata/expected.json: reference SHA-256 hashes of every JPEG-LS
frame that package charls's tests decode.

Run with Debian's interpreter, which has pydicom 2.3.1, numpy and GDCM:

    /usr/bin/python3 codec/charls/testdata/gen_expected.py

A hash covers one frame's samples, row-major with components interleaved
pixel by pixel, each written as a little-endian uint32 holding the sample's
value masked to Bits Stored (which undoes pydicom's signed interpretation,
so it is comparable with codec.Image.Pix masked the same way).

References, each independent of the Go code:
  * pydicom + GDCM (GDCM links the system libcharls, so this checks the Go
    wrapper rather than CharLS's arithmetic);
  * DCMTK's dcmdjpls, whose JPEG-LS codec is its own fork of early CharLS,
    its output read by pydicom's numpy handler;
  * the uncompressed sibling of a lossless file (the original pixels),
    where the data set ships one.
Decoders run in child processes so that a crash costs one reference only.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.abspath(os.path.join(REPO, "..", "shared", "data"))

PD = "pydicom-data/"
JLSN = "pylibjpeg-data/JPEGLS/"
JLSL = "pylibjpeg-data/JPEGLSLossless/"
LE = "pylibjpeg-data/LittleEndianExplicit/"

# File -> uncompressed sibling holding the same pixels (lossless only).
FILES = {
    PD + "JLSL_08_07_0_1F.dcm": None,
    PD + "JLSL_16_15_1_1F.dcm": None,
    PD + "JLSL_RGB_ILV0.dcm": None,
    PD + "JLSL_RGB_ILV1.dcm": None,
    PD + "JLSL_RGB_ILV2.dcm": None,
    PD + "JLSN_RGB_ILV0.dcm": None,
    PD + "emri_small_jpeg_ls_lossless.dcm": PD + "emri_small.dcm",
    JLSN + "CT1_JLSN.dcm": None,
    JLSN + "RG1_JLSN.dcm": None,
    JLSN + "RG2_JLSN.dcm": None,
    JLSL + "MR_small_jpeg_ls_lossless.dcm": LE + "MR_small.dcm",
    JLSL + "RG2_JLSL.dcm": None,
    JLSL + "emri_small_jpeg_ls_lossless.dcm": LE + "emri_small.dcm",
}


def read(path):
    return pydicom.dcmread(path if os.path.isabs(path) else os.path.join(DATA, path), force=True)


def frame_hashes(arr, ds, bits_stored):
    """Hash each frame of a pydicom pixel array as masked uint32 LE."""
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    mask = (1 << int(bits_stored)) - 1
    arr = np.asarray(arr)
    if frames == 1:
        arr = arr[np.newaxis, ...]
    out = []
    for frame in arr:
        raw = (frame.astype(np.int64) & mask).astype("<u4")
        out.append(hashlib.sha256(raw.tobytes()).hexdigest())
    return out


def child(kind, path, bits_stored):
    """Runs in a child process: decode one way, print the hashes."""
    if kind == "gdcm":
        from pydicom.pixel_data_handlers import gdcm_handler

        pydicom.config.pixel_data_handlers = [gdcm_handler]
        ds = read(path)
    else:  # a native file written by dcmdjpls
        from pydicom.pixel_data_handlers import numpy_handler

        pydicom.config.pixel_data_handlers = [numpy_handler]
        ds = read(path)
    print(json.dumps(frame_hashes(ds.pixel_array, ds, bits_stored)))


def run_child(kind, path, bits_stored):
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", kind, path, str(bits_stored)],
        capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
        why = lines[-1] if lines else "exit status %d" % proc.returncode
        return None, "%s: %s" % (kind, why)
    return json.loads(proc.stdout.strip().splitlines()[-1]), None


def dcmtk_reference(path, bits_stored):
    tool = shutil.which("dcmdjpls")
    if tool is None:
        return None, "dcmdjpls (Debian dcmtk) is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "native.dcm")
        proc = subprocess.run([tool, os.path.join(DATA, path), out], capture_output=True, text=True)
        if proc.returncode != 0:
            return None, "dcmdjpls: " + (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]
        return run_child("native", out, bits_stored)


def sibling_reference(ds, sibling):
    sds = read(sibling)
    for attr in ("Rows", "Columns", "SamplesPerPixel", "NumberOfFrames"):
        if getattr(sds, attr, 1) != getattr(ds, attr, 1):
            raise SystemExit("%s differs from its sibling in %s" % (sibling, attr))
    return frame_hashes(sds.pixel_array, sds, ds.BitsStored)


def main():
    import gdcm

    entries = []
    for path, sibling in FILES.items():
        ds = read(path)
        bits = int(ds.BitsStored)
        entry = {
            "path": path,
            "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
            "rows": int(ds.Rows),
            "columns": int(ds.Columns),
            "samples_per_pixel": int(ds.SamplesPerPixel),
            "bits_stored": bits,
            "frames": int(getattr(ds, "NumberOfFrames", 1) or 1),
            "references": [],
            "unavailable": [],
        }
        for decoder, (hashes, why) in (
            ("pydicom %s + GDCM %s" % (pydicom.__version__, gdcm.Version.GetVersion()), run_child("gdcm", path, bits)),
            ("DCMTK dcmdjpls", dcmtk_reference(path, bits)),
        ):
            if hashes is None:
                entry["unavailable"].append(why)
            else:
                entry["references"].append({"decoder": decoder, "sha256": hashes})
        if sibling is not None:
            entry["references"].append({
                "decoder": "uncompressed original %s (pydicom numpy handler)" % sibling,
                "sha256": sibling_reference(ds, sibling),
            })
        agree = {tuple(r["sha256"]) for r in entry["references"]}
        print("%-55s %d reference(s)%s%s" % (
            path, len(entry["references"]),
            "" if len(agree) <= 1 else "  REFERENCES DISAGREE",
            "" if not entry["unavailable"] else "  (" + "; ".join(entry["unavailable"]) + ")"))
        entries.append(entry)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"generator": "testdata/gen_expected.py", "files": entries}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
