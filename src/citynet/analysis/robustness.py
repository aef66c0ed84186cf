"""Robustness: what if a network dissolves, and how fast the landscape falls apart.

As ecologists ask of species removals (Memmott et al. 2004, *Proc. R. Soc. B* 271, 2605;
Burgos et al. 2007, *J. Theor. Biol.* 249, 307; R's ``bipartite::second.extinct`` and
``robustness``), here of networks: remove networks and follow the cities.

* :func:`dissolve`: the networks named dissolve. Which cities lose every international tie,
  which lose every membership, how many city pairs no longer share any network (partners lost),
  and how many connected components the city-network graph then has.
* :func:`attack`: remove networks one at a time, largest first (``order="size"``), or at random
  (``order="random"``, averaged over ``repeats`` seeded orders), and record the share of cities
  still in at least one network and still in an international one. **Robustness** ``R`` is the
  area under the first curve (Burgos et al. 2007): 1 when cities keep a network until the last
  removal, towards 0 when the first removals strand them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from citynet._errors import CitynetError
from citynet.landscape import Landscape
from citynet.lookup import resolve_network

__all__ = ["Dissolution", "attack", "dissolve", "robustness_index"]


def _components(matrix: sp.csr_array) -> int:
    """Count connected components of the bipartite graph among nodes with a link."""
    k = np.asarray(matrix.sum(axis=1)).ravel() > 0
    d = np.asarray(matrix.sum(axis=0)).ravel() > 0
    sub = sp.csr_array(matrix[k][:, d])
    n_rows, n_cols = sub.shape
    if n_rows + n_cols == 0:
        return 0
    graph = sp.bmat([[None, sub], [sub.T, None]], format="csr")
    count, _ = connected_components(graph, directed=False)
    return int(count)


def _pairs(matrix: sp.csr_array) -> int:
    """City pairs sharing at least one network."""
    binary = sp.csr_array(matrix, dtype=np.float64)
    binary.data[:] = 1.0
    shared = sp.triu(binary @ binary.T, k=1)
    return int(shared.nnz)


@dataclass(frozen=True)
class Dissolution:
    """What the dissolution of some networks would do (:func:`dissolve`).

    Attributes
    ----------
    networks
        The networks dissolved.
    year
        The year of the memberships.
    cities_affected
        Cities that were members of at least one of them.
    lose_international
        City ids whose only international memberships were in them.
    lose_all
        City ids left without any membership.
    partners_lost, partners_before
        City pairs that no longer share a network, out of the pairs that did.
    components_before, components_after
        Connected components of the city-network graph (nodes with a membership).
    notes
        Caveats (partial member lists).
    """

    networks: list[str]
    year: int | None
    cities_affected: int
    lose_international: list[str]
    lose_all: list[str]
    partners_lost: int
    partners_before: int
    components_before: int
    components_after: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return plain data for JSON."""
        return asdict(self)


def dissolve(land: Landscape, networks: Sequence[str], *, year: int | None = None) -> Dissolution:
    """Follow the cities if these networks dissolved.

    Examples
    --------
    >>> import citynet
    >>> what = dissolve(citynet.load(), ["com-europe"])
    >>> what.cities_affected, len(what.lose_all)  # most signatories are in no other network
    (9031, 8898)
    """
    if not networks:
        raise CitynetError("name at least one network to dissolve")
    snapshot = land.current(year)
    ids = [resolve_network(snapshot, n) for n in networks]
    matrix = sp.csr_array(snapshot.incidence, dtype=np.float64)
    network_ids = pd.Index(snapshot.network_ids)
    gone = network_ids.get_indexer(ids)
    keep = np.ones(matrix.shape[1], dtype=bool)
    keep[gone] = False
    after = sp.csr_array(matrix[:, keep])
    scope = snapshot.networks["scope"].reindex(network_ids).to_numpy()
    international = scope == "international"
    before_k = np.asarray(matrix.sum(axis=1)).ravel()
    after_k = np.asarray(after.sum(axis=1)).ravel()
    before_intl = np.asarray(matrix[:, international].sum(axis=1)).ravel()
    after_intl = np.asarray(matrix[:, international & keep].sum(axis=1)).ravel()
    affected = np.asarray(matrix[:, gone].sum(axis=1)).ravel() > 0
    city_ids = np.asarray(snapshot.city_ids, dtype=object)
    coverage = snapshot.networks["coverage"].reindex(ids)
    notes = []
    partial = [str(n) for n, c in coverage.items() if pd.isna(c) or c != "full"]
    if partial:
        notes.append(
            f"{', '.join(partial)}: member list not known to be complete here; the counts are "
            "what the data show, lower bounds of the members affected"
        )
    return Dissolution(
        networks=ids,
        year=snapshot.year,
        cities_affected=int(affected.sum()),
        lose_international=sorted(
            map(str, city_ids[(before_intl > 0) & (after_intl == 0) & affected])
        ),
        lose_all=sorted(map(str, city_ids[(before_k > 0) & (after_k == 0)])),
        partners_lost=_pairs(matrix) - _pairs(after),
        partners_before=_pairs(matrix),
        components_before=_components(matrix),
        components_after=_components(after),
        notes=notes,
    )


def robustness_index(curve: pd.DataFrame, column: str = "cities_left") -> float:
    """Area under an attack curve (share of networks removed vs share of cities left).

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"removed": [0.0, 0.5, 1.0], "cities_left": [1.0, 0.5, 0.0]})
    >>> robustness_index(curve)
    0.5
    """
    x = curve["removed"].to_numpy(dtype=float)
    y = curve[column].to_numpy(dtype=float)
    return float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))


def attack(
    land: Landscape,
    *,
    order: str = "size",
    repeats: int = 20,
    seed: int = 0,
    year: int | None = None,
) -> pd.DataFrame:
    """Remove networks one at a time and follow the share of cities still in a network.

    Parameters
    ----------
    order
        ``"size"`` (largest membership first) or ``"random"`` (``repeats`` seeded orders,
        averaged).

    Returns
    -------
    pandas.DataFrame
        One row per step (0 = nothing removed): ``removed`` (share of networks removed),
        ``networks_removed``, ``cities_left`` and ``international_left`` (shares of the cities
        with a membership at the start), plus ``attrs["robustness"]`` (area under
        ``cities_left``) and ``attrs["robustness_international"]``.

    Examples
    --------
    >>> import citynet
    >>> curve = attack(citynet.load(), order="size")
    >>> 0 < curve.attrs["robustness"] < 1
    True
    """
    if order not in ("size", "random"):
        raise CitynetError(f"order must be 'size' or 'random', not {order!r}")
    snapshot = land.current(year)
    matrix = sp.csc_array(snapshot.incidence, dtype=np.float64)
    sizes = np.asarray(matrix.sum(axis=0)).ravel()
    present = np.flatnonzero(sizes > 0)
    if len(present) == 0:
        raise CitynetError(f"no membership in {snapshot.year}: nothing to remove")
    scope = snapshot.networks["scope"].reindex(pd.Index(snapshot.network_ids)).to_numpy()
    international = scope == "international"
    k = np.asarray(matrix.sum(axis=1)).ravel()
    start = k > 0
    n_start = int(start.sum())
    intl_start = np.asarray(matrix[:, international].sum(axis=1)).ravel() > 0
    n_intl = int(intl_start.sum())
    rng = np.random.default_rng(seed)
    orders = (
        [present[np.argsort(-sizes[present], kind="stable")]]
        if order == "size"
        else [rng.permutation(present) for _ in range(max(repeats, 1))]
    )
    curves = []
    for sequence in orders:
        left = k.copy()
        left_intl = np.asarray(matrix[:, international].sum(axis=1)).ravel()
        cities, intl = [n_start], [n_intl]
        for j in sequence:
            members = matrix.indices[matrix.indptr[j] : matrix.indptr[j + 1]]
            left[members] -= 1
            if international[j]:
                left_intl[members] -= 1
            cities.append(int((left > 0).sum()))
            intl.append(int((left_intl > 0).sum()))
        curves.append((np.asarray(cities), np.asarray(intl)))
    cities_mean = np.mean([c for c, _ in curves], axis=0)
    intl_mean = np.mean([i for _, i in curves], axis=0)
    steps = np.arange(len(present) + 1)
    curve = pd.DataFrame(
        {
            "networks_removed": steps,
            "removed": steps / len(present),
            "cities_left": cities_mean / max(n_start, 1),
            "international_left": intl_mean / max(n_intl, 1) if n_intl else np.nan,
        }
    )
    curve.attrs["robustness"] = robustness_index(curve)
    curve.attrs["robustness_international"] = (
        robustness_index(curve, "international_left") if n_intl else float("nan")
    )
    curve.attrs["order"] = order
    curve.attrs["year"] = snapshot.year
    return curve
