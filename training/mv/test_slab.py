"""Unit tests of mv.slab's thick-slab weights."""
import unittest

import numpy as np

from .slab import slab, weights


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


if __name__ == "__main__":
    unittest.main()
