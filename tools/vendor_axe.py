"""Vendor axe-core, the accessibility checker the browser tests run in the maps and the site.

Run from the repository root: ``python tools/vendor_axe.py``. It fetches the npm package
``axe-core`` (MPL-2.0, Deque Systems) with ``npm pack``, checks its version, and copies
``axe.min.js`` and the licence into ``tests/assets/``. Test-only: the package never ships it and
no test downloads it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from npm_pack import unpack

PACKAGE = "axe-core@4.14.1"
ASSETS = Path(__file__).resolve().parents[1] / "tests" / "assets"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = unpack(PACKAGE, Path(tmp))
        ASSETS.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / "axe.min.js", ASSETS / "axe.min.js")
        shutil.copy(package / "LICENSE", ASSETS / "axe-LICENSE.txt")
        (ASSETS / "README.md").write_text(
            f"# Test assets\n\n`axe.min.js`: {PACKAGE} (MPL-2.0, Deque Systems; licence in "
            "`axe-LICENSE.txt`), vendored by `tools/vendor_axe.py` for the accessibility checks "
            "of `tests/test_browser_publish.py`. Test-only: not part of the package.\n",
            encoding="utf-8",
        )
    print(f"vendored {PACKAGE} into {ASSETS}")


if __name__ == "__main__":
    main()
