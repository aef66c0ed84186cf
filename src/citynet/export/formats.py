"""File exports for other tools: GEXF, GraphML and Kumu's spreadsheet import.

GEXF (for Gephi) carries membership periods as spells; Kumu's import is an elements sheet and a
connections sheet, as CSV or XLSX.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is prefixed with ``'`` in the Kumu CSV/XLSX exports; numbers stay numbers
(-33.92 is written as a number, not neutralised). GEXF and GraphML are XML read by graph tools,
not spreadsheets, and keep the text as it is; :meth:`~citynet.Landscape.save` stays lossless
because it is the data format itself. Every file is written atomically.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from citynet._errors import CitynetError
from citynet.io import atomic_write, neutralize
from citynet.landscape import Landscape

__all__ = ["neutralize", "to_kumu", "write_gexf", "write_graphml", "write_kumu"]


def _spells(land: Landscape) -> dict[tuple[str, str], tuple[list[tuple[float, float]], str]]:
    """Return the validity periods per pair (``docs/time.md``) and the weakest certainty.

    Years are written as numbers (GEXF ``timeformat="double"``); a period that goes on ends at
    ``inf``, because networkx's GEXF reader cannot read a spell with a bound left out. A pair
    whose facts hold in no year of the default model (an undated fact of a network that has
    since closed) gets its network's whole life, marked ``undated (any year)``.
    """
    periods: dict[tuple[str, str], tuple[list[tuple[float, float]], str]] = {}
    order = {"known": 0, "presumed": 1, "undated": 2}
    for certainty, label_any in (("undated", False), ("any", True)):
        table = land.periods(certainty=certainty)
        for city, network, start, end, sure in table.itertuples(index=False, name=None):
            key = (str(city), str(network))
            if label_any and key in periods and periods[key][1] != "undated (any year)":
                continue
            spans, weakest = periods.get(key, ([], "known"))
            spans.append((float(start), math.inf if pd.isna(end) else float(end)))
            label = (
                "undated (any year)"
                if label_any
                else max(weakest, str(sure), key=lambda c: order.get(c, 3))
            )
            periods[key] = (spans, label)
    return periods


# Attributes the GEXF and GraphML writers read as structure (or that citynet sets itself): an
# extra column of that name is the user's data and is written as data_<name>.
_RESERVED = ("label", "spells", "viz", "start", "end", "pid", "entity_id", "dating", "weight")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    r"""Return text that XML 1.0 (and so GEXF, GraphML and XLSX) can hold.

    Control characters become visible ``\u....`` escapes; other values are returned as they
    are.

    Examples
    --------
    >>> xml_safe("Par\x01is"), xml_safe(3)
    ('Par\\u0001is', 3)
    """
    if isinstance(value, str):
        return _XML_ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return value


def _export_graph(land: Landscape, *, spells: bool) -> nx.Graph:
    graph = nx.Graph(land.graph())
    for _, _, attrs in graph.edges(data=True):
        for key in list(attrs):
            attrs[key] = xml_safe(attrs[key])
    for node, attrs in graph.nodes(data=True):
        for key in _RESERVED:
            if key in attrs:
                attrs[f"data_{key}"] = attrs.pop(key)
        for key in list(attrs):
            attrs[key] = xml_safe(attrs[key])
        # GEXF writers take an "id" attribute as the node id, which would let a city and a
        # network with the same slug collide; the node key ("city:<id>") stays the id.
        attrs["entity_id"] = attrs.pop("id")
        attrs["label"] = str(attrs.get("name", node))
        for key in list(attrs):
            if isinstance(attrs[key], bool):
                attrs[key] = str(attrs[key]).lower()
    if spells:
        for (city, network), (periods, dating) in _spells(land).items():
            node = (f"city:{city}", f"network:{network}")
            if graph.has_edge(*node):
                graph.edges[node]["spells"] = periods
                graph.edges[node]["dating"] = dating
    else:
        for _, _, attrs in graph.edges(data=True):
            attrs.pop("spells", None)
    return graph


def write_gexf(land: Landscape, path: str | os.PathLike[str]) -> Path:
    """Write GEXF 1.2 for Gephi; the validity periods of each membership become edge spells.

    Spells are the years the membership holds under the validity model (``docs/time.md``),
    as numbers; a period that goes on ends at ``inf``. Each edge says how sure its weakest
    period is (``dating``: known, presumed, undated, or "undated (any year)" for an undated
    fact of a network that has since closed, spanning the network's life).

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> from citynet.synthetic import synthetic_landscape
    >>> land = synthetic_landscape(n_cities=40, n_networks=5, n_memberships=60)
    >>> out = write_gexf(land, pathlib.Path(tempfile.mkdtemp()) / "land.gexf")
    >>> nx.read_gexf(out).number_of_edges() == len(land.edges)
    True
    """
    graph = _export_graph(land, spells=True)
    target = Path(path)
    with atomic_write(target, mode="w") as fh:
        for line in nx.generate_gexf(graph, version="1.2draft"):
            fh.write(line + "\n")
    return target


def write_graphml(land: Landscape, path: str | os.PathLike[str]) -> Path:
    """Write GraphML with every node and edge attribute.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> from citynet.synthetic import synthetic_landscape
    >>> land = synthetic_landscape(n_cities=40, n_networks=5, n_memberships=60)
    >>> out = write_graphml(land, pathlib.Path(tempfile.mkdtemp()) / "land.graphml")
    >>> first = land.cities.index[0]
    >>> nx.read_graphml(out).nodes[f"city:{first}"]["name"] == land.cities.at[first, "name"]
    True
    """
    graph = _export_graph(land, spells=False)
    target = Path(path)
    with atomic_write(target) as fh:
        for line in nx.generate_graphml(graph):
            fh.write(line + "\n")
    return target


def to_kumu(land: Landscape) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return Kumu's import sheets: elements (Label, Type, Tags, ...) and connections.

    Connections carry Kumu's timeline fields ``Start Date`` and ``End Date`` (the first and
    last year of the membership's validity periods, ``docs/time.md``; no end when it goes on)
    and ``Dating`` (how sure the weakest period is).

    Labels are the names, made unique with the country (or the id) where two entries share a
    name; connections refer to elements by Label, as Kumu expects. Values are not yet
    neutralised (:func:`write_kumu` does that).

    Examples
    --------
    >>> from citynet.synthetic import synthetic_landscape
    >>> land = synthetic_landscape(n_cities=40, n_networks=5, n_memberships=60)
    >>> elements, connections = to_kumu(land)
    >>> list(connections.columns[:3])
    ['From', 'To', 'Type']
    """
    cities, networks = land.cities, land.networks
    rows: list[dict[str, Any]] = []
    for cid, row in cities.iterrows():
        rows.append(
            {
                "ID": f"city:{cid}",
                "Label": str(row["name"]),
                "Type": "City",
                "Tags": "; ".join(t for t in [row["region"], row["country"]] if not pd.isna(t)),
                "Description": "" if pd.isna(row["notes"]) else str(row["notes"]),
                "Country": str(row["country"]),
                "Region": "" if pd.isna(row["region"]) else str(row["region"]),
                "Latitude": None if pd.isna(row["latitude"]) else float(row["latitude"]),
                "Longitude": None if pd.isna(row["longitude"]) else float(row["longitude"]),
                "Population": None if pd.isna(row["population"]) else int(row["population"]),
            }
        )
    for nid, row in networks.iterrows():
        themes = [] if pd.isna(row["themes"]) else str(row["themes"]).split(";")
        rows.append(
            {
                "ID": f"network:{nid}",
                "Label": str(row["name"]),
                "Type": "Network",
                "Tags": "; ".join([str(row["scope"]), *themes]),
                "Description": "" if pd.isna(row["acronym"]) else str(row["acronym"]),
                "Scope": str(row["scope"]),
                "Coverage": "" if pd.isna(row["coverage"]) else str(row["coverage"]),
            }
        )
    elements = pd.DataFrame(rows)
    duplicated = elements["Label"].duplicated(keep=False)
    suffix = (
        elements["Country"].fillna(elements["ID"]).where(elements["Type"] == "City", elements["ID"])
    )
    elements.loc[duplicated, "Label"] = (
        elements.loc[duplicated, "Label"] + " (" + suffix[duplicated].astype(str) + ")"
    )
    still = elements["Label"].duplicated(keep=False)
    elements.loc[still, "Label"] = (
        elements.loc[still, "Label"] + " [" + elements.loc[still, "ID"] + "]"
    )
    # a name may itself read like a made-unique label ("Paris (FR) [city:paris]"): number what
    # is still shared until every label is unique
    taken: set[str] = set()
    unique = []
    for text in elements["Label"]:
        candidate, n = text, 1
        while candidate in taken:
            n += 1
            candidate = f"{text} #{n}"
        taken.add(candidate)
        unique.append(candidate)
    elements["Label"] = unique
    label = dict(zip(elements["ID"], elements["Label"], strict=True))
    edges = land.edges
    spells = _spells(land)
    keys = list(zip(edges["city_id"].astype(str), edges["network_id"].astype(str), strict=True))
    starts = [min(p[0] for p in spells[k][0]) if k in spells else None for k in keys]
    ends = [max(p[1] for p in spells[k][0]) if k in spells else None for k in keys]
    connections = pd.DataFrame(
        {
            "From": [label[f"city:{c}"] for c in edges["city_id"]],
            "To": [label[f"network:{n}"] for n in edges["network_id"]],
            "Type": edges["role"].astype(str).to_numpy(),
            "Role title": edges["role_titles"]
            .astype(object)
            .where(edges["role_titles"].notna(), "")
            .to_numpy(),
            "Start Date": [None if v is None else int(v) for v in starts],
            "End Date": [None if v is None or math.isinf(v) else int(v) for v in ends],
            "Dating": [spells[k][1] if k in spells else "" for k in keys],
            "Evidence": edges["evidence"].astype(str).to_numpy(),
            "Sources": edges["n_sources"].astype(int).to_numpy(),
        }
    )
    return elements, connections


def _records(frame: pd.DataFrame) -> Iterable[list[Any]]:
    for row in frame.itertuples(index=False, name=None):
        yield [
            xml_safe(neutralize(None if v is None or (isinstance(v, float) and pd.isna(v)) else v))
            for v in row
        ]


def write_kumu(land: Landscape, path: str | os.PathLike[str]) -> list[Path]:
    """Write Kumu's import as ``.xlsx`` (two sheets) or ``.csv`` (two files).

    The CSV files are ``<name>-elements.csv`` and ``<name>-connections.csv`` beside the name
    given. Formula-like text is neutralised.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from citynet.synthetic import synthetic_landscape
    >>> land = synthetic_landscape(n_cities=40, n_networks=5, n_memberships=60)
    >>> paths = write_kumu(land, pathlib.Path(tempfile.mkdtemp()) / "kumu.csv")
    >>> [p.name for p in paths]
    ['kumu-elements.csv', 'kumu-connections.csv']
    """
    elements, connections = to_kumu(land)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        try:
            from openpyxl import Workbook  # type: ignore[import-untyped]
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CitynetError("XLSX export needs openpyxl: pip install 'citynet[xlsx]'") from exc
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Elements"
        for name, frame in (("Elements", elements), ("Connections", connections)):
            ws = sheet if name == "Elements" else book.create_sheet(name)
            ws.append(list(frame.columns))
            for record in _records(frame):
                ws.append(record)
        buffer = io.BytesIO()  # the zip is built in memory, then written in one atomic step
        book.save(buffer)
        with atomic_write(target, mode="wb") as fh:
            fh.write(buffer.getvalue())
        return [target]
    if suffix != ".csv":
        raise CitynetError(f"Kumu export writes .xlsx or .csv, not {target.name!r}")
    written = []
    for part, frame in (("elements", elements), ("connections", connections)):
        out = target.with_name(f"{target.stem}-{part}.csv")
        with atomic_write(out) as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(list(frame.columns))
            writer.writerows(_records(frame))
        written.append(out)
    return written
