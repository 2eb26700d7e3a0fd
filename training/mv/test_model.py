"""Unit tests of the network layouts (python3 -m unittest mv.test_model;
no data needed)."""
import os
import tempfile
import unittest

import torch

from .model import LesionNet, full_width_of, load_state


class Layout(unittest.TestCase):
    def test_shipped_layout_has_no_full_resolution_stage(self):
        # 1.2's checkpoint keys and size: the option must not change them
        state = LesionNet(in_ch=2).state_dict()
        self.assertFalse(any(k.startswith(("full.", "up0.", "dec0.")) for k in state))
        self.assertEqual(tuple(state["head.conv.weight"].shape), (4, 16, 1, 1))
        self.assertEqual(full_width_of(state), 0)

    def test_full_resolution_stage_round_trips(self):
        for in_ch, w0 in ((2, 8), (6, 4)):
            with self.subTest(in_ch=in_ch, full_width=w0):
                torch.manual_seed(1)
                net = LesionNet(in_ch=in_ch, full_width=w0).eval()
                self.assertEqual(full_width_of(net.state_dict()), w0)
                with tempfile.TemporaryDirectory() as d:
                    path = os.path.join(d, "best.pt")
                    torch.save(net.state_dict(), path)
                    back = load_state(path).eval()
                self.assertEqual(back.full_width, w0)
                self.assertEqual(back.slice_context, net.slice_context)
                x = torch.randn(1, in_ch, 40, 56)
                with torch.no_grad():
                    y = net(x)
                    self.assertEqual(tuple(y.shape), (1, 1, 40, 56))
                    self.assertTrue(torch.equal(y, back(x)))


if __name__ == "__main__":
    unittest.main()
