"""Vendor the Natural Earth country outlines that the geographic maps draw.

Run from the repository root: ``python tools/vendor_world_atlas.py``. It fetches the npm package
``world-atlas`` (Natural Earth 4.1.0 as TopoJSON, public domain; packaging ISC-licensed by Mike
Bostock) with ``npm pack``, checks its version, and copies ``countries-110m.json`` and the
licence into ``src/citynet/export/assets/``. citynet never downloads it at run time.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from npm_pack import unpack

PACKAGE = "world-atlas@2.0.2"
FILE = "countries-110m.json"
ASSETS = Path(__file__).resolve().parents[1] / "src" / "citynet" / "export" / "assets"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = unpack(PACKAGE, Path(tmp))
        ASSETS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / FILE, ASSETS / FILE)
        licence = (package / "LICENSE").read_text(encoding="utf-8")
    digest = hashlib.sha256((ASSETS / FILE).read_bytes()).hexdigest()
    (ASSETS / "NOTICE.md").write_text(
        "# Vendored assets\n\n"
        f"`{FILE}`: country outlines at 1:110m from Natural Earth 4.1.0 "
        "(https://www.naturalearthdata.com/, public domain), as TopoJSON from the npm package "
        f"`{PACKAGE}` (https://github.com/topojson/world-atlas), fetched by "
        f"`tools/vendor_world_atlas.py`; sha256 `{digest}`.\n\n"
        "The packaging carries this licence:\n\n"
        + "\n".join("> " + line if line else ">" for line in licence.strip().splitlines())
        + "\n\nvis-network, which draws the interactive maps, is read from the pyvis package "
        "at run time (Apache-2.0 / MIT).\n",
        encoding="utf-8",
    )
    print(f"wrote {ASSETS / FILE} ({digest[:12]}) and {ASSETS / 'NOTICE.md'}")


if __name__ == "__main__":
    main()
