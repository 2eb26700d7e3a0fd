"""Unit tests of the out-of-fold pooling (mv.cv_score) and the fold
builder's patch names (mv.cv_blds)."""
import unittest

from . import cv_blds, cv_score


def row(t, phantom, blds, min_mm=3.0):
    """A compare_val table row from (found, n5, fps, scans) per group."""
    groups = {}
    for g, (found, n5, fps, scans) in (("phantom", phantom), ("blds", blds)):
        groups[g] = dict(sens5=found / n5, fp=fps / scans, n5=n5, scans=scans)
    return dict(t=t, min_mm=min_mm, groups=groups)


class PoolTest(unittest.TestCase):
    def test_phantoms_averaged_blds_added(self):
        a = row(0.9, (100, 110, 4, 40), (30, 40, 21, 7))
        b = row(0.9, (104, 110, 2, 40), (20, 33, 7, 7))
        p = cv_score.pool([a, b])
        ph, bl = p["groups"]["phantom"], p["groups"]["blds"]
        self.assertAlmostEqual(ph["found"], 102)
        self.assertAlmostEqual(ph["fp"], 3 / 40)
        self.assertEqual(ph["scans"], 40)
        self.assertAlmostEqual(bl["sens5"], 50 / 73)
        self.assertAlmostEqual(bl["fp"], 28 / 14)
        self.assertEqual(bl["scans"], 14)
        self.assertAlmostEqual(p["sens5"], 152 / 183)
        self.assertAlmostEqual(p["fp"], 31 / 54)

    def test_table_needs_the_same_points(self):
        a = [row(0.9, (1, 2, 0, 1), (1, 2, 0, 1))]
        b = [row(0.8, (1, 2, 0, 1), (1, 2, 0, 1))]
        with self.assertRaises(AssertionError):
            cv_score.pooled_table([a, b])

    def test_choose_keeps_the_rule(self):
        # within 0.5 FP/scan under 90 %: the budget becomes 1 FP/scan
        t = [cv_score.pool([row(0.95, (80, 100, 10, 40), (5, 10, 10, 10))]),
             cv_score.pool([row(0.90, (90, 100, 20, 40), (6, 10, 25, 10))]),
             cv_score.pool([row(0.80, (99, 100, 60, 40), (9, 10, 60, 10))])]
        best, budget = cv_score.choose(t)
        self.assertEqual((best["t"], budget), (0.90, 1.0))


class PatchTest(unittest.TestCase):
    def test_patch_of(self):
        for name, want in (("blds-6#3", 6), ("blds-7#0.pkl", 7), ("blds-12", 12),
                           ("phantom-1200", None), ("ct-kits#2", None), ("xblds-6", None)):
            with self.subTest(name=name):
                self.assertEqual(cv_blds.patch_of(name), want)


if __name__ == "__main__":
    unittest.main()
