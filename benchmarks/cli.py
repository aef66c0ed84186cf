"""Time every ``citynet`` command as a whole process, as a person waits for it.

    python benchmarks/cli.py [--runs 3] [--landscapes shipped,R] [--no-cache-too]

For each landscape (the shipped data, and the real-shaped synthetic size R saved to a temporary
folder) every command runs ``--runs`` times in a fresh process; the table gives the median wall
time. The first run of each landscape warms the landscape cache (README: Scale); with
``--no-cache-too`` each command is also timed with ``--no-cache``, which loads and validates the
CSV files every time. Output files (maps, briefs, sites) go to a temporary folder.

The commands run from compiled bytecode, as after ``pip install`` (which compiles every
module): the package is compiled first and ``PYTHONDONTWRITEBYTECODE`` is dropped from the
commands' environment. Without that, a source checkout on a machine that sets the variable
compiles citynet's modules in every run (about 0.1 s on the slowest commands), a cost no
installed user pays. The import floor is measured before each landscape's commands.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(out: Path, city: str, network: str) -> list[tuple[str, list[str]]]:
    return [
        ("--version", ["--version"]),
        ("--help", ["--help"]),
        ("info", ["info"]),
        ("networks", ["networks"]),
        ("check", ["check", city, network]),
        ("leave", ["leave", city, network]),
        ("suggest", ["suggest", city]),
        ("overcommitment", ["overcommitment"]),
        ("overcommitment --city", ["overcommitment", "--city", city]),
        ("brief", ["brief", city, "-o", str(out / "brief.html")]),
        ("report", ["report"]),
        ("timeline", ["timeline"]),
        ("clusters", ["clusters"]),
        ("centrality", ["centrality"]),
        ("projection", ["projection"]),
        ("nestedness", ["nestedness"]),
        ("modules", ["modules"]),
        ("roles", ["roles"]),
        ("robustness", ["robustness"]),
        ("structure", ["structure"]),
        ("map", ["map", "-o", str(out / "map.html")]),
        ("map --layout geo", ["map", "--layout", "geo", "-o", str(out / "geo.html")]),
        ("export gexf", ["export", "--to", "gexf", "-o", str(out / "land.gexf")]),
        ("site", ["site", "-o", str(out / "site")]),
        ("validate", ["validate"]),
    ]


def run(args: list[str], data: Path | None, env: dict[str, str]) -> tuple[float, int]:
    full = [sys.executable, "-m", "citynet.cli", *args]
    if data is not None and args[0] not in ("--version", "--help", "validate"):
        full += ["--data", str(data)]
    if data is not None and args[0] == "validate":
        full += [str(data)]
    started = time.perf_counter()
    done = subprocess.run(full, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - started, done.returncode


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--landscapes", default="shipped,R")
    parser.add_argument("--no-cache-too", action="store_true")
    parser.add_argument("--site-runs", type=int, default=1, help="runs of `site` (minutes on R)")
    options = parser.parse_args()
    compileall.compile_dir(str(ROOT / "src" / "citynet"), quiet=1)
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        rows = []
        for name in options.landscapes.split(","):
            floor = statistics.median(
                _timed([sys.executable, "-c", "import pandas, scipy.sparse"], env)
                for _ in range(max(5, options.runs))
            )
            print(f"{name}: import floor (python -c 'import pandas, scipy.sparse'): "
                  f"{floor:.2f} s", flush=True)  # fmt: skip
            if name == "shipped":
                data, city, network = None, "santiago", "c40"
            else:
                from citynet.synthetic import SIZES, synthetic_landscape

                land = synthetic_landscape(**SIZES[name])
                data = land.save(tmp_path / name)
                now = land.current().edges
                city = str(now["city_id"].value_counts().index[0])
                network = str(now.loc[now["city_id"] == city, "network_id"].iloc[0])
            out = tmp_path / f"out-{name}"
            out.mkdir()
            run(["info"], data, env)  # warm the cache (and the OS file cache)
            for label, args in commands(out, city, network):
                times, codes = [], set()
                for _ in range(options.site_runs if label == "site" else options.runs):
                    seconds, code = run(args, data, env)
                    times.append(seconds)
                    codes.add(code)
                cold = ""
                if options.no_cache_too and args[0] not in ("--version", "--help"):
                    cold_s, _ = run([*args, "--no-cache"], data, env)
                    cold = f"{cold_s:.2f}"
                rows.append((name, label, statistics.median(times), cold, sorted(codes)))
                median = statistics.median(times)
                print(f"{name:8} {label:24} {median:6.2f} s  {median / floor:5.1f}x floor  "
                      f"{cold:>6}  exit {sorted(codes)}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
