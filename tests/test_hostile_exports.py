"""Every exporter takes a landscape of hostile names, and none leaves a partial file behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import citynet
from citynet import io as cio
from tests.hostile import HOSTILE, hostile_landscape

EXPORTERS: dict[str, Callable[[citynet.Landscape, Path], Any]] = {
    "map.html": lambda land, p: citynet.write_map(land, p),
    "land.gexf": citynet.write_gexf,
    "land.graphml": citynet.write_graphml,
    "kumu.xlsx": citynet.write_kumu,
    "kumu.csv": citynet.write_kumu,
    "datapackage.json": citynet.write_datapackage,
    "cities.csv": lambda land, p: land.save(p.parent),
}


def test_hostile_names_survive_every_exporter(tmp_path: Path) -> None:
    land = hostile_landscape()
    assert citynet.load(land.save(tmp_path / "saved")).equals(land)  # lossless, not neutralised
    for name, export in EXPORTERS.items():
        export(land, tmp_path / name)
    gexf = nx.read_gexf(tmp_path / "land.gexf")
    graphml = nx.read_graphml(tmp_path / "land.graphml")
    names = {d["name"] for _, d in gexf.nodes(data=True) if d["kind"] == "city"}
    assert names == {h.replace("\u2028", "\u2028") for h in HOSTILE}
    assert {d["name"] for _, d in graphml.nodes(data=True) if d["kind"] == "city"} == names
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in page
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["cities", "networks", "memberships"]
    elements = (tmp_path / "kumu-elements.csv").read_text(encoding="utf-8")
    assert "\n=HYPERLINK" not in elements
    assert "'=HYPERLINK" in elements


class _FailingFile:
    """A file that fails after ``limit`` characters, like a full disk."""

    def __init__(self, inner: Any, limit: int) -> None:
        self.inner, self.limit, self.written = inner, limit, 0

    def write(self, data: Any) -> int:
        if self.written + len(data) > self.limit:
            raise OSError(28, "No space left on device")
        self.written += len(data)
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_interrupted_write_keeps_the_old_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    land = hostile_landscape()
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    target.write_text("the old file", encoding="utf-8")
    real_fdopen = cio.os.fdopen
    monkeypatch.setattr(
        cio.os, "fdopen", lambda *a, **k: _FailingFile(real_fdopen(*a, **k), limit=500)
    )
    with pytest.raises(OSError, match="No space left"):
        EXPORTERS[name](land, target)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "the old file"
    assert [p.name for p in folder.iterdir()] == [name]  # no temporary file left behind
