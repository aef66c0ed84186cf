"""Open a map in headless Chromium (Debian's /usr/bin/chromium) with every request blocked."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass
class PageReport:
    nodes: int
    edges: int
    visible_nodes: int
    visible_edges: int
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    after: dict[str, Any] = field(default_factory=dict)
    graph_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def _only(url: str, blocked: list[str], *, prefix: str = "") -> Any:
    """A route handler that lets ``url`` load and blocks, and records, every other request."""

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(prefix + r.request.url)
            r.abort()

    return route


def open_map(
    path: Path, *, screenshot: Path | None = None, actions: list[tuple[str, str, str]] | None = None
) -> PageReport:
    """Load ``path`` as file://, block and record every other request, run ``actions``.

    ``actions`` are ``(name, selector, value)``: each selects ``value`` in ``selector`` (or,
    for the selectors ``focus``, ``open``, ``type`` and ``clear``, focuses a city, opens a
    network, types into the search box, presses "Show all") and records the visible node count
    under ``name``.
    """
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    url = path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        page.route("**/*", _only(url, requests))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        # CSP refusals and script errors reach the console
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_function("window.citynetMap !== undefined", timeout=30_000)
        page.wait_for_timeout(500)
        counts = page.evaluate(
            "() => { const m = window.citynetMap; return [m.nodes.length, m.edges.length,"
            " m.nodesView.length, m.edgesView.length]; }"
        )
        after: dict[str, Any] = {}
        for name, selector, value in actions or []:
            if selector == "focus":
                page.evaluate("(v) => window.citynetMap.focusCity(v)", value)
            elif selector == "open":
                page.evaluate("(v) => window.citynetMap.openNetwork(v)", value)
            elif selector == "clear":
                page.click("#clear")
            elif selector == "type":
                page.fill("#search", value)
                page.press("#search", "Enter")
                page.dispatch_event("#search", "change")
            else:
                page.select_option(selector, value)
            page.wait_for_timeout(200)
            after[name] = page.evaluate("() => window.citynetMap.nodesView.length")
        box = page.evaluate(
            "() => { const r = document.getElementById('graph').getBoundingClientRect();"
            " return [r.x, r.y, r.width, r.height]; }"
        )
        if screenshot is not None:
            page.wait_for_timeout(300)
            page.screenshot(path=str(screenshot))
        browser.close()
    return PageReport(
        nodes=counts[0],
        edges=counts[1],
        visible_nodes=counts[2],
        visible_edges=counts[3],
        requests=requests,
        dialogs=dialogs,
        errors=errors,
        after=after,
        graph_box=(box[0], box[1], box[2], box[3]),
    )


@dataclass
class StaticReport:
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pdf_pages: int = 0
    text: str = ""


def open_page(
    path: Path,
    *,
    screenshot: Path | None = None,
    pdf: Path | None = None,
    viewport: tuple[int, int] = (1000, 1400),
) -> StaticReport:
    """Open a static page from file://, block other requests, keep errors, optionally print it."""
    import re

    from playwright.sync_api import sync_playwright

    report = StaticReport()
    url = path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})

        page.route("**/*", _only(url, report.requests))
        page.on("dialog", lambda d: (report.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: report.errors.append(str(e)))
        page.on(
            "console",
            lambda m: report.errors.append(m.text) if m.type == "error" else None,
        )
        page.goto(url)
        page.wait_for_timeout(300)
        report.text = page.inner_text("body")
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
        if pdf is not None:
            page.pdf(path=str(pdf), format="A4")
            data = pdf.read_bytes()
            report.pdf_pages = len(re.findall(rb"/Type\s*/Page(?![a-z])", data))
        browser.close()
    return report


def drawing_box(png: Path, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Share of the width and of the height of ``box`` that the drawing's bounding box covers.

    The drawing is every pixel that is not (nearly) white.
    """
    import numpy as np
    from PIL import Image

    x, y, w, h = (round(v) for v in box)
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)[y : y + h, x : x + w]
    ink = (pixels < 235).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return 0.0, 0.0
    return (cols[-1] - cols[0] + 1) / w, (rows[-1] - rows[0] + 1) / h


def colour_share(
    png: Path, box: tuple[float, float, float, float], rgb: tuple[int, int, int], tolerance: int
) -> float:
    """Share of the pixels of ``box`` within ``tolerance`` of the colour ``rgb``."""
    import numpy as np
    from PIL import Image

    x, y, w, h = (round(v) for v in box)
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)[y : y + h, x : x + w]
    close = (np.abs(pixels - np.array(rgb)) <= tolerance).all(axis=2)
    return float(close.mean())


def evaluate_map(
    path: Path,
    script: str,
    *,
    viewport: tuple[int, int] = (1400, 900),
    fragment: str = "",
    screenshot: Path | None = None,
) -> tuple[Any, list[str]]:
    """Open a map (with a ``#fragment``), run ``script`` in it; return its value and errors."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    url = path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})

        page.route("**/*", _only(url, errors, prefix="request: "))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url + fragment)
        page.wait_for_function("window.citynetMap !== undefined", timeout=30_000)
        page.wait_for_timeout(300)
        value = page.evaluate(script)
        if screenshot is not None:
            page.screenshot(path=str(screenshot))
        browser.close()
    return value, errors
