"""The ``citynet`` command: parse the arguments, run one subcommand, turn errors into one line.

Conventions for every subcommand: ``--data DIR`` picks the landscape folder (default: the shipped
dataset); ``--format text|json|csv`` picks the output where results are printed; ``--as-of YEAR``
the year they are about (default: now). Bad input prints one readable line per problem on
stderr and exits with status 2; no traceback. Subcommands live in :mod:`citynet.cli.staff`
(city staff), :mod:`citynet.cli.research`, :mod:`citynet.cli.publish` and
:mod:`citynet.cli.data`, imported only when run, so that ``citynet --version`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from citynet._version import __version__
from citynet.cli.common import (
    EXIT_BUG,
    EXIT_INPUT,
    EXIT_OK,
    count,
    finite,
    percent,
    positive,
    text,
    year,
)

__all__ = ["build_parser", "main"]

CERTAINTY = ["known", "presumed", "undated", "any"]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (and exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _common(parser: argparse.ArgumentParser, *, formats: Sequence[str] | None) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="landscape folder (default: the shipped dataset)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="load and validate the files, bypassing the landscape cache (README: Scale)",
    )
    if formats:
        parser.add_argument(
            "--format",
            choices=list(formats),
            default=formats[0],
            help="output format (default: %(default)s)",
        )


def _time(parser: argparse.ArgumentParser, *, default: str = "now") -> None:
    parser.add_argument(
        "--as-of",
        type=year,
        default=None,
        metavar="YEAR",
        help=f"the year whose memberships count (default: {default}; docs/time.md)",
    )
    parser.add_argument(
        "--certainty",
        choices=CERTAINTY,
        default="undated",
        help="the weakest certainty a membership may have to count (default: %(default)s)",
    )


WEIGHTS_HELP = (
    "load weights as KEY=NUMBER,...: member, executive, international, regional, national, "
    "listed, derived, participation, meeting_weight, fee_scale, reporting_factor "
    "(docs/load-model.md)"
)
PEERS_HELP = (
    "peer group: comparable (default: the city's group, else region and size), all, region, "
    "population, group:TAG"
)


def _staff(sub: argparse._SubParsersAction[_Parser]) -> None:
    check = sub.add_parser(
        "check",
        help='"should we join?": a verdict and what a network would bring (several: compared)',
    )
    check.add_argument("city", type=text("CITY"), help="city id, name or alias")
    check.add_argument(
        "networks", nargs="+", type=text("NETWORK"), metavar="NETWORK", help="one or more networks"
    )
    _common(check, formats=("text", "json", "csv"))
    check.add_argument("--peers", type=text("--peers"), default="comparable", help=PEERS_HELP)
    check.add_argument("--weights", help=WEIGHTS_HELP)
    _time(check)
    check.set_defaults(run="staff:check")

    leave = sub.add_parser("leave", help="what leaving one of the city's networks would cost")
    leave.add_argument("city", type=text("CITY"))
    leave.add_argument("network", type=text("NETWORK"))
    _common(leave, formats=("text", "json"))
    leave.add_argument("--peers", type=text("--peers"), default="comparable", help=PEERS_HELP)
    leave.add_argument("--weights", help=WEIGHTS_HELP)
    _time(leave)
    leave.set_defaults(run="staff:leave")

    sug = sub.add_parser(
        "suggest", help="networks open to the city worth joining, and which add least"
    )
    sug.add_argument("city", type=text("CITY"))
    _common(sug, formats=("text", "json", "csv"))
    sug.add_argument("--themes", help="comma-separated themes of interest (citynet themes)")
    sug.add_argument("--max-load", type=positive, default=None, help="largest added load")
    sug.add_argument("-k", type=count(1), default=10, help="how many (default: %(default)s)")
    sug.add_argument("--weights", help=WEIGHTS_HELP)
    _time(sug)
    sug.set_defaults(run="staff:suggest")

    over = sub.add_parser(
        "overcommitment", help="commitment load against comparable peers and capacity"
    )
    _common(over, formats=("text", "json", "csv"))
    over.add_argument("--peers", type=text("--peers"), default="comparable", help=PEERS_HELP)
    over.add_argument(
        "--city", type=text("--city"), help="one city in full: memberships, duties, capacity"
    )
    over.add_argument(
        "--threshold", type=percent, default=90.0, help="flag at this percentile (default: 90)"
    )
    over.add_argument("--min-peers", type=count(2), default=10, help="fewest peers for a flag")
    over.add_argument(
        "--load-floor", type=finite, default=4.0, help="smallest load that can be flagged"
    )
    over.add_argument("--top", type=count(1), default=25, help="rows in text output")
    over.add_argument("--weights", help=WEIGHTS_HELP)
    _time(over)
    over.set_defaults(run="staff:overcommitment")

    brief = sub.add_parser("brief", help="a one-page, print-ready brief on a city for its mayor")
    brief.add_argument("city", type=text("CITY"))
    brief.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    _common(brief, formats=None)
    brief.add_argument("--peers", type=text("--peers"), default="comparable", help=PEERS_HELP)
    brief.add_argument("--weights", help=WEIGHTS_HELP)
    _time(brief)
    brief.set_defaults(run="staff:brief")

    nets = sub.add_parser("networks", help="the networks, with the names and ids you can type")
    _common(nets, formats=("text", "json", "csv"))
    nets.add_argument("--scope", choices=["international", "regional", "national"])
    nets.add_argument("--theme", help="only networks of this theme")
    _time(nets)
    nets.set_defaults(run="staff:networks")

    themes = sub.add_parser("themes", help="the themes, with how many networks cover each")
    _common(themes, formats=("text", "json", "csv"))
    themes.set_defaults(run="staff:themes")

    report = sub.add_parser(
        "report", help="the landscape summary (default: the 27 surveyed cities)"
    )
    _common(report, formats=("text", "json"))
    report.add_argument(
        "--group", type=text("--group"), default=None, help="city group tag to report on"
    )
    report.add_argument("--weights", help=WEIGHTS_HELP)
    _time(report)
    report.set_defaults(run="staff:report")


def _research(sub: argparse._SubParsersAction[_Parser]) -> None:
    def research(name: str, text_: str, run: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text_)
        _common(cmd, formats=("text", "json", "csv"))
        _time(cmd)
        cmd.add_argument("--seed", type=count(0), default=0, help="random seed (default: 0)")
        cmd.set_defaults(run=run)
        return cmd

    clus = research(
        "clusters",
        "clusters of networks by shared members (or cities by portfolio), Louvain",
        "research:clusters",
    )
    clus.add_argument("--side", choices=["networks", "cities"], default="networks")
    clus.add_argument("--seeds", type=count(0), default=20, help="seeds for the stability (ARI)")
    clus.add_argument("--resolution", type=positive, default=1.0, help="Louvain resolution")

    cent = research(
        "centrality", "executive-role centrality of cities (or networks)", "research:centrality"
    )
    cent.add_argument("--side", choices=["cities", "networks"], default="cities")
    cent.add_argument(
        "--executive-weight",
        type=positive,
        default=3.0,
        help="weight of a seat (a membership is 1)",
    )
    cent.add_argument("-k", type=count(1), default=None, help="betweenness sample size")
    cent.add_argument("--top", type=count(1), default=25, help="rows in text output")

    proj = research("projection", "co-memberships validated by the BiCM", "research:projection")
    proj.add_argument("--side", choices=["networks", "cities"], default="networks")
    proj.add_argument("--alpha", type=positive, default=0.05, help="significance (default 0.05)")
    proj.add_argument("--correction", choices=["fdr", "bonferroni"], default="fdr")
    proj.add_argument("--all", action="store_true", help="also list pairs not validated")
    proj.add_argument(
        "--city",
        action="append",
        type=text("--city"),
        help="with --side cities: only these cities (repeat for several)",
    )
    proj.add_argument(
        "--max-memory",
        type=positive,
        default=2.0,
        metavar="GB",
        help="refuse a city-side projection that could need more (default: 2)",
    )
    proj.add_argument("--top", type=count(1), default=25, help="rows in text output")

    nest = research("nestedness", "NODF and WNODF against null models", "research:nestedness")
    nest.add_argument("--samples", type=count(1), default=100, help="null samples (default 100)")
    nest.add_argument(
        "--null",
        choices=["curveball", "equiprobable", "rows", "columns", "proportional", "bicm", "all"],
        default="curveball",
        help="null model (default: curveball, every degree kept; all: compare them)",
    )

    mods = research(
        "modules", "communities of cities and networks (bipartite modularity)", "research:modules"
    )
    mods.add_argument("--runs", type=count(1), default=20, help="LPAwb+ runs (default 20)")
    mods.add_argument("--weighted", action="store_true", help="a seat weighs 3 memberships")
    mods.add_argument("--top", type=count(1), default=25, help="rows in text output")

    role = research("roles", "c/z roles: connectors, hubs, brokerage", "research:roles")
    role.add_argument("--side", choices=["cities", "networks"], default="cities")
    role.add_argument("--runs", type=count(1), default=10, help="LPAwb+ runs for the modules")
    role.add_argument("--top", type=count(1), default=25, help="rows in text output")

    robust = research(
        "robustness", "what if networks dissolve; attack curves", "research:robustness"
    )
    robust.add_argument(
        "--remove", action="append", type=text("--remove"), metavar="NETWORK",
        help="dissolve this network (repeat for several)",
    )  # fmt: skip
    robust.add_argument("--order", choices=["size", "random"], default="size")
    robust.add_argument("--repeats", type=count(1), default=20, help="random orders to average")

    research("structure", "connectance, degrees, specialisation (d', H2')", "research:structure")


def _publish(sub: argparse._SubParsersAction[_Parser]) -> None:
    mapper = sub.add_parser("map", help="write an interactive, self-contained HTML map")
    _common(mapper, formats=None)
    mapper.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    mapper.add_argument("--layout", choices=["force", "geo"], default="force")
    mapper.add_argument("--city", type=text("--city"), help="one city's ego network")
    mapper.add_argument("--theme", help="only networks of this theme (and their members)")
    mapper.add_argument("--scope", choices=["international", "regional", "national"])
    mapper.add_argument("--size-by", choices=["degree", "executive"], default="degree")
    mapper.add_argument("--seed", type=count(0), default=0, help="layout seed (default: 0)")
    mapper.add_argument("--physics", action="store_true", help="keep the layout moving")
    mapper.add_argument("--heading", default=None, help="title above the map")
    _time(mapper)
    mapper.set_defaults(run="publish:map_")

    export = sub.add_parser("export", help="export for Gephi (GEXF), GraphML tools or Kumu")
    _common(export, formats=None)
    export.add_argument("--to", choices=["gexf", "graphml", "kumu"], required=True)
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="for kumu: FILE.xlsx, or FILE.csv (writes -elements/-connections)",
    )
    _time(export, default="the whole record, with validity periods")
    export.set_defaults(run="publish:export")

    site = sub.add_parser(
        "site",
        help="write a static explorer site: index, a page per network and per city a page "
        "says something about",
        description="Write a static explorer site: an index with search, a page per network "
        "and a page per city in two networks or more (or with a seat, a group or capacity "
        "facts); the other cities are listed and named on their network's page. It says its "
        "size before writing and warns above 1 GB. Expect about 20 MB for the shipped data "
        "(12,000 cities, 470 city pages, 12 s) and 86 MB for a 15,000-city landscape with one "
        "giant network (3,100 city pages, 41 s); about 24 KB a city page.",
    )
    _common(site, formats=None)
    site.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    _time(site)
    site.set_defaults(run="publish:site")


def _data(sub: argparse._SubParsersAction[_Parser]) -> None:
    validate = sub.add_parser("validate", help="check a landscape folder against the contract")
    validate.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with cities.csv, networks.csv, memberships.csv",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="warnings (facts no year can count, probable duplicates, aliases that are another "
        "city's name) are errors: exit 2",
    )
    _common(validate, formats=None)
    validate.set_defaults(run="data:validate")

    info = sub.add_parser("info", help="what the landscape holds (counts by scope, role, ...)")
    _common(info, formats=("text", "json"))
    _time(info)
    info.set_defaults(run="data:info")

    hist = sub.add_parser("timeline", help="memberships year by year: growth, entries, exits")
    _common(hist, formats=("text", "json", "csv"))
    hist.add_argument(
        "--network", action="append", type=text("--network"), help="a network (repeat for several)"
    )
    hist.add_argument(
        "--city", action="append", type=text("--city"), help="a city (repeat for several)"
    )
    hist.add_argument("--by", choices=["network", "city", "scope"], default=None)
    hist.add_argument("--from", dest="start", type=year, default=None, metavar="YEAR")
    hist.add_argument("--to", dest="end", type=year, default=None, metavar="YEAR")
    hist.add_argument(
        "--certainty",
        choices=CERTAINTY,
        default="undated",
        help="the weakest certainty counted (default: %(default)s)",
    )
    hist.set_defaults(run="data:timeline")

    imp = sub.add_parser(
        "import", help="turn a published table (wide 0/1 or long rows) into a landscape folder"
    )
    shapes = imp.add_subparsers(dest="shape", required=True, metavar="SHAPE", parser_class=_Parser)
    wide = shapes.add_parser("wide", help="one row per city, one 0/1 column per network")
    long = shapes.add_parser("long", help="one row per city x network")
    for cmd, shape in ((wide, "wide"), (long, "long")):
        cmd.add_argument("file", type=Path, metavar="FILE", help="the table (CSV, TSV or XLSX)")
        cmd.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
        cmd.add_argument(
            "--source",
            required=True,
            type=text("--source"),
            metavar="URL",
            help="the dataset's address: the source of every membership",
        )
        cmd.add_argument("--title", type=text("--title"), default=None, help="the dataset's title")
        cmd.add_argument(
            "--as-of", type=year, default=None, metavar="YEAR", help="the year the table describes"
        )
        cmd.add_argument(
            "--scope",
            choices=["international", "regional", "national"],
            default="international",
            help="scope of the networks the table names (default: %(default)s)",
        )
        cmd.add_argument("--sheet", default=None, help="the XLSX sheet (name or 0-based number)")
        cmd.add_argument(
            "--country-default",
            type=text("--country-default"),
            default=None,
            metavar="COUNTRY",
            help="the country of every row, for a table of one country",
        )
        cmd.add_argument(
            "--na",
            nargs="+",
            default=None,
            metavar="TOKEN",
            help="cells that mean 'missing' (default: NA N/A n/a NaN - . NULL None #N/A, and "
            "empty)",
        )
        cmd.add_argument(
            "--strict",
            action="store_true",
            help="every cell that cannot be used is an error and nothing is imported (default: "
            "the field is left empty, or the row left out, and listed in the report)",
        )
        roles = ["name", "country", "admin", "region", "lat", "lon", "population"]
        if shape == "wide":
            roles = ["id", *roles]
            cmd.add_argument(
                "--networks",
                type=Path,
                default=None,
                metavar="FILE",
                help="networks.csv in the contract's columns (ids as the table's headers)",
            )
        else:
            roles += ["network", "since", "until", "status", "role"]
        for role in roles:
            cmd.add_argument(
                f"--{role}-column",
                dest=f"col_{role}",
                type=text(f"--{role}-column"),
                default=None,
                metavar="HEADER",
                help=f"header of the {role} column (default: guessed from the headers)",
            )
        cmd.set_defaults(run=f"data:import_{shape}")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``citynet`` command."""
    parser = _Parser(
        prog="citynet",
        description="Graph analytics of city-network membership (city diplomacy).",
    )
    parser.add_argument("--version", action="version", version=f"citynet {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    _staff(sub)
    _research(sub)
    _publish(sub)
    _data(sub)
    return parser


def _stop_cleanly_on_term() -> None:
    """Turn SIGTERM into SystemExit, so that half-written temporary files are removed."""
    import signal
    import threading

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``citynet`` command and return its exit status.

    Examples
    --------
    >>> main(["validate"])  # doctest: +ELLIPSIS
    the shipped dataset: valid, with 1 warning ... (<Landscape: ...>)
    0
    """
    args = build_parser().parse_args(argv)
    _stop_cleanly_on_term()
    module_name, _, function = str(args.run).partition(":")
    from citynet._errors import CitynetError, DataError

    try:
        from citynet.cli.common import guard_output

        guard_output(args)
        module = importlib.import_module(f"citynet.cli.{module_name}")
        code: int = getattr(module, function)(args)
        return code
    except DataError as err:
        from citynet.render.problems import problem_lines

        for line in problem_lines(err.problems, listing=getattr(err, "listing", None)):
            print(line, file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (CitynetError, OSError) as err:
        from citynet.render.words import safe

        print(f"error: {safe(err)}", file=sys.stderr)
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
