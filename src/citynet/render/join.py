"""Words for the join check, the comparison of candidates, suggestions and leaving."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from citynet.render.text import WIDTH, field, paragraph, table
from citynet.render.words import and_list, number, ordinal, plural, themes_text, unknown

__all__ = [
    "compare_text",
    "join_html",
    "join_text",
    "leave_text",
    "rule_line",
    "suggest_text",
    "verdict_line",
]

_VERDICT_WORDS = {
    "not open": "not open to {city}",
    "already a member": "already a member",
    "worth considering": "worth considering",
    "low added value": "low added value",
}


def verdict_line(report: Any) -> str:
    """Return the first line: the verdict and the fact that decides it."""
    words = _VERDICT_WORDS[report.verdict].format(city=report.city_name)
    if report.verdict == "not open" and not report.certain:
        words = "probably " + words
    return paragraph(f"Verdict: {words}. {report.reason[:1].upper()}{report.reason[1:]}")


def rule_line(fact: Mapping[str, Any], *, label: str = "Rule", quote: int = 140) -> str:
    """One rule fact as a line with its year, source and (shortened) quote."""
    when = f"{fact['year']}; " if fact.get("year") is not None else ""
    said = ""
    if fact.get("quote"):
        text = " ".join(str(fact["quote"]).split())
        said = f' "{text[:quote]}{"..." if len(text) > quote else ""}"'
    source = fact.get("source_title") or fact.get("source_url")
    return paragraph(f"  {label}: {fact['value']} ({when}{source}).{said}", indent="    ")


def _names(ids: Sequence[str], names: Mapping[str, str], limit: int = 10) -> str:
    return and_list([names.get(i, i) for i in ids], limit=limit)


def _field(label: str, text: str) -> str:
    return field(label, text)


def join_text(report: Any, *, names: Mapping[str, str] | None = None) -> str:
    """Return a join check as text for a terminal, 100 columns wide.

    Examples
    --------
    >>> import citynet
    >>> text = join_text(citynet.join_check(citynet.load(), "santiago", "iclei"))
    >>> text.splitlines()[2].startswith("Verdict: worth considering.")
    True
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    names = {**report.names, **(names or {})}
    lines = [
        paragraph(
            f"{report.city_name} and {report.network_name} ({report.network}, {report.scope}"
            + (f", {report.status}" if report.status != "active" else "")
            + f"), {report.year}"
        ),
        "",
        verdict_line(report),
    ]
    for fact in report.rule_facts:
        lines.append(rule_line(fact))
    if report.how_to_join:
        lines.append(paragraph(f"  How one gets in: {report.how_to_join}", indent="    "))
    for note in report.notes:
        lines.append(paragraph(f"  Note: {note}", indent="    "))
    if report.history:
        lines += ["", "The city's record with it"]
        for fact in report.history:
            lines.append(_history_line(fact))
    closed = report.verdict == "not open" and report.status != "active"
    through = report.membership in ("chapter", "rule")
    if not closed and not through:
        lines += ["", "What it gives today" if report.already_member else "What it brings"]
        lines += _brings(report, names)
    if not closed:
        lines += ["", "What it asks of members"]
        lines += _asks(report)
    lines += ["", "Load"]
    lines += _load(report)
    if report.caveats:
        lines += ["", "Caveats"]
        lines += [paragraph(f"  - {c[:1].upper()}{c[1:]}", indent="    ") for c in report.caveats]
    return "\n".join(lines)


def _brings(report: Any, names: Mapping[str, str]) -> list[str]:
    lines = [_field("Themes", themes_text(report.themes, none="none recorded"))]
    if not report.already_member:
        lines.append(_field("New themes", themes_text(report.themes_added)))
    covered = "; ".join(
        f"{themes_text([t])} ({and_list([names.get('network:' + n, n) for n in by])})"
        for t, by in report.themes_already_covered.items()
    )
    lines.append(_field("Already covered", covered or "none"))
    partners = "Only met here" if report.already_member else "New partners"
    lines.append(
        _field(
            partners,
            f"{len(report.new_partners):,} (of {report.members_in_data:,} members in the data)"
            + (f": {_names(report.new_partners, names)}" if report.new_partners else ""),
        )
    )
    evidence = report.partner_evidence
    if evidence and report.new_partners:
        year = report.year
        sure = [
            f"{evidence['recent']:,} observed {year - 5}-{year}" if evidence["recent"] else "",
            f"{evidence['older']:,} presumed from older observations" if evidence["older"] else "",
            f"{evidence['undated']:,} on undated sources" if evidence["undated"] else "",
        ]
        gone = [
            f"{evidence['lapsed']:,} lapsed" if evidence.get("lapsed") else "",
            f"{evidence['suspended']:,} suspended" if evidence.get("suspended") else "",
        ]
        text = ", ".join(x for x in sure if x)
        if any(gone):
            text += "; not counted: " + ", ".join(x for x in gone if x) + " members"
        lines.append(_field("How sure", text))
    lines.append(
        _field(
            "Shared partners",
            f"{len(report.shared_partners):,}"
            + (f": {_names(report.shared_partners, names)}" if report.shared_partners else ""),
        )
    )
    lines.append(
        _field(
            "Similar cities",
            f"{len(report.peers):,} of the same region or size"
            + (f": {_names(report.peers, names, 8)}" if report.peers else ""),
        )
    )
    return lines


def _asks(report: Any) -> list[str]:
    kinds: dict[str, str] = {}
    for fact in report.admission:
        detail = fact["value"] + (f" ({fact['notes']})" if fact.get("notes") else "")
        kinds.setdefault(fact["value"], detail)
    return [
        _field("Admission", "; ".join(kinds.values()) or "not stated"),
        _field("Fee", _fact_text(report.fee)),
        _field("Assemblies", _fact_text(report.assembly)),
        _field("Reporting", _fact_text(report.reporting, missing="none stated")),
        _field("Commitments", _fact_text(report.commitments, missing="none stated")),
    ]


def _load(report: Any) -> list[str]:
    if report.already_member or report.verdict == "not open":
        load = f"{number(report.load_before)} today (one international membership = 1)"
    else:
        load = (
            f"+{number(report.added_load, 2)}: {number(report.load_before)} -> "
            f"{number(report.load_after)} (one international membership = 1)"
        )
    moved = (
        f" -> {ordinal(report.percentile_after)}"
        if round(report.percentile_after) != round(report.percentile_before)
        else ""
    )
    return [
        _field("Load", load),
        _field(
            "Among peers",
            f"{ordinal(report.percentile_before)}{moved} percentile of {report.peer_count} "
            f"comparable cities ({report.peer_group}; mid-rank)",
        ),
    ]


def _fact_text(fact: Mapping[str, Any] | None, *, missing: str = "not stated") -> str:
    if not fact:
        return missing
    when = f"{fact['year']}, " if fact.get("year") is not None else ""
    source = fact.get("source_title") or fact.get("source_url")
    return f"{fact['value']} ({when}{source})"


def _history_line(fact: Mapping[str, Any]) -> str:
    role = str(fact["role"])
    title = f" ({fact['role_title']})" if fact.get("role_title") else ""
    since, until, as_of = fact.get("since"), fact.get("until"), fact.get("as_of")
    if since is not None and until is not None:
        when = f"{since}-{until}"
    elif since is not None:
        when = f"since {since}"
    elif until is not None:
        when = f"until {until}"
    elif as_of is not None:
        when = f"listed in {as_of}"
    else:
        when = "undated source"
    source = fact.get("source_title") or fact.get("source_url")
    return paragraph(f"  {when}: {role}{title}, now {fact['status']}; {source}", indent="    ")


def join_html(report: Any) -> str:
    """Return a join check as an HTML fragment (Jupyter), every value escaped."""
    esc = html.escape
    rows = [
        ("Verdict", f"{report.verdict}: {report.reason}"),
        ("New themes", themes_text(report.themes_added)),
        ("New partners", f"{len(report.new_partners)} of {report.members_in_data}"),
        ("Shared partners", str(len(report.shared_partners))),
        ("Similar cities", str(len(report.peers))),
        ("Fee", _fact_text(report.fee)),
        ("Load", f"{report.load_before:.2f} → {report.load_after:.2f}"),
        (
            "Percentile",
            f"{report.percentile_before:.0f} → {report.percentile_after:.0f} ({report.peer_group})",
        ),
    ]
    body = "".join(
        f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows
    )
    caveats = "".join(f"<li>{esc(c)}</li>" for c in report.caveats)
    return (
        f"<div><h4>{esc(report.city_name)} → {esc(report.network_name)}</h4>"
        f"<table>{body}</table>" + (f"<ul>{caveats}</ul>" if caveats else "") + "</div>"
    )


def compare_text(reports: Sequence[Any], *, names: Mapping[str, str] | None = None) -> str:
    """Return join checks of several networks side by side, one column per network.

    Examples
    --------
    >>> import citynet
    >>> reports = citynet.compare(citynet.load(), "santiago", ["iclei", "uclg", "metropolis"])
    >>> text = compare_text(reports)
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    names = dict(names or {})
    first = reports[0]
    aspects: list[tuple[str, list[str]]] = [
        ("verdict", [r.verdict + ("" if r.certain else " (probably)") for r in reports]),
        ("why", [r.reason for r in reports]),
        ("scope", [r.scope for r in reports]),
        ("new themes", [themes_text(r.themes_added) for r in reports]),
        ("new partners", [f"{len(r.new_partners):,} of {r.members_in_data:,}" for r in reports]),
        ("shared partners", [f"{len(r.shared_partners):,}" for r in reports]),
        (
            "top new partners",
            [and_list([names.get(i, i) for i in r.new_partners], limit=3) for r in reports],
        ),
        ("similar cities", [f"{len(r.peers):,}" for r in reports]),
        ("added load", [number(r.added_load, 2) for r in reports]),
        ("fee", [_fact_text(r.fee) for r in reports]),
        (
            "assemblies a year",
            [
                unknown(None if r.assemblies_per_year is None else number(r.assemblies_per_year, 2))
                for r in reports
            ],
        ),
        ("reporting", [(r.reporting or {}).get("value", "none stated") for r in reports]),
        ("member list", [f"{unknown(r.coverage)}" for r in reports]),
    ]
    rows = [[label, *values] for label, values in aspects]
    headers = ["", *[r.short_name for r in reports]]
    intro = paragraph(
        f"{first.city_name}: {len(reports)} candidate networks side by side, {first.year} "
        "(citynet check CITY NETWORK for one in full)"
    )
    return intro + "\n\n" + table(rows, headers, align=["left"] * len(headers), width=WIDTH)


def _short(text: Any, limit: int = 40) -> str:
    value = unknown(text, missing="not stated")
    return value if len(value) <= limit else value[: limit - 3].rstrip() + "..."


def suggest_text(
    city_name: str,
    suggestions: pd.DataFrame,
    leave: pd.DataFrame,
    *,
    year: int,
) -> str:
    """Return suggestions and leave candidates as text.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> text = suggest_text("Santiago", citynet.suggest(land, "santiago"),
    ...                     citynet.leave_candidates(land, "santiago"), year=2026)
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    lines = [
        paragraph(
            f"Networks {city_name} could join in {year}, best value per unit of added load first "
            "(only networks open to it; docs/load-model.md):"
        ),
        "",
    ]
    if suggestions.empty:
        lines.append("  none: every network here is closed to the city or already one of its own.")
    else:
        rows = [
            [
                r.network,
                r.verdict,
                r.new_partners,
                themes_text(str(r.themes_added).split(";") if r.themes_added else []),
                r.added_load,
                _short(r.fee),
            ]
            for r in suggestions.itertuples()
        ]
        lines.append(
            table(
                rows,
                ["network", "verdict", "new partners", "new themes", "added load", "fee"],
            )
        )
    left_out = suggestions.attrs.get("left_out", {})
    kinds: dict[str, int] = {}
    for why in left_out.values():
        kind = str(why).split(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    if kinds:
        lines += [
            "",
            paragraph(
                "Left out: "
                + ", ".join(f"{plural(v, 'network')} {k}" for k, v in sorted(kinds.items()))
                + " (--format json lists each with its reason; citynet check CITY NETWORK "
                "for one)."
            ),
        ]
    candidates = leave[leave["verdict"] == "a candidate to leave"]
    lines += [
        "",
        paragraph(
            f"Memberships of {city_name} to review ({len(candidates)} candidates to leave; "
            "least worth keeping per unit of load first; citynet leave CITY NETWORK for one):"
        ),
        "",
    ]
    rows = [
        [r.network, r.verdict, r.load, r.unique_partners, r.reasons]
        for r in leave.head(5).itertuples()
    ]
    lines.append(table(rows, ["network", "verdict", "load", "partners only here", "why"]))
    return "\n".join(lines)


def leave_text(report: Any, *, names: Mapping[str, str] | None = None) -> str:
    """Return what leaving a network would mean, as text.

    Examples
    --------
    >>> import citynet
    >>> text = leave_text(citynet.leave_check(citynet.load(), "helsinki", "eurocities"))
    >>> "Verdict: costly to leave" in text
    True
    """
    names = dict(names or {})
    lines = [
        paragraph(
            f"{report.city_name} leaving {report.network_name} ({report.network}, "
            f"{report.scope}), {report.year}"
        ),
        "",
        paragraph(f"Verdict: {report.verdict}."),
    ]
    lines += [paragraph(f"  - {r[:1].upper()}{r[1:]}.", indent="    ") for r in report.reasons]
    lines += ["", "What the city would lose"]
    lines.append(
        _field(
            "Partners",
            f"{len(report.partners_lost):,} met only there"
            + (f": {_names(report.partners_lost, names)}" if report.partners_lost else ""),
        )
    )
    lines.append(_field("Themes", themes_text(report.themes_lost)))
    lines.append(_field("Seat", "; ".join(report.seat_titles) or "none"))
    lines += ["", "What it would save"]
    lines.append(
        _field(
            "Load",
            f"{number(report.load_before)} -> {number(report.load_after)} (one international "
            "membership = 1)",
        )
    )
    lines.append(
        _field(
            "Among peers",
            f"{ordinal(report.percentile_before)} -> {ordinal(report.percentile_after)} "
            f"percentile ({report.peer_group}; mid-rank)",
        )
    )
    for fact in report.duties_ending:
        lines.append(_field(fact["attribute"].replace("_", " ").capitalize(), _fact_text(fact)))
    if report.caveats:
        lines += ["", "Caveats"]
        lines += [paragraph(f"  - {c}", indent="    ") for c in report.caveats]
    return "\n".join(lines)
