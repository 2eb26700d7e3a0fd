"""Unit tests of lesion matching with annotated regions (python3 -m
unittest mv.test_metrics). The last test reads the BLDS patches from
../shared/data and is skipped, saying so, where they are absent."""
import os
import unittest

import numpy as np

from . import config, sources
from .metrics import Sweep, match, on_regions
from .samples import annotated_mask

BOX = dict(center_mm=[0.0, 0.0, 0.0], size_mm=[20.0, 10.0, 6.0], kind="osteoma")


def finding(x, y, z):
    return dict(center_mm=[x, y, z], diameter_mm=6.0)


class AnnotatedRegions(unittest.TestCase):
    def test_inside_is_per_axis_half_extent(self):
        fs = [finding(9.9, 4.9, 2.9), finding(10.1, 0, 0), finding(0, 5.1, 0), finding(0, 0, -3.1)]
        self.assertEqual(on_regions(fs, [BOX]).tolist(), [True, False, False, False])

    def test_a_finding_on_an_annotated_lesion_is_not_a_false_positive(self):
        det, fp = match([finding(1, 1, 1), finding(40, 0, 0)], [], [BOX])
        self.assertEqual(fp.tolist(), [False, True])
        # without the region the same finding is a false positive
        _, fp = match([finding(1, 1, 1)], [])
        self.assertEqual(fp.tolist(), [True])

    def test_inserted_lesions_are_scored_as_before_inside_a_region(self):
        lesion = dict(center_mm=[2.0, 0.0, 0.0], diameter_mm=8.0)
        det, fp = match([finding(1, 1, 1)], [lesion], [BOX])
        self.assertEqual((det.tolist(), fp.tolist()), ([True], [False]))
        # a region never detects a lesion by itself
        det, _ = match([finding(40, 0, 0)], [lesion], [BOX])
        self.assertEqual(det.tolist(), [False])

    def test_sweep_counts_the_findings_left_out(self):
        sw = Sweep([0.5, 0.9])
        lesion = dict(center_mm=[2.0, 0.0, 0.0], diameter_mm=8.0)
        # t=0.5: one finding on the region and a lesion (a detection), one on the
        # region only (left out), one outside (false positive); t=0.9: left out only
        sw.add("blds-x", "blds", [lesion], [[finding(1, 0, 0), finding(-9, 4, 2), finding(40, 0, 0)],
                                            [finding(-9, 4, 2)]], regions=[BOX])
        s = sw.scans[0]
        self.assertEqual((s["det"][:, 0].tolist(), s["fp"].tolist(), s["left_out"].tolist()),
                         ([True, False], [1, 0], [1, 1]))

    def test_other_sources_have_no_regions(self):
        # no file is read for them: this holds without ../shared
        self.assertEqual(sources.annotated_regions("ct-kits#3"), [])
        self.assertEqual(sources.annotated_regions("phantom-1240"), [])


class AnnotatedMask(unittest.TestCase):
    def test_box_in_mm_to_pixels_and_slices(self):
        # 2 mm pixels from (-10, 20) mm, slices at z = 0, 5, 10
        sc = sources.Scan(name="blds-x", hu=np.zeros((3, 8, 10), np.float32), pixel_spacing=(2.0, 2.0),
                          z=np.array([0.0, 5.0, 10.0]), thickness=5.0, origin_xy=(-10.0, 20.0))
        box = dict(center_mm=[-4.0, 26.0, 6.0], size_mm=[4.0, 8.0, 4.0])   # x -6..-2, y 22..30, z 4..8
        self.assertIsNone(annotated_mask(sc, 0, [box]))
        self.assertIsNone(annotated_mask(sc, 2, [box]))
        m = annotated_mask(sc, 1, [box])
        want = np.zeros((8, 10), bool)
        want[1:6, 2:5] = True   # rows y = 22..30 → 1..5, columns x = -6..-2 → 2..4
        self.assertTrue(np.array_equal(m, want), m.astype(int))


@unittest.skipUnless(os.path.isdir(os.path.join(config.SHARED, "blds-bone-lesions")),
                     "../shared/data/blds-bone-lesions absent: BLDS box placement not checked")
class BLDSBoxes(unittest.TestCase):
    def test_every_box_centre_lies_in_its_patch(self):
        # Read as LPS (our Scans' frame) every centre falls inside its 96 mm
        # patch; read as RAS most would fall outside.
        n = 0
        for patch in range(1, 9):
            sc = sources.load_blds(patch)
            lo = np.array([sc.origin_xy[0], sc.origin_xy[1], sc.z[0]])
            hi = lo + np.array([sc.pixel_spacing[1] * (sc.hu.shape[2] - 1),
                                sc.pixel_spacing[0] * (sc.hu.shape[1] - 1), sc.z[-1] - sc.z[0]])
            boxes = sources.annotated_regions("blds-%d#2" % patch)
            self.assertTrue(boxes, patch)
            for b in boxes:
                c = np.array(b["center_mm"])
                self.assertTrue(np.all(c >= lo) and np.all(c <= hi), (patch, c, lo, hi))
                n += 1
        self.assertEqual(n, 18)  # the boxes image_bone_lesions.csv lists
        self.assertEqual(sources.annotated_regions("blds-80#1"), [])   # no such patch


if __name__ == "__main__":
    unittest.main()
