"""Unit tests of mv.bone_proximity's measurement (make unit)."""
import unittest

import numpy as np

from .bone_proximity import component_of, shell_bone_fraction


class ShellBoneFraction(unittest.TestCase):
    def volume(self):
        lab = np.zeros((20, 20, 20), np.int32)
        lab[8:12, 8:12, 8:12] = 1           # a 4³ finding
        hu = np.full(lab.shape, 40.0, np.float32)
        return lab, hu

    def test_no_bone(self):
        lab, hu = self.volume()
        self.assertEqual(shell_bone_fraction(lab, 1, hu), 0.0)

    def test_bone_everywhere_but_the_finding(self):
        lab, hu = self.volume()
        hu[:] = 700
        hu[lab == 1] = 40
        self.assertEqual(shell_bone_fraction(lab, 1, hu), 1.0)

    def test_bone_on_one_side(self):
        # bone in the half-space x >= 10 only: the shell's voxels there count
        lab, hu = self.volume()
        hu[:, :, 10:] = 300
        f = shell_bone_fraction(lab, 1, hu)
        self.assertGreater(f, 0.3)
        self.assertLess(f, 0.7)

    def test_component_of_off_centre(self):
        lab = np.zeros((10, 10, 10), np.int32)
        lab[2, 2, 2:6] = 3
        self.assertEqual(component_of(lab, dict(center_voxel=[3.0, 2.0, 2.0])), 3)   # on it
        self.assertEqual(component_of(lab, dict(center_voxel=[3.0, 3.0, 3.0])), 3)   # beside it
        lab[8, 8, 8] = 5  # a second component: the nearer one wins, however far
        self.assertEqual(component_of(lab, dict(center_voxel=[9.0, 9.0, 7.0])), 5)
        self.assertEqual(component_of(lab, dict(center_voxel=[5.0, 6.0, 2.0])), 3)


if __name__ == "__main__":
    unittest.main()


class ScoredFindings(unittest.TestCase):
    def test_true_and_false_positives(self):
        from .bone_proximity import scored_findings
        from .sources import Scan
        hu = np.zeros((10, 40, 40), np.float32)
        sc = Scan(name="phantom-1", hu=hu, pixel_spacing=(1.0, 1.0), z=np.arange(10.0), thickness=1.0,
                  origin_xy=(0.0, 0.0), kind="phantom",
                  lesions=[dict(center_mm=[5.5, 5.5, 4.5], diameter_mm=6.0)])
        maps = np.zeros(hu.shape, np.uint8)
        maps[3:7, 4:8, 4:8] = 255       # on the lesion (centre 5.5, 5.5, 4.5 mm)
        maps[3:7, 30:34, 30:34] = 255   # far from it
        rows = scored_findings(sc.name, sc, maps, 0.5, 0.0, lambda lab, label, s: int((lab == label).sum()))
        rows.sort(key=lambda r: r["fp"])
        self.assertEqual([r["fp"] for r in rows], [False, True])
        self.assertEqual([r["lesions_mm"] for r in rows], [[6.0], []])
        self.assertEqual([r["score"] for r in rows], [64, 64])   # the component's own voxels
        self.assertEqual({r["group"] for r in rows}, {"phantom"})
