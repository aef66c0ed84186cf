"""A one-page brief on a city's network engagement, for its mayor: HTML to print (A4 or Letter).

:func:`brief_html` puts on one page what the international office needs before a decision:
the city's memberships and seats with their dates and sources, its load against comparable
peers (a small chart), the best candidates to join with their verdicts, the memberships least
worth keeping, and the caveats. The page is self-contained (no remote loads, no script), every
name is escaped, and its style is allowed by hash under a Content-Security-Policy that forbids
everything else.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from citynet.analysis.commitment import overcommitment
from citynet.analysis.join import leave_candidates, leave_check, suggest
from citynet.analysis.load import LoadModel, commitment_breakdown, obligations_summary
from citynet.analysis.timeline import membership_history
from citynet.io import atomic_write
from citynet.landscape import Landscape
from citynet.lookup import resolve_city
from citynet.render.commitment import DOCUMENTATION_CAVEAT, end_phrase, ended_history, fact_dates
from citynet.render.html import esc, page, strip_chart
from citynet.render.words import number, ordinal, plural, themes_text

__all__ = ["brief_html", "write_brief"]

STYLE = """
@page { size: A4; margin: 13mm 14mm; }
@media print { body { margin: 0; } }
body { font: 9.6pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1d1d1d; max-width: 182mm; margin: 12px auto; }
h1 { font-size: 15pt; margin: 0 0 2px 0; }
h2 { font-size: 10.5pt; margin: 10px 0 3px 0; border-bottom: 1px solid #bbb; padding-bottom: 1px; }
p { margin: 3px 0; }
.lead { font-size: 10.5pt; }
.muted { color: #555; font-size: 8.4pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.6pt; }
th, td { text-align: left; vertical-align: top; padding: 1.5px 4px;
  border-bottom: 1px solid #e3e3e3; }
th { font-weight: 600; color: #333; }
td.num { text-align: right; white-space: nowrap; }
.verdict { font-weight: 600; }
.flag { color: #b03a2e; font-weight: 600; }
ol.sources { font-size: 7.6pt; color: #444; margin: 2px 0 0 0; padding-left: 16px; columns: 2; }
ol.sources li { break-inside: avoid; overflow-wrap: anywhere; }
.chart { margin: 2px 0 0 0; }
"""


def _short(text: object, limit: int = 70) -> str:
    value = "" if text is None or pd.isna(text) else str(text)  # type: ignore[call-overload]
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _split(themes: object) -> list[str]:
    return str(themes).split(";") if isinstance(themes, str) and themes else []


def brief_html(
    land: Landscape,
    city: str,
    *,
    model: LoadModel | None = None,
    peers: str | Sequence[str] = "comparable",
    year: int | None = None,
) -> str:
    """Return the brief of one city as a self-contained HTML page.

    Examples
    --------
    >>> import citynet
    >>> page = brief_html(citynet.load(), "Santiago")
    >>> "<script" in page, "default-src 'none'" in page
    (False, True)
    """
    snapshot = land.current(year)
    city_id = resolve_city(snapshot, city)
    cities = snapshot.cities
    name = str(cities.at[city_id, "name"])
    table = overcommitment(snapshot, peers=peers, model=model)
    sources: list[str] = []

    def cite(url: object) -> str:
        if url is None or pd.isna(url):  # type: ignore[call-overload]
            return ""
        text = str(url)
        if text not in sources:
            sources.append(text)
        return f"<sup>{sources.index(text) + 1}</sup>"

    year_ = snapshot.year
    parts = [f"<h1>{esc(name)}: international networks, {year_}</h1>"]
    population: Any = cities.at[city_id, "population"]
    about = f"{esc(cities.at[city_id, 'country'])}" + (
        f", population {number(population)}" if not pd.isna(population) else ""
    )
    parts.append(
        f'<p class="muted">{about}. Public, sourced facts compiled in citynet; not the city\'s '
        "own records. One international membership = 1 unit of load.</p>"
    )
    if city_id not in table.index:
        parts.append(f"<p class='lead'>No membership of {esc(name)} is recorded for {year_}.</p>")
        return page(f"{name}: brief", "\n".join(parts), style=STYLE)
    row: Any = table.loc[city_id]
    duties = obligations_summary(snapshot, city_id)
    flag = (
        f'<span class="flag">Flagged: {esc(row["flag_reason"])}.</span>'
        if row["flag"]
        else "Not flagged as over-committed."
    )
    scopes = ", ".join(f"{v} {k}" for k, v in sorted(duties.by_scope.items()))
    parts.append(
        f'<p class="lead"><b>{plural(int(row["memberships"]), "membership")}</b> ({esc(scopes)}), '
        f"<b>{plural(int(row['executive_seats']), 'board seat')}</b>; load "
        f"<b>{number(row['load'])}</b>, the {ordinal(row['percentile'])} percentile of "
        f"{row['peers']} comparable cities ({esc(row['peer_group'])}; median "
        f"{number(row['peer_median'])}). {flag}</p>"
    )
    group = table[table["peer_group"] == row["peer_group"]]
    others = group.drop(index=city_id)["load"].to_numpy(dtype=float)
    parts.append(
        '<div class="chart">'
        + strip_chart(
            list(others),
            float(row["load"]),
            label=f"Load of {name} (red) and of its {len(others)} comparable peers (grey)",
        )
        + f'<p class="muted">Load of {esc(name)} (red) against its {len(others)} comparable '
        "peers (grey dots).</p></div>"
    )

    # memberships and seats
    breakdown = commitment_breakdown(snapshot, city_id, model=model)
    rows = []
    for _, b in breakdown.iterrows():
        role = "seat: " + _short(b["role_titles"], 60) if b["role"] == "executive" else "member"
        if b["role"] == "executive" and pd.isna(b["role_titles"]):
            role = "seat"
        since = "" if pd.isna(b["since"]) else f"since {b['since']}"
        seen = "" if pd.isna(b["observed"]) else f"seen {b['observed']}"
        when = ", ".join(x for x in (since, seen) if x) or "undated source"
        rows.append(
            f"<tr><td>{esc(b['network'])}{cite(b['source_url'])}</td><td>{esc(role)}</td>"
            f"<td>{esc(when)}</td><td>{esc(b['certainty'])}</td>"
            f'<td class="num">{b["load"]:.2f}</td></tr>'
        )
    parts.append("<h2>Memberships and seats</h2>")
    parts.append(
        "<table><tr><th>network</th><th>role</th><th>dates</th><th>certainty</th>"
        f'<th class="num">load</th></tr>{"".join(rows)}</table>'
    )
    history = membership_history(snapshot, city_id)
    ended = ended_history(history)
    if len(ended):
        items = []
        for _, h in ended.head(6).iterrows():
            title = "" if pd.isna(h["role_title"]) else f" ({_short(h['role_title'], 50)})"
            items.append(
                f"{esc(h['network'])}: {esc(h['role'])}{esc(title)}, {esc(fact_dates(h))} — "
                f"{esc(end_phrase(h))}{cite(h['source_url'])}"
            )
        more = f" and {len(ended) - 6} more" if len(ended) > 6 else ""
        parts.append('<p class="muted">Ended: ' + "; ".join(items) + f"{more}.</p>")
    fees = ", ".join(esc(n) for n in duties.fees_stated) or "none"
    reporting = ", ".join(esc(n) for n in duties.reporting) or "none stated"
    parts.append(
        f'<p class="muted">What they ask: about {number(duties.assemblies_per_year)} assemblies a '
        f"year ({duties.assemblies_unknown} networks state no cadence); fees stated by {fees}, "
        f"free: {', '.join(esc(n) for n in duties.fees_free) or 'none'}, not stated: "
        f"{len(duties.fees_unknown)}; reporting duties: {reporting}.</p>"
    )

    # candidates
    suggestions = suggest(snapshot, city_id, k=3, model=model, peers=peers)
    parts.append("<h2>Networks worth considering</h2>")
    if suggestions.empty:
        parts.append("<p>None: every network here is closed to the city or already its own.</p>")
    else:
        rows = []
        for _, s in suggestions.iterrows():
            fee = _short(s["fee"], 60) or "not stated"
            rows.append(
                f"<tr><td>{esc(s['network'])}</td><td class='verdict'>{esc(s['verdict'])}</td>"
                f'<td class="num">{s["new_partners"]}</td>'
                f"<td>{esc(themes_text(_split(s['themes_added'])))}</td>"
                f"<td>{esc(fee)}</td></tr>"
            )
        parts.append(
            '<table><tr><th>network</th><th>verdict</th><th class="num">new partners</th>'
            f"<th>new themes</th><th>fee</th></tr>{''.join(rows)}</table>"
        )
    left = suggestions.attrs.get("left_out", {})
    closed = [n for n, why in left.items() if str(why).startswith("not open")]
    parts.append(
        f'<p class="muted">{len(closed)} networks are not open to {esc(name)} (closed, other '
        "countries, thresholds, invitation only); citynet check CITY NETWORK says why.</p>"
    )

    # leave candidates
    leaving = leave_candidates(snapshot, city_id, model=model)
    parts.append("<h2>Memberships least worth keeping per unit of load</h2>")
    rows = []
    for network_id in list(leaving.index[:3]):
        verdict = leave_check(snapshot, city_id, str(network_id), model=model, peers=peers)
        rows.append(
            f"<tr><td>{esc(verdict.network_name)}</td>"
            f"<td class='verdict'>{esc(verdict.verdict)}</td>"
            f"<td>{esc('; '.join(verdict.reasons))}</td></tr>"
        )
    parts.append(
        f"<table><tr><th>network</th><th>verdict</th><th>why</th></tr>{''.join(rows)}</table>"
    )

    # caveats and sources
    counts = {k: int((breakdown["certainty"] == k).sum()) for k in ("known", "presumed", "undated")}
    parts.append("<h2>Caveats</h2>")
    parts.append(
        f"<p class='muted'>{esc(DOCUMENTATION_CAVEAT)} Of these memberships, {counts['known']} "
        f"are known for {year_}, {counts['presumed']} presumed from earlier observations and "
        f"{counts['undated']} rest on undated sources (docs/time.md). Verdicts follow the "
        "networks' stated rules; where a rule is silent the data decide, and say so.</p>"
    )
    if sources:
        parts.append('<h2>Sources</h2><ol class="sources">')
        parts.append("".join(f"<li>{esc(s)}</li>" for s in sources))
        parts.append("</ol>")
    return page(f"{name}: network brief {year_}", "\n".join(parts), style=STYLE)


def write_brief(
    land: Landscape,
    city: str,
    path: str | os.PathLike[str],
    **options: object,
) -> Path:
    """Write :func:`brief_html` to ``path`` atomically (folders are created).

    Examples
    --------
    >>> import citynet, tempfile, pathlib
    >>> out = write_brief(citynet.load(), "Santiago", pathlib.Path(tempfile.mkdtemp()) / "b.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    html = brief_html(land, city, **options)  # type: ignore[arg-type]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as fh:
        fh.write(html)
    return target
