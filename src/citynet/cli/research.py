"""Subcommands for researchers: clusters, centrality, projection, nestedness."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from citynet._errors import CitynetError
from citynet.cli.common import EXIT_OK, landscape, print_json, print_table, say
from citynet.render.research import (
    modules_text,
    nestedness_text,
    robustness_text,
    roles_text,
    structure_text,
)
from citynet.render.text import paragraph, table

__all__ = [
    "centrality",
    "clusters",
    "modules",
    "nestedness",
    "projection",
    "robustness",
    "roles",
    "structure",
]


def clusters(args: argparse.Namespace) -> int:
    """``citynet clusters``."""
    from citynet.analysis.clusters import cluster_cities, cluster_networks

    land = landscape(args)
    run = cluster_cities if args.side == "cities" else cluster_networks
    result = run(land, seed=args.seed, n_seeds=args.seeds, resolution=args.resolution)
    if args.format == "json":
        print_json(
            {
                "side": args.side,
                "year": land.year,
                "seed": result.seed,
                "modularity": result.modularity,
                "stability_ari": result.stability,
                "similarity": result.clusters.attrs.get("similarity", ""),
                "clusters": json.loads(
                    result.clusters.reset_index().to_json(orient="records", force_ascii=False)
                ),
                "assignments": result.assignments["cluster"].to_dict(),
            }
        )
    elif args.format == "csv":
        print_table(result.assignments, "csv")
    else:
        head = paragraph(
            f"{len(result.clusters)} clusters of {args.side}; modularity "
            f"{result.modularity:.3f}; stability (mean ARI over {args.seeds} other seeds) "
            f"{result.stability:.3f}. Similarity: {result.clusters.attrs.get('similarity', '')}"
            + ("; themes only label the clusters." if args.side == "networks" else ".")
        )
        rows = [[c, r["label"], r["size"], r["members"]] for c, r in result.clusters.iterrows()]
        say(land, head + "\n" + table(rows, ["cluster", "label", "size", "members"]))
    return EXIT_OK


def centrality(args: argparse.Namespace) -> int:
    """``citynet centrality``."""
    from citynet.analysis.centrality import centrality as centrality_tables

    land = landscape(args)
    cities, networks = centrality_tables(
        land, executive_weight=args.executive_weight, k=args.k, seed=args.seed
    )
    frame = cities if args.side == "cities" else networks
    if args.format != "text":
        print_table(frame, args.format)
        return EXIT_OK
    rows = [[i, *r.to_numpy().tolist()] for i, r in frame.head(args.top).iterrows()]
    say(land, table(rows, [str(frame.index.name or "id"), *map(str, frame.columns)], digits=4))
    return EXIT_OK


def projection(args: argparse.Namespace) -> int:
    """``citynet projection``."""
    from citynet.analysis.bicm import ProjectionTooLargeError, validated_projection
    from citynet.lookup import resolve_city

    land = landscape(args)
    cities = [resolve_city(land, c) for c in args.city] if args.city else None
    if cities is not None and args.side != "cities":
        raise CitynetError("--city selects cities of a city-side projection: add --side cities")
    try:
        frame = validated_projection(
            land,
            side=args.side,
            alpha=args.alpha,
            correction=args.correction,
            cities=cities,
            max_memory=args.max_memory * 1e9,
        )
    except ProjectionTooLargeError as error:
        figures = str(error).split(";")[0]
        raise CitynetError(
            f"{figures}; use --side networks, choose cities with --city X --city Y, or raise "
            "--max-memory GB"
        ) from None
    shown = frame if args.all else frame[frame["validated"]]
    if args.format != "text":
        print_table(shown.set_index(["source", "target"]), args.format)
        return EXIT_OK
    head = paragraph(
        f"{int(frame['validated'].sum()):,} of {len(frame):,} "
        f"{'city' if args.side == 'cities' else 'network'} pairs sharing "
        f"members are validated by the BiCM at alpha {args.alpha:g} ({args.correction})"
    )
    rows = shown.head(args.top).to_numpy().tolist()
    say(land, head + "\n" + table(rows, list(map(str, shown.columns)), digits=3))
    return EXIT_OK


def nestedness(args: argparse.Namespace) -> int:
    """``citynet nestedness [--null N]``."""
    from citynet.analysis.nestedness import nestedness as nestedness_result
    from citynet.analysis.nestedness import nestedness_nulls

    land = landscape(args)
    null = "curveball" if args.null == "all" else args.null
    result = nestedness_result(land, null=null, samples=args.samples, seed=args.seed)
    comparison = (
        nestedness_nulls(land, samples=args.samples, seed=args.seed) if args.null == "all" else None
    )
    if args.format == "json":
        data = result.to_dict()
        if comparison is not None:
            data["nulls"] = comparison.reset_index().to_dict("records")
        print_json(data)
    elif args.format == "csv":
        frame = (
            comparison
            if comparison is not None
            else pd.DataFrame([result.to_dict()]).set_index("null")
        )
        print_table(frame, "csv")
    else:
        say(land, nestedness_text(result, comparison))
    return EXIT_OK


def modules(args: argparse.Namespace) -> int:
    """``citynet modules``."""
    from citynet.analysis.modules import bipartite_modules

    land = landscape(args)
    result = bipartite_modules(land, runs=args.runs, seed=args.seed, weighted=args.weighted)
    if result.degenerate:
        raise CitynetError(
            "no modular structure: " + (result.notes[-1] if result.notes else "Q is 0")
        )
    if args.format == "json":
        print_json(
            {
                "year": result.year,
                "modularity": result.modularity,
                "q_runs": result.q_runs,
                "stability_ari": result.stability,
                "runs": result.runs,
                "seed": result.seed,
                "notes": result.notes,
                "modules": result.modules.reset_index().to_dict("records"),
                "networks": result.networks["module"].to_dict(),
                "cities": {
                    k: (None if pd.isna(v) else int(v)) for k, v in result.cities["module"].items()
                },
            }
        )
    elif args.format == "csv":
        both = pd.concat(
            [
                result.networks.assign(kind="network"),
                result.cities.assign(kind="city"),
            ]
        )
        both.index.name = "id"
        print_table(both, "csv")
    else:
        say(land, modules_text(result, top=args.top))
    return EXIT_OK


def roles(args: argparse.Namespace) -> int:
    """``citynet roles``."""
    from citynet.analysis.modules import bipartite_modules
    from citynet.analysis.roles import roles as role_tables

    land = landscape(args)
    found = bipartite_modules(land, runs=args.runs, seed=args.seed)
    if found.degenerate:
        raise CitynetError("no modular structure, so no roles: " + "; ".join(found.notes))
    cities, networks = role_tables(land, modules=found)
    frame = cities if args.side == "cities" else networks
    if args.side == "cities" and (cities.loc[cities["seats"] > 0, "brokerage"] == 0).all():
        raise CitynetError("brokerage is 0 for every city with a seat: nothing to rank")
    if args.format != "text":
        print_table(frame, args.format)
    else:
        say(land, roles_text(cities, networks, side=args.side, top=args.top))
    return EXIT_OK


def robustness(args: argparse.Namespace) -> int:
    """``citynet robustness [--remove NETWORK ...]``."""
    from citynet.analysis.robustness import attack, dissolve

    land = landscape(args)
    what = dissolve(land, args.remove) if args.remove else None
    curve = attack(land, order=args.order, repeats=args.repeats, seed=args.seed)
    if args.format == "json":
        print_json(
            {
                "dissolution": None if what is None else what.to_dict(),
                "robustness": curve.attrs["robustness"],
                "robustness_international": curve.attrs["robustness_international"],
                "order": args.order,
                "curve": curve.to_dict("records"),
            }
        )
    elif args.format == "csv":
        print_table(curve.set_index("networks_removed"), "csv")
    else:
        say(land, robustness_text(curve, what))
    return EXIT_OK


def structure(args: argparse.Namespace) -> int:
    """``citynet structure``."""
    from citynet.analysis.structure import structure as structure_result

    land = landscape(args)
    result = structure_result(land)
    if args.format == "json":
        print_json(result.to_dict())
    elif args.format == "csv":
        flat = {
            f"{key}_{inner}" if isinstance(value, dict) else key: item
            for key, value in result.to_dict().items()
            for inner, item in (value.items() if isinstance(value, dict) else [("", value)])
        }
        print_table(pd.DataFrame([flat]).set_index("year"), "csv")
    else:
        say(land, structure_text(result))
    return EXIT_OK
