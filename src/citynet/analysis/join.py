"""The join check ("should we join X?"), side-by-side comparison, suggestions, and leaving.

All of them work on one year's memberships (:meth:`~citynet.Landscape.current`), on the
network rules (:mod:`citynet.analysis.eligibility`) and on the sparse incidence matrix, so a
check takes milliseconds once a landscape is loaded.

Verdicts
--------
:func:`join_check` opens with one of four verdicts and the facts that decide it:

* **not open to you**: the network is closed, the city is in another country or below a
  population threshold, members are associations or regions, or admission is by invitation or
  selection (how one gets in is said) (:func:`~citynet.analysis.eligibility.eligibility`);
* **already a member**: directly, through a chapter, or by rule;
* **low added value**: it brings no theme the city's networks lack and few new partners
  (fewer than 3, or than a tenth of its members in the data);
* **worth considering**: otherwise.

Partners
--------
A city's *partners* are the cities that share at least one network with it that year. The
members of a network split into **new partners** (no network shared today) and **shared
partners**; both lists are ranked by relevance: same country (3 points), same region (2), same
population band (1), each network already shared (1), and the share of the city's themes its
networks cover (0 to 1); ties go to the city closest in population.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.analysis.eligibility import Eligibility, eligibility, eligibility_index
from citynet.analysis.load import LoadModel, membership_loads
from citynet.analysis.peers import midrank_percentile, peer_groups, population_band
from citynet.landscape import Landscape
from citynet.lookup import resolve_city, resolve_network
from citynet.rules import RuleFact
from citynet.schema import THEME_LABELS, THEMES

__all__ = [
    "JoinReport",
    "LeaveReport",
    "compare",
    "join_check",
    "leave_candidates",
    "leave_check",
    "suggest",
    "verdicts",
]

VERDICTS = ("not open", "already a member", "worth considering", "low added value")


@dataclass(frozen=True)
class _Matrices:
    """One year's memberships as matrices, cached per landscape, model and peers."""

    by_city: sp.csr_array
    by_network: sp.csc_array
    city_pos: dict[str, int]
    network_pos: dict[str, int]
    city_ids: np.ndarray
    network_ids: np.ndarray
    city_load: np.ndarray
    roles: dict[tuple[str, str], str]
    weights: dict[tuple[str, str], float]
    region: np.ndarray
    band: np.ndarray
    country: np.ndarray
    peer_group: np.ndarray
    obligations: dict[str, float]
    themes: np.ndarray  # cities x themes, True where one of the city's networks covers it
    log_population: np.ndarray


def _matrices(land: Landscape, model: LoadModel, peers: str | Sequence[str]) -> _Matrices:
    snapshot = land.current()
    peers_key = peers if isinstance(peers, str) else tuple(peers)

    def build() -> _Matrices:
        matrix = snapshot.incidence
        loads = membership_loads(snapshot, model=model)
        city_ids = np.asarray(snapshot.city_ids, dtype=object)
        city_load = (
            loads.groupby("city_id")["load"]
            .sum()
            .reindex(city_ids, fill_value=0.0)
            .to_numpy(dtype=float)
        )
        keys = list(zip(loads["city_id"], loads["network_id"], strict=True))
        cities = snapshot.cities.loc[list(city_ids)]
        active = pd.Index(city_ids[city_load > 0])
        groups = peer_groups(cities, peers, active=active).reindex(city_ids)
        position = {t: i for i, t in enumerate(THEMES)}
        network_themes = np.zeros((len(snapshot.network_ids), len(THEMES)), dtype=np.int64)
        for j, network_id in enumerate(snapshot.network_ids):
            for theme in snapshot.network_themes[str(network_id)]:
                network_themes[j, position[theme]] = 1
        portfolio = np.asarray(matrix.astype(np.int64) @ network_themes) > 0
        population = cities["population"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        return _Matrices(
            by_city=matrix,
            by_network=sp.csc_array(matrix),
            city_pos={c: i for i, c in enumerate(city_ids)},
            network_pos={n: j for j, n in enumerate(snapshot.network_ids)},
            city_ids=city_ids,
            network_ids=np.asarray(snapshot.network_ids, dtype=object),
            city_load=city_load,
            roles=dict(zip(keys, loads["role"], strict=True)),
            weights=dict(zip(keys, loads["load"].astype(float), strict=True)),
            region=cities["region"].astype(object).fillna("").to_numpy(),
            band=cities["population"].map(population_band).astype(object).to_numpy(),
            country=cities["country"].astype(object).to_numpy(),
            peer_group=groups.astype(object).to_numpy(),
            obligations={
                str(k): float(v)
                for k, v in model.obligations(snapshot.networks, snapshot.rules).items()
            },
            themes=portfolio,
            log_population=np.log(np.where(population > 0, population, np.nan)),
        )

    result: _Matrices = snapshot.memo(
        ("join-matrices", repr(model), peers_key), build, lasting=True
    )
    return result


def _networks_of(m: _Matrices, row: int) -> list[str]:
    start, end = m.by_city.indptr[row], m.by_city.indptr[row + 1]
    return [str(m.network_ids[j]) for j in m.by_city.indices[start:end]]


def _members_of(m: _Matrices, col: int) -> np.ndarray:
    start, end = m.by_network.indptr[col], m.by_network.indptr[col + 1]
    rows: np.ndarray = m.by_network.indices[start:end]
    return rows


def _co_member_counts(m: _Matrices, row: int) -> np.ndarray:
    """Count the networks each city shares with city ``row`` that year (0 for itself)."""
    start, end = m.by_city.indptr[row], m.by_city.indptr[row + 1]
    counts = np.zeros(len(m.city_ids), dtype=np.int64)
    for col in m.by_city.indices[start:end]:
        counts[_members_of(m, int(col))] += 1
    counts[row] = 0
    return counts


def _ranked(m: _Matrices, row: int, members: np.ndarray, common: np.ndarray) -> list[str]:
    """Member ids ranked by relevance to city ``row`` (module docstring)."""
    if len(members) == 0:
        return []
    mine = m.themes[row]
    shared_themes = (m.themes[members] & mine).sum(axis=1) / max(int(mine.sum()), 1)
    score = (
        3 * (m.country[members] == m.country[row])
        + 2 * ((m.region[members] == m.region[row]) & (m.region[row] != ""))
        + 1 * ((m.band[members] == m.band[row]) & (m.band[row] != "unknown"))
        + common[members]
        + shared_themes
    )
    distance = np.abs(m.log_population[members] - m.log_population[row])
    distance = np.where(np.isnan(distance), np.inf, distance)
    ids = m.city_ids[members].astype(str)
    order = np.lexsort((ids, distance, -np.round(score, 9)))
    return [str(i) for i in ids[order]]


def _themes(land: Landscape, network: str) -> list[str]:
    order = {t: i for i, t in enumerate(THEMES)}
    return sorted(land.network_themes[network], key=lambda t: order.get(t, len(order)))


def _percentiles(m: _Matrices, row: int, before: float, after: float) -> tuple[float, float, int]:
    """Mid-rank percentile of the city's load among its peers, before and after a change."""
    group = m.peer_group[row]
    in_group = (m.peer_group == group) & (m.city_load > 0)
    in_group[row] = False
    others = m.city_load[in_group]
    first = float(midrank_percentile(np.append(others, before), before))
    second = float(midrank_percentile(np.append(others, after), after))
    return first, second, int(len(others) + 1)


def _fact_dict(fact: RuleFact) -> dict[str, Any]:
    return asdict(fact)


@dataclass(frozen=True)
class JoinReport:
    """What joining a network would bring a city, with a verdict.

    Render it with :func:`citynet.render.join.join_text` (the CLI does) or show it in Jupyter;
    :meth:`to_dict` has stable keys. Lists of city ids (``new_partners``,
    ``shared_partners``, ``peers``) are ranked by relevance (module docstring).
    """

    city: str
    city_name: str
    network: str
    network_name: str
    short_name: str
    year: int
    verdict: str
    certain: bool
    reason: str
    rule_facts: list[dict[str, Any]]
    how_to_join: str | None
    notes: list[str]
    already_member: bool
    membership: str | None
    role: str | None
    status: str
    scope: str
    themes: list[str]
    themes_added: list[str]
    themes_already_covered: dict[str, list[str]]
    new_partners: list[str]
    shared_partners: list[str]
    peers: list[str]
    peer_reasons: dict[str, str]
    coverage: str | None
    members_in_data: int
    members_stated: int | None
    load_before: float
    load_after: float
    peer_group: str
    peer_count: int
    percentile_before: float
    percentile_after: float
    admission: list[dict[str, Any]]
    fee: dict[str, Any] | None
    assembly: dict[str, Any] | None
    assemblies_per_year: float | None
    reporting: dict[str, Any] | None
    commitments: dict[str, Any] | None
    history: list[dict[str, Any]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    partner_evidence: dict[str, int] = field(default_factory=dict)

    @property
    def added_load(self) -> float:
        """Load the membership would add (0 when already a member or not open)."""
        return self.load_after - self.load_before

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with stable keys."""
        data = asdict(self)
        data["added_load"] = self.added_load
        return data

    def to_json(self) -> str:
        """Return the report as indented JSON."""
        import json

        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self, *, names: dict[str, str] | None = None) -> str:
        """Return the report as text for a terminal (100 columns)."""
        from citynet.render.join import join_text

        return join_text(self, names=names)

    def _repr_html_(self) -> str:
        from citynet.render.join import join_html

        return join_html(self)


def _decide(
    allowed: Eligibility, short: str, themes_added: int, new_partners: int, in_data: int
) -> tuple[str, str]:
    """Return the verdict and its reason, once the rules have spoken (not for direct members)."""
    if allowed.status == "member":
        return "already a member", allowed.reason
    if allowed.status == "not open":
        return "not open", allowed.reason
    if not themes_added and new_partners < max(3, math.ceil(0.1 * in_data)):
        return "low added value", (
            f"{short} covers no theme the city's networks lack, and only "
            f"{new_partners} of its {in_data} members in the data are new partners."
        )
    theme_part = (
        f" and {themes_added} new theme{'s' if themes_added != 1 else ''}" if themes_added else ""
    )
    return "worth considering", f"{short} brings {new_partners} new partner cities{theme_part}."


def verdicts(
    land: Landscape,
    city: str,
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> pd.DataFrame:
    """Return the verdict of the join check for every network, for one city, in one pass.

    The same verdicts and reasons as :func:`join_check` (a test holds them equal), without the
    detail of each report: for pages and tables that list every network.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id``: ``network``, ``short_name``, ``scope``, ``verdict``,
        ``certain``, ``reason``, ``membership``, ``new_partners``, ``shared_partners``,
        ``themes_added`` (``;``-separated), ``members_in_data``, ``coverage``, ``added_load``.

    Examples
    --------
    >>> import citynet
    >>> table = verdicts(citynet.load(), "Santiago")
    >>> table.loc["iclei", "verdict"], table.loc["c40", "verdict"]
    ('worth considering', 'already a member')
    """
    model = model or LoadModel()
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    records = verdict_records(snapshot, city_id, model=model, peers=peers)
    return pd.DataFrame(records).set_index("network_id")


def verdict_records(
    snapshot: Landscape,
    city_id: str,
    *,
    model: LoadModel,
    peers: str | Sequence[str] = "comparable",
) -> list[dict[str, Any]]:
    """Return the rows of :func:`verdicts` as plain dicts, for a snapshot and a city id.

    For callers that handle thousands of cities (the site): no table is built per city.
    """
    m = _matrices(snapshot, model, peers)
    row = m.city_pos[city_id]
    partners = _co_member_counts(m, row) > 0
    sizes = np.diff(m.by_network.indptr)
    shared = np.asarray(m.by_network.T @ partners.astype(np.int64)).ravel()
    member = np.zeros(len(m.network_ids), dtype=bool)
    member[m.by_city.indices[m.by_city.indptr[row] : m.by_city.indptr[row + 1]]] = True
    others = sizes - member.astype(np.int64)
    new = others - shared
    mine = set(_networks_of(m, row))
    records = []
    rows = eligibility_index(snapshot).networks
    theme_sets = snapshot.network_themes
    for j, network_id in enumerate(map(str, m.network_ids)):
        net = rows[network_id]
        short = str(net["acronym"]) if net["acronym"] is not None else str(net["name"])
        allowed = eligibility(snapshot, city_id, network_id)
        covered = set().union(*(theme_sets[n] for n in mine if n != network_id))
        added = [t for t in _themes(snapshot, network_id) if t not in covered]
        if allowed.status == "member" and allowed.membership == "direct":
            verdict, reason = "already a member", allowed.reason
        else:
            verdict, reason = _decide(allowed, short, len(added), int(new[j]), int(sizes[j]))
        joining = allowed.status == "open"
        records.append(
            {
                "network_id": network_id,
                "network": str(net["name"]),
                "short_name": short,
                "scope": str(net["scope"]),
                "verdict": verdict,
                "certain": allowed.certain,
                "reason": reason,
                "membership": allowed.membership,
                "new_partners": int(new[j]),
                "shared_partners": int(shared[j]),
                "themes_added": ";".join(added),
                "members_in_data": int(sizes[j]),
                "coverage": None if net["coverage"] is None else str(net["coverage"]),
                "added_load": model.weight(
                    role="member", scope=str(net["scope"]), obligations=m.obligations[network_id]
                )
                if joining
                else 0.0,
            }
        )
    return records


RECENT_YEARS = 5
"""An observation within this many years of the snapshot's year is recent (docs/time.md)."""


def _evidence(snapshot: Landscape) -> dict[str, dict[str, str]]:
    """network_id -> city_id -> how sure its membership is: recent, older or undated."""

    def build() -> dict[str, dict[str, str]]:
        edges = snapshot.edges
        year = int(snapshot.year or 0)
        out: dict[str, dict[str, str]] = {}
        for city, network, certainty, observed in zip(
            edges["city_id"].astype(str),
            edges["network_id"].astype(str),
            edges["certainty"].astype(str),
            edges["observed"].astype("Float64"),
            strict=True,
        ):
            if certainty == "undated" or pd.isna(observed):
                kind = "undated"
            elif certainty == "known" or observed >= year - RECENT_YEARS:
                kind = "recent"
            else:
                kind = "older"
            out.setdefault(network, {})[city] = kind
        return out

    found: dict[str, dict[str, str]] = snapshot.memo("partner-evidence", build, lasting=True)
    return found


def _not_counted_by_network(snapshot: Landscape) -> dict[str, dict[str, int]]:
    """network_id -> {"lapsed": n, "suspended": n}: members the snapshot does not count."""

    def build() -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (_city, network), (state, _observed) in snapshot.pair_states().items():
            counts = out.setdefault(network, {"lapsed": 0, "suspended": 0})
            counts[state] = counts.get(state, 0) + 1
        return out

    found: dict[str, dict[str, int]] = snapshot.memo("not-counted-by-network", build)
    return found


def _partner_evidence(
    snapshot: Landscape, network_id: str, partners: Sequence[str]
) -> dict[str, int]:
    """How sure the partners' memberships are, and how many members are not counted."""
    kinds = _evidence(snapshot).get(network_id, {})
    out = {"recent": 0, "older": 0, "undated": 0}
    for partner in partners:
        kind = kinds.get(partner, "undated")
        out[kind] += 1
    out.update(_not_counted_by_network(snapshot).get(network_id, {"lapsed": 0, "suspended": 0}))
    return out


def _edges_by_pair(snapshot: Landscape) -> pd.DataFrame:
    """Return the snapshot's edges indexed by (city_id, network_id), built once."""
    indexed: pd.DataFrame = snapshot.memo(
        "edges-by-pair", lambda: snapshot.edges.set_index(["city_id", "network_id"])
    )
    return indexed


def _city_names(snapshot: Landscape) -> dict[str, str]:
    def build() -> dict[str, str]:
        cities = snapshot.cities
        return dict(zip(cities.index.astype(str), cities["name"].astype(str), strict=True))

    names: dict[str, str] = snapshot.memo("city-names", build, lasting=True)
    return names


def _network_short_names(snapshot: Landscape) -> dict[str, str]:
    def build() -> dict[str, str]:
        networks = snapshot.networks
        return {
            str(n): str(a) if not pd.isna(a) else str(name)
            for n, a, name in zip(
                networks.index, networks["acronym"], networks["name"], strict=True
            )
        }

    names: dict[str, str] = snapshot.memo("network-short-names", build)
    return names


def _history(land: Landscape, city_id: str, network_id: str) -> list[dict[str, Any]]:
    from citynet.analysis.timeline import membership_history

    def build() -> dict[str, list[dict[str, Any]]]:
        history = land.memo(
            ("membership-history", city_id), lambda: membership_history(land, city_id)
        )
        by_network: dict[str, list[dict[str, Any]]] = {}
        records = history.drop(columns=["network"]).astype(object).to_dict("records")
        for row in records:
            network = str(row.pop("network_id"))
            by_network.setdefault(network, []).append(
                {str(k): (None if pd.isna(v) else v) for k, v in row.items()}
            )
        return by_network

    # the city's history, by network, once per city: a suggestion checks every network
    kept: dict[str, list[dict[str, Any]]] = land.memo(("history-by-network", city_id), build)
    return [dict(row) for row in kept.get(network_id, [])]


def join_check(
    land: Landscape,
    city: str,
    network: str,
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> JoinReport:
    """Answer "should we join this network?" for one city, with a verdict and its reasons.

    Parameters
    ----------
    city, network
        Ids, names, acronyms or aliases (case- and accent-insensitive).
    model
        Load weights (:class:`~citynet.analysis.load.LoadModel`).
    peers
        Peer group for the percentile (see :func:`~citynet.analysis.peers.peer_groups`).
    year
        The year analysed (default: the landscape's year, or now).

    Returns
    -------
    JoinReport

    Examples
    --------
    >>> import citynet
    >>> report = join_check(citynet.load(), "Santiago", "ICLEI")
    >>> report.verdict, report.load_after > report.load_before
    ('worth considering', True)
    >>> set(report.new_partners).isdisjoint(report.shared_partners)
    True
    >>> join_check(citynet.load(), "Helsinki", "100RC").verdict
    'not open'
    """
    return _join_check(land, city, network, model=model, peers=peers, year=year, history=True)


def _join_check(
    land: Landscape,
    city: str,
    network: str,
    *,
    model: LoadModel | None,
    peers: str | Sequence[str],
    year: int | None,
    history: bool,
) -> JoinReport:
    """Check as :func:`join_check` does; without ``history`` (for suggest) no facts are read."""
    model = model or LoadModel()
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    network_id = resolve_network(snapshot, network)
    m = _matrices(snapshot, model, peers)
    row, col = m.city_pos[city_id], m.network_pos[network_id]
    net = eligibility_index(snapshot).networks[network_id]
    rules = snapshot.rules[network_id]
    short = str(net["acronym"]) if not pd.isna(net["acronym"]) else str(net["name"])
    allowed: Eligibility = eligibility(snapshot, city_id, network_id)

    mine = _networks_of(m, row)
    direct = network_id in mine
    themes = _themes(snapshot, network_id)
    covered: dict[str, list[str]] = {}
    for theme in themes:
        by = [n for n in mine if n != network_id and theme in snapshot.network_themes[n]]
        if by:
            covered[theme] = by
    added = [t for t in themes if t not in covered]

    co_members = _co_member_counts(m, row)
    members = _members_of(m, col)
    members = members[members != row]
    shared_mask = co_members[members] > 0
    new_partners = _ranked(m, row, members[~shared_mask], co_members)
    shared_partners = _ranked(m, row, members[shared_mask], co_members)

    region, band = m.region[row], m.band[row]
    same_region = (m.region[members] == region) & (region != "")
    same_band = (m.band[members] == band) & (band != "unknown")
    common = co_members[members]
    peer_reasons: dict[str, str] = {}
    for i in np.flatnonzero(same_region | same_band | (common >= 2)):
        why = []
        if same_region[i]:
            why.append(f"same region ({region})")
        if same_band[i]:
            why.append(f"same size ({band})")
        if common[i] >= 2:
            why.append(f"{common[i]} networks in common")
        peer_reasons[str(m.city_ids[members[i]])] = ", ".join(why)
    peer_list = [p for p in new_partners + shared_partners if p in peer_reasons]

    load_before = float(m.city_load[row])
    joining = allowed.status == "open"
    added_load = (
        model.weight(role="member", scope=str(net["scope"]), obligations=m.obligations[network_id])
        if joining
        else 0.0
    )
    load_after = load_before + added_load
    before, after, group_size = _percentiles(m, row, load_before, load_after)

    coverage: str | None = None if pd.isna(net["coverage"]) else str(net["coverage"])
    stated: int | None = None if pd.isna(net["members_approx"]) else int(net["members_approx"])
    in_data = len(_members_of(m, col))
    if allowed.status == "member" and allowed.membership == "direct":
        verdict = "already a member"
        edge: Any = _edges_by_pair(snapshot).loc[(city_id, network_id)]
        seat = ""
        if edge["role"] == "executive":
            sure = edge["seat_certainty"]
            seat = " and holds a seat" + (
                " (on an undated source)" if sure == "undated" else f" ({sure})"
            )
        titles = "" if pd.isna(edge["role_titles"]) else f": {edge['role_titles']}"
        when = (
            f"membership {edge['certainty']}, last observed in {edge['observed']}"
            if not pd.isna(edge["observed"])
            else "on an undated source"
        )
        reason = f"{_city_names(snapshot)[city_id]} is a member of {short}{seat}{titles} ({when})."
    else:
        verdict, reason = _decide(allowed, short, len(added), len(new_partners), in_data)

    caveats = []
    if coverage != "full":
        caveats.append(
            f"{short}'s member list here is {coverage or 'of unknown completeness'} "
            f"({in_data} members in the data"
            + (f" of about {stated:,} stated" if stated else "")
            + "): partner counts are lower bounds and new partners may be shared ones."
        )
    coverage_of = snapshot.memo(
        "network-coverage", lambda: snapshot.networks["coverage"].astype(object).fillna("")
    )
    partial_own = [n for n in mine if coverage_of.get(n) != "full"]
    if partial_own:
        caveats.append(
            f"{len(partial_own)} of the city's {len(mine)} networks have incomplete member "
            "lists here, so some 'new' partners may already be partners."
        )
    if group_size < 5:
        caveats.append(f"the peer group ({m.peer_group[row]}) has only {group_size} cities.")
    fee = rules.of("annual_fee")
    reporting = rules.of("reporting")
    duties = rules.of("commitments")
    assembly = [f for f in rules.of("general_assembly") if f.value != "other"] or rules.of(
        "general_assembly"
    )
    mentioned = sorted({city_id, *new_partners, *shared_partners})
    city_names = _city_names(snapshot)
    names: dict[str, str] = {str(c): city_names.get(str(c), "nan") for c in mentioned}
    short_names = _network_short_names(snapshot)
    for n in {network_id, *mine}:
        names[f"network:{n}"] = short_names[n]
    return JoinReport(
        city=city_id,
        city_name=_city_names(snapshot)[city_id],
        network=network_id,
        network_name=str(net["name"]),
        short_name=short,
        year=int(snapshot.year or 0),
        verdict=verdict,
        certain=allowed.certain,
        reason=reason,
        rule_facts=[_fact_dict(f) for f in allowed.facts],
        how_to_join=allowed.how_to_join,
        notes=list(allowed.notes),
        already_member=allowed.status == "member",
        membership=allowed.membership,
        role=m.roles.get((city_id, network_id)) if direct else None,
        status=rules.status,
        scope=str(net["scope"]),
        themes=themes,
        themes_added=added,
        themes_already_covered=covered,
        new_partners=new_partners,
        shared_partners=shared_partners,
        peers=peer_list,
        peer_reasons=peer_reasons,
        coverage=coverage,
        members_in_data=in_data,
        members_stated=stated,
        load_before=load_before,
        load_after=load_after,
        peer_group=str(m.peer_group[row]),
        peer_count=group_size,
        percentile_before=before,
        percentile_after=after,
        admission=[_fact_dict(f) for f in rules.of("admission")],
        fee=_fact_dict(fee[0]) if fee else None,
        assembly=_fact_dict(assembly[0]) if assembly else None,
        assemblies_per_year=rules.assemblies_per_year,
        reporting=_fact_dict(reporting[0]) if reporting and rules.reporting else None,
        commitments=_fact_dict(duties[0]) if duties else None,
        history=_history(snapshot, city_id, network_id) if history else [],
        partner_evidence=_partner_evidence(snapshot, network_id, new_partners),
        caveats=caveats,
        names=names,
    )


def compare(
    land: Landscape,
    city: str,
    networks: Sequence[str],
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> list[JoinReport]:
    """Join checks of several candidate networks for one city, for a side-by-side table.

    Examples
    --------
    >>> import citynet
    >>> reports = compare(citynet.load(), "santiago", ["iclei", "uclg", "metropolis"])
    >>> [r.network for r in reports]
    ['iclei', 'uclg', 'metropolis']
    """
    if not networks:
        raise CitynetError("name at least one network to compare")
    snapshot = land.current(year)
    ids = [resolve_network(snapshot, n) for n in networks]
    seen = [n for i, n in enumerate(ids) if n in ids[:i]]
    if seen:
        raise CitynetError(f"{seen[0]} is named twice")
    return [join_check(snapshot, city, n, model=model, peers=peers) for n in ids]


def _value(new_partners: int, new_themes: int, peers_present: int) -> float:
    """Value of a network to a city (docs/load-model.md): diminishing returns in partners."""
    return math.log2(1 + new_partners) + 2.0 * new_themes + math.log2(1 + peers_present)


def suggest(
    land: Landscape,
    city: str,
    *,
    themes: Sequence[str] | None = None,
    max_added_load: float | None = None,
    k: int = 10,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> pd.DataFrame:
    """Networks the city could join, ranked by value per unit of added load.

    Only networks the rules leave open to the city are considered (never a closed one, one of
    another country, below a stated population, by invitation only, or one the city is in
    already, directly, through a chapter or by rule).

    ``value = log2(1 + new partners) + 2 x new themes (of interest) + log2(1 + similar cities
    present)``; ``score = value / added load``. With ``themes``, only those themes count as new
    themes, and networks covering none of them are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id`` (best first, at most ``k``): ``network``, ``scope``,
        ``verdict``, ``coverage``, ``new_partners``, ``shared_partners``, ``themes_added``,
        ``peers_present``, ``added_load``, ``value``, ``score``, ``fee``,
        ``assemblies_per_year``, ``reporting``, ``commitments``, ``reasons``.
        ``attrs["left_out"]`` maps every other network to why it is not suggested.

    Examples
    --------
    >>> import citynet
    >>> top = suggest(citynet.load(), "Santiago", k=3)
    >>> len(top) <= 3 and bool(top["score"].is_monotonic_decreasing)
    True
    >>> "100rc" in top.index
    False
    """
    if k < 1:
        raise CitynetError(f"k must be 1 or more, not {k}")
    if max_added_load is not None and not (math.isfinite(max_added_load) and max_added_load > 0):
        raise CitynetError(f"max_added_load must be a positive number, not {max_added_load}")
    model = model or LoadModel()
    if themes is not None:
        unknown = set(themes) - set(THEMES)
        if unknown:
            raise CitynetError(f"unknown theme(s) {sorted(unknown)}; see citynet themes")
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    rows = []
    left_out: dict[str, str] = {}
    for network_id in snapshot.network_ids:
        report = _join_check(
            snapshot, city_id, str(network_id), model=model, peers=peers, year=None, history=False
        )
        if report.verdict in ("not open", "already a member"):
            left_out[str(network_id)] = f"{report.verdict}: {report.reason}"
            continue
        added = [t for t in report.themes_added if themes is None or t in themes]
        if themes is not None and not set(report.themes) & set(themes):
            left_out[str(network_id)] = "covers none of the themes asked for"
            continue
        if max_added_load is not None and report.added_load > max_added_load:
            left_out[str(network_id)] = f"adds {report.added_load:.2f} load, above the maximum"
            continue
        value = _value(len(report.new_partners), len(added), len(report.peers))
        if value <= 0:
            left_out[str(network_id)] = "adds no partner, theme or similar city"
            continue
        reasons = [f"{len(report.new_partners)} new partners"]
        if added:
            reasons.append(f"new themes: {', '.join(THEME_LABELS.get(t, t) for t in added)}")
        if report.peers:
            reasons.append(f"{len(report.peers)} similar cities are members")
        if report.coverage != "full":
            reasons.append(f"member list {report.coverage}: counts are lower bounds")
        rows.append(
            {
                "network_id": str(network_id),
                "network": report.network_name,
                "scope": report.scope,
                "verdict": report.verdict,
                "coverage": report.coverage,
                "new_partners": len(report.new_partners),
                "shared_partners": len(report.shared_partners),
                "themes_added": ";".join(added),
                "peers_present": len(report.peers),
                "added_load": report.added_load,
                "value": value,
                "score": value / report.added_load if report.added_load > 0 else math.inf,
                "fee": report.fee["value"] if report.fee else None,
                "assemblies_per_year": report.assemblies_per_year,
                "reporting": report.reporting["value"] if report.reporting else None,
                "commitments": report.commitments["value"] if report.commitments else None,
                "reasons": "; ".join(reasons),
            }
        )
    columns = [
        "network_id",
        "network",
        "scope",
        "verdict",
        "coverage",
        "new_partners",
        "shared_partners",
        "themes_added",
        "peers_present",
        "added_load",
        "value",
        "score",
        "fee",
        "assemblies_per_year",
        "reporting",
        "commitments",
        "reasons",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["score", "network_id"], ascending=[False, True])
    out = table.head(k).set_index("network_id")
    out.attrs["left_out"] = left_out
    return out


@dataclass(frozen=True)
class LeaveReport:
    """What leaving a network would cost a city (:func:`leave_check`).

    ``verdict`` is ``"costly to leave"`` (a seat, a national association, membership by rule,
    a theme or many partners met only there) or ``"a candidate to leave"``; ``reasons`` say
    which.
    """

    city: str
    city_name: str
    network: str
    network_name: str
    short_name: str
    year: int
    verdict: str
    reasons: list[str]
    short_reasons: list[str]
    role: str
    seat_titles: list[str]
    membership: str | None
    scope: str
    partners_lost: list[str]
    themes_lost: list[str]
    load_before: float
    load_after: float
    peer_group: str
    percentile_before: float
    percentile_after: float
    duties_ending: list[dict[str, Any]]
    caveats: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with stable keys."""
        return asdict(self)


_KEEP_WEIGHTS = {"seat": 3.0, "national": 3.0, "rule": 5.0}
"""What leaving gives up beyond partners and themes, in value points (docs/load-model.md)."""


def _keep_value(
    unique_partners: int, unique_themes: int, seat: bool, national: bool, by_rule: bool
) -> float:
    value = _value(unique_partners, unique_themes, 0)
    value += _KEEP_WEIGHTS["seat"] * seat + _KEEP_WEIGHTS["national"] * national
    return value + _KEEP_WEIGHTS["rule"] * by_rule


def leave_check(
    land: Landscape,
    city: str,
    network: str,
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> LeaveReport:
    """Weigh what a city would lose, and save, by leaving one of its networks.

    Examples
    --------
    >>> import citynet
    >>> report = leave_check(citynet.load(), "Helsinki", "Eurocities")
    >>> report.verdict, report.load_after < report.load_before
    ('costly to leave', True)
    """
    model = model or LoadModel()
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    network_id = resolve_network(snapshot, network)
    m = _matrices(snapshot, model, peers)
    row = m.city_pos[city_id]
    mine = _networks_of(m, row)
    net = eligibility_index(snapshot).networks[network_id]
    short_name = str(net["acronym"]) if not pd.isna(net["acronym"]) else str(net["name"])
    if network_id not in mine:
        raise CitynetError(
            f"{snapshot.cities['name'][city_id]!s} is not a member of {short_name} in "
            f"{snapshot.year} (citynet check shows what joining would bring)"
        )
    co_members = _co_member_counts(m, row)
    members = _members_of(m, m.network_pos[network_id])
    members = members[members != row]
    only_here = members[co_members[members] == 1]
    partners_lost = _ranked(m, row, only_here, co_members)
    themes_of = snapshot.network_themes
    others = set().union(*(themes_of[n] for n in mine if n != network_id))
    order = {t: i for i, t in enumerate(THEMES)}
    themes_lost = sorted(themes_of[network_id] - others, key=lambda t: order.get(t, 99))
    load = m.weights[(city_id, network_id)]
    before, after, _ = _percentiles(m, row, float(m.city_load[row]), float(m.city_load[row]) - load)
    role = m.roles[(city_id, network_id)]
    edges = snapshot.edges.set_index(["city_id", "network_id"])
    titles_text: Any = edges.at[(city_id, network_id), "role_titles"]
    titles = [] if pd.isna(titles_text) else str(titles_text).split("; ")
    rules = snapshot.rules[network_id]
    by_rule = rules.universal
    national = str(net["scope"]) == "national"
    reasons, short = [], []
    if role == "executive":
        short.append("a seat")
        reasons.append(
            f"the city holds a seat ({'; '.join(titles) or 'executive'}): leaving gives it "
            "up; stepping down from the board is the smaller step"
        )
    if by_rule:
        short.append("membership by rule")
        reasons.append(
            f"membership of {short_name} is by rule (every eligible local government is a member): "
            "leaving would make the city the exception"
        )
    if national:
        short.append("national association")
        reasons.append(
            f"{short_name} is a national association: the city's voice in national policy and "
            "its source of domestic peer support"
        )
    if themes_lost:
        labels = [THEME_LABELS.get(t, t) for t in themes_lost]
        short.append(f"only one covering {', '.join(labels)}")
        reasons.append(f"no other network of the city covers {', '.join(labels)}")
    if len(partners_lost) >= 10:
        short.append(f"{len(partners_lost)} partners only here")
        reasons.append(f"{len(partners_lost)} partner cities are met only there")
    verdict = "costly to leave" if reasons else "a candidate to leave"
    if not reasons:
        short.append("partners and themes found elsewhere")
        reasons.append(
            f"its partners are met in other networks too ({len(partners_lost)} only here) and "
            "its themes are covered elsewhere"
        )
    duties = [
        _fact_dict(f)
        for f in (
            rules.of("annual_fee")[:1] + rules.of("reporting")[:1] + rules.of("commitments")[:1]
        )
        if not (f.attribute == "reporting" and not rules.reporting)
    ]
    caveats = []
    if str(net["coverage"]) != "full":
        caveats.append(
            f"{short_name}'s member list here is incomplete: partners 'met only there' may be met "
            "elsewhere too, and the count is a lower bound of the members the city would leave."
        )
    return LeaveReport(
        city=city_id,
        city_name=_city_names(snapshot)[city_id],
        network=network_id,
        network_name=str(net["name"]),
        short_name=short_name,
        year=int(snapshot.year or 0),
        verdict=verdict,
        reasons=reasons,
        short_reasons=short,
        role=role,
        seat_titles=titles if role == "executive" else [],
        membership="rule" if by_rule else "direct",
        scope=str(net["scope"]),
        partners_lost=partners_lost,
        themes_lost=themes_lost,
        load_before=float(m.city_load[row]),
        load_after=float(m.city_load[row]) - load,
        peer_group=str(m.peer_group[row]),
        percentile_before=before,
        percentile_after=after,
        duties_ending=duties,
        caveats=caveats,
    )


def leave_candidates(
    land: Landscape,
    city: str,
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> pd.DataFrame:
    """Rank the city's memberships by what keeping them is worth per unit of their load.

    Each membership is weighed by :func:`leave_check`: ``verdict`` ("costly to leave" or "a
    candidate to leave") and ``reasons``; ``unique_partners`` (cities met only there),
    ``unique_themes`` (themes no other membership covers), its ``load``, ``keep_value``
    (``log2(1 + unique partners) + 2 x unique themes``, plus 3 for a seat, 3 for a national
    association and 5 for membership by rule; docs/load-model.md) and ``value_per_load``.
    Candidates to leave come first, then least value per load.

    Examples
    --------
    >>> import citynet
    >>> table = leave_candidates(citynet.load(), "Paris")
    >>> bool(table["value_per_load"].is_monotonic_increasing) or table["verdict"].nunique() > 1
    True
    """
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    mine = snapshot.edges
    mine = mine[mine["city_id"] == city_id]
    rows = []
    for network_id in mine["network_id"].astype(str):
        report = leave_check(snapshot, city_id, network_id, model=model, peers=peers)
        load = report.load_before - report.load_after
        value = _keep_value(
            len(report.partners_lost),
            len(report.themes_lost),
            report.role == "executive",
            report.scope == "national",
            report.membership == "rule",
        )
        rows.append(
            {
                "network_id": network_id,
                "network": report.network_name,
                "role": report.role,
                "scope": report.scope,
                "verdict": report.verdict,
                "load": load,
                "unique_partners": len(report.partners_lost),
                "unique_themes": ";".join(report.themes_lost),
                "keep_value": value,
                "value_per_load": value / load if load > 0 else math.inf,
                "reasons": "; ".join(report.short_reasons),
            }
        )
    columns = [
        "network_id",
        "network",
        "role",
        "scope",
        "verdict",
        "load",
        "unique_partners",
        "unique_themes",
        "keep_value",
        "value_per_load",
        "reasons",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table["_costly"] = table["verdict"] != "a candidate to leave"
    table = table.sort_values(["_costly", "value_per_load", "network_id"]).drop(columns="_costly")
    return table.set_index("network_id")
