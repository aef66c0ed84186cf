"""Words for over-commitment: the landscape table, one city in full, the flag rule."""

from __future__ import annotations

from typing import Any

import pandas as pd

from citynet.analysis.capacity import CAPACITY_MAX
from citynet.render.text import field, paragraph, table
from citynet.render.words import number, ordinal, plural, safe, unknown

__all__ = ["DOCUMENTATION_CAVEAT", "city_text", "flag_rule_text", "overcommitment_text"]

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
    ended = history[
        history["status"].isin(["seat ended", "ended", "network closed", "network suspended"])
    ]
    if len(ended):
        lines += ["", "Ended"]
        for _, h in ended.iterrows():
            span = (
                f"{h['since'] if not pd.isna(h['since']) else '?'}-{h['until']}"
                if not pd.isna(h["until"])
                else ("seen " + str(h["as_of"]) if not pd.isna(h["as_of"]) else "undated")
            )
            title = "" if pd.isna(h["role_title"]) else f" ({h['role_title']})"
            lines.append(
                paragraph(
                    f"  {h['network']}: {h['role']}{title}, {span}: {h['status']}", indent="    "
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
