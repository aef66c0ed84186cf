"""What a landscape holds: counts by scope, role, region, evidence and coverage.

:func:`summarize` returns plain Python data (ints, strings, dicts) with stable keys, for the CLI's
``info`` command, JSON output and notebooks.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from citynet.landscape import Landscape
from citynet.schema import COVERAGE, EVIDENCE, REGIONS, ROLES, SCOPES

__all__ = ["summarize"]


def _counts(series: pd.Series, order: tuple[str, ...]) -> dict[str, int]:
    counts = series.fillna("(blank)").value_counts()
    keys = list(order) + sorted(k for k in counts.index if k not in order)
    return {str(k): int(counts.get(k, 0)) for k in keys}


def summarize(land: Landscape) -> dict[str, Any]:
    """Count what the landscape holds.

    Returns
    -------
    dict
        ``cities``, ``networks``, ``facts``, ``memberships`` (city-network pairs),
        ``capacity_facts``, ``year`` (snapshot year or ``None``) and the breakdowns
        ``networks_by_scope``, ``memberships_by_scope``, ``memberships_by_role``,
        ``cities_by_region``, ``facts_by_evidence``, ``networks_by_coverage``,
        ``cities_without_coordinates`` and ``groups`` (tag -> number of cities).

    Examples
    --------
    >>> import citynet
    >>> s = summarize(citynet.load())
    >>> s["groups"]["toward-city-diplomacy-2018"]
    27
    """
    cities, networks, edges = land.cities, land.networks, land.edges
    scope_of = networks["scope"]
    groups = cities["groups"].dropna().str.split(";").explode().value_counts()
    capacity = land.capacity
    return {
        "year": land.year,
        "cities": len(cities),
        "networks": len(networks),
        "facts": len(land.memberships),
        "memberships": len(edges),
        "capacity_facts": 0 if capacity is None else len(capacity),
        "networks_by_scope": _counts(scope_of, SCOPES),
        "memberships_by_scope": _counts(edges["network_id"].map(scope_of), SCOPES),
        "memberships_by_role": _counts(edges["role"], ROLES),
        "cities_by_region": _counts(cities["region"], REGIONS),
        "facts_by_evidence": _counts(land.memberships["evidence"], EVIDENCE),
        "networks_by_coverage": _counts(networks["coverage"], COVERAGE),
        "cities_without_coordinates": int(cities["latitude"].isna().sum()),
        "groups": {str(k): int(v) for k, v in groups.items()},
    }
