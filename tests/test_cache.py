"""The mechanisms that make commands fast: a light start-up, and a cache that is never stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import citynet
from citynet.cache import cache_folder, content_key, load_cached

HEAVY = ("pandas", "numpy", "scipy", "networkx", "community", "pyvis", "jinja2")


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["check", "--help"]])
def test_start_up_imports_no_heavy_module(argv: list[str]) -> None:
    script = (
        "import sys\n"
        "from citynet.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


def test_a_light_command_does_not_import_networkx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = (
        "import sys, io, contextlib\n"
        "from citynet.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', 'santiago', 'iclei'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'networkx', 'community', 'pyvis'}))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CITYNET_NO_CACHE", raising=False)
    return tmp_path / "cache" / "citynet"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(citynet.shipped_data_path(), folder)
    return folder


def test_the_cache_serves_an_equal_landscape_and_is_private(
    tmp_path: Path, private_cache: Path
) -> None:
    folder = _copy(tmp_path)
    first = load_cached(folder)
    assert cache_folder() == private_cache
    entries = list(private_cache.glob("*.pickle"))
    assert len(entries) == 1
    assert (private_cache.stat().st_mode & 0o077) == 0
    second = load_cached(folder)
    assert second is not first  # read back from the cache
    assert second.equals(citynet.load(folder))
    assert second.current().edges.equals(citynet.load(folder).current().edges)


def test_any_change_of_a_byte_invalidates_the_cache(tmp_path: Path, private_cache: Path) -> None:
    folder = _copy(tmp_path)
    before = load_cached(folder)
    key = content_key(folder)
    cities = folder / "cities.csv"
    text = cities.read_text(encoding="utf-8")
    assert "\nsantiago,Santiago," in text
    cities.write_text(
        text.replace("\nsantiago,Santiago,", "\nsantiago,Santiagu,"), encoding="utf-8"
    )
    assert content_key(folder) != key
    after = load_cached(folder)
    assert "Santiagu" in set(after.cities["name"])
    assert "Santiagu" not in set(before.cities["name"])
    # a file added (capacity.csv is optional) or removed changes the key too
    (folder / "capacity.csv").unlink()
    assert content_key(folder) != content_key(_copy(tmp_path / "other"))
    without = load_cached(folder)
    assert without.capacity is None


def test_a_damaged_entry_is_ignored_and_replaced(tmp_path: Path, private_cache: Path) -> None:
    folder = _copy(tmp_path)
    load_cached(folder)
    entry = next(private_cache.glob("*.pickle"))
    entry.write_bytes(b"not a pickle")
    land = load_cached(folder)
    assert land.equals(citynet.load(folder))
    assert entry.read_bytes() != b"not a pickle"


def test_an_entry_for_other_content_is_never_served(tmp_path: Path, private_cache: Path) -> None:
    import pickle

    folder = _copy(tmp_path)
    load_cached(folder)
    entry = next(private_cache.glob("*.pickle"))
    other = citynet.load(_copy(tmp_path / "x"))
    entry.write_bytes(pickle.dumps(("some other key", other)))
    assert load_cached(folder).equals(citynet.load(folder))


def test_no_cache_bypasses_it(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path)
    load_cached(folder, use_cache=False)
    assert not private_cache.exists()
    monkeypatch.setenv("CITYNET_NO_CACHE", "1")
    load_cached(folder)
    assert not private_cache.exists()


def test_a_folder_others_may_write_is_not_used(tmp_path: Path, private_cache: Path) -> None:
    folder = _copy(tmp_path)
    private_cache.mkdir(parents=True)
    private_cache.chmod(0o777)
    load_cached(folder)
    assert list(private_cache.glob("*.pickle")) == []


def test_the_cli_no_cache_flag(
    tmp_path: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from citynet.cli import main

    folder = _copy(tmp_path)
    assert main(["info", "--data", str(folder), "--no-cache"]) == 0
    assert not private_cache.exists()
    assert main(["info", "--data", str(folder)]) == 0
    assert len(list(private_cache.glob("*.pickle"))) == 1
    capsys.readouterr()
