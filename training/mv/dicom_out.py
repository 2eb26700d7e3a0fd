"""Write a Scan (HU volume + geometry) as a DICOM CT series for the app:
CT Image Storage (PS3.3 A.3), Explicit VR Little Endian, signed 16-bit
stored values equal to HU (Rescale Slope 1, Intercept 0), Image
Orientation 1\\0\\0\\0\\1\\0 and Image Position from the scan's geometry,
so that patient coordinates (LPS, PS3.3 C.7.6.2.1.1) of the ground truth
hold in the written series. UIDs are derived from the scan's name
(PS3.5 B.2, "2.25." + a UUID), so rewriting gives identical files."""
import hashlib
import json
import os
import uuid

import numpy as np

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"


def uid(*parts):
    h = hashlib.sha1("/".join(str(p) for p in parts).encode()).digest()[:16]
    return "2.25.%d" % uuid.UUID(bytes=h).int


def write_series(scan, folder):
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset
    os.makedirs(folder, exist_ok=True)
    for fn in os.listdir(folder):
        if fn.endswith(".dcm"):
            os.remove(os.path.join(folder, fn))
    study, series = uid(scan.name, "study"), uid(scan.name, "series")
    S, R, C = scan.hu.shape
    for k in range(S):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
        meta.MediaStorageSOPInstanceUID = uid(scan.name, "sop", k)
        meta.TransferSyntaxUID = EXPLICIT_VR_LE
        fn = os.path.join(folder, "IM%06d.dcm" % (k + 1))
        ds = FileDataset(fn, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.SOPClassUID = CT_IMAGE_STORAGE
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.FrameOfReferenceUID = uid(scan.name, "for")
        ds.Modality = "CT"
        ds.PatientName = "MyeloView^Evaluation"
        ds.PatientID = "MV-EVAL"
        ds.StudyDescription = "MyeloView evaluation (inserted lesions)"
        ds.SeriesDescription = scan.name[:64]
        ds.ImageComments = "Synthetic lytic lesions inserted; research use only: not for diagnosis"
        ds.SeriesNumber, ds.InstanceNumber = 1, k + 1
        ds.ImagePositionPatient = [float(scan.origin_xy[0]), float(scan.origin_xy[1]), float(scan.z[k])]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [float(scan.pixel_spacing[0]), float(scan.pixel_spacing[1])]
        ds.SliceThickness = float(scan.thickness)
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows, ds.Columns = R, C
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = 0, 1, "HU"
        ds.WindowCenter, ds.WindowWidth = 40, 400
        ds.PixelData = np.clip(np.rint(scan.hu[k]), -32768, 32767).astype("<i2").tobytes()
        ds.save_as(fn, write_like_original=False)
    gt = dict(name=scan.name, slices=S, pixel_spacing=list(scan.pixel_spacing), z=[float(v) for v in scan.z],
              lesions=scan.lesions, note="inserted lesions; research use only: not for diagnosis")
    json.dump(gt, open(os.path.join(folder, "ground_truth.json"), "w"), indent=1)
