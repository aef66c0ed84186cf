"""The join check ("should we join X?"), suggestions, and leave candidates, for city staff.

All three work on the city's *current* memberships (:meth:`~citynet.Landscape.current`) and on
the sparse incidence matrix, so a check takes milliseconds once a landscape is loaded.

Partners
--------
A city's *partners today* are the cities that share at least one current network with it. The
members of a network the city considers joining split into **new partners** (no network shared
today) and **shared partners** (already met elsewhere); together they are the network's members
minus the city itself.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.analysis.commitment import (
    LoadModel,
    _peer_keys,
    membership_loads,
    ordinal,
    population_band,
    weak_percentile,
)
from citynet.landscape import Landscape
from citynet.lookup import resolve_city, resolve_network
from citynet.schema import THEMES

__all__ = ["JoinReport", "join_check", "leave_candidates", "suggest"]


@dataclass(frozen=True)
class _Matrices:
    """Current memberships as matrices, cached per landscape, model and year."""

    land: Landscape
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
    network_countries: dict[str, frozenset[str]]
    network_regions: dict[str, str]
    obligations: dict[str, float]


def _matrices(land: Landscape, model: LoadModel, year: int | None) -> _Matrices:
    def build() -> _Matrices:
        current = land.current(year)
        matrix = current.incidence
        loads = membership_loads(current, model=model)
        city_ids = np.asarray(current.city_ids, dtype=object)
        city_load = (
            loads.groupby("city_id")["load"]
            .sum()
            .reindex(city_ids, fill_value=0.0)
            .to_numpy(dtype=float)
        )
        keys = list(zip(loads["city_id"], loads["network_id"], strict=True))
        cities = current.cities.loc[list(city_ids)]
        country = cities["country"].astype(object).to_numpy()
        region = cities["region"].astype(object).fillna("").to_numpy()
        edges = current.edges
        member_country = edges["city_id"].map(current.cities["country"]).astype(object)
        member_region = edges["city_id"].map(current.cities["region"]).astype(object)
        networks = current.networks
        by_network = pd.DataFrame(
            {
                "network": edges["network_id"].astype(object),
                "country": member_country,
                "region": member_region,
            }
        )
        countries: dict[str, frozenset[str]] = {
            str(n): frozenset(map(str, group))
            for n, group in by_network.groupby("network")["country"]
        }
        hq = networks["hq_country"].astype(object)
        network_countries = {
            str(n): countries.get(n, frozenset())
            | (frozenset() if pd.isna(hq.get(n)) else frozenset({str(hq[n])}))
            for n in current.network_ids
        }
        regions = by_network.dropna(subset=["region"])
        top_region = (
            regions.groupby(["network", "region"])
            .size()
            .sort_values(ascending=False, kind="stable")
            .reset_index()
            .drop_duplicates("network")
            .set_index("network")["region"]
        )
        network_regions = {str(n): str(top_region.get(n, "")) for n in current.network_ids}
        return _Matrices(
            land=current,
            by_city=matrix,
            by_network=sp.csc_array(matrix),
            city_pos={c: i for i, c in enumerate(city_ids)},
            network_pos={n: j for j, n in enumerate(current.network_ids)},
            city_ids=city_ids,
            network_ids=np.asarray(current.network_ids, dtype=object),
            city_load=city_load,
            roles=dict(zip(keys, loads["role"], strict=True)),
            weights=dict(zip(keys, loads["load"].astype(float), strict=True)),
            region=region,
            band=cities["population"].map(population_band).astype(object).to_numpy(),
            country=country,
            network_countries=network_countries,
            network_regions=network_regions,
            obligations={str(k): float(v) for k, v in model.obligations(networks).items()},
        )

    result: _Matrices = land.memo(("join-matrices", repr(model), year), build)
    return result


def _networks_of(m: _Matrices, row: int) -> list[str]:
    start, end = m.by_city.indptr[row], m.by_city.indptr[row + 1]
    return [str(m.network_ids[j]) for j in m.by_city.indices[start:end]]


def _members_of(m: _Matrices, col: int) -> np.ndarray:
    start, end = m.by_network.indptr[col], m.by_network.indptr[col + 1]
    rows: np.ndarray = m.by_network.indices[start:end]
    return rows


def _co_member_counts(m: _Matrices, row: int) -> np.ndarray:
    """Count the current networks each city shares with city ``row`` (0 for itself)."""
    start, end = m.by_city.indptr[row], m.by_city.indptr[row + 1]
    columns = m.by_city.indices[start:end]
    counts = np.zeros(len(m.city_ids), dtype=np.int64)
    for col in columns:
        counts[_members_of(m, int(col))] += 1
    counts[row] = 0
    return counts


def _percentile(loads: np.ndarray, value: float) -> float:
    return float(weak_percentile(loads, value))


@dataclass(frozen=True)
class JoinReport:
    """What joining a network would bring a city; render with :meth:`to_text`, :meth:`to_dict`.

    ``to_dict()`` has stable keys: ``city``, ``network``, ``already_member``, ``role``,
    ``new_partners``, ``shared_partners`` (lists of city ids), ``themes_added``,
    ``themes_already_covered`` (theme -> the city's networks covering it), ``load_before``,
    ``load_after``, and ``city_name``, ``network_name``, ``scope``, ``themes``, ``coverage``,
    ``members_in_data``, ``members_stated``, ``peers`` (member cities similar to this one),
    ``peer_reasons``, ``peer_group``, ``percentile_before``, ``percentile_after``,
    ``caveats``, ``verdict``.
    """

    city: str
    city_name: str
    network: str
    network_name: str
    already_member: bool
    role: str | None
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
    percentile_before: float
    percentile_after: float
    caveats: list[str] = field(default_factory=list)
    verdict: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with stable keys."""
        return asdict(self)

    def to_json(self) -> str:
        """Return the report as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self, *, names: dict[str, str] | None = None, limit: int = 12) -> str:
        """Return the report as text for a terminal; ``names`` maps ids to display names."""
        names = names or {}

        def show(ids: list[str]) -> str:
            shown = ", ".join(names.get(i, i) for i in ids[:limit])
            more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
            return (shown + more) or "none"

        covered = (
            "; ".join(f"{t} (by {', '.join(n)})" for t, n in self.themes_already_covered.items())
            or "none"
        )
        stated = f" of about {self.members_stated:,} stated" if self.members_stated else ""
        lines = [
            f"{self.city_name} and {self.network_name} ({self.network}, {self.scope})",
            "",
            self.verdict,
            "",
            f"Member already:     {'yes, as ' + str(self.role) if self.already_member else 'no'}",
            f"Network themes:     {', '.join(self.themes) or 'none recorded'}",
            ("Themes only it gives: " if self.already_member else "Themes it adds:     ")
            + (", ".join(self.themes_added) or "none"),
            f"Themes covered:     {covered}",
            f"New partners ({len(self.new_partners)}): {show(self.new_partners)}",
            f"Shared partners ({len(self.shared_partners)}): {show(self.shared_partners)}",
            f"Similar cities in it ({len(self.peers)}): {show(self.peers)}",
            f"Member list:        {self.coverage or 'coverage unknown'}, "
            f"{self.members_in_data} members in the data{stated}",
            f"Load:               {self.load_before:.2f} -> {self.load_after:.2f} "
            f"({self.peer_group}: {ordinal(self.percentile_before)} -> "
            f"{ordinal(self.percentile_after)} percentile)",
        ]
        lines += [f"Caveat: {c}" for c in self.caveats]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>"
            for k, v in (
                ("Member already", f"yes ({self.role})" if self.already_member else "no"),
                ("Themes it adds", ", ".join(self.themes_added) or "none"),
                ("Themes covered", ", ".join(self.themes_already_covered) or "none"),
                ("New partners", str(len(self.new_partners))),
                ("Shared partners", str(len(self.shared_partners))),
                ("Similar cities in it", str(len(self.peers))),
                ("Member list", f"{self.coverage}, {self.members_in_data} in the data"),
                ("Load", f"{self.load_before:.2f} → {self.load_after:.2f}"),
                (
                    "Percentile",
                    f"{self.percentile_before:.0f} → {self.percentile_after:.0f} "
                    f"({self.peer_group})",
                ),
            )
        )
        caveats = "".join(f"<li>{esc(c)}</li>" for c in self.caveats)
        return (
            f"<div><h4>{esc(self.city_name)} → {esc(self.network_name)}</h4>"
            f"<p>{esc(self.verdict)}</p><table>{rows}</table>"
            + (f"<ul>{caveats}</ul>" if caveats else "")
            + "</div>"
        )


def _themes(land: Landscape, network: str) -> list[str]:
    order = {t: i for i, t in enumerate(THEMES)}
    return sorted(land.network_themes[network], key=lambda t: order.get(t, len(order)))


def _peer_array(m: _Matrices, peers: str | Sequence[str], row: int) -> tuple[np.ndarray, str]:
    """Return the loads of the city's peer group (cities with load > 0) and its label."""
    cache_key = ("peer-keys", peers if isinstance(peers, str) else tuple(peers))

    def compute() -> np.ndarray:
        keys, _ = _peer_keys(m.land.cities, peers)
        values: np.ndarray = keys.reindex(m.city_ids).to_numpy(dtype=object)
        return values

    key_values: np.ndarray = m.land.memo(cache_key, compute)
    mine = key_values[row]
    in_group = (key_values == mine) & (m.city_load > 0)
    in_group[row] = True
    return m.city_load[in_group], str(mine)


def join_check(
    land: Landscape,
    city: str,
    network: str,
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "all",
    year: int | None = None,
) -> JoinReport:
    """Answer "should we join this network?" for one city.

    Parameters
    ----------
    city, network
        Ids, names or acronyms (case- and accent-insensitive).
    model
        Load weights (:class:`~citynet.analysis.commitment.LoadModel`).
    peers
        Peer group for the percentile: ``"all"``, ``"region"``, ``"population"``,
        ``"group:TAG"`` or a list of city ids.
    year
        Count memberships valid in this year (default: current ones).

    Returns
    -------
    JoinReport

    Examples
    --------
    >>> import citynet
    >>> report = join_check(citynet.load(), "Paris", "ICLEI")
    >>> report.already_member, report.load_after > report.load_before
    (False, True)
    >>> set(report.new_partners).isdisjoint(report.shared_partners)
    True
    """
    model = model or LoadModel()
    city_id = resolve_city(land, city)
    network_id = resolve_network(land, network)
    m = _matrices(land, model, year)
    current = m.land
    row, col = m.city_pos[city_id], m.network_pos[network_id]
    net = current.networks.loc[network_id]
    scope = str(net["scope"])

    mine = _networks_of(m, row)
    already = network_id in mine
    role = m.roles.get((city_id, network_id)) if already else None
    themes = _themes(current, network_id)
    covered: dict[str, list[str]] = {}
    for theme in themes:
        by = [n for n in mine if n != network_id and theme in current.network_themes[n]]
        if by:
            covered[theme] = by
    added = [t for t in themes if t not in covered]

    co_members = _co_member_counts(m, row)
    members = _members_of(m, col)
    members = members[members != row]
    shared_mask = co_members[members] > 0
    new_partners = sorted(str(c) for c in m.city_ids[members[~shared_mask]])
    shared_partners = sorted(str(c) for c in m.city_ids[members[shared_mask]])

    cities = current.cities
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
    peer_list = sorted(peer_reasons)
    eligible, why_not = _eligibility(m, row, network_id, scope)

    load_before = float(m.city_load[row])
    added_load = (
        0.0
        if already
        else model.weight(role="member", scope=scope, obligations=m.obligations[network_id])
    )
    load_after = load_before + added_load
    group_loads, group = _peer_array(m, peers, row)
    before = _percentile(group_loads, load_before)
    others = group_loads.copy()
    position = int(np.flatnonzero(others == load_before)[0]) if load_before in others else None
    if position is not None:
        others[position] = load_after
    after = _percentile(others, load_after)

    coverage: str | None = None if pd.isna(net["coverage"]) else str(net["coverage"])
    stated: int | None = None if pd.isna(net["members_approx"]) else int(net["members_approx"])
    caveats = []
    if not eligible:
        caveats.append(why_not)
    if coverage != "full":
        caveats.append(
            f"{net['name']}'s member list here is {coverage or 'of unknown completeness'} "
            f"({len(_members_of(m, col))} members in the data"
            + (f" of about {stated:,} stated" if stated else "")
            + "): partner counts are lower bounds and new partners may be shared ones."
        )
    coverage_of = current.networks["coverage"].astype(object).fillna("")
    partial_own = [n for n in mine if coverage_of.get(n) != "full"]
    if partial_own:
        caveats.append(
            f"{len(partial_own)} of the city's {len(mine)} current networks have incomplete "
            "member lists here, so some 'new' partners may already be partners."
        )
    if len(group_loads) < 5:
        caveats.append(f"the peer group ({group}) has only {len(group_loads)} cities.")

    city_name = str(cities.at[city_id, "name"])
    if already:
        verdict = (
            f"{city_name} is already a member of {net['name']} (as {role}). It shares "
            f"the network with {len(shared_partners) + len(new_partners)} cities; "
            f"load stays at {load_before:.2f}."
        )
    else:
        theme_part = f"{len(added)} new theme{'s' if len(added) != 1 else ''}" + (
            f" ({', '.join(added)})" if added else ""
        )
        verdict = (
            f"Joining {net['name']} adds {len(new_partners)} new partner "
            f"cit{'ies' if len(new_partners) != 1 else 'y'} and {theme_part}; "
            f"+{added_load:.2f} load ({load_before:.2f} -> {load_after:.2f}); "
            f"{city_name} would move from the {ordinal(before)} to the {ordinal(after)} percentile "
            f"of its peers ({group})."
        )
        if not added and not new_partners:
            verdict += " It would add neither themes nor partners: a candidate to skip."
        if not eligible:
            verdict = f"Probably not open to {city_name}: {why_not} " + verdict
    return JoinReport(
        city=city_id,
        city_name=city_name,
        network=network_id,
        network_name=str(net["name"]),
        already_member=already,
        role=role,
        scope=scope,
        themes=themes,
        themes_added=added,
        themes_already_covered=covered,
        new_partners=new_partners,
        shared_partners=shared_partners,
        peers=peer_list,
        peer_reasons=peer_reasons,
        coverage=coverage,
        members_in_data=len(_members_of(m, col)),
        members_stated=stated,
        load_before=load_before,
        load_after=load_after,
        peer_group=group,
        percentile_before=before,
        percentile_after=after,
        caveats=caveats,
        verdict=verdict,
    )


def _eligibility(m: _Matrices, row: int, network_id: str, scope: str) -> tuple[bool, str]:
    """Judge from the data whether a city can plausibly join a network.

    A national network is open to cities of its country (its ``hq_country`` and its members'
    countries); a regional one to cities of its members' countries or of the region most of its
    members are in.
    """
    countries = m.network_countries[network_id]
    if scope == "national" and countries and m.country[row] not in countries:
        return False, (
            f"it is a national network of {', '.join(sorted(countries))}, "
            f"and the city is in {m.country[row]}."
        )
    if scope == "regional":
        region = m.network_regions[network_id]
        if region and m.region[row] != region and m.country[row] not in countries:
            return False, (
                f"it is a regional network whose members are mostly in {region}, "
                f"and the city is in {m.region[row] or 'an unknown region'}."
            )
    return True, ""


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
    year: int | None = None,
) -> pd.DataFrame:
    """Networks the city is not in, ranked by value per unit of added load.

    Only networks open to the city are considered: a national network only for cities of its
    country, a regional one only for cities of the regions its members come from.

    ``value = log2(1 + new partners) + 2 x new themes (of interest) + log2(1 + similar cities
    present)``; ``score = value / added load``. With ``themes``, only those themes count as new
    themes, and networks covering none of them are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id`` (best first, at most ``k``): ``network``, ``scope``,
        ``coverage``, ``new_partners``, ``shared_partners``, ``themes_added``, ``peers_present``,
        ``added_load``, ``value``, ``score``, ``reasons``.

    Examples
    --------
    >>> import citynet
    >>> top = suggest(citynet.load(), "Santiago", k=3)
    >>> len(top) <= 3 and bool(top["score"].is_monotonic_decreasing)
    True
    """
    model = model or LoadModel()
    if themes is not None:
        unknown = set(themes) - set(THEMES)
        if unknown:
            raise CitynetError(f"unknown theme(s) {sorted(unknown)}; see docs/data-format.md")
    city_id = resolve_city(land, city)
    m = _matrices(land, model, year)
    mine = set(_networks_of(m, m.city_pos[city_id]))
    rows = []
    for network_id in m.network_ids:
        if network_id in mine:
            continue
        scope = str(m.land.networks.at[network_id, "scope"])
        if not _eligibility(m, m.city_pos[city_id], str(network_id), scope)[0]:
            continue
        report = join_check(land, city_id, str(network_id), model=model, year=year)
        added = [t for t in report.themes_added if themes is None or t in themes]
        if themes is not None and not set(report.themes) & set(themes):
            continue
        added_load = report.load_after - report.load_before
        if max_added_load is not None and added_load > max_added_load:
            continue
        value = _value(len(report.new_partners), len(added), len(report.peers))
        reasons = [f"{len(report.new_partners)} new partners"]
        if added:
            reasons.append(f"new themes: {', '.join(added)}")
        if report.peers:
            reasons.append(f"{len(report.peers)} similar cities are members")
        if report.coverage != "full":
            reasons.append(f"member list {report.coverage}: counts are lower bounds")
        rows.append(
            {
                "network_id": str(network_id),
                "network": report.network_name,
                "scope": report.scope,
                "coverage": report.coverage,
                "new_partners": len(report.new_partners),
                "shared_partners": len(report.shared_partners),
                "themes_added": ";".join(added),
                "peers_present": len(report.peers),
                "added_load": added_load,
                "value": value,
                "score": value / added_load if added_load > 0 else math.inf,
                "reasons": "; ".join(reasons),
            }
        )
    columns = [
        "network_id",
        "network",
        "scope",
        "coverage",
        "new_partners",
        "shared_partners",
        "themes_added",
        "peers_present",
        "added_load",
        "value",
        "score",
        "reasons",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table = table[table["value"] > 0]
    table = table.sort_values(["score", "network_id"], ascending=[False, True])
    return table.head(k).set_index("network_id")


def leave_candidates(
    land: Landscape,
    city: str,
    *,
    model: LoadModel | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Rank the city's memberships by what they add that no other membership gives.

    For each current membership: ``unique_partners`` (cities met only there), ``unique_themes``
    (themes no other membership covers), its ``load``, ``value`` (as in :func:`suggest`, with
    unique partners and themes) and ``value_per_load``; least value per load first. Executive
    seats say so in ``reasons``: leaving a board is a different decision from leaving a network.

    Examples
    --------
    >>> import citynet
    >>> table = leave_candidates(citynet.load(), "Paris")
    >>> bool(table["value_per_load"].is_monotonic_increasing)
    True
    """
    model = model or LoadModel()
    city_id = resolve_city(land, city)
    m = _matrices(land, model, year)
    row = m.city_pos[city_id]
    mine = _networks_of(m, row)
    co_members = _co_member_counts(m, row)
    themes_of = m.land.network_themes
    rows = []
    for network_id in mine:
        members = _members_of(m, m.network_pos[network_id])
        members = members[members != row]
        unique_partners = int((co_members[members] == 1).sum())
        others = set().union(*(themes_of[n] for n in mine if n != network_id))
        unique_themes = sorted(themes_of[network_id] - others)
        load = m.weights[(city_id, network_id)]
        value = _value(unique_partners, len(unique_themes), 0)
        role = m.roles[(city_id, network_id)]
        reasons = [
            f"{unique_partners} partners met only here",
            f"unique themes: {', '.join(unique_themes)}"
            if unique_themes
            else "all its themes covered elsewhere",
        ]
        if role == "executive":
            reasons.append("executive seat: consider stepping down from the board first")
        rows.append(
            {
                "network_id": network_id,
                "network": str(m.land.networks.at[network_id, "name"]),
                "role": role,
                "load": load,
                "unique_partners": unique_partners,
                "unique_themes": ";".join(unique_themes),
                "value": value,
                "value_per_load": value / load if load > 0 else math.inf,
                "reasons": "; ".join(reasons),
            }
        )
    columns = [
        "network_id",
        "network",
        "role",
        "load",
        "unique_partners",
        "unique_themes",
        "value",
        "value_per_load",
        "reasons",
    ]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["value_per_load", "network_id"]).set_index("network_id")
