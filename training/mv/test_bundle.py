"""Unit tests of the manifest's description (python3 -m unittest
mv.test_bundle; no data needed)."""
import unittest
from unittest import mock

from . import config
from .bundle import describe_network


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


if __name__ == "__main__":
    unittest.main()
