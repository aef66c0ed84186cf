"""The data contract: tables, columns, types and vocabularies, written down once.

Everything else (validation, loading, saving, the Frictionless descriptor test, the docs) reads
these definitions, so the contract cannot drift between places. See ``docs/data-format.md``.

Column kinds
------------
``id``       slug ``[a-z0-9-]+`` (lower case, no spaces)
``text``     any Unicode text, kept exactly as given
``url``      ``http://`` or ``https://`` address
``country``  ISO 3166-1 alpha-2 code, two upper-case letters (``NA`` is Namibia, never missing)
``enum``     one value of a fixed vocabulary
``list``     ``;``-separated values, each from a fixed vocabulary
``tags``     ``;``-separated free tags
``year``     whole number in [1800, 2100]
``int``      whole number >= 0
``float``    decimal number, optionally within bounds
``bool``     ``yes`` or ``no``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ADMISSIONS",
    "CAPACITY",
    "CAPACITY_ATTRIBUTES",
    "CERTAINTIES",
    "CITIES",
    "COVERAGE",
    "EVIDENCE",
    "MEMBERSHIPS",
    "MEMBERSHIP_STATUSES",
    "MEMBER_TYPES",
    "NETWORKS",
    "NETWORK_RULES",
    "NETWORK_STATUSES",
    "OFFICE_PLACEMENTS",
    "POPULATION_KINDS",
    "REGIONS",
    "ROLES",
    "RULE_ATTRIBUTES",
    "RULE_STATUSES",
    "SCOPES",
    "TABLES",
    "THEMES",
    "THEME_LABELS",
    "Column",
    "Table",
]

THEMES: tuple[str, ...] = (
    "governance_democracy",
    "climate_change",
    "environment",
    "urban_planning_sustainability",
    "energy_policy",
    "culture",
    "business_commerce",
    "disaster_preparedness",
    "inequality",
    "health_wellbeing",
    "education",
    "safety_security_crime",
    "peace_building",
    "transportation",
    "tourism",
    "research",
    "poverty",
)
"""Themes of the 2017 city-diplomacy questionnaire ("Toward City Diplomacy", 2018)."""

THEME_LABELS: dict[str, str] = {
    "governance_democracy": "governance and democracy",
    "climate_change": "climate change",
    "environment": "environment",
    "urban_planning_sustainability": "urban planning and sustainability",
    "energy_policy": "energy policy",
    "culture": "culture",
    "business_commerce": "business and commerce",
    "disaster_preparedness": "disaster preparedness",
    "inequality": "inequality",
    "health_wellbeing": "health and well-being",
    "education": "education",
    "safety_security_crime": "safety, security and crime",
    "peace_building": "peace building",
    "transportation": "transportation",
    "tourism": "tourism",
    "research": "research",
    "poverty": "poverty",
}
"""Plain-language labels of the themes of the 2017 questionnaire."""

SCOPES: tuple[str, ...] = ("international", "regional", "national")
ROLES: tuple[str, ...] = ("member", "executive")
EVIDENCE: tuple[str, ...] = ("listed", "derived", "participation")
POPULATION_KINDS: tuple[str, ...] = ("city", "agglomeration")
"""What a population counts: the city (municipality) or its urban agglomeration."""
MEMBERSHIP_STATUSES: tuple[str, ...] = ("member", "suspended")
"""Status of a membership fact: blank or ``member``; ``suspended``: the network has suspended
the city from that year (not counted as a member; docs/time.md)."""
"""Kinds of evidence, strongest first: a member list, a general rule, attendance or signature."""
COVERAGE: tuple[str, ...] = ("full", "partial", "leadership")
REGIONS: tuple[str, ...] = (
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "South America",
    "Oceania",
)
CAPACITY_ATTRIBUTES: tuple[str, ...] = (
    "international_office",
    "office_placement",
    "senior_official",
    "international_strategy",
    "strategy_public",
    "budget",
    "staff",
    "sister_cities",
    "training",
)
OFFICE_PLACEMENTS: tuple[str, ...] = (
    "mayors_office",
    "integrated",
    "independent_department",
    "other",
)

NETWORK_STATUSES: tuple[str, ...] = ("active", "closed", "merged", "suspended")
"""Lifecycle of a network today: ``closed``, ``merged`` (into another) and ``suspended`` ones take
no new members and their memberships end with them (see ``docs/time.md``)."""
RULE_STATUSES: tuple[str, ...] = ("active", "closed", "merged", "renamed", "suspended")
"""Values of a ``status`` rule fact; ``renamed``: a new name for a network that lives on."""
RULE_ATTRIBUTES: tuple[str, ...] = (
    "status",
    "successor",
    "part_of",
    "eligible_members",
    "member_type",
    "eligible_countries",
    "min_population",
    "admission",
    "universal",
    "member_categories",
    "annual_fee",
    "general_assembly",
    "executive_body",
    "executive_term_years",
    "membership_term_years",
    "commitments",
    "reporting",
    "languages",
    "member_list_url",
    "alias",
)
"""What a rule fact (``network_rules.csv``) can state about a network; see docs/data-format.md."""
ADMISSIONS: tuple[str, ...] = (
    "open application",
    "invitation",
    "selection",
    "automatic",
    "election",
    "other",
)
"""How a network admits members (first words of an ``admission`` value)."""
MEMBER_TYPES: tuple[str, ...] = ("local_government", "mayor", "region", "association")
"""Who can be a member (``member_type`` rule): a city government, its mayor in person, a region
or prefecture, or an association of local governments (cities then cannot join directly)."""
CERTAINTIES: tuple[str, ...] = ("known", "presumed", "undated")
"""How sure a membership in a given year is, strongest first (docs/time.md)."""

YEAR_RANGE: tuple[int, int] = (1800, 2100)

Kind = Literal[
    "id", "text", "url", "country", "enum", "list", "tags", "year", "int", "float", "bool"
]


@dataclass(frozen=True)
class Column:
    """One column of the contract.

    Examples
    --------
    >>> Column("scope", "enum", required=True, choices=SCOPES).required
    True
    """

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    doc: str = ""

    @property
    def dtype(self) -> str:
        """The pandas dtype of this column in a :class:`~citynet.Landscape` table."""
        return {"year": "Int64", "int": "Int64", "float": "Float64", "bool": "boolean"}.get(
            self.kind, "string"
        )


@dataclass(frozen=True)
class Table:
    """One file of the contract.

    Examples
    --------
    >>> CITIES.file, CITIES.key
    ('cities.csv', ('city_id',))
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    optional: bool = False

    @property
    def file(self) -> str:
        """File name in a landscape folder."""
        return f"{self.name}.csv"

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in contract order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


CITIES = Table(
    "cities",
    (
        Column("city_id", "id", required=True, doc="unique slug"),
        Column("name", "text", required=True, doc="name in any script"),
        Column("aliases", "tags", doc="other names people type, ';'-separated"),
        Column("country", "country", required=True, doc="ISO 3166-1 alpha-2"),
        Column("region", "enum", choices=REGIONS, doc="continent"),
        Column("latitude", "float", bounds=(-90.0, 90.0)),
        Column("longitude", "float", bounds=(-180.0, 180.0)),
        Column("population", "int"),
        Column("population_year", "year"),
        Column(
            "population_kind",
            "enum",
            choices=POPULATION_KINDS,
            doc="city: within the city's boundaries; agglomeration: the urban area around it",
        ),
        Column("groups", "tags", doc="free tags, e.g. toward-city-diplomacy-2018"),
        Column("source_url", "url"),
        Column("notes", "text"),
    ),
    key=("city_id",),
)

NETWORKS = Table(
    "networks",
    (
        Column("network_id", "id", required=True, doc="unique slug"),
        Column("name", "text", required=True),
        Column("acronym", "text"),
        Column("scope", "enum", required=True, choices=SCOPES),
        Column("themes", "list", choices=THEMES),
        Column("founded", "year"),
        Column(
            "status",
            "enum",
            choices=NETWORK_STATUSES,
            doc="active, closed, merged or suspended (blank: active)",
        ),
        Column("closed", "year", doc="year the network closed, merged or was suspended"),
        Column("successor", "text", doc="who continued it (network_id or name)"),
        Column("part_of", "text", doc="parent network_id(s) or body (chapter, section)"),
        Column("coverage", "enum", choices=COVERAGE, doc="completeness of the member list"),
        Column("hq_city", "text"),
        Column("hq_country", "country"),
        Column("website", "url"),
        Column("members_approx", "int"),
        Column("members_year", "year"),
        Column("meeting_frequency", "float", bounds=(0.0, 366.0), doc="meetings a year"),
        Column("annual_fee", "float", bounds=(0.0, float("inf")), doc="fee, any currency"),
        Column("reporting_required", "bool", doc="members must report (yes/no)"),
        Column("source_url", "url"),
        Column("source_title", "text"),
        Column("notes", "text"),
    ),
    key=("network_id",),
)

MEMBERSHIPS = Table(
    "memberships",
    (
        Column("city_id", "id", required=True),
        Column("network_id", "id", required=True),
        Column("role", "enum", required=True, choices=ROLES),
        Column("role_title", "text"),
        Column("since", "year"),
        Column("until", "year"),
        Column("as_of", "year", doc="year the source describes"),
        Column("evidence", "enum", choices=EVIDENCE, doc="blank means listed"),
        Column(
            "status",
            "enum",
            choices=MEMBERSHIP_STATUSES,
            doc="blank means member; suspended: not counted from this year (docs/time.md)",
        ),
        Column(
            "complete_list",
            "bool",
            doc="yes: the source is the network's complete member list of its year; a city "
            "absent from it is not a member then (docs/time.md)",
        ),
        Column("source_url", "url", required=True),
        Column("source_title", "text"),
        Column("accessed", "year", doc="year the source was read"),
        Column("notes", "text"),
    ),
)

CAPACITY = Table(
    "capacity",
    (
        Column("city_id", "id", required=True),
        Column("attribute", "enum", required=True, choices=CAPACITY_ATTRIBUTES),
        Column("value", "text", required=True),
        Column("detail", "text"),
        Column("year", "year"),
        Column("source_url", "url", required=True),
        Column("source_title", "text"),
        Column("notes", "text"),
    ),
    optional=True,
)

NETWORK_RULES = Table(
    "network_rules",
    (
        Column("network_id", "id", required=True),
        Column("attribute", "enum", required=True, choices=RULE_ATTRIBUTES),
        Column("value", "text", required=True),
        Column("year", "year", doc="year the rule is stated for"),
        Column("source_url", "url", required=True),
        Column("source_title", "text"),
        Column("quote", "text", doc="words of the source that support the value"),
        Column("notes", "text"),
    ),
    optional=True,
)

TABLES: tuple[Table, ...] = (CITIES, NETWORKS, MEMBERSHIPS, CAPACITY, NETWORK_RULES)
