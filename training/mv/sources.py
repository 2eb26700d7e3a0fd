"""Real CT series as axial HU volumes in DICOM patient orientation.

Every loader returns a Scan: hu[s, r, c] with rows running anterior →
posterior and columns right → left of the patient (Image Orientation
1\\0\\0\\0\\1\\0, LPS; PS3.3 C.7.6.2.1.1), slices sorted by increasing z
(inferior → superior) unless the source says otherwise, plus the geometry
needed to write it back as DICOM."""
import csv
import functools
import glob
import os
import re
from dataclasses import dataclass, field

import numpy as np

from . import config


@dataclass
class Scan:
    name: str
    hu: np.ndarray                 # float32 [slices, rows, cols]
    pixel_spacing: tuple           # (row spacing, column spacing) mm
    z: np.ndarray                  # slice centre z (mm, LPS) per slice
    thickness: float               # slice thickness (mm)
    origin_xy: tuple               # (x, y) of the first pixel's centre (mm, LPS)
    contiguous: bool = True        # False: slices are far apart (ct-kits)
    lesions: list = field(default_factory=list)   # ground truth (dicts)
    label: np.ndarray = None       # uint8 lesion id per voxel, 0 = none
    kind: str = "real"

    def voxel_to_mm(self, c, r, s):
        """[column, row, slice] → LPS mm (axial, orientation 1\\0\\0\\0\\1\\0)."""
        x = self.origin_xy[0] + c * self.pixel_spacing[1]
        y = self.origin_xy[1] + r * self.pixel_spacing[0]
        zz = np.interp(s, np.arange(len(self.z)), self.z)
        return np.array([x, y, zz])


def _hu(ds):
    a = ds.pixel_array.astype(np.float32)
    return a * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))


def load_dicom_dir(path, name, contiguous=True):
    return load_dicom_files(sorted(glob.glob(os.path.join(path, "*.dcm"))), name, contiguous)


def load_dicom_files(files, name, contiguous=True):
    """Axial CT slices (JPEG 2000 and JPEG lossless decoded through
    python3-gdcm) as one Scan, sorted by z."""
    import pydicom
    dss = [pydicom.dcmread(f) for f in files]
    order = np.argsort([float(d.ImagePositionPatient[2]) for d in dss], kind="stable")
    dss = [dss[i] for i in order]
    # drop repeated positions (ct-kits holds one slice twice: CT26 and CT28)
    keep = [i for i in range(len(dss)) if i == 0 or
            float(dss[i].ImagePositionPatient[2]) != float(dss[i - 1].ImagePositionPatient[2])]
    dss = [dss[i] for i in keep]
    iops = {tuple(round(float(v)) for v in d.ImageOrientationPatient) for d in dss}
    assert len(iops) == 1 and iops <= {(1, 0, 0, 0, 1, 0), (1, 0, 0, 0, -1, 0)}, (name, iops)
    hu = np.stack([_hu(d) for d in dss])
    ps = tuple(float(v) for v in dss[0].PixelSpacing)
    z = np.array([float(d.ImagePositionPatient[2]) for d in dss])
    ipp = [float(v) for v in dss[0].ImagePositionPatient]
    if iops == {(1, 0, 0, 0, -1, 0)}:
        # rows run anterior: flip them so that every scan is LPS like the rest
        hu = np.ascontiguousarray(hu[:, ::-1])
        ipp[1] -= (hu.shape[1] - 1) * ps[0]
    # Slice Thickness is type 2 (may be empty): fall back to 1 mm
    thickness = float(dss[0].get("SliceThickness") or 1.0)
    return Scan(name=name, hu=hu, pixel_spacing=ps, z=z, thickness=thickness,
                origin_xy=(ipp[0], ipp[1]), contiguous=contiguous)


def load_nifti(path, name, k_range=None):
    """A NIfTI volume resliced to axial LPS (only axis flips and transposes:
    the sources here have diagonal affines)."""
    import nibabel as nib
    im = nib.load(path)
    a = np.asarray(im.dataobj, dtype=np.float32)
    aff = im.affine
    assert np.allclose(aff[:3, :3], np.diag(np.diag(aff[:3, :3]))), "only axis-aligned NIfTI supported"
    d = np.diag(aff[:3, :3])
    # world LPS coordinates of voxel index along each axis: RAS → LPS negates x and y
    lps_scale = np.array([-d[0], -d[1], d[2]])
    lps_off = np.array([-aff[0, 3], -aff[1, 3], aff[2, 3]])
    # make every axis increase in LPS (columns → left, rows → posterior, slices → superior)
    for ax in range(3):
        if lps_scale[ax] < 0:
            a = np.flip(a, axis=ax)
            lps_off[ax] = lps_off[ax] + lps_scale[ax] * (a.shape[ax] - 1)
            lps_scale[ax] = -lps_scale[ax]
    hu = np.ascontiguousarray(np.transpose(a, (2, 1, 0)))  # [k, j(rows), i(cols)]
    z = lps_off[2] + lps_scale[2] * np.arange(hu.shape[0])
    if k_range is not None:
        hu, z = hu[k_range[0]:k_range[1]], z[k_range[0]:k_range[1]]
    return Scan(name=name, hu=hu, pixel_spacing=(float(lps_scale[1]), float(lps_scale[0])), z=z,
                thickness=float(lps_scale[2]), origin_xy=(float(lps_off[0]), float(lps_off[1])))


# The BLDS patches of each split (see real_series).
BLDS_SPLITS = {"train": (1, 2, 3, 4, 5), "val": (6, 7), "test": (8,)}


def load_blds(i):
    """BLDS patch i (96 mm cube, 1 mm) as a Scan named blds-i."""
    return load_nifti(os.path.join(config.SHARED, "blds-bone-lesions", "%d.nii.gz" % i), "blds-%d" % i)


# The real bone lesions annotated in the BLDS patches: one box per lesion,
# centre (x, y, z) and extent (width, height, depth) in mm. The centres are
# LPS patient coordinates (each patch's first box lies at its centre voxel
# only when read as LPS), like every Scan here.
BLDS_BOXES = "image_bone_lesions.csv"
_BLDS_NAME = re.compile(r"^blds-(\d+)(?:[#_/]|$)")


@functools.lru_cache(maxsize=None)
def _blds_boxes():
    path = os.path.join(config.SHARED, "blds-bone-lesions", BLDS_BOXES)
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            patch = int(row["image_path"].split(".")[0])
            out.setdefault(patch, []).append(dict(
                center_mm=[float(row[k]) for k in ("x", "y", "z")],
                size_mm=[float(row[k]) for k in ("width", "height", "depth")],
                kind=row["class"]))
    return out


def blds_patch(name):
    """The BLDS patch number of a scan, realisation, sample or file name
    ("blds-8", "blds-8#3", "blds-8#3/12", "blds-8#3.pkl"), or None."""
    m = _BLDS_NAME.match(name)
    return int(m.group(1)) if m else None


def annotated_regions(name):
    """The lesions a scan's source annotates itself (not inserted ones), as
    boxes (center_mm, size_mm, kind) in LPS mm, for a scan or realisation
    name ("blds-8", "blds-8#3"); none for other sources. Findings inside them
    are neither true nor false positives (metrics.match)."""
    patch = blds_patch(name)
    return list(_blds_boxes().get(patch, [])) if patch is not None else []


def real_series(split):
    """The real series of a split (see the model card for the rationale).
    Every real series belongs to one split only."""
    sd = config.SHARED
    blds = [load_blds(i) for i in BLDS_SPLITS[split]] if split in BLDS_SPLITS else None
    if split == "train":
        single = lambda f, n: load_dicom_files([os.path.join(sd, f)], n, contiguous=False)
        return [load_dicom_dir(os.path.join(sd, "ct-totalseg-native"), "ct-totalseg-native"),
                load_nifti(os.path.join(sd, "nifti-totalseg", "example_ct.nii.gz"), "nifti-totalseg"),
                single("pylibjpeg-data/JPEG2000Lossless/TOSHIBA_J2K_OpenJPEGv2Regression.dcm", "toshiba-thorax"),
                single("pydicom-data/bad_sequence.dcm", "pydicom-spine"),
                single("pylibjpeg-data/JPEGLS/CT1_JLSN.dcm", "jlsn-thorax"),
                single("pydicom-data/explicit_VR-UN.dcm", "pydicom-abdomen")] + blds
    if split == "val":
        return blds
    if split == "test":
        return [load_dicom_dir(os.path.join(sd, "ct-kits"), "ct-kits", contiguous=False)] + blds
    raise ValueError(split)
