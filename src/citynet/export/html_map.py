"""Interactive HTML maps of a landscape: pyvis data, citynet's own safe, self-contained page.

pyvis 0.3.2 alone loads Bootstrap and vis-network from CDNs, writes a ``lib/`` folder, does not
escape its heading or menus, lets a tooltip containing "href" run HTML, fails on numpy integers,
mutates graphs in ``from_nx`` and writes without an encoding. citynet uses pyvis's ``Network`` as
the data model (:func:`to_pyvis`) but renders the page itself (:func:`map_html`):

* one HTML file: vis-network's JavaScript and CSS are inlined from the copy inside the pyvis
  wheel; a Content-Security-Policy forbids every request, so nothing is fetched when it opens;
  no ``lib/`` folder is written anywhere;
* every user string (labels, tooltips, heading, menu options) reaches the page as JSON data or
  escaped text and is put on screen with ``textContent``/canvas text, never as HTML;
* deterministic: positions come from a seeded layout computed in Python, physics is off by
  default, and the same landscape, options and seed give byte-identical HTML;
* written atomically (:func:`citynet.io.atomic_write`).

Conventions: networks are diamonds coloured by scope, cities dots coloured by region; executive
seats are thick dark edges, participation-only links dashed; node size follows ``size_by``.
"""

from __future__ import annotations

import html
import json
import math
import os
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from citynet._errors import CitynetError
from citynet._version import __version__
from citynet.analysis.centrality import projection_pagerank, role_weighted_incidence
from citynet.io import atomic_write
from citynet.landscape import Landscape
from citynet.lookup import resolve_city
from citynet.schema import REGIONS, SCOPES, THEMES

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

SCOPE_COLORS = {"international": "#c0392b", "regional": "#e67e22", "national": "#27ae60"}
REGION_COLORS = {
    "Africa": "#8c564b",
    "Asia": "#d6589f",
    "Europe": "#1f77b4",
    "North America": "#7b4fb5",
    "South America": "#17a2b8",
    "Oceania": "#a3a30f",
}
UNKNOWN_COLOR = "#9e9e9e"
LARGE_MAP = 2000
"""Above this many nodes a map warns and suggests a subset."""

_GEO_SCALE = 8.0
_VIS_DIR = "templates/lib/vis-9.1.2"


def _subset(
    land: Landscape,
    *,
    city: str | None,
    theme: str | None,
    scope: str | None,
    max_members: int,
) -> tuple[list[str], list[str], pd.DataFrame, dict[str, int]]:
    """Pick the cities, networks and memberships a map shows."""
    edges = land.edges
    networks = land.networks
    net_ids = [str(n) for n in land.network_ids]
    if theme is not None:
        if theme not in THEMES:
            raise CitynetError(f"unknown theme {theme!r}; see docs/data-format.md")
        net_ids = [n for n in net_ids if theme in land.network_themes[n]]
    if scope is not None:
        if scope not in SCOPES:
            raise CitynetError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        net_ids = [n for n in net_ids if networks.at[n, "scope"] == scope]
    hidden: dict[str, int] = {}
    keep = edges["network_id"].isin(net_ids)
    if city is not None:
        city_id = resolve_city(land, city)
        mine = set(edges.loc[edges["city_id"] == city_id, "network_id"])
        net_ids = [n for n in net_ids if n in mine]
        sizes = edges["network_id"].value_counts()
        # Giant networks keep only the ego city; their other members are counted, not drawn.
        giant = {n for n in net_ids if sizes.get(n, 0) > max_members}
        hidden = {n: int(sizes[n]) - 1 for n in giant}
        keep = edges["network_id"].isin(net_ids) & (
            ~edges["network_id"].isin(giant) | (edges["city_id"] == city_id)
        )
    chosen = edges[keep.to_numpy(dtype=bool)]
    city_ids = sorted(set(chosen["city_id"]))
    if city is None and theme is None and scope is None:
        city_ids = [str(c) for c in land.city_ids]
    return city_ids, sorted(net_ids), chosen, hidden


def _node_values(land: Landscape, size_by: str) -> tuple[dict[str, float], dict[str, float]]:
    if size_by == "degree":
        edges = land.edges
        city_counts = edges["city_id"].value_counts()
        net_counts = edges["network_id"].value_counts()
        return (
            {str(k): float(v) for k, v in city_counts.items()},
            {str(k): float(v) for k, v in net_counts.items()},
        )
    if size_by == "executive":
        weights = role_weighted_incidence(land)
        cities = dict(zip(map(str, land.city_ids), projection_pagerank(weights), strict=True))
        networks = dict(
            zip(map(str, land.network_ids), projection_pagerank(weights.T), strict=True)
        )
        return cities, networks
    raise CitynetError(f"size_by must be 'degree' or 'executive', not {size_by!r}")


def _size(value: float, largest: float, low: float, high: float) -> float:
    if largest <= 0:
        return low
    return round(low + (high - low) * math.sqrt(max(value, 0.0) / largest), 2)


_SPRING_LIMIT = 500


def _force_positions(
    nodes: list[str], edges: list[tuple[str, str]], seed: int
) -> dict[str, tuple[float, float]]:
    """Seeded force layout.

    Small maps use a spring layout of the whole bipartite graph. Larger ones lay out the
    networks by a spring layout of the network projection and put each city in a seeded cloud
    around the mean position of its networks: linear in the number of memberships, where a
    spring layout of thousands of nodes takes minutes.
    """
    scale = 120.0 * math.sqrt(max(len(nodes), 1))
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    if len(nodes) <= _SPRING_LIMIT:
        pos = nx.spring_layout(graph, seed=seed, scale=scale, iterations=60)
        return {n: (round(float(p[0]), 1), round(float(p[1]), 1)) for n, p in pos.items()}
    network_nodes = sorted(n for n in nodes if n.startswith("network:"))
    projection = nx.Graph()
    projection.add_nodes_from(network_nodes)
    for city in sorted(n for n in nodes if n.startswith("city:")):
        mine = sorted(graph.neighbors(city))
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                weight = projection.get_edge_data(a, b, {"weight": 0})["weight"] + 1
                projection.add_edge(a, b, weight=weight)
    net_pos = nx.spring_layout(projection, seed=seed, scale=scale, weight="weight")
    rng = np.random.default_rng(seed)
    pos_out = {n: (round(float(p[0]), 1), round(float(p[1]), 1)) for n, p in net_pos.items()}
    spread = scale / max(math.sqrt(len(network_nodes)), 1.0)
    for city in sorted(n for n in nodes if n.startswith("city:")):
        mine = sorted(graph.neighbors(city))
        angle, radius = rng.random() * 2 * math.pi, spread * math.sqrt(rng.random())
        if mine:
            cx = float(np.mean([net_pos[m][0] for m in mine]))
            cy = float(np.mean([net_pos[m][1] for m in mine]))
        else:
            cx, cy = 0.0, scale * 1.2
        pos_out[city] = (
            round(cx + radius * math.cos(angle), 1),
            round(cy + radius * math.sin(angle), 1),
        )
    return pos_out


def _geo_positions(
    land: Landscape, city_ids: list[str], net_ids: list[str]
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    cities = land.cities
    lats = cities["latitude"].astype("float64").to_dict()
    lons = cities["longitude"].astype("float64").to_dict()
    pos: dict[str, tuple[float, float]] = {}
    missing = []
    for cid in city_ids:
        lat, lon = float(lats[cid]), float(lons[cid])
        if math.isnan(lat) or math.isnan(lon):
            missing.append(cid)
        else:
            pos[f"city:{cid}"] = (round(lon * _GEO_SCALE, 1), round(-lat * _GEO_SCALE, 1))
    # Networks: on a ring around the map, by scope then id.
    order = sorted(net_ids, key=lambda n: (SCOPES.index(str(land.networks.at[n, "scope"])), n))
    radius = 215 * _GEO_SCALE
    # Cities without coordinates: a labelled grid below the ring, in id order.
    columns = 30
    for i, cid in enumerate(missing):
        row, col = divmod(i, columns)
        pos[f"city:{cid}"] = (
            round(-180 * _GEO_SCALE + col * 2 * 180 * _GEO_SCALE / columns, 1),
            round(0.62 * radius + 160.0 + row * 40.0, 1),
        )
    for i, nid in enumerate(order):
        angle = 2 * math.pi * i / max(len(order), 1) - math.pi / 2
        pos[f"network:{nid}"] = (
            round(radius * math.cos(angle), 1),
            round(0.62 * radius * math.sin(angle), 1),
        )
    return pos, missing


def _years(since: Any, until: Any) -> str:
    start = "" if pd.isna(since) else str(since)
    end = "" if pd.isna(until) else str(until)
    if not start and not end:
        return ""
    return f", {start or '?'}–{end}"


def to_pyvis(
    land: Landscape,
    *,
    layout: str = "force",
    city: str | None = None,
    theme: str | None = None,
    scope: str | None = None,
    size_by: str = "degree",
    seed: int = 0,
    physics: bool = False,
    max_members: int = 200,
    heading: str | None = None,
    year: int | None = None,
) -> Any:
    """Build a ``pyvis.network.Network`` of the landscape (or a subset), ready to render.

    Parameters
    ----------
    layout
        ``"force"`` (seeded spring layout) or ``"geo"`` (cities at their coordinates, networks on
        a ring, cities without coordinates in a labelled grid below the map).
    city, theme, scope
        Subsets: one city's ego network (its networks and their members; networks with more than
        ``max_members`` members show only the city, their size in the tooltip), the networks of
        one theme, or of one scope, with their members.
    size_by
        ``"degree"`` (number of memberships) or ``"executive"`` (PageRank on the role-weighted
        projection, see :func:`citynet.centrality`).
    seed
        Seed of the force layout.
    physics
        Let vis-network keep moving the nodes in the browser (slow above ~1,000 nodes).
    heading
        Title shown above the map.
    year
        The year whose memberships are drawn (default: the landscape's year, or now).

    Returns
    -------
    pyvis.network.Network
        Its ``nodes`` and ``edges`` hold plain Python values; its ``options`` are citynet's.

    Examples
    --------
    >>> import citynet
    >>> net = to_pyvis(citynet.load(), city="Santiago")
    >>> sorted(n["id"] for n in net.nodes if n["kind"] == "network")[:2]
    ['network:achm', 'network:c40']
    """
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    if layout not in ("force", "geo"):
        raise CitynetError(f"layout must be 'force' or 'geo', not {layout!r}")
    land = land.current(year)
    city_ids, net_ids, chosen, hidden = _subset(
        land, city=city, theme=theme, scope=scope, max_members=max_members
    )
    n_nodes = len(city_ids) + len(net_ids)
    if n_nodes > LARGE_MAP:
        warnings.warn(
            f"the map has {n_nodes:,} nodes; above {LARGE_MAP:,} it becomes hard to read and "
            "slow to open: consider a subset (city=..., theme=... or scope=...)",
            stacklevel=2,
        )
    city_values, net_values = _node_values(land, size_by)
    cities, networks = land.cities, land.networks
    facts = land.memberships
    net_names = networks["name"].astype(str).to_dict()
    city_names = cities["name"].astype(str).to_dict()
    node_edges = list(
        zip(
            "city:" + chosen["city_id"].astype(str),
            "network:" + chosen["network_id"].astype(str),
            strict=True,
        )
    )
    missing: list[str] = []
    if layout == "geo":
        pos, missing = _geo_positions(land, city_ids, net_ids)
    else:
        all_nodes = [f"network:{n}" for n in net_ids] + [f"city:{c}" for c in city_ids]
        pos = _force_positions(sorted(all_nodes), sorted(node_edges), seed)

    edge_records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()}
        for r in chosen.sort_values(["city_id", "network_id"]).to_dict("records")
    ]
    by_city: dict[str, list[dict[str, Any]]] = {}
    for record in edge_records:
        by_city.setdefault(str(record["city_id"]), []).append(record)
    sources: dict[tuple[str, str], list[str]] = {}
    for c, n, u in zip(facts["city_id"], facts["network_id"], facts["source_url"], strict=True):
        sources.setdefault((str(c), str(n)), []).append(str(u))
    member_counts = land.edges["network_id"].value_counts().to_dict()
    city_rows: dict[str, dict[str, Any]] = {
        str(k): {str(c): v for c, v in r.items()}
        for k, r in cities.loc[city_ids].to_dict("index").items()
    }
    net_rows: dict[str, dict[str, Any]] = {
        str(k): {str(c): v for c, v in r.items()}
        for k, r in networks.loc[net_ids].to_dict("index").items()
    }
    net = Network(
        height="100%", width="100%", directed=False, cdn_resources="remote", heading=heading or ""
    )
    largest_city = max([city_values.get(c, 0.0) for c in city_ids] + [0.0])
    largest_net = max([net_values.get(n, 0.0) for n in net_ids] + [0.0])
    missing_set = set(missing)
    for nid in net_ids:
        row = net_rows[nid]
        themes = sorted(land.network_themes[nid])
        members = int(member_counts.get(nid, 0))
        lines = [
            f"{row['name']}" + ("" if pd.isna(row["acronym"]) else f" ({row['acronym']})"),
            f"Scope: {row['scope']}",
            f"Themes: {', '.join(t.replace('_', ' ') for t in themes) or 'none recorded'}",
            f"Members in the data: {members}"
            + ("" if pd.isna(row["coverage"]) else f" (member list: {row['coverage']})"),
        ]
        if nid in hidden:
            lines.append(f"{hidden[nid]:,} other members are not drawn in this ego map")
        if not pd.isna(row["source_url"]):
            lines.append(f"Source: {row['source_url']}")
        x, y = pos[f"network:{nid}"]
        net.nodes.append(
            {
                "id": f"network:{nid}",
                "label": str(row["acronym"]) if not pd.isna(row["acronym"]) else str(row["name"]),
                "shape": "diamond",
                "title": "\n".join(lines),
                "color": SCOPE_COLORS[str(row["scope"])],
                "kind": "network",
                "scope": str(row["scope"]),
                "themes": themes,
                "region": "",
                "size": _size(net_values.get(nid, 0.0), largest_net, 12.0, 40.0),
                "x": x,
                "y": y,
                "font": {"size": 16, "strokeWidth": 3},
            }
        )
    for cid in city_ids:
        row = city_rows[cid]
        region = "" if pd.isna(row["region"]) else str(row["region"])
        mine = by_city.get(cid, [])
        lines = [f"{row['name']} ({row['country']}{', ' + region if region else ''})"]
        if not pd.isna(row["population"]):
            counted = "" if pd.isna(row["population_year"]) else f" ({row['population_year']})"
            lines.append(f"Population: {int(row['population']):,}{counted}")
        if cid in missing_set:
            lines.append("No coordinates in the data: placed below the map")
        lines.append(f"Networks here ({len(mine)}):")
        for edge in mine:
            title = "" if pd.isna(edge["role_titles"]) else f": {edge['role_titles']}"
            lines.append(
                f"  {net_names[edge['network_id']]} ({edge['role']}{title}"
                f"{_years(edge['since'], edge['until'])})"
            )
        x, y = pos[f"city:{cid}"]
        net.nodes.append(
            {
                "id": f"city:{cid}",
                "label": city_names[cid],
                "shape": "dot",
                "title": "\n".join(lines),
                "color": REGION_COLORS.get(region, UNKNOWN_COLOR),
                "kind": "city",
                "scope": "",
                "themes": [],
                "region": region,
                "size": _size(city_values.get(cid, 0.0), largest_city, 5.0, 26.0),
                "x": x,
                "y": y,
                "borderWidth": 3 if cid in missing_set else 1,
            }
        )
    for edge in edge_records:
        cid, nid = str(edge["city_id"]), str(edge["network_id"])
        executive = edge["role"] == "executive"
        urls = sorted(set(sources.get((cid, nid), [])))
        titles = "" if pd.isna(edge["role_titles"]) else f" ({edge['role_titles']})"
        title = (
            f"{city_names[cid]} – {net_names[nid]}: {edge['role']}{titles}"
            f"{_years(edge['since'], edge['until'])}; evidence: {edge['evidence']}\n"
            + "\n".join(f"Source: {u}" for u in urls[:5])
            + (f"\n… and {len(urls) - 5} more sources" if len(urls) > 5 else "")
        )
        net.edges.append(
            {
                "id": f"{cid}|{nid}",
                "from": f"city:{cid}",
                "to": f"network:{nid}",
                "role": str(edge["role"]),
                "title": title,
                "width": 3.0 if executive else 1.0,
                "color": {"color": "#333333" if executive else "#b0b0b0", "opacity": 0.9},
                "dashes": bool(edge["evidence"] == "participation"),
            }
        )
    net.options = {
        "physics": {"enabled": bool(physics), "stabilization": {"iterations": 200}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 800},
        "nodes": {"font": {"size": 13}},
        "edges": {"smooth": False},
        "layout": {"randomSeed": int(seed), "improvedLayout": False},
    }
    net.citynet_note = (
        f"{len(missing)} cities have no coordinates and sit in the grid below the map."
        if layout == "geo" and missing
        else "Hover a node or a line for its facts and sources; drag to move, scroll to zoom."
    )
    return net


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


def _plain(value: Any) -> Any:
    """Plain Python values for JSON (numpy scalars make pyvis fail: "int64 not serializable")."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def map_html(net: Any, *, heading: str | None = None) -> str:
    """Render a network from :func:`to_pyvis` as one self-contained HTML page.

    Examples
    --------
    >>> import citynet
    >>> page = map_html(to_pyvis(citynet.load(), city="Santiago"))
    >>> "cdnjs" in page or "jsdelivr" in page, "default-src 'none'" in page
    (False, True)
    """
    from jinja2 import Environment, select_autoescape

    package = resources.files("pyvis")
    vis_js = (package / _VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (package / _VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    template_text = (resources.files("citynet.export") / "map_template.html").read_text(
        encoding="utf-8"
    )
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    nodes = _plain(list(net.nodes))
    regions = sorted(
        {n["region"] for n in nodes if n["kind"] == "city"},
        key=lambda r: (r == "", REGIONS.index(r) if r in REGIONS else 99, r),
    )
    data = {
        "nodes": nodes,
        "edges": _plain(list(net.edges)),
        "options": _plain(net.options if isinstance(net.options, dict) else {}),
        "menus": {
            "scopes": [s for s in SCOPES if any(n.get("scope") == s for n in nodes)],
            "themes": [t for t in THEMES if any(t in n.get("themes", []) for n in nodes)],
            "regions": [r for r in regions if r],
            "cities": sorted({n["label"] for n in nodes if n["kind"] == "city"}),
        },
        "legend": {
            "scopes": [[s, SCOPE_COLORS[s]] for s in SCOPES],
            "regions": [[r, REGION_COLORS[r]] for r in REGIONS] + [["unknown", UNKNOWN_COLOR]],
        },
        "note": str(getattr(net, "citynet_note", "")),
    }
    title = heading if heading is not None else (net.heading or "City-network memberships")
    return env.from_string(template_text).render(
        heading=title,
        version=__version__,
        background="#ffffff",
        vis_js=vis_js.replace("</script", "<\\/script"),
        vis_css=vis_css,
        data_json=_script_json(data),
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
