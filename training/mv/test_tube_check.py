"""Unit tests of mv.tube_check's score."""
import unittest

import numpy as np

from .tube_check import tube_score


class TubeScore(unittest.TestCase):
    def setUp(self):
        self.z = np.arange(0, 30, 1.0)             # 30 slices of 1 mm
        self.hu = np.full((30, 8, 8), 400.0)       # bone
        self.comp = np.zeros(self.hu.shape, bool)
        self.comp[14:16, 3:5, 3:5] = True          # a finding on slices 14-15

    def test_a_canal_is_a_tube(self):
        self.hu[:, 3:5, 3:5] = 20                  # soft tissue the whole way
        self.assertEqual(tube_score(self.comp, self.hu, self.z), 1.0)

    def test_a_lesion_ends_in_bone(self):
        self.hu[10:20, 3:5, 3:5] = 20              # soft tissue, but bone from 5 mm on
        self.assertAlmostEqual(tube_score(self.comp, self.hu, self.z), 0.4)  # 4 of 10 slices each side

    def test_bone_on_one_side_is_enough(self):
        self.hu[:16, 3:5, 3:5] = 20
        self.assertEqual(tube_score(self.comp, self.hu, self.z), 0.0)

    def test_no_slice_beyond_counts_zero(self):
        self.hu[:, 3:5, 3:5] = 20
        self.comp[:] = False
        self.comp[28:30, 3:5, 3:5] = True
        self.assertEqual(tube_score(self.comp, self.hu, self.z), 0.0)


if __name__ == "__main__":
    unittest.main()
