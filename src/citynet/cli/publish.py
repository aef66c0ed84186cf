"""Subcommands for publishing: map, export, site."""

from __future__ import annotations

import argparse
import sys
import warnings

from citynet.cli.common import EXIT_OK, landscape

__all__ = ["export", "map_", "site"]


def map_(args: argparse.Namespace) -> int:
    """``citynet map -o FILE``."""
    from citynet.export.html_map import write_map

    land = landscape(args)
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
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained; open it in a "
        f"browser), memberships as of {land.year}"
    )
    return EXIT_OK


def export(args: argparse.Namespace) -> int:
    """``citynet export --to gexf|graphml|kumu -o FILE``."""
    from citynet.export.formats import write_gexf, write_graphml, write_kumu

    land = landscape(args, record=True)
    if args.to == "gexf":
        written = [write_gexf(land, args.output)]
    elif args.to == "graphml":
        written = [write_graphml(land, args.output)]
    else:
        written = write_kumu(land, args.output)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def site(args: argparse.Namespace) -> int:
    """``citynet site -o DIR``."""
    from citynet.export.site import write_site

    land = landscape(args)
    out = write_site(land, args.output)
    pages = sum(1 for _ in out.rglob("*.html"))
    print(
        f"wrote {out}/ ({pages:,} pages, memberships as of {land.year}); open "
        f"{out / 'index.html'} in a browser, or publish the folder on any static host"
    )
    return EXIT_OK
