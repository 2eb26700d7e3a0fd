"""Unit tests of mv.select_threshold's choice within a false-positive budget."""
import unittest

from .select_threshold import best_within, describe


def row(t, m, sens5, fp):
    return dict(t=t, min_mm=m, sens5=sens5, fp=fp, groups=dict(blds=dict(sens5=sens5 / 2, fp=fp * 3)))


class BestWithin(unittest.TestCase):
    def test_cases(self):
        table = [row(0.5, 0, 0.95, 1.4), row(0.8, 0, 0.92, 0.9), row(0.9, 2, 0.92, 0.6),
                 row(0.9, 0, 0.92, 0.7), row(0.95, 3, 0.80, 0.1)]
        cases = [
            ("the most sensitive within the budget; ties to the higher threshold, then the smaller min", 1.0, table[3]),
            ("a tighter budget", 0.65, table[2]),
            ("tighter still", 0.5, table[4]),
            ("none within", 0.05, None),
            ("everything within", 2.0, table[0]),
        ]
        for name, budget, want in cases:
            with self.subTest(name):
                self.assertIs(best_within(table, budget), want)

    def test_describe(self):
        self.assertEqual(describe(row(0.9625, 3, 0.908, 0.91)), "0.9625 / 3 mm, 90.8 % at 0.91; blds 45.4 % at 2.73")


if __name__ == "__main__":
    unittest.main()
