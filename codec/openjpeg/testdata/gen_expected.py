#!/usr/bin/python3
"""Write testdata/expected.json: reference SHA-256 hashes of every JPEG 2000
and HTJ2K frame that package openjpeg's tests decode.

Run with Debian's interpreter, which has pydicom 2.3.1, numpy and GDCM:

    /usr/bin/python3 codec/openjpeg/testdata/gen_expected.py

A hash covers one frame's samples, row-major with components interleaved
pixel by pixel, each written as a little-endian uint32 holding the sample's
value masked to Bits Stored. Masking undoes pydicom's signed
interpretation; the Go test sign-extends a signed codestream sample from its
precision and masks it to Bits Stored the same way, so the two agree even
where the codestream precision differs from Bits Stored.

References, each independent of the Go code:
  * pydicom + GDCM (GDCM links the system libopenjp2, so this checks the Go
    wrapper rather than OpenJPEG's arithmetic);
  * the uncompressed sibling of a lossless file (the original pixels, read
    by pydicom's numpy handler), where the data set ships one;
  * ojph_expand (OpenJPH, Debian package openjph-tools) for HTJ2K, which
    pydicom 2.3.1 cannot decode; skipped when the tool is absent. For lossy
    HTJ2K it gives the largest difference from the lossless encoding of the
    same image instead of a hash (see LOSSY_NEAR).
GDCM runs in a child process because it crashes on some files.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import generate_pixel_data_frame

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal", "testdicom"))
import refdecode  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = refdecode.DATA

J2K = "pylibjpeg-data/JPEG2000/"
J2KR = "pylibjpeg-data/JPEG2000Lossless/"
PD = "pydicom-data/"
LE = "pylibjpeg-data/LittleEndianExplicit/"

# File -> uncompressed sibling holding the same pixels (lossless only).
FILES = {
    PD + "693_J2KR.dcm": PD + "693_UNCR.dcm",
    PD + "MR2_J2KI.dcm": None,
    PD + "MR2_J2KR.dcm": PD + "MR2_UNCR.dcm",
    PD + "RG1_J2KI.dcm": None,
    PD + "RG3_J2KI.dcm": None,
    PD + "RG3_J2KR.dcm": None,
    PD + "US1_J2KI.dcm": None,
    PD + "US1_J2KR.dcm": PD + "US1_UNCR.dcm",
    PD + "emri_small_jpeg_2k_lossless.dcm": PD + "emri_small.dcm",
    PD + "explicit_VR-UN.dcm": None,
    PD + "liver_j2k.dcm": PD + "liver.dcm",
    PD + "liver_nonbyte_aligned_j2k.dcm": PD + "liver_nonbyte_aligned.dcm",
    PD + "HTJ2KLossless_08_RGB.dcm": None,
    PD + "HTJ2K_08_RGB.dcm": None,
    J2K + "693_J2KI.dcm": None,
    J2K + "ELSCINT1_JP2vsJ2K.dcm": None,
    J2K + "JPEG2000.dcm": None,
    J2K + "MAROTECH_CT_JP2Lossy.dcm": None,
    J2K + "MR2_J2KI.dcm": None,
    J2K + "OsirixFake16BitsStoredFakeSpacing.dcm": None,
    J2K + "RG1_J2KI.dcm": None,
    J2K + "RG3_J2KI.dcm": None,
    J2K + "SC_rgb_gdcm_KY.dcm": None,
    J2K + "US1_J2KI.dcm": None,
    J2KR + "693_J2KR.dcm": PD + "693_UNCR.dcm",
    J2KR + "966.dcm": None,
    J2KR + "966_fixed.dcm": None,
    J2KR + "GDCMJ2K_TextGBR.dcm": None,
    J2KR + "J2K_pixelrep_mismatch.dcm": None,
    J2KR + "JPEG2KLossless_1s_1f_u_16_16.dcm": None,
    J2KR + "MR2_J2KR.dcm": PD + "MR2_UNCR.dcm",
    J2KR + "MR_small_jp2klossless.dcm": LE + "MR_small.dcm",
    J2KR + "NM_Kakadu44_SOTmarkerincons.dcm": None,
    J2KR + "RG3_J2KR.dcm": None,
    J2KR + "TOSHIBA_J2K_OpenJPEGv2Regression.dcm": None,
    J2KR + "TOSHIBA_J2K_SIZ0_PixRep1.dcm": None,
    J2KR + "TOSHIBA_J2K_SIZ1_PixRep0.dcm": None,
    J2KR + "US1_J2KR.dcm": PD + "US1_UNCR.dcm",
    J2KR + "emri_small_jpeg_2k_lossless.dcm": LE + "emri_small.dcm",
    J2KR + "explicit_VR-UN.dcm": None,
}
CT = "ct-totalseg-j2k"
for name in sorted(os.listdir(os.path.join(DATA, CT))):
    FILES[CT + "/" + name] = "ct-totalseg-native/" + name + ".dcm"

# Lossy HTJ2K file -> lossless encoding of the same image. Decoders of the
# irreversible 9-7 wavelet may round differently (ITU-T T.800 Annex F leaves
# the arithmetic open; OpenJPH and OpenJPEG differ by 1 in a few samples), so
# no exact hash exists: the test checks closeness to the lossless decoding.
LOSSY_NEAR = {
    PD + "HTJ2K_08_RGB.dcm": PD + "HTJ2KLossless_08_RGB.dcm",
}

HTJ2K_SYNTAXES = {"1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"}


def gdcm_child(path):
    """Runs in a child process: decode with pydicom + GDCM, print hashes."""
    from pydicom.pixel_data_handlers import gdcm_handler

    refdecode.use(gdcm_handler)
    ds = refdecode.read(path, force=True)
    print(json.dumps(refdecode.frame_hashes(ds.pixel_array, refdecode.number_of_frames(ds), ds.BitsStored)))


def gdcm_reference(path):
    proc = refdecode.run_child(__file__, "--gdcm-child", path, timeout=600)
    if proc.returncode != 0:
        why = refdecode.last_line(proc.stderr, proc.returncode)
        if proc.returncode < 0:
            why = "GDCM crashed (signal %d): %s" % (-proc.returncode, why)
        return None, "pydicom+GDCM: " + why
    if "opj_decode failed" in proc.stderr:
        # GDCM reports OpenJPEG's failure on stderr yet hands pydicom a
        # buffer; its content is not a decoded image.
        lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
        return None, "pydicom+GDCM: OpenJPEG failed inside GDCM: " + "; ".join(lines[-3:])
    return json.loads(proc.stdout.strip().splitlines()[-1]), None


def read_pnm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    channels = {b"P5": 1, b"P6": 3}[magic]
    dtype = ">u2" if maxval > 255 else "u1"
    arr = np.frombuffer(data, dtype=dtype, count=width * height * channels, offset=pos)
    return arr.reshape(height, width, channels)


def ojph_frames(ds):
    """Decode each frame with ojph_expand; None when the tool is absent."""
    tool = shutil.which("ojph_expand")
    if tool is None:
        return None
    frames = refdecode.number_of_frames(ds)
    mask = (1 << int(ds.BitsStored)) - 1
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, frame in enumerate(generate_pixel_data_frame(ds.PixelData, frames)):
            src = os.path.join(tmp, "f%d.j2c" % i)
            dst = os.path.join(tmp, "f%d.%s" % (i, "ppm" if ds.SamplesPerPixel == 3 else "pgm"))
            with open(src, "wb") as f:
                f.write(frame)
            subprocess.run([tool, "-i", src, "-o", dst], check=True, capture_output=True)
            out.append(read_pnm(dst).astype(np.int64) & mask)
    return out


def ojph_reference(ds):
    frames = ojph_frames(ds)
    if frames is None:
        return None, "ojph_expand (Debian openjph-tools) is not installed"
    return [refdecode.sha256(f.astype("<u4").tobytes()) for f in frames], None


def ojph_near(ds, lossless):
    """Largest sample difference between a lossy HTJ2K file and the lossless
    encoding of the same image, both decoded by OpenJPH."""
    lossy_frames, lossless_frames = ojph_frames(ds), ojph_frames(refdecode.read(lossless, force=True))
    if lossy_frames is None:
        return None
    diff = max(int(np.abs(a - b).max()) for a, b in zip(lossy_frames, lossless_frames))
    return {"decoder": "ojph_expand (OpenJPH)", "lossless": lossless, "max_abs_diff": diff}


def main():
    import gdcm

    entries = []
    for path, sibling in FILES.items():
        ds = refdecode.read(path, force=True)
        entry = refdecode.referenced_entry(path, ds)
        if path in LOSSY_NEAR:
            hashes, why = None, "lossy HTJ2K: no bit-exact reference decoder; closeness to " + LOSSY_NEAR[path] + " is checked instead"
            entry["near"] = ojph_near(ds, LOSSY_NEAR[path])
            if entry["near"] is None:
                why = "ojph_expand (Debian openjph-tools) is not installed"
            decoder = None
        elif entry["transfer_syntax"] in HTJ2K_SYNTAXES:
            hashes, why = ojph_reference(ds)
            decoder = "ojph_expand (OpenJPH)"
        else:
            hashes, why = gdcm_reference(path)
            decoder = "pydicom %s + GDCM %s" % (pydicom.__version__, gdcm.Version.GetVersion())
        refdecode.add_reference(entry, decoder, hashes, why)
        refdecode.add_sibling_reference(entry, ds, sibling)
        refdecode.report_references(entry, 60)
        entries.append(entry)
    refdecode.write_referenced(os.path.join(HERE, "expected.json"), entries)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--gdcm-child":
        gdcm_child(sys.argv[2])
    else:
        main()
