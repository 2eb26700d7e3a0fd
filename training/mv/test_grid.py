"""Unit tests of the slice-context rules that must match the Go
preprocessor (inference/preprocess.go): the same tables as
TestPreprocessorSparseSeriesKeepsFarNeighboursOut and
TestPreprocessorSteppedContextReadsByDistance.

    /usr/bin/python3 -m unittest mv.test_grid      (or make unit)"""
import unittest

import numpy as np

from . import grid as G


def sources(z, k, step, max_gap):
    z = np.asarray(z, float)
    offsets, runs = G.slice_offsets(z, k), G.contiguous_runs(z, max_gap)
    return [G.context_slices(s, offsets, runs, z, step) for s in range(len(z))]


class SliceContextTest(unittest.TestCase):
    def test_gaps_split_runs(self):
        # slice positions fall (index towards the feet), so offsets run −k … +k
        z = [0, -1, -51, -52]
        cases = [(0, [[0, 0, 0, 1, 2], [0, 0, 1, 2, 3], [0, 1, 2, 3, 3], [1, 2, 3, 3, 3]]),
                 (2, [[0, 0, 0, 1, 1], [0, 0, 1, 1, 1], [2, 2, 2, 3, 3], [2, 2, 3, 3, 3]]),
                 (60, [[0, 0, 0, 1, 2], [0, 0, 1, 2, 3], [0, 1, 2, 3, 3], [1, 2, 3, 3, 3]])]
        for max_gap, want in cases:
            with self.subTest(max_gap=max_gap):
                self.assertEqual(sources(z, 2, 0, max_gap), want)

    def test_stepped_by_distance(self):
        # positions rise towards the head, so offsets run +k … −k
        cases = [
            ("no step", [0, 1, 2, 3, 4, 5], 1, 0, 0,
             [[1, 0, 0], [2, 1, 0], [3, 2, 1], [4, 3, 2], [5, 4, 3], [5, 5, 4]]),
            ("4 mm at 1 mm", [0, 1, 2, 3, 4, 5], 1, 4, 0,
             [[4, 0, 0], [5, 1, 0], [5, 2, 0], [5, 3, 0], [5, 4, 0], [5, 5, 1]]),
            ("4 mm at 3 mm", [0, 3, 6, 9], 1, 4, 0, [[1, 0, 0], [2, 1, 0], [3, 2, 1], [3, 3, 2]]),
            ("tie to the nearer", [0, 1, 2, 3, 4, 5], 1, 2.5, 0,
             [[2, 0, 0], [3, 1, 0], [4, 2, 0], [5, 3, 1], [5, 4, 2], [5, 5, 3]]),
            ("irregular", [0, 1, 2, 4, 6, 7, 8], 2, 2, 0,
             [[3, 2, 0, 0, 0], [3, 2, 1, 0, 0], [4, 3, 2, 0, 0], [6, 4, 3, 2, 0], [6, 6, 4, 3, 2],
              [6, 6, 5, 4, 3], [6, 6, 6, 4, 3]]),
            ("gap", [0, 1, 2, 60, 61], 2, 2, 6,
             [[2, 2, 0, 0, 0], [2, 2, 1, 0, 0], [2, 2, 2, 0, 0], [4, 4, 3, 3, 3], [4, 4, 4, 3, 3]]),
        ]
        for name, z, k, step, max_gap, want in cases:
            with self.subTest(name):
                self.assertEqual(sources(z, k, step, max_gap), want)


if __name__ == "__main__":
    unittest.main()
