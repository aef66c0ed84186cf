"""Fetch one npm package, of an exact version, at vendoring time (``npm pack``; never at run time).

Used by ``tools/vendor_world_atlas.py`` and ``tools/vendor_axe.py``.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path


def unpack(package: str, folder: Path) -> Path:
    """Download ``package`` (``name@version``) into ``folder``, check its version, unpack it.

    Returns the unpacked ``package/`` folder.
    """
    done = subprocess.run(
        ["npm", "pack", package, "--silent"], cwd=folder, check=True, capture_output=True, text=True
    )
    tarball = folder / done.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data")
    unpacked = folder / "package"
    meta = json.loads((unpacked / "package.json").read_text(encoding="utf-8"))
    if f"{meta['name']}@{meta['version']}" != package:
        raise SystemExit(f"expected {package}, got {meta['name']}@{meta['version']}")
    return unpacked
