"""``citynet validate``, ``info`` and ``timeline``: what a landscape holds, and its history."""

from __future__ import annotations

import argparse

import numpy as np

from citynet._errors import CitynetError
from citynet.analysis.timeline import timeline as history
from citynet.cli.common import EXIT_INPUT, EXIT_OK, landscape, print_json, print_table
from citynet.landscape import load
from citynet.lookup import resolve_city, resolve_network
from citynet.render.text import paragraph, table
from citynet.render.words import certainty_sentence
from citynet.summary import summarize

__all__ = ["import_long", "import_wide", "info", "timeline", "validate"]


def validate(args: argparse.Namespace) -> int:
    """``citynet validate [DIR]``."""
    folder = args.dir if args.dir is not None else args.data
    import sys

    from citynet.render.problems import problem_lines

    land = load(folder)
    where = "the shipped dataset" if folder is None else str(folder)
    found = land.warnings
    if not found:
        print(f"{where}: valid ({land!r})")
        return EXIT_OK
    n = len(found)
    counted = f"{n:,} warning{'s' if n != 1 else ''}"
    if args.strict:
        tail = f"citynet: {counted} found, errors with --strict; nothing was loaded"
        for line in problem_lines(found, kind="error", tail=tail):
            print(line, file=sys.stderr)
        return EXIT_INPUT
    for line in problem_lines(found, kind="warning", tail=f"citynet: {counted}"):
        print(line, file=sys.stderr)
    print(f"{where}: valid, with {counted} (on stderr; --strict makes them errors) ({land!r})")
    return EXIT_OK


def _breakdown(title: str, counts: dict[str, int]) -> list[str]:
    rows = [[k, v] for k, v in counts.items()]
    return [f"{title}:", table(rows, ["", "count"], indent="  ")]


def info(args: argparse.Namespace) -> int:
    """``citynet info``."""
    from citynet.checks import warning_kinds

    land = landscape(args)
    data = summarize(land)
    data["warnings"] = warning_kinds(land.record.warnings)  # info counts them; report does not
    if args.format == "json":
        print_json(data)
        return EXIT_OK
    lines = [
        paragraph(certainty_sentence(data["certainty"])),
        paragraph(
            f"Landscape: {data['cities']:,} cities, {data['networks']:,} networks, "
            f"{data['facts']:,} sourced membership facts on {data['pairs']:,} city-network "
            f"pairs, {data['capacity_facts']:,} capacity facts, {data['rule_facts']:,} rule "
            f"facts; {data['networks_alive']} of {data['networks']} networks existing"
        ),
        "",
    ]
    for nid, ended in data["networks_ended"].items():
        closed = f" in {ended['closed']}" if ended["closed"] else ""
        if ended["status"] == "not founded yet":
            closed = ""
        lines.append(paragraph(f"  {ended['name']} ({nid}): {ended['status']}{closed}"))
    if data["networks_ended"]:
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
        lines += [*_breakdown(title, data[key]), ""]
    lines.append(f"Cities without coordinates: {data['cities_without_coordinates']:,}")
    warned = data["warnings"]
    lines.append(
        "Warnings: "
        + (
            "; ".join(f"{n:,} {kind}" for kind, n in warned.items())
            + " (citynet validate lists them with file and row)"
            if warned
            else "none"
        )
    )
    print("\n".join(lines))
    return EXIT_OK


def timeline(args: argparse.Namespace) -> int:
    """``citynet timeline``."""
    land = landscape(args, record=True)
    networks = [resolve_network(land, n) for n in args.network] if args.network else None
    cities = [resolve_city(land, c) for c in args.city] if args.city else None
    by = args.by or ("city" if cities and not networks else "network" if networks else "scope")
    frame = history(
        land,
        by=by,
        start=args.start,
        end=args.end,
        certainty=args.certainty,
        networks=networks,
        cities=cities,
    )
    if args.format != "text":
        print_table(frame.set_index(["year", frame.columns[1]]), args.format)
        return EXIT_OK
    if frame.empty:
        raise CitynetError("no membership holds in these years for this selection")
    key = str(frame.columns[1])
    names = (
        land.networks["name"].astype(str).to_dict()
        if key == "network_id"
        else land.cities["name"].astype(str).to_dict()
        if key == "city_id"
        else {}
    )
    first, last = int(frame["year"].min()), int(frame["year"].max())
    print(
        paragraph(
            f"Memberships by year, {first}-{last}, by {by} (certainty up to {args.certainty}; "
            "docs/time.md)"
        )
    )
    columns = ["members", "known", "presumed", "undated", "executive", "entries", "exits"]
    for value, rows in frame.groupby(key, sort=True):
        code = str(value)
        label = names.get(code, code)
        print(f"\n{label} ({code})" if label != code else f"\n{code}")
        body = [
            [int(year_), *(int(v) for v in values)]
            for year_, *values in rows[["year", *columns]].to_numpy(dtype=np.int64).tolist()
        ]
        print(table(body, ["year", *columns], align=["left"] + ["right"] * len(columns)))
    return EXIT_OK


_ROLE_OPTIONS = {
    "id": "city_id",
    "name": "name",
    "country": "country",
    "region": "region",
    "lat": "latitude",
    "lon": "longitude",
    "population": "population",
    "network": "network",
    "since": "since",
    "until": "until",
    "status": "status",
    "role": "role",
    "admin": "admin",
}


def _import(args: argparse.Namespace, shape: str) -> int:
    """``citynet import wide|long FILE -o DIR --source URL``: convert, write, report."""
    from citynet._errors import DataError
    from citynet.importers import convert_long, convert_wide, write_import
    from citynet.render.importing import import_summary
    from citynet.render.problems import SHOWN

    if not args.file.is_file():
        raise CitynetError(f"{args.file}: no such file")
    options = {
        _ROLE_OPTIONS[key[4:]]: value
        for key, value in vars(args).items()
        if key.startswith("col_") and value is not None
    }
    sheet: str | int | None = args.sheet
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet)
    common = {
        "source_url": args.source,
        "source_title": args.title,
        "as_of": args.as_of,
        "scope": args.scope,
        "country_default": args.country_default,
        "sheet": sheet,
        "na": args.na,
        "strict": args.strict,
        **options,
    }
    try:
        if shape == "wide":
            networks = None
            if args.networks is not None:
                import pandas as pd

                if not args.networks.is_file():
                    raise CitynetError(f"{args.networks}: no such file")
                networks = pd.read_csv(args.networks, dtype=str, keep_default_na=False)
                if "network_id" not in networks.columns:
                    raise CitynetError(f"{args.networks}: has no network_id column")
            result = convert_wide(args.file, networks=networks, **common)
        else:
            result = convert_long(args.file, **common)
    except DataError as error:
        if len(error.problems) > SHOWN:  # the terminal gets groups; the file gets all
            from citynet.io import atomic_write

            args.output.mkdir(parents=True, exist_ok=True)
            listing = args.output / "import-problems.txt"
            with atomic_write(listing) as fh:
                fh.write("".join(f"{problem}\n" for problem in error.problems))
            error.listing = str(listing)  # type: ignore[attr-defined]
        raise
    out = write_import(result, args.output, input_path=args.file)
    print(import_summary(result.report, str(out)))
    print(f"Wrote {out} (a landscape folder; check it with: citynet validate {out})")
    return EXIT_OK


def import_wide(args: argparse.Namespace) -> int:
    """``citynet import wide``."""
    return _import(args, "wide")


def import_long(args: argparse.Namespace) -> int:
    """``citynet import long``."""
    return _import(args, "long")
