"""Unit tests of mv.train's sampler and mv.train_members (python3 -m
unittest mv.test_train; no data needed): a network given fewer
neighbouring slices than its data set holds reads the middle planes and
draws exactly the crops of a data set built with its own context."""
import os
import subprocess
import sys
import unittest

import numpy as np
import torch

from .train import Sampler, targets
from .usage_test import usage_error


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


def annotated_samples(n=6, seed=3):
    """2D samples whose HU is ≤ 0 except 1000 inside an annotated block
    (a lesion the source annotates), with an inserted lesion overlapping it."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        H, W = rng.integers(90, 200, size=2)
        hu = rng.integers(-1000, 0, size=(H, W)).astype(np.int16)
        ann = np.zeros((H, W), bool)
        ann[H // 3:H // 3 + 30, W // 4:W // 4 + 40] = True
        hu[ann] = 1000
        lab = np.zeros((H, W), np.uint8)
        lab[H // 3 + 20:H // 3 + 40, W // 4:W // 4 + 10] = 1
        out.append(dict(hu=hu, label=lab, bone=hu > 180, annotated=ann, group=("real", "blds")[i % 2],
                        name="fake/%d" % i))
    return out


class AnnotatedLeftOut(unittest.TestCase):
    def test_targets_weigh_annotated_background_nothing(self):
        lab = np.zeros((4, 4), np.uint8)
        lab[0, 0] = 1
        ann = np.zeros((4, 4), bool)
        ann[0, :2] = True
        y, w = targets(lab, ann)
        self.assertGreater(w[0, 0], 1)      # an inserted lesion keeps its weight
        self.assertEqual(w[0, 1], 0)        # annotated, no inserted lesion: left out
        self.assertEqual(w[1, 1], 1)
        self.assertEqual(y[0, 1], 0)

    def test_crops_leave_out_exactly_the_annotated_pixels(self):
        s = Sampler(annotated_samples(), np.random.default_rng(5), augment=False, ignore_annotated=True)
        seen = 0
        for _ in range(6):
            x, y, w = s.batch(8)
            marked = x[:, 0] > 0.5            # bone window of 1000 HU; the rest is ≤ 0 HU
            lesion = y[:, 0] > 0
            self.assertTrue(torch.equal(w[:, 0] == 0, marked & ~lesion))
            seen += int((marked & ~lesion).sum())
        self.assertGreater(seen, 0)

    def test_augmented_crops_move_the_mask_with_the_image(self):
        # flips, blur and noise: the pixels left out still cover the marked block
        # (intersection over union above 0.8; a mask left unflipped scores near 0)
        s = Sampler(annotated_samples(), np.random.default_rng(11), augment=True, ignore_annotated=True)
        ious = []
        for _ in range(8):
            x, y, w = s.batch(8)
            for i in range(x.shape[0]):
                out = (w[i, 0] == 0).numpy()
                marked = ((x[i, 0] > 0.55) & (y[i, 0] == 0)).numpy()
                if out.any() or marked.any():
                    ious.append((out & marked).sum() / (out | marked).sum())
        self.assertGreater(len(ious), 8)
        self.assertGreater(min(ious), 0.8, ious)

    def test_off_by_default_draws_the_same_batches(self):
        # the 1.2 recipe: samples that carry a mask train exactly as before
        plain = [{k: v for k, v in d.items() if k != "annotated"} for d in annotated_samples()]
        a = Sampler(annotated_samples(), np.random.default_rng(9), augment=True)
        b = Sampler(plain, np.random.default_rng(9), augment=True)
        for _ in range(4):
            for ta, tb in zip(a.batch(8), b.batch(8)):
                self.assertTrue(torch.equal(ta, tb))


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


class MovingAverage(unittest.TestCase):
    """mv.train.EMA (--ema): the average follows avg = d·avg + (1 − d)·w
    for weights and BatchNorm statistics, and copies the batch counts."""

    def test_update(self):
        from .train import EMA
        net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
        ema = EMA(net, 0.9)
        before = {k: v.clone() for k, v in net.state_dict().items()}
        with torch.no_grad():
            for p in net.parameters():
                p.add_(1.0)
        net.train()
        net(torch.randn(4, 1, 8, 8))  # moves the running statistics, counts one batch
        ema.update(net)
        after = net.state_dict()
        for k, v in after.items():
            if v.dtype.is_floating_point:
                torch.testing.assert_close(ema.state[k], 0.9 * before[k] + 0.1 * v)
                self.assertFalse(torch.equal(ema.state[k], v), k)
            else:
                self.assertTrue(torch.equal(ema.state[k], v), k)
        self.assertEqual(int(ema.state["1.num_batches_tracked"]), 1)


def replay(losses, keep_epoch=-1, min_epochs=3, patience=2):
    """mv.train's loop over given validation losses: (saved epochs, last epoch run, best epoch)."""
    from .train import epoch_decision
    best, best_epoch, saved = float("inf"), -1, []
    for epoch, v in enumerate(losses):
        save, stop = epoch_decision(epoch, v, best, best_epoch, keep_epoch, min_epochs, patience)
        if save:
            best, best_epoch = v, epoch
            saved.append(epoch)
        if stop:
            break
    return saved, epoch, best_epoch


class KeepEpoch(unittest.TestCase):
    """mv.train's per-epoch decision: early stopping as 1.2 was trained,
    or --keep-epoch; and --keep-epoch refuses an epoch the schedule never
    reaches, before it reads any data."""

    def test_early_stopping(self):
        # lowest at epoch 2; epochs 3 and 4 without a lower one: stop after 4
        self.assertEqual(replay([5, 4, 1, 2, 3, 0.5, 0.1]), ([0, 1, 2], 4, 2))
        # not before min_epochs, however long the loss has not fallen
        self.assertEqual(replay([1, 2, 3, 4, 5], min_epochs=4), ([0], 4, 0))
        # a new lowest loss restarts the patience
        self.assertEqual(replay([3, 2, 2.5, 1, 1.5, 1.6], min_epochs=0), ([0, 1, 3], 5, 3))

    def test_keep_epoch(self):
        # that epoch's weights whatever its loss, and nothing after it
        self.assertEqual(replay([5, 1, 9, 7, 0.1], keep_epoch=3), ([3], 3, 3))
        self.assertEqual(replay([5, 1, 9], keep_epoch=0), ([0], 0, 0))

    def test_last_epoch_accepted(self):
        import sys
        import tempfile
        from unittest import mock
        from . import train
        # --epochs 5 --keep-epoch 4 passes the check and goes on to read the
        # training samples (here a path that does not exist)
        deterministic, threads = torch.are_deterministic_algorithms_enabled(), torch.get_num_threads()
        try:
            with tempfile.TemporaryDirectory() as out, \
                    mock.patch.object(sys, "argv", ["train", "--epochs", "5", "--keep-epoch", "4", "--out", out,
                                                    "--train-samples", "/nonexistent/samples_train.pkl"]), \
                    self.assertRaises(FileNotFoundError):
                train.main()
        finally:
            torch.use_deterministic_algorithms(deterministic)
            torch.set_num_threads(threads)

    def test_save_epochs_must_be_numbers(self):
        from . import train
        self.assertIn("--save-epochs", usage_error(self, train.main, "train", "--save-epochs", "22,last"))

    def test_beyond_the_schedule_refused(self):
        from . import train
        for keep in ("5", "7", "-2"):
            with self.subTest(keep=keep):
                self.assertIn("--keep-epoch must be below --epochs",
                              usage_error(self, train.main, "train", "--epochs", "5", "--keep-epoch", keep))


class KernelPinTest(unittest.TestCase):
    """Importing mv pins oneDNN to AVX2 unless the environment says
    otherwise: without the pin, an AVX-512 CPU trains another network
    from the same seeds (README.md, "Reproducing across CPUs")."""

    def isa_after_import(self, env):
        out = subprocess.run([sys.executable, "-c", "import os, mv; print(os.environ.get('DNNL_MAX_CPU_ISA'))"],
                             env=env, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def test_pinned_by_default(self):
        env = {k: v for k, v in os.environ.items() if k != "DNNL_MAX_CPU_ISA"}
        self.assertEqual(self.isa_after_import(env), "AVX2")

    def test_environment_wins(self):
        self.assertEqual(self.isa_after_import(dict(os.environ, DNNL_MAX_CPU_ISA="SSE41")), "SSE41")
