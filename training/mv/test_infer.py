"""Unit tests of the finding rules that must match the Go pipeline: the
slice runs findings are labelled in (inference/slicegaps.go: the rows of
TestSliceBreaks that a Scan can express, which has known positions and
gives its depth through a thickness) and findings that never span a wide
gap.

    /usr/bin/python3 -m unittest mv.test_infer      (or make unit)"""
import unittest

import numpy as np

from . import infer
from .sources import Scan


def scan_at(z, thickness, rows=8, cols=8):
    z = np.asarray(z, float)
    return Scan(name="t", hu=np.zeros((len(z), rows, cols), np.float32), pixel_spacing=(1.0, 1.0), z=z,
                thickness=thickness, origin_xy=(0.0, 0.0))


def breaks(runs):
    return [lo for lo, _ in runs[1:]]


class SliceRunsTest(unittest.TestCase):
    def test_table_of_go(self):
        # (positions, thickness, slices that do not join the one before);
        # the thickness gives the Go case's depth through sliceDepth
        cases = [
            ("regular 5 mm", [0, 5, 10, 15], 5, []),
            ("one slice missing", [0, 5, 15, 20], 5, []),
            ("two slices missing", [0, 5, 20, 25], 5, [2]),
            ("thin slices 2.5 mm apart", [0, 2.5, 5, 7.5], 1, []),
            ("thin slice missing beyond 5 mm", [0, 4, 12, 16], 2, [2]),
            ("positions rounded in the string", [0, 4, 8.0004], 4, []),
            ("sparse slices at 5.0004 mm", [0, 5.0004, 10.0008], 1, []),
            ("sparse slices at 5.1 mm", [0, 5.1, 10.2], 1, [1, 2]),
            ("sparse thin slices (ct-kits)", [-512.5, -400, -382.5, -365, -352.5], 2.5, [1, 2, 3, 4]),
            ("duplicate position", [0, 0, 5], 2.5, []),
            ("descending positions", [30, 25, 0], 5, [2]),
            ("one slice", [0], 5, []),
        ]
        for name, z, thickness, want in cases:
            with self.subTest(name):
                self.assertEqual(breaks(infer.slice_runs(scan_at(z, thickness))), want)

    def test_depth(self):
        self.assertEqual(infer.slice_depth(scan_at([0, 30, 60], 2.5)), 2.5)     # thin slices far apart
        self.assertEqual(infer.slice_depth(scan_at([0, 30, 60], 40)), 30)      # overlapping: the spacing
        self.assertEqual(infer.slice_depth(scan_at([0, 30, 60], 0)), 30)       # thickness unknown
        self.assertEqual(infer.slice_depth(scan_at([7], 3)), 3)
        # dicomio's spacing: the upper median of the gaps, duplicates left
        # out (numpy's median would give 12.5 here, and a break at 28 mm)
        self.assertEqual(infer.slice_spacing_go(scan_at([0, 5, 10, 30, 58], 15)), 20)
        self.assertEqual(breaks(infer.slice_runs(scan_at([0, 5, 10, 30, 58], 15))), [])
        self.assertEqual(infer.slice_spacing_go(scan_at([0, 0, 0, 4], 1)), 4)

    def test_findings_do_not_span_gaps(self):
        # one blob at the same place on two 2.5 mm slices 17.5 mm apart:
        # two findings, each one slice deep; 2.5 mm apart: one finding
        for z, want in (([-400, -382.5], 2), ([-400, -397.5], 1)):
            with self.subTest(z=z):
                sc = scan_at(z, 2.5)
                maps = np.zeros((2, 8, 8), np.uint8)
                maps[:, 2:6, 2:6] = 230
                fs = infer.findings(maps, sc, 0.5)
                self.assertEqual(len(fs), want)
                sweep = infer.findings_sweep(maps, sc, [0.5, 0.8])
                self.assertEqual([len(f) for f in sweep], [want, want])
                self.assertEqual(sorted(f["voxels"] for f in fs), sorted(f["voxels"] for f in sweep[0]))
                lab, n = infer.label26(maps >= 128, sc)
                self.assertEqual(n, want)

    def test_depth_of_a_finding_is_slice_depth(self):
        # 1 mm slices every 2.5 mm (one volume): a one-voxel finding on one
        # slice is 1 mm deep, as Go's sliceDepth makes it, not 2.5 mm
        sc = scan_at([0, 2.5, 5], 1)
        maps = np.zeros((3, 8, 8), np.uint8)
        maps[1, 4, 4] = 230
        for fs in (infer.findings(maps, sc, 0.5), infer.findings_sweep(maps, sc, [0.5])[0]):
            self.assertEqual([f["diameter_mm"] for f in fs], [1.0])


if __name__ == "__main__":
    unittest.main()
