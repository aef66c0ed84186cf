"""HTML maps: self-contained, escaped, deterministic, atomic; Jupyter display; subsets."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import citynet
from citynet import CitynetError
from citynet.export import html_map, map_model
from citynet.export.html_map import LARGE_MAP, map_html, show_map, to_pyvis, write_map
from citynet.export.map_model import GEO_SCALE
from citynet.geo import equal_earth, world_bounds
from citynet.synthetic import SIZES, synthetic_landscape
from tests.hostile import HOSTILE, hostile_landscape


@pytest.fixture(scope="module")
def santiago_page(shipped: citynet.Landscape) -> str:
    return map_html(to_pyvis(shipped, city="santiago"))


def _scripts(page: str) -> list[str]:
    """The text of each executable script element."""
    return re.findall(r"<script>(.*?)</script>", page, flags=re.S)


def _data(page: str) -> dict:  # type: ignore[type-arg]
    block = re.search(r'<script type="application/json" id="citynet-data">(.*?)</script>', page)
    assert block
    return json.loads(block.group(1))


def test_page_is_self_contained(santiago_page: str) -> None:
    # two scripts: vis-network inlined, then citynet's code; the data in an inert JSON block
    assert len(_scripts(santiago_page)) == 2
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", santiago_page)
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrapcdn", "googleapis"):
        assert host not in santiago_page.lower()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', santiago_page)
    assert policy
    assert policy.group(1).startswith("default-src 'none'")  # the browser may fetch nothing
    assert "unsafe-inline" not in policy.group(1)
    style = re.search(r"<style>(.*?)</style>", santiago_page, flags=re.S)
    assert style
    for text in [*_scripts(santiago_page), style.group(1)]:  # each allowed by its own hash
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1)
    assert ' style="' not in santiago_page  # no inline style attribute for CSP to refuse


def test_no_lib_folder_written(tmp_path: Path, shipped: citynet.Landscape) -> None:
    os.chdir(tmp_path)
    write_map(shipped, "map.html", scope="national")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_hostile_strings_never_reach_html_unescaped(tmp_path: Path) -> None:
    land = hostile_landscape()
    page = map_html(to_pyvis(land), heading="<script>alert('heading')</script>")
    data_block = re.search(r'id="citynet-data">(.*?)</script>', page, flags=re.S)
    assert data_block
    outside = page.replace(data_block.group(1), "")
    for text in HOSTILE:
        assert text not in outside or "<" not in text
    assert "<script>alert" not in page.replace("\\u003cscript\\u003e", "")
    assert "&lt;script&gt;alert(&#39;heading&#39;)&lt;/script&gt;" in page
    assert "</script><script>alert(2)" not in data_block.group(1)
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(2)" in data_block.group(1)
    # the data give every hostile name back exactly, and the code never parses HTML
    assert set(_data(page)["cities"]["name"]) == set(HOSTILE)
    code = _scripts(page)[1]
    assert "innerHTML" not in code
    assert "insertAdjacentHTML" not in code


def test_deterministic(tmp_path: Path, shipped_small: citynet.Landscape) -> None:
    first = write_map(shipped_small, tmp_path / "a.html", layout="force", seed=3).read_bytes()
    second = write_map(shipped_small, tmp_path / "b.html", layout="force", seed=3).read_bytes()
    other = write_map(shipped_small, tmp_path / "c.html", layout="force", seed=4).read_bytes()
    assert first == second
    assert first != other


def test_write_is_atomic(
    tmp_path: Path, shipped_small: citynet.Landscape, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.html"
    target.write_text("old map", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("failed mid-render")

    monkeypatch.setattr(html_map, "map_html", broken)
    with pytest.raises(RuntimeError):
        write_map(shipped_small, target)
    assert target.read_text(encoding="utf-8") == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_layouts_and_missing_coordinates(shipped_small: citynet.Landscape) -> None:
    geo = to_pyvis(shipped_small, layout="geo")
    by_id = {n["id"]: n for n in geo.nodes}
    paris = by_id["city:paris"]
    x, y = equal_earth(2.3488, 48.8534, scale=GEO_SCALE)
    assert (paris["x"], paris["y"]) == (
        pytest.approx(float(x), abs=0.1),
        pytest.approx(float(y), abs=0.1),
    )
    members = set(shipped_small.current().edges["city_id"])
    no_coords = [
        c
        for c in shipped_small.cities.index[shipped_small.cities["latitude"].isna()]
        if c in members
    ]
    placed = by_id[f"city:{no_coords[0]}"]
    assert placed["no_coordinates"]
    assert placed["x"] is None
    assert f"{len(no_coords)} cities have no coordinates" in geo.citynet_note
    assert geo.citynet_meta["missing"] == sorted(no_coords)
    # networks: at the headquarters when the landscape has that city, never off the page
    assert by_id["network:vng"]["placed"].startswith("at its headquarters")
    assert by_id["network:c40"]["placed"] == "at its headquarters (London)"
    assert by_id["network:gcom"]["placed"].startswith("beside the map")  # no headquarters
    x0, y0, x1, y1 = world_bounds(GEO_SCALE)
    for node in geo.nodes:
        if node["x"] is not None:
            assert x0 - 100 <= node["x"] <= x1 + 100
            assert y0 - 100 <= node["y"] <= y1 + 100
    page = map_html(geo)
    assert len(_data(page)["outlines"]) > 200
    assert "Natural Earth" in page


def test_subsets(shipped_small: citynet.Landscape) -> None:
    ego = to_pyvis(shipped_small, city="Santiago")
    kinds = {n["id"] for n in ego.nodes if n["kind"] == "network"}
    now = shipped_small.current().edges
    assert kinds == {f"network:{n}" for n in now.loc[now["city_id"] == "santiago", "network_id"]}
    assert all(n["hidden"] == 0 for n in ego.nodes if n["kind"] == "network")  # none giant
    assert ego.citynet_meta["focus"] == "city:santiago"
    national = to_pyvis(shipped_small, scope="national")
    assert {n["scope"] for n in national.nodes if n["kind"] == "network"} == {"national"}
    culture = to_pyvis(shipped_small, theme="culture")
    assert all("culture" in n["themes"] for n in culture.nodes if n["kind"] == "network")
    with pytest.raises(CitynetError, match="unknown theme"):
        to_pyvis(shipped_small, theme="cultur")


def test_an_ego_map_counts_a_giant_networks_members_without_drawing_them(
    shipped: citynet.Landscape,
) -> None:
    ego = to_pyvis(shipped, city="Paris")
    now = shipped.current().edges
    giant = next(n for n in ego.nodes if n["id"] == "network:com-europe")
    assert giant["hidden"] == int((now["network_id"] == "com-europe").sum()) - 1
    assert len(ego.nodes) < 1000


def test_only_what_exists_that_year_is_drawn(shipped_small: citynet.Landscape) -> None:
    net = to_pyvis(shipped_small)
    now = shipped_small.current().edges
    assert {n["id"] for n in net.nodes if n["kind"] == "city"} == {
        f"city:{c}" for c in set(now["city_id"])
    }
    assert {n["id"] for n in net.nodes if n["kind"] == "network"} == {
        f"network:{n}" for n in set(now["network_id"])
    }
    assert "without a membership in" in net.citynet_note


def test_a_giant_network_is_drawn_as_an_aggregate(shipped: citynet.Landscape) -> None:
    with pytest.warns(UserWarning, match="overview"):
        net = to_pyvis(shipped)
    by_id = {n["id"]: n for n in net.nodes}
    now = shipped.current().edges
    giant = by_id["network:com-europe"]  # 9,000 of the 10,000 memberships
    assert giant["giant"]
    assert [n for n in by_id.values() if n.get("giant")] == [giant]  # only it passes a fifth
    per_city = now.groupby("city_id")["network_id"].agg(set)
    alone = {c for c, nets in per_city.items() if nets == {"com-europe"}}
    assert {n["id"][5:] for n in net.nodes if n.get("only_giant")} == alone
    assert giant["aggregated"] == len(alone)


def test_large_landscapes_open_on_an_overview_under_3_mb(tmp_path: Path) -> None:
    land = synthetic_landscape(**SIZES["R"])
    with pytest.warns(UserWarning, match="overview"):
        path = write_map(land, tmp_path / "r.html")
    assert path.stat().st_size < 3_000_000
    data = _data(path.read_text(encoding="utf-8"))
    assert data["meta"]["mode"] == "overview"
    members = land.current().edges["city_id"].nunique()
    assert len(data["cities"]["id"]) == members > 10_000  # every city, for search and focus
    assert data["meta"]["network_links"]
    assert sum(f & 4 == 4 for f in data["cities"]["flags"]) == 40


def test_a_filter_that_selects_nothing_is_an_error(shipped: citynet.Landscape) -> None:
    bare = synthetic_landscape(n_cities=50, n_networks=5, n_memberships=80, themes=False)
    with pytest.raises(CitynetError, match="would be empty"):
        to_pyvis(bare, theme="climate_change")


def test_executive_edges_and_sizes(shipped_small: citynet.Landscape) -> None:
    net = to_pyvis(shipped_small, city="paris", size_by="executive")
    edges = {e["id"]: e for e in net.edges}
    now = shipped_small.current().edges.query("city_id == 'paris'")
    seat = now.loc[now["role"] == "executive", "network_id"].iloc[0]
    member = now.loc[now["role"] == "member", "network_id"].iloc[0]
    assert edges[f"paris|{seat}"]["width"] > edges[f"paris|{member}"]["width"]  # a seat today
    assert all(isinstance(n["size"], float) for n in net.nodes)


def test_warns_above_large_map(monkeypatch: pytest.MonkeyPatch, shipped: citynet.Landscape) -> None:
    monkeypatch.setattr(map_model, "LARGE_MAP", 100)
    with pytest.warns(UserWarning, match="consider a subset"):
        to_pyvis(shipped, scope="international")
    assert LARGE_MAP == 2000


def test_a_map_too_large_to_open_is_refused_with_its_size(
    monkeypatch: pytest.MonkeyPatch, shipped: citynet.Landscape, tmp_path: Path
) -> None:
    monkeypatch.setattr(map_model, "MAX_MAP_MEMBERSHIPS", 1000)
    n = len(shipped.current().edges)
    with pytest.raises(CitynetError, match=f"would draw {n:,} memberships, a page of about"):
        write_map(shipped, tmp_path / "all.html")
    assert not (tmp_path / "all.html").exists()
    assert write_map(shipped, tmp_path / "paris.html", city="paris").exists()  # a subset is drawn


def test_numpy_values_serialise() -> None:
    net = to_pyvis(hostile_landscape())
    net.nodes[0]["size"] = np.int64(7)
    net.nodes[0]["x"] = np.float32(1.5)
    page = map_html(net)
    assert _data(page)["networks"]["size"][0] == 7


def test_jupyter_frame(shipped: citynet.Landscape) -> None:
    frame = show_map(shipped, scope="national", height=500)
    html = frame._repr_html_()
    assert html.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in html
    assert "height:500px" in html


def test_works_under_an_ascii_locale(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import citynet, pathlib; from tests.hostile import hostile_landscape;"
        "citynet.write_map(hostile_landscape(), pathlib.Path(r'%s'))" % (tmp_path / "m.html")
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert "مدينة" in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_cli_map(tmp_path: Path) -> None:
    from citynet.cli import main

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (
            main(
                ["map", "-o", str(tmp_path / "geo.html"), "--layout", "geo", "--city", "sao paulo"]
            )
            == 0
        )
    assert (tmp_path / "geo.html").stat().st_size > 100_000
    assert pd.notna(citynet.load().cities.loc["sao-paulo", "latitude"])


def test_cli_map_creates_the_folder_and_refuses_an_empty_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from citynet.cli import main

    os.chdir(tmp_path)
    assert main(["map", "-o", "maps/santiago.html", "--city", "santiago"]) == 0
    assert (tmp_path / "maps" / "santiago.html").is_file()
    capsys.readouterr()
    assert (
        main(["map", "-o", "empty.html", "--theme", "peace_building", "--scope", "national"]) == 2
    )
    err = capsys.readouterr().err
    assert "would be empty" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "empty.html").exists()
    assert main(["map", "-o", str(tmp_path / "maps" / "santiago.html" / "x.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_components_too_large_for_springs_take_the_cloud_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At L (50,000 cities) the cloud layout met the group nodes of the springs: KeyError."""
    import citynet.export.map_model as map_model

    monkeypatch.setattr(map_model, "_SPRING_LIMIT", 20)
    land = synthetic_landscape(n_cities=400, n_networks=12, n_memberships=900, seed=4)
    path = write_map(land, tmp_path / "clouds.html")
    assert path.stat().st_size > 10_000


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> list[float]:
    return [_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]


def test_palette_contrast_and_colour_blind_separation() -> None:
    """Every map colour has 3:1 contrast on white (WCAG non-text contrast); under simulated
    deuteranopia and protanopia (Machado et al. 2009) no two of a legend look alike."""
    import itertools
    import math

    from citynet.export.map_model import REGION_COLORS, SCOPE_COLORS, UNKNOWN_COLOR

    def luminance(colour: str) -> float:
        r, g, b = _rgb(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    machado = {
        "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]],
        "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]],
    }  # fmt: skip

    def lab(rgb: list[float]) -> tuple[float, float, float]:
        r, g, b = (min(1.0, max(0.0, v)) for v in rgb)
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    for legend in (list(REGION_COLORS.values()), list(SCOPE_COLORS.values())):
        for colour in [*legend, UNKNOWN_COLOR]:
            assert (1.05) / (luminance(colour) + 0.05) >= 3.0, colour
        for matrix in machado.values():
            seen = [lab([sum(m * v for m, v in zip(row, _rgb(c), strict=True)) for row in matrix])
                    for c in legend]  # fmt: skip
            closest = min(math.dist(a, b) for a, b in itertools.combinations(seen, 2))
            assert closest >= 18, legend
