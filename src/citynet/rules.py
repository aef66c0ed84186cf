"""Network rules: what a network's statutes and pages say about who may join, how, and at what cost.

The rules come from ``network_rules.csv``: one sourced fact per row (``network_id``,
``attribute``, ``value``, ``year``, source, a supporting ``quote``, ``notes``), see
``docs/data-format.md``. This module reads them into one :class:`NetworkRules` per network and
says, in documented steps, what they imply. It never adds a rule: where the facts are silent the
answer is "unknown", and where they conflict every fact is kept and shown.

Conventions
-----------
* **Lifecycle** (:func:`lifecycle`): a network is ``closed`` or ``suspended`` when a fact says so
  and no ``active`` fact is dated later; ``merged`` when a fact says so and no fact says it is
  active (a merger that *formed* the network, as for SKR or UCLG, comes with an ``active`` fact).
  ``renamed`` networks live on.
* **Countries** (:attr:`NetworkRules.countries`): an ``eligible_countries`` value is a list of ISO
  codes (``SE``, ``NL;AW;CW;BQ``, or codes in parentheses after a region word) or a region word,
  read with the table :data:`REGION_WORDS`. ``worldwide`` and UN-wide wordings set no limit.
* **Population** (:attr:`NetworkRules.min_population`): the lowest stated threshold (the one
  that admits a city to some membership category).
* **Admission**: the kinds of the ``admission`` facts (open application, invitation, selection,
  automatic, election, other). A network is *invitation or selection only* when every admission
  fact is one of those two; membership is *automatic* when every admission fact is ``automatic``.
* **Term** (:attr:`NetworkRules.term_years`): the longest stated executive term, the period
  over which a seat observed once may still be held.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from citynet.schema import ADMISSIONS

__all__ = [
    "DEFAULT_TERM_YEARS",
    "REGION_WORDS",
    "NetworkRules",
    "RuleFact",
    "horizon_years",
    "lifecycle",
    "network_rules",
    "term_years",
]

DEFAULT_TERM_YEARS = 2.0
"""Executive term assumed where a network states none: the median of the 44 term facts (37
networks) of the shipped ``network_rules.csv``."""

_LATIN_NORTH = frozenset(
    ["MX", "GT", "BZ", "HN", "SV", "NI", "CR", "PA", "CU", "DO", "HT", "PR", "JM", "TT", "BS", "BB"]
)  # Latin America and the Caribbean inside the "North America" region of cities.csv
_BALTIC = frozenset(["DK", "EE", "FI", "DE", "LV", "LT", "NO", "PL", "SE", "RU"])
G20_COUNTRIES = frozenset(
    {"AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT"}
    | {"JP", "KR", "MX", "RU", "SA", "ZA", "TR", "GB", "US"}
)
"""The 19 member countries of the Group of Twenty (the EU and the AU take part as blocs)."""

REGION_WORDS: Mapping[str, tuple[frozenset[str], frozenset[str], bool]] = {
    # word (lower case, start of the value) -> (regions, extra countries, strict)
    "worldwide": (frozenset(), frozenset(), False),
    "unesco member states": (frozenset(), frozenset(), False),
    "europe": (frozenset({"Europe"}), frozenset(), True),
    "who european region": (frozenset({"Europe"}), frozenset({"TR", "IL", "GE", "AM", "AZ"}), True),
    "council of europe": (frozenset({"Europe"}), frozenset({"TR", "GE", "AM", "AZ"}), True),
    "asia-pacific": (frozenset({"Asia", "Oceania"}), frozenset(), True),
    "asia": (frozenset({"Asia"}), frozenset(), True),
    "latin america": (frozenset({"South America"}), _LATIN_NORTH, True),
    "ibero-america": (frozenset({"South America"}), _LATIN_NORTH | {"ES", "PT", "AD"}, True),
    "baltic sea region": (frozenset(), _BALTIC, True),
    "g20 countries": (frozenset(), G20_COUNTRIES, False),
}
"""How region words of ``eligible_countries`` are read: the regions of ``cities.csv`` they cover,
countries added to them, and whether the limit is strict. "G20 countries" is not strict: the
U20 rules say non-G20 cities have taken part."""

_CODES = re.compile(r"^[A-Z]{2}(?:\s*;\s*[A-Z]{2})*$")
_CADENCE = {"annual": 1.0, "biennial": 0.5, "triennial": 1 / 3, "every 4 years": 0.25}


@dataclass(frozen=True)
class RuleFact:
    """One sourced rule fact, as shown to a reader (value, year, source, quote, notes)."""

    attribute: str
    value: str
    year: int | None
    source_url: str
    source_title: str | None
    quote: str | None
    notes: str | None

    @property
    def derived(self) -> bool:
        """Whether citynet's dataset build derived this fact from another one's quote."""
        return bool(self.notes) and str(self.notes).startswith("Derived:")

    def cite(self) -> str:
        """Return ``value (year; source title)`` for a line of text."""
        when = f"{self.year}; " if self.year is not None else ""
        return f"{self.value} ({when}{self.source_title or self.source_url})"


def _kind(value: str) -> str:
    for kind in ADMISSIONS:
        if value == kind or value.startswith(kind + " ("):
            return kind
    return "other"


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class NetworkRules:
    """The rules of one network, read from its rule facts.

    Examples
    --------
    >>> import citynet
    >>> rules = citynet.load().rules["skr"]
    >>> sorted(rules.countries), rules.universal
    (['SE'], True)
    """

    network_id: str
    facts: tuple[RuleFact, ...] = ()
    status: str = "active"
    closed: int | None = None
    parents: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()

    def of(self, attribute: str) -> list[RuleFact]:
        """Facts stating ``attribute``, most recent first (undated ones last)."""
        return list(self._by_attribute.get(attribute, ()))

    @functools.cached_property
    def _by_attribute(self) -> dict[str, tuple[RuleFact, ...]]:
        # read once per network: the join check asks each rule of every network per city
        grouped: dict[str, list[RuleFact]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.attribute, []).append(fact)
        return {k: tuple(sorted(v, key=lambda f: -(f.year or 0))) for k, v in grouped.items()}

    @property
    def open_to_new_members(self) -> bool:
        """False for closed, merged or suspended networks."""
        return self.status == "active"

    @functools.cached_property
    def countries(self) -> frozenset[str] | None:
        """ISO codes a member must be in (``None``: no country limit stated or region word)."""
        codes: set[str] = set()
        for fact in self.of("eligible_countries"):
            inner = re.search(r"\(([^)]*)\)", fact.value)
            for text in (fact.value, inner.group(1) if inner else ""):
                if _CODES.match(text.strip()):
                    codes |= {c.strip() for c in text.split(";")}
        return frozenset(codes) if codes else None

    @functools.cached_property
    def area(self) -> tuple[str, frozenset[str], frozenset[str], bool] | None:
        """The region word limiting members: ``(word, regions, extra countries, strict)``."""
        for fact in self.of("eligible_countries"):
            text = fact.value.strip().lower()
            for word, (regions, extra, strict) in REGION_WORDS.items():
                if text.startswith(word):
                    return fact.value, regions, extra, strict
        return None

    def mostly_from(self, country: str, region: str | None) -> str | None:
        """Return the word of a non-strict limit the city is outside of ("G20 countries"), if any.

        Such a rule says where members mostly come from, not who may join: the join check
        reads it as "probably not open".
        """
        area = self.area
        if area is None or area[3] or not (area[1] or area[2]):
            return None
        word, regions, extra, _strict = area
        return None if (region in regions or country in extra) else word

    def admits_country(self, country: str, region: str | None) -> bool | None:
        """Whether a city of ``country`` (in ``region``) may be a member; ``None``: no rule."""
        codes = self.countries
        if codes is not None:
            return country in codes
        area = self.area
        if area is None or not area[3]:
            return None
        _, regions, extra, _strict = area
        return (region in regions) or (country in extra)

    @functools.cached_property
    def min_population(self) -> int | None:
        """The lowest stated population threshold, if any."""
        values = [_number(f.value) for f in self.of("min_population")]
        numbers = [int(v) for v in values if v is not None]
        return min(numbers) if numbers else None

    @functools.cached_property
    def admission(self) -> frozenset[str]:
        """Kinds of admission the facts state (empty: not stated)."""
        return frozenset(_kind(f.value) for f in self.of("admission"))

    @property
    def invitation_only(self) -> bool:
        """Every admission fact is an invitation or a selection."""
        kinds = self.admission
        return bool(kinds) and kinds <= {"invitation", "selection"}

    @property
    def automatic(self) -> bool:
        """Every admission fact says membership is automatic for those eligible."""
        kinds = self.admission
        return bool(kinds) and kinds == {"automatic"}

    @property
    def admits_chapters(self) -> bool:
        """Some admission fact is automatic: members of its chapters count as its members."""
        return "automatic" in self.admission

    @functools.cached_property
    def universal(self) -> bool:
        """Every eligible local government is a member (a ``universal`` fact, or automatic)."""
        return self.automatic or any(f.value == "yes" for f in self.of("universal"))

    @functools.cached_property
    def member_type(self) -> str:
        """Who joins: ``local_government`` unless a ``member_type`` fact says otherwise."""
        facts = self.of("member_type")
        return facts[0].value if facts else "local_government"

    @functools.cached_property
    def term_years(self) -> float | None:
        """The longest stated executive term in years, if any."""
        values = [_number(f.value) for f in self.of("executive_term_years")]
        numbers = [v for v in values if v is not None]
        return max(numbers) if numbers else None

    @property
    def membership_term_years(self) -> float | None:
        """The shortest stated membership term (a phase, a renewal period) in years, if any."""
        values = [_number(f.value) for f in self.of("membership_term_years")]
        numbers = [v for v in values if v is not None]
        return min(numbers) if numbers else None

    @property
    def assemblies_per_year(self) -> float | None:
        """Members' assemblies a year, from the most recent cadence that is not "other"."""
        for fact in self.of("general_assembly"):
            if fact.value in _CADENCE:
                return _CADENCE[fact.value]
        return None

    @property
    def fee(self) -> str | None:
        """The most recent fee statement, as stated ("free", an amount, a formula)."""
        facts = self.of("annual_fee")
        return facts[0].value if facts else None

    @property
    def free(self) -> bool | None:
        """True when the most recent fee fact says membership is free; None when unknown."""
        fee = self.fee
        if fee is None:
            return None
        return fee.strip().lower() == "free"

    @property
    def reporting(self) -> bool | None:
        """Whether members must report (None: nothing stated)."""
        facts = self.of("reporting")
        if not facts:
            return None
        return not facts[0].value.lower().startswith("none")

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other names, translations and acronyms."""
        return tuple(f.value for f in self.of("alias"))


def _rule_facts(frame: pd.DataFrame | None) -> dict[str, list[RuleFact]]:
    facts: dict[str, list[RuleFact]] = {}
    if frame is None:
        return facts
    for nid, attribute, value, year, url, title, quote, notes in zip(
        frame["network_id"],
        frame["attribute"],
        frame["value"],
        frame["year"],
        frame["source_url"],
        frame["source_title"],
        frame["quote"],
        frame["notes"],
        strict=True,
    ):
        facts.setdefault(str(nid), []).append(
            RuleFact(
                attribute=str(attribute),
                value=str(value),
                year=None if pd.isna(year) else int(year),
                source_url=str(url),
                source_title=None if pd.isna(title) else str(title),
                quote=None if pd.isna(quote) else str(quote),
                notes=None if pd.isna(notes) else str(notes),
            )
        )
    return facts


@dataclass(frozen=True)
class _Lifecycle:
    status: str | None = None
    closed: int | None = None
    successor: str | None = None
    part_of: str | None = None
    because: list[RuleFact] = field(default_factory=list)


def _lifecycle_of(facts: list[RuleFact]) -> _Lifecycle:
    status_facts = [f for f in facts if f.attribute == "status" and f.value != "renamed"]
    active = [f for f in status_facts if f.value == "active"]
    latest_active = max((f.year or 0 for f in active), default=-1)
    ended = [f for f in status_facts if f.value in ("closed", "suspended")]
    merged = [f for f in status_facts if f.value == "merged"]
    status: str | None = "active" if active else None
    deciding: RuleFact | None = None
    if ended:
        deciding = max(ended, key=lambda f: f.year or 0)
        if deciding.year is None or deciding.year >= latest_active:
            status = deciding.value
        else:
            deciding = None
    elif merged and not active:
        deciding = max(merged, key=lambda f: f.year or 0)
        status = "merged"
    successors = [f.value for f in facts if f.attribute == "successor"]
    parents = [f.value for f in facts if f.attribute == "part_of"]
    return _Lifecycle(
        status=status,
        closed=deciding.year if deciding is not None else None,
        successor="; ".join(successors) or None,
        part_of="; ".join(parents) or None,
        because=[deciding] if deciding is not None else [],
    )


def lifecycle(rules: pd.DataFrame | None) -> pd.DataFrame:
    """Derive each network's lifecycle (status, closed, successor, part_of) from its rule facts.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``network_id`` (networks with rule facts): ``status``, ``closed``,
        ``successor``, ``part_of`` (``<NA>`` where the facts say nothing).

    Examples
    --------
    >>> import citynet
    >>> table = lifecycle(citynet.load().network_rules)
    >>> str(table.at["100rc", "status"]), int(table.at["100rc", "closed"])
    ('closed', 2019)
    """
    rows = {nid: _lifecycle_of(facts) for nid, facts in _rule_facts(rules).items()}
    frame = pd.DataFrame(
        {
            "status": pd.Series({n: r.status for n, r in rows.items()}, dtype="string"),
            "closed": pd.Series({n: r.closed for n, r in rows.items()}, dtype="Int64"),
            "successor": pd.Series({n: r.successor for n, r in rows.items()}, dtype="string"),
            "part_of": pd.Series({n: r.part_of for n, r in rows.items()}, dtype="string"),
        }
    )
    frame.index.name = "network_id"
    return frame.sort_index()


def _split(text: object) -> tuple[str, ...]:
    if text is None or pd.isna(text):  # type: ignore[call-overload]
        return ()
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


def network_rules(networks: pd.DataFrame, rules: pd.DataFrame | None) -> dict[str, NetworkRules]:
    """Return the :class:`NetworkRules` of every network (empty rules where none are stated).

    ``networks`` is the table indexed by ``network_id`` (its lifecycle columns decide status,
    closing year, parents and successors); ``rules`` the ``network_rules`` table or ``None``.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> network_rules(land.networks, land.network_rules)["100rc"].status
    'closed'
    """
    facts = _rule_facts(rules)
    out: dict[str, NetworkRules] = {}
    for nid, status, closed, part_of, successor in zip(
        networks.index,
        networks["status"],
        networks["closed"],
        networks["part_of"],
        networks["successor"],
        strict=True,
    ):
        out[str(nid)] = NetworkRules(
            network_id=str(nid),
            facts=tuple(facts.get(str(nid), ())),
            status="active" if pd.isna(status) else str(status),
            closed=None if pd.isna(closed) else int(closed),
            parents=_split(part_of),
            successors=_split(successor),
        )
    return out


def horizon_years(rules: Mapping[str, NetworkRules]) -> dict[str, float]:
    """Return how long each network's memberships are presumed after an observation.

    A network's stated membership term (``membership_term_years``: a phase, a renewal period),
    else :data:`citynet.validity.DEFAULT_HORIZON_YEARS` (docs/time.md).

    Examples
    --------
    >>> import citynet
    >>> horizon_years(citynet.load().rules)["c40"]
    10.0
    """
    from citynet.validity import DEFAULT_HORIZON_YEARS

    return {
        nid: float(r.membership_term_years or DEFAULT_HORIZON_YEARS) for nid, r in rules.items()
    }


def term_years(rules: Mapping[str, NetworkRules]) -> dict[str, float]:
    """Return each network's executive term: the longest stated, else the default.

    Examples
    --------
    >>> import citynet
    >>> term_years(citynet.load().rules)["iclei"]
    3.0
    """
    return {nid: r.term_years or DEFAULT_TERM_YEARS for nid, r in rules.items()}
