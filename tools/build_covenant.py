"""Bring the JRC's Covenant of Mayors release (GCoM - MyCovenant, January 2024) into the build.

Build time only (``tools/build_dataset.py`` calls :func:`add_covenant`). The file is
``../shared/reference/gcom-mycovenant-2024/signatories.xlsx`` (its README there gives the
citation and columns); every fact written from it cites the JRC dataset.

What it does, by documented rules:

* **One signatory, one membership** of the chapter its country belongs to:
  Covenant of Mayors - Europe (``com-europe``), the Eastern Partnership covenant
  (``com-east``: AM, AZ, BY, GE, MD, UA) or the Mediterranean covenant (``com-med``: the 19
  countries CoM Med names); a signatory of any other country reports to MyCovenant as a
  signatory of the Global Covenant itself (``gcom``). Each chapter is part of ``gcom``
  (``part_of``), so the check reads GCoM membership through the chapter.
* ``since`` is the year of ``date_of_adhesion``; ``as_of`` is 2024, the release: a
  ``published`` signatory is a member known in 2024; an ``on_hold`` one is written as a
  ``suspended`` fact observed in 2024 (the release: "suspended for not complying with the CoM
  commitment notably in terms of reporting") beside its adhesion, which holds only until the
  suspension (docs/time.md). The release is a complete list of each chapter's signatories as
  of 2024 (``complete_list``), not of the Global Covenant's, which has signatories reporting
  elsewhere.
* **Joint signatories**: a municipality of a group (joint action plan, option 1 or 2) has a
  row of its own with its name and point, and is a member like any other; the group's own row
  (``group_profile``) is an organisation of several municipalities, not a city, and is not
  shipped (counted in data/README.md).
* **Matching** an existing city: the same country, the normalised name equal to the city's
  name or one of its aliases, and the two points within :data:`MATCH_KM` (or within
  :data:`FAR_MATCH_KM` for the only city of that name in the country, where the populations
  are within a factor of five: a city's or its urban area's); never by name alone.
  A signatory without a point is matched only when its name is unique among the country's
  cities. Every other signatory becomes a new city with the release's point and its
  population at adhesion (``population_year`` the adhesion year).
* **Points written the wrong way round** (latitude and longitude swapped: Istrana, Italy, at
  12.09 N 45.68 E) are swapped back where the point lies more than :data:`FAR_KM` from the
  median point of its country's signatories and the swapped one within :data:`NEAR_KM` of it;
  the city's note says so.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from citynet.importers import region_of, slugify
from citynet.lookup import normalize_name

RELEASE = Path("gcom-mycovenant-2024") / "signatories.xlsx"
SOURCE_URL = (
    "https://github.com/LisaMarieKauck/OfflineMARLCityNetworkClimate/blob/a281afc/"
    "Data/df1_Signatories_2024.xlsx"
)
SOURCE_TITLE = (
    "Baldi, Franco, Melica, Treville, Bertoldi (2024): Global Covenant of Mayors - A complete "
    "collection of action plans and monitoring reports from MyCovenant reporting platform, "
    "Joint Research Centre (JRC), 5th release, January 2024, table of signatories (CC BY 4.0; "
    "copy redistributed on GitHub)"
)
RELEASE_YEAR = 2024
MATCH_KM = 25.0
"""A signatory and a shipped city of the same name and country are one within this distance."""
FAR_MATCH_KM = 60.0
"""A signatory this far from the only city of its name in the country is still that city."""

EAST = frozenset({"AM", "AZ", "BY", "GE", "MD", "UA"})
"""Countries of the Covenant of Mayors - East (com-east.eu; aravot-en.am 2017 for Belarus)."""
MED = frozenset(
    {"DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN"}
    | {"BH", "IR", "IQ", "KW", "OM", "QA", "SA", "AE", "YE"}
)
"""Countries of the Covenant of Mayors for the Mediterranean (south.euneighbours.eu)."""
EUROPE_EXTRA = frozenset({"TR", "CY"})
"""Countries outside the contract's region Europe that sign the European Covenant."""
_CODES = {"el": "GR", "uk": "GB"}
FAR_KM = 1500.0
NEAR_KM = 600.0


def chapter_of(country: str) -> str:
    """Return the network id of the covenant a signatory of ``country`` belongs to."""
    if country in EAST:
        return "com-east"
    if country in MED:
        return "com-med"
    if region_of(country) == "Europe" or country in EUROPE_EXTRA:
        return "com-europe"
    return "gcom"


@dataclass
class CovenantResult:
    """What the release added, for the build's report and data/README.md."""

    signatories: int = 0
    groups: int = 0
    matched: int = 0
    new_cities: int = 0
    published: int = 0
    on_hold: int = 0
    per_chapter: Counter[str] = field(default_factory=Counter)
    replaced: int = 0
    unnamed: list[str] = field(default_factory=list)
    swapped: list[str] = field(default_factory=list)
    repaired: dict[str, str] = field(default_factory=dict)
    before_founding: int = 0
    points_filled: int = 0
    # new cities whose release point is given only to whole degrees: (lat, lon, note)
    rounded: dict[str, tuple[float, float, str]] = field(default_factory=dict)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _value(text: object) -> str:
    out = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    out = out.strip()
    return "" if out == "-" else out


def read_release(reference: Path) -> pd.DataFrame:
    """The release's data sheet, every cell as text (``-`` read as empty)."""
    table = pd.read_excel(reference / RELEASE, sheet_name="1", dtype=str)
    return table.map(_value)


_LOOKALIKES = str.maketrans(
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧАВЕКМНОРСТХаеорсухіј",
    "ABEZHIKMNOPTYXABEKMHOPCTXaeopcyxij",
)
_LATIN = re.compile(r"[A-Za-z]")


def clean_name(name: str) -> tuple[str, bool]:
    """Return a name with look-alike Greek or Cyrillic letters inside Latin words made Latin.

    The release writes a few names with a Greek or Cyrillic capital that looks like a Latin
    one ('Αglantzia'); a word of one script only is left as it is ('Βιάννος'). A name in
    capitals only ('BORDEAUX METROPOLE') is written in title case.
    """
    words = []
    for word in re.sub(r"\s+", " ", name).strip().split(" "):
        mixed = _LATIN.search(word) and word != word.translate(_LOOKALIKES)
        words.append(word.translate(_LOOKALIKES) if mixed else word)
    out = " ".join(words)
    if out.isupper() and len(out) > 4:  # 'BORDEAUX METROPOLE': capitals only
        out = re.sub(r"\b(De|Du|Des|La|Le|Les|Di|Del|Della|Dei|Y|E|Am|An|Im)\b",
                     lambda m: m.group(0).lower(), out.title())  # fmt: skip
    return out, out != re.sub(r"\s+", " ", name).strip()


def _point(row: pd.Series) -> tuple[float, float] | None:
    try:
        lat, lon = float(row["organisation_latitude"]), float(row["organisation_longitude"])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


def _centres(table: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The median point of each country's signatories (by the release's country code)."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _, row in table.iterrows():
        point = _point(row)
        if point is not None:
            points[row["country_code"]].append(point)
    out = {}
    for code, values in points.items():
        lats, lons = sorted(v[0] for v in values), sorted(v[1] for v in values)
        out[code] = (lats[len(lats) // 2], lons[len(lons) // 2])
    return out


def _checked_point(
    point: tuple[float, float] | None, centre: tuple[float, float] | None
) -> tuple[tuple[float, float] | None, bool]:
    """The point, swapped back when it is written the wrong way round (module docstring)."""
    if point is None or centre is None or not -90 <= point[1] <= 90:
        return point, False
    far = _km(point[0], point[1], *centre) > FAR_KM
    swapped = (point[1], point[0])
    if far and _km(swapped[0], swapped[1], *centre) <= NEAR_KM:
        return swapped, True
    return point, False


def _index(cities: list[dict[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    index: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in cities:
        names = [row["name"], *filter(None, row.get("aliases", "").split(";"))]
        for key in {normalize_name(n) for n in names if n.strip()}:
            index[(row["country"], key)].append(row)
    return index


def _match(
    index: dict[tuple[str, str], list[dict[str, str]]],
    country: str,
    name: str,
    point: tuple[float, float] | None,
    population: str = "",
) -> dict[str, str] | None:
    candidates = {r["city_id"]: r for r in index.get((country, normalize_name(name)), [])}
    if not candidates:
        return None
    if point is None:
        return next(iter(candidates.values())) if len(candidates) == 1 else None
    near = [
        (_km(point[0], point[1], float(r["latitude"]), float(r["longitude"])), r)
        for r in candidates.values()
        if r["latitude"] and r["longitude"]
    ]
    close = [pair for pair in near if pair[0] <= MATCH_KM]
    if close:
        return min(close, key=lambda pair: pair[0])[1]
    # the only city of the name in the country, a little further (the release places Lyon
    # 42 km south-west of it) and of a like size where both sizes are known
    if len(candidates) == 1 and len(near) == 1 and near[0][0] <= FAR_MATCH_KM:
        other = near[0][1].get("population", "")
        if not (population.isdigit() and other.isdigit()) or (
            1 / 5 <= int(population) / max(int(other), 1) <= 5  # city or urban area
        ):
            return near[0][1]
    # a city of the fact base without a point yet (GeoNames fills it later): matched as a
    # signatory without a point is, when its name is unique among the country's cities
    unplaced = [r for r in candidates.values() if not (r["latitude"] and r["longitude"])]
    return unplaced[0] if len(candidates) == 1 and unplaced else None


def _new_id(name: str, country: str, taken: set[str]) -> str:
    base = slugify(name) or f"signatory-{country.lower()}"
    for candidate in (base, f"{base}-{country.lower()}"):
        if candidate not in taken:
            return candidate
    n = 2
    while f"{base}-{country.lower()}-{n}" in taken:
        n += 1
    return f"{base}-{country.lower()}-{n}"


def _superseded(row: dict[str, str]) -> bool:
    """A Covenant fact of the secondary tables, which the release replaces."""
    return row["network_id"] in {"com-europe", "gcom"} and (
        "ClimActor" in row["source_url"] or "Chap3_LocationalAnalysis" in row["source_url"]
    )


def add_covenant(
    reference: Path,
    cities: list[dict[str, str]],
    memberships: list[dict[str, str]],
    *,
    accessed: str,
    aliases: dict[str, str] | None = None,
    founded: dict[str, tuple[str, str]] | None = None,
) -> CovenantResult:
    """Add the release's signatories to ``cities`` and ``memberships`` (rows of the CSVs).

    The secondary tables' Covenant facts that the release supersedes are removed from
    ``memberships`` in place.
    """
    table = read_release(reference)
    result = CovenantResult(signatories=len(table))
    kept = [r for r in memberships if not _superseded(r)]
    result.replaced = len(memberships) - len(kept)
    memberships[:] = kept
    index = _index(
        [r | {"aliases": (aliases or {}).get(r["city_id"], r.get("aliases", ""))} for r in cities]
    )
    centres = _centres(table)
    rows_by_id = {r["city_id"]: r for r in cities}
    taken = {r["city_id"] for r in cities}
    columns = list(cities[0]) if cities else []
    for _, row in table.sort_values("organisation_id", kind="stable").iterrows():
        if row["group_profile"] == "True":
            result.groups += 1
            continue
        code = row["country_code"].lower()
        country = _CODES.get(code, code.upper())
        name, repaired = clean_name(row["organisation_name"])
        if not name:
            result.unnamed.append(row["organisation_id"])
            continue
        point, swapped = _checked_point(_point(row), centres.get(row["country_code"]))
        # 164 points are whole degrees (Kolding at 55, 9: 60 km off): no point to match by or
        # to draw; such a city is matched by its name alone (unique in the country) and a new
        # one is placed by GeoNames, or kept at the rounded point where GeoNames cannot place it
        coarse = point if point is not None and all(v.is_integer() for v in point) else None
        if coarse is not None:
            point = None
        adhesion = row["date_of_adhesion"][:4]
        city = _match(index, country, name, point, row["population_adhesion"])
        if city is None:
            city = dict.fromkeys(columns, "")
            city_id = _new_id(name, country, taken)
            taken.add(city_id)
            population = row["population_adhesion"]
            city.update(
                city_id=city_id,
                name=name,
                country=country,
                region=region_of(country),
                latitude=f"{point[0]:.4f}" if point else "",
                longitude=f"{point[1]:.4f}" if point else "",
                population=population if population.isdigit() and int(population) > 0 else "",
                population_year=adhesion if population.isdigit() else "",
                source_url=SOURCE_URL,
                notes=(
                    "Point and population at adhesion: the JRC's GCoM - MyCovenant release "
                    f"(January 2024), signatory {row['organisation_id']}; the population is "
                    "the one declared when the municipality joined."
                ),
            )
            if coarse is not None:
                city["notes"] = city["notes"].replace("Point and population", "Population")
                result.rounded[city_id] = (*coarse, city["notes"])
            if swapped:
                result.swapped.append(city_id)
                city["notes"] += (
                    " The release gives the point with latitude and longitude swapped "
                    f"({row['organisation_latitude']}, {row['organisation_longitude']}): "
                    "swapped back, as it then lies among the country's other signatories."
                )
            if repaired:
                result.repaired[city_id] = row["organisation_name"]
                city["notes"] += (
                    f" The release writes the name '{row['organisation_name']}' (look-alike "
                    "letters of another script made Latin, or capitals only, here in title "
                    "case)."
                )
            cities.append(city)
            index[(country, normalize_name(name))].append(city)
            result.new_cities += 1
        else:
            result.matched += 1
            own = rows_by_id.get(city["city_id"])  # the index holds copies
            if point and own is not None and not (own["latitude"] and own["longitude"]):
                own.update(latitude=f"{point[0]:.4f}", longitude=f"{point[1]:.4f}")
                city.update(latitude=own["latitude"], longitude=own["longitude"])
                population = row["population_adhesion"]
                filled = ""
                if not own["population"] and population.isdigit() and int(population) > 0:
                    own.update(population=population, population_year=adhesion)
                    filled = " and population at adhesion"
                if not own["source_url"]:
                    own["source_url"] = SOURCE_URL
                own["notes"] = (
                    f"Point{filled}: the JRC's GCoM - MyCovenant release (January 2024), "
                    f"signatory {row['organisation_id']}; the fact base had no point for it."
                )
                result.points_filled += 1
        chapter = chapter_of(country)
        result.per_chapter[chapter] += 1
        group = row["group_name"]
        joint = f" Joins with the group '{group}' (a joint action plan)." if group else ""
        base = {
            "city_id": city["city_id"],
            "network_id": chapter,
            "role": "member",
            "role_title": "",
            "since": adhesion,
            "until": "",
            "as_of": "",
            "evidence": "listed",
            "status": "",
            # complete for the chapters; the Global Covenant has signatories elsewhere too
            "complete_list": "" if chapter == "gcom" else "yes",
            "source_url": SOURCE_URL,
            "source_title": SOURCE_TITLE,
            "accessed": accessed,
        }
        signatory = f"Signatory {row['organisation_id']} '{name}' (gcom_id {row['gcom_id']})"
        title, formed = (founded or {}).get(chapter, ("", ""))
        if formed and adhesion < formed:
            # joined a predecessor: a membership of the chapter from the year it was formed
            result.before_founding += 1
            base["since"] = formed
            signatory += (
                f" (joined before the {title} was formed in {formed}: a member of it from {formed})"
            )
        if row["signatory_status"] == "on_hold":
            result.on_hold += 1
            memberships.append(
                base
                | {
                    "complete_list": "",  # the release dates the list: its suspended row
                    "notes": f"{signatory}: adhesion {row['date_of_adhesion'][:10]}.{joint}",
                }
            )
            memberships.append(
                base
                | {
                    "since": "",
                    "as_of": str(RELEASE_YEAR),
                    "status": "suspended",
                    "notes": f"{signatory}: on hold in the January 2024 release (suspended for "
                    "not complying with the commitment, notably in reporting); the year of "
                    "suspension is not given.",
                }
            )
        else:
            result.published += 1
            memberships.append(
                base
                | {
                    "as_of": str(RELEASE_YEAR),
                    "notes": f"{signatory}: adhesion {row['date_of_adhesion'][:10]}; an active "
                    f"('published') signatory in the January 2024 release.{joint}",
                }
            )
    return result
