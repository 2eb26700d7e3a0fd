"""Unit tests of mv.train's sampler and mv.train_members (python3 -m
unittest mv.test_train; no data needed): a network given fewer
neighbouring slices than its data set holds reads the middle planes and
draws exactly the crops of a data set built with its own context."""
import unittest

import numpy as np
import torch

from .train import Sampler


def samples(context, n=6, seed=1):
    """n fake samples of a 2.5D data set with 2 slices each side, and the
    same samples as a data set with `context` slices each side."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        H, W = rng.integers(90, 200, size=2)
        hu = rng.integers(-1000, 1500, size=(5, H, W)).astype(np.int16)
        lab = np.zeros((H, W), np.uint8)
        if i % 2 == 0:
            lab[H // 2:H // 2 + 6, W // 3:W // 3 + 5] = 1
        mid = hu[2:2 + 1] if context == 0 else hu[2 - context:3 + context]
        out.append(dict(hu=mid[0] if context == 0 else mid, label=lab, bone=mid[mid.shape[0] // 2] > 180,
                        group=("phantom", "real", "blds")[i % 3], name="fake/%d" % i))
    return out


class MiddlePlanes(unittest.TestCase):
    def batches(self, data, context, n=4):
        s = Sampler(data, np.random.default_rng(7), augment=True, context=context)
        return [s.batch(8) for _ in range(n)]

    def test_same_crops_as_own_data_set(self):
        for context in (0, 1):
            with self.subTest(context=context):
                got = self.batches(samples(2), context)
                want = self.batches(samples(context), context)
                self.assertEqual(got[0][0].shape[1], (2 * context + 1) * 2)
                for (gx, gy, gw), (wx, wy, ww) in zip(got, want):
                    self.assertTrue(torch.equal(gx, wx) and torch.equal(gy, wy) and torch.equal(gw, ww))

    def test_full_context_unchanged(self):
        got = self.batches(samples(2), 2)
        want = self.batches(samples(2), None)
        for (gx, _, _), (wx, _, _) in zip(got, want):
            self.assertTrue(torch.equal(gx, wx))
        self.assertEqual(got[0][0].shape[1], 10)

    def test_wider_than_data_refused(self):
        with self.assertRaises(AssertionError):
            self.batches(samples(1), 2)


if __name__ == "__main__":
    unittest.main()


class Members(unittest.TestCase):
    """mv.train_members: which runs `make model` trains, with which arguments."""

    def test_run_names(self):
        from .train_members import run_names
        self.assertEqual(run_names("final"), ["final"])
        self.assertEqual(run_names("final,final~,final_ctx"), ["final", "final_ctx"])
        with self.assertRaises(ValueError):
            run_names("/tmp/elsewhere.pt")

    def test_train_args(self):
        import os
        from . import config
        from .train_members import train_args
        self.assertEqual(train_args("final", {"final": {}}), ["--out", os.path.join(config.RUNS, "final")])
        self.assertEqual(train_args("b", {"b": {"slice_context": 0, "seed": 2}})[2:],
                         ["--seed", "2", "--slice-context", "0"])
        with self.assertRaises(KeyError):
            train_args("c", {"final": {}})
