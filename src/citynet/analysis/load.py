"""The commitment load of a city's memberships: a transparent, adjustable index.

``load(membership) = role_weight[role] x scope_weight[scope] x evidence_weight[evidence]
x obligations(network)`` and a city's load is the sum over its memberships valid in the year
analysed. The unit is **one plain international membership = 1.0**: a city with load 6 carries
about the weight of six international memberships. Every weight is a field of
:class:`LoadModel` with its reason in ``docs/load-model.md``; they are assumptions a city
replaces with its own costs.

Where facts exist, the load is also told in plain units (:func:`obligations_summary`):
assemblies a year, board seats, fees as stated, reporting duties and commitments, each with its
source in the network rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

import pandas as pd

from citynet._errors import CitynetError
from citynet.landscape import Landscape
from citynet.lookup import resolve_city
from citynet.rules import NetworkRules, RuleFact

__all__ = [
    "LoadModel",
    "Obligations",
    "commitment_breakdown",
    "membership_loads",
    "obligations_summary",
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

    def obligations(
        self, networks: pd.DataFrame, rules: Mapping[str, NetworkRules] | None = None
    ) -> pd.Series:
        """Return the multiplier per network from its stated obligations.

        ``meeting_frequency``, ``annual_fee`` and ``reporting_required`` come from
        ``networks.csv``; where they are empty, the network rules give the assemblies a year
        (``general_assembly``) and the reporting duty (``reporting``). A fee enters only as a
        number in ``annual_fee`` (rule facts state fees as text: bands, currencies, formulas).
        Where nothing is known a factor stays at 1, so networks weigh by role and scope alone.
        """
        meetings = networks["meeting_frequency"].astype("Float64")
        reporting = networks["reporting_required"].astype("boolean")
        if rules is not None:
            cadence = pd.Series(
                {n: r.assemblies_per_year for n, r in rules.items()}, dtype="Float64"
            ).reindex(networks.index)
            meetings = meetings.fillna(cadence)
            duty = pd.Series({n: r.reporting for n, r in rules.items()}, dtype="boolean")
            reporting = reporting.fillna(duty.reindex(networks.index))
        extra_meetings = (meetings - 1).clip(lower=0).fillna(0)
        fee = networks["annual_fee"].astype("Float64").fillna(0)
        factor = (1 + self.meeting_weight * extra_meetings) * (1 + fee / self.fee_scale)
        factor = factor.where(~reporting.fillna(False), factor * self.reporting_factor)
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


def membership_loads(
    land: Landscape, *, model: LoadModel | None = None, year: int | None = None
) -> pd.DataFrame:
    """Load of every membership valid in ``year``, with the factors that make it up.

    Returns
    -------
    pandas.DataFrame
        One row per membership: ``city_id``, ``network_id``, ``role``, ``scope``,
        ``evidence``, ``certainty``, ``role_weight``, ``scope_weight``, ``evidence_weight``,
        ``obligations`` and ``load`` (their product).

    Examples
    --------
    >>> import citynet
    >>> loads = membership_loads(citynet.load())
    >>> bool((loads["load"] > 0).all())
    True
    """
    model = model or LoadModel()
    snapshot = land.current(year)
    edges = snapshot.edges
    networks = snapshot.networks
    scope = edges["network_id"].map(networks["scope"]).astype(str)
    obligations = model.obligations(networks, snapshot.rules)
    out = pd.DataFrame(
        {
            "city_id": edges["city_id"].astype(str),
            "network_id": edges["network_id"].astype(str),
            "role": edges["role"].astype(str),
            "scope": scope,
            "evidence": edges["evidence"].astype(str),
            "certainty": edges["certainty"].astype(str),
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
    """Which memberships make up a city's load, largest first, with their dates and sources.

    Parameters
    ----------
    city
        Id or name (``"sao paulo"`` finds São Paulo).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id``: ``network`` (name), the columns of :func:`membership_loads`,
        ``share`` (of the city's load), ``themes``, ``role_titles``, ``since`` (earliest stated
        start), ``observed`` (latest dated observation), ``seat_certainty``,
        ``assemblies_per_year``, ``fee``, ``reporting`` and ``source_url`` / ``source_title``
        (the source of the most recent fact).

    Examples
    --------
    >>> import citynet
    >>> b = commitment_breakdown(citynet.load(), "Paris")
    >>> round(float(b["share"].sum()), 6)
    1.0
    """
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    loads = membership_loads(snapshot, model=model)
    mine = loads[loads["city_id"] == city_id].drop(columns="city_id").set_index("network_id")
    networks = snapshot.networks
    names = networks["name"].astype(str).to_dict()
    mine.insert(0, "network", [names[n] for n in mine.index])
    total = mine["load"].sum()
    mine["share"] = mine["load"] / total if total else 0.0
    themes = networks["themes"].fillna("").astype(str).to_dict()
    mine["themes"] = [themes[n] for n in mine.index]
    edges = snapshot.edges
    edges = edges[edges["city_id"] == city_id].set_index("network_id")
    for column in ("role_titles", "since", "observed", "seat_certainty"):
        mine[column] = edges[column].reindex(mine.index)
    rules = snapshot.rules
    mine["assemblies_per_year"] = [rules[n].assemblies_per_year for n in mine.index]
    mine["fee"] = [rules[n].fee for n in mine.index]
    mine["reporting"] = [rules[n].reporting for n in mine.index]
    facts = snapshot.memberships
    facts = facts[facts["city_id"] == city_id].copy()
    facts["_when"] = facts["as_of"].fillna(facts["until"]).fillna(facts["since"]).fillna(-1)
    latest = facts.sort_values("_when", kind="stable").drop_duplicates("network_id", keep="last")
    latest = latest.set_index("network_id")
    mine["source_url"] = latest["source_url"].reindex(mine.index)
    mine["source_title"] = latest["source_title"].reindex(mine.index)
    return mine.sort_values(["load", "network"], ascending=[False, True])


@dataclass(frozen=True)
class Obligations:
    """What a city's memberships ask of it, in plain units, with the facts that say so.

    Attributes
    ----------
    memberships, by_scope, seats
        Counts: memberships, memberships per scope, executive seats.
    assemblies_per_year
        Sum of the stated assembly cadences (a triennial congress counts 1/3).
    assemblies_unknown
        Memberships whose assembly cadence is not stated.
    fees_free, fees_stated, fees_unknown
        Networks stating that membership is free; networks with a stated fee (the fact);
        networks with no fee fact.
    reporting
        Networks with a reporting duty, with the fact.
    commitments
        Networks stating commitments, with the most recent fact.
    """

    memberships: int
    by_scope: dict[str, int]
    seats: int
    assemblies_per_year: float
    assemblies_unknown: int
    fees_free: list[str] = field(default_factory=list)
    fees_stated: dict[str, RuleFact] = field(default_factory=dict)
    fees_unknown: list[str] = field(default_factory=list)
    reporting: dict[str, RuleFact] = field(default_factory=dict)
    commitments: dict[str, RuleFact] = field(default_factory=dict)


def obligations_summary(land: Landscape, city: str, *, year: int | None = None) -> Obligations:
    """Tell a city's commitments in plain units: assemblies, seats, fees, reporting, duties.

    Examples
    --------
    >>> import citynet
    >>> duties = obligations_summary(citynet.load(), "Paris")
    >>> duties.memberships == sum(duties.by_scope.values())
    True
    """
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    edges = snapshot.edges
    mine = edges[edges["city_id"] == city_id]
    networks = [str(n) for n in mine["network_id"]]
    rules = snapshot.rules
    scopes = snapshot.networks["scope"].astype(str)
    by_scope: dict[str, int] = {}
    for n in networks:
        by_scope[scopes[n]] = by_scope.get(scopes[n], 0) + 1
    cadences = [rules[n].assemblies_per_year for n in networks]
    fees_free, fees_stated, fees_unknown = [], {}, []
    reporting, commitments = {}, {}
    for n in networks:
        rule = rules[n]
        fee_facts = rule.of("annual_fee")
        if rule.free:
            fees_free.append(n)
        elif fee_facts:
            fees_stated[n] = fee_facts[0]
        else:
            fees_unknown.append(n)
        if rule.reporting:
            reporting[n] = rule.of("reporting")[0]
        duty = rule.of("commitments")
        if duty:
            commitments[n] = duty[0]
    return Obligations(
        memberships=len(networks),
        by_scope=by_scope,
        seats=int((mine["role"] == "executive").sum()),
        assemblies_per_year=float(sum(c for c in cadences if c is not None)),
        assemblies_unknown=sum(1 for c in cadences if c is None),
        fees_free=fees_free,
        fees_stated=fees_stated,
        fees_unknown=fees_unknown,
        reporting=reporting,
        commitments=commitments,
    )
