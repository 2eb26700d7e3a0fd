"""Unit tests of the manifest's description (python3 -m unittest
mv.test_bundle; no data needed)."""
import os
import tempfile
import unittest
from unittest import mock

from . import config
from .bundle import describe_network, manifest


class Description(unittest.TestCase):
    def test_single_networks_as_before(self):
        # 1.2's manifest opens with exactly these words
        self.assertEqual(describe_network([0]), "2D U-Net that maps each axial CT slice,")
        with mock.patch.object(config, "SLICE_CONTEXT_STEP_MM", 0.0):
            self.assertEqual(describe_network([1]),
                             "2.5D U-Net that maps each axial CT slice, read with 1 neighbouring slice(s) each side,")

    def test_ensembles_name_their_members(self):
        with mock.patch.object(config, "SLICE_CONTEXT_STEP_MM", 3.0):
            self.assertEqual(describe_network([0, 0, 2]),
                             "Mean of three U-Nets (two 2D, one 2.5D reading 2 neighbouring slice(s) each side "
                             "(3 mm apart)), mapping each axial CT slice,")
            self.assertEqual(describe_network([2, 0]),
                             "Mean of two U-Nets (one 2D, one 2.5D reading 2 neighbouring slice(s) each side "
                             "(3 mm apart)), mapping each axial CT slice,")


class Limits(unittest.TestCase):
    def test_manifest_states_the_slice_thickness_limit(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.onnx")
            with open(path, "wb") as f:
                f.write(b"not a network; manifest() only hashes it")
            m = manifest(path, 0.5, 3.0, 0, None)
        self.assertEqual(m["limits"], {"min_slice_thickness_mm": config.MIN_SLICE_THICKNESS_MM})
        self.assertGreater(config.MIN_SLICE_THICKNESS_MM, 0)


if __name__ == "__main__":
    unittest.main()
