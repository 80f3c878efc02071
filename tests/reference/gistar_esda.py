"""Reference numbers for citygrid's Gi* and Mann-Kendall, from PySAL esda and pymannkendall.

Run in a virtual environment with the packages of requirements.txt (never a dependency of
citygrid itself):

    python3 -m venv venv && venv/bin/pip install -r tests/reference/requirements.txt
    venv/bin/python tests/reference/gistar_esda.py > tests/reference/gistar_esda.json

The lattice is 20 × 20 cells numbered row by row, with queen contiguity; counts are a fixed
pseudo-random background with two clusters. esda's p_norm is one-sided; the two-sided p-value
citygrid reports is twice it.
"""
import json

import numpy as np
import pymannkendall as mk
from esda.getisord import G_Local
from libpysal.weights import lat2W

ROWS = COLS = 20


def counts():
    state = 20261127
    out = []
    for i in range(ROWS * COLS):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        r, c = divmod(i, COLS)
        base = (state >> 33) % 4
        if abs(r - 5) <= 1 and abs(c - 6) <= 2:
            base += 9
        if abs(r - 14) <= 2 and abs(c - 13) <= 1:
            base += 6
        out.append(float(base))
    return out


y = np.array(counts())
w = lat2W(ROWS, COLS, rook=False)
g = G_Local(y, w, transform="B", star=True, permutations=0)
series = [1.2, 1.8, 2.1, 2.0, 2.6, 2.9, 3.3, 3.1, 3.8, 4.2, 4.0, 4.0, 4.5, 3.9, 5.1]
trend = mk.original_test(series)
print(
    json.dumps(
        {
            "rows": ROWS,
            "cols": COLS,
            "values": y.tolist(),
            "z": [float(z) for z in g.Zs],
            "p_norm": [float(p) for p in g.p_norm],
            "mann_kendall": {"series": series, "s": float(trend.s), "var_s": float(trend.var_s), "z": float(trend.z), "p": float(trend.p)},
        },
        indent=1,
    )
)
