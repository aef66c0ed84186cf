"""Member lists read from public pages, transcribed with their page, date and words.

A list here is a network's members as one page names them on one date; ``complete`` lists name
every member then (docs/time.md: a city a complete list leaves out is not a member at its
date). :func:`add_lists` matches each name to a city of the data by name and country (a unique
match, never by name alone across countries), adds the cities no row has yet (GeoNames gives
them a point later in the build), and appends one membership fact per named member.

Run through ``tools/build_dataset.py``; the lists are counted in data/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_covenant import _index, _match, _new_id
from citynet.importers import region_of
from citynet.lookup import normalize_name


@dataclass(frozen=True)
class MemberList:
    """One page's list of a network's members (names as the page writes them)."""

    network_id: str
    year: str
    url: str
    title: str
    complete: bool
    members: dict[str, tuple[str, ...]]  # country code -> names
    note: str
    spellings: dict[tuple[str, str], str] = field(default_factory=dict)  # page name -> ours


# fmt: off
UBC_2025 = MemberList(
    network_id="ubc",
    year="2025",
    url="https://www.ubc-sustainable.net/member-cites/lt/kaunas",
    title="Member cities (UBC Sustainable Cities Commission, ubc-sustainable.net)",
    complete=True,
    members={
        "DK": ("Aarhus", "Guldborgsund", "Kolding"),
        "EE": ("Elva", "Haapsalu", "Pärnu", "Rakvere", "Tallinn", "Tartu"),
        "FI": ("Espoo", "Helsinki", "Jyväskylä", "Kemi", "Kotka", "Lahti", "Mariehamn", "Pori",
               "Porvoo", "Turku", "Vaasa"),
        "DE": ("Greifswald", "Hamburg", "Kiel", "Rostock"),
        "LV": ("Cēsis", "Jēkabpils", "Jelgava", "Liepāja", "Riga", "Valmiera"),
        "LT": ("Gargždai", "Jonava", "Kaunas", "Klaipėda", "Palanga", "Panevėžys", "Rokiškis",
               "Tauragé"),
        "NO": ("Arendal", "Kristiansand"),
        "PL": ("Darłowo", "Elbląg", "Gdańsk", "Gdynia", "Koszalin", "Mielno", "Pruszcz Gdański",
               "Reda", "Rumia", "Sejny", "Słupsk", "Sopot", "Ustka"),
        "SE": ("Gävle", "Kalmar", "Karlskrona", "Luleå", "Malmö", "Örebro", "Region of Gotland",
               "Söderhamn", "Trelleborg", "Umeå", "Växjö"),
        "UA": ("Chernihivka", "Kherson", "Khmelnytskyi", "Kramatorsk", "Pokrovsk", "Rubizhne",
               "Vilnyansk", "Vyshhorod", "Zaporizhzhia"),
    },
    note="Named in the page's list of UBC member cities by country (73 cities; 'Rivne region "
    "(partner)' is listed as a partner, not a member city, and is left out). The page is "
    "undated; its latest city event is of 20 May 2025, so the list is taken as of 2025.",
    spellings={("SE", "Region of Gotland"): "Gotland", ("UA", "Vilnyansk"): "Vilniansk"},
)
# fmt: on

LISTS = (UBC_2025,)


@dataclass
class ListResult:
    """What :func:`add_lists` did, for data/README.md."""

    per_list: dict[str, tuple[int, int]] = field(default_factory=dict)  # facts, new cities
    new_cities: list[str] = field(default_factory=list)


def add_lists(
    cities: list[dict[str, str]],
    memberships: list[dict[str, str]],
    fact_notes: dict[str, str],
    *,
    accessed: str,
    aliases: dict[str, str] | None = None,
) -> ListResult:
    """Append each list's members to ``memberships``, adding cities no row has yet."""
    result = ListResult()
    index = _index(
        [r | {"aliases": (aliases or {}).get(r["city_id"], r.get("aliases", ""))} for r in cities]
    )
    taken = {r["city_id"] for r in cities}
    columns = list(cities[0])
    for listed in LISTS:
        facts = added = 0
        members = {r["city_id"] for r in memberships if r["network_id"] == listed.network_id}
        for country, names in listed.members.items():
            for page_name in names:
                name = listed.spellings.get((country, page_name), page_name)
                city = _match(index, country, name, None)
                same = index.get((country, normalize_name(name)), [])
                if city is None and same:
                    # homonyms in the country: the one another source names a member already
                    known = {r["city_id"]: r for r in same if r["city_id"] in members}
                    if len(known) != 1:
                        raise SystemExit(f"{listed.url}: {page_name!r} names several cities")
                    city = next(iter(known.values()))
                if city is None:
                    city = dict.fromkeys(columns, "")
                    city_id = _new_id(name, country, taken)
                    taken.add(city_id)
                    city.update(
                        city_id=city_id,
                        name=name,
                        country=country,
                        region=region_of(country),
                        source_url=listed.url,
                    )
                    # no point yet: GeoNames places it where one place of the name dominates
                    fact_notes[city_id] = f"Not found: named by the list of {listed.url}"
                    city["notes"] = f"Named by the member list of {listed.url}; no point found."
                    cities.append(city)
                    index[(country, normalize_name(name))].append(city)
                    result.new_cities.append(city_id)
                    added += 1
                spelt = "" if name == page_name else f" (the page writes '{page_name}')"
                memberships.append(
                    {
                        "city_id": city["city_id"],
                        "network_id": listed.network_id,
                        "role": "member",
                        "role_title": "",
                        "since": "",
                        "until": "",
                        "as_of": listed.year,
                        "evidence": "listed",
                        "status": "",
                        "complete_list": "yes" if listed.complete else "",
                        "source_url": listed.url,
                        "source_title": listed.title,
                        "accessed": accessed,
                        "notes": f"{listed.note}{spelt}",
                    }
                )
                facts += 1
        result.per_list[listed.url] = (facts, added)
    return result
