"""Words for over-commitment: the landscape table, one city in full, the flag rule."""

from __future__ import annotations

from typing import Any

import pandas as pd

from citynet.analysis.capacity import CAPACITY_MAX
from citynet.render.text import field, paragraph, table
from citynet.render.words import number, ordinal, plural, safe, unknown

__all__ = [
    "DOCUMENTATION_CAVEAT",
    "ENDED_STATES",
    "city_text",
    "end_phrase",
    "ended_history",
    "fact_dates",
    "flag_rule_text",
    "overcommitment_text",
]

ENDED_STATES = (
    "seat ended",
    "ended",
    "not current",
    "network closed",
    "network merged",
    "network suspended",
    "lapsed (beyond the horizon)",
    "suspended",
)
"""States of :func:`~citynet.membership_history` that the city view lists as ended."""


def _year(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def fact_dates(h: Any) -> str:
    """Return a fact's dates in words: ``2009-2011``, ``since 2014``, ``seen 2010``, or undated.

    Examples
    --------
    >>> fact_dates({"since": 2009, "until": 2011, "as_of": None})
    '2009-2011'
    >>> fact_dates({"since": 2014, "until": None, "as_of": 2016})
    'since 2014, seen 2016'
    >>> fact_dates({"since": None, "until": None, "as_of": None})
    'undated'
    """
    since, until, as_of = _year(h["since"]), _year(h["until"]), _year(h["as_of"])
    if until is not None:
        return f"{since if since is not None else '?'}-{until}"
    parts = [f"since {since}" if since is not None else "", f"seen {as_of}" if as_of else ""]
    if as_of is not None and as_of == since:
        parts = [f"since {since}"]
    return ", ".join(p for p in parts if p) or "undated"


def end_phrase(h: Any) -> str:
    """Return why and when a fact stopped holding, from its ``end_reason`` and ``ended_in``.

    Examples
    --------
    >>> end_phrase({"end_reason": "seat term", "ended_in": 2017, "since": 2010, "until": None,
    ...             "as_of": 2014, "role": "executive", "status": "seat ended"})
    'seat ended (one term after 2014, presumed to 2017)'
    >>> end_phrase({"end_reason": "complete list", "ended_in": 2026, "since": 2012,
    ...             "until": None, "as_of": 2012, "role": "member", "status": "not current"})
    'not on the complete list of 2026'
    """
    reason, year = h["end_reason"], _year(h["ended_in"])
    reason = None if reason is None or pd.isna(reason) else str(reason)
    seen = [v for v in (_year(h["since"]), _year(h["until"]), _year(h["as_of"])) if v is not None]
    last = max(seen) if seen else None
    seat = h["role"] == "executive"
    if reason == "until":
        return f"{'seat ended' if seat else 'ended'} in {year}"
    if reason == "seat term":
        if last is None or year is None:
            return "seat ended (one term after an undated observation)"
        return f"seat ended (one term after {last}, presumed to {year})"
    if reason == "network closed":
        what = str(h["status"]).removeprefix("network ")
        return f"network {what} in {year}" if year else f"network {what} (year not known)"
    if reason == "complete list":
        return f"not on the complete list of {year}"
    if reason == "horizon":
        return (
            f"lapsed: last seen {last}, no new observation within {year - last} years"
            if last is not None and year is not None
            else "lapsed: no new observation"
        )
    if reason == "suspended":
        return f"suspended by the network in {year}" if year else "suspended by the network"
    return str(h["status"])


def ended_history(history: pd.DataFrame) -> pd.DataFrame:
    """Return the facts of a city's history that no longer hold, one line each.

    A suspended-status fact is shown once per network (it is the suspension itself).

    Examples
    --------
    >>> import citynet
    >>> h = citynet.membership_history(citynet.load(), "Venice")
    >>> [end_phrase(r) for _, r in ended_history(h).iterrows()]
    ['not on the complete list of 2026']
    """
    ended = history[history["status"].isin(ENDED_STATES)]
    return ended[ended["role"] != "suspended"]


DOCUMENTATION_CAVEAT = (
    "Loads count the memberships documented here; member lists are incomplete, so a "
    "well-documented city looks busier than an equally committed, thinly documented one. "
    "Compare like with like (the peers are chosen for that) and read a flag as a prompt to "
    "check, not a finding."
)


def _rows(frame: pd.DataFrame) -> list[Any]:
    """Rows as named tuples whose fields are loosely typed (for formatting only)."""
    return list(frame.itertuples())


def flag_rule_text(rule: dict[str, Any]) -> str:
    """Say the flag rule in a sentence."""
    return (
        f"flagged when the load is at or above the {ordinal(rule['threshold'])} percentile "
        f"(mid-rank) of at least {rule['min_peers']} comparable peers, at least "
        f"{number(rule['excess'])} times their median and at least {number(rule['load_floor'])} "
        "(four international memberships' worth), or when load per unit of documented capacity "
        "is as high among peers with a documented capacity"
    )


def overcommitment_text(table_: pd.DataFrame, *, top: int) -> str:
    """Return the over-commitment table as text.

    Examples
    --------
    >>> import citynet
    >>> text = overcommitment_text(citynet.overcommitment(citynet.load()), top=5)
    >>> "flagged" in text.splitlines()[0]
    True
    """
    rule = table_.attrs.get("rule", {})
    flagged = int(table_["flag"].sum())
    head = paragraph(
        f"Commitment load of {len(table_):,} cities in {rule.get('year')}: "
        f"{plural(flagged, 'city', 'cities')} flagged ({flagged / max(len(table_), 1):.1%}); "
        f"peers: {rule.get('peers', 'comparable')}. One international membership = 1; "
        "docs/load-model.md."
    )
    rows = [
        [
            r.name,
            r.memberships,
            r.executive_seats,
            r.load,
            r.peer_group,
            ordinal(r.percentile),
            None if pd.isna(r.capacity) else r.capacity,
            "yes" if r.flag else "",
        ]
        for r in _rows(table_.head(top))
    ]
    body = table(
        rows,
        ["city", "networks", "seats", "load", "peers", "percentile", "capacity", "flag"],
        align=["left", "right", "right", "right", "left", "right", "right", "left"],
        digits=1,
    )
    lines = [head, "", body]
    if len(table_) > top:
        lines.append(f"... and {len(table_) - top:,} more cities (--top N, or --format csv)")
    lines += [
        "",
        paragraph(f"Rule: {flag_rule_text(rule)}."),
        paragraph(f"Caveat: {DOCUMENTATION_CAVEAT}"),
    ]
    return "\n".join(lines)


def city_text(
    row: Any,
    breakdown: pd.DataFrame,
    history: pd.DataFrame,
    obligations: Any,
    capacity: pd.DataFrame,
    *,
    rule: dict[str, Any],
) -> str:
    """Return one city's load in full: memberships with dates and sources, duties, capacity."""
    name = safe(row["name"])
    lines = [
        paragraph(
            f"{name}: load {number(row['load'])} from "
            f"{plural(int(row['memberships']), 'membership')} "
            f"({plural(int(row['executive_seats']), 'executive seat')}) in {rule.get('year')}; "
            f"{ordinal(row['percentile'])} percentile (mid-rank) of {row['peers']} comparable "
            f"cities ({row['peer_group']}, median load {number(row['peer_median'])})."
        ),
        paragraph(
            "Flagged: "
            + (str(row["flag_reason"]) + "." if row["flag"] else f"no ({flag_rule_text(rule)}).")
        ),
        "",
        "Memberships",
    ]
    rows = []
    for _, b in breakdown.iterrows():
        role = "seat" if b["role"] == "executive" else "member"
        since = "" if pd.isna(b["since"]) else f"since {b['since']}"
        seen = "" if pd.isna(b["observed"]) else f"seen {b['observed']}"
        rows.append(
            [
                b["network"],
                role,
                b["scope"],
                ", ".join(x for x in (since, seen) if x) or "undated",
                str(b["certainty"]),
                b["load"],
            ]
        )
    lines.append(
        table(
            rows,
            ["network", "role", "scope", "dates", "certainty", "load"],
            align=["left", "left", "left", "left", "left", "right"],
        )
    )
    seats = breakdown[breakdown["role"] == "executive"]
    if len(seats):
        lines += ["", "Seats held"]
        for _, b in seats.iterrows():
            lines.append(field(str(b["network"])[:17], unknown(b["role_titles"], missing="seat")))
    ended = ended_history(history)
    if len(ended):
        lines += ["", "Ended (why and when)"]
        for _, h in ended.iterrows():
            title = "" if pd.isna(h["role_title"]) else f" ({h['role_title']})"
            lines.append(
                paragraph(
                    f"  {h['network']}: {h['role']}{title}, {fact_dates(h)}: {end_phrase(h)}",
                    indent="    ",
                )
            )
    lines += ["", "What the memberships ask (from the network rules)"]
    o = obligations
    lines.append(
        field(
            "Scopes",
            ", ".join(f"{v} {k}" for k, v in sorted(o.by_scope.items())) or "none",
        )
    )
    lines.append(
        field(
            "Assemblies",
            f"about {number(o.assemblies_per_year, 1)} a year"
            + (
                f", and {o.assemblies_unknown} networks not stating a cadence"
                if o.assemblies_unknown
                else ""
            ),
        )
    )
    lines.append(
        field(
            "Fees",
            f"{len(o.fees_stated)} stated, {len(o.fees_free)} free, "
            f"{len(o.fees_unknown)} not stated",
        )
    )
    for network_id, fact in o.fees_stated.items():
        lines.append(field(f"  {network_id}", fact.value, label_width=15, indent="  "))
    lines.append(
        field("Reporting", ", ".join(o.reporting) if o.reporting else "no reporting duty stated")
    )
    lines += ["", "Capacity"]
    if pd.isna(row["capacity"]):
        lines.append("  No capacity facts recorded.")
    else:
        lines.append(
            paragraph(
                f"  {number(row['capacity'])} of {number(CAPACITY_MAX)} possible points, from "
                f"{row['capacity_facts']} facts (docs/load-model.md); check them at their sources:",
                indent="  ",
            )
        )
        for fact in _rows(capacity):
            when = "undated" if pd.isna(fact.year) else str(fact.year)
            lines.append(
                paragraph(
                    f"  - {fact.attribute}: {fact.value} ({when}) {fact.source_url}", indent="    "
                )
            )
    return "\n".join(lines)
