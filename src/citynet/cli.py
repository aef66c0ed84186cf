"""The ``citynet`` command: thin wrappers that parse arguments, call the API and print.

Conventions for every subcommand: ``--data DIR`` picks the landscape folder (default: the shipped
dataset); ``--format text|json|csv`` picks the output where results are printed. Bad input prints
one readable line per problem on stderr and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from citynet._errors import CitynetError, DataError
from citynet._version import __version__
from citynet.analysis.bicm import validated_projection
from citynet.analysis.centrality import centrality
from citynet.analysis.clusters import cluster_cities, cluster_networks
from citynet.analysis.commitment import (
    LoadModel,
    capacity_facts,
    commitment_breakdown,
    ordinal,
    overcommitment,
)
from citynet.analysis.join import join_check, leave_candidates, suggest
from citynet.analysis.nestedness import nestedness
from citynet.analysis.timeline import timeline
from citynet.export.formats import write_gexf, write_graphml, write_kumu
from citynet.export.html_map import write_map
from citynet.landscape import Landscape, load
from citynet.lookup import resolve_city, resolve_network
from citynet.schema import EVIDENCE, ROLES, SCOPES
from citynet.summary import SURVEY_GROUP, landscape_report, summarize

__all__ = ["main"]

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2


def _landscape(args: argparse.Namespace, *, record: bool = False, note: bool = True) -> Landscape:
    """Load ``--data`` and cut it to ``--as-of`` (default: now; ``record`` keeps the record).

    Text output starts with the line saying which year it is about (:func:`_time_note`).
    """
    land = load(args.data)
    year = getattr(args, "as_of", None)
    certainty = getattr(args, "certainty", "undated")
    if record and year is None:
        return land
    snapshot = land.current(year, certainty=certainty)
    if note and getattr(args, "format", "text") == "text":
        print(_time_note(snapshot))
    return snapshot


def _time_note(land: Landscape) -> str:
    """One line saying which year the output is about and how sure its memberships are."""
    counts = land.certainty_counts()
    parts = [f"{counts['known']:,} known", f"{counts['presumed']:,} presumed"]
    if counts["undated"]:
        parts.append(f"{counts['undated']:,} undated")
    stale = (
        f"; {counts['stale']:,} presumed from observations more than "
        f"{counts['stale_after']} years old"
        if counts["stale"]
        else ""
    )
    text = (
        f"As of {counts['year']}: {counts['memberships']:,} memberships ({', '.join(parts)}"
        f"{stale}; see docs/time.md)."
    )
    return textwrap.fill(text, width=100)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _cmd_validate(args: argparse.Namespace) -> int:
    folder = args.dir if args.dir is not None else args.data
    land = load(folder)
    where = "the shipped dataset" if folder is None else str(folder)
    print(f"{where}: valid ({land!r})")
    return EXIT_OK


def _format_breakdown(title: str, counts: dict[str, int]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [f"{title}:"] + [f"  {k:<{width}}  {v:>6,}" for k, v in counts.items()]


def _cmd_info(args: argparse.Namespace) -> int:
    info = summarize(_landscape(args, note=False))
    if args.format == "json":
        _print_json(info)
        return EXIT_OK
    counts = info["certainty"]
    lines = [
        f"Landscape: {info['cities']:,} cities, {info['networks']:,} networks, "
        f"{info['facts']:,} sourced membership facts on {info['pairs']:,} city-network pairs, "
        f"{info['capacity_facts']:,} capacity facts, {info['rule_facts']:,} rule facts",
        f"As of {info['year']}: {info['memberships']:,} memberships ({counts['known']:,} known, "
        f"{counts['presumed']:,} presumed, {counts['undated']:,} undated; docs/time.md), "
        f"{info['networks_alive']} of {info['networks']} networks existing",
        "",
    ]
    for nid, ended in info["networks_ended"].items():
        closed = f" in {ended['closed']}" if ended["closed"] else ""
        if ended["status"] == "not founded yet":
            closed = ""
        lines.append(f"  {ended['name']} ({nid}): {ended['status']}{closed}")
    if info["networks_ended"]:
        lines.append("")
    for key, title in (
        ("networks_by_scope", "Networks by scope"),
        ("networks_by_status", "Networks by status today"),
        ("memberships_by_scope", "Memberships by network scope"),
        ("memberships_by_role", "Memberships by role"),
        ("cities_by_region", "Cities by region"),
        ("facts_by_evidence", "Facts by kind of evidence"),
        ("networks_by_coverage", "Networks by coverage of their member list"),
        ("groups", "City groups"),
    ):
        lines += [*_format_breakdown(title, info[key]), ""]
    lines.append(f"Cities without coordinates: {info['cities_without_coordinates']:,}")
    print("\n".join(lines))
    return EXIT_OK


def _model(args: argparse.Namespace) -> LoadModel:
    """Build the load model from ``--weights key=value,...``."""
    spec = getattr(args, "weights", None)
    if not spec:
        return LoadModel()
    groups: dict[str, dict[str, float]] = {
        "role_weights": {},
        "scope_weights": {},
        "evidence_weights": {},
    }
    scalars: dict[str, float] = {}
    for item in spec.split(","):
        key, sep, value = item.partition("=")
        key = key.strip()
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sep or number != number:
            raise CitynetError(f"--weights: {item!r} is not KEY=NUMBER")
        if key in ROLES:
            groups["role_weights"][key] = number
        elif key in SCOPES:
            groups["scope_weights"][key] = number
        elif key in EVIDENCE:
            groups["evidence_weights"][key] = number
        elif key in ("meeting_weight", "fee_scale", "reporting_factor"):
            scalars[key] = number
        else:
            raise CitynetError(
                f"--weights: unknown key {key!r}; use one of "
                f"{', '.join((*ROLES, *SCOPES, *EVIDENCE))}, meeting_weight, fee_scale, "
                "reporting_factor"
            )
    return LoadModel().updated(**{k: v for k, v in groups.items() if v}, **scalars)


def _print_table(frame: pd.DataFrame, fmt: str, *, floats: str = "{:.2f}") -> None:
    if fmt == "json":
        _print_json(json.loads(frame.reset_index().to_json(orient="records", force_ascii=False)))
    elif fmt == "csv":
        print(frame.to_csv(), end="")
    else:
        with pd.option_context(
            "display.max_rows",
            None,
            "display.max_columns",
            None,
            "display.width",
            200,
            "display.max_colwidth",
            60,
            "display.float_format",
            floats.format,
        ):
            print(frame.to_string())


def _cmd_check(args: argparse.Namespace) -> int:
    land = _landscape(args)
    report = join_check(land, args.city, args.network, model=_model(args), peers=args.peers)
    if args.format == "json":
        print(report.to_json())
    else:
        names = {str(k): str(v) for k, v in land.cities["name"].items()}
        print(report.to_text(names=names))
    return EXIT_OK


def _cmd_suggest(args: argparse.Namespace) -> int:
    land = _landscape(args)
    themes = [t.strip() for t in args.themes.split(",")] if args.themes else None
    table = suggest(
        land, args.city, themes=themes, max_added_load=args.max_load, k=args.k, model=_model(args)
    )
    leave = leave_candidates(land, args.city, model=_model(args))
    if args.format != "text":
        _print_table(table, args.format)
        return EXIT_OK
    name = str(land.cities.at[resolve_city(land, args.city), "name"])
    print(f"Networks for {name} to consider, best value per unit of added load first:\n")
    _print_table(
        table[
            [
                "network",
                "scope",
                "new_partners",
                "themes_added",
                "peers_present",
                "added_load",
                "score",
            ]
        ],
        "text",
    )
    print(f"\nMemberships of {name} that add least (leave or step-down candidates):\n")
    _print_table(
        leave[
            ["network", "role", "load", "unique_partners", "unique_themes", "value_per_load"]
        ].head(5),
        "text",
    )
    print("\nReasons and caveats: --format json; the value model: docs/load-model.md")
    return EXIT_OK


def _cmd_overcommitment(args: argparse.Namespace) -> int:
    land = _landscape(args)
    model = _model(args)
    table = overcommitment(land, peers=args.peers, model=model, threshold=args.threshold)
    if args.city:
        city_id = resolve_city(land, args.city)
        if city_id not in table.index:
            raise CitynetError(f"{args.city!r} has no current membership in this landscape")
        if args.format != "text":
            _print_table(table.loc[[city_id]], args.format)
            return EXIT_OK
        row = table.loc[city_id]
        rank = ordinal(float(table["percentile"].astype(float)[city_id]))
        print(
            f"{row['name']}: load {row['load']:.2f} from {row['memberships']} memberships "
            f"({row['executive_seats']} executive), {rank} percentile of "
            f"{row['peers']} peers ({row['peer_group']})."
        )
        print("Flagged: " + (row["flag_reason"] if row["flag"] else "no") + "\n")
        _print_table(
            commitment_breakdown(land, city_id, model=model)[
                ["network", "role", "scope", "evidence", "load", "share"]
            ],
            "text",
        )
        facts = capacity_facts(land, city_id)
        print(
            f"\nCapacity: {row['capacity']:.2f} from {row['capacity_facts']} facts "
            "(check and correct them at their sources):"
            if row["capacity_facts"]
            else "\nCapacity: no facts recorded."
        )
        for attribute, value, year, url in zip(
            facts["attribute"], facts["value"], facts["year"], facts["source_url"], strict=True
        ):
            when = "undated" if year is pd.NA else str(year)
            print(f"  {attribute!s}: {value!s} ({when}) {url!s}")
        return EXIT_OK
    columns = [
        "name",
        "memberships",
        "executive_seats",
        "load",
        "peer_group",
        "percentile",
        "zscore",
        "capacity",
        "load_per_capacity",
        "flag",
    ]
    _print_table(table if args.format != "text" else table[columns].head(args.top), args.format)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    land = _landscape(args)
    report = landscape_report(land, group=args.group, model=_model(args))
    if args.format == "json":
        _print_json(report)
        return EXIT_OK
    info, found = report["summary"], report["findings"]
    n = found["cities"]
    print(
        f"citynet report: {info['cities']:,} cities, {info['networks']:,} networks, "
        f"{info['memberships']:,} memberships from {info['facts']:,} sourced facts"
    )
    coverage = info["networks_by_coverage"]
    print(
        f"Member lists: {coverage.get('full', 0)} full, {coverage.get('partial', 0)} partial, "
        f"{coverage.get('leadership', 0)} leadership only: absence from a list is not "
        "evidence of non-membership.\n"
    )
    if n:
        print(f"The {n} cities tagged {args.group!r} (current memberships):")
        print(f"  in an international network: {found['in_international']} of {n}")
        print(f"  in a regional network:        {found['in_regional']} of {n}")
        print(f"  in a national network:        {found['in_national']} of {n}")
        print(f"  in all three scopes:          {found['in_all_three_scopes']} of {n}")
        print(f"  holding an executive seat:    {found['with_executive_seat']} of {n}")
        if args.group == SURVEY_GROUP:
            print(
                "  (the 2018 survey: a majority of cities in international networks, more than "
                "half in an executive role;\n   public facts are not survey answers)"
            )
        print()
        table = pd.DataFrame(report["engagement"]).set_index("city_id")
        table.columns = [
            "city",
            "intl",
            "regional",
            "national",
            "exec",
            "load",
            "percentile",
            "capacity",
            "flag",
        ]
        _print_table(table, "text")
        print(
            f"\nLoad and percentile among these {n} cities; flag at the 90th percentile "
            "(docs/load-model.md). One city: citynet overcommitment --city NAME\n"
        )
    print("Networks with most cities in the data:")
    nets = pd.DataFrame(report["networks"]).set_index("network_id")
    _print_table(nets, "text")
    stability = "not measured" if report["stability"] is None else f"{report['stability']:.2f}"
    print(
        f"\nTheme clusters of networks (modularity {report['modularity']:.2f}, stability "
        f"{stability}; citynet clusters for more):"
    )
    for row in report["clusters"][:8]:
        print(f"  {row['cluster']}: {row['label']} ({row['size']} networks)")
    print("\nCities central through executive seats (citynet centrality for more):")
    central = pd.DataFrame(report["central_cities"]).set_index("city_id")
    _print_table(central, "text", floats="{:.4f}")
    return EXIT_OK


def _cmd_clusters(args: argparse.Namespace) -> int:
    land = _landscape(args)
    run = cluster_cities if args.side == "cities" else cluster_networks
    result = run(land, seed=args.seed, n_seeds=args.seeds, resolution=args.resolution)
    if args.format == "json":
        _print_json(
            {
                "side": args.side,
                "seed": result.seed,
                "modularity": result.modularity,
                "stability_ari": result.stability,
                "clusters": json.loads(
                    result.clusters.reset_index().to_json(orient="records", force_ascii=False)
                ),
                "assignments": result.assignments["cluster"].to_dict(),
            }
        )
    elif args.format == "csv":
        print(result.assignments.to_csv(), end="")
    else:
        print(
            f"{len(result.clusters)} clusters of {args.side}; modularity "
            f"{result.modularity:.3f}; stability (mean ARI over {args.seeds} other seeds) "
            f"{result.stability:.3f}\n"
        )
        table = result.clusters[["label", "size", "members"]].copy()
        table["members"] = table["members"].str.slice(0, 90)
        _print_table(table, "text")
    return EXIT_OK


def _cmd_centrality(args: argparse.Namespace) -> int:
    land = _landscape(args)
    cities, networks = centrality(
        land, executive_weight=args.executive_weight, k=args.k, seed=args.seed
    )
    table = cities if args.side == "cities" else networks
    _print_table(
        table if args.format != "text" else table.head(args.top), args.format, floats="{:.4f}"
    )
    return EXIT_OK


def _cmd_projection(args: argparse.Namespace) -> int:
    land = _landscape(args)
    table = validated_projection(land, side=args.side, alpha=args.alpha, correction=args.correction)
    shown = table if args.all else table[table["validated"]]
    if args.format != "text":
        _print_table(shown, args.format)
        return EXIT_OK
    print(
        f"{int(table['validated'].sum())} of {len(table)} {args.side[:-1]} pairs sharing "
        f"members are validated by the BiCM at alpha {args.alpha:g} ({args.correction})\n"
    )
    _print_table(shown.head(args.top), "text", floats="{:.3g}")
    return EXIT_OK


def _cmd_nestedness(args: argparse.Namespace) -> int:
    result = nestedness(_landscape(args), samples=args.samples, seed=args.seed)
    if args.format == "json":
        _print_json(result.to_dict())
    elif args.format == "csv":
        print(pd.DataFrame([result.to_dict()]).to_csv(index=False), end="")
    else:
        print(
            f"NODF {result.nodf:.2f} (cities {result.nodf_rows:.2f}, networks "
            f"{result.nodf_columns:.2f}); BiCM null over {result.samples} samples (seed "
            f"{result.seed}): mean {result.null_mean:.2f}, sd {result.null_sd:.2f}, "
            f"z {result.zscore:.2f}, p {result.pvalue:.3g}"
        )
    return EXIT_OK


def _cmd_map(args: argparse.Namespace) -> int:
    import warnings

    land = _landscape(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = write_map(
            land,
            args.output,
            layout=args.layout,
            city=args.city,
            theme=args.theme,
            scope=args.scope,
            seed=args.seed,
            size_by=args.size_by,
            physics=args.physics,
            heading=args.heading,
        )
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained; open it in a browser)")
    return EXIT_OK


def _cmd_timeline(args: argparse.Namespace) -> int:
    land = load(args.data)
    networks = [resolve_network(land, n) for n in args.network] if args.network else None
    cities = [resolve_city(land, c) for c in args.city] if args.city else None
    by = args.by or ("city" if cities and not networks else "network" if networks else "scope")
    table = timeline(
        land,
        by=by,
        start=args.start,
        end=args.end,
        certainty=args.certainty,
        networks=networks,
        cities=cities,
    )
    if args.format != "text":
        _print_table(table.set_index(["year", table.columns[1]]), args.format)
        return EXIT_OK
    if table.empty:
        raise CitynetError("no membership holds in these years for this selection")
    key = table.columns[1]
    names = (
        land.networks["name"].astype(str).to_dict()
        if key == "network_id"
        else land.cities["name"].astype(str).to_dict()
        if key == "city_id"
        else {}
    )
    first, last = int(table["year"].min()), int(table["year"].max())
    print(
        f"Memberships by year, {first}-{last}, by {by} (certainty up to {args.certainty}; "
        "docs/time.md)"
    )
    for value, rows in table.groupby(key, sort=True):
        code = str(value)
        label = names.get(code, code)
        print(f"\n{label} ({code})" if label != code else f"\n{code}")
        shown = rows.drop(columns=[key]).set_index("year")
        shown = shown[["members", "known", "presumed", "undated", "executive", "entries", "exits"]]
        _print_table(shown, "text")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    land = _landscape(args, record=True)
    if args.to == "gexf":
        written = [write_gexf(land, args.output)]
    elif args.to == "graphml":
        written = [write_graphml(land, args.output)]
    else:
        written = write_kumu(land, args.output)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _add_common(parser: argparse.ArgumentParser, *, formats: Sequence[str] | None) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="landscape folder (default: the shipped dataset)",
    )
    if formats:
        parser.add_argument(
            "--format",
            choices=list(formats),
            default=formats[0],
            help="output format (default: %(default)s)",
        )


def _add_time(parser: argparse.ArgumentParser, *, default: str = "now") -> None:
    parser.add_argument(
        "--as-of",
        type=int,
        default=None,
        metavar="YEAR",
        help=f"the year whose memberships count (default: {default}; docs/time.md)",
    )
    parser.add_argument(
        "--certainty",
        choices=["known", "presumed", "undated", "any"],
        default="undated",
        help="the weakest certainty a membership may have to count (default: %(default)s)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``citynet`` command."""
    parser = argparse.ArgumentParser(
        prog="citynet",
        description="Graph analytics of city-network membership (city diplomacy).",
    )
    parser.add_argument("--version", action="version", version=f"citynet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="check a landscape folder against the contract")
    validate.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with cities.csv, networks.csv, memberships.csv",
    )
    _add_common(validate, formats=None)
    validate.set_defaults(run=_cmd_validate)

    info = sub.add_parser("info", help="what the landscape holds (counts by scope, role, ...)")
    _add_common(info, formats=("text", "json"))
    _add_time(info)
    info.set_defaults(run=_cmd_info)

    peers_help = "peer group: all, region, population, group:TAG (default: %(default)s)"
    weights_help = (
        "load weights as KEY=NUMBER,...: member, executive, international, regional, "
        "national, listed, derived, participation, meeting_weight, fee_scale, "
        "reporting_factor (docs/load-model.md)"
    )

    report = sub.add_parser("report", help="landscape summary: the surveyed cities' engagement")
    _add_common(report, formats=("text", "json"))
    report.add_argument("--group", default=SURVEY_GROUP, help="city group tag to report on")
    report.add_argument("--weights", help=weights_help)
    _add_time(report)
    report.set_defaults(run=_cmd_report)

    check = sub.add_parser("check", help='"should we join?": what a network would add to a city')
    check.add_argument("city", help="city id or name (accents and case do not matter)")
    check.add_argument("network", help="network id, name or acronym")
    _add_common(check, formats=("text", "json"))
    check.add_argument("--peers", default="all", help=peers_help)
    check.add_argument("--weights", help=weights_help)
    _add_time(check)
    check.set_defaults(run=_cmd_check)

    sug = sub.add_parser("suggest", help="networks worth joining, and memberships adding least")
    sug.add_argument("city", help="city id or name")
    _add_common(sug, formats=("text", "json", "csv"))
    sug.add_argument("--themes", help="comma-separated themes of interest")
    sug.add_argument("--max-load", type=float, default=None, help="largest added load")
    sug.add_argument("-k", type=int, default=10, help="how many (default: %(default)s)")
    sug.add_argument("--weights", help=weights_help)
    _add_time(sug)
    sug.set_defaults(run=_cmd_suggest)

    over = sub.add_parser("overcommitment", help="commitment load against peers and capacity")
    _add_common(over, formats=("text", "json", "csv"))
    over.add_argument("--peers", default="all", help=peers_help)
    over.add_argument("--city", help="show one city with its breakdown and capacity facts")
    over.add_argument(
        "--threshold",
        type=float,
        default=90.0,
        help="flag at this percentile (default: %(default)s)",
    )
    over.add_argument("--top", type=int, default=25, help="rows in text output")
    over.add_argument("--weights", help=weights_help)
    _add_time(over)
    over.set_defaults(run=_cmd_overcommitment)

    def research(name: str, text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text)
        _add_common(cmd, formats=("text", "json", "csv"))
        _add_time(cmd)
        cmd.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
        return cmd

    clus = research("clusters", "theme clusters of networks (or cities) with Louvain")
    clus.add_argument("--side", choices=["networks", "cities"], default="networks")
    clus.add_argument("--seeds", type=int, default=20, help="seeds for the stability (ARI)")
    clus.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution")
    clus.set_defaults(run=_cmd_clusters)

    cent = research("centrality", "executive-role centrality of cities (or networks)")
    cent.add_argument("--side", choices=["cities", "networks"], default="cities")
    cent.add_argument(
        "--executive-weight",
        type=float,
        default=3.0,
        help="weight of an executive seat (a membership is 1)",
    )
    cent.add_argument("-k", type=int, default=None, help="betweenness sample size")
    cent.add_argument("--top", type=int, default=25, help="rows in text output")
    cent.set_defaults(run=_cmd_centrality)

    proj = research("projection", "co-memberships validated by the BiCM")
    proj.add_argument("--side", choices=["networks", "cities"], default="networks")
    proj.add_argument("--alpha", type=float, default=0.05, help="significance (default 0.05)")
    proj.add_argument("--correction", choices=["fdr", "bonferroni"], default="fdr")
    proj.add_argument("--all", action="store_true", help="also list pairs not validated")
    proj.add_argument("--top", type=int, default=25, help="rows in text output")
    proj.set_defaults(run=_cmd_projection)

    nest = research("nestedness", "NODF against a BiCM null model")
    nest.add_argument("--samples", type=int, default=100, help="null samples (default 100)")
    nest.set_defaults(run=_cmd_nestedness)

    mapper = sub.add_parser("map", help="write an interactive, self-contained HTML map")
    _add_common(mapper, formats=None)
    mapper.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    mapper.add_argument("--layout", choices=["force", "geo"], default="force")
    mapper.add_argument("--city", help="one city's ego network")
    mapper.add_argument("--theme", help="only networks of this theme (and their members)")
    mapper.add_argument("--scope", choices=["international", "regional", "national"])
    mapper.add_argument("--size-by", choices=["degree", "executive"], default="degree")
    mapper.add_argument("--seed", type=int, default=0, help="layout seed (default: 0)")
    mapper.add_argument("--physics", action="store_true", help="keep the layout moving")
    mapper.add_argument("--heading", default=None, help="title above the map")
    _add_time(mapper)
    mapper.set_defaults(run=_cmd_map)

    hist = sub.add_parser("timeline", help="memberships year by year: growth, entries, exits")
    _add_common(hist, formats=("text", "json", "csv"))
    hist.add_argument("--network", action="append", help="a network (repeat for several)")
    hist.add_argument("--city", action="append", help="a city (repeat for several)")
    hist.add_argument("--by", choices=["network", "city", "scope"], default=None)
    hist.add_argument("--from", dest="start", type=int, default=None, metavar="YEAR")
    hist.add_argument("--to", dest="end", type=int, default=None, metavar="YEAR")
    hist.add_argument(
        "--certainty",
        choices=["known", "presumed", "undated", "any"],
        default="undated",
        help="the weakest certainty counted (default: %(default)s)",
    )
    hist.set_defaults(run=_cmd_timeline)

    export = sub.add_parser("export", help="export for Gephi (GEXF), GraphML tools or Kumu")
    _add_common(export, formats=None)
    export.add_argument("--to", choices=["gexf", "graphml", "kumu"], required=True)
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="for kumu: FILE.xlsx, or FILE.csv (writes -elements/-connections)",
    )
    _add_time(export, default="the whole record, with validity periods")
    export.set_defaults(run=_cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``citynet`` command and return its exit status.

    Examples
    --------
    >>> main(["validate"])  # doctest: +ELLIPSIS
    the shipped dataset: valid (<Landscape: ...>)
    0
    """
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except DataError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        n = len(err.problems)
        print(
            f"citynet: {n} problem{'s' if n != 1 else ''} found; nothing was loaded",
            file=sys.stderr,
        )
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (CitynetError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug: say so in one line; CITYNET_DEBUG=1 shows the traceback
        if os.environ.get("CITYNET_DEBUG"):
            raise
        print(
            f"citynet: internal error: {type(err).__name__}: {err} "
            "(please report it; set CITYNET_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
