"""Interactive HTML maps of a landscape: pyvis data, citynet's own safe, self-contained page.

pyvis 0.3.2 alone loads Bootstrap and vis-network from CDNs, writes a ``lib/`` folder, does not
escape its heading or menus, lets a tooltip containing "href" run HTML, fails on numpy integers,
mutates graphs in ``from_nx`` and writes without an encoding. citynet uses pyvis's ``Network`` as
the data model (:func:`~citynet.export.map_model.to_pyvis`, which also decides what is drawn and
where) but renders the page itself (:func:`map_html`):

* one HTML file: vis-network's JavaScript and CSS are inlined from the copy inside the pyvis
  wheel, with citynet's script (``assets/map.js``) and the country outlines; the
  Content-Security-Policy forbids every request and allows exactly these scripts and this style
  sheet by their SHA-256 hashes (no ``'unsafe-inline'``), so nothing is fetched when it opens;
* the data travel as one compact, column-wise JSON block (strings such as source URLs stored
  once); the details of a node are built in the side panel when the reader points at it;
* every user string reaches the page as JSON data or escaped text and is put on screen with
  ``textContent`` or canvas text, never as HTML;
* deterministic: positions come from a seeded layout computed in Python, physics is off by
  default, and the same landscape, options and seed give byte-identical HTML;
* written atomically (:func:`citynet.io.atomic_write`), creating the folder if needed.

Conventions: networks are diamonds coloured by scope, cities dots coloured by region; executive
seats are thick dark edges, participation-only links dashed; node size follows ``size_by``;
labels are drawn largest first and never on top of one another; a focus city has an amber ring.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from citynet._version import __version__
from citynet.export.map_model import (
    GEO_SCALE,
    LARGE_MAP,
    REGION_COLORS,
    SCOPE_COLORS,
    UNKNOWN_COLOR,
    to_pyvis,
)
from citynet.geo import ATTRIBUTION, world_bounds, world_rings
from citynet.io import atomic_write
from citynet.landscape import Landscape
from citynet.render.html import csp
from citynet.schema import EVIDENCE, REGIONS, SCOPES, THEMES

__all__ = [
    "LARGE_MAP",
    "REGION_COLORS",
    "SCOPE_COLORS",
    "MapFrame",
    "map_html",
    "show_map",
    "to_pyvis",
    "write_map",
]

_VIS_DIR = "templates/lib/vis-9.1.2"
_CERTAINTY = ("known", "presumed", "undated", "any")


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no tag, comment or line-break escapes)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


_SIMPLE = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Plain Python values for JSON (numpy scalars make pyvis fail: "int64 not serializable")."""
    if type(value) in _SIMPLE:
        return value
    if isinstance(value, dict):
        return {str(k): v if type(v) in _SIMPLE else _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SIMPLE else _plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


class _Strings:
    """A table of the strings a page needs, each stored once."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, value: Any) -> int:
        if value is None or value == "":
            return -1
        text = str(value)
        if text not in self._index:
            self._index[text] = len(self.values)
            self.values.append(text)
        return self._index[text]


def _outlines() -> list[list[int]]:
    """Country rings as delta-encoded integer coordinates (the page adds them up)."""
    out = []
    for ring in world_rings(GEO_SCALE):
        deltas = np.diff(ring, axis=0, prepend=np.zeros((1, 2), dtype=ring.dtype))
        out.append([int(v) for v in deltas.ravel()])
    return out


_META = ("layout", "mode", "focus", "year", "notes", "network_links")


def _payload(net: Any) -> dict[str, Any]:
    """Return the page's data: column-wise, plain values, strings interned."""
    # the columns below convert each value (str, int, float); only the free-form ones (points,
    # populations, meta) go through _plain, not every node and edge (11,000 nodes on R)
    nodes = list(net.nodes)
    meta = dict(getattr(net, "citynet_meta", {}) or {})
    meta.setdefault("layout", "force")
    meta.setdefault("mode", "full")
    meta.setdefault("notes", [note] if (note := str(getattr(net, "citynet_note", ""))) else [])
    meta.setdefault("network_links", [])
    meta.setdefault("focus", None)
    meta.setdefault("year", None)
    strings = _Strings()
    networks = [n for n in nodes if n.get("kind") == "network"]
    cities = [n for n in nodes if n.get("kind") != "network"]
    net_index = {n["id"]: i for i, n in enumerate(networks)}
    city_index = {n["id"]: i for i, n in enumerate(cities)}
    regions = [r for r in REGIONS if any(c.get("region") == r for c in cities)]
    network_columns = {
        "id": [str(n["id"]).removeprefix("network:") for n in networks],
        "label": [str(n.get("label", n["id"])) for n in networks],
        "name": [str(n.get("name", n.get("label", n["id"]))) for n in networks],
        "scope": [SCOPES.index(n["scope"]) if n.get("scope") in SCOPES else 0 for n in networks],
        "themes": [[THEMES.index(t) for t in n.get("themes", []) if t in THEMES] for n in networks],
        "members": [int(n.get("members", 0)) for n in networks],
        "coverage": [str(n.get("coverage", "")) for n in networks],
        "source": [strings(n.get("source")) for n in networks],
        "hidden": [int(n.get("hidden", 0)) for n in networks],
        "giant": [int(bool(n.get("giant"))) for n in networks],
        "beside": [int(bool(n.get("beside"))) for n in networks],
        "agg": [int(n.get("aggregated", 0)) for n in networks],
        "placed": [str(n.get("placed", "")) for n in networks],
        "aliases": [strings(n.get("aliases") or None) for n in networks],
        "color": [strings(n.get("color", UNKNOWN_COLOR)) for n in networks],
        "size": [float(n.get("size", 10.0)) for n in networks],
        "x": _plain([n.get("x") for n in networks]),
        "y": _plain([n.get("y") for n in networks]),
    }
    city_columns = {
        "id": [str(n["id"]).removeprefix("city:") for n in cities],
        "name": [str(n.get("label", n["id"])) for n in cities],
        "country": [str(n.get("country", "")) for n in cities],
        "region": [
            regions.index(n["region"]) if n.get("region") in regions else -1 for n in cities
        ],
        "pop": _plain([n.get("population") for n in cities]),
        "popyear": _plain([n.get("population_year") for n in cities]),
        "flags": [
            int(bool(n.get("no_coordinates")))
            | 2 * int(bool(n.get("only_giant")))
            | 4 * int(bool(n.get("overview")))
            for n in cities
        ],
        "color": [strings(n.get("color", UNKNOWN_COLOR)) for n in cities],
        "aliases": [strings(n.get("aliases") or None) for n in cities],
        "size": [float(n.get("size", 5.0)) for n in cities],
        "x": _plain([n.get("x") for n in cities]),
        "y": _plain([n.get("y") for n in cities]),
    }
    edges = [e for e in net.edges if e["from"] in city_index and e["to"] in net_index]
    edge_columns = {
        "c": [city_index[e["from"]] for e in edges],
        "n": [net_index[e["to"]] for e in edges],
        "exec": [int(e.get("role") == "executive") for e in edges],
        "ev": [
            EVIDENCE.index(e["evidence"]) if e.get("evidence") in EVIDENCE else 0 for e in edges
        ],
        "cert": [
            _CERTAINTY.index(e["certainty"]) if e.get("certainty") in _CERTAINTY else 3
            for e in edges
        ],
        "years": [strings(e.get("years")) for e in edges],
        "titles": [strings(e.get("titles")) for e in edges],
        "src": [[strings(u) for u in e.get("sources", [])] for e in edges],
    }
    geo = meta["layout"] == "geo"
    return {
        "meta": _plain({**{k: meta[k] for k in _META}, "pages": meta.get("pages")}),
        "networks": network_columns,
        "cities": city_columns,
        "edges": edge_columns,
        "strings": strings.values,
        "vocab": {
            "scopes": list(SCOPES),
            "themes": list(THEMES),
            "regions": regions,
            "evidence": list(EVIDENCE),
            "certainty": list(_CERTAINTY),
        },
        "menus": {
            "scopes": [s for s in SCOPES if any(n.get("scope") == s for n in networks)],
            "themes": [t for t in THEMES if any(t in n.get("themes", []) for n in networks)],
            "regions": regions,
        },
        "legend": {
            "scopes": [[s, SCOPE_COLORS[s]] for s in SCOPES],
            "regions": [[r, REGION_COLORS[r]] for r in REGIONS] + [["unknown", UNKNOWN_COLOR]],
        },
        "options": _plain(net.options if isinstance(net.options, dict) else {}),
        "outlines": _outlines() if geo else [],
        "bounds": list(world_bounds(GEO_SCALE)) if geo else None,
    }


def _asset(name: str) -> str:
    return (resources.files("citynet.export") / "assets" / name).read_text(encoding="utf-8")


def map_html(net: Any, *, heading: str | None = None) -> str:
    """Render a network from :func:`to_pyvis` as one self-contained HTML page.

    Examples
    --------
    >>> import citynet
    >>> page = map_html(to_pyvis(citynet.load(), city="Santiago"))
    >>> "cdnjs" in page or "jsdelivr" in page, "default-src 'none'" in page
    (False, True)
    >>> "unsafe-inline" in page
    False
    """
    from jinja2 import Environment, select_autoescape

    package = resources.files("pyvis")
    vis_js = (package / _VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (package / _VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    template_text = (resources.files("citynet.export") / "map_template.html").read_text(
        encoding="utf-8"
    )
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    data = _payload(net)
    vis_code = "\n" + vis_js.replace("</script", "<\\/script") + "\n"
    map_code = "\n" + _asset("map.js") + "\n"
    style = vis_css + "\n" + _asset("map.css")
    geo = data["meta"]["layout"] == "geo"
    title = heading if heading is not None else (net.heading or "City-network memberships")
    return env.from_string(template_text).render(
        heading=title,
        version=__version__,
        policy=csp(styles=[style], scripts=[vis_code, map_code]),
        style=style,
        vis_js=vis_code[1:-1],
        map_js=map_code[1:-1],
        data_json=_script_json(data),
        hint=(
            "Point at a city or a network for its facts and sources; click a network to show "
            "all its members; drag to move, scroll to zoom."
        ),
        credit=(ATTRIBUTION + "; Equal Earth projection. " if geo else "")
        + f"Made with citynet {__version__}.",
    )


def write_map(
    land: Landscape, path: str | os.PathLike[str], *, heading: str | None = None, **options: Any
) -> Path:
    """Write an interactive map of the landscape to one self-contained HTML file, atomically.

    ``options`` are those of :func:`to_pyvis`.

    Examples
    --------
    >>> import citynet, tempfile, pathlib
    >>> out = write_map(citynet.load(), pathlib.Path(tempfile.mkdtemp()) / "santiago.html",
    ...                 city="santiago", layout="geo")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    page = map_html(to_pyvis(land, heading=heading, **options), heading=heading)
    target = Path(path)
    with atomic_write(target) as fh:
        fh.write(page)
    return target


@dataclass(frozen=True)
class MapFrame:
    """A map for Jupyter: an ``<iframe srcdoc>`` that works in JupyterLab, VS Code and Colab."""

    page: str
    height: int = 650

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )


def show_map(
    land: Landscape, *, height: int = 650, heading: str | None = None, **options: Any
) -> MapFrame:
    """Return a map to display inline in a notebook (the last expression of a cell).

    Examples
    --------
    >>> import citynet
    >>> frame = show_map(citynet.load(), scope="national")
    >>> frame._repr_html_().startswith("<iframe srcdoc=")
    True
    """
    return MapFrame(
        map_html(to_pyvis(land, heading=heading, **options), heading=heading), height=height
    )
