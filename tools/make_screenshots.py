"""Regenerate the screenshots that README.md shows (docs/img/*.png).

Run from the repository root after changing how maps or the site look:
``python tools/make_screenshots.py``. It draws the shipped data with Debian's Chromium
(headless, every request blocked), exactly as a reader's browser would open the files.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import citynet
from citynet.export.site import write_site

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
VIEW = {"width": 1280, "height": 800}


def shoot(url: str, target: Path, *, wait_map: bool, full_page: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=VIEW)
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort()
        )
        page.goto(url)
        if wait_map:
            page.wait_for_function("window.citynetMap !== undefined", timeout=30_000)
        page.wait_for_timeout(600)
        page.screenshot(path=str(target), full_page=full_page)
        browser.close()
    print("wrote", target)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    land = citynet.load()
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(tmp)
        maps = {
            "map-force": {"layout": "force"},
            "map-geo": {"layout": "geo"},
            "map-ego": {"city": "Cape Town", "layout": "geo"},
        }
        for name, options in maps.items():
            path = citynet.write_map(land, folder / f"{name}.html", **options)
            shoot(path.resolve().as_uri(), OUT / f"{name}.png", wait_map=True)
        site = write_site(land, folder / "site")
        shoot((site / "index.html").resolve().as_uri(), OUT / "site-index.png", wait_map=False)
        shoot(
            (site / "cities" / "cape-town.html").resolve().as_uri(),
            OUT / "site-city.png",
            wait_map=False,
        )


if __name__ == "__main__":
    main()
