"""A static explorer site of a landscape: ``citynet site -o DIR``.

One folder that anyone can open from disk or publish on a static host (no server, no remote
loads, relative links only):

* ``index.html``: headline figures, a search by name, acronym and alias, the world of cities,
  the busiest networks, the surveyed cities;
* ``cities/ID.html``: a city's memberships and seats with dates and sources, its load against
  comparable cities, the city among its networks, and the join check of every network
  (:func:`~citynet.analysis.join.verdicts`, computed at build time), for every city a page
  says something about (:func:`paged_cities`: two networks or more in the record, a seat, a
  group or capacity facts); a city with one network only is listed, its links lead to its
  network's page, which names it with its dates and sources;
* ``networks/ID.html``: a network's facts, its rules and obligations with their sources and
  quotes, its membership over time, a map of its members, the member list with its caveat;
* ``cities.html``, ``networks.html``: everything, listed; ``map.html`` and
  ``network-map.html``: the interactive maps (:mod:`citynet.export.html_map`).

Every page is escaped and under the same Content-Security-Policy (nothing may be fetched; the
one script, the search of the index, is allowed by its hash). The build is deterministic: the
same landscape gives the same bytes. It is written into a temporary folder beside ``DIR`` and
moved into place when complete, so a failed build leaves any earlier site as it was; a ``DIR``
that holds other files than a citynet site is refused, never overwritten.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import warnings
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from citynet._errors import CitynetError
from citynet._version import __version__
from citynet.analysis.commitment import overcommitment
from citynet.analysis.join import verdict_records
from citynet.analysis.load import LoadModel
from citynet.analysis.timeline import membership_history, timeline
from citynet.export.html_map import map_html, to_pyvis
from citynet.export.map_model import REGION_COLORS, SCOPE_COLORS, UNKNOWN_COLOR
from citynet.landscape import Landscape
from citynet.render.commitment import end_phrase, ended_history, fact_dates
from citynet.render.site import city_page, index_page, list_page, network_page
from citynet.render.svg import Dot, bars_svg, ego_svg, world_svg
from citynet.render.words import certainty_sentence
from citynet.summary import SURVEY_GROUP

__all__ = ["LARGE_SITE_BYTES", "MARKER", "check_target", "site_size", "write_site"]

MARKER = ".citynet-site"
"""The file that marks a folder as a citynet site (so that a rebuild may replace it)."""

_ORDER = {"worth considering": 0, "low added value": 1, "already a member": 2, "not open": 3}
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _file(identifier: str) -> str:
    """Return a file name for an id: the id itself when it is a slug, else a stable hash."""
    if _SLUG.fullmatch(identifier) and len(identifier) < 120:
        return f"{identifier}.html"
    import hashlib

    return "id-" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:16] + ".html"


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


SHOWN_ALIASES = 6
"""Aliases a city page shows (all of them stay in the search index)."""


def _also_called(aliases: str) -> str:
    """Return the few other names a reader recognises (every alias is still searchable).

    GeoNames gives a large city dozens of alternate names, many of them lower-case
    romanisations ("kai pu dui") or scripts a reader's fonts may lack; a page shows names
    written as names (a capital first), the rest counted.

    Examples
    --------
    >>> _also_called("Kapstadt;kai pu dui;Le Cap;Ciudad del Cabo")
    'also called Kapstadt, Le Cap, Ciudad del Cabo (and 1 more name, found by the search)'
    >>> _also_called("")
    ''
    """
    names = [a for a in aliases.split(";") if a]
    if not names:
        return ""
    shown = [a for a in names if a[:1].isupper() and a[:1].isascii()][:SHOWN_ALIASES]
    if not shown:
        shown = names[:SHOWN_ALIASES]
    rest = len(names) - len(shown)
    more = (
        f" (and {rest:,} more name{'s' if rest != 1 else ''}, found by the search)" if rest else ""
    )
    return "also called " + ", ".join(shown) + more


def _years(since: Any, until: Any) -> str:
    start, end = _text(since), _text(until)
    return "" if not start and not end else f"{start or '?'} – {end}"


def _credit(year: int | None) -> str:
    return (
        f"Built with citynet {__version__} from the memberships of {year}. Country outlines: "
        "Natural Earth (public domain), Equal Earth projection."
    )


def check_target(target: Path) -> None:
    """Raise a clear error unless ``target`` is new, empty or an earlier citynet site.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_target(pathlib.Path(tempfile.mkdtemp()) / "site")
    """
    if target.exists():
        if not target.is_dir():
            raise CitynetError(f"{target} exists and is not a folder")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise CitynetError(
                f"{target} is not empty and is not a citynet site: choose an empty or new folder"
            )


def _prepare(target: Path) -> Path:
    """Check that ``target`` may be (re)written and return a fresh folder beside it."""
    check_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as error:
        raise CitynetError(f"cannot write {target}: {error.strerror or error}") from None


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _city_dots(snapshot: Landscape, city_ids: list[str], emphasis: set[str]) -> list[Dot]:
    cities = snapshot.cities
    lat = cities["latitude"].astype("float64")
    lon = cities["longitude"].astype("float64")
    names = cities["name"].astype(str)
    regions = cities["region"].astype(object)
    dots = []
    for cid in city_ids:
        if math.isnan(float(lat[cid])) or math.isnan(float(lon[cid])):
            continue
        region = regions[cid]
        dots.append(
            Dot(
                float(lon[cid]),
                float(lat[cid]),
                REGION_COLORS.get(str(region), UNKNOWN_COLOR)
                if isinstance(region, str)
                else UNKNOWN_COLOR,
                str(names[cid]),
                3.2 if cid in emphasis else 1.6,
                cid in emphasis,
            )
        )
    return dots


def paged_cities(land: Landscape) -> set[str]:
    """Return the cities that get a page of their own on the site.

    A page says something about a city with two networks or more in the record (load, peers,
    partners), a seat, a group tag or capacity facts; a city in one network only is named on
    that network's page and listed, without a page that would repeat it (a landscape of
    10,000 Covenant signatories would otherwise make 10,000 near-identical pages).

    Examples
    --------
    >>> import citynet
    >>> "paris" in paged_cities(citynet.load())
    True
    """
    record = land.record
    facts = record.memberships
    networks_per_city = facts.groupby("city_id", observed=True)["network_id"].nunique()
    paged = {str(c) for c in networks_per_city[networks_per_city >= 2].index}
    paged |= {str(c) for c in facts.loc[facts["role"] == "executive", "city_id"]}
    groups = record.cities["groups"].fillna("").astype(str)
    paged |= {str(c) for c in groups[groups != ""].index}
    capacity = record.capacity
    if capacity is not None:
        paged |= {str(c) for c in capacity["city_id"]}
    return paged


CITY_PAGE_BYTES = 24_000
"""About what one city page weighs (the shipped data: 19 KB; a city in many networks more)."""
NETWORK_PAGE_BYTES = 100_000
"""About what one network page weighs (its map of members and its rules)."""
LARGE_SITE_BYTES = 1_000_000_000
"""Above this estimate the site is said to be too large for common static hosts (1 GB)."""


def site_size(land: Landscape, *, year: int | None = None) -> int:
    """Estimate the bytes :func:`write_site` would write, before writing anything.

    Pages for the cities a page says something about (:func:`paged_cities`), one per network,
    an index, the city list and two maps (about 2 MB each at 15,000 cities).

    Examples
    --------
    >>> import citynet
    >>> 12e6 < site_size(citynet.load()) < 30e6
    True
    """
    snapshot = land.current(year)
    fixed = 2_000_000 + 300 * len(snapshot.cities)
    return (
        fixed
        + CITY_PAGE_BYTES * len(paged_cities(snapshot))
        + NETWORK_PAGE_BYTES * len(snapshot.networks)
    )


def write_site(
    land: Landscape,
    directory: str | os.PathLike[str],
    *,
    year: int | None = None,
    model: LoadModel | None = None,
) -> Path:
    """Write the explorer site of the landscape into ``directory`` (module docstring).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from citynet.synthetic import synthetic_landscape
    >>> land = synthetic_landscape(n_cities=40, n_networks=5, n_memberships=60)
    >>> out = write_site(land, pathlib.Path(tempfile.mkdtemp()) / "site")
    >>> (out / "index.html").is_file()
    True
    >>> len(list((out / "cities").iterdir())) == len(paged_cities(land))
    True
    """
    snapshot = land.current(year)
    target = Path(directory)
    work = _prepare(target)
    try:
        _build(snapshot, work, model or LoadModel())
        (work / MARKER).write_text(f"citynet {__version__}\n", encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / "site")
            os.replace(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _build(snapshot: Landscape, out: Path, model: LoadModel) -> None:
    year = snapshot.year
    cities, networks, edges = snapshot.cities, snapshot.networks, snapshot.edges
    note = certainty_sentence(snapshot.certainty_counts())
    credit = _credit(year)
    city_ids = [str(c) for c in snapshot.city_ids]
    net_ids = [str(n) for n in snapshot.network_ids]
    names = cities["name"].astype(str).to_dict()
    short = {n: (_text(networks.at[n, "acronym"]) or str(networks.at[n, "name"])) for n in net_ids}
    sources: dict[tuple[str, str], set[str]] = {}
    facts = snapshot.memberships
    for c, n, u in zip(facts["city_id"], facts["network_id"], facts["source_url"], strict=True):
        sources.setdefault((str(c), str(n)), set()).add(str(u))
    records = edges.sort_values(["city_id", "network_id"]).to_dict("records")
    by_city: dict[str, list[dict[Any, Any]]] = {}
    by_network: dict[str, list[dict[Any, Any]]] = {}
    for r in records:
        by_city.setdefault(str(r["city_id"]), []).append(r)
        by_network.setdefault(str(r["network_id"]), []).append(r)
    over = overcommitment(snapshot, model=model)
    loads_by_group = over.groupby("peer_group")["load"].apply(list).to_dict()
    # plain rows, read once: a pandas row per page costs more than the page
    city_rows = cities.astype(object).to_dict("index")
    over_rows = over.astype(object).to_dict("index")
    net_name = {n: str(networks.at[n, "name"]) for n in net_ids}
    net_scope = {n: str(networks.at[n, "scope"]) for n in net_ids}

    # -- city pages ----------------------------------------------------------------------
    paged = paged_cities(snapshot)
    first_network = {
        str(c): str(n) for c, n in zip(facts["city_id"], facts["network_id"], strict=True)
    }

    def city_href(cid: str, up: str = "") -> str:
        if cid in paged:
            return f"{up}cities/{_file(cid)}"
        return f"{up}networks/{_file(first_network.get(cid, ''))}"

    for cid in city_ids:
        if cid not in paged:
            continue
        row = city_rows[cid]
        mine = by_city.get(cid, [])
        table = sorted(
            verdict_records(snapshot, cid, model=model),
            key=lambda v: (
                _ORDER.get(v["verdict"], len(_ORDER)),
                -v["new_partners"],
                v["short_name"],
            ),
        )
        load: dict[str, Any] | None = None
        if cid in over_rows and mine:
            o: Any = over_rows[cid]
            load = {
                "load": float(o["load"]),
                "memberships": int(o["memberships"]),
                "executive_seats": int(o["executive_seats"]),
                "percentile": float(o["percentile"]),
                "peers": int(o["peers"]),
                "peer_group": str(o["peer_group"]),
                "peer_median": float(o["peer_median"]),
                "flag": bool(o["flag"]),
                "flag_reason": _text(o["flag_reason"]),
                "peer_loads": [float(v) for v in loads_by_group.get(o["peer_group"], [])],
            }
        population = row["population"]
        spokes = [
            (
                short[str(m["network_id"])],
                ("seat" if m["role"] == "executive" else "member")
                + f", {len(by_network.get(str(m['network_id']), [])):,} members",
                SCOPE_COLORS.get(net_scope[str(m["network_id"])], UNKNOWN_COLOR),
                m["role"] == "executive",
            )
            for m in mine
        ]
        history: pd.DataFrame = snapshot.memo(
            ("membership-history", cid), partial(membership_history, snapshot, cid)
        )
        ended = [
            {
                "href": f"../networks/{_file(str(h['network_id']))}",
                "network": str(h["network"]),
                "role": str(h["role"])
                + ("" if pd.isna(h["role_title"]) else f": {h['role_title']}"),
                "dates": fact_dates(h),
                "why": end_phrase(h),
            }
            for _, h in ended_history(history).iterrows()
        ]
        page = city_page(
            {
                "id": cid,
                "ended": ended,
                "name": names[cid],
                "year": year,
                "facts": [
                    _text(row["country"]),
                    _text(row["region"]),
                    f"population {int(population):,}"
                    + (
                        f" ({_text(row['population_year'])})"
                        if _text(row["population_year"])
                        else ""
                    )
                    if not pd.isna(population)
                    else "",
                    _also_called(_text(row["aliases"])),
                ],
                "time_note": note,
                "memberships": [
                    {
                        "href": f"../networks/{_file(str(m['network_id']))}",
                        "network": net_name[str(m["network_id"])],
                        "role": str(m["role"]),
                        "titles": _text(m["role_titles"]),
                        "years": _years(m["since"], m["until"]),
                        "certainty": str(m["certainty"]),
                        "sources": sorted(sources.get((cid, str(m["network_id"])), set())),
                    }
                    for m in mine
                ],
                "load": load,
                "ego": ego_svg(names[cid], spokes) if spokes else "<p>No network this year.</p>",
                "verdicts": [
                    {
                        "href": f"../networks/{_file(str(v['network_id']))}",
                        "network": str(v["short_name"]),
                        "verdict": str(v["verdict"]),
                        "certain": bool(v["certain"]),
                        "reason": str(v["reason"]),
                    }
                    for v in table
                ],
                "credit": credit,
            }
        )
        _write(out, f"cities/{_file(cid)}", page)

    # -- network pages -------------------------------------------------------------------
    history = timeline(snapshot.record, by="network", end=year)
    for nid in net_ids:
        net = networks.loc[nid]
        members = sorted(
            by_network.get(nid, []), key=lambda m: (names[str(m["city_id"])], m["city_id"])
        )
        rules = snapshot.rules[nid]
        hq = _text(net["hq_city"])
        hq_point = None
        if hq:
            match = cities.index[cities["name"].astype(str) == hq]
            lat = cities["latitude"].astype("float64")
            lon = cities["longitude"].astype("float64")
            if len(match) and not math.isnan(float(lat[match[0]])):
                hq_point = (float(lon[match[0]]), float(lat[match[0]]))
        member_ids = [str(m["city_id"]) for m in members]
        curve = history[history["network_id"] == nid]
        curve = curve[curve["members"] > 0] if (curve["members"] > 0).any() else curve
        coverage = _text(net["coverage"])
        stated = _text(net["members_approx"])
        page = network_page(
            {
                "id": nid,
                "name": str(net["name"])
                + (f" ({_text(net['acronym'])})" if _text(net["acronym"]) else ""),
                "year": year,
                "facts": [
                    f"{net['scope']} network",
                    f"founded {_text(net['founded'])}" if _text(net["founded"]) else "",
                    f"status: {rules.status}" if rules.status else "",
                    f"headquarters: {hq}"
                    + (f", {_text(net['hq_country'])}" if _text(net["hq_country"]) else "")
                    if hq
                    else "",
                    f"about {int(float(stated)):,} members stated" if stated else "",
                ],
                "themes": sorted(snapshot.network_themes[nid]),
                "website": _text(net["website"]),
                "time_note": note,
                "coverage_note": (
                    "The member list here is complete."
                    if coverage == "full"
                    else f"The member list here is {coverage or 'of unknown completeness'}: a "
                    "city missing from it may well be a member."
                ),
                "map": world_svg(
                    _city_dots(
                        snapshot, member_ids, set(member_ids) if len(member_ids) <= 12 else set()
                    ),
                    title=f"Members of {short[nid]} in {year}",
                    lines_to=hq_point,
                ),
                "bars": bars_svg(
                    [int(y) for y in curve["year"]],
                    [float(v) for v in curve["members"]],
                    label=f"members of {short[nid]} in the data, by year",
                ),
                "bars_note": (
                    "Members in the data each year, under citynet's validity model: a membership "
                    "counts from its first evidence and is presumed to continue until a source "
                    "says it ended, a complete list leaves the city out, the network suspends "
                    "it or closes, or ten years pass without a new observation (docs/time.md)."
                ),
                "rules": [
                    {
                        "attribute": f.attribute,
                        "value": f.value,
                        "year": f.year,
                        "quote": f.quote,
                        "notes": f.notes,
                        "source_url": f.source_url,
                        "source_title": f.source_title,
                    }
                    for f in rules.facts
                ],
                "members": [
                    {
                        "href": city_href(str(m["city_id"]), "../"),
                        "name": names[str(m["city_id"])],
                        "country": _text(cities.at[m["city_id"], "country"]),
                        "role": str(m["role"])
                        + (f": {_text(m['role_titles'])}" if _text(m["role_titles"]) else ""),
                        "years": _years(m["since"], m["until"]),
                        "certainty": str(m["certainty"]),
                    }
                    for m in members
                ],
                "credit": credit,
            }
        )
        _write(out, f"networks/{_file(nid)}", page)

    # -- lists, maps, index ----------------------------------------------------------------
    active = sorted({str(c) for c in edges["city_id"]}, key=lambda c: (names[c].casefold(), c))
    by_letter: dict[str, list[tuple[str, str, str]]] = {}
    for cid in active:
        letter = names[cid][:1].upper() if names[cid][:1].isalpha() else "#"
        count = len(by_city.get(cid, []))
        by_letter.setdefault(letter, []).append(
            (city_href(cid), names[cid], f"{_text(cities.at[cid, 'country'])}, {count}")
        )
    _write(
        out,
        "cities.html",
        list_page(
            f"All {len(active):,} cities with a membership in {year}", sorted(by_letter.items())
        ),
    )
    scopes: dict[str, list[tuple[str, str, str]]] = {}
    for nid in sorted(net_ids, key=lambda n: short[n].casefold()):
        scopes.setdefault(str(networks.at[nid, "scope"]), []).append(
            (f"networks/{_file(nid)}", short[nid], f"{len(by_network.get(nid, [])):,} members")
        )
    _write(out, "networks.html", list_page(f"All {len(net_ids)} networks", sorted(scopes.items())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # large maps open on an overview; nothing to warn here
        pages = {
            "cities": {cid: f"cities/{_file(cid)}" for cid in city_ids if cid in paged},
            "networks": {nid: f"networks/{_file(nid)}" for nid in net_ids},
        }
        for name, layout in (("map.html", "geo"), ("network-map.html", "force")):
            drawn = to_pyvis(snapshot, layout=layout)
            for node in drawn.nodes:  # the index page searches the aliases; the maps link there
                node["aliases"] = ""
            drawn.citynet_meta["pages"] = pages
            _write(out, name, map_html(drawn, heading=f"City networks, {year}"))
    tags = cities["groups"].fillna("").astype(str).str.split(";")
    group = [str(c) for c, t in tags.items() if SURVEY_GROUP in t]
    if group:
        group_title = f"The {len(group)} cities of the 2018 survey 'Toward City Diplomacy'"
    else:
        counts = edges["city_id"].value_counts()
        group = [str(c) for c in counts.index[:30]]
        group_title = f"The {len(group)} cities with the most memberships"
    counts_net = edges["network_id"].value_counts()
    # the search index: a table of pages (9,000 signatories share their network's page) and a
    # row per city or network: page, name, other names (';'), country or scope, weight (ranking)
    hrefs: dict[str, int] = {}
    rows: list[list[Any]] = []

    def page_of(href: str) -> int:
        return hrefs.setdefault(href, len(hrefs))

    population = cities["population"].astype("Float64")
    for c in city_ids:
        if not (c in paged or c in by_city):
            continue
        others = [a for a in _text(cities.at[c, "aliases"]).split(";") if a and c in paged]
        weight = population.get(c)
        rows.append(
            [
                page_of(city_href(c)),
                names[c],
                ";".join(a.replace(";", ",") for a in others),
                _text(cities.at[c, "country"]),
                0 if pd.isna(weight) else int(weight),
            ]
        )
    for n in net_ids:
        aliases = list(snapshot.rules[n].aliases) if n in snapshot.rules else []
        rows.append(
            [
                page_of(f"networks/{_file(n)}"),
                short[n],
                ";".join(x.replace(";", ",") for x in [str(networks.at[n, "name"]), n, *aliases]),
                str(networks.at[n, "scope"]),
                10**12 + len(by_network.get(n, [])),
            ]
        )
    search = {"pages": list(hrefs), "rows": rows}
    scope_counts = networks.loc[counts_net.index, "scope"].value_counts()
    _write(
        out,
        "index.html",
        index_page(
            {
                "title": f"City networks in {year}",
                "lead": (
                    f"{len(active):,} cities and {len(counts_net)} networks with members in "
                    f"{year}, from sourced public facts. Every page names its sources."
                ),
                "time_note": note,
                "figures": [
                    ("cities with a membership", f"{len(active):,}"),
                    ("memberships", f"{len(edges):,}"),
                    ("executive seats", f"{int((edges['role'] == 'executive').sum()):,}"),
                    *[(f"{s} networks", str(int(scope_counts.get(s, 0)))) for s in SCOPE_COLORS],
                ],
                "search": search,
                "world": world_svg(_city_dots(snapshot, active, set()), title=f"Cities in {year}"),
                "world_note": (
                    f"{int(cities['latitude'].reindex(active).isna().sum()):,} cities "
                    "without coordinates are not drawn."
                ),
                "busiest": [
                    {
                        "href": f"networks/{_file(str(n))}",
                        "name": str(networks.at[n, "name"]),
                        "scope": str(networks.at[n, "scope"]),
                        "members": int(c),
                        "coverage": _text(networks.at[n, "coverage"]) or "unknown",
                    }
                    for n, c in counts_net.head(12).items()
                ],
                "group_title": group_title,
                "group_cities": [
                    {"href": city_href(c), "name": names[c]}
                    for c in sorted(group, key=lambda c: names[c].casefold())
                ],
                "credit": credit,
            }
        ),
    )
