"""Unit tests of the out-of-fold pooling (mv.cv_score), the fold builder's
refusals (mv.cv_blds) and the BLDS patch of a name (sources.blds_patch)."""
import contextlib
import io
import unittest

from . import cv_blds, cv_score, select_threshold, sources
from .usage_test import usage_error


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

    def test_phantoms_must_be_the_same_scans(self):
        a = row(0.9, (100, 110, 4, 40), (30, 40, 21, 7))
        b = row(0.9, (100, 111, 4, 40), (20, 33, 7, 7))
        with self.assertRaises(AssertionError):
            cv_score.pool([a, b])


class RuleTest(unittest.TestCase):
    """select_threshold.apply_rule, which mv.cv_score applies to the pooled table."""

    def rule(self, rows):
        with contextlib.redirect_stdout(io.StringIO()):
            return select_threshold.apply_rule([cv_score.pool([r]) for r in rows])

    def test_budget_one_when_half_misses_ninety(self):
        # within 0.5 FP/scan under 90 %: the budget becomes 1 FP/scan
        best, budget = self.rule([row(0.95, (80, 100, 10, 40), (5, 10, 10, 10)),
                                  row(0.90, (90, 100, 20, 40), (6, 10, 25, 10)),
                                  row(0.80, (99, 100, 60, 40), (9, 10, 60, 10))])
        self.assertEqual((best["t"], budget), (0.90, 1.0))

    def test_half_budget_when_it_reaches_ninety(self):
        best, budget = self.rule([row(0.95, (95, 100, 10, 40), (5, 10, 10, 10)),
                                  row(0.90, (99, 100, 20, 40), (8, 10, 25, 10))])
        self.assertEqual((best["t"], budget), (0.95, 0.5))

    def test_fewest_false_positives_when_no_budget_is_met(self):
        # as the early-stopped folds: nothing within 1 FP/scan
        best, budget = self.rule([row(0.9875, (90, 100, 60, 40), (5, 10, 20, 10)),
                                  row(0.9, (99, 100, 90, 40), (9, 10, 40, 10))])
        self.assertEqual((best["t"], budget), (0.9875, None))

    def test_ties_go_to_the_higher_threshold_then_the_smaller_min_mm(self):
        same = ((90, 100, 10, 40), (8, 10, 10, 10))
        best, _ = self.rule([row(0.8, *same, min_mm=0.0), row(0.9, *same, min_mm=3.0), row(0.9, *same, min_mm=2.0)])
        self.assertEqual((best["t"], best["min_mm"]), (0.9, 2.0))


class FoldFolderTest(unittest.TestCase):
    """mv.cv_blds never writes over a data set that is not a fold's."""

    def refused(self, *argv):
        return usage_error(self, cv_blds.main, "cv_blds", *argv)

    def test_recipe_data_refused(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            self.assertIn("must differ", self.refused("--base", d + "/base", "--val-base", d, "--add", "6", "--data", d))
            self.assertIn("must differ", self.refused("--base", d, "--add", "6", "--data", d + "/."))

    def test_folder_with_samples_and_no_marker_refused(self):
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data_x")
            os.makedirs(data)
            with open(os.path.join(data, "samples_train.pkl"), "w") as f:
                f.write("a data set's samples")
            self.assertIn("no fold.json", self.refused("--base", d + "/base", "--val-base", d + "/val",
                                                       "--add", "7", "--data", data))
            self.assertEqual(open(os.path.join(data, "samples_train.pkl")).read(), "a data set's samples")
            self.assertFalse(os.path.exists(os.path.join(data, "scans")))

    def test_test_patch_refused(self):
        self.assertIn("--add", self.refused("--base", "b", "--add", "8", "--data", "x"))


class PatchTest(unittest.TestCase):
    def test_blds_patch(self):
        for name, want in (("blds-6#3", 6), ("blds-8#3/12", 8), ("blds-7#0.pkl", 7), ("blds-12", 12),
                           ("phantom-1200", None), ("ct-kits#2", None), ("xblds-6", None)):
            with self.subTest(name=name):
                self.assertEqual(sources.blds_patch(name), want)


if __name__ == "__main__":
    unittest.main()
