"""Words for ``citynet report``: the landscape, a group's engagement, the busiest networks."""

from __future__ import annotations

from typing import Any

from citynet.render.commitment import DOCUMENTATION_CAVEAT, flag_rule_text
from citynet.render.text import paragraph, table
from citynet.render.words import ordinal, themes_text

__all__ = ["report_text"]

SURVEY_NOTE = (
    "The 2018 survey found a majority of cities in international networks and more than half in "
    "an executive role; these are public facts, not the survey's (anonymous) answers."
)


def report_text(report: dict[str, Any]) -> str:
    """Return the report as text (100 columns).

    Examples
    --------
    >>> import citynet
    >>> text = report_text(citynet.landscape_report(citynet.load()))
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    info, found = report["summary"], report["findings"]
    coverage = info["networks_by_coverage"]
    n = found["cities"]
    lines = [
        paragraph(
            f"citynet report, {info['year']}: {info['cities']:,} cities, {info['networks']:,} "
            f"networks ({info['networks_alive']} existing), {info['memberships']:,} memberships "
            f"from {info['facts']:,} sourced facts."
        ),
        paragraph(
            f"Member lists: {coverage.get('full', 0)} full, {coverage.get('partial', 0)} partial, "
            f"{coverage.get('leadership', 0)} leadership only: absence from a partial list is "
            "not evidence of non-membership (from a complete list it is, at its date)."
        ),
        "",
        paragraph(f"Cities: {report['basis']}."),
    ]
    if n:
        lines += [
            f"  in an international network:  {found['in_international']:>6,} of {n:,}",
            f"  in a regional network:        {found['in_regional']:>6,} of {n:,}",
            f"  in a national network:        {found['in_national']:>6,} of {n:,}",
            f"  in all three scopes:          {found['in_all_three_scopes']:>6,} of {n:,}",
            f"  holding an executive seat:    {found['with_executive_seat']:>6,} of {n:,}",
            f"  flagged as over-committed:    {found['flagged']:>6,} of {n:,}",
        ]
        if report["group"] == "toward-city-diplomacy-2018":
            lines.append(paragraph(f"  ({SURVEY_NOTE})", indent="   "))
        rows = [
            [
                r["name"],
                r["international"],
                r["regional"],
                r["national"],
                r["executive_seats"],
                r["load"],
                ordinal(r["percentile"]) if r["percentile"] == r["percentile"] else "-",
                r["capacity"],
                "yes" if r["flag"] else "",
            ]
            for r in report["engagement"]
        ]
        lines += [
            "",
            table(
                rows,
                [
                    "city",
                    "intl",
                    "regional",
                    "national",
                    "seats",
                    "load",
                    "percentile",
                    "capacity",
                    "flag",
                ],
                digits=1,
            ),
        ]
        if report["group"] is None and n > len(rows):
            lines.append(
                f"  ... the {len(rows)} heaviest of {n:,} (citynet overcommitment for all)"
            )
        lines += [
            "",
            paragraph(f"Load: one international membership = 1; {flag_rule_text(report['rule'])}."),
            paragraph(f"Caveat: {DOCUMENTATION_CAVEAT}"),
        ]
    nets = [
        [r["name"], r["scope"], r["coverage"], r["cities"], r["executive"]]
        for r in report["networks"]
    ]
    lines += [
        "",
        "Networks with most cities in the data:",
        table(nets, ["network", "scope", "list", "cities", "seats"]),
    ]
    stability = (
        "not measured"
        if report["module_stability"] is None
        else f"{report['module_stability']:.2f}"
    )
    lines += [
        "",
        paragraph(
            "Modules of cities and networks (Barber's bipartite modularity "
            f"{report['modularity']:.2f} "
            f"by LPAwb+; stability, the mean ARI of {report['module_runs'] - 1} other runs, "
            f"{stability}; citynet modules for more):"
        ),
    ]
    rows = [
        [r["module"], r["name"], r["networks"], r["cities"], r["region"],
         themes_text(r["themes"].split(";")) if r["themes"] else ""]
        for r in report["modules"][:10]
    ]  # fmt: skip
    lines.append(
        table(rows, ["module", "largest networks", "networks", "cities", "region", "themes"])
    )
    if len(report["modules"]) > 10:
        lines.append(f"  ... and {len(report['modules']) - 10} more modules")
    for note in report["module_notes"]:
        lines.append(paragraph(f"  Note: {note}", indent="    "))
    counts = report["roles"]["cities"]
    broker = report["brokerage"]
    lines += [
        "",
        paragraph(
            "Roles of cities (Guimerà-Amaral c/z, citynet roles for more): "
            + ", ".join(f"{v:,} {k}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
            + f". Brokerage of the {broker['cities_with_seats']} cities holding a seat takes "
            f"{broker['distinct_values']} distinct values (median {broker['median']:.2f}; "
            f"{broker['share_zero']:.0%} keep everything in one module)."
        ),
    ]
    central = [
        [r["name"], r["executive_seats"], r["pagerank"], r["brokerage"], r["role"]]
        for r in report["central_cities"]
    ]
    lines += [
        "",
        "Cities central through executive seats (PageRank on the hyperbolic projection;",
        "citynet centrality for more):",
        table(central, ["city", "seats", "pagerank", "brokerage", "role"], digits=4),
    ]
    return "\n".join(lines)
