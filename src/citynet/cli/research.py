"""Subcommands for researchers: clusters, centrality, projection, nestedness."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from citynet.analysis.bicm import validated_projection
from citynet.analysis.centrality import centrality as centrality_tables
from citynet.analysis.clusters import cluster_cities, cluster_networks
from citynet.analysis.nestedness import nestedness as nestedness_result
from citynet.cli.common import EXIT_OK, landscape, print_json, print_table, say
from citynet.render.text import paragraph, table

__all__ = ["centrality", "clusters", "nestedness", "projection"]


def clusters(args: argparse.Namespace) -> int:
    """``citynet clusters``."""
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
            f"{result.stability:.3f}"
        )
        rows = [[c, r["label"], r["size"], r["members"]] for c, r in result.clusters.iterrows()]
        say(land, head + "\n" + table(rows, ["cluster", "label", "size", "members"]))
    return EXIT_OK


def centrality(args: argparse.Namespace) -> int:
    """``citynet centrality``."""
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
    land = landscape(args)
    frame = validated_projection(land, side=args.side, alpha=args.alpha, correction=args.correction)
    shown = frame if args.all else frame[frame["validated"]]
    if args.format != "text":
        print_table(shown.set_index(["source", "target"]), args.format)
        return EXIT_OK
    head = paragraph(
        f"{int(frame['validated'].sum())} of {len(frame)} {args.side[:-1]} pairs sharing "
        f"members are validated by the BiCM at alpha {args.alpha:g} ({args.correction})"
    )
    rows = shown.head(args.top).to_numpy().tolist()
    say(land, head + "\n" + table(rows, list(map(str, shown.columns)), digits=3))
    return EXIT_OK


def nestedness(args: argparse.Namespace) -> int:
    """``citynet nestedness``."""
    land = landscape(args)
    result = nestedness_result(land, samples=args.samples, seed=args.seed)
    if args.format == "json":
        print_json(result.to_dict())
    elif args.format == "csv":
        print_table(pd.DataFrame([result.to_dict()]).set_index("nodf"), "csv")
    else:
        say(
            land,
            paragraph(
                f"NODF {result.nodf:.2f} (cities {result.nodf_rows:.2f}, networks "
                f"{result.nodf_columns:.2f}); BiCM null over {result.samples} samples (seed "
                f"{result.seed}): mean {result.null_mean:.2f}, sd {result.null_sd:.2f}, "
                f"z {result.zscore:.2f}, p {result.pvalue:.3g}"
            ),
        )
    return EXIT_OK
