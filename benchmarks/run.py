"""Benchmark citynet against the plain networkx way, on seeded synthetic landscapes.

    python benchmarks/run.py --sizes S,R,M,L [--cap 60] [--seed 0] [--ops report,modules]

Sizes: S (1k cities x 100 networks x 5k memberships), R (15k x 60 x 17k, the shape of a real
compiled landscape), M (10k x 500 x 60k), L (50k x 2k x 400k) and, opt-in, XL (500k x 5k x 5M).
Where the networkx report pipeline does not finish within the cap, its time is extrapolated from
the first size where it did (S when listed first) by the steps of its city projection
(:func:`prepare`). Each operation runs in a fresh Python process, so its peak
memory (``ru_maxrss``) is its own; the networkx baselines are time-capped and reported as
"> cap" when they do not finish. The landscape is built once per size and handed to each
process as a pickle; "load" and "report" start from the CSV files, as a user does.

The table prints: operation, size, citynet seconds, baseline seconds, ratio (baseline /
citynet), and the peak memory of each process in MB. Timings exclude start-up and unpickling;
the networkx baselines include building their graph, as a user of networkx must.
"""

from __future__ import annotations

import argparse
import json
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = {
    "R": (15_000, 60, 17_000),  # the shape of a real compiled landscape (citynet.synthetic)
    "S": (1_000, 100, 5_000),
    "M": (10_000, 500, 60_000),
    "L": (50_000, 2_000, 400_000),
    "XL": (500_000, 5_000, 5_000_000),
}

# operation -> (what citynet does, what the plain networkx way does)
OPERATIONS = {
    "csv_read_floor": "pandas reads the three CSV files (the floor)",
    "load": "read + validate + build edges and incidence",
    "report": "citynet report end to end: load, over-commitment, theme clusters, centrality",
    "network_projection": "network x network co-membership counts",
    "new_partners": "new and shared partners of 50 cities for one network each",
    "join_check": "join check of 50 cities (mean seconds per check)",
    "clusters": "theme clusters of networks (Louvain)",
    "city_pagerank": "PageRank of cities on the role-weighted city projection",
    "map": "the interactive HTML map of the whole landscape (written to disk; MB in result)",
    "as_of": "the memberships valid in 2015 (validity model) vs a plain since/until filter",
    "modules": "bipartite modules (Barber's Q, DIRTLPAwb+, 5 runs) vs networkx Louvain",
    "nestedness": "NODF with 20 curveball nulls vs plain-Python NODF alone",
    "verdicts": "the verdict on every network for 5 cities vs new partners by sets",
    "roles": "c/z roles of every node for one given partition vs plain-Python c and z",
    "attack": "networks removed largest first, cities left at each step vs networkx",
}


# -- the operations, run in a child process -----------------------------------------------------
_LOADED: dict[Any, Any] = {}


def _land(folder: Path) -> Any:
    if folder in _LOADED:
        return _LOADED[folder]
    with (folder / "landscape.pickle").open("rb") as fh:
        return pickle.load(fh)


def _sample_pairs(land: Any, n: int = 50) -> list[tuple[str, str]]:
    import numpy as np

    rng = np.random.default_rng(0)
    cities = list(land.city_ids)
    networks = list(land.network_ids)
    return [
        (str(cities[i]), str(networks[j]))
        for i, j in zip(
            rng.integers(0, len(cities), n), rng.integers(0, len(networks), n), strict=True
        )
    ]


def _nx_graph(land: Any) -> Any:
    import networkx as nx

    graph = nx.Graph()
    edges = land.edges
    graph.add_nodes_from(("c:" + c for c in land.city_ids), bipartite=0)
    graph.add_nodes_from(("n:" + n for n in land.network_ids), bipartite=1)
    weights = edges["role"].map({"member": 1.0, "executive": 3.0})
    graph.add_weighted_edges_from(
        zip("c:" + edges["city_id"], "n:" + edges["network_id"], weights, strict=True)
    )
    return graph


def _plain_nodf(graph: Any, land: Any) -> float:
    """NODF (Almeida-Neto et al. 2008) with plain Python sets, rows and columns."""

    def side(nodes: list[str]) -> list[float]:
        sets = sorted((set(graph[n]) for n in nodes), key=len, reverse=True)
        out = []
        for i, a in enumerate(sets):
            for b in sets[i + 1 :]:
                out.append(100.0 * len(a & b) / len(b) if len(a) > len(b) and b else 0.0)
        return out

    pairs = side(["c:" + c for c in land.city_ids]) + side(["n:" + n for n in land.network_ids])
    return sum(pairs) / len(pairs) if pairs else 0.0


def _plain_roles(graph: Any, modules: Any) -> int:
    """Participation c and within-module z of every node (Guimera & Amaral), plain Python."""
    import statistics

    module = {f"c:{c}": m for c, m in modules.cities["module"].items() if m == m}
    module.update({f"n:{n}": m for n, m in modules.networks["module"].items()})
    c_value: dict[str, float] = {}
    inside: dict[str, int] = {}
    for node in graph:
        if node not in module or not graph.degree(node):
            continue
        counts: dict[Any, int] = {}
        for other in graph[node]:
            counts[module.get(other)] = counts.get(module.get(other), 0) + 1
        k = graph.degree(node)
        c_value[node] = 1.0 - sum((x / k) ** 2 for x in counts.values())
        inside[node] = counts.get(module[node], 0)
    by: dict[tuple[str, Any], list[str]] = {}
    for node in inside:
        by.setdefault((node[0], module[node]), []).append(node)
    z_value: dict[str, float] = {}
    for nodes in by.values():
        values = [inside[n] for n in nodes]
        mean, sd = statistics.fmean(values), statistics.pstdev(values)
        z_value.update({n: (inside[n] - mean) / sd if sd else 0.0 for n in nodes})
    return len(c_value) + len(z_value)


def run_citynet(op: str, folder: Path) -> Any:
    import citynet

    if op == "csv_read_floor":
        import pandas as pd

        return [
            len(pd.read_csv(folder / f"{t}.csv")) for t in ("cities", "networks", "memberships")
        ]
    if op == "load":
        land = citynet.load(folder)
        return (len(land.edges), land.incidence.nnz)
    if op == "report":
        land = citynet.load(folder)
        report = citynet.landscape_report(land, group="synthetic")
        return (len(report["engagement"]), len(report["modules"]))
    land = _land(folder)
    if op == "network_projection":
        matrix = land.incidence.astype("float64")
        return int((matrix.T @ matrix).nnz)
    if op == "new_partners":
        return sum(len(citynet.join_check(land, c, n).new_partners) for c, n in _sample_pairs(land))
    if op == "join_check":
        citynet.join_check(land, *_sample_pairs(land, 1)[0])  # builds the matrices once
        started = time.perf_counter()
        for c, n in _sample_pairs(land):
            citynet.join_check(land, c, n)
        return (time.perf_counter() - started) / 50
    if op == "clusters":
        return len(citynet.cluster_networks(land, n_seeds=0, neighbours=15).clusters)
    if op == "city_pagerank":
        from citynet.analysis.centrality import projection_pagerank, role_weighted_incidence

        return float(projection_pagerank(role_weighted_incidence(land)).sum())
    if op == "as_of":
        return len(land.current(2015).edges)
    if op == "modules":
        return len(citynet.bipartite_modules(land, runs=5).modules)
    if op == "nestedness":
        return float(citynet.nestedness(land, samples=20).nodf)
    if op == "verdicts":
        cities = [c for c, _ in _sample_pairs(land, 5)]
        return sum(len(citynet.verdicts(land, c)) for c in cities)
    if op == "roles":
        cities, networks = citynet.roles(land, modules=_LOADED[("modules", folder)])
        return len(cities) + len(networks)
    if op == "attack":
        return len(citynet.attack(land, order="size"))
    if op == "map":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = citynet.write_map(land, folder / "citynet-map.html")
        return f"{path.stat().st_size / 1e6:.2f} MB"
    raise ValueError(op)


def run_baseline(op: str, folder: Path) -> Any:
    import networkx as nx
    from networkx.algorithms import bipartite

    if op == "csv_read_floor":
        return None
    if op in ("load", "report"):
        import pandas as pd

        frames = {
            t: pd.read_csv(folder / f"{t}.csv", keep_default_na=False)
            for t in ("cities", "networks", "memberships")
        }
        graph = nx.Graph()
        for row in frames["memberships"].itertuples():
            weight = 3.0 if row.role == "executive" else 1.0
            if graph.has_edge("c:" + row.city_id, "n:" + row.network_id):
                weight = max(weight, graph["c:" + row.city_id]["n:" + row.network_id]["weight"])
            graph.add_edge("c:" + row.city_id, "n:" + row.network_id, weight=weight)
        if op == "load":
            return graph.number_of_edges()
        from community import community_louvain

        networks = [n for n in graph if n.startswith("n:")]
        projection = bipartite.weighted_projected_graph(graph, networks)
        community_louvain.best_partition(projection, random_state=0)
        cities = [n for n in graph if n.startswith("c:")]
        city_projection = bipartite.weighted_projected_graph(graph, cities)
        return len(nx.pagerank(city_projection))
    land = _land(folder)
    graph = _nx_graph(land)
    if op == "network_projection":
        networks = ["n:" + n for n in land.network_ids]
        return bipartite.weighted_projected_graph(graph, networks).number_of_edges()
    if op in ("new_partners", "join_check"):
        total = 0
        started = time.perf_counter()
        for city, network in _sample_pairs(land):
            mine = set(graph["c:" + city])
            partners = {c for n in mine for c in graph[n]} - {"c:" + city}
            members = set(graph["n:" + network]) - {"c:" + city}
            total += len(members - partners)
        return total if op == "new_partners" else (time.perf_counter() - started) / 50
    if op == "clusters":
        from community import community_louvain

        networks = ["n:" + n for n in land.network_ids]
        projection = bipartite.weighted_projected_graph(graph, networks)
        return len(set(community_louvain.best_partition(projection, random_state=0).values()))
    if op == "city_pagerank":
        cities = ["c:" + c for c in land.city_ids]
        projection = bipartite.weighted_projected_graph(graph, cities)
        return len(nx.pagerank(projection))
    if op == "as_of":
        facts = land.memberships
        since = facts["since"].fillna(facts["as_of"]).fillna(0)
        until = facts["until"].fillna(9999)
        valid = facts[(since <= 2015) & (until >= 2015)]
        return len(valid.drop_duplicates(["city_id", "network_id"]))
    if op == "modules":
        return len(nx.community.louvain_communities(graph, seed=0))
    if op == "nestedness":
        return _plain_nodf(graph, land)
    if op == "verdicts":
        total = 0
        for city, _ in _sample_pairs(land, 5):
            mine = set(graph["c:" + city])
            partners = {c for n in mine for c in graph[n]}
            for network in land.network_ids:
                total += len(set(graph["n:" + network]) - partners)
        return total
    if op == "roles":
        return _plain_roles(graph, _LOADED[("modules", folder)])
    if op == "attack":
        sizes = sorted(land.network_ids, key=lambda n: -graph.degree("n:" + n))
        work = nx.Graph(graph)
        start = sum(1 for n in work if n.startswith("c:") and work.degree(n))
        left = [start]
        for network in sizes:
            work.remove_node("n:" + network)
            left.append(sum(1 for n in work if n.startswith("c:") and work.degree(n)))
        return len(left)
    if op == "map":
        from pyvis.network import Network

        net = Network(height="800px", width="100%")
        net.from_nx(graph)
        net.toggle_physics(False)
        path = folder / "pyvis-map.html"
        net.write_html(str(path))
        return f"{path.stat().st_size / 1e6:.2f} MB"
    raise ValueError(op)


def child(kind: str, op: str, folder: Path) -> None:
    # Import everything first: the timing is the operation's, not Python's start-up.
    import community.community_louvain  # noqa: F401
    import networkx  # noqa: F401
    import pandas  # noqa: F401

    import citynet

    if op not in ("csv_read_floor", "load", "report"):
        _LOADED[folder] = _land(folder)  # unpickling is not part of any operation
    if op == "roles":  # both sides get the same partition, found before the timing
        _LOADED[("modules", folder)] = citynet.bipartite_modules(_LOADED[folder], runs=1)
    started = time.perf_counter()
    result = (run_citynet if kind == "citynet" else run_baseline)(op, folder)
    elapsed = time.perf_counter() - started
    if op == "join_check":
        elapsed = float(result)  # seconds per check
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "result": str(result)[:60]}))


# -- the parent: data, processes, table -----------------------------------------------------------
def measure(kind: str, op: str, folder: Path, cap: float) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, op, str(folder)],
            capture_output=True,
            text=True,
            timeout=cap,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "capped": True, "peak_mb": None}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        return {"seconds": None, "capped": False, "peak_mb": None, "error": tail[0]}
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    data["capped"] = False
    return data


def prepare(size: str, folder: Path, seed: int) -> int:
    """Write the landscape of ``size`` to ``folder``; return the baseline report's work.

    The work of the networkx report pipeline is dominated by its projection onto cities:
    ``weighted_projected_graph`` visits, for every city, every member of each of its networks,
    that is ``sum over networks of members squared`` steps (and writes as many edges, less the
    repeats). Its time is extrapolated from the size where it finishes by that sum.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from citynet.synthetic import SIZES as SHAPES
    from citynet.synthetic import synthetic_landscape

    land = synthetic_landscape(**{**SHAPES[size], "seed": seed})
    land.save(folder)
    with (folder / "landscape.pickle").open("wb") as fh:
        pickle.dump(land, fh, protocol=pickle.HIGHEST_PROTOCOL)
    members = land.record.edges["network_id"].value_counts().to_numpy().astype("int64")
    return int((members * members).sum())


def fmt_seconds(entry: dict[str, Any], cap: float) -> str:
    if entry.get("capped"):
        return f"> {cap:.0f}"
    if entry.get("seconds") is None:
        return "error" if entry.get("error") else "-"
    value = float(entry["seconds"])
    return f"{value:.4f}" if value < 0.1 else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument(
        "--cap", type=float, default=60.0, help="seconds a networkx baseline may take"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ops", default=",".join(OPERATIONS))
    parser.add_argument("--child", nargs=3, metavar=("KIND", "OP", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return

    print(
        f"citynet benchmark, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{platform.machine()}, cap {args.cap:.0f} s for baselines\n"
    )
    header = (
        f"{'operation':<20} {'size':<4} {'citynet s':>10} {'networkx s':>11} "
        f"{'ratio':>9} {'citynet MB':>11} {'networkx MB':>12}"
    )
    print(header)
    print("-" * len(header))
    rate: tuple[str, float] | None = None  # (size, seconds per unit of work) of the baseline
    notes: list[str] = []
    for size in args.sizes.split(","):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            work = prepare(size, folder, args.seed)
            floor = None
            for op in args.ops.split(","):
                ours = measure("citynet", op, folder, cap=max(args.cap, 600.0))
                base = (
                    measure("baseline", op, folder, cap=args.cap)
                    if op != "csv_read_floor"
                    else {"seconds": None}
                )
                if op == "csv_read_floor":
                    floor = ours.get("seconds")
                ratio = ""
                if op == "report" and base.get("seconds"):
                    rate = (size, float(base["seconds"]) / work)
                if ours.get("seconds"):
                    if base.get("capped") and op == "join_check":
                        ratio = "?"  # the baseline's graph was not built within the cap
                    elif base.get("capped"):
                        ratio = f"> {args.cap / ours['seconds']:.0f}x"
                    elif base.get("seconds"):
                        ratio = f"{base['seconds'] / ours['seconds']:.0f}x"
                if op == "report" and base.get("capped") and rate and ours.get("seconds"):
                    guess = rate[1] * work
                    ratio = f"~{guess / ours['seconds']:.0f}x"
                    notes.append(
                        f"report {size}: networkx pipeline extrapolated to ~{guess:,.0f} s "
                        f"({work:,} steps of its city projection at {rate[0]}'s "
                        f"{rate[1] * 1e6:.3f} s per million); citynet {ours['seconds']:.1f} s"
                    )
                if op in ("load", "report") and floor and ours.get("seconds"):
                    ratio += f" ({ours['seconds'] / floor:.0f}x floor)"
                mb = lambda e: "-" if not e.get("peak_mb") else f"{e['peak_mb']:.0f}"  # noqa: E731
                print(
                    f"{op:<20} {size:<4} {fmt_seconds(ours, 600):>10} "
                    f"{fmt_seconds(base, args.cap):>11} {ratio:>9} {mb(ours):>11} "
                    f"{mb(base):>12}",
                    flush=True,
                )
                for entry, who in ((ours, "citynet"), (base, "networkx")):
                    if entry.get("error"):
                        print(f"    {who} failed: {entry['error']}", flush=True)
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
