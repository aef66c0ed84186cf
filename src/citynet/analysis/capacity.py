"""Capacity for international engagement: a documented index from public capacity facts.

The 2018 survey found leaders' time, staff and budget to be the main limits on network
engagement. ``capacity.csv`` records public facts on a city's international office, its placement,
a senior official, a strategy, training and staff. :func:`capacity_scores` turns them into an
index with the points of :data:`CAPACITY_POINTS` (``docs/load-model.md``), from
:data:`CAPACITY_BASE` (nothing documented) to :data:`CAPACITY_MAX`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from citynet._errors import CitynetError
from citynet.landscape import Landscape
from citynet.lookup import resolve_city

__all__ = [
    "CAPACITY_BASE",
    "CAPACITY_MAX",
    "CAPACITY_POINTS",
    "capacity_facts",
    "capacity_scores",
]

CAPACITY_POINTS: Mapping[str, float] = MappingProxyType(
    {
        "base": 1.0,
        "international_office": 1.0,
        "mayors_office": 0.5,
        "senior_official": 1.0,
        "international_strategy": 0.5,
        "strategy_public": 0.25,
        "training": 0.25,
        "staff_max": 2.5,
    }
)
"""Points of the capacity measure (docs/load-model.md); staff add log2(1 + staff) / 2, capped."""

CAPACITY_BASE = CAPACITY_POINTS["base"]
"""The capacity of a city with no documented capacity."""
CAPACITY_MAX = (
    sum(v for k, v in CAPACITY_POINTS.items() if k != "staff_max") + CAPACITY_POINTS["staff_max"]
)
"""The highest possible capacity (every component documented, 33 staff or more)."""

_FLAGS = (
    "international_office",
    "senior_official",
    "international_strategy",
    "strategy_public",
    "training",
)


def _first_number(text: str) -> float | None:
    match = re.search(r"\d+(?:\.\d+)?", str(text).replace(",", ""))
    return float(match.group()) if match else None


def _pick(facts: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Facts usable for ``year``: dated up to it or undated; all facts when no year."""
    if year is None:
        return facts
    keep = facts["year"].isna() | (facts["year"] <= year)
    return facts[keep.to_numpy(dtype=bool)]


def capacity_facts(land: Landscape, city: str) -> pd.DataFrame:
    """Return a city's capacity facts with their years and sources, for an officer to check.

    Examples
    --------
    >>> import citynet
    >>> facts = capacity_facts(citynet.load(), "Paris")
    >>> {"attribute", "value", "year", "source_url"} <= set(facts.columns)
    True
    """
    city_id = resolve_city(land, city)
    cap = land.capacity
    if cap is None:
        return pd.DataFrame(
            columns=["attribute", "value", "detail", "year", "source_url", "source_title", "notes"]
        )
    mine = cap[cap["city_id"] == city_id].drop(columns="city_id")
    return mine.sort_values(["attribute", "year"], na_position="first").reset_index(drop=True)


def capacity_scores(
    land: Landscape,
    *,
    year: int | None = None,
    overrides: Mapping[str, Mapping[str, float | bool]] | None = None,
) -> pd.DataFrame:
    """Score each city's documented capacity for international engagement.

    ``capacity = base + office + mayor's-office placement + senior official + strategy
    (+ public) + training + min(log2(1 + staff) / 2, staff_max)``, with the points of
    :data:`CAPACITY_POINTS`. Facts dated after ``year`` are ignored; staff is the latest
    dated figure (else an undated one).

    Parameters
    ----------
    overrides
        ``{city_id: {"international_office": True, "staff": 12, ...}}``: values an officer knows
        better than the public record; they replace the facts for those components.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``city_id`` (only cities with facts or overrides): one column per component
        (bool, ``staff`` float), ``capacity`` and ``capacity_facts`` (number of facts used).

    Examples
    --------
    >>> import citynet
    >>> scores = capacity_scores(citynet.load())
    >>> bool(scores.loc["paris", "capacity"] > 1)
    True
    """
    points = CAPACITY_POINTS
    rows: dict[str, dict[str, Any]] = {}
    cap = land.capacity
    if cap is not None:
        usable = _pick(cap, year)
        for city_id, facts in usable.groupby("city_id", sort=True):
            attrs = set(facts["attribute"])
            row: dict[str, Any] = {flag: flag in attrs for flag in _FLAGS}
            placement = facts.loc[facts["attribute"] == "office_placement", "value"]
            row["mayors_office"] = bool((placement == "mayors_office").any())
            staff = facts[facts["attribute"] == "staff"].sort_values("year", na_position="first")
            numbers = [n for n in map(_first_number, staff["value"]) if n is not None]
            row["staff"] = numbers[-1] if numbers else math.nan
            row["capacity_facts"] = len(facts)
            rows[str(city_id)] = row
    for city_id, given in (overrides or {}).items():
        row = rows.setdefault(
            city_id,
            dict.fromkeys((*_FLAGS, "mayors_office"), False)
            | {"staff": math.nan, "capacity_facts": 0},
        )
        for key, value in given.items():
            if key not in (*_FLAGS, "mayors_office", "staff"):
                raise CitynetError(
                    f"capacity override {key!r} for {city_id}: expected one of "
                    f"{sorted((*_FLAGS, 'mayors_office', 'staff'))}"
                )
            row[key] = float(value) if key == "staff" else bool(value)
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if frame.empty:
        frame = pd.DataFrame(columns=[*_FLAGS, "mayors_office", "staff", "capacity_facts"])
    frame.index.name = "city_id"
    staff_points = np.minimum(
        np.log2(1 + frame["staff"].astype(float).fillna(0)) / 2, points["staff_max"]
    )
    score = points["base"] + staff_points
    for flag in (*_FLAGS, "mayors_office"):
        score = score + points[flag] * frame[flag].astype(bool)
    frame["capacity"] = score.astype(float)
    return frame.sort_index()
