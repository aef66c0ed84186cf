"""Time what a reader waits for in a map, in headless Chromium (Debian's), on the shipped data.

    python benchmarks/browser.py [--runs 5]

The whole shipped landscape (12,000 cities) as a force map, which opens on an overview: the time
to open the Covenant of Mayors (9,000 members) -- the main thread blocked by the call, then
until two frames are drawn -- and the redraw time of zoom frames after it (median and 90th
percentile of 10). Beside it, the same opening with the members as vis-network nodes, the way
maps drew a network before (``window.citynetMap`` with the bulk limit raised), as the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = """async (bulkLimit) => {
  const m = window.citynetMap;
  if (bulkLimit) { m.setBulk(bulkLimit); }
  const t0 = performance.now();
  m.openNetwork('network:com-europe');
  const blocked = performance.now() - t0;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const shown = performance.now() - t0;
  const frames = [];
  for (let k = 0; k < 10; k++) {
    const a = performance.now();
    m.network.moveTo({scale: m.network.getScale() * (k < 5 ? 1.3 : 0.77)});
    m.network.redraw();
    frames.push(performance.now() - a);
  }
  frames.sort((a, b) => a - b);
  return [blocked, shown, frames[4], frames[8]];
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    import citynet
    from citynet.export.html_map import write_map
    from tests.browser import ARGS, CHROMIUM

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = write_map(citynet.load(), Path(tmp) / "map.html")
        rows = []
        for label, limit in (("citynet (dots)", 0), ("vis nodes (baseline)", 10**9)):
            runs = []
            for _ in range(options.runs):
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(path.resolve().as_uri())
                    page.wait_for_function("window.citynetMap !== undefined", timeout=60_000)
                    page.wait_for_timeout(500)
                    runs.append(page.evaluate(SCRIPT, limit))
                    browser.close()
            rows.append((label, [statistics.median(r[i] for r in runs) for i in range(4)]))
    print(f"{'opening com-europe (9,031 members)':36} {'blocked ms':>10} {'shown ms':>9} "
          f"{'zoom p50':>9} {'zoom p90':>9}")  # fmt: skip
    for label, (blocked, shown, p50, p90) in rows:
        print(f"{label:36} {blocked:10.0f} {shown:9.0f} {p50:9.0f} {p90:9.0f}")


if __name__ == "__main__":
    main()
