"""Geography for the maps: the Equal Earth projection and the vendored country outlines.

The **Equal Earth** projection (Šavrič, Patterson & Jenny 2019, *Int. J. Geogr. Inf. Sci.* 33,
454) is equal-area, so a region's share of the map is its share of the world, and keeps the
continents' familiar shapes. Country outlines are Natural Earth's 1:110m countries (public
domain), vendored from the npm package ``world-atlas`` by ``tools/vendor_world_atlas.py``
(``export/assets/NOTICE.md``). Antarctica is left out: no city network has members there, and
it would take a fifth of the map's height.

Projected coordinates are in map units: the world is about ``2 x 2.7066 x scale`` units wide,
with north up and ``y`` growing downwards, as on a screen.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

import numpy as np

__all__ = ["ATTRIBUTION", "equal_earth", "great_circle_km", "world_bounds", "world_rings"]

ATTRIBUTION = "Country outlines: Natural Earth (public domain), via world-atlas"
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_ANTARCTICA = "010"


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the distance in km between two (latitude, longitude) points on a sphere.

    Examples
    --------
    >>> round(great_circle_km((39.80, -89.64), (42.10, -72.59)))
    1452
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def equal_earth(
    lon: np.ndarray | float, lat: np.ndarray | float, *, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Project longitudes and latitudes (degrees) with Equal Earth; ``y`` grows southwards.

    Examples
    --------
    >>> x, y = equal_earth(180.0, 0.0)
    >>> round(float(x), 4), round(float(y), 4)
    (2.7066, -0.0)
    >>> x, y = equal_earth(0.0, 90.0)
    >>> round(float(x), 4), round(float(y), 4)
    (0.0, -1.3174)
    """
    lam = np.radians(np.asarray(lon, dtype=float))
    phi = np.radians(np.asarray(lat, dtype=float))
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * np.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x * scale, -y * scale


@lru_cache(maxsize=1)
def _topology() -> dict[str, object]:
    text = (resources.files("citynet.export") / "assets" / "countries-110m.json").read_text(
        encoding="utf-8"
    )
    topology: dict[str, object] = json.loads(text)
    return topology


def _arcs() -> list[np.ndarray]:
    """Decode the quantised, delta-encoded TopoJSON arcs into longitude/latitude arrays."""
    topology = _topology()
    transform = topology["transform"]
    assert isinstance(transform, dict)
    sx, sy = transform["scale"]
    tx, ty = transform["translate"]
    decoded = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        points = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        decoded.append(np.column_stack([points[:, 0] * sx + tx, points[:, 1] * sy + ty]))
    return decoded


@lru_cache(maxsize=8)
def world_rings(scale: float = 300.0) -> tuple[np.ndarray, ...]:
    """Return every country ring, projected and rounded to whole map units (x, y columns).

    Consecutive points that round to the same unit are merged, so the outlines cost no more
    than the map can show.

    Examples
    --------
    >>> rings = world_rings(300.0)
    >>> len(rings) > 200, rings[0].dtype.kind
    (True, 'i')
    """
    arcs = _arcs()
    topology = _topology()
    countries = topology["objects"]["countries"]  # type: ignore[index]
    rings: list[np.ndarray] = []
    for geometry in countries["geometries"]:
        if geometry.get("id") == _ANTARCTICA or "arcs" not in geometry:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                parts: list[np.ndarray] = []
                for index in ring:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    parts.append(arc if not parts else arc[1:])
                lonlat = np.concatenate(parts)
                x, y = equal_earth(lonlat[:, 0], lonlat[:, 1], scale=scale)
                points = np.column_stack([np.round(x), np.round(y)]).astype(np.int64)
                keep = np.ones(len(points), dtype=bool)
                keep[1:] = np.any(points[1:] != points[:-1], axis=1)
                points = points[keep]
                # a ring that crosses the antimeridian jumps across the world: cut it there
                jumps = np.flatnonzero(np.abs(np.diff(points[:, 0])) > scale * 2.7) + 1
                for piece in np.split(points, jumps):
                    if len(piece) >= 3:
                        rings.append(piece)
    return tuple(rings)


def world_bounds(scale: float = 300.0) -> tuple[float, float, float, float]:
    """Return ``(x_min, y_min, x_max, y_max)`` of the outlines in map units.

    Examples
    --------
    >>> x0, y0, x1, y1 = world_bounds(300.0)
    >>> x0 < 0 < x1 and y0 < 0 < y1
    True
    """
    stacked = np.concatenate(world_rings(scale))
    return (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 0].max()),
        float(stacked[:, 1].max()),
    )
