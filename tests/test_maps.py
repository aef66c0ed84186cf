"""HTML maps: self-contained, escaped, deterministic, atomic; Jupyter display; subsets."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import citynet
from citynet import CitynetError
from citynet.export import html_map
from citynet.export.html_map import LARGE_MAP, map_html, show_map, to_pyvis, write_map
from tests.hostile import HOSTILE, hostile_landscape


@pytest.fixture(scope="module")
def santiago_page(shipped: citynet.Landscape) -> str:
    return map_html(to_pyvis(shipped, city="santiago"))


def test_page_is_self_contained(santiago_page: str) -> None:
    # two script elements: vis-network inlined, then citynet's code
    assert len(re.findall(r"^<script>$", santiago_page, flags=re.M)) == 2
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", santiago_page)
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrapcdn", "googleapis"):
        assert host not in santiago_page.lower()
    assert "default-src 'none'" in santiago_page  # the browser may fetch nothing at all


def test_no_lib_folder_written(tmp_path: Path, shipped: citynet.Landscape) -> None:
    os.chdir(tmp_path)
    write_map(shipped, "map.html", scope="national")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_hostile_strings_never_reach_html_unescaped(tmp_path: Path) -> None:
    land = hostile_landscape()
    page = map_html(to_pyvis(land), heading="<script>alert('heading')</script>")
    body = re.split(r"^<script>$", page, flags=re.M)[2]  # citynet's own script
    before_scripts = re.split(r"^<script>$", page, flags=re.M)[0]
    for text in HOSTILE:
        assert text not in before_scripts or "<" not in text
    assert "<script>alert" not in page.replace("\\u003cscript\\u003e", "")
    assert "&lt;script&gt;alert(&#39;heading&#39;)&lt;/script&gt;" in page
    assert "</script><script>alert(2)" not in body
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(2)" in body
    assert "innerHTML" not in body


def test_deterministic(tmp_path: Path, shipped: citynet.Landscape) -> None:
    first = write_map(shipped, tmp_path / "a.html", layout="force", seed=3).read_bytes()
    second = write_map(shipped, tmp_path / "b.html", layout="force", seed=3).read_bytes()
    other = write_map(shipped, tmp_path / "c.html", layout="force", seed=4).read_bytes()
    assert first == second
    assert first != other


def test_write_is_atomic(
    tmp_path: Path, shipped: citynet.Landscape, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.html"
    target.write_text("old map", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("failed mid-render")

    monkeypatch.setattr(html_map, "map_html", broken)
    with pytest.raises(RuntimeError):
        write_map(shipped, target)
    assert target.read_text(encoding="utf-8") == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_layouts_and_missing_coordinates(shipped: citynet.Landscape) -> None:
    geo = to_pyvis(shipped, layout="geo")
    by_id = {n["id"]: n for n in geo.nodes}
    paris = by_id["city:paris"]
    assert paris["x"] == pytest.approx(2.3488 * 8, abs=0.1)
    assert paris["y"] == pytest.approx(-48.8534 * 8, abs=0.1)
    no_coords = shipped.cities.index[shipped.cities["latitude"].isna()]
    placed = by_id[f"city:{no_coords[0]}"]
    assert "No coordinates in the data" in placed["title"]
    assert placed["y"] > 90 * 8  # below the map
    assert "329 cities have no coordinates" in geo.citynet_note


def test_subsets(shipped: citynet.Landscape) -> None:
    ego = to_pyvis(shipped, city="Santiago")
    kinds = {n["id"] for n in ego.nodes if n["kind"] == "network"}
    assert kinds == {
        f"network:{n}"
        for n in shipped.edges.loc[shipped.edges["city_id"] == "santiago", "network_id"]
    }
    gcom = next(n for n in ego.nodes if n["id"] == "network:gcom")
    assert "other members are not drawn" in gcom["title"]
    national = to_pyvis(shipped, scope="national")
    assert {n["scope"] for n in national.nodes if n["kind"] == "network"} == {"national"}
    culture = to_pyvis(shipped, theme="culture")
    assert all("culture" in n["themes"] for n in culture.nodes if n["kind"] == "network")
    with pytest.raises(CitynetError, match="unknown theme"):
        to_pyvis(shipped, theme="cultur")


def test_executive_edges_and_sizes(shipped: citynet.Landscape) -> None:
    net = to_pyvis(shipped, city="paris", size_by="executive")
    edges = {e["id"]: e for e in net.edges}
    assert edges["paris|uclg"]["width"] > edges["paris|lhc"]["width"]  # a seat today
    assert all(isinstance(n["size"], float) for n in net.nodes)


def test_warns_above_large_map(monkeypatch: pytest.MonkeyPatch, shipped: citynet.Landscape) -> None:
    monkeypatch.setattr(html_map, "LARGE_MAP", 100)
    with pytest.warns(UserWarning, match="consider a subset"):
        to_pyvis(shipped, scope="international")
    assert LARGE_MAP == 2000


def test_numpy_values_serialise() -> None:
    net = to_pyvis(hostile_landscape())
    net.nodes[0]["size"] = np.int64(7)
    net.nodes[0]["x"] = np.float32(1.5)
    page = map_html(net)
    assert '"size":7' in page


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
