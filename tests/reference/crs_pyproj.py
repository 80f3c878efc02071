"""Reference positions for citygrid's projected coordinate systems, from PROJ (pyproj).

Run in a virtual environment with the packages of requirements.txt (never a dependency of
citygrid itself):

    python3 -m venv venv && venv/bin/pip install -r tests/reference/requirements.txt
    venv/bin/python tests/reference/crs_pyproj.py > tests/reference/crs_pyproj.json

For every projected EPSG code citygrid reads (every CGCS2000 Gauss-Krueger zone, with and without
the zone number, some UTM zones and Web Mercator), three points near the zone's central meridian
are projected by PROJ, and the test projects them back with citygrid and compares.
"""
import json

from pyproj import CRS, Transformer


def central_meridian(epsg):
    if 4491 <= epsg <= 4501:
        return (epsg - 4491 + 13) * 6 - 3
    if 4502 <= epsg <= 4512:
        return (epsg - 4502 + 13) * 6 - 3
    if 4513 <= epsg <= 4533:
        return (epsg - 4513 + 25) * 3
    if 4534 <= epsg <= 4554:
        return 75 + 3 * (epsg - 4534)
    if 32601 <= epsg <= 32660:
        return (epsg - 32600) * 6 - 183
    if 32701 <= epsg <= 32760:
        return (epsg - 32700) * 6 - 183
    return 117


codes = list(range(4491, 4555)) + [32601, 32633, 32650, 32651, 32660, 32750, 3857]
rows = []
for epsg in codes:
    geographic = "EPSG:4490" if epsg < 5000 else "EPSG:4326"
    to_grid = Transformer.from_crs(geographic, f"EPSG:{epsg}", always_xy=True)
    lon0 = central_meridian(epsg)
    south = 32700 < epsg < 32800
    for dlon, lat in [(0.0, 25.0), (-1.2, 33.95), (1.4, 47.5)]:
        if south:
            lat = -lat
        lon = lon0 + dlon
        x, y = to_grid.transform(lon, lat)
        rows.append({"epsg": epsg, "name": CRS.from_epsg(epsg).name, "x": x, "y": y, "lon": lon, "lat": lat})
print(json.dumps(rows, indent=1, ensure_ascii=False))
