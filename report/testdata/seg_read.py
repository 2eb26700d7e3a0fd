#!/usr/bin/python3
"""Reads a DICOM Segmentation with pydicom (Debian's) for report's Go tests
and prints, as JSON, each frame's referenced segment, source instance,
position, voxel count and centroid (row, column), the segment numbers, and the identity fields."""
import json
import sys

import pydicom


def main():
    ds = pydicom.dcmread(sys.argv[1])
    pixels = ds.pixel_array
    if pixels.ndim == 2:
        pixels = pixels[None]
    frames = []
    for i, fg in enumerate(ds.PerFrameFunctionalGroupsSequence):
        src = fg.DerivationImageSequence[0].SourceImageSequence[0]
        frames.append({
            "segment": int(fg.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
            "source": str(src.ReferencedSOPInstanceUID),
            "ipp": [float(v) for v in fg.PlanePositionSequence[0].ImagePositionPatient],
            "voxels": int(pixels[i].sum()),
            "centroid": [float(v.mean()) for v in pixels[i].nonzero()],  # row, column
        })
    print(json.dumps({
        "frames": frames,
        "segments": [int(s.SegmentNumber) for s in ds.SegmentSequence],
        "patient_name": str(ds.get("PatientName", "")),
        "identity_removed": str(ds.get("PatientIdentityRemoved", "")),
        "study_uid": str(ds.StudyInstanceUID),
        "frame_of_reference_uid": str(ds.FrameOfReferenceUID),
    }))


if __name__ == "__main__":
    main()
