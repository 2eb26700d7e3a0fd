"""Unit tests of mv.slab's thick-slab weights."""
import os
import tempfile
import unittest

import numpy as np

from .slab import slab, weights, write_dicom_slabs


def write_ct(folder, values, z, name="IM%d.dcm", ts="1.2.840.10008.1.2.1", series="1.2.3.4"):
    """A tiny native CT series with pydicom: one 4x4 int16 slice per value."""
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset
    os.makedirs(folder, exist_ok=True)
    for i, (v, zi) in enumerate(zip(values, z)):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = "1.2.3.4.%d" % (i + 1)
        meta.TransferSyntaxUID = ts
        d = FileDataset(name % i, {}, file_meta=meta, preamble=b"\0" * 128)
        d.is_little_endian, d.is_implicit_VR = True, False
        d.SOPClassUID, d.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        d.Modality, d.SeriesInstanceUID = "CT", series
        d.ImagePositionPatient, d.ImageOrientationPatient = [0, 0, zi], [1, 0, 0, 0, 1, 0]
        d.SliceThickness, d.PixelSpacing = 1.0, [1, 1]
        d.Rows = d.Columns = 4
        d.SamplesPerPixel, d.PhotometricInterpretation = 1, "MONOCHROME2"
        d.BitsAllocated, d.BitsStored, d.HighBit, d.PixelRepresentation = 16, 16, 15, 1
        d.RescaleSlope, d.RescaleIntercept = 1, -1024
        d.PixelData = np.full((4, 4), v, "<i2").tobytes()
        if ts not in ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1"):
            from pydicom.encaps import encapsulate
            d.PixelData = encapsulate([d.PixelData])  # never decoded: refused first
        d.save_as(os.path.join(folder, name % i), write_like_original=False)


class SlabWeights(unittest.TestCase):
    def check(self, z, slab_mm, i, want):
        got = dict(weights(z, slab_mm)[i])
        self.assertEqual(sorted(got), sorted(want), "neighbours of slice %d" % i)
        for j, w in want.items():
            self.assertAlmostEqual(got[j], w, places=9, msg="weight of slice %d in slice %d" % (j, i))

    def test_cases(self):
        cases = [
            ("1 mm slices, 3 mm slab: thirds", [0, 1, 2, 3, 4], 3, 2, {1: 1 / 3, 2: 1 / 3, 3: 1 / 3}),
            ("series end: what lies inside, renormalised", [0, 1, 2, 3, 4], 3, 0, {0: 0.5, 1: 0.5}),
            ("2 mm slices: neighbours by overlap", [0, 2, 4], 3, 1, {0: 1 / 6, 1: 2 / 3, 2: 1 / 6}),
            ("slices as thick as the slab: unchanged", [0, 3, 6], 3, 1, {1: 1.0}),
            ("thicker slices: unchanged", [0, 5, 10], 3, 1, {1: 1.0}),
            ("0.6 mm slices: five", [0, 0.6, 1.2, 1.8, 2.4, 3.0], 3, 3, {1: 0.2, 2: 0.2, 3: 0.2, 4: 0.2, 5: 0.2}),
            ("no averaging across a gap", [0, 1, 2, 20, 21, 22], 3, 2, {1: 0.5, 2: 0.5}),
            ("order of the input kept", [4, 3, 2, 1, 0], 3, 1, {0: 1 / 3, 1: 1 / 3, 2: 1 / 3}),
            ("shuffled: indices map back to the input", [2, 0, 5, 1], 3, 3, {1: 1 / 3, 3: 1 / 3, 0: 1 / 3}),
            ("shuffled: the lone slice beyond the others", [2, 0, 5, 1], 3, 2, {2: 1.0}),
        ]
        for name, z, s, i, want in cases:
            with self.subTest(name):
                self.check(z, s, i, want)

    def test_weights_sum_to_one(self):
        rng = np.random.default_rng(1)
        z = np.cumsum(rng.uniform(0.5, 2.0, 40))
        for ws in weights(z, 3.0):
            self.assertAlmostEqual(sum(w for _, w in ws), 1.0, places=9)

    def test_slab_keeps_a_ramp_and_flattens_noise(self):
        z = np.arange(30, dtype=float)
        ramp = np.broadcast_to(z[:, None, None], (30, 4, 4)).astype(np.float32)
        out = slab(ramp, z, 3.0)
        np.testing.assert_allclose(out[1:-1], ramp[1:-1], atol=1e-5)
        noise = np.random.default_rng(2).normal(0, 30, (30, 16, 16)).astype(np.float32)
        self.assertLess(slab(noise, z, 3.0)[1:-1].std(), 0.7 * noise.std())
        self.assertIs(slab(noise, z, 0), noise)


class DicomSlabs(unittest.TestCase):
    def test_averages_stored_values(self):
        import pydicom
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "in"), os.path.join(tmp, "out")
            # slices written out of order, 1 mm apart, a lone one 10 mm beyond
            z = [2.0, 0.0, 1.0, 3.0, 13.0]
            write_ct(src, [30, 0, 10, -60, 500], z)
            self.assertEqual(write_dicom_slabs(src, dst, 3.0), 1.0)
            got = {}
            for f in sorted(os.listdir(dst)):
                d = pydicom.dcmread(os.path.join(dst, f))
                got[float(d.ImagePositionPatient[2])] = (int(d.pixel_array[0, 0]), float(d.SliceThickness))
            # z 1: (0 + 10 + 30) / 3; z 0: (0 + 10) / 2; z 3: (30 - 60) / 2; z 13 alone
            self.assertEqual(got, {0.0: (5, 3.0), 1.0: (13, 3.0), 2.0: (-7, 3.0), 3.0: (-15, 3.0), 13.0: (500, 1.0)})

    def test_refuses_what_it_cannot_rewrite(self):
        cases = [
            ("compressed", dict(ts="1.2.840.10008.1.2.4.70"), "transfer syntax"),
            ("two series", dict(series="9.9", name="B%d.dcm"), "second series"),
        ]
        for label, extra, message in cases:
            with self.subTest(label), tempfile.TemporaryDirectory() as tmp:
                src = os.path.join(tmp, "in")
                if "series" in extra:
                    write_ct(src, [1, 2], [0, 1])
                write_ct(src, [1, 2], [0, 1], **extra)
                with self.assertRaisesRegex(ValueError, message):
                    write_dicom_slabs(src, os.path.join(tmp, "out"), 3.0)
                self.assertFalse(os.path.exists(os.path.join(tmp, "out")))


if __name__ == "__main__":
    unittest.main()
