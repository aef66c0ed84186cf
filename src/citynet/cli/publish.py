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
    import sys

    from citynet.export.site import LARGE_SITE_BYTES, check_target, site_size, write_site

    check_target(args.output)
    land = landscape(args)
    expected = site_size(land)
    print(f"writing the site: about {expected / 1e6:,.0f} MB", file=sys.stderr)
    if expected > LARGE_SITE_BYTES:
        print(
            f"warning: about {expected / 1e9:,.1f} GB is more than many static hosts take "
            "(GitHub Pages: 1 GB); a subset (--as-of, or a landscape of fewer cities) is smaller",
            file=sys.stderr,
        )
    out = write_site(land, args.output)
    pages = sum(1 for _ in out.rglob("*.html"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    host = (
        "publish the folder on any static host"
        if size <= LARGE_SITE_BYTES
        else "it is larger than many static hosts take (GitHub Pages: 1 GB)"
    )
    print(
        f"wrote {out}/ ({pages:,} pages, {size / 1e6:,.1f} MB, memberships as of {land.year}); "
        f"open {out / 'index.html'} in a browser, or {host}"
    )
    return EXIT_OK
