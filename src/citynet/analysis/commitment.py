"""Commitment load and over-commitment: is a city in more networks than it can serve.

The 2018 survey *Toward City Diplomacy* found leaders' time, travel, budget and staff to be the
main barriers to network engagement, and advised cities to prioritise and avoid over-commitment.
This module makes that measurable with a transparent **load model** (see ``docs/load-model.md``):

``load(city) = sum over its current memberships of
role_weight[role] x scope_weight[scope] x evidence_weight[evidence] x obligations(network)``

where ``obligations`` multiplies in the network's statutory meetings, fee and reporting duty when
``networks.csv`` states them. Every weight is a field of :class:`LoadModel`.

Memberships count in the year analysed: ``year`` when one is given, the snapshot's year for a
landscape from :meth:`~citynet.Landscape.as_of`, and otherwise this year
(:meth:`~citynet.Landscape.current`, under the validity model of ``docs/time.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from citynet._errors import CitynetError
from citynet.landscape import Landscape
from citynet.lookup import resolve_city
from citynet.schema import THEMES

__all__ = [
    "CAPACITY_POINTS",
    "LoadModel",
    "capacity_facts",
    "capacity_scores",
    "commitment_breakdown",
    "current_edges",
    "membership_loads",
    "ordinal",
    "overcommitment",
    "population_band",
]


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


_DEFAULTS: dict[str, dict[str, float]] = {
    "role_weights": {"member": 1.0, "executive": 2.5},
    "scope_weights": {"international": 1.0, "regional": 0.75, "national": 0.5},
    "evidence_weights": {"listed": 1.0, "derived": 1.0, "participation": 0.5},
}


@dataclass(frozen=True)
class LoadModel:
    """Weights of the commitment load model; every default is justified in docs/load-model.md.

    Parameters
    ----------
    role_weights
        Cost of a membership by role. An executive seat (board, presidency, chair) adds board
        meetings and duties to the general assembly: default ``member=1``, ``executive=2.5``.
    scope_weights
        Cost by the network's scope, mostly travel: ``international=1``, ``regional=0.75``,
        ``national=0.5``.
    evidence_weights
        How much a fact of each kind commits the city: ``listed=1``, ``derived=1`` (automatic
        memberships still send mail and invitations), ``participation=0.5`` (a signature or an
        attendance, not a standing commitment).
    meeting_weight
        Extra load per statutory meeting a year beyond the first (``meeting_frequency``): 0.25.
    fee_scale
        Fee (in the unit of ``annual_fee``) that doubles a membership's load: 50,000.
    reporting_factor
        Multiplier when members must report (``reporting_required``): 1.25.

    Examples
    --------
    >>> model = LoadModel(role_weights={"member": 1, "executive": 4})
    >>> model.weight(role="executive", scope="national", evidence="listed")
    2.0
    """

    role_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(_DEFAULTS["role_weights"])
    )
    scope_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(_DEFAULTS["scope_weights"])
    )
    evidence_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(_DEFAULTS["evidence_weights"])
    )
    meeting_weight: float = 0.25
    fee_scale: float = 50_000.0
    reporting_factor: float = 1.25

    def __post_init__(self) -> None:
        for name in ("role_weights", "scope_weights", "evidence_weights"):
            given = dict(getattr(self, name))
            default = dict(_DEFAULTS[name])
            unknown = set(given) - set(default)
            if unknown:
                raise CitynetError(
                    f"{name}: unknown key(s) {sorted(unknown)}; expected {sorted(default)}"
                )
            merged = {**default, **{k: float(v) for k, v in given.items()}}
            if any(v < 0 or math.isnan(v) for v in merged.values()):
                raise CitynetError(f"{name}: weights must be numbers >= 0")
            object.__setattr__(self, name, _frozen(merged))
        if self.meeting_weight < 0 or self.fee_scale <= 0 or self.reporting_factor < 0:
            raise CitynetError("meeting_weight and reporting_factor must be >= 0, fee_scale > 0")

    def weight(
        self, *, role: str, scope: str, evidence: str = "listed", obligations: float = 1.0
    ) -> float:
        """Load of one membership."""
        return (
            self.role_weights[role]
            * self.scope_weights[scope]
            * self.evidence_weights[evidence]
            * obligations
        )

    def obligations(self, networks: pd.DataFrame) -> pd.Series:
        """Return the multiplier per network from its stated obligations.

        Uses ``meeting_frequency``, ``annual_fee`` and ``reporting_required``.

        A missing value leaves its factor at 1, so networks without these columns weigh by role
        and scope alone.
        """
        meetings = networks["meeting_frequency"].astype("Float64")
        extra_meetings = (meetings - 1).clip(lower=0).fillna(0)
        fee = networks["annual_fee"].astype("Float64").fillna(0)
        reporting = networks["reporting_required"].astype("boolean").fillna(False)
        factor = (1 + self.meeting_weight * extra_meetings) * (1 + fee / self.fee_scale)
        factor = factor.where(~reporting, factor * self.reporting_factor)
        return factor.astype("float64").rename("obligations")

    def updated(self, **changes: Any) -> LoadModel:
        """Return a copy with some fields changed; mappings are merged into the current ones.

        Examples
        --------
        >>> LoadModel().updated(scope_weights={"national": 0.2}).scope_weights["international"]
        1.0
        """
        merged: dict[str, Any] = {}
        names = {f.name for f in fields(self)}
        for key, value in changes.items():
            if key not in names:
                raise CitynetError(
                    f"unknown load-model parameter {key!r}; expected one of {sorted(names)}"
                )
            current = getattr(self, key)
            merged[key] = {**current, **value} if isinstance(current, Mapping) else value
        return replace(self, **merged)


def current_edges(land: Landscape, *, year: int | None = None) -> pd.DataFrame:
    """Return the memberships valid in ``year`` (default: the landscape's year, or now).

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> len(current_edges(land)) <= len(land.edges)
    True
    """
    return land.current(year).edges


def membership_loads(
    land: Landscape, *, model: LoadModel | None = None, year: int | None = None
) -> pd.DataFrame:
    """Load of every current membership, with the factors that make it up.

    Returns
    -------
    pandas.DataFrame
        One row per current city-network pair: ``city_id``, ``network_id``, ``role``,
        ``scope``, ``evidence``, ``role_weight``, ``scope_weight``, ``evidence_weight``,
        ``obligations`` and ``load`` (their product).

    Examples
    --------
    >>> import citynet
    >>> loads = membership_loads(citynet.load())
    >>> bool((loads["load"] > 0).all())
    True
    """
    model = model or LoadModel()
    edges = current_edges(land, year=year)
    networks = land.networks
    scope = edges["network_id"].map(networks["scope"]).astype(str)
    obligations = model.obligations(networks)
    out = pd.DataFrame(
        {
            "city_id": edges["city_id"].astype(str),
            "network_id": edges["network_id"].astype(str),
            "role": edges["role"].astype(str),
            "scope": scope,
            "evidence": edges["evidence"].astype(str),
        }
    )
    out["role_weight"] = out["role"].map(model.role_weights).astype(float)
    out["scope_weight"] = out["scope"].map(model.scope_weights).astype(float)
    out["evidence_weight"] = out["evidence"].map(model.evidence_weights).astype(float)
    out["obligations"] = out["network_id"].map(obligations).astype(float)
    out["load"] = (
        out["role_weight"] * out["scope_weight"] * out["evidence_weight"] * out["obligations"]
    )
    return out


def commitment_breakdown(
    land: Landscape, city: str, *, model: LoadModel | None = None, year: int | None = None
) -> pd.DataFrame:
    """Which memberships make up a city's load, largest first.

    Parameters
    ----------
    city
        Id or name (``"sao paulo"`` finds São Paulo).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id``: ``network`` (name), the columns of :func:`membership_loads`,
        ``share`` (of the city's load) and ``themes``.

    Examples
    --------
    >>> import citynet
    >>> b = commitment_breakdown(citynet.load(), "Paris")
    >>> round(float(b["share"].sum()), 6)
    1.0
    """
    city_id = resolve_city(land, city)
    loads = membership_loads(land, model=model, year=year)
    mine = loads[loads["city_id"] == city_id].drop(columns="city_id").set_index("network_id")
    networks = land.networks
    names = networks["name"].astype(str).to_dict()
    mine.insert(0, "network", [names[n] for n in mine.index])
    total = mine["load"].sum()
    mine["share"] = mine["load"] / total if total else 0.0
    themes = networks["themes"].fillna("").astype(str).to_dict()
    mine["themes"] = [themes[n] for n in mine.index]
    return mine.sort_values(["load", "network"], ascending=[False, True])


_BANDS = ((300_000, "under 300k"), (1_000_000, "300k-1M"), (5_000_000, "1M-5M"))


def population_band(population: float | None) -> str:
    """Return the population band used for peer groups.

    Examples
    --------
    >>> population_band(250_000), population_band(2_000_000), population_band(None)
    ('under 300k', '1M-5M', 'unknown')
    """
    if population is None or pd.isna(population):
        return "unknown"
    for limit, label in _BANDS:
        if population < limit:
            return label
    return "5M and more"


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


def ordinal(number: float) -> str:
    """Return a rounded number as an English ordinal.

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 11, 22, 90.4, 100)]
    ['1st', '2nd', '3rd', '11th', '22nd', '90th', '100th']
    """
    n = round(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _peer_keys(cities: pd.DataFrame, peers: str | Sequence[str]) -> tuple[pd.Series, str]:
    label = "given list"
    if isinstance(peers, str):
        if peers == "all":
            return pd.Series("all cities", index=cities.index), "all"
        if peers == "region":
            return cities["region"].astype(object).fillna("unknown region"), "region"
        if peers == "population":
            return cities["population"].map(population_band).astype(object), "population"
        if peers.startswith("group:"):
            tag = peers.removeprefix("group:")
            tags = cities["groups"].fillna("").astype(str).str.split(";")
            members = tags.map(lambda t: tag in t).to_numpy(dtype=bool)
            if not members.any():
                raise CitynetError(f"no city carries the group tag {tag!r}")
            peers, label = list(cities.index[members]), f"group {tag}"
        else:
            raise CitynetError(
                f"peers must be 'all', 'region', 'population', 'group:TAG' or a "
                f"list of city ids, not {peers!r}"
            )
    chosen = set(peers)
    unknown = chosen - set(cities.index)
    if unknown:
        raise CitynetError(f"peer list names unknown city ids: {sorted(unknown)}")
    keys = pd.Series("not in the list", index=cities.index, dtype=object)
    keys[keys.index.isin(list(chosen))] = label
    return keys, "list"


def overcommitment(
    land: Landscape,
    *,
    peers: str | Sequence[str] = "all",
    model: LoadModel | None = None,
    threshold: float = 90.0,
    year: int | None = None,
    capacity_overrides: Mapping[str, Mapping[str, float | bool]] | None = None,
) -> pd.DataFrame:
    """Each city's commitment load against its peers and against its capacity.

    Parameters
    ----------
    peers
        ``"all"``, ``"region"``, ``"population"`` (bands: under 300k, 300k-1M, 1M-5M, 5M and
        more, unknown), ``"group:TAG"`` (cities tagged TAG in ``groups``, e.g.
        ``"group:toward-city-diplomacy-2018"``; their ``peer_group`` is "group TAG") or a list
        of city ids ("given list"); cities outside a group or list get "not in the list" and no
        flag.
        Cities with no current membership are not peers.
    model
        Load weights (:class:`LoadModel`).
    threshold
        Percentile at or above which a city is flagged.
    year
        Count memberships valid in this year (default: current ones).
    capacity_overrides
        See :func:`capacity_scores`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``city_id``, one row per city with a current membership, sorted by load:
        ``name``, ``region``, ``population_band``, ``memberships``, ``executive_seats``,
        ``international``, ``regional``, ``national`` (memberships by scope), ``load``,
        ``peer_group``, ``peers`` (size), ``percentile`` (share of peers with load <= this city's,
        0-100), ``zscore`` (against the peer group; NaN for groups of one or no spread),
        ``capacity`` (NaN when nothing is documented), ``capacity_facts``,
        ``load_per_capacity``, ``capacity_percentile`` (percentile of ``load_per_capacity``
        among peers with a documented capacity), ``redundant_theme_links`` (networks covering a
        theme beyond the first, summed over themes), ``redundant_share`` (share of memberships
        whose themes are all covered by the city's other memberships), ``flag`` and
        ``flag_reason`` (naming the threshold).

    Examples
    --------
    >>> import citynet
    >>> table = overcommitment(citynet.load(), peers="region")
    >>> bool(table["percentile"].between(0, 100).all())
    True
    """
    loads = membership_loads(land, model=model, year=year)
    cities = land.cities
    per_city = loads.groupby("city_id", sort=True)
    out = pd.DataFrame(
        {
            "memberships": per_city.size(),
            "executive_seats": (loads["role"] == "executive").groupby(loads["city_id"]).sum(),
        }
    )
    by_scope = loads.groupby(["city_id", "scope"]).size().unstack(fill_value=0)
    for scope in ("international", "regional", "national"):
        out[scope] = (
            by_scope.get(scope, pd.Series(0, index=by_scope.index))
            .reindex(out.index, fill_value=0)
            .astype(int)
        )
    out["load"] = per_city["load"].sum()
    out.insert(0, "name", cities.loc[out.index, "name"].astype(str))
    out.insert(1, "region", cities.loc[out.index, "region"].astype(object))
    out.insert(2, "population_band", cities.loc[out.index, "population"].map(population_band))
    keys, _ = _peer_keys(cities, peers)
    out["peer_group"] = keys.loc[out.index].astype(str)
    out["peers"] = out.groupby("peer_group")["load"].transform("size").astype(int)
    out["percentile"] = out.groupby("peer_group")["load"].transform(_percentiles)
    out["zscore"] = out.groupby("peer_group")["load"].transform(_zscores)

    caps = capacity_scores(land, year=land.current(year).year, overrides=capacity_overrides)
    out["capacity"] = caps["capacity"].reindex(out.index)
    out["capacity_facts"] = caps["capacity_facts"].reindex(out.index).fillna(0).astype(int)
    out["load_per_capacity"] = out["load"] / out["capacity"]
    known = out["capacity"].notna()
    out["capacity_percentile"] = np.nan
    if known.any():
        out.loc[known, "capacity_percentile"] = (
            out[known].groupby("peer_group")["load_per_capacity"].transform(_percentiles)
        )

    redundancy = _theme_redundancy(land, loads)
    out = out.join(redundancy)
    in_list = out["peer_group"] != "not in the list"
    high_load = (out["percentile"] >= threshold) & (out["peers"] > 1) & in_list
    high_ratio = (out["capacity_percentile"] >= threshold) & in_list
    out["flag"] = (high_load | high_ratio.fillna(False)).astype(bool)
    reasons = []
    for load_hit, ratio_hit, pct, size, group, cap_pct in zip(
        high_load.to_numpy(dtype=bool),
        high_ratio.fillna(False).to_numpy(dtype=bool),
        out["percentile"],
        out["peers"],
        out["peer_group"],
        out["capacity_percentile"],
        strict=True,
    ):
        why = []
        if load_hit:
            why.append(
                f"load at the {ordinal(pct)} percentile of {size} peers ({group}; "
                f"threshold {threshold:g})"
            )
        if ratio_hit:
            why.append(
                f"load per unit of capacity at the {ordinal(cap_pct)} percentile "
                f"(threshold {threshold:g})"
            )
        reasons.append("; ".join(why))
    out["flag_reason"] = reasons
    out.index.name = "city_id"
    return out.sort_values(["load", "name"], ascending=[False, True])


def weak_percentile(sample: np.ndarray, values: np.ndarray | float) -> np.ndarray:
    """Percent of ``sample`` at or below each value (the "weak" percentile of a score).

    Examples
    --------
    >>> weak_percentile(np.array([1.0, 2.0, 2.0, 4.0]), np.array([2.0, 0.5]))
    array([75.,  0.])
    """
    ordered = np.sort(np.asarray(sample, dtype=float))
    below = np.searchsorted(ordered, np.asarray(values, dtype=float), side="right")
    result: np.ndarray = 100.0 * below / len(ordered)
    return result


def _percentiles(values: pd.Series) -> pd.Series:
    array = values.to_numpy(dtype=float)
    return pd.Series(weak_percentile(array, array), index=values.index)


def _zscores(values: pd.Series) -> pd.Series:
    array = values.to_numpy(dtype=float)
    spread = array.std()
    if len(array) < 2 or spread == 0:
        return pd.Series(np.nan, index=values.index)
    return pd.Series((array - array.mean()) / spread, index=values.index)


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
