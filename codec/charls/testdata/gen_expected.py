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

import json
import os
import sys

import pydicom

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal", "testdicom"))
import refdecode  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = refdecode.DATA

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


def gdcm_child(path, bits_stored):
    """Runs in a child process: decode with pydicom + GDCM, print the hashes."""
    from pydicom.pixel_data_handlers import gdcm_handler

    refdecode.use(gdcm_handler)
    ds = refdecode.read(path, force=True)
    print(json.dumps(refdecode.frame_hashes(ds.pixel_array, refdecode.number_of_frames(ds), bits_stored)))


def gdcm_reference(path, bits_stored):
    proc = refdecode.run_child(__file__, "--gdcm-child", path, bits_stored, timeout=600)
    if proc.returncode != 0:
        return None, "gdcm: " + refdecode.last_line(proc.stderr, proc.returncode)
    return json.loads(proc.stdout.strip().splitlines()[-1]), None


def dcmtk_reference(path, bits_stored):
    ds, why = refdecode.dcmtk_decode("dcmdjpls", os.path.join(DATA, path))
    if ds is None:
        return None, why
    return refdecode.frame_hashes(ds.pixel_array, refdecode.number_of_frames(ds), bits_stored), None


def main():
    import gdcm

    entries = []
    for path, sibling in FILES.items():
        ds = refdecode.read(path, force=True)
        entry = refdecode.referenced_entry(path, ds)
        bits = entry["bits_stored"]
        refdecode.add_reference(entry, "pydicom %s + GDCM %s" % (pydicom.__version__, gdcm.Version.GetVersion()),
                                *gdcm_reference(path, bits))
        refdecode.add_reference(entry, "DCMTK dcmdjpls", *dcmtk_reference(path, bits))
        refdecode.add_sibling_reference(entry, ds, sibling)
        refdecode.report_references(entry, 55)
        entries.append(entry)
    refdecode.write_referenced(os.path.join(HERE, "expected.json"), entries)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--gdcm-child":
        gdcm_child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
