"""What every ``citynet`` subcommand shares: loading, the year, option checks, output.

Imports of pandas and the analyses happen inside the functions that need them, so that
``citynet --help`` and ``--version`` start without them.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from citynet.analysis.load import LoadModel
    from citynet.landscape import Landscape

__all__ = [
    "EXIT_BUG",
    "EXIT_INPUT",
    "EXIT_OK",
    "count",
    "finite",
    "landscape",
    "load_model",
    "percent",
    "print_json",
    "print_table",
    "resolve_pair",
    "say",
    "time_note",
    "year",
]

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2


USE_CACHE = True
"""Whether :func:`_load` may use the landscape cache (``--no-cache`` turns it off)."""


def _load(path: Path | None) -> Landscape:
    """Load ``--data`` (the test suite replaces this to reuse one loaded landscape)."""
    from citynet.cache import load_cached

    return load_cached(path, use_cache=USE_CACHE)


def landscape(args: argparse.Namespace, *, record: bool = False) -> Landscape:
    """Load ``--data`` and cut it to ``--as-of`` (default: now; ``record`` keeps the record)."""
    global USE_CACHE
    USE_CACHE = not getattr(args, "no_cache", False)
    land = _load(args.data)
    when = getattr(args, "as_of", None)
    certainty = getattr(args, "certainty", "undated")
    if record and when is None:
        return land
    return land.current(when, certainty=certainty)


def say(land: Landscape, text: str) -> None:
    """Print a text result, after the line saying which year it is about (:func:`time_note`).

    The line comes only once the result is ready, so an error is the only thing printed when
    there is one.
    """
    print(time_note(land))
    print()
    print(text)


def time_note(land: Landscape) -> str:
    """One line saying which year an output is about and how sure its memberships are."""
    from citynet.render.text import paragraph
    from citynet.render.words import certainty_sentence

    return paragraph(certainty_sentence(land.certainty_counts()))


def _terminal_safe(text: str) -> str:
    r"""Escape what a terminal would act on (C0/C1 controls, bidi overrides) in printed output.

    JSON escapes C0 controls itself, but not C1 ones (``\x9b`` starts an escape sequence in
    many terminals) nor bidi overrides; CSV escapes nothing.
    """
    from citynet.render.words import _CONTROL

    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(data: Any) -> None:
    """Print JSON (UTF-8, indented; values JSON cannot hold as text); terminal-safe."""
    print(_terminal_safe(json.dumps(data, indent=2, ensure_ascii=False, default=_plain)))


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


def print_table(frame: pd.DataFrame, fmt: str) -> None:
    """Print a table as JSON records or CSV (formula-safe, see :func:`citynet.io.csv_text`)."""
    from citynet.io import csv_text

    if fmt == "json":
        print_json(json.loads(frame.reset_index().to_json(orient="records", force_ascii=False)))
    else:
        text = csv_text(frame.reset_index())
        sys.stdout.write(_terminal_safe(text.replace("\r\n", "\n")).replace("\n", "\r\n"))


def load_model(args: argparse.Namespace) -> LoadModel:
    """Build the load model from ``--weights key=value,...``."""
    from citynet._errors import CitynetError
    from citynet.analysis.load import LoadModel
    from citynet.schema import EVIDENCE, ROLES, SCOPES

    spec = getattr(args, "weights", None)
    if spec is None:
        return LoadModel()
    groups: dict[str, dict[str, float]] = {
        "role_weights": {},
        "scope_weights": {},
        "evidence_weights": {},
    }
    scalars: dict[str, float] = {}
    for item in str(spec).split(","):
        key, sep, value = item.partition("=")
        key = key.strip()
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not math.isfinite(number) or number < 0:
            raise CitynetError(
                f"--weights: {item.strip()!r} is not KEY=NUMBER with a finite number >= 0"
            )
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
    vocabulary = {"role_weights": ROLES, "scope_weights": SCOPES, "evidence_weights": EVIDENCE}
    for name, values in groups.items():
        if set(values) == set(vocabulary[name]) and not any(values.values()):
            raise CitynetError(f"--weights: the {name.split('_')[0]} weights cannot all be 0")
    return LoadModel().updated(**{k: v for k, v in groups.items() if v}, **scalars)


def resolve_pair(land: Landscape, city: str, network: str) -> tuple[str, str]:
    """Resolve a city and a network; recognise them given the other way round."""
    from citynet.lookup import UnknownNameError, resolve_city, resolve_network

    try:
        return resolve_city(land, city), resolve_network(land, network)
    except UnknownNameError as first:
        try:
            swapped = resolve_city(land, network), resolve_network(land, city)
        except UnknownNameError:
            raise first from None
        print(
            f"note: {city!r} is a network and {network!r} a city; read as "
            f"{swapped[0]} {swapped[1]} (city first)",
            file=sys.stderr,
        )
        return swapped


# -- option types: bad values exit 2 with one line ------------------------------------------


def count(minimum: int = 1) -> Callable[[str], int]:
    """Return an argparse type: a whole number at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value

    parse.__name__ = "count"
    return parse


def percent(text: str) -> float:
    """Parse a percentile between 0 and 100 (an argparse type)."""
    value = finite(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be a percentile between 0 and 100, not {text}")
    return value


def finite(text: str) -> float:
    """Parse a finite number (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
    return value


def positive(text: str) -> float:
    """Parse a finite number above 0 (an argparse type)."""
    value = finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
    return value


def year(text: str) -> int:
    """Parse a year of the data contract, 1800-2100 (an argparse type)."""
    from citynet.schema import YEAR_RANGE

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    low, high = YEAR_RANGE
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be a year between {low} and {high}, not {value}")
    return value


def text(label: str) -> Callable[[str], str]:
    """Return an argparse type: non-empty text."""

    def parse(value: str) -> str:
        if not value.strip():
            raise argparse.ArgumentTypeError(f"{label} cannot be empty")
        return value

    parse.__name__ = label
    return parse


def guard_output(args: argparse.Namespace) -> None:
    """Refuse an ``-o`` that would overwrite what the command reads.

    The landscape's own files (``--data``, or the shipped data), its folder, a folder holding
    it, and an imported table are inputs; writing a map over ``cities.csv`` would replace the
    data with HTML.
    """
    from citynet._errors import CitynetError
    from citynet.schema import TABLES

    output = getattr(args, "output", None)
    if output is None:
        return
    target = Path(output).resolve()
    inputs: list[Path] = []
    data = getattr(args, "data", None)
    if data is not None:
        folder = Path(data).resolve()
        inputs += [folder, *(folder / t.file for t in TABLES), folder / "datapackage.json"]
        if folder.is_relative_to(target):
            raise CitynetError(
                f"{output}: holds the landscape being read (--data {data}); choose another output"
            )
    for name in ("file", "networks"):
        value = getattr(args, name, None)
        if isinstance(value, Path):
            inputs.append(value.resolve())
    if target in inputs:
        raise CitynetError(
            f"{output}: is an input file of the landscape being read; choose another output"
        )
