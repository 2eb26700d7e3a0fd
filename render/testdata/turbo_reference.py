#!/usr/bin/python3
"""Prints the original 256-entry Turbo table (Mikhailov, Google, 2019) as
8-bit R G B lines, from matplotlib, which ships it verbatim as
matplotlib._cm_listed._turbo_data. Used by TestTurboNearReference."""
from matplotlib import _cm_listed

for r, g, b in _cm_listed._turbo_data:
    print(*(int(v * 255 + 0.5) for v in (r, g, b)))
