"""Warnings about a valid landscape: facts no year can count, duplicates, misleading aliases.

The loader refuses what breaks the data contract (:mod:`citynet.validate`). Some facts keep the
contract and still say something that cannot be true, or that no answer will ever use; a data
editor wants to hear about them when the data is loaded, not at the first odd answer. Each
warning is a :class:`~citynet.Problem` naming the file, the row as a spreadsheet counts it, the
column and the value:

* **facts no year can count**: a membership that starts after its network closed, ends before
  it was founded, or lies wholly outside its life; one that starts before the founding year
  (the years before it are not counted);
* **probable duplicate cities**: two cities of the same name (after Unicode normalisation, case
  and accents) in the same country within :data:`DUPLICATE_KM`, or of the same name at the same
  point; lookups by name would then ask which one is meant;
* **an alias that is another city's name**: typing it gives a choice, never silently the city.

:attr:`citynet.Landscape.warnings` holds them; ``citynet validate`` prints them on stderr
(``--strict`` makes them errors) and ``citynet info`` counts them.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from citynet._errors import Problem
from citynet.geo import great_circle_km
from citynet.lookup import normalize_name
from citynet.validity import LAPSED

if TYPE_CHECKING:
    from citynet.landscape import Landscape

__all__ = ["DUPLICATE_KM", "landscape_warnings", "warning_kinds"]

DUPLICATE_KM = 25.0
"""Two cities of one name and country closer than this are probably one city."""


def _year(value: float) -> str:
    return str(int(value))


def _floats(series: pd.Series) -> list[float]:
    values: list[float] = pd.to_numeric(series, errors="coerce").astype("float64").tolist()
    return values


def fact_warnings(land: Landscape) -> list[Problem]:
    """Warn about membership facts that no year can count, or whose start the network's life cuts.

    Examples
    --------
    >>> import citynet
    >>> [w.row for w in fact_warnings(citynet.load())]
    [1241]
    """
    record = land.record
    facts = record.memberships
    if facts.empty:
        return []
    segments = record._segments
    counted = np.zeros(len(facts), dtype=bool)
    counted[segments.loc[segments["level"] < LAPSED, "fact"].to_numpy(dtype=np.int64)] = True
    suspended = (facts["status"].astype(object) == "suspended").to_numpy(dtype=bool)
    networks = record.networks
    ended = networks["status"].astype(object).isin(["closed", "merged", "suspended"])
    names = dict(zip(networks.index.astype(str), networks["name"].astype(str), strict=True))
    founded = dict(zip(networks.index.astype(str), _floats(networks["founded"]), strict=True))
    closed = dict(
        zip(networks.index.astype(str), _floats(networks["closed"].where(ended)), strict=True)
    )
    status = dict(zip(networks.index.astype(str), networks["status"].astype(str), strict=True))
    nets = facts["network_id"].astype(str).tolist()
    since, until = _floats(facts["since"]), _floats(facts["until"])
    out: list[Problem] = []
    nan = math.isnan
    for i in np.flatnonzero(~suspended).tolist():
        net = nets[i]
        label = f"{names.get(net, net)} ({net})"
        s, u = since[i], until[i]
        f, c = founded.get(net, math.nan), closed.get(net, math.nan)
        row = i + 2
        if not nan(s) and not nan(c) and s > c:
            message = f"starts after {label} {status[net]} in {_year(c)}: no year can count it"
            out.append(Problem("memberships.csv", message, row=row, column="since", value=_year(s)))
        elif not nan(u) and not nan(f) and u < f:
            message = f"ends before {label} was founded in {_year(f)}: no year can count it"
            out.append(Problem("memberships.csv", message, row=row, column="until", value=_year(u)))
        elif not nan(s) and not nan(f) and s < f:
            what = "no year can count it" if not counted[i] else f"only {_year(f)} on is counted"
            message = f"starts before {label} was founded in {_year(f)}: {what}"
            out.append(Problem("memberships.csv", message, row=row, column="since", value=_year(s)))
        elif not counted[i]:
            message = f"lies outside the life of {label}: no year can count it"
            out.append(Problem("memberships.csv", message, row=row))
    return out


def duplicate_warnings(land: Landscape) -> list[Problem]:
    """Warn about probable duplicate cities, and aliases that are another city's name.

    Examples
    --------
    >>> import citynet
    >>> duplicate_warnings(citynet.load())
    []
    """
    cities = land.record.cities
    if cities.empty:
        return []
    ids = cities.index.astype(str).tolist()
    names = cities["name"].astype(str).tolist()
    keys = [normalize_name(n) for n in names]
    countries = cities["country"].astype(str).tolist()
    lat, lon = _floats(cities["latitude"]), _floats(cities["longitude"])
    groups: dict[tuple[str, str], list[int]] = {}
    points: dict[tuple[str, float, float], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault((key, countries[i]), []).append(i)
        if not (math.isnan(lat[i]) or math.isnan(lon[i])):
            points.setdefault((key, lat[i], lon[i]), []).append(i)
    out: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            if any(math.isnan(v) for v in (lat[a], lon[a], lat[b], lon[b])):
                continue
            km = great_circle_km((lat[a], lon[a]), (lat[b], lon[b]))
            if km <= DUPLICATE_KM:
                seen.add((a, b))
                out.append(_duplicate(ids, names, a, b, f"{km:,.0f} km apart"))
    for members in points.values():
        for a, b in itertools.combinations(members, 2):
            if (a, b) not in seen:
                out.append(_duplicate(ids, names, a, b, "at the same point"))
    if "aliases" in cities.columns:
        out += _alias_warnings(ids, keys, cities["aliases"].astype(object).tolist())
    return out


def _duplicate(ids: list[str], names: list[str], a: int, b: int, how: str) -> Problem:
    return Problem(
        "cities.csv",
        f"is a probable duplicate of {ids[b]} ({names[b]!r}, row {b + 2}, {how}); merge them, "
        "or tell them apart in their names",
        row=a + 2,
        column="city_id",
        value=ids[a],
    )


def _alias_warnings(ids: list[str], keys: list[str], aliases: list[object]) -> list[Problem]:
    by_name: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        by_name.setdefault(key, []).append(i)
    out = []
    for i, cell in enumerate(aliases):
        if not isinstance(cell, str) or not cell:
            continue
        for alias in cell.split(";"):
            key = normalize_name(alias)
            others = [o for o in by_name.get(key, []) if o != i and keys[i] != key]
            if others:
                named = ", ".join(f"{ids[o]} (row {o + 2})" for o in others[:3])
                out.append(
                    Problem(
                        "cities.csv",
                        f"of {ids[i]} is the name of {named}: typing it asks which city is meant",
                        row=i + 2,
                        column="aliases",
                        value=alias.strip(),
                    )
                )
    return out


def landscape_warnings(land: Landscape) -> tuple[Problem, ...]:
    """Return every warning about a landscape's record (module docstring), in file order.

    Examples
    --------
    >>> import citynet
    >>> [w.column for w in landscape_warnings(citynet.load())]
    ['since']
    """
    found = fact_warnings(land) + duplicate_warnings(land)
    order = {"cities.csv": 0, "networks.csv": 1, "memberships.csv": 2}
    return tuple(sorted(found, key=lambda p: (order.get(p.file, 9), p.row or 0)))


def warning_kinds(warnings: tuple[Problem, ...] | list[Problem]) -> dict[str, int]:
    """Count warnings by kind, for ``citynet info``.

    Examples
    --------
    >>> import citynet
    >>> warning_kinds(citynet.load().warnings)
    {'facts counted only from the founding year': 1}
    """
    out: dict[str, int] = {}
    for warning in warnings:
        if "no year can count it" in warning.message:
            kind = "facts no year can count"
        elif warning.file == "memberships.csv":
            kind = "facts counted only from the founding year"
        elif warning.column == "aliases":
            kind = "aliases that are another city's name"
        else:
            kind = "probable duplicate cities"
        out[kind] = out.get(kind, 0) + 1
    return out
