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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from citynet import __version__
from citynet._errors import CitynetError, DataError
from citynet.landscape import Landscape, load
from citynet.summary import summarize

__all__ = ["main"]

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2


def _landscape(args: argparse.Namespace) -> Landscape:
    land = load(args.data)
    year = getattr(args, "as_of", None)
    return land if year is None else land.as_of(year)


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
    info = summarize(_landscape(args))
    if args.format == "json":
        _print_json(info)
        return EXIT_OK
    when = "" if info["year"] is None else f" (as of {info['year']})"
    lines = [
        f"Landscape{when}: {info['cities']:,} cities, {info['networks']:,} networks, "
        f"{info['memberships']:,} memberships from {info['facts']:,} sourced facts, "
        f"{info['capacity_facts']:,} capacity facts",
        "",
    ]
    for key, title in (
        ("networks_by_scope", "Networks by scope"),
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
    info.add_argument(
        "--as-of", type=int, default=None, metavar="YEAR", help="only memberships valid in YEAR"
    )
    info.set_defaults(run=_cmd_info)
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
