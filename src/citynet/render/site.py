"""The pages of the static explorer site: index, one page per city, one per network.

Pages are plain HTML with inline SVG figures; only the index carries a script (the search),
allowed by its hash. Every user string is escaped with :func:`~citynet.render.html.esc`, and
every link is relative, so the folder works from ``file://`` and on any static host.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from citynet.render.html import esc, page, strip_chart
from citynet.render.words import number, ordinal, theme_label

__all__ = ["SEARCH_SCRIPT", "STYLE", "city_page", "index_page", "link", "network_page"]

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1d1d1d; max-width: 1040px; margin: 0 auto; padding: 0 18px 40px; }
nav { padding: 10px 0; border-bottom: 1px solid #ddd; margin-bottom: 10px; font-size: 14px; }
nav a { margin-right: 14px; }
h1 { font-size: 26px; margin: 10px 0 2px; }
h2 { font-size: 18px; margin: 26px 0 6px; border-bottom: 1px solid #ccc; padding-bottom: 2px; }
a { color: #0b5cad; }
.muted { color: #555; font-size: 13px; }
.lead { font-size: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px;
  border-bottom: 1px solid #e6e6e6; }
td:nth-child(2) span[class^="verdict"] { white-space: nowrap; }
th { font-weight: 600; background: #f6f8fa; }
td.num, th.num { text-align: right; white-space: nowrap; }
.verdict-worth { color: #1b7837; font-weight: 600; }
.verdict-low { color: #8c6d1f; font-weight: 600; }
.verdict-not { color: #595959; font-weight: 600; }
.verdict-member { color: #2166ac; font-weight: 600; }
.flag { color: #b03a2e; font-weight: 600; }
.figures { display: flex; flex-wrap: wrap; gap: 10px 28px; margin: 10px 0; }
.figure b { display: block; font-size: 24px; }
.columns { columns: 3; font-size: 14px; }
.columns li { break-inside: avoid; }
svg { max-width: 100%; height: auto; }
.source { font-size: 12px; overflow-wrap: anywhere; }
blockquote { margin: 2px 0 2px 12px; color: #444; font-size: 13px; border-left: 3px solid #ddd;
  padding-left: 8px; }
#search { font-size: 16px; padding: 6px 8px; width: 320px; }
#results { list-style: none; padding: 0; margin: 6px 0; }
#results li { padding: 2px 0; }
@media (max-width: 700px) {
  body { padding: 0 10px 30px; font-size: 14px; }
  nav a { display: inline-block; margin: 2px 12px 2px 0; }
  h1 { font-size: 21px; }
  table { display: block; overflow-x: auto; }
  th, td { overflow-wrap: break-word; hyphens: auto; }
  .columns { columns: 1; }
  #search { width: 100%; box-sizing: border-box; }
}
"""
STYLE = re.sub(r"\s*([{};:,>])\s*", r"\1", re.sub(r"\s+", " ", STYLE)).strip()
"""Written once into every page: whitespace costs bytes on 500 pages."""

SEARCH_SCRIPT = """
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("search-index").textContent);
  var box = document.getElementById("search"), list = document.getElementById("results");
  function fold(t) {
    return String(t).normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase().trim();
  }
  var rows = index.rows.map(function (e) {
    var others = e[2] ? e[2].split(";") : [];
    return { e: e, name: fold(e[1]), others: others.map(fold) };
  });
  /* best first: the name, another name, a name starting with it, a word starting with it,
     any part of it; then the larger (population, or members for a network) */
  function score(r, q) {
    if (r.name === q) { return 0; }
    if (r.others.indexOf(q) >= 0) { return 1; }
    if (r.name.indexOf(q) === 0) { return 2; }
    if (r.others.some(function (k) { return k.indexOf(q) === 0; })) { return 3; }
    if ((" " + r.name).indexOf(" " + q) >= 0) { return 4; }
    if (r.name.indexOf(q) >= 0 || r.others.some(function (k) { return k.indexOf(q) >= 0; })) {
      return 5;
    }
    return -1;
  }
  function show() {
    var q = fold(box.value);
    list.textContent = "";
    if (q.length < 2) { return; }
    var hits = [];
    rows.forEach(function (r) { var s = score(r, q); if (s >= 0) { hits.push([s, r]); } });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1].e[4] - a[1].e[4]; });
    hits = hits.slice(0, 25);
    if (!hits.length) {
      var none = document.createElement("li"); none.textContent = "No city or network matches.";
      list.appendChild(none); return;
    }
    hits.forEach(function (h) {
      var r = h[1], li = document.createElement("li"), a = document.createElement("a");
      a.href = index.pages[r.e[0]]; a.textContent = r.e[1];
      li.appendChild(a);
      if (r.e[3]) { var s = document.createElement("span"); s.className = "muted";
        s.textContent = " " + r.e[3]; li.appendChild(s); }
      list.appendChild(li);
    });
  }
  box.addEventListener("input", show);
  show();
})();
"""

_VERDICT_CLASS = {
    "worth considering": "verdict-worth",
    "low added value": "verdict-low",
    "not open": "verdict-not",
    "already a member": "verdict-member",
}


def link(href: str, text: object) -> str:
    """Return an escaped link; only relative links and http(s) URLs are made clickable.

    Examples
    --------
    >>> link("../networks/c40.html", "C40")
    '<a href="../networks/c40.html">C40</a>'
    >>> link("javascript:alert(1)", "x")
    'x'
    """
    scheme = urlsplit(href).scheme.lower()
    if scheme not in ("", "http", "https") or href.strip().lower().startswith("javascript"):
        return esc(text)
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def _source(url: object, title: object = None) -> str:
    text = str(title) if title else str(url)
    return f'<span class="source">{link(str(url), text)}</span>' if url else ""


def _page(title: str, body: str, *, style: str, script: str | None = None) -> str:
    """Return a site page: its navigation in ``<nav>``, everything else in ``<main>``."""
    head, sep, rest = body.partition("</nav>")
    inner = f"{head}{sep}\n<main>\n{rest.strip()}\n</main>" if sep else f"<main>\n{body}\n</main>"
    return page(title, inner, style=style, script=script)


def _nav(depth: int) -> str:
    up = "../" * depth
    return (
        f'<nav><a href="{up}index.html">Overview</a><a href="{up}cities.html">All cities</a>'
        f'<a href="{up}networks.html">All networks</a><a href="{up}map.html">World map</a>'
        f'<a href="{up}network-map.html">Network map</a></nav>'
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def index_page(site: dict[str, Any]) -> str:
    """Return the index: headline figures, search, the world of cities, busiest networks."""
    figures = "".join(
        f'<div class="figure"><b>{esc(value)}</b>{esc(label)}</div>'
        for label, value in site["figures"]
    )
    busiest = _table(
        ["network", "scope", "members in the data", "member list"],
        [
            [link(n["href"], n["name"]), esc(n["scope"]), f"{n['members']:,}", esc(n["coverage"])]
            for n in site["busiest"]
        ],
        {2},
    )
    group = "".join(f"<li>{link(c['href'], c['name'])}</li>" for c in site["group_cities"])
    body = f"""{_nav(0)}
<h1>{esc(site["title"])}</h1>
<p class="lead">{esc(site["lead"])}</p>
<p class="muted">{esc(site["time_note"])}</p>
<div class="figures">{figures}</div>
<h2>Find a city or a network</h2>
<p><input id="search" type="search" placeholder="a name, an acronym or an alias"
 autocomplete="off"></p>
<ul id="results"></ul>
<script type="application/json" id="search-index">{_json(site["search"])}</script>
<h2>Where the cities are</h2>
{site["world"]}
<p class="muted">{esc(site["world_note"])} Interactive: {link("map.html", "world map")},
{link("network-map.html", "network map")}.</p>
<h2>The busiest networks</h2>
{busiest}
<h2>{esc(site["group_title"])}</h2>
<ul class="columns">{group}</ul>
<p class="muted">{esc(site["credit"])}</p>"""
    return _page(site["title"], body, style=STYLE, script=SEARCH_SCRIPT)


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def list_page(title: str, groups: Sequence[tuple[str, Sequence[tuple[str, str, str]]]]) -> str:
    """Return a page listing links by group: ``(heading, [(href, name, detail)])``."""
    parts = [_nav(0), f"<h1>{esc(title)}</h1>"]
    for heading, items in groups:
        parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(
            '<ul class="columns">'
            + "".join(
                f'<li>{link(href, name)} <span class="muted">{esc(detail)}</span></li>'
                for href, name, detail in items
            )
            + "</ul>"
        )
    return _page(title, "\n".join(parts), style=STYLE)


def city_page(city: dict[str, Any]) -> str:
    """Return a city's page: memberships and seats, load against peers, ego diagram, verdicts."""
    rows = [
        [
            link(m["href"], m["network"]),
            esc(m["role"] + (f": {m['titles']}" if m["titles"] else "")),
            esc(m["years"] or "–"),
            esc(m["certainty"]),
            "<br>".join(_source(u) for u in m["sources"][:3])
            + (f" (+{len(m['sources']) - 3})" if len(m["sources"]) > 3 else ""),
        ]
        for m in city["memberships"]
    ]
    memberships = (
        _table(["network", "role", "since – until", "how sure", "sources"], rows, set())
        if rows
        else f"<p>No membership in {esc(city['year'])} in the data.</p>"
    )
    ended_rows = [
        [link(e["href"], e["network"]), esc(e["role"]), esc(e["dates"]), esc(e["why"])]
        for e in city.get("ended", [])
    ]
    ended = (
        "<h2>Ended memberships and seats</h2>\n"
        + _table(["network", "role", "dates", "why and when it ended"], ended_rows, set())
        if ended_rows
        else ""
    )
    load = city["load"]
    if load:
        flag = (
            f' <span class="flag">Flagged: {esc(load["flag_reason"])}</span>'
            if load["flag"]
            else ""
        )
        load_part = (
            f"<p>Load {number(load['load'])} in {esc(load['memberships'])} memberships "
            f"({esc(load['executive_seats'])} seats): the {esc(ordinal(load['percentile']))} "
            f"percentile among {esc(load['peers'])} comparable cities ({esc(load['peer_group'])}; "
            f"their median {number(load['peer_median'])}).{flag}</p>"
            + strip_chart(
                load["peer_loads"], load["load"], label="load of the peers and of the city"
            )
        )
    else:
        load_part = "<p>No load: the city has no membership this year.</p>"
    verdict_rows = [
        [
            link(v["href"], v["network"]),
            f'<span class="{_VERDICT_CLASS.get(v["verdict"], "")}">{esc(v["verdict"])}</span>'
            + ("" if v["certain"] else ' <span class="muted">(inferred)</span>'),
            esc(v["reason"]),
        ]
        for v in city["verdicts"]
    ]
    facts = " · ".join(esc(f) for f in city["facts"] if f)
    body = f"""{_nav(1)}
<h1>{esc(city["name"])}</h1>
<p class="lead">{facts}</p>
<p class="muted">{esc(city["time_note"])}</p>
<h2>Memberships and seats in {esc(city["year"])}</h2>
{memberships}
{ended}
<h2>Load against comparable cities</h2>
{load_part}
<h2>The city among its networks</h2>
{city["ego"]}
<p>{link(f"../map.html#city={city['id']}", "On the world map")} ·
{link(f"../network-map.html#city={city['id']}", "on the network map")}</p>
<h2>Should it join? Every network, checked against its rules</h2>
<p class="muted">Computed when this site was built, from the network rules and the memberships
in the data ({esc(city["year"])}); member lists are often incomplete, so partner counts are
lower bounds. Details: <code>citynet check {esc(city["id"])} NETWORK</code>.</p>
{_table(["network", "verdict", "why"], verdict_rows, set())}
<p class="muted">{esc(city["credit"])}</p>"""
    return _page(f"{city['name']}: city networks", body, style=STYLE)


def network_page(network: dict[str, Any]) -> str:
    """Return a network's page: facts, rules with sources, membership over time, map, members."""
    rules = "".join(
        f"<li><b>{esc(r['attribute'].replace('_', ' '))}</b>: {esc(r['value'])}"
        + (f" ({esc(r['year'])})" if r["year"] else "")
        + (f"<blockquote>{esc(r['quote'])}</blockquote>" if r["quote"] else "")
        + (f'<div class="muted">{esc(r["notes"])}</div>' if r["notes"] else "")
        + f"<div>{_source(r['source_url'], r['source_title'])}</div></li>"
        for r in network["rules"]
    )
    members = _table(
        ["city", "country", "role", "since – until", "how sure"],
        [
            [
                link(m["href"], m["name"]),
                esc(m["country"]),
                esc(m["role"]),
                esc(m["years"] or "–"),
                esc(m["certainty"]),
            ]
            for m in network["members"]
        ],
        set(),
    )
    facts = " · ".join(esc(f) for f in network["facts"] if f)
    themes = ", ".join(theme_label(t) for t in network["themes"]) or "none recorded"
    body = f"""{_nav(1)}
<h1>{esc(network["name"])}</h1>
<p class="lead">{facts}</p>
<p>Themes: {esc(themes)}. {_source(network["website"], "Website") if network["website"] else ""}</p>
<p class="muted">{esc(network["time_note"])}</p>
<h2>Members in {esc(network["year"])}: {len(network["members"]):,} in the data</h2>
<p>{esc(network["coverage_note"])}</p>
{network["map"]}
<p>{link(f"../network-map.html#network={network['id']}", "Open it on the network map")} ·
{link(f"../map.html#network={network['id']}", "on the world map")}</p>
<h2>Membership over time</h2>
{network["bars"]}
<p class="muted">{esc(network["bars_note"])}</p>
<h2>Rules and obligations</h2>
{f"<ul>{rules}</ul>" if rules else "<p>No rule of this network is in the fact base.</p>"}
<h2>The members</h2>
{members}
<p class="muted">{esc(network["credit"])}</p>"""
    return _page(f"{network['name']}: network", body, style=STYLE)
