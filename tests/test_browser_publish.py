"""Publishing, round three, in a real browser: phones, clicks, overviews, search, links.

Headless Chromium with every request blocked, on the shipped data (the whole landscape: 12,000
cities, an overview map) and on small landscapes made here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import citynet
from citynet.export.html_map import write_map
from tests.browser import ARGS, CHROMIUM, evaluate_map

if shutil.which("chromium") is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed here (apt-get install chromium); "
        ".ci/run installs it and CI runs this test",
        allow_module_level=True,
    )

CLICKS = """() => {
  const net = window.citynetMap.network;
  const ids = window.citynetMap.nodesView.getIds().filter(id => id.startsWith('network:'));
  const missed = ids.filter(id => net.getNodeAt(net.canvasToDOM(net.getPositions([id])[id])) !== id);
  return [ids.length, missed];
}"""


@pytest.fixture(scope="module")
def whole_maps(
    tmp_path_factory: pytest.TempPathFactory, shipped: citynet.Landscape
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("maps")
    with pytest.warns(UserWarning, match="opens on an overview"):
        force = write_map(shipped, folder / "force.html")
    with pytest.warns(UserWarning, match="opens on an overview"):
        geo = write_map(shipped, folder / "geo.html", layout="geo")
    return {"force": force, "geo": geo}


@pytest.mark.parametrize("layout", ["force", "geo"])
def test_every_network_is_clickable_at_its_centre(whole_maps: dict[str, Path], layout: str) -> None:
    (shown, missed), errors = evaluate_map(whole_maps[layout], CLICKS)
    assert errors == []
    assert shown >= 40
    assert missed == []


def test_a_phone_gives_the_map_the_width(tmp_path: Path, shipped: citynet.Landscape) -> None:
    path = write_map(shipped, tmp_path / "cape-town.html", city="Cape Town")
    box, errors = evaluate_map(
        path,
        "() => { const r = document.getElementById('graph').getBoundingClientRect();"
        " return [r.width, r.height, window.innerWidth]; }",
        viewport=(390, 844),
    )
    assert errors == []
    width, height, page_width = box
    assert width >= 0.9 * page_width
    assert height >= 300


def test_a_filter_applies_to_the_overview(whole_maps: dict[str, Path]) -> None:
    script = """() => {
      const s = document.getElementById('region'); s.value = 'Europe';
      s.dispatchEvent(new Event('change'));
      const ids = window.citynetMap.nodesView.getIds();
      return [ids.filter(id => id.startsWith('city:')).length,
              document.getElementById('status').textContent,
              document.getElementById('empty').hidden, location.hash, document.title];
    }"""
    (cities, status, empty_hidden, fragment, title), errors = evaluate_map(
        whole_maps["force"], script
    )
    assert errors == []
    assert cities > 0
    assert empty_hidden
    assert "matching the filters" in status
    assert fragment == "#region=Europe"
    assert title.endswith("(Europe)")


def test_a_two_city_network_is_drawn_whole(tmp_path: Path) -> None:
    land = citynet.Landscape.from_frames(
        pd.DataFrame(
            {
                "city_id": ["lyon", "turin"],
                "name": ["Lyon", "Turin"],
                "country": ["FR", "IT"],
                "latitude": [45.76, 45.07],
                "longitude": [4.84, 7.69],
            }
        ),
        pd.DataFrame({"network_id": ["alps"], "name": ["Alpine Towns"], "scope": ["regional"]}),
        pd.DataFrame(
            {
                "city_id": ["lyon", "turin"],
                "network_id": ["alps", "alps"],
                "role": ["member", "member"],
                "source_url": ["https://example.org/a"] * 2,
            }
        ),
    )
    path = write_map(land, tmp_path / "alps.html", layout="geo")
    status, errors = evaluate_map(path, "() => document.getElementById('status').textContent")
    assert errors == []
    assert status == "3 nodes and 2 memberships shown"


def test_search_finds_what_people_type(whole_maps: dict[str, Path]) -> None:
    script = """() => ['Kapstadt', 'CGLU', 'new york', 'NEW YORK', 'sao paulo', 'Durbann']
      .map(q => window.citynetMap.search(q, 3))"""
    found, errors = evaluate_map(whole_maps["force"], script)
    assert errors == []
    kapstadt, cglu, new_york, shouted, sao_paulo, typo = found
    assert kapstadt[0] == "city:cape-town"
    assert cglu[0] == "network:uclg"
    assert new_york[0] == "city:new-york"
    assert shouted[0] == "city:new-york"
    assert sao_paulo[0] == "city:sao-paulo"
    assert typo[0] == "city:durban"


def test_a_link_opens_the_map_focused(whole_maps: dict[str, Path]) -> None:
    script = """() => [window.citynetMap.state.focus, document.title,
      document.querySelector('header h1').textContent,
      document.getElementById('graph').getAttribute('aria-label')]"""
    (focus, title, heading, label), errors = evaluate_map(
        whole_maps["geo"], script, fragment="#city=cape-town"
    )
    assert errors == []
    assert focus == "city:cape-town"
    assert title == heading == "Cape Town\u2019s networks, 2026"
    assert label.startswith("Cape Town\u2019s networks, 2026: ")


def test_the_map_as_a_list_is_reachable_by_keyboard(whole_maps: dict[str, Path]) -> None:
    script = """() => {
      document.querySelector('#as-text').open = true;
      const items = Array.from(document.querySelectorAll('#text-list button'));
      items[0].focus();
      const active = document.activeElement.tagName;
      items[0].click();
      return [items.length, items[0].textContent, active,
              !!document.querySelector('main'), window.citynetMap.state.open];
    }"""
    (count, first, active, has_main, opened), errors = evaluate_map(whole_maps["force"], script)
    assert errors == []
    assert count > 40
    assert first.startswith("Network ")
    assert active == "BUTTON"
    assert has_main
    assert opened is not None


def test_site_search_ranks_and_knows_network_aliases(shipped_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto((shipped_site / "index.html").resolve().as_uri())
        first = {}
        for query in ("new york", "CGLU", "Kapstadt"):
            page.fill("#search", query)
            page.dispatch_event("#search", "input")
            first[query] = page.eval_on_selector("#results li a", "a => a.textContent")
        browser.close()
    assert first == {"new york": "New York City", "CGLU": "UCLG", "Kapstadt": "Cape Town"}
    page_text = (shipped_site / "cities" / "cape-town.html").read_text(encoding="utf-8")
    assert 'href="../map.html#city=cape-town"' in page_text


AXE = Path(__file__).resolve().parent / "assets" / "axe.min.js"


def _axe(path: Path, viewport: tuple[int, int]) -> tuple[list[list[object]], list[int]]:
    """Run the vendored axe-core in a page: its serious and critical violations, and widths."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        page.goto(path.resolve().as_uri())
        page.wait_for_timeout(400)
        page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not an inline script
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => [v.id, v.impact, v.nodes.length])"
        )
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        browser.close()
    return found, widths


@pytest.mark.parametrize("viewport", [(1400, 900), (390, 844)])
def test_axe_finds_no_serious_violation(
    tmp_path: Path, shipped: citynet.Landscape, shipped_site: Path, viewport: tuple[int, int]
) -> None:
    pages = [
        write_map(shipped, tmp_path / "cape-town.html", city="Cape Town"),
        write_map(shipped, tmp_path / "geo.html", city="Lyon", layout="geo"),
        shipped_site / "index.html",
        shipped_site / "cities" / "cape-town.html",
        shipped_site / "networks" / "c40.html",
        shipped_site / "cities.html",
    ]
    for path in pages:
        found, (page_width, window_width) = _axe(path, viewport)
        assert found == [], path
        assert page_width <= window_width, path  # nothing wider than a phone's screen


def test_the_giant_network_opens_as_dots(whole_maps: dict[str, Path]) -> None:
    """The Covenant of Mayors (9,000 members) opens with its members drawn as canvas dots, not
    as 9,000 vis nodes (the freeze of seconds was vis-network building them); a click on a dot
    says which city it is. How long it takes is measured in benchmarks/browser.py."""
    script = """async () => {
      const m = window.citynetMap;
      m.openNetwork('network:com-europe');
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      const bulk = m.bulk();
      const k = bulk.cities[0];
      const D = JSON.parse(document.getElementById('citynet-data').textContent);
      const at = m.network.canvasToDOM({x: D.cities.x[k], y: D.cities.y[k]});
      m.network.body.emitter.emit('click', {nodes: [], edges: [], pointer: {DOM: at}});
      return [bulk.cities.length, m.nodesView.length, m.edgesView.length,
              document.getElementById('status').textContent,
              document.querySelector('#info .title').textContent, D.cities.name[k]];
    }"""
    (members, nodes, lines, status, described, name), errors = evaluate_map(
        whole_maps["force"], script
    )
    assert errors == []
    assert members > 8000
    assert nodes < 200  # the networks, not the members
    assert lines < 200
    assert f"the {members:,} members of CoM as dots: click one" in status
    assert described.startswith(name)


def test_share_link_embed_and_downloads(tmp_path: Path, shipped: citynet.Landscape) -> None:
    from playwright.sync_api import sync_playwright

    path = write_map(shipped, tmp_path / "cape-town.html", city="Cape Town")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(path.resolve().as_uri() + "#city=cape-town&role=executive")
        page.wait_for_function("window.citynetMap !== undefined", timeout=30_000)
        page.click("#share summary")
        link = page.input_value("#share-link")
        embed = page.input_value("#share-embed")
        with page.expect_download() as png:
            page.click("#download-png")
        with page.expect_download() as csv:
            page.click("#download-csv")
        png_path, csv_path = tmp_path / "view.png", tmp_path / "view.csv"
        png.value.save_as(png_path)
        csv.value.save_as(csv_path)
        browser.close()
    assert link.endswith("#city=cape-town&role=executive")
    assert embed.startswith('<iframe src="file://')
    assert "role=executive" in embed
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(csv_path, dtype=str)
    assert list(table.columns[:4]) == ["city_id", "city", "country", "network_id"]
    assert set(table["role"]) == {"executive"}  # the view's filter, not the whole map
    assert "cape-town" in set(table["city_id"])
