"""Unit tests of mv.build_data's experiment options (python3 -m unittest
mv.test_build_data; no data needed: every case stops at argument checking)."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_data(*args):
    return subprocess.run([sys.executable, "-m", "mv.build_data", *args], cwd=HERE,
                          capture_output=True, text=True, timeout=60)


class ExperimentOptions(unittest.TestCase):
    def test_rejected_before_any_work(self):
        other = os.path.join(tempfile.gettempdir(), "mv-test-build-data-never-written")
        cases = [
            # the recipe's own data folder is never an experiment's ("--splits
            # none": were the check gone, the run would fail, not build)
            (["--realisations", "blds-train=48", "--splits", "none"], "own --data folder"),
            (["--blds-train", "1,2,3", "--splits", "none"], "own --data folder"),
            (["--blds-train", "1,x", "--data", other], "want a subset"),
            (["--blds-train", "1,6", "--data", other], "want a subset"),
            (["--realisations", "blds-train", "--data", other], "want SERIES=N"),
            (["--realisations", "nosuch=3", "--data", other], "want SERIES=N"),
            (["--train-shapes", "600x512", "--splits", "none"], "own --data folder"),
            (["--train-shapes", "600", "--data", other], "want SLICESxSIZE"),
            (["--train-shapes", "600x512,120xabc", "--data", other], "want SLICESxSIZE"),
            (["--train-shapes", "600x0", "--data", other], "want SLICESxSIZE"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = build_data(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)
        self.assertFalse(os.path.exists(other))

    def test_slab_needs_its_own_folder(self):
        r = subprocess.run([sys.executable, "-m", "mv.build_data", "--splits", "none"], cwd=HERE,
                           capture_output=True, text=True, timeout=60, env=dict(os.environ, MV_SLAB_MM="3"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("own --data folder", r.stderr)


if __name__ == "__main__":
    unittest.main()
