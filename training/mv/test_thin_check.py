"""Unit tests of mv.thin_check's false-positive listing."""
import unittest

from .thin_check import LINE, false_positives, ground_truth_counts


class FalsePositives(unittest.TestCase):
    def test_by_the_matching_rule(self):
        lesions = [dict(center_mm=[0, 0, 0], diameter_mm=20.0, finding_id=1),   # radius 10 mm
                   dict(center_mm=[100, 0, 0], diameter_mm=4.0, finding_id=0)]  # radius 5 mm
        findings = [dict(id=1, center_mm=[1, 0, 0]),     # the lesion's nearest finding
                    dict(id=2, center_mm=[0, 9.9, 0]),   # a second finding on it: not false
                    dict(id=3, center_mm=[104.9, 0, 0]), # within 5 mm of the small lesion
                    dict(id=4, center_mm=[0, 0, 10.1]),  # just outside 10 mm
                    dict(id=5, center_mm=[50, 50, 50])]
        got = [f["id"] for f in false_positives(dict(findings=findings, reference=dict(lesions=lesions)))]
        self.assertEqual(got, [4, 5])

    def test_ground_truth_counts(self):
        lesions = [dict(center_mm=[0, 0, 0], diameter_mm=20.0),    # found
                   dict(center_mm=[100, 0, 0], diameter_mm=6.0),   # missed
                   dict(center_mm=[0, 100, 0], diameter_mm=4.0)]   # found, under 5 mm
        findings = [dict(center_mm=[9, 0, 0]), dict(center_mm=[0, 104, 0]), dict(center_mm=[50, 50, 50])]
        self.assertEqual(ground_truth_counts(dict(findings=findings), lesions), (1, 2, 1))

    def test_summary_line(self):
        # the line report.ReferenceSummary prints (report/compare.go)
        m = LINE.search("reference: 6 of 9 lesions found (5 of 6 of 5 mm or more), 3 false positives in 1 series (3.00 per series)")
        self.assertEqual(m.groups(), ("6", "9", "5", "6", "3"))


if __name__ == "__main__":
    unittest.main()
