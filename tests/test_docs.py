"""The examples in every public docstring run, against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import citynet

MODULES = sorted(m.name for m in pkgutil.walk_packages(citynet.__path__, prefix="citynet."))


@pytest.mark.parametrize("name", ["citynet", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_api_reexported() -> None:
    for name in citynet.__all__:
        assert hasattr(citynet, name)


def test_readme_example_matches_the_tool() -> None:
    """The README's join check example says what the tool says (verdict and key lines)."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example -->\n```\n\$ citynet (.+?)\n(.+?)\n```", readme, re.S)
    assert block
    done = subprocess.run(
        [sys.executable, "-m", "citynet.cli", *block.group(1).split()],
        capture_output=True,
        text=True,
        check=True,
    )
    # the first lines name the year (they change with the calendar)
    shown = [line for line in block.group(2).splitlines()[4:] if line and line != "..."]
    for line in shown:
        if line.startswith("  ..."):
            continue
        assert line in done.stdout.splitlines(), line
