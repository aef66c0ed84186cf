"""Subcommands for city staff: check, leave, suggest, overcommitment, brief, networks, more."""

from __future__ import annotations

import argparse
from dataclasses import asdict

import pandas as pd

from citynet._errors import CitynetError
from citynet.analysis.capacity import capacity_facts
from citynet.analysis.commitment import overcommitment as overcommitment_table
from citynet.analysis.load import commitment_breakdown, obligations_summary
from citynet.analysis.timeline import membership_history
from citynet.cli.common import (
    EXIT_OK,
    landscape,
    load_model,
    print_json,
    print_table,
    resolve_pair,
    say,
)
from citynet.lookup import resolve_city, resolve_network
from citynet.render.commitment import city_text, overcommitment_text
from citynet.render.text import paragraph, table
from citynet.render.words import theme_label
from citynet.schema import THEMES

__all__ = [
    "brief",
    "check",
    "leave",
    "networks",
    "overcommitment",
    "report",
    "suggest",
    "themes",
]


def check(args: argparse.Namespace) -> int:
    """``citynet check CITY NETWORK [NETWORK ...]``."""
    from citynet.analysis.join import compare, join_check
    from citynet.render.join import compare_text, join_text

    land = landscape(args)
    model = load_model(args)
    city, first = resolve_pair(land, args.city, args.networks[0])
    names = [first, *(resolve_network(land, n) for n in args.networks[1:])]
    if len(names) == 1:
        report = join_check(land, city, first, model=model, peers=args.peers)
        if args.format == "json":
            print(report.to_json())
        elif args.format == "csv":
            print_table(pd.DataFrame([_flat(report.to_dict())]).set_index("city"), "csv")
        else:
            say(land, join_text(report))
        return EXIT_OK
    reports = compare(land, city, names, model=model, peers=args.peers)
    if args.format == "json":
        print_json([r.to_dict() for r in reports])
    elif args.format == "csv":
        print_table(pd.DataFrame([_flat(r.to_dict()) for r in reports]).set_index("network"), "csv")
    else:
        city_names = {k: v for r in reports for k, v in r.names.items()}
        say(land, compare_text(reports, names=city_names))
    return EXIT_OK


def _flat(data: dict[str, object]) -> dict[str, object]:
    """One CSV row: lists joined by ';', facts and mappings by their value or as text."""
    out: dict[str, object] = {}
    for key, value in data.items():
        if key in ("names", "history", "rule_facts", "peer_reasons"):
            continue
        if isinstance(value, list):
            out[key] = ";".join(str(v["value"]) if isinstance(v, dict) else str(v) for v in value)
        elif isinstance(value, dict):
            out[key] = value.get("value") if "value" in value else str(value)
        else:
            out[key] = value
    return out


def leave(args: argparse.Namespace) -> int:
    """``citynet leave CITY NETWORK``."""
    from citynet.analysis.join import leave_check
    from citynet.render.join import leave_text

    land = landscape(args)
    city, network = resolve_pair(land, args.city, args.network)
    report = leave_check(land, city, network, model=load_model(args), peers=args.peers)
    if args.format == "json":
        print_json(report.to_dict())
    else:
        names = {str(k): str(v) for k, v in land.cities["name"].items()}
        say(land, leave_text(report, names=names))
    return EXIT_OK


def suggest(args: argparse.Namespace) -> int:
    """``citynet suggest CITY``."""
    from citynet.analysis.join import leave_candidates
    from citynet.analysis.join import suggest as suggest_table
    from citynet.render.join import suggest_text

    land = landscape(args)
    model = load_model(args)
    chosen = None
    if args.themes is not None:
        chosen = [t.strip() for t in args.themes.split(",") if t.strip()]
        if not chosen:
            raise CitynetError(
                "--themes is empty; name themes such as climate_change (citynet themes)"
            )
    city = resolve_city(land, args.city)
    table_ = suggest_table(
        land, city, themes=chosen, max_added_load=args.max_load, k=args.k, model=model
    )
    leaving = leave_candidates(land, city, model=model)
    if args.format == "json":
        print_json(
            {
                "city": city,
                "year": land.year,
                "suggestions": table_.reset_index().to_dict("records"),
                "left_out": table_.attrs.get("left_out", {}),
                "leave_candidates": leaving.reset_index().to_dict("records"),
            }
        )
        return EXIT_OK
    if args.format == "csv":
        print_table(table_, "csv")
        return EXIT_OK
    print()
    print(
        suggest_text(str(land.cities.at[city, "name"]), table_, leaving, year=int(land.year or 0))
    )
    return EXIT_OK


def overcommitment(args: argparse.Namespace) -> int:
    """``citynet overcommitment [--city CITY]``."""
    land = landscape(args)
    model = load_model(args)
    table_ = overcommitment_table(
        land,
        peers=args.peers,
        model=model,
        threshold=args.threshold,
        min_peers=args.min_peers,
        load_floor=args.load_floor,
    )
    if not args.city:
        if args.format == "text":
            say(land, overcommitment_text(table_, top=args.top))
        else:
            print_table(table_, args.format)
        return EXIT_OK
    city = resolve_city(land, args.city)
    if city not in table_.index:
        raise CitynetError(
            f"{land.cities['name'][city]!s} has no membership in {land.year} in this landscape "
            "(citynet timeline --city shows its history)"
        )
    breakdown = commitment_breakdown(land, city, model=model)
    history = membership_history(land, city)
    if args.format != "text":
        if args.format == "json":
            print_json(
                {
                    "city": {"city_id": city, **table_.loc[city].to_dict()},
                    "rule": table_.attrs.get("rule"),
                    "memberships": breakdown.reset_index().to_dict("records"),
                    "history": history.to_dict("records"),
                    "obligations": asdict(obligations_summary(land, city)),
                    "capacity_facts": capacity_facts(land, city).to_dict("records"),
                }
            )
        else:
            print_table(breakdown, "csv")
        return EXIT_OK
    say(
        land,
        city_text(
            table_.loc[city],
            breakdown,
            history,
            obligations_summary(land, city),
            capacity_facts(land, city),
            rule=table_.attrs.get("rule", {}),
        ),
    )
    return EXIT_OK


def brief(args: argparse.Namespace) -> int:
    """``citynet brief CITY -o FILE``."""
    from citynet.export.brief import write_brief

    land = landscape(args)
    out = write_brief(land, args.city, args.output, model=load_model(args), peers=args.peers)
    print(f"wrote {out} (one page to print; open it in a browser)")
    return EXIT_OK


def networks(args: argparse.Namespace) -> int:
    """``citynet networks [--scope S] [--theme T]``."""
    land = landscape(args)
    frame = land.networks
    if args.scope:
        frame = frame[frame["scope"] == args.scope]
    if args.theme:
        if args.theme not in THEMES:
            raise CitynetError(f"unknown theme {args.theme!r}; citynet themes lists them")
        frame = frame[[args.theme in land.network_themes[str(n)] for n in frame.index]]
    if frame.empty:
        raise CitynetError("no network matches these filters")
    members = land.edges["network_id"].value_counts()
    alive = land.alive
    rows = pd.DataFrame(
        {
            "name": frame["name"].astype(str),
            "acronym": frame["acronym"].astype(object),
            "scope": frame["scope"].astype(str),
            "status": ["active" if alive[n] else str(frame.at[n, "status"]) for n in frame.index],
            "members_in_data": [int(members.get(n, 0)) for n in frame.index],
            "coverage": frame["coverage"].astype(object),
            "aliases": ["; ".join(land.rules[str(n)].aliases) for n in frame.index],
        },
        index=frame.index,
    ).sort_values(["scope", "name"])
    if args.format != "text":
        print_table(rows, args.format)
        return EXIT_OK
    body = [
        [
            n,
            r["acronym"] if not pd.isna(r["acronym"]) else "",
            r["name"],
            r["scope"],
            r["status"],
            r["members_in_data"],
        ]
        for n, r in rows.iterrows()
    ]
    intro = paragraph(
        f"{len(rows)} networks; type the id, the acronym, the name or an alias "
        "(--format csv lists the aliases)"
    )
    say(land, intro + "\n" + table(body, ["id", "acronym", "name", "scope", "status", "members"]))
    return EXIT_OK


def themes(args: argparse.Namespace) -> int:
    """``citynet themes``."""
    land = landscape(args)
    counts = {t: sum(t in s for s in land.network_themes.values()) for t in THEMES}
    rows = pd.DataFrame(
        {"label": [theme_label(t) for t in THEMES], "networks": [counts[t] for t in THEMES]},
        index=pd.Index(THEMES, name="theme"),
    )
    if args.format != "text":
        print_table(rows, args.format)
        return EXIT_OK
    print(
        "Themes of the 2017 city-diplomacy questionnaire; type the id "
        "(e.g. --themes climate_change)"
    )
    print(
        table([[t, r.label, r.networks] for t, r in rows.iterrows()], ["id", "theme", "networks"])
    )
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    """``citynet report``."""
    from citynet.render.report import report_text
    from citynet.summary import landscape_report

    land = landscape(args)
    data = landscape_report(land, group=args.group, model=load_model(args))
    if args.format == "json":
        print_json(data)
        return EXIT_OK
    say(land, report_text(data))
    return EXIT_OK
