"""Reference positions for citygrid's projected coordinate systems, from PROJ (pyproj).

Run in a virtual environment with the packages of requirements.txt (never a dependency of
citygrid itself):

    python3 -m venv venv && venv/bin/pip install -r tests/reference/requirements.txt
    venv/bin/python tests/reference/crs_pyproj.py > tests/reference/crs_pyproj.json

For every projected EPSG code citygrid reads (every Gauss-Krueger zone of CGCS2000, Xi'an 1980 and
Beijing 1954, with and without the zone number, some UTM zones and Web Mercator), three points
near the zone's central meridian are projected by PROJ, and the test projects them back with
citygrid, and forward again, and compares. Xi'an 1980 and Beijing 1954 are read with a
7-parameter transformation (TOWGS84 below, as a bureau would give its own); their points start on
the old datum's ellipsoid (height 0) and go through PROJ's pipeline to WGS 84 with the height
carried along — what citygrid computes — rather than the 2D transformation that keeps heights.
"""
import json

from pyproj import CRS, Transformer


TOWGS84 = "-12.5,-118.2,-43.7,0.52,-0.31,1.24,2.1"

RUNS = [
    (range(4491, 4502), 6, 13), (range(4502, 4513), 6, 13),
    (range(4513, 4534), 3, 25), (range(4534, 4555), 3, 25),
    (range(2327, 2338), 6, 13), (range(2338, 2349), 6, 13),
    (range(2349, 2370), 3, 25), (range(2370, 2391), 3, 25),
    (range(21413, 21424), 6, 13), (range(21453, 21464), 6, 13),
    (range(2401, 2422), 3, 25), (range(2422, 2443), 3, 25),
]


def legacy(epsg):
    return 2327 <= epsg <= 2442 or 21413 <= epsg <= 21463


def central_meridian(epsg):
    for codes, width, first in RUNS:
        if epsg in codes:
            zone = epsg - codes.start + first
            return zone * 6 - 3 if width == 6 else zone * 3
    if 32601 <= epsg <= 32660:
        return (epsg - 32600) * 6 - 183
    if 32701 <= epsg <= 32760:
        return (epsg - 32700) * 6 - 183
    return 117


codes = [c for codes, _, _ in RUNS for c in codes]
codes += [32601, 32633, 32650, 32651, 32660, 32750, 3857]
rows = []
for epsg in codes:
    if legacy(epsg):
        to_grid = None
        projection = CRS.from_epsg(epsg).to_proj4().replace(" +type=crs", "").replace("+", "")
        ellps = [p for p in projection.split() if p.startswith("ellps=")][0]
        helmert = dict(zip("x y z rx ry rz s".split(), TOWGS84.split(",")))
        helmert = " ".join(f"{k}={v}" for k, v in helmert.items())
        to_wgs84 = Transformer.from_pipeline(
            f"+proj=pipeline +step +inv +{projection.replace(' ', ' +')} "
            f"+step +proj=cart +{ellps} +step +proj=helmert {helmert} +convention=position_vector "
            "+step +inv +proj=cart +ellps=WGS84 +step +proj=unitconvert +xy_in=rad +xy_out=deg"
        )
        to_grid_old = Transformer.from_proj(f"+proj=longlat +{ellps}", f"+{projection.replace(' ', ' +')}", always_xy=True)
    else:
        geographic = "EPSG:4490" if 4490 <= epsg <= 4554 else "EPSG:4326"
        to_grid = Transformer.from_crs(geographic, f"EPSG:{epsg}", always_xy=True)
    lon0 = central_meridian(epsg)
    south = 32700 < epsg < 32800
    for dlon, lat in [(0.0, 25.0), (-1.2, 33.95), (1.4, 47.5)]:
        if south:
            lat = -lat
        lon = lon0 + dlon
        if to_grid is None:
            # A point of the old datum near (lon, lat), and where it is on WGS 84.
            x, y = to_grid_old.transform(lon, lat)
            lon, lat, _ = to_wgs84.transform(x, y, 0.0)
        else:
            x, y = to_grid.transform(lon, lat)
        row = {"epsg": epsg, "name": CRS.from_epsg(epsg).name, "x": x, "y": y, "lon": lon, "lat": lat}
        if legacy(epsg):
            row["towgs84"] = TOWGS84
        rows.append(row)
print(json.dumps(rows, indent=1, ensure_ascii=False))
