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
