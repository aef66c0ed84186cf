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
    # nor is a derived value planted there where it would be looked for: it is computed
    import pickle

    from citynet.cache import DerivedStore

    snapshot = load_cached(folder).current()
    memo_key = ((snapshot.year, snapshot.certainty, None), "test-value")
    planted = DerivedStore(private_cache, content_key(folder))._path(memo_key)
    planted.write_bytes(pickle.dumps((repr(memo_key), "planted")))
    assert snapshot.memo("test-value", lambda: "computed", lasting=True) == "computed"


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


def _never() -> object:
    raise AssertionError("computed again, though it was kept")


def test_lasting_values_are_read_by_the_next_command_and_never_stale(
    tmp_path: Path, private_cache: Path
) -> None:
    folder = _copy(tmp_path)
    first = load_cached(folder)
    now = first.current()
    value = now.memo("test-value", lambda: {"cities": len(now.cities)}, lasting=True)
    assert len(list(private_cache.glob("*.derived"))) == 1
    # the next command (a new landscape read from the cache) reads it instead of computing it
    again = load_cached(folder).current()
    assert again.memo("test-value", _never, lasting=True) == value
    # another year is another snapshot: its own value
    other_year = load_cached(folder).current(2010)
    assert other_year.memo("test-value", lambda: "2010", lasting=True) == "2010"
    # a changed byte is another landscape: computed anew, never the old value
    cities = folder / "cities.csv"
    text = cities.read_text(encoding="utf-8")
    cities.write_text(
        text.replace("\nsantiago,Santiago,", "\nsantiago,Santiagu,"), encoding="utf-8"
    )
    changed = load_cached(folder).current()
    assert changed.memo("test-value", lambda: "fresh", lasting=True) == "fresh"
    # a damaged value file is computed again
    for path in private_cache.glob("*.derived"):
        path.write_bytes(b"damaged")
    assert load_cached(folder).current().memo("test-value", lambda: "redo", lasting=True) == "redo"


def test_join_check_answers_from_kept_matrices(tmp_path: Path, private_cache: Path) -> None:
    folder = _copy(tmp_path)
    fresh = citynet.join_check(load_cached(folder), "santiago", "iclei")
    kept = citynet.join_check(load_cached(folder), "santiago", "iclei")
    assert len(list(private_cache.glob("*.derived"))) >= 2  # the matrices and the rules' index
    assert kept.verdict == fresh.verdict
    assert kept.reason == fresh.reason
    assert kept.new_partners == fresh.new_partners
