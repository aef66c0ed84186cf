"""What a landscape holds: counts by scope, role, region, evidence and coverage.

:func:`summarize` returns plain Python data (ints, strings, dicts) with stable keys, for the CLI's
``info`` command, JSON output and notebooks.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

from citynet.analysis.commitment import overcommitment
from citynet.analysis.load import LoadModel
from citynet.analysis.peers import group_members
from citynet.landscape import Landscape
from citynet.schema import COVERAGE, EVIDENCE, NETWORK_STATUSES, REGIONS, ROLES, SCOPES

__all__ = ["group_engagement", "landscape_report", "summarize"]


def _counts(series: pd.Series, order: tuple[str, ...]) -> dict[str, int]:
    counts = series.fillna("(blank)").value_counts()
    keys = list(order) + sorted(k for k in counts.index if k not in order)
    return {str(k): int(counts.get(k, 0)) for k in keys}


def summarize(land: Landscape, *, year: int | None = None) -> dict[str, Any]:
    """Count what the landscape holds, and what of it is valid in one year.

    Parameters
    ----------
    land
        A record or a snapshot.
    year
        The year of the membership counts (default: the snapshot's year, or now).

    Returns
    -------
    dict
        ``cities``, ``networks``, ``facts`` and ``pairs`` (every city-network pair the record
        documents), ``capacity_facts``, ``rule_facts``; for ``year``: ``memberships`` (pairs
        valid that year), ``certainty`` (:meth:`~citynet.Landscape.certainty_counts`),
        ``networks_alive`` and ``networks_ended`` (with ``closed`` years); and the breakdowns
        ``networks_by_scope``, ``networks_by_status``, ``memberships_by_scope``,
        ``memberships_by_role``, ``cities_by_region``, ``facts_by_evidence``,
        ``networks_by_coverage``, ``cities_without_coordinates`` and ``groups`` (tag -> number
        of cities).

    Examples
    --------
    >>> import citynet
    >>> s = summarize(citynet.load(), year=2015)
    >>> s["groups"]["toward-city-diplomacy-2018"], s["year"]
    (27, 2015)
    """
    record = land.record
    snap = land.current(year)
    cities, networks, edges = record.cities, record.networks, snap.edges
    scope_of = networks["scope"]
    groups = cities["groups"].dropna().str.split(";").explode().value_counts()
    capacity, rules = record.capacity, record.network_rules
    alive = snap.alive
    ended = networks.loc[~alive.to_numpy(dtype=bool)]
    return {
        "year": snap.year,
        "cities": len(cities),
        "networks": len(networks),
        "facts": len(record.memberships),
        "pairs": len(record.memberships.drop_duplicates(["city_id", "network_id"])),
        "memberships": len(edges),
        "certainty": snap.certainty_counts(),
        "capacity_facts": 0 if capacity is None else len(capacity),
        "rule_facts": 0 if rules is None else len(rules),
        "networks_alive": int(alive.sum()),
        "networks_ended": {
            str(n): {
                "name": str(row["name"]),
                "status": "not founded yet"
                if not pd.isna(row["founded"]) and row["founded"] > (snap.year or 0)
                else str(row["status"]),
                "closed": None if pd.isna(row["closed"]) else int(row["closed"]),
            }
            for n, row in ended.iterrows()
        },
        "networks_by_scope": _counts(scope_of, SCOPES),
        "networks_by_status": _counts(networks["status"].fillna("active"), NETWORK_STATUSES),
        "memberships_by_scope": _counts(edges["network_id"].map(scope_of), SCOPES),
        "memberships_by_role": _counts(edges["role"], ROLES),
        "cities_by_region": _counts(cities["region"], REGIONS),
        "facts_by_evidence": _counts(record.memberships["evidence"], EVIDENCE),
        "networks_by_coverage": _counts(networks["coverage"], COVERAGE),
        "cities_without_coordinates": int(cities["latitude"].isna().sum()),
        "groups": {str(k): int(v) for k, v in groups.items()},
    }


SURVEY_GROUP = "toward-city-diplomacy-2018"


def group_engagement(
    land: Landscape,
    *,
    group: str | None = SURVEY_GROUP,
    model: LoadModel | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """How the cities of a group engage: networks by scope, executive seats, load, capacity.

    With a ``group`` tag, loads and percentiles compare the group's cities among themselves
    (peers ``group:TAG``), which keeps well-documented cities from being measured against thinly
    documented ones; with ``group=None``, every city with a membership that year, against its
    comparable peers.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``city_id``: ``name``, ``international``, ``regional``, ``national``,
        ``executive_seats``, ``load``, ``percentile``, ``capacity``, ``flag`` (see
        :func:`citynet.overcommitment`); cities of the group without a membership that year
        have zeros.

    Examples
    --------
    >>> import citynet
    >>> table = group_engagement(citynet.load())
    >>> len(table)
    27
    """
    land = land.current(year)
    if group is None:
        table = overcommitment(land, model=model)
        members = list(table.index)
    else:
        members = list(group_members(land.cities, group))
        table = overcommitment(land, peers=f"group:{group}", model=model, cities=members)
    columns = [
        "name",
        "international",
        "regional",
        "national",
        "executive_seats",
        "load",
        "percentile",
        "capacity",
        "flag",
    ]
    out = table.reindex(members)[columns]
    out["name"] = land.cities.loc[members, "name"].astype(str)
    for col in ("international", "regional", "national", "executive_seats"):
        out[col] = out[col].fillna(0).astype(int)
    out["load"] = out["load"].fillna(0.0)
    out["flag"] = out["flag"].astype("boolean").fillna(False).astype(bool)
    out.index.name = "city_id"
    out = out.sort_values(["load", "name"], ascending=[False, True])
    out.attrs["rule"] = table.attrs.get("rule", {})
    return out


def _has_group(land: Landscape, tag: str) -> bool:
    return len(group_members(land.cities, tag)) > 0


def landscape_report(
    land: Landscape,
    *,
    group: str | None = None,
    model: LoadModel | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """Return what ``citynet report`` prints: counts, a group's engagement, busiest networks.

    Parameters
    ----------
    group
        The city group tag to report on. Default: the 27 cities of the 2018 survey when the
        landscape tags them, otherwise every city with a membership that year (the report says
        which).

    Returns
    -------
    dict
        ``summary`` (:func:`summarize`), ``group`` (tag or ``None``), ``basis`` (a sentence:
        which cities and why), ``engagement`` (records of :func:`group_engagement`; at most
        the 25 heaviest for the whole landscape), ``findings`` (counts set beside the 2018
        survey's statements), ``rule`` (the flag rule), ``networks`` (the ten networks with most
        cities: ``network_id``, ``name``, ``scope``, ``coverage``, ``cities``, ``executive``),
        ``modules`` (bipartite modules: ``module``, ``name``, ``networks``, ``cities``,
        ``region``, ``themes``), ``modularity``, ``module_stability``, ``module_runs``,
        ``module_notes``, ``roles`` (counts of c/z roles of cities and networks), ``connectors``
        (cities whose role is not peripheral), ``brokerage`` (its distribution among cities with
        a seat) and ``central_cities`` (the ten cities with the highest executive-role PageRank
        on the hyperbolic projection: ``city_id``, ``name``, ``executive_seats``,
        ``pagerank``, ``brokerage``, ``role``).

    Examples
    --------
    >>> import citynet
    >>> report = landscape_report(citynet.load())
    >>> report["findings"]["cities"], report["group"]
    (27, 'toward-city-diplomacy-2018')
    """
    land = land.current(year)
    # an immutable result of the landscape's content: kept beside its cache entry, so the next
    # `citynet report` on the same files reads it (each caller gets its own copy)
    kept: dict[str, Any] = land.memo(
        ("landscape-report", group, repr(model or LoadModel())),
        lambda: _landscape_report(land, group, model),
        lasting=True,
    )
    return copy.deepcopy(kept)


def _landscape_report(
    land: Landscape, group: str | None, model: LoadModel | None
) -> dict[str, Any]:
    """Compute :func:`landscape_report` of one snapshot."""
    if group is None and _has_group(land, SURVEY_GROUP):
        group = SURVEY_GROUP
    engagement = group_engagement(land, group=group, model=model)
    n = len(engagement)
    if group == SURVEY_GROUP:
        basis = (
            f"the {n} cities of the 2018 survey 'Toward City Diplomacy' (tagged {group}), "
            "compared among themselves"
        )
    elif group is not None:
        basis = f"the {n} cities tagged {group}, compared among themselves"
    else:
        basis = (
            f"all {n:,} cities with a membership in {land.year} (no survey group in this "
            "landscape; --group TAG reports on a tagged group), each against its comparable peers"
        )
    findings = {
        "cities": n,
        "in_international": int((engagement["international"] > 0).sum()),
        "in_regional": int((engagement["regional"] > 0).sum()),
        "in_national": int((engagement["national"] > 0).sum()),
        "in_all_three_scopes": int(
            ((engagement[["international", "regional", "national"]] > 0).all(axis=1)).sum()
        ),
        "with_executive_seat": int((engagement["executive_seats"] > 0).sum()),
        "flagged": int(engagement["flag"].sum()),
    }
    edges = land.edges
    per_network = (
        edges.assign(executive=edges["role"].eq("executive").to_numpy(dtype=bool))
        .groupby("network_id")
        .agg(cities=("city_id", "size"), executive=("executive", "sum"))
    )
    networks = land.networks
    top = per_network.sort_values(["cities"], ascending=False).head(10)
    top_records = [
        {
            "network_id": str(nid),
            "name": str(networks.at[nid, "name"]),
            "scope": str(networks.at[nid, "scope"]),
            "coverage": str(networks.at[nid, "coverage"]),
            "cities": int(row["cities"]),
            "executive": int(row["executive"]),
        }
        for nid, row in top.iterrows()
    ]
    shown = engagement if group is not None else engagement.head(25)
    records = [
        {
            "city_id": str(cid),
            **{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()},
        }
        for cid, row in shown.iterrows()
    ]
    from citynet.analysis.centrality import centrality  # imported here: only the report needs
    from citynet.analysis.modules import bipartite_modules  # networkx and scipy
    from citynet.analysis.roles import roles

    modules = bipartite_modules(land, seed=0, runs=5 if len(land.edges) < 50_000 else 2)
    city_roles, network_roles = roles(land, modules=modules)
    cities, _ = centrality(land, modules=modules, betweenness=False)
    central = [
        {
            "city_id": str(cid),
            "name": str(row["name"]),
            "executive_seats": int(row["executive_seats"]),
            "pagerank": float(row["pagerank"]),
            "brokerage": float(row["brokerage"]),
            "role": str(city_roles.at[cid, "role"]) if cid in city_roles.index else "",
        }
        for cid, row in cities.head(10).iterrows()
    ]
    module_rows = [
        {
            "module": int(str(m)),
            "name": str(row["name"]),
            "networks": int(row["networks"]),
            "cities": int(row["cities"]),
            "region": str(row["region"]),
            "themes": str(row["themes"]),
        }
        for m, row in modules.modules.iterrows()
    ]
    seated = city_roles[city_roles["seats"] > 0]["brokerage"]
    brokerage = {
        "cities_with_seats": len(seated),
        "distinct_values": int(seated.round(6).nunique()),
        "share_zero": float((seated == 0).mean()) if len(seated) else float("nan"),
        "median": float(seated.median()) if len(seated) else float("nan"),
    }
    connectors = (
        city_roles[city_roles["role"] != "peripheral"]
        .sort_values(["c", "memberships", "name"], ascending=[False, False, True])
        .head(10)
    )
    return {
        "summary": summarize(land),
        "group": group,
        "basis": basis,
        "engagement": records,
        "findings": findings,
        "rule": engagement.attrs.get("rule", {}),
        "networks": top_records,
        "modules": module_rows,
        "modularity": modules.modularity,
        "module_stability": None if np.isnan(modules.stability) else modules.stability,
        "module_runs": modules.runs,
        "module_notes": modules.notes,
        "roles": {
            "cities": {str(k): int(v) for k, v in city_roles["role"].value_counts().items()},
            "networks": {str(k): int(v) for k, v in network_roles["role"].value_counts().items()},
        },
        "connectors": [
            {"city_id": str(c), "name": str(r["name"]), "role": str(r["role"]), "c": float(r["c"])}
            for c, r in connectors.iterrows()
        ],
        "brokerage": brokerage,
        "central_cities": central,
    }
