"""Static SVG figures for pages that carry no script: a world map, an ego diagram, year bars.

Every label goes through :func:`~citynet.render.html.esc`; colours and sizes are presentation
attributes (never ``style=``), so the figures pass a Content-Security-Policy without
``'unsafe-inline'``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from citynet.geo import equal_earth, world_bounds, world_rings
from citynet.render.html import esc

__all__ = ["Dot", "bars_svg", "ego_svg", "world_svg"]

_SCALE = 100.0  # map units of the static world map (about 540 wide)


@dataclass(frozen=True)
class Dot:
    """A place on the world map."""

    lon: float
    lat: float
    colour: str
    label: str = ""
    radius: float = 2.2
    emphasis: bool = False


@lru_cache(maxsize=1)
def _world_path() -> str:
    """Return the country outlines as one SVG path (whole map units, relative moves)."""
    parts = []
    for ring in world_rings(_SCALE):
        deltas = np.diff(ring, axis=0)
        moves = " ".join(f"{int(dx)} {int(dy)}" for dx, dy in deltas)
        parts.append(f"M{int(ring[0][0])} {int(ring[0][1])}l{moves}z")
    return "".join(parts)


def world_svg(
    dots: Sequence[Dot],
    *,
    title: str,
    width: int = 900,
    lines_to: tuple[float, float] | None = None,
) -> str:
    """Return the world (Equal Earth, Natural Earth outlines) with ``dots`` on it.

    ``lines_to`` (a longitude and latitude) draws a faint line from every dot to that place
    (a network's headquarters).

    Examples
    --------
    >>> svg = world_svg([Dot(2.35, 48.86, "#1f77b4", "Paris")], title="one city")
    >>> svg.startswith("<svg") and "Paris" in svg and "<path" in svg
    True
    """
    x0, y0, x1, y1 = world_bounds(_SCALE)
    pad = 6.0
    view = f"{x0 - pad:.0f} {y0 - pad:.0f} {x1 - x0 + 2 * pad:.0f} {y1 - y0 + 2 * pad:.0f}"
    height = round(width * (y1 - y0 + 2 * pad) / (x1 - x0 + 2 * pad))
    shapes = []
    placed: list[tuple[Dot, float, float]] = []
    for d in dots:
        px, py = equal_earth(d.lon, d.lat, scale=_SCALE)
        if not math.isnan(float(px)):
            placed.append((d, float(px), float(py)))
    if lines_to is not None:
        hx, hy = (float(v) for v in equal_earth(lines_to[0], lines_to[1], scale=_SCALE))
        shapes += [
            f'<line x1="{hx:.1f}" y1="{hy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#888" '
            'stroke-width="0.25" stroke-opacity="0.5"/>'
            for _, x, y in placed
        ]
    # Dots of one colour share one group's fill and stroke (a site draws ~10,000 of them on a
    # page, so attributes repeated per dot would be most of its size); emphasised dots last.
    ordered = sorted(placed, key=lambda p: (p[0].emphasis, p[0].colour))
    shapes.append('<g stroke="#ffffff" stroke-width="0.3">')
    for (emphasis, colour), run in itertools.groupby(
        ordered, key=lambda p: (p[0].emphasis, p[0].colour)
    ):
        shapes.append(f'<g fill="{esc(colour)}">')
        for dot, x, y in run:
            ring = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{dot.radius + 2.2:.1f}" fill="none" '
                'stroke="#ffb000" stroke-width="1.6"/>'
                if emphasis
                else ""
            )
            shapes.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{dot.radius:.1f}">'
                f"<title>{esc(dot.label)}</title></circle>{ring}"
            )
        shapes.append("</g>")
    shapes.append("</g>")
    labels = [
        f'<text x="{x + dot.radius + 1.5:.1f}" y="{y + 1.5:.1f}" font-size="5.5" '
        f'font-weight="600" fill="#111" stroke="#fff" stroke-width="1.2" paint-order="stroke">'
        f"{esc(dot.label)}</text>"
        for dot, x, y in placed
        if dot.emphasis and dot.label
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view}" width="{width}" '
        f'height="{height}" role="img" class="map"><title>{esc(title)}</title>'
        f'<path d="{_world_path()}" fill="#e9ecef" stroke="#b8bec6" stroke-width="0.3" '
        f'fill-rule="evenodd"/>{"".join(shapes)}{"".join(labels)}</svg>'
    )


def ego_svg(
    centre: str,
    spokes: Sequence[tuple[str, str, str, bool]],
    *,
    size: int = 420,
) -> str:
    """Return a city among its networks: ``spokes`` are (label, detail, colour, seat).

    Examples
    --------
    >>> svg = ego_svg("Lyon", [("C40", "97 members", "#c0392b", False)])
    >>> "Lyon" in svg and "C40" in svg
    True
    """
    c = size / 2
    radius = size * 0.34
    parts = []
    n = max(len(spokes), 1)
    for i, (label, detail, colour, seat) in enumerate(spokes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 12 if anchor == "start" else -12 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (-14 if math.sin(angle) < 0 else 22)
        parts.append(
            f'<line x1="{c:.1f}" y1="{c:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#333" '
            f'stroke-width="{3 if seat else 1.2}"/>'
            f'<rect x="{x - 7:.1f}" y="{y - 7:.1f}" width="14" height="14" fill="{esc(colour)}" '
            f'stroke="#333" transform="rotate(45 {x:.1f} {y:.1f})"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" font-size="12" font-weight="600" '
            f'text-anchor="{anchor}" fill="#111">{esc(label)}</text>'
            f'<text x="{x + dx:.1f}" y="{y + dy + 13:.1f}" font-size="10" '
            f'text-anchor="{anchor}" fill="#555">{esc(detail)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-110 -10 {size + 220} {size + 30}" '
        f'width="{size + 220}" height="{size + 30}" role="img" class="ego">'
        f"<title>{esc(centre)} and its networks</title>{''.join(parts)}"
        f'<circle cx="{c}" cy="{c}" r="11" fill="#333"/><circle cx="{c}" cy="{c}" r="15" '
        f'fill="none" stroke="#ffb000" stroke-width="3"/>'
        f'<text x="{c}" y="{c + 32}" font-size="14" font-weight="700" text-anchor="middle" '
        f'fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">{esc(centre)}</text>'
        "</svg>"
    )


def bars_svg(years: Sequence[int], values: Sequence[float], *, label: str, width: int = 640) -> str:
    """Return one bar per year (members in the data), with the first and last year marked.

    Examples
    --------
    >>> svg = bars_svg([2019, 2020], [3, 5], label="members")
    >>> svg.count("<rect") == 2
    True
    """
    height, bottom = 150, 128
    top = max([float(v) for v in values] + [1.0])
    n = max(len(years), 1)
    step = (width - 60) / n
    bars = []
    for i, (year, value) in enumerate(zip(years, values, strict=True)):
        h = (bottom - 12) * float(value) / top
        x = 50 + i * step
        bars.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{max(step - 1, 1):.1f}" '
            f'height="{h:.1f}" fill="#4a78a8"><title>{year}: {value:g}</title></rect>'
        )
    marks = ""
    if years:
        marks = (
            f'<text x="50" y="{bottom + 16}" font-size="11" fill="#333">{years[0]}</text>'
            f'<text x="{width - 10}" y="{bottom + 16}" font-size="11" text-anchor="end" '
            f'fill="#333">{years[-1]}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="bars"><title>{esc(label)}</title>'
        f'<line x1="48" y1="{bottom}" x2="{width - 8}" y2="{bottom}" stroke="#555"/>'
        f'<text x="44" y="{bottom - (bottom - 12) + 4}" font-size="11" text-anchor="end" '
        f'fill="#333">{top:g}</text><text x="44" y="{bottom}" font-size="11" text-anchor="end" '
        f'fill="#333">0</text>{"".join(bars)}{marks}</svg>'
    )
