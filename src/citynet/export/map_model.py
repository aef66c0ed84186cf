"""What a map shows and where: the selection, the layout and the drawing rules, as pyvis data.

:func:`to_pyvis` returns a ``pyvis.network.Network`` whose nodes and edges carry plain values
(positions, sizes, colours and the facts behind them). :mod:`citynet.export.html_map` turns it
into one self-contained page; pyvis users can also ``net.show()`` it.

Drawing rules, so that the first view is legible:

* only what exists in the year is drawn: networks with members and cities with a membership
  (the others are counted in the note);
* a **giant** network (more than a fifth of the cities on the map, and over 200) does not
  swallow the picture: its memberships are hidden until the reader opens it (click) or ticks
  "giant networks", and cities whose only ties are giant networks are counted in its label
  instead of drawn;
* above :data:`LARGE_MAP` nodes the map opens on an **overview**: networks, linked by the
  number of members they share, with the most connected cities; the other cities appear when
  the reader opens a network or searches for a city;
* the force layout is seeded and normalised to a fixed extent; the geographic layout uses the
  Equal Earth projection over Natural Earth outlines (:mod:`citynet.geo`), places a network at
  its headquarters when the landscape has that city, else at the centre of its members when
  they are close together, else in the margin beside the world; cities without coordinates are
  listed beside the map, not drawn.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.analysis.centrality import projection_pagerank, role_weighted_incidence
from citynet.geo import equal_earth, world_bounds
from citynet.landscape import Landscape
from citynet.lookup import UnknownNameError, resolve_city
from citynet.schema import SCOPES, THEMES

__all__ = [
    "GEO_SCALE",
    "LARGE_MAP",
    "REGION_COLORS",
    "SCOPE_COLORS",
    "UNKNOWN_COLOR",
    "to_pyvis",
]

# Colour-blind-safe: every pair stays apart (CIELAB distance of 18 or more) for normal vision
# and simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009), and every colour
# has a contrast of at least 3:1 on white (WCAG 2.1, non-text contrast).
SCOPE_COLORS = {"international": "#b2182b", "regional": "#9c6500", "national": "#2166ac"}
REGION_COLORS = {
    "Africa": "#8e0152",
    "Asia": "#cc3399",
    "Europe": "#3f51b5",
    "North America": "#e66101",
    "South America": "#117733",
    "Oceania": "#1a1a80",
}
UNKNOWN_COLOR = "#767676"
LARGE_MAP = 2000
"""Above this many nodes a map opens on the overview (and :func:`to_pyvis` warns)."""
MAX_MAP_MEMBERSHIPS = 1_000_000
"""Most memberships one map draws: 400,000 make a 15 MB page that takes a minute to build;
beyond a million a browser can hardly open it, so a subset is asked for instead."""
_BYTES_PER_MEMBERSHIP = 38
"""Measured page size per membership drawn (L: 400,000 memberships, 15 MB)."""
GEO_SCALE = 300.0
"""Map units per unit of the Equal Earth projection (the world is about 1,600 units wide)."""
EXTENT = 1000.0
"""Half the width of a force layout, in map units."""
OVERVIEW_CITIES = 40
"""Cities drawn on an overview before the reader opens a network."""


def _subset(
    land: Landscape,
    *,
    city: str | None,
    theme: str | None,
    scope: str | None,
    max_members: int,
) -> tuple[list[str], list[str], pd.DataFrame, dict[str, int], str | None]:
    """Pick the cities, networks and memberships a map shows (and the focus city)."""
    edges = land.edges
    networks = land.networks
    sizes = edges["network_id"].value_counts()
    net_ids = [str(n) for n in land.network_ids if sizes.get(n, 0) > 0]
    if theme is not None:
        if theme not in THEMES:
            raise CitynetError(f"unknown theme {theme!r}; see docs/data-format.md")
        net_ids = [n for n in net_ids if theme in land.network_themes[n]]
        if not net_ids:
            raise CitynetError(
                f"no network with members in {land.year} has the theme {theme!r}: the map "
                "would be empty (citynet themes lists the themes in use)"
            )
    if scope is not None:
        if scope not in SCOPES:
            raise CitynetError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        net_ids = [n for n in net_ids if networks.at[n, "scope"] == scope]
        if not net_ids:
            raise CitynetError(
                f"no {scope} network has members in {land.year}"
                + (f" with the theme {theme!r}" if theme else "")
                + ": the map would be empty"
            )
    hidden: dict[str, int] = {}
    keep = edges["network_id"].isin(net_ids)
    focus = None
    if city is not None:
        focus = resolve_city(land, city)
        mine = set(edges.loc[edges["city_id"] == focus, "network_id"])
        if not mine & set(net_ids):
            raise CitynetError(
                f"{land.cities['name'].astype(str)[focus]} has no membership in {land.year}"
                + (" in the networks selected" if theme or scope else "")
                + ": nothing to map"
            )
        net_ids = [n for n in net_ids if n in mine]
        # Giant networks keep only the ego city; their other members are counted, not drawn.
        giant = {n for n in net_ids if sizes.get(n, 0) > max_members}
        hidden = {n: int(sizes[n]) - 1 for n in giant}
        keep = edges["network_id"].isin(net_ids) & (
            ~edges["network_id"].isin(giant) | (edges["city_id"] == focus)
        )
    chosen = edges[keep.to_numpy(dtype=bool)]
    city_ids = sorted(set(chosen["city_id"].astype(str)))
    return city_ids, sorted(net_ids), chosen, hidden, focus


def _apart(pos: dict[str, tuple[float, float]], sizes: dict[str, float]) -> None:
    """Move network diamonds apart where one would cover another's centre (in place).

    Each overlapping pair is pushed apart along the line between them until their centres are
    the sum of their sizes apart, so that every diamond can be seen and clicked at its centre.

    Examples
    --------
    >>> pos = {"network:a": (0.0, 0.0), "network:b": (1.0, 0.0)}
    >>> _apart(pos, {"a": 10.0, "b": 10.0})
    >>> round(pos["network:b"][0] - pos["network:a"][0])
    21
    """
    ids = [n for n in sizes if f"network:{n}" in pos and pos[f"network:{n}"][0] is not None]
    if len(ids) < 2:
        return
    xy = np.array([pos[f"network:{n}"] for n in ids], dtype=float)
    radius = np.array([sizes[n] for n in ids], dtype=float)
    for _ in range(60):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        need = (radius[:, None] + radius[None, :]) * 1.05
        np.fill_diagonal(dist, np.inf)
        close = dist < need
        if not close.any():
            break
        # coincident centres: a fixed direction per pair, so the result is reproducible
        angle = np.arange(len(ids))[:, None] * 2.399 - np.arange(len(ids))[None, :] * 2.399
        unit_x = np.where(
            dist > 1e-9, delta[..., 0] / np.where(dist > 1e-9, dist, 1), np.cos(angle)
        )
        unit_y = np.where(
            dist > 1e-9, delta[..., 1] / np.where(dist > 1e-9, dist, 1), np.sin(angle)
        )
        push = np.where(close, (need - np.where(np.isfinite(dist), dist, 0)) / 2, 0.0)
        xy[:, 0] += (push * unit_x).sum(axis=1)
        xy[:, 1] += (push * unit_y).sum(axis=1)
    for n, (x, y) in zip(ids, xy, strict=True):
        pos[f"network:{n}"] = (round(float(x), 1), round(float(y), 1))


def _node_values(land: Landscape, size_by: str) -> tuple[dict[str, float], dict[str, float]]:
    if size_by == "degree":
        edges = land.edges
        return (
            {str(k): float(v) for k, v in edges["city_id"].value_counts().items()},
            {str(k): float(v) for k, v in edges["network_id"].value_counts().items()},
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


def _normalised(pos: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """Centre a layout and scale it to ``±EXTENT`` (the page fits it to the canvas)."""
    if not pos:
        return {}
    points = np.array(list(pos.values()), dtype=float)
    centre = (points.max(axis=0) + points.min(axis=0)) / 2
    half = float(np.abs(points - centre).max()) or 1.0
    return {
        n: (round(float((p[0] - centre[0]) / half * EXTENT), 1),
            round(float((p[1] - centre[1]) / half * EXTENT), 1))
        for n, p in pos.items()
    }  # fmt: skip


_SPRING_LIMIT = 1500


def _spring(graph: nx.Graph, nodes: list[str], seed: int, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold layout of ``nodes`` (dense, vectorised; positions about [-1, 1]).

    The same algorithm as ``networkx.spring_layout``, whose version for more than 500 nodes
    loops in Python; this one takes about a second for 1,000 nodes.
    """
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    weights = np.zeros((n, n), dtype=np.float32)
    for a, b, data in graph.edges(data=True):
        w = float(data.get("weight", 1.0))
        weights[index[a], index[b]] = weights[index[b], index[a]] = w
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    k = np.float32(1.0 / math.sqrt(n))
    t = 0.1
    cool = t / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta * delta).sum(axis=-1))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / (distance * distance) - weights * distance / k
        shift = (delta * force[:, :, None]).sum(axis=1)
        length = np.sqrt((shift * shift).sum(axis=1))
        length[length < 0.01] = 0.1
        pos += shift * (t / length)[:, None]
        t -= cool
    result: np.ndarray = (pos - pos.mean(axis=0)).astype(float)
    return result


def _pack(layouts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Place laid-out components side by side in rows, largest first, about 4:3 overall."""
    sizes = [math.sqrt(len(layout)) for layout in layouts]
    area = sum((2.2 * r) ** 2 for r in sizes)
    row_width = max(math.sqrt(area * 4 / 3), 2.2 * max(sizes))
    out: dict[str, np.ndarray] = {}
    x = y = row_height = 0.0
    for layout, r in zip(layouts, sizes, strict=True):
        box = 2.2 * r
        if x > 0 and x + box > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centre = np.array([x + box / 2, y + box / 2])
        for node, p in layout.items():
            out[node] = centre + p * r
        x += box
        row_height = max(row_height, box)
    return out


def _clouds(
    graph: nx.Graph, seed: int, sizes: dict[str, int] | None = None
) -> dict[str, np.ndarray]:
    """Networks by a spring layout of their co-membership; their cities in discs around them.

    For components too large for a spring layout of every node: cities that share the same
    set of networks sit in a seeded disc around the mean position of those networks, the disc's
    area growing with their number (linear in the number of memberships). A node standing for a
    group of cities (``sizes``: how many) counts as that many.
    """
    sizes = sizes or {}
    network_nodes = sorted(n for n in graph if n.startswith("network:"))
    city_nodes = sorted(n for n in graph if not n.startswith("network:"))
    groups: dict[tuple[str, ...], list[str]] = {}
    for city in city_nodes:
        groups.setdefault(tuple(sorted(graph.neighbors(city))), []).append(city)
    projection = nx.Graph()
    projection.add_nodes_from(network_nodes)
    for members, cities in groups.items():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                weight = projection.get_edge_data(a, b, {"weight": 0.0})["weight"]
                projection.add_edge(a, b, weight=weight + sum(sizes.get(c, 1) for c in cities))
    most = max((d["weight"] for _, _, d in projection.edges(data=True)), default=1.0)
    for _, _, data in projection.edges(data=True):
        data["weight"] = 0.2 + data["weight"] / most
    placed = (
        _spring(projection, network_nodes, seed) if len(network_nodes) > 1 else np.zeros((1, 2))
    )
    net_pos = dict(zip(network_nodes, placed, strict=True))
    rng = np.random.default_rng(seed)
    pos: dict[str, np.ndarray] = dict(net_pos)
    unit = 1.2 / math.sqrt(max(sum(sizes.get(c, 1) for c in city_nodes), 1))
    for members, cities in sorted(groups.items()):
        centre = (
            np.mean([net_pos[m] for m in members], axis=0) if members else np.zeros(2)
        )  # fmt: skip
        radius = unit * math.sqrt(sum(sizes.get(c, 1) for c in cities))
        for city in cities:
            angle = rng.random() * 2 * math.pi
            r = radius * math.sqrt(0.1 + 0.9 * rng.random())
            pos[city] = centre + r * np.array([math.cos(angle), math.sin(angle)])
    return pos


def _unit(layout: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    points = np.array(list(layout.values()), dtype=float)
    centre = (points.max(axis=0) + points.min(axis=0)) / 2
    half = float(np.abs(points - centre).max()) or 1.0
    return {n: (np.asarray(p, dtype=float) - centre) / half for n, p in layout.items()}


def _force_positions(
    nodes: list[str],
    edges: list[tuple[str, str]],
    seed: int,
    giants: dict[str, list[str]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Seeded force layout of each connected component, packed side by side, to ``±EXTENT``.

    Components of up to ``_SPRING_LIMIT`` nodes get a spring layout of all their nodes; larger
    ones :func:`_clouds`. Each component gets room in proportion to the square root of its
    size, so a small national league sits beside the main picture instead of pushing it into a
    corner. ``giants`` maps a giant network to its members found only there: the giant is left
    out of the springs (its edges are hidden by default), then set just outside the picture in
    the direction of its other members, with its own members in a disc beyond it.
    """
    giants = giants or {}
    exclusive = {c for cities in giants.values() for c in cities}
    kept = [n for n in nodes if n not in exclusive and n not in giants]
    kept_set = set(kept)
    ties: dict[str, list[str]] = {}
    for a, b in edges:
        if a in kept_set and b in kept_set:
            ties.setdefault(a, []).append(b)
    # cities with the same networks move as one: a group node in the springs
    groups: dict[tuple[str, ...], list[str]] = {}
    for city in (n for n in kept if n.startswith("city:")):
        groups.setdefault(tuple(sorted(ties.get(city, []))), []).append(city)
    graph = nx.Graph()
    graph.add_nodes_from(n for n in kept if n.startswith("network:"))
    group_of: dict[str, list[str]] = {}
    for i, (networks, cities) in enumerate(sorted(groups.items())):
        node = f"group:{i:06d}"
        group_of[node] = cities
        graph.add_node(node)
        graph.add_edges_from((node, n) for n in networks)
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    layouts = []
    for component in components:
        if len(component) == 1:
            layout = {component[0]: np.zeros(2)}
        elif len(component) <= _SPRING_LIMIT:
            layout = dict(zip(component, _spring(graph.subgraph(component), component, seed),
                              strict=True))  # fmt: skip
        else:
            sizes = {g: len(group_of[g]) for g in component if g in group_of}
            layout = _clouds(graph.subgraph(component), seed, sizes)
        layout = _unit(layout)
        members = sum(len(group_of.get(n, [n])) for n in component)
        spread = 0.6 / math.sqrt(members)  # a group's disc: its share of the component's area
        rng = np.random.default_rng(seed)
        for node in component:
            if node not in group_of:
                continue
            centre = layout.pop(node)
            cities = group_of[node]
            radius = spread * math.sqrt(len(cities)) if len(cities) > 1 else 0.0
            for city in cities:
                angle, r = rng.random() * 2 * math.pi, radius * math.sqrt(rng.random())
                layout[city] = centre + r * np.array([math.cos(angle), math.sin(angle)])
        layouts.append(layout)
    pos = _pack(layouts) if layouts else {}
    points = np.array(list(pos.values())) if pos else np.zeros((1, 2))
    centre = (points.max(axis=0) + points.min(axis=0)) / 2
    reach = float(np.abs(points - centre).max()) or 1.0
    neighbours: dict[str, list[str]] = {g: [] for g in giants}
    for a, b in edges:
        if b in giants and a in pos:
            neighbours[b].append(a)
    for i, (giant, cities) in enumerate(sorted(giants.items())):
        others = np.array([pos[c] for c in neighbours[giant]]) if neighbours[giant] else None
        direction = (others.mean(axis=0) - centre) if others is not None else np.array([1.0, 0])
        if float(np.hypot(*direction)) < 1e-9:
            direction = np.array([math.cos(i * 2.4), math.sin(i * 2.4)])
        direction = direction / float(np.hypot(*direction))
        spot = centre + direction * reach * 1.08
        pos[giant] = spot
        radius = reach * 0.9 * math.sqrt(len(cities) / max(len(pos), 1))
        rng = np.random.default_rng(seed + i)
        for city in sorted(cities):
            angle = rng.random() * 2 * math.pi
            r = radius * math.sqrt(rng.random())
            pos[city] = (
                spot + direction * (radius * 1.1) + r * np.array([math.cos(angle), math.sin(angle)])
            )
    return _normalised(pos)


def _geo_positions(
    land: Landscape, city_ids: list[str], net_ids: list[str], chosen: pd.DataFrame
) -> tuple[dict[str, tuple[float, float]], list[str], dict[str, str]]:
    """Cities at their coordinates; networks at HQ, at their members' centre, or in a margin."""
    cities = land.cities
    lat = cities["latitude"].reindex(city_ids).astype("float64").to_numpy()
    lon = cities["longitude"].reindex(city_ids).astype("float64").to_numpy()
    x, y = equal_earth(lon, lat, scale=GEO_SCALE)
    pos: dict[str, tuple[float, float]] = {}
    missing = []
    for cid, xi, yi in zip(city_ids, x, y, strict=True):
        if math.isnan(xi) or math.isnan(yi):
            missing.append(cid)
        else:
            pos[f"city:{cid}"] = (round(float(xi), 1), round(float(yi), 1))
    x0, y0, x1, y1 = world_bounds(GEO_SCALE)
    placement: dict[str, str] = {}
    margin: list[tuple[float, float, str]] = []
    taken: dict[tuple[float, float], int] = {}
    members = chosen.groupby("network_id")["city_id"].agg(list).to_dict()
    for nid in net_ids:
        spot = None
        hq = land.networks.at[nid, "hq_city"]
        if isinstance(hq, str) and hq:
            try:
                hq_id = resolve_city(land, hq)
            except UnknownNameError:
                hq_id = None
            if hq_id is not None:
                hx, hy = equal_earth(
                    float(cities["longitude"].astype("float64")[hq_id]),
                    float(cities["latitude"].astype("float64")[hq_id]),
                    scale=GEO_SCALE,
                )
                if not (math.isnan(float(hx)) or math.isnan(float(hy))):
                    spot = (float(hx), float(hy))
                    placement[nid] = f"at its headquarters ({cities['name'].astype(str)[hq_id]})"
        points = np.array([pos[f"city:{c}"] for c in members.get(nid, []) if f"city:{c}" in pos])
        centre = points.mean(axis=0) if len(points) else np.array([0.0, 0.0])
        if spot is None and len(points):
            spread = float(np.sqrt(((points - centre) ** 2).sum(axis=1).mean()))
            if spread < 150.0:  # about the size of Europe or of the United States
                spot = (float(centre[0]), float(centre[1]))
                placement[nid] = "at the centre of its members"
        if spot is None:
            margin.append((float(centre[0]), float(centre[1]), nid))
            placement[nid] = "beside the map (its members are far apart)"
            continue
        key = (round(spot[0]), round(spot[1]))
        count = taken.get(key, 0)
        taken[key] = count + 1
        if count:  # several networks at one place: a small ring around it
            angle = count * 2.4
            spot = (spot[0] + 16 * math.cos(angle), spot[1] + 16 * math.sin(angle))
        pos[f"network:{nid}"] = (round(spot[0], 1), round(spot[1], 1))
    # networks whose members are far apart: in a row above the map (members mostly north of
    # the equator's map line) or below it, in the order of their members' centre from west to east
    middle = (y0 + y1) / 2
    north = sorted([m for m in margin if m[1] < middle], key=lambda m: (m[0], m[2]))
    south = sorted([m for m in margin if m[1] >= middle], key=lambda m: (m[0], m[2]))
    for row, items, away in ((y0 - 30.0, north, -1.0), (y1 + 30.0, south, 1.0)):
        step = (x1 - x0) / max(len(items), 1)
        for i, (_, _, nid) in enumerate(items):
            staggered = row + away * 32.0 * (i % 2)  # every other one a step further out
            pos[f"network:{nid}"] = (round(x0 + step * (i + 0.3), 1), round(staggered, 1))
    return pos, missing, placement


def _years(since: Any, until: Any) -> str:
    start = "" if pd.isna(since) else str(since)
    end = "" if pd.isna(until) else str(until)
    if not start and not end:
        return ""
    return f"{start or '?'}–{end}"


def _short(name: str, limit: int = 24) -> str:
    """Shorten a network's name for a label: before any parenthesis, at most ``limit`` long.

    Examples
    --------
    >>> _short("Climate Alliance (Klima-Bündnis der europäischen Städte)")
    'Climate Alliance'
    >>> _short("Österreichischer Städtebund und noch viel mehr")
    'Österreichischer Städte…'
    """
    head = name.split(" (")[0].strip() or name
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _network_links(chosen: pd.DataFrame, net_ids: list[str]) -> list[list[Any]]:
    """Pairs of networks and the number of members they share (each network's 4 strongest)."""
    index = {n: i for i, n in enumerate(net_ids)}
    cities = pd.Index(sorted(set(chosen["city_id"].astype(str))))
    rows = cities.get_indexer(pd.Index(chosen["city_id"].astype(str)))
    cols = chosen["network_id"].astype(str).map(index).to_numpy()
    incidence = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(cities), len(net_ids)))
    shared = sp.triu(incidence.T @ incidence, k=1).tocoo()
    frame = pd.DataFrame({"a": shared.row, "b": shared.col, "w": shared.data.astype(int)})
    both = pd.concat([frame.assign(node=frame["a"]), frame.assign(node=frame["b"])])
    kept = (
        both.sort_values(["node", "w", "a", "b"], ascending=[True, False, True, True])
        .groupby("node")
        .head(4)
        .drop_duplicates(["a", "b"])
        .sort_values(["a", "b"])
    )
    return [[net_ids[a], net_ids[b], int(w)] for a, b, w in kept[["a", "b", "w"]].to_numpy()]


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
        ``"force"`` (seeded layout) or ``"geo"`` (Equal Earth over country outlines; networks
        at their headquarters, at their members' centre, or beside the map).
    city, theme, scope
        Subsets: one city's ego network (its networks and their members, the city highlighted;
        networks with more than ``max_members`` members show only the city, their size in the
        label), the networks of one theme, or of one scope, with their members. A subset that
        selects nothing raises :class:`~citynet.CitynetError`.
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
        ``nodes`` and ``edges`` hold plain Python values; ``citynet_meta`` what the page needs
        (layout, mode, focus, notes, network links, cities without coordinates).

    Examples
    --------
    >>> import citynet
    >>> net = to_pyvis(citynet.load(), city="Santiago")
    >>> sorted(n["id"] for n in net.nodes if n["kind"] == "network")[:2]
    ['network:achm', 'network:c40']
    >>> net.citynet_meta["focus"]
    'city:santiago'
    """
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    if layout not in ("force", "geo"):
        raise CitynetError(f"layout must be 'force' or 'geo', not {layout!r}")
    land = land.current(year)
    city_ids, net_ids, chosen, hidden, focus = _subset(
        land, city=city, theme=theme, scope=scope, max_members=max_members
    )
    if len(chosen) > MAX_MAP_MEMBERSHIPS:
        raise CitynetError(
            f"the map would draw {len(chosen):,} memberships, a page of about "
            f"{len(chosen) * _BYTES_PER_MEMBERSHIP / 1e6:,.0f} MB that a browser can hardly open "
            f"(at most {MAX_MAP_MEMBERSHIPS:,}): map a subset (city=..., theme=... or scope=...)"
        )
    n_nodes = len(city_ids) + len(net_ids)
    overview = n_nodes > LARGE_MAP and focus is None
    if n_nodes > LARGE_MAP:
        warnings.warn(
            f"the map has {n_nodes:,} nodes; above {LARGE_MAP:,} it opens on an overview of the "
            "networks and is slow to open: consider a subset (city=..., theme=... or scope=...)",
            stacklevel=2,
        )
    city_values, net_values = _node_values(land, size_by)
    cities, networks = land.cities, land.networks
    chosen = chosen.sort_values(["city_id", "network_id"])
    counts = chosen["network_id"].value_counts()
    giant_limit = max(200, len(city_ids) // 5)
    giants = (
        set()
        if focus is not None
        else {str(n) for n, c in counts.items() if c > giant_limit and len(net_ids) > 1}
    )
    ties: dict[str, set[str]] = {}
    for c, n in zip(chosen["city_id"].astype(str), chosen["network_id"].astype(str), strict=True):
        ties.setdefault(c, set()).add(n)
    only_giant = {c for c, nets in ties.items() if nets and nets <= giants}
    placement: dict[str, str] = {}
    missing: list[str] = []
    node_edges = list(
        zip("city:" + chosen["city_id"].astype(str), "network:" + chosen["network_id"], strict=True)
    )
    if layout == "geo":
        pos, missing, placement = _geo_positions(land, city_ids, net_ids, chosen)
    else:
        exclusive: dict[str, list[str]] = {f"network:{g}": [] for g in giants}
        for cid in sorted(only_giant):
            first = sorted(ties[cid])[0]
            exclusive[f"network:{first}"].append(f"city:{cid}")
        all_nodes = [f"network:{n}" for n in net_ids] + [f"city:{c}" for c in city_ids]
        pos = _force_positions(sorted(all_nodes), sorted(node_edges), seed, exclusive)
    facts = land.memberships
    sources: dict[tuple[str, str], list[str]] = {}
    for c, n, u in zip(facts["city_id"], facts["network_id"], facts["source_url"], strict=True):
        sources.setdefault((str(c), str(n)), []).append(str(u))
    net_names = networks["name"].astype(str).to_dict()
    city_names = cities["name"].astype(str).to_dict()
    if heading is None:
        heading = (
            f"{land.cities['name'].astype(str)[focus]} and its city networks, {land.year}"
            if focus
            else f"City networks, {land.year}"
        )
    net = Network(
        height="100%", width="100%", directed=False, cdn_resources="remote", heading=heading
    )
    largest_city = max([city_values.get(c, 0.0) for c in city_ids] + [0.0])
    largest_net = max([net_values.get(n, 0.0) for n in net_ids] + [0.0])
    geo = layout == "geo"
    aggregated = dict.fromkeys(giants, 0)
    for cid in only_giant:
        for n in ties[cid]:
            aggregated[n] += 1
    net_rows = networks.loc[list(net_ids)].astype(object).to_dict("index")
    net_sizes = {
        nid: _size(net_values.get(nid, 0.0), largest_net, 9.0, 22.0 if geo else 30.0)
        for nid in net_ids
    }
    _apart(pos, net_sizes)
    for nid in net_ids:
        row = net_rows[nid]
        acronym = _text(row["acronym"])
        members = int(counts.get(nid, 0))
        label = acronym or _short(str(row["name"]))
        net_x, net_y = pos[f"network:{nid}"]
        net.nodes.append(
            {
                "id": f"network:{nid}",
                "label": label,
                "name": str(row["name"]),
                "shape": "diamond",
                "title": f"{row['name']} ({row['scope']}, {members:,} members in {land.year})",
                "color": SCOPE_COLORS[str(row["scope"])],
                "kind": "network",
                "scope": str(row["scope"]),
                "themes": sorted(land.network_themes[nid]),
                "region": "",
                "members": members + hidden.get(nid, 0),
                "coverage": _text(row["coverage"]),
                "source": _text(row["source_url"]),
                "hidden": int(hidden.get(nid, 0)),
                "giant": nid in giants,
                "beside": placement.get(nid, "").startswith("beside"),
                "aggregated": int(aggregated.get(nid, 0)),
                "placed": placement.get(nid, ""),
                "aliases": ";".join(
                    a.replace(";", ",") for a in land.rules[nid].aliases if "\n" not in a
                )
                if nid in land.rules
                else "",
                "size": net_sizes[nid],
                "x": net_x,
                "y": net_y,
            }
        )
    missing_set = set(missing)
    degree = chosen["city_id"].value_counts()
    top = set(degree.sort_values(ascending=False, kind="stable").index[:OVERVIEW_CITIES])
    # rows as plain dicts: one lookup per city, not a pandas row each (13,800 on R: 1.8 s)
    picked = cities.loc[
        list(city_ids), ["region", "population", "population_year", "country", "aliases"]
    ]
    columns = {c: picked[c].to_numpy(dtype=object).tolist() for c in picked.columns}
    city_rows: dict[str, dict[Hashable, Any]] = {
        str(cid): dict(zip(columns, values, strict=True))
        for cid, values in zip(picked.index, zip(*columns.values(), strict=True), strict=True)
    }
    for cid in city_ids:
        row = city_rows[cid]
        region = _text(row["region"])
        point = pos.get(f"city:{cid}")
        x: float | None = point[0] if point is not None else None
        y: float | None = point[1] if point is not None else None
        population = row["population"]
        net.nodes.append(
            {
                "id": f"city:{cid}",
                "label": city_names[cid],
                "shape": "dot",
                "title": f"{city_names[cid]} ({row['country']})",
                "color": REGION_COLORS.get(region, UNKNOWN_COLOR),
                "kind": "city",
                "scope": "",
                "themes": [],
                "region": region,
                "country": _text(row["country"]),
                "population": None if pd.isna(population) else int(population),
                "population_year": None
                if pd.isna(row["population_year"])
                else int(row["population_year"]),
                "no_coordinates": cid in missing_set,
                "only_giant": cid in only_giant,
                "overview": cid in top,
                "aliases": _text(row["aliases"]) or "",
                "size": _size(city_values.get(cid, 0.0), largest_city, 3.0, 9.0 if geo else 14.0),
                "x": x,
                "y": y,
            }
        )
    edge_columns = (
        *("city_id", "network_id", "role", "role_titles"),
        *("since", "until", "evidence", "certainty"),
    )
    edge_values = [chosen[c].to_numpy(dtype=object).tolist() for c in edge_columns]
    for values in zip(*edge_values, strict=True):
        edge = dict(zip(edge_columns, values, strict=True))
        cid, nid = str(edge["city_id"]), str(edge["network_id"])
        executive = edge["role"] == "executive"
        urls = sorted(set(sources.get((cid, nid), [])))
        net.edges.append(
            {
                "id": f"{cid}|{nid}",
                "from": f"city:{cid}",
                "to": f"network:{nid}",
                "role": str(edge["role"]),
                "title": f"{city_names[cid]} – {net_names[nid]}: {edge['role']}",
                "titles": _text(edge["role_titles"]),
                "years": _years(edge["since"], edge["until"]),
                "evidence": str(edge["evidence"]),
                "certainty": str(edge["certainty"]),
                "sources": urls,
                "width": 2.5 if executive else 1.0,
                "dashes": bool(edge["evidence"] == "participation"),
            }
        )
    without = len(land.cities) - len(city_ids)
    notes = []
    if focus is None and theme is None and scope is None and without:
        notes.append(f"{without:,} cities without a membership in {land.year} are not drawn.")
    if missing:
        notes.append(f"{len(missing):,} cities have no coordinates: they are listed, not drawn.")
    net.options = {
        "physics": {"enabled": bool(physics), "stabilization": {"iterations": 200}},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n_nodes > 800,
            "navigationButtons": False,
        },
        "edges": {"smooth": False},
        "layout": {"randomSeed": int(seed), "improvedLayout": False},
    }
    net.citynet_meta = {
        "layout": layout,
        "year": land.year,
        "mode": "overview" if overview else "full",
        "focus": f"city:{focus}" if focus else None,
        "giant_limit": giant_limit,
        "notes": notes,
        "network_links": _network_links(chosen, net_ids) if overview and not geo else [],
        "missing": missing,
    }
    net.citynet_note = " ".join(notes)
    return net
