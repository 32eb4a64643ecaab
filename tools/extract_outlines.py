"""Extract the Mexico and United States outlines the report's map draws, once.

    npm pack world-atlas && tar xzf world-atlas-*.tgz
    python tools/extract_outlines.py package/countries-50m.json \
        > src/cartelsim/report/data/outlines.json

Source: Natural Earth 1:50m country boundaries (public domain), as TopoJSON in the npm package
world-atlas 2.0.2 (ISC licence). Only rings inside the map's window are kept, rounded to 0.01°.
"""

from __future__ import annotations

import json
import sys

COUNTRIES = {"484": "MX", "840": "US"}
WINDOW = (-126.0, -84.0, 13.0, 50.0)  # lon min, lon max, lat min, lat max


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def inside(points) -> bool:
    lo_x, hi_x, lo_y, hi_y = WINDOW
    return any(lo_x <= x <= hi_x and lo_y <= y <= hi_y for x, y in points)


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = decode_arcs(topology)
    out = {"source": "Natural Earth 1:50m (public domain), via world-atlas 2.0.2", "rings": {}}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = COUNTRIES.get(str(geometry.get("id")))
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            outer = ring(polygon[0], arcs)
            if inside(outer):
                rings.append([[round(x, 2), round(y, 2)] for x, y in outer])
        out["rings"][code] = rings
    json.dump(out, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
