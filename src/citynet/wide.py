"""Reading the wide layout of published membership datasets.

Published datasets such as Acuto & Leffel's "city networks membership dataset" (84 networks x
10,343 cities, XLSX) have one row per city and one 0/1 column per network. :func:`read_wide` turns
such a table into a validated :class:`~citynet.Landscape`, with the network metadata given
separately, and one membership fact per 1-cell, each carrying the dataset as its source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import cast

import pandas as pd

from citynet._errors import DataError, Problem
from citynet.io import read_table_text
from citynet.landscape import Landscape
from citynet.lookup import normalize_name
from citynet.validate import cell_text

__all__ = ["read_wide"]

_TRUE = {"1", "1.0", "yes", "true", "x"}
_FALSE = {"", "0", "0.0", "no", "false"}


def _read_any(path: Path, sheet: str | int) -> tuple[pd.DataFrame | None, list[Problem]]:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        if not path.is_file():
            return None, [Problem(path.name, f"file not found: {path}")]
        try:
            frame = pd.read_excel(
                path, sheet_name=sheet, dtype=object, keep_default_na=False, na_filter=False
            )
        except ImportError as exc:
            return None, [
                Problem(
                    path.name, f"reading XLSX needs openpyxl ({exc}); pip install 'citynet[xlsx]'"
                )
            ]
        except ValueError as exc:  # e.g. no such sheet
            return None, [Problem(path.name, str(exc))]
        text = frame.map(cell_text).astype(object)
        text.columns = pd.Index([str(c) for c in text.columns])
        text.index = pd.RangeIndex(2, len(text) + 2, name="row")
        return text, []
    return read_table_text(path)


def _slug(name: str) -> str:
    return re.sub(r"\s+", "-", normalize_name(name)) or "city"


def read_wide(
    path: str | os.PathLike[str],
    *,
    networks: pd.DataFrame,
    source_url: str,
    source_title: str | None = None,
    as_of: int | None = None,
    columns: Mapping[str, str] | None = None,
    city_id: str = "city_id",
    name: str = "name",
    country: str = "country",
    sheet: str | int = 0,
) -> Landscape:
    r"""Read a wide city x network 0/1 table (CSV or XLSX) into a Landscape.

    Parameters
    ----------
    path
        The table: one row per city, one column per network holding 1 (member) or 0/blank.
        ``yes``/``no``, ``true``/``false`` and ``x`` are accepted too; anything else is an error.
    networks
        Network metadata in the contract's ``networks.csv`` columns (at least ``network_id``,
        ``name``, ``scope``).
    source_url, source_title
        The published dataset, recorded as the source of every membership fact.
    as_of
        Year the dataset describes, recorded on every fact.
    columns
        Which table columns are networks: ``{column: network_id}``. By default every column
        whose name is a ``network_id`` of ``networks``.
    city_id, name, country
        Names of the city columns. Without a ``city_id`` column, ids are made from the names
        (and the country where two cities share a name).
    sheet
        Sheet name or number, for XLSX files.

    Returns
    -------
    Landscape
        Every non-network column is kept as a city attribute.

    Raises
    ------
    DataError
        For unreadable files, cells that are not 0/1, and every contract violation.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wide.csv"
    >>> _ = p.write_text("name,country,c40,iclei\nParis,FR,1,0\nWindhoek,NA,0,1\n")
    >>> nets = pd.DataFrame({"network_id": ["c40", "iclei"], "name": ["C40", "ICLEI"],
    ...                      "scope": ["international", "international"]})
    >>> land = read_wide(p, networks=nets, source_url="https://example.org/dataset")
    >>> sorted(land.edges["city_id"] + ":" + land.edges["network_id"])
    ['paris:c40', 'windhoek:iclei']
    """
    file = Path(path)
    table, problems = _read_any(file, sheet)
    if table is None:
        raise DataError(problems)
    net_ids = [str(n) for n in networks["network_id"]]
    mapping = (
        dict(columns) if columns is not None else {c: c for c in table.columns if c in net_ids}
    )
    for col in mapping:
        if col not in table.columns:
            problems.append(
                Problem(file.name, f"network column {col!r} is not in the header", row=1)
            )
    if not mapping:
        problems.append(
            Problem(file.name, "no column names a network_id of the networks given", row=1)
        )
    if problems:
        raise DataError(problems)

    city_cols = [c for c in table.columns if c not in mapping]
    cities = table[city_cols].copy()
    if city_id not in cities.columns:
        if name not in cities.columns:
            raise DataError(
                [Problem(file.name, f"needs a {city_id!r} or a {name!r} column", row=1)]
            )
        slugs = cities[name].map(_slug)
        clash = slugs.duplicated(keep=False)
        if country in cities.columns:
            slugs = slugs.where(~clash, slugs + "-" + cities[country].str.lower())
        cities.insert(0, "city_id", slugs)
    elif city_id != "city_id":
        cities = cities.rename(columns={city_id: "city_id"})
    cities = cities.rename(columns={name: "name", country: "country"})

    facts: list[dict[str, object]] = []
    for col, network_id in mapping.items():
        for row, value in table[col].items():
            cell = str(value).strip().lower()
            if cell in _TRUE:
                facts.append(
                    {
                        "city_id": cities.at[row, "city_id"],
                        "network_id": network_id,
                        "role": "member",
                        "as_of": as_of,
                        "evidence": "listed",
                        "source_url": source_url,
                        "source_title": source_title,
                    }
                )
            elif cell not in _FALSE:
                problems.append(
                    Problem(
                        file.name,
                        "is not 0 or 1",
                        row=int(cast("int", row)),
                        column=col,
                        value=str(value),
                    )
                )
    if problems:
        raise DataError(problems)
    memberships = pd.DataFrame(
        facts,
        columns=[
            "city_id",
            "network_id",
            "role",
            "as_of",
            "evidence",
            "source_url",
            "source_title",
        ],
    )
    return Landscape.from_frames(cities.reset_index(drop=True), networks, memberships)
