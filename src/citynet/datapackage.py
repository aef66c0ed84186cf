"""A Frictionless Data Package descriptor for a landscape folder.

:func:`datapackage` states the data contract of :mod:`citynet.schema` as Table Schemas (types,
required fields, enums, patterns, ranges, primary and foreign keys), so that tools outside
citynet (``frictionless validate``, Open Data portals) can check and read the files. Only the empty
string is a missing value, as in citynet itself. Columns beyond the contract are described as
strings. Two citynet rules have no Table Schema form and are left to ``citynet validate``: a
period's ``since <= until`` and the ban on identical duplicate facts.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from citynet.io import atomic_write
from citynet.landscape import Landscape
from citynet.schema import TABLES, YEAR_RANGE, Column, Table

__all__ = ["datapackage", "write_datapackage"]

_FOREIGN = {
    "memberships": (("city_id", "cities"), ("network_id", "networks")),
    "capacity": (("city_id", "cities"),),
    "network_rules": (("network_id", "networks"),),
}


def _field(col: Column) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    field: dict[str, Any] = {"name": col.name, "type": "string"}
    if col.doc:
        field["description"] = col.doc
    if col.required:
        constraints["required"] = True
    if col.kind == "id":
        constraints["pattern"] = "[a-z0-9-]+"
    elif col.kind == "country":
        constraints["pattern"] = "[A-Z]{2}"
    elif col.kind == "url":
        field["format"] = "uri"
        constraints["pattern"] = r"https?://\S+"
    elif col.kind == "enum":
        constraints["enum"] = list(col.choices)
    elif col.kind == "list":
        item = "(" + "|".join(re.escape(c) for c in col.choices) + ")"
        constraints["pattern"] = rf"{item}(\s*;\s*{item})*"
    elif col.kind == "tags":
        constraints["pattern"] = r"[^;]*\S[^;]*(;[^;]*\S[^;]*)*"
    elif col.kind in ("year", "int"):
        field["type"] = "integer"
        if col.kind == "year":
            constraints["minimum"], constraints["maximum"] = YEAR_RANGE
        else:
            constraints["minimum"] = 0
    elif col.kind == "float":
        field["type"] = "number"
        if col.bounds:
            low, high = col.bounds
            constraints["minimum"] = low
            if high != float("inf"):
                constraints["maximum"] = high
    elif col.kind == "bool":
        field.update(type="boolean", trueValues=["yes"], falseValues=["no"])
    if constraints:
        field["constraints"] = constraints
    return field


def _schema(table: Table, columns: list[str]) -> dict[str, Any]:
    fields = []
    for name in columns:
        if name in table.names:
            fields.append(_field(table.column(name)))
        else:
            fields.append(
                {
                    "name": name,
                    "type": "string",
                    "description": "extra column (not in the contract)",
                }
            )
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.key:
        schema["primaryKey"] = list(table.key)
    foreign = [
        {"fields": [column], "reference": {"resource": target, "fields": [column]}}
        for column, target in _FOREIGN.get(table.name, ())
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def datapackage(
    land: Landscape,
    *,
    name: str = "citynet-landscape",
    title: str = "City-network memberships",
    licenses: list[dict[str, str]] | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """Return a Data Package descriptor for the folder ``land.save()`` writes.

    Parameters
    ----------
    land
        The landscape; its extra columns are described too.
    name, title, description
        Package metadata.
    licenses
        Frictionless ``licenses`` entries, e.g. ``[{"name": "CC-BY-4.0", "path": ...}]``.

    Returns
    -------
    dict
        JSON-ready descriptor with one resource per CSV file.

    Examples
    --------
    >>> import citynet
    >>> pkg = datapackage(citynet.load())
    >>> [r["path"] for r in pkg["resources"]]
    ['cities.csv', 'networks.csv', 'memberships.csv', 'capacity.csv', 'network_rules.csv']
    """
    frames = {
        "cities": land.cities.reset_index(),
        "networks": land.networks.reset_index(),
        "memberships": land.memberships,
        "capacity": land.capacity,
        "network_rules": land.network_rules,
    }
    resources = []
    for table in TABLES:
        frame = frames[table.name]
        if frame is None:
            continue
        resources.append(
            {
                "name": table.name,
                "path": table.file,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True, "quoteChar": '"'},
                "schema": _schema(table, [str(c) for c in frame.columns]),
            }
        )
    package: dict[str, Any] = {"profile": "tabular-data-package", "name": name, "title": title}
    if description:
        package["description"] = description
    if licenses:
        package["licenses"] = licenses
    package["resources"] = resources
    return package


def write_datapackage(land: Landscape, path: str | os.PathLike[str], **metadata: Any) -> None:
    """Write :func:`datapackage` as indented JSON (atomically).

    Examples
    --------
    >>> import citynet, tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "datapackage.json"
    >>> write_datapackage(citynet.load(), target)
    >>> target.read_text(encoding="utf-8").startswith("{")
    True
    """
    with atomic_write(path) as fh:
        json.dump(datapackage(land, **metadata), fh, indent=2, ensure_ascii=False)
        fh.write("\n")
