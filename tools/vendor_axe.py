"""Vendor axe-core, the accessibility checker the browser tests run in the maps and the site.

Run from the repository root: ``python tools/vendor_axe.py``. It fetches the npm package
``axe-core`` (MPL-2.0, Deque Systems) with ``npm pack``, checks its version, and copies
``axe.min.js`` and the licence into ``tests/assets/``. Test-only: the package never ships it and
no test downloads it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "axe-core@4.14.1"
ASSETS = Path(__file__).resolve().parents[1] / "tests" / "assets"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
        if f"{meta['name']}@{meta['version']}" != PACKAGE:
            raise SystemExit(f"expected {PACKAGE}, got {meta['name']}@{meta['version']}")
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
