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

from dataclasses import dataclass, field, replace
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


@dataclass(frozen=True)
class _Index:
    """What eligibility reads, gathered once per snapshot (plain values, no pandas lookups)."""

    networks: dict[str, dict[str, Any]]
    cities: _CityRows
    networks_of: dict[str, set[str]]
    populations: dict[str, list[tuple[float, str]]]
    record_countries: dict[str, set[str]]
    record_regions: dict[str, list[str]]
    record_members: dict[str, int]
    alive: dict[str, bool]


class _CityRows:
    """The few fields eligibility reads of each city, as plain values, row by row on demand."""

    FIELDS = ("name", "country", "region", "population", "population_kind")

    def __init__(self, cities: pd.DataFrame) -> None:
        self._position = {str(c): i for i, c in enumerate(cities.index)}
        self._columns = {
            f: cities[f].astype(object).where(cities[f].notna(), None).tolist() for f in self.FIELDS
        }

    def __getitem__(self, city_id: str) -> dict[str, Any]:
        i = self._position[city_id]
        return {f: values[i] for f, values in self._columns.items()}

    def value(self, city_id: str, field: str) -> Any:
        return self._columns[field][self._position[city_id]]


def _plain_rows(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    rows = frame.astype(object).where(frame.notna(), None).to_dict("index")
    return {str(k): {str(c): x for c, x in v.items()} for k, v in rows.items()}


def eligibility_index(snapshot: Landscape) -> _Index:
    """Return what eligibility reads about a snapshot, gathered once (memoised on it)."""

    def build() -> _Index:
        cities = _CityRows(snapshot.cities)
        edges = snapshot.edges
        networks_of: dict[str, set[str]] = {}
        members: dict[str, list[str]] = {}
        for c, n in zip(
            edges["city_id"].astype(str).tolist(),
            edges["network_id"].astype(str).tolist(),
            strict=True,
        ):
            networks_of.setdefault(c, set()).add(n)
            members.setdefault(n, []).append(c)
        populations = {
            n: sorted((float(p), c) for c in cs if (p := cities.value(c, "population")) is not None)
            for n, cs in members.items()
        }
        record = snapshot.record.edges
        countries: dict[str, set[str]] = {}
        regions: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for c, n in zip(
            record["city_id"].astype(str).tolist(),
            record["network_id"].astype(str).tolist(),
            strict=True,
        ):
            counts[n] = counts.get(n, 0) + 1
            country, region = cities.value(c, "country"), cities.value(c, "region")
            if country is not None:
                countries.setdefault(n, set()).add(str(country))
            if region is not None:
                regions.setdefault(n, []).append(str(region))
        return _Index(
            networks=_plain_rows(snapshot.networks),
            cities=cities,
            networks_of=networks_of,
            populations=populations,
            record_countries=countries,
            record_regions=regions,
            record_members=counts,
            alive={str(k): bool(v) for k, v in snapshot.alive.items()},
        )

    index: _Index = snapshot.memo("eligibility-index", build, lasting=True)
    return index


def _cite(facts: list[RuleFact]) -> tuple[RuleFact, ...]:
    return tuple(facts[:2])


def _detail(fact: RuleFact) -> str:
    return f"{fact.value} ({fact.notes})" if fact.notes and not fact.derived else fact.value


def eligibility(land: Landscape, city_id: str, network_id: str) -> Eligibility:
    """Decide whether a city can join a network that year (module docstring).

    A city the network has suspended that year (or whose membership lapsed beyond the
    presumption horizon) is not a member; the verdict says so in a note.

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
    decided = _eligibility(snapshot, city_id, network_id)
    state = snapshot.pair_states().get((city_id, network_id))
    if state is None or decided.status == "member":
        return decided
    observed = f" (last observed as a member in {state[1]})" if state[1] > 0 else ""
    note = (
        f"The network has suspended the city{observed}: it is not counted as a member."
        if state[0] == "suspended"
        else f"The city's membership lapsed: no source observes it within the presumption "
        f"horizon{observed}; it is not counted as a member (docs/time.md)."
    )
    return replace(decided, notes=(note, *decided.notes))


def _eligibility(snapshot: Landscape, city_id: str, network_id: str) -> Eligibility:
    rules: NetworkRules = snapshot.rules[network_id]
    index = eligibility_index(snapshot)
    net = index.networks[network_id]
    short = str(net["acronym"]) if net["acronym"] is not None else str(net["name"])
    city = index.cities[city_id]
    year = snapshot.year
    assert year is not None

    # 1. the network's life
    if not index.alive[network_id]:
        founded = net["founded"]
        if founded is not None and founded > year:
            return Eligibility("not open", reason=f"{short} was founded in {founded}.")
        closed = "" if net["closed"] is None else f" in {net['closed']}"
        after = f" (continued by {', '.join(rules.successors)})" if rules.successors else ""
        status = str(net["status"]) if net["status"] is not None else "closed"
        return Eligibility(
            "not open",
            reason=f"{short} {status}{closed}{after}; it takes no members.",
            facts=_cite(rules.of("status")),
        )

    # 2. a member that year
    mine = index.networks_of.get(city_id, set())
    if network_id in mine:
        return Eligibility("member", membership="direct", reason=f"already a member of {short}.")

    # 3. through a chapter
    if rules.admits_chapters:
        for child in sorted(mine):
            if network_id in snapshot.rules[str(child)].parents:
                child_name = str(index.networks[child]["name"])
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
    country, region = str(city["country"]), None if city["region"] is None else str(city["region"])
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
        guess = _from_data(index, network_id, country, region)
        if guess:
            return Eligibility("not open", certain=False, reason=guess)

    # 6. membership by rule
    population = None if city["population"] is None else int(city["population"])
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
        smaller = [(p, c) for p, c in index.populations.get(network_id, []) if p < threshold]
        if population is not None and city["population_kind"] == "agglomeration":
            notes.append(
                f"The city's population in the data ({number(population)}) counts its urban "
                "agglomeration; the city itself may be smaller than the threshold reads it."
            )
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
            tinier = [c for p, c in smaller if p < population]
            if len(tinier) < 3:
                names = [str(index.cities[c]["name"]) for c in tinier]
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


def _from_data(index: _Index, network_id: str, country: str, region: str | None) -> str:
    """Judge from the data where no country rule is stated (national and regional networks)."""
    net = index.networks[network_id]
    countries = set(index.record_countries.get(network_id, set()))
    if net["hq_country"] is not None:
        countries.add(str(net["hq_country"]))
    name = str(net["acronym"]) if net["acronym"] is not None else str(net["name"])
    if net["scope"] == "national" and countries and country not in countries:
        return (
            f"{name} is a national network of {', '.join(sorted(countries))} (its members and "
            f"seat in the data); the city is in {country}."
        )
    if net["scope"] == "regional" and index.record_members.get(network_id, 0):
        regions = index.record_regions.get(network_id, [])
        if regions and region not in set(regions) and country not in countries:
            top = pd.Series(regions).value_counts().index[0]
            return (
                f"{name} is a regional network whose members in the data are in {top}; the "
                f"city is in {region or 'an unknown region'}."
            )
    return ""
