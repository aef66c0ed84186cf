"""The static explorer site: complete, relative, escaped, deterministic, replaced whole."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import citynet
from citynet import CitynetError
from citynet.export.site import MARKER, write_site
from tests.hostile import HOSTILE, hostile_landscape


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def test_every_city_and_network_has_a_page(shipped_site: Path) -> None:
    from citynet.export.site import paged_cities

    land = citynet.load()
    paged = paged_cities(land)
    assert {p.stem for p in (shipped_site / "cities").iterdir()} == paged
    assert len(paged) < len(land.city_ids) / 10  # a page only where it says something
    assert {p.stem for p in (shipped_site / "networks").iterdir()} == set(land.network_ids)
    for name in ("index.html", "cities.html", "networks.html", "map.html", "network-map.html"):
        assert (shipped_site / name).is_file()
    assert (shipped_site / MARKER).is_file()


def test_links_are_relative_and_lead_somewhere(shipped_site: Path) -> None:
    for path in [shipped_site / "index.html", shipped_site / "cities" / "santiago.html",
                 shipped_site / "networks" / "c40.html", shipped_site / "cities.html"]:  # fmt: skip
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', text):
            if href.startswith(("http://", "https://")):
                continue
            assert not href.startswith(("/", "file:")), href
            page, _, fragment = href.partition("#")
            assert (path.parent / page).resolve().is_file(), (path, href)
            if fragment:  # a map opened on a city or network that it draws
                kind, _, ident = fragment.partition("=")
                assert kind in ("city", "network"), href
                assert f'"{ident}"' in (path.parent / page).read_text(encoding="utf-8"), href


def test_pages_carry_the_facts_with_their_sources(shipped_site: Path) -> None:
    santiago = (shipped_site / "cities" / "santiago.html").read_text(encoding="utf-8")
    assert "Memberships and seats in" in santiago
    assert "puranoticia.pnt.cl" in santiago  # the source of its AChM seat
    assert "comparable cities" in santiago
    assert santiago.count("<tr>") > 50  # every network is checked
    assert "worth considering" in santiago
    assert "not open" in santiago
    c40 = (shipped_site / "networks" / "c40.html").read_text(encoding="utf-8")
    assert "Rules and obligations" in c40
    assert "Leadership Standards" in c40  # a rule's source, with its quote
    assert "<blockquote>" in c40
    assert "Membership over time" in c40


def test_every_page_is_under_a_strict_policy(shipped_site: Path) -> None:
    for path in _pages(shipped_site)[::40]:
        text = path.read_text(encoding="utf-8")
        policy = re.search(r'Content-Security-Policy" content="([^"]+)"', text)
        assert policy, path
        assert policy.group(1).startswith("default-src 'none'")
        assert "unsafe-inline" not in policy.group(1)
        assert ' style="' not in text
        assert not re.search(r"<(script|link|img|iframe)[^>]+src=", text)


def test_hostile_names_stay_text_and_the_build_is_deterministic(tmp_path: Path) -> None:
    land = hostile_landscape()
    first = write_site(land, tmp_path / "a")
    second = write_site(land, tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for path in _pages(first):
        if path.name in ("map.html", "network-map.html"):
            continue  # the maps carry names as JSON data (tests/test_maps.py)
        text = path.read_text(encoding="utf-8")
        for hostile in HOSTILE:
            if "<" in hostile:
                assert hostile not in text, (path, hostile)
        assert "javascript:" not in text.lower().replace("javascript:alert", "")


def test_a_folder_with_other_files_is_refused_and_a_site_is_replaced_whole(
    tmp_path: Path,
) -> None:
    land = hostile_landscape()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(CitynetError, match="not a citynet site"):
        write_site(land, mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    site = write_site(land, tmp_path / "site")
    (site / "cities" / "stale.html").write_text("old", encoding="utf-8")
    write_site(land, site)
    assert not (site / "cities" / "stale.html").exists()  # a rebuild leaves no old page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "site"]  # no temporary left


def test_a_failed_build_leaves_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citynet.export import site as site_module

    land = hostile_landscape()
    site = write_site(land, tmp_path / "site")
    before = (site / "index.html").read_bytes()

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("failed mid-build")

    monkeypatch.setattr(site_module, "network_page", broken)
    with pytest.raises(RuntimeError):
        write_site(land, site)
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_cli_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citynet.cli import main

    os.chdir(tmp_path)
    data = hostile_landscape().save(tmp_path / "data")
    assert main(["site", "--data", str(data), "-o", "published/site"]) == 0
    assert "pages" in capsys.readouterr().out
    assert (tmp_path / "published" / "site" / "index.html").is_file()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.txt").write_text("x", encoding="utf-8")
    assert main(["site", "--data", str(data), "-o", "other"]) == 2
    err = capsys.readouterr().err
    assert "not a citynet site" in err
    assert len(err.strip().splitlines()) == 1
