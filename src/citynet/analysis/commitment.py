"""Over-commitment: is a city in more networks than it can serve, compared with its peers.

The 2018 survey *Toward City Diplomacy* found leaders' time, travel, budget and staff to be the
main barriers to network engagement, and advised cities to prioritise and avoid over-commitment.
:func:`overcommitment` compares each city's load (:mod:`citynet.analysis.load`) with its
comparable peers (:mod:`citynet.analysis.peers`) and its capacity
(:mod:`citynet.analysis.capacity`).

The flag
--------
A city is flagged when its load is a **real excess** (``docs/load-model.md``), all of:

* its mid-rank percentile among its peers is at or above ``threshold`` (default 90),
* among at least ``min_peers`` peers (10),
* its load is at least ``excess`` (1.5) times the peer group's median load,
* and at least ``load_floor`` (4.0, four international memberships' worth);

or when its load per unit of documented capacity is at or above ``threshold`` among at least
``min_peers`` peers with a documented capacity, with the same load floor. Cities outside a
chosen group or list are never flagged. Every flag says why; ``table.attrs["rule"]`` holds the
rule's parameters for outputs that state it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from citynet._errors import CitynetError
from citynet.analysis.capacity import capacity_scores
from citynet.analysis.load import LoadModel, membership_loads
from citynet.analysis.peers import (
    MIN_PEERS,
    group_members,
    midrank_percentile,
    peer_groups,
    population_band,
)
from citynet.landscape import Landscape
from citynet.schema import THEMES

__all__ = ["overcommitment"]


def _check_rule(threshold: float, min_peers: int, load_floor: float, excess: float) -> None:
    if not (math.isfinite(threshold) and 0 <= threshold <= 100):
        raise CitynetError(f"threshold must be a percentile between 0 and 100, not {threshold:g}")
    if min_peers < 2:
        raise CitynetError(f"min_peers must be 2 or more, not {min_peers}")
    if not (math.isfinite(load_floor) and load_floor >= 0):
        raise CitynetError(f"load_floor must be a finite number >= 0, not {load_floor:g}")
    if not (math.isfinite(excess) and excess >= 1):
        raise CitynetError(f"excess must be a finite number >= 1, not {excess:g}")


def _group_transform(values: pd.Series, groups: pd.Series, func: str) -> pd.Series:
    def one(part: pd.Series) -> pd.Series:
        array = part.to_numpy(dtype=float)
        if func == "percentile":
            return pd.Series(midrank_percentile(array, array), index=part.index)
        spread = array.std()
        if len(array) < 2 or spread == 0:
            return pd.Series(np.nan, index=part.index)
        return pd.Series((array - array.mean()) / spread, index=part.index)

    return values.groupby(groups).transform(one)


def overcommitment(
    land: Landscape,
    *,
    peers: str | Sequence[str] = "comparable",
    model: LoadModel | None = None,
    threshold: float = 90.0,
    min_peers: int = MIN_PEERS,
    load_floor: float = 4.0,
    excess: float = 1.5,
    year: int | None = None,
    capacity_overrides: Mapping[str, Mapping[str, float | bool]] | None = None,
    cities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each city's commitment load against its comparable peers and against its capacity.

    Parameters
    ----------
    peers
        ``"comparable"`` (default: the city's group, else its region and population band;
        see :func:`~citynet.analysis.peers.peer_groups`), ``"all"``, ``"region"``,
        ``"population"``, ``"group:TAG"`` or a list of city ids. Only cities with a membership
        in the year analysed are peers.
    model
        Load weights (:class:`~citynet.analysis.load.LoadModel`).
    threshold, min_peers, load_floor, excess
        The flag rule (module docstring).
    year
        The year analysed (default: the landscape's year, or now).
    capacity_overrides
        See :func:`~citynet.analysis.capacity.capacity_scores`.
    cities
        Only these cities' rows (default: every city with a membership). When ``peers`` is a
        group or a list that holds them all, only they are computed (their peers are among
        them); otherwise every city is, since any may be a peer, and the rows are then chosen.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``city_id``, one row per city with a membership that year, sorted by load:
        ``name``, ``region``, ``population_band``, ``memberships``, ``executive_seats``,
        ``international``, ``regional``, ``national`` (memberships by scope), ``presumed`` and
        ``undated`` (memberships of that certainty), ``load``, ``peer_group``, ``peers``
        (cities in it), ``peer_median`` (their median load), ``percentile`` (mid-rank, 0-100),
        ``zscore`` (NaN for groups of one or without spread), ``capacity`` (NaN when nothing is
        documented), ``capacity_facts``, ``load_per_capacity``, ``capacity_percentile``
        (mid-rank among peers with a documented capacity), ``capacity_peers``,
        ``redundant_theme_links``, ``redundant_share``, ``flag`` and ``flag_reason``.
        ``attrs["rule"]`` holds the rule: threshold, min_peers, load_floor, excess, peers, year.

    Examples
    --------
    >>> import citynet
    >>> table = overcommitment(citynet.load())
    >>> bool(table["percentile"].between(0, 100).all())
    True
    >>> int(table["flag"].sum()) < 0.1 * len(table)
    True
    """
    _check_rule(threshold, min_peers, load_floor, excess)
    snapshot = land.current(year)
    loads = membership_loads(snapshot, model=model)
    wanted = None if cities is None else pd.Index(pd.unique(np.asarray(cities, dtype=object)))
    if wanted is not None and _peers_within(snapshot, peers, wanted):
        loads = loads[loads["city_id"].isin(wanted).to_numpy(dtype=bool)]
    table = snapshot.cities
    per_city = loads.groupby("city_id", sort=True)
    out = pd.DataFrame(
        {
            "memberships": per_city.size(),
            "executive_seats": (loads["role"] == "executive").groupby(loads["city_id"]).sum(),
        }
    )
    for column, values in (
        ("scope", ("international", "regional", "national")),
        ("certainty", ("presumed", "undated")),
    ):
        counts = loads.groupby(["city_id", column]).size().unstack(fill_value=0)
        for value in values:
            out[value] = (
                counts.get(value, pd.Series(0, index=counts.index))
                .reindex(out.index, fill_value=0)
                .astype(int)
            )
    out["load"] = per_city["load"].sum()
    out.insert(0, "name", table.loc[out.index, "name"].astype(str))
    out.insert(1, "region", table.loc[out.index, "region"].astype(object))
    out.insert(2, "population_band", table.loc[out.index, "population"].map(population_band))
    groups = peer_groups(table, peers, active=out.index, min_peers=min_peers)
    out["peer_group"] = groups.loc[out.index].astype(str)
    out["peers"] = out.groupby("peer_group")["load"].transform("size").astype(int)
    out["peer_median"] = out.groupby("peer_group")["load"].transform("median")
    out["percentile"] = _group_transform(out["load"], out["peer_group"], "percentile")
    out["zscore"] = _group_transform(out["load"], out["peer_group"], "zscore")

    caps = capacity_scores(snapshot, year=snapshot.year, overrides=capacity_overrides)
    out["capacity"] = caps["capacity"].reindex(out.index)
    out["capacity_facts"] = caps["capacity_facts"].reindex(out.index).fillna(0).astype(int)
    out["load_per_capacity"] = out["load"] / out["capacity"]
    known = out["capacity"].notna()
    out["capacity_percentile"] = np.nan
    out["capacity_peers"] = 0
    if known.any():
        out.loc[known, "capacity_percentile"] = _group_transform(
            out.loc[known, "load_per_capacity"], out.loc[known, "peer_group"], "percentile"
        )
        out.loc[known, "capacity_peers"] = (
            out[known].groupby("peer_group")["load"].transform("size").astype(int)
        )

    out = out.join(_theme_redundancy(snapshot, loads))
    in_group = ~out["peer_group"].isin(["not in the list", "not in the group"])
    heavy = out["load"] >= load_floor
    high_load = (
        in_group
        & heavy
        & (out["peers"] >= min_peers)
        & (out["percentile"] >= threshold)
        & (out["load"] >= excess * out["peer_median"])
    )
    high_ratio = (
        in_group
        & heavy
        & known
        & (out["capacity_peers"] >= min_peers)
        & (out["capacity_percentile"] >= threshold).fillna(False)
    )
    out["flag"] = (high_load | high_ratio).astype(bool)
    reasons = []
    for load_hit, ratio_hit, load, median, size, group, pct, cap_pct, cap_peers in zip(
        high_load.to_numpy(dtype=bool),
        high_ratio.to_numpy(dtype=bool),
        out["load"].to_numpy(dtype=float),
        out["peer_median"].to_numpy(dtype=float),
        out["peers"].to_numpy(),
        out["peer_group"].astype(str),
        out["percentile"].to_numpy(dtype=float),
        out["capacity_percentile"].to_numpy(dtype=float),
        out["capacity_peers"].to_numpy(),
        strict=True,
    ):
        why = []
        if load_hit:
            times = (
                f"is {load / median:.1f} times the median"
                if median > 0
                else "is above the median 0"
            )
            why.append(
                f"load {load:.1f} {times} "
                f"of {size} comparable peers ({group}), at their {pct:.0f}th percentile"
            )
        if ratio_hit:
            why.append(
                f"load per unit of documented capacity at the {cap_pct:.0f}th "
                f"percentile of {cap_peers} peers with a documented capacity"
            )
        reasons.append("; ".join(why))
    out["flag_reason"] = reasons
    out.index.name = "city_id"
    if wanted is not None:
        out = out[out.index.isin(wanted)]
    out = out.sort_values(["load", "name"], ascending=[False, True])
    out.attrs["rule"] = {
        "threshold": threshold,
        "min_peers": min_peers,
        "load_floor": load_floor,
        "excess": excess,
        "peers": peers if isinstance(peers, str) else "given list",
        "year": snapshot.year,
    }
    return out


def _peers_within(land: Landscape, peers: str | Sequence[str], wanted: pd.Index) -> bool:
    """Tell whether every peer of the ``wanted`` cities is itself wanted (a group or a list)."""
    if isinstance(peers, str):
        if not peers.startswith("group:"):
            return False
        members = group_members(land.cities, peers.removeprefix("group:").strip())
    else:
        members = pd.Index(list(peers))
    return bool(members.isin(wanted).all())


def _theme_redundancy(land: Landscape, loads: pd.DataFrame) -> pd.DataFrame:
    """Theme redundancy per city, with dense city x theme counts (17 themes)."""
    theme_pos = {t: i for i, t in enumerate(THEMES)}
    network_ids = list(land.network_ids)
    net_pos = {n: i for i, n in enumerate(network_ids)}
    has_theme = np.zeros((len(network_ids), len(THEMES)), dtype=np.int64)
    for network_id, themes in land.network_themes.items():
        for theme in themes:
            has_theme[net_pos[network_id], theme_pos[theme]] = 1
    city_ids, city_idx = np.unique(loads["city_id"].to_numpy(dtype=object), return_inverse=True)
    net_idx = loads["network_id"].map(net_pos).to_numpy(dtype=np.int64)
    counts = np.zeros((len(city_ids), len(THEMES)), dtype=np.int64)
    np.add.at(counts, city_idx, has_theme[net_idx])
    links = np.clip(counts - 1, 0, None).sum(axis=1)
    own = has_theme[net_idx]
    n_own = own.sum(axis=1)
    covered = (own * (counts[city_idx] >= 2)).sum(axis=1)
    redundant = (n_own > 0) & (covered == n_own)
    per_city = np.bincount(city_idx, weights=redundant, minlength=len(city_ids))
    size = np.bincount(city_idx, minlength=len(city_ids))
    return pd.DataFrame(
        {"redundant_theme_links": links, "redundant_share": per_city / size},
        index=pd.Index(city_ids, name="city_id"),
    )
