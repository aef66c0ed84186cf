"""Exported maps in a real browser: headless Chromium, every network request blocked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import citynet
from citynet.export.html_map import write_map
from tests.browser import open_map, open_page
from tests.hostile import hostile_landscape

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

if shutil.which("chromium") is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed here (apt-get install chromium); "
        ".ci/run installs it and CI runs this test",
        allow_module_level=True,
    )


@pytest.mark.parametrize("layout", ["force", "geo"])
def test_shipped_map_renders_offline(
    tmp_path: Path, shipped: citynet.Landscape, layout: str
) -> None:
    path = write_map(shipped, tmp_path / f"{layout}.html", layout=layout)
    SCREENSHOTS.mkdir(exist_ok=True)
    report = open_map(
        path,
        screenshot=SCREENSHOTS / f"shipped-{layout}.png",
        actions=[("national", "#scope", "national"), ("executive", "#role", "executive")],
    )
    assert report.requests == []
    assert report.errors == []
    assert report.dialogs == []
    assert report.nodes == len(shipped.cities) + len(shipped.networks)
    assert report.edges == len(shipped.current().edges)
    assert report.visible_nodes == report.nodes
    assert 0 < report.after["national"] < report.nodes
    assert report.after["executive"] < report.after["national"]


def test_hostile_names_run_nothing(tmp_path: Path) -> None:
    land = hostile_landscape()
    path = write_map(land, tmp_path / "hostile.html", heading="<img src=x onerror=alert(9)>")
    SCREENSHOTS.mkdir(exist_ok=True)
    report = open_map(
        path,
        screenshot=SCREENSHOTS / "hostile.png",
        actions=[("focus", "focus", "<img src=x onerror=alert(1)>"), ("region", "#region", "Asia")],
    )
    assert report.dialogs == []
    assert report.requests == []
    assert report.errors == []
    assert report.nodes == len(land.cities) + len(land.networks)
    assert report.after["focus"] == report.nodes  # every city shares evil-net with h00


def test_city_search_focuses_on_the_neighbourhood(
    tmp_path: Path, shipped: citynet.Landscape
) -> None:
    path = write_map(shipped, tmp_path / "paris.html", city="paris")
    report = open_map(path, actions=[("focus", "focus", "Santiago")])
    assert report.after["focus"] < report.nodes


def test_brief_renders_and_prints_on_at_most_two_pages(
    tmp_path: Path, shipped: citynet.Landscape
) -> None:
    from citynet.export.brief import write_brief

    path = write_brief(shipped, "santiago", tmp_path / "brief.html")
    SCREENSHOTS.mkdir(exist_ok=True)
    report = open_page(
        path, screenshot=SCREENSHOTS / "brief-santiago.png", pdf=tmp_path / "brief.pdf"
    )
    assert report.requests == []
    assert report.errors == []
    assert 1 <= report.pdf_pages <= 2
    assert "Networks worth considering" in report.text
    assert "Memberships and seats" in report.text


def test_brief_of_hostile_names_stays_inert(tmp_path: Path) -> None:
    from citynet.export.brief import write_brief

    land = hostile_landscape()
    city = str(land.cities.index[0])
    path = write_brief(land, city, tmp_path / "hostile-brief.html")
    report = open_page(path, screenshot=SCREENSHOTS / "brief-hostile.png")
    assert report.dialogs == []
    assert report.requests == []
    assert report.errors == []
