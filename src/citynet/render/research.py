"""Words for the research analyses: modules, roles, nestedness, structure, robustness."""

from __future__ import annotations

from typing import Any

import pandas as pd

from citynet.render.text import paragraph, table
from citynet.render.words import number, themes_text

__all__ = ["modules_text", "nestedness_text", "robustness_text", "roles_text", "structure_text"]


def modules_text(result: Any, *, top: int = 25) -> str:
    """Return bipartite modules as text.

    Examples
    --------
    >>> import citynet
    >>> text = modules_text(citynet.bipartite_modules(citynet.load(), runs=2))
    >>> text.startswith("Modules")
    True
    """
    stability = (
        "not measured (one run)"
        if result.stability != result.stability
        else (f"{result.stability:.2f}")
    )
    lines = [
        paragraph(
            f"Modules of cities and networks in {result.year}: {len(result.modules)} modules, "
            f"Barber's bipartite modularity Q = {result.modularity:.3f} (best of {result.runs} "
            f"LPAwb+ runs, seed {result.seed}; Q of the runs {min(result.q_runs):.3f} to "
            f"{max(result.q_runs):.3f}; stability, the mean adjusted Rand index of the other "
            f"runs against the best, {stability}"
            + ("; seats weigh more" if result.weighted else "")
            + ")."
        ),
        "",
    ]
    rows = [
        [
            m,
            r["name"],
            r["networks"],
            r["cities"],
            r["region"],
            themes_text(r["themes"].split(";")) if r["themes"] else "",
            r["share_inside"],
        ]
        for m, r in result.modules.head(top).iterrows()
    ]
    lines.append(
        table(
            rows,
            ["module", "largest networks", "networks", "cities", "region", "themes", "inside"],
        )
    )
    if len(result.modules) > top:
        lines.append(f"... and {len(result.modules) - top} more (--format csv for all)")
    lines += [
        "",
        paragraph(
            "'inside': the mean share of a module's cities' memberships that stay in the module. "
            "Themes only label modules; they are found from the memberships (docs/methods.md)."
        ),
    ]
    lines += [paragraph(f"Note: {n}") for n in result.notes]
    return "\n".join(lines)


def roles_text(cities: pd.DataFrame, networks: pd.DataFrame, *, side: str, top: int = 25) -> str:
    """Return c/z roles as text."""
    frame = cities if side == "cities" else networks
    counts = frame["role"].value_counts()
    lines = [
        paragraph(
            f"Roles of {len(frame):,} {side} in the bipartite modules (Guimerà-Amaral c and z; "
            "Olesen et al. 2007 classes: hubs z > 2.5, connectors c > 0.62): "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            + "."
        ),
        "",
    ]
    if side == "cities":
        seated = cities[cities["seats"] > 0]["brokerage"]
        lines.append(
            paragraph(
                f"Brokerage (c of role-weighted memberships) of the {len(seated)} cities holding "
                f"a seat: {seated.round(6).nunique()} distinct values, median "
                f"{number(seated.median(), 2)}, {float((seated == 0).mean()):.0%} at 0."
            )
        )
        lines.append("")
        shown = frame.head(top)
        rows = [
            [
                r["name"],
                r["module"],
                r["memberships"],
                r["seats"],
                r["c"],
                r["z"],
                r["role"],
                r["brokerage"],
            ]
            for _, r in shown.iterrows()
        ]
        lines.append(
            table(rows, ["city", "module", "networks", "seats", "c", "z", "role", "brokerage"])
        )
    else:
        rows = [
            [r["name"], r["module"], r["members"], r["c"], r["z"], r["role"]]
            for _, r in frame.head(top).iterrows()
        ]
        lines.append(table(rows, ["network", "module", "members", "c", "z", "role"]))
    lines += ["", "z is '-' where a module has one such node or all have the same degree."]
    return "\n".join(lines)


def nestedness_text(result: Any, comparison: pd.DataFrame | None = None) -> str:
    """Return a nestedness result (and, optionally, the comparison of nulls) as text."""
    lines = [
        paragraph(
            f"NODF {result.nodf:.2f} (cities {result.nodf_rows:.2f}, networks "
            f"{result.nodf_columns:.2f}) of {result.rows:,} cities x {result.columns} networks in "
            f"{result.year}; WNODF of the role-weighted matrix {result.wnodf:.2f}."
        ),
        paragraph(
            f"Against the {result.null} null ({result.samples} samples, seed {result.seed}): "
            f"mean {result.null_mean:.2f}, sd {number(result.null_sd, 2)}, z "
            f"{number(result.zscore, 2)}, p {result.pvalue:.3g}. It asks: {result.question}"
        ),
        paragraph(
            f"{result.tied_row_pairs:.0%} of city pairs have equal degrees (a tie scores 0) and "
            f"{result.degree_one_rows:.0%} of cities are in one network."
        ),
    ]
    lines += [paragraph(f"Note: {n}") for n in result.notes]
    if comparison is not None:
        rows = [
            [n, r["nodf"], r["null_mean"], r["null_sd"], r["zscore"], r["pvalue"], r["question"]]
            for n, r in comparison.iterrows()
        ]
        lines += [
            "",
            table(rows, ["null", "NODF", "null mean", "sd", "z", "p", "question"]),
            "",
            paragraph(
                "Which null answers which question: docs/methods.md. Curveball (every degree "
                "kept) is the one to report for 'is it nested beyond its degrees'."
            ),
        ]
    return "\n".join(lines)


def structure_text(result: Any) -> str:
    """Return the network-level structure as text."""
    c, n = result.city_degrees, result.network_degrees
    rows = [
        ["cities", result.cities, c["mean"], c["median"], c["max"], c["share_1"], c["gini"]],
        ["networks", result.networks, n["mean"], n["median"], n["max"], n["share_1"], n["gini"]],
    ]
    return "\n".join(
        [
            paragraph(
                f"Structure in {result.year}: {result.memberships:,} memberships, connectance "
                f"{result.connectance:.4f}; specialisation H2' {result.h2prime:.3f} (0 none, 1 "
                f"complete); mean d' of cities {result.mean_dprime_cities:.3f}, of networks "
                f"{result.mean_dprime_networks:.3f} (role-weighted: a seat weighs 3)."
            ),
            "",
            table(rows, ["degrees of", "nodes", "mean", "median", "max", "share of 1", "Gini"]),
        ]
    )


def robustness_text(curve: pd.DataFrame, dissolution: Any | None = None) -> str:
    """Return an attack curve (and a dissolution) as text."""
    lines = []
    if dissolution is not None:
        d = dissolution
        lines += [
            paragraph(
                f"If {', '.join(d.networks)} dissolved ({d.year}): {d.cities_affected:,} member "
                f"cities affected; {len(d.lose_all):,} left without any network, "
                f"{len(d.lose_international):,} without an international one; "
                f"{d.partners_lost:,} of {d.partners_before:,} city pairs no longer share a "
                f"network; components {d.components_before} -> {d.components_after}."
            ),
        ]
        lines += [paragraph(f"Note: {n}") for n in d.notes]
        lines.append("")
    order = "largest first" if curve.attrs.get("order") == "size" else "in random orders"
    lines.append(
        paragraph(
            f"Removing networks {order}: robustness R = {curve.attrs['robustness']:.3f} (area "
            f"under the share of cities still in a network; international: "
            f"{number(curve.attrs['robustness_international'], 3)})."
        )
    )
    step = max(1, len(curve) // 10)
    rows = [
        [int(n), share, left, international]
        for n, share, left, international in curve[
            ["networks_removed", "removed", "cities_left", "international_left"]
        ].to_numpy()[::step]
    ]
    lines.append(table(rows, ["removed", "share removed", "cities left", "international left"]))
    return "\n".join(lines)
