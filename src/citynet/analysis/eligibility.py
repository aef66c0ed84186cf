"""Can this city join this network, or is it already in? Decided from the network's rules.

:func:`eligibility` reads the rules (:mod:`citynet.rules`) and the snapshot, in this order, and
stops at the first that decides:

1. the network does not exist that year (not founded yet, closed, merged, suspended): **not open**;
2. the city is a member (an edge that year): **already a member**;
3. it is a member of a chapter whose parent admits chapters automatically (the Covenant of
   Mayors - Europe for the Global Covenant of Mayors): **already a member, through the chapter**;
4. members are regions or associations of local governments (``member_type``): **not open** to
   a city directly;
5. members must be in other countries (``eligible_countries``: a list of codes, or a strict region
   word): **not open**; a non-strict region word the city is outside of ("G20 countries"):
   **probably not open**; without a country rule, a national network whose members and seat are
   all in another country, or a regional network none of whose members is in the city's region
   or country, is **probably not open** (judged from the data);
6. every eligible local government is a member (``universal``, or automatic admission), and the
   city meets the population threshold: **already a member, by rule**;
7. the city's population is below the lowest stated threshold: **not open** when no member in
   the data is below it either; **probably not open** when fewer than three members in the data
   are smaller than the city (the threshold admits exceptions, but hardly a city this small);
   otherwise open, with a note;
8. admission is by invitation or selection only: **not open** to an application (how one gets
   in is said);
9. otherwise it is **open**. Whether it is worth joining is for the join check to weigh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from citynet.landscape import Landscape
from citynet.render.words import number
from citynet.rules import NetworkRules, RuleFact

__all__ = ["Eligibility", "eligibility"]


@dataclass(frozen=True)
class Eligibility:
    """What the rules say about a city and a network.

    Attributes
    ----------
    status
        ``"open"``, ``"not open"`` or ``"member"``.
    membership
        For members: ``"direct"``, ``"chapter"`` or ``"rule"``; else ``None``.
    certain
        False where the decision is inferred from the data rather than stated by a rule.
    reason
        One sentence: the fact that decides.
    facts
        The rule facts it rests on (with their sources).
    how_to_join
        For invitation or selection: how one gets in, as the rules say.
    notes
        Further facts a reader should weigh (a threshold the city meets only as a category,
        a population not in the data, ...).
    """

    status: str
    membership: str | None = None
    certain: bool = True
    reason: str = ""
    facts: tuple[RuleFact, ...] = ()
    how_to_join: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _cite(facts: list[RuleFact]) -> tuple[RuleFact, ...]:
    return tuple(facts[:2])


def _detail(fact: RuleFact) -> str:
    return f"{fact.value} ({fact.notes})" if fact.notes and not fact.derived else fact.value


def eligibility(land: Landscape, city_id: str, network_id: str) -> Eligibility:
    """Decide whether a city can join a network that year (module docstring).

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> eligibility(land, "helsinki", "100rc").status
    'not open'
    >>> e = eligibility(land, "warsaw", "gcom")
    >>> e.status, e.membership
    ('member', 'chapter')
    >>> eligibility(land, "cape-town", "cemr").reason  # doctest: +ELLIPSIS
    "CEMR's members are associations of local governments: a city takes part through its ..."
    """
    snapshot = land.current()
    rules: NetworkRules = snapshot.rules[network_id]
    networks = snapshot.networks
    net: Any = networks.loc[network_id]
    short = str(net["acronym"]) if not pd.isna(net["acronym"]) else str(net["name"])
    city: Any = snapshot.cities.loc[city_id]
    year = snapshot.year
    assert year is not None

    # 1. the network's life
    if not bool(snapshot.alive[network_id]):
        founded = net["founded"]
        if not pd.isna(founded) and founded > year:
            return Eligibility("not open", reason=f"{short} was founded in {founded}.")
        closed = "" if pd.isna(net["closed"]) else f" in {net['closed']}"
        after = f" (continued by {', '.join(rules.successors)})" if rules.successors else ""
        status = str(net["status"]) if not pd.isna(net["status"]) else "closed"
        return Eligibility(
            "not open",
            reason=f"{short} {status}{closed}{after}; it takes no members.",
            facts=_cite(rules.of("status")),
        )

    # 2. a member that year
    edges = snapshot.edges
    mine = edges[edges["city_id"] == city_id]
    if network_id in set(mine["network_id"]):
        return Eligibility("member", membership="direct", reason=f"already a member of {short}.")

    # 3. through a chapter
    if rules.admits_chapters:
        for child in sorted(set(mine["network_id"])):
            if network_id in snapshot.rules[str(child)].parents:
                child_name = str(networks.at[child, "name"])
                automatic = [f for f in rules.of("admission") if f.value.startswith("automatic")]
                return Eligibility(
                    "member",
                    membership="chapter",
                    reason=f"a member of {short} through its chapter {child_name}.",
                    facts=_cite(automatic + snapshot.rules[str(child)].of("part_of")),
                )

    # 4. who may be a member
    member_type = rules.member_type
    if member_type in ("association", "region"):
        who = (
            "associations of local governments: a city takes part through its national association"
            if member_type == "association"
            else "regions or prefectures (their governors), not cities"
        )
        return Eligibility(
            "not open",
            reason=f"{short}'s members are {who}.",
            facts=_cite(rules.of("member_type") + rules.of("eligible_members")),
        )

    # 5. where members come from
    country, region = str(city["country"]), None if pd.isna(city["region"]) else str(city["region"])
    admits = rules.admits_country(country, region)
    if admits is False:
        limit = rules.of("eligible_countries")
        return Eligibility(
            "not open",
            reason=f"{short} is limited to {limit[0].value}; the city is in {country}.",
            facts=_cite(limit),
        )
    if admits is None:
        mostly = rules.mostly_from(country, region)
        if mostly:
            limit = rules.of("eligible_countries")
            note = f" ({limit[0].notes})" if limit and limit[0].notes else ""
            return Eligibility(
                "not open",
                certain=False,
                reason=f"{short} gathers cities of {mostly}{note}; the city is in {country}.",
                facts=_cite(limit),
            )
        guess = _from_data(snapshot, network_id, country, region)
        if guess:
            return Eligibility("not open", certain=False, reason=guess)

    # 6. membership by rule
    population = None if pd.isna(city["population"]) else int(city["population"])
    threshold = rules.min_population
    meets = threshold is None or (population is not None and population >= threshold)
    if rules.universal and admits and meets:
        basis = rules.of("universal") + [f for f in rules.of("admission") if f.value == "automatic"]
        return Eligibility(
            "member",
            membership="rule",
            reason=f"every eligible local government is a member of {short}, by rule.",
            facts=_cite(basis),
        )

    # 7. population
    notes: list[str] = []
    if threshold is not None:
        lowest = min(rules.of("min_population"), key=lambda f: float(f.value))
        stated = f"{short}'s stated minimum of {number(threshold)}" + (
            f" ({lowest.notes})" if lowest.notes else ""
        )
        smaller = _members_below(snapshot, network_id, threshold)
        if population is None:
            notes.append(
                f"{short} states a minimum population of {number(threshold)}; the city's "
                "population is not in the data."
            )
        elif population < threshold and len(smaller) == 0:
            return Eligibility(
                "not open",
                reason=(
                    f"the city's population ({number(population)}) is below {stated}, and no "
                    "member in the data is smaller."
                ),
                facts=_cite([lowest]),
            )
        elif population < threshold:
            tinier = smaller[smaller < population]
            if len(tinier) < 3:
                names = snapshot.cities["name"].reindex(tinier.index).astype(str)
                few = (
                    f"only {len(tinier)} of its members in the data are smaller than the city "
                    f"({', '.join(names)})"
                    if len(names)
                    else "none of its members in the data is smaller than the city"
                )
                return Eligibility(
                    "not open",
                    certain=False,
                    reason=(
                        f"the city's population ({number(population)}) is below {stated}; {few}."
                    ),
                    facts=_cite([lowest]),
                )
            notes.append(
                f"the city is below {stated}, yet {len(smaller)} of its members in the data "
                f"are smaller than that ({len(tinier)} smaller than the city)."
            )
        higher = [
            f
            for f in rules.of("min_population")
            if population is not None and population < float(f.value) and f is not lowest
        ]
        if population is not None and population >= threshold and higher:
            notes.append(
                f"the city meets {short}'s lowest stated threshold ({number(threshold)}"
                + (f": {lowest.notes}" if lowest.notes else "")
                + "), not "
                + "; ".join(
                    f"{number(float(f.value))}" + (f" ({f.notes})" if f.notes else "")
                    for f in higher
                )
                + "."
            )

    # 8. admission
    if rules.invitation_only:
        admission = rules.of("admission")
        how = "; ".join(_detail(f) for f in admission)
        kinds = " or ".join(sorted(rules.admission))
        return Eligibility(
            "not open",
            reason=f"{short} admits members by {kinds} only.",
            facts=_cite(admission),
            how_to_join=how,
        )
    return Eligibility("open", notes=tuple(notes))


def _members_below(snapshot: Landscape, network_id: str, threshold: int) -> pd.Series:
    """Return the populations of the network's members (that year) below ``threshold``."""
    edges = snapshot.edges
    members = edges.loc[edges["network_id"] == network_id, "city_id"]
    population = snapshot.cities["population"].reindex(members).astype("Float64").dropna()
    below: pd.Series = population[population < threshold]
    return below


def _from_data(snapshot: Landscape, network_id: str, country: str, region: str | None) -> str:
    """Judge from the data where no country rule is stated (national and regional networks)."""
    net: Any = snapshot.networks.loc[network_id]
    edges = snapshot.record.edges
    members = edges.loc[edges["network_id"] == network_id, "city_id"]
    cities = snapshot.cities
    countries = set(cities["country"].reindex(members).dropna().astype(str))
    if not pd.isna(net["hq_country"]):
        countries.add(str(net["hq_country"]))
    name = str(net["acronym"]) if not pd.isna(net["acronym"]) else str(net["name"])
    if net["scope"] == "national" and countries and country not in countries:
        return (
            f"{name} is a national network of {', '.join(sorted(countries))} (its members and "
            f"seat in the data); the city is in {country}."
        )
    if net["scope"] == "regional" and len(members):
        regions = cities["region"].reindex(members).dropna().astype(str)
        if len(regions) and region not in set(regions) and country not in countries:
            top = regions.value_counts().index[0]
            return (
                f"{name} is a regional network whose members in the data are in {top}; the "
                f"city is in {region or 'an unknown region'}."
            )
    return ""
