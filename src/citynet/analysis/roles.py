"""Roles in the modular structure: who connects modules, who is a hub inside one.

For each node of one side (cities, or networks) and the modules of
:func:`~citynet.analysis.modules.bipartite_modules`, as R's ``bipartite::czvalues`` does
(Guimerà & Amaral 2005, *Nature* 433, 895; Olesen et al. 2007, *PNAS* 104, 19891):

* ``c``, the **participation coefficient**: ``1 - sum_t (k_it / k_i)^2``, with ``k_it`` the
  node's links into module ``t`` and ``k_i`` all its links: 0 when all its links stay in one
  module, towards 1 when they spread evenly over many;
* ``z``, the **within-module degree**: ``(k_is - mean_s) / sd_s``, the node's links inside its own
  module ``s`` against the other nodes of the same side in that module (NaN where the module has
  one such node or all have the same number: then nobody is a hub there).

Role classes (Olesen et al. 2007): **peripheral** (``z <= 2.5``, ``c <= 0.62``), **connector**
(``z <= 2.5``, ``c > 0.62``), **module hub** (``z > 2.5``, ``c <= 0.62``) and **network hub**
(``z > 2.5``, ``c > 0.62``). A city's links are its memberships (weighted by role when asked);
a network's links are its members.

**Brokerage** of a city is ``c`` computed on its role-weighted memberships (a seat weighs
``executive_weight``): how evenly the city's engagement, seats first, spreads across modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet.analysis.modules import ModuleResult, bipartite_modules
from citynet.landscape import Landscape

__all__ = ["C_THRESHOLD", "Z_THRESHOLD", "czvalues", "roles"]

C_THRESHOLD = 0.62
Z_THRESHOLD = 2.5


def czvalues(
    matrix: sp.sparray | np.ndarray, node_modules: np.ndarray, partner_modules: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``c`` and ``z`` for the rows of ``matrix`` (module docstring).

    ``node_modules`` gives each row's module, ``partner_modules`` each column's.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1]])
    >>> c, z = czvalues(a, np.array([0, 0, 1]), np.array([0, 0, 1]))
    >>> [round(float(v), 3) for v in c]
    [0.0, 0.0, 0.5]
    >>> [round(float(v), 3) if v == v else None for v in z]  # module 0: 2 and 1 links inside
    [0.707, -0.707, None]
    """
    a = sp.csr_array(matrix, dtype=np.float64)
    n_modules = int(max(node_modules.max(initial=-1), partner_modules.max(initial=-1))) + 1
    to_module = sp.csr_array(
        (np.ones(len(partner_modules)), (np.arange(len(partner_modules)), partner_modules)),
        shape=(len(partner_modules), max(n_modules, 1)),
    )
    by_module = (a @ to_module).toarray() if a.shape[0] else np.zeros((0, n_modules))
    k = by_module.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(k > 0, 1.0 - ((by_module / k[:, None]) ** 2).sum(axis=1), np.nan)
    inside = by_module[np.arange(len(node_modules)), node_modules] if len(node_modules) else k
    frame = pd.DataFrame({"module": node_modules, "k": inside})
    mean = frame.groupby("module")["k"].transform("mean")
    sd = frame.groupby("module")["k"].transform(lambda s: s.std(ddof=1) if len(s) > 1 else np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(sd > 0, (frame["k"] - mean) / sd, np.nan)
    return np.asarray(c, dtype=float), np.asarray(z, dtype=float)


def _role(c: np.ndarray, z: np.ndarray) -> np.ndarray:
    hub = np.nan_to_num(z, nan=-np.inf) > Z_THRESHOLD
    spread = np.nan_to_num(c, nan=0.0) > C_THRESHOLD
    return np.where(
        hub,
        np.where(spread, "network hub", "module hub"),
        np.where(spread, "connector", "peripheral"),
    )


def roles(
    land: Landscape,
    *,
    modules: ModuleResult | None = None,
    executive_weight: float = 3.0,
    weighted: bool = False,
    seed: int = 0,
    year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the c/z roles of cities and of networks, and the brokerage of cities.

    Parameters
    ----------
    modules
        The modules to use (default: :func:`~citynet.analysis.modules.bipartite_modules` with
        ``seed``).
    executive_weight
        Weight of a seat in brokerage (and in c/z when ``weighted``).
    weighted
        Count role-weighted links in c and z (default: memberships, as ``czvalues``).

    Returns
    -------
    cities, networks
        Indexed by id (nodes with a membership): ``name``, ``module``, ``c``, ``z``, ``role``;
        cities also ``memberships``, ``seats``, ``modules_reached`` and ``brokerage``.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> cities, networks = roles(land, modules=citynet.bipartite_modules(land, runs=2))
    >>> set(cities["role"]) <= {"peripheral", "connector", "module hub", "network hub"}
    True
    """
    snapshot = land.current(year)
    found = modules or bipartite_modules(snapshot, seed=seed, runs=10)
    city_ids = found.cities.index.astype(str)
    network_ids = found.networks.index.astype(str)
    positions_c = pd.Index(snapshot.city_ids).get_indexer(city_ids)
    positions_n = pd.Index(snapshot.network_ids).get_indexer(network_ids)
    binary = sp.csr_array(snapshot.incidence, dtype=np.float64)[positions_c][:, positions_n]
    seats = sp.csr_array(snapshot.executive_incidence, dtype=np.float64)[positions_c][
        :, positions_n
    ]
    weighted_matrix = sp.csr_array(binary + (executive_weight - 1.0) * seats)
    matrix = weighted_matrix if weighted else binary
    city_modules = found.cities["module"].to_numpy()
    # cities alone in a module without networks: their module has no network column
    city_modules = np.where(pd.isna(city_modules), -1, city_modules).astype(np.int64)
    net_modules = found.networks["module"].to_numpy(dtype=np.int64)
    orphan = city_modules < 0
    safe_modules = np.where(orphan, 0, city_modules)
    c, z = czvalues(matrix, safe_modules, net_modules)
    z = np.where(orphan, np.nan, z)
    broker, _ = czvalues(weighted_matrix, safe_modules, net_modules)
    reached = np.diff(
        sp.csr_array(
            binary
            @ sp.csr_array(
                (np.ones(len(net_modules)), (np.arange(len(net_modules)), net_modules)),
                shape=(len(net_modules), int(net_modules.max(initial=0)) + 1),
            )
        ).indptr
    )
    names = snapshot.cities["name"].astype(str)
    cities = pd.DataFrame(
        {
            "name": names.reindex(city_ids).to_numpy(),
            "module": pd.arrays.IntegerArray(city_modules.astype(np.int64), orphan.astype(bool)),
            "memberships": np.asarray(binary.sum(axis=1)).ravel().astype(int),
            "seats": np.asarray(seats.sum(axis=1)).ravel().astype(int),
            "modules_reached": reached,
            "c": c,
            "z": z,
            "role": _role(c, z),
            "brokerage": broker,
        },
        index=pd.Index(city_ids, name="city_id"),
    )
    own_module = np.where(orphan, int(net_modules.max(initial=0)) + 1, city_modules)
    nc, nz = czvalues(sp.csr_array(matrix.T), net_modules, own_module)
    networks = pd.DataFrame(
        {
            "name": snapshot.networks["name"].astype(str).reindex(network_ids).to_numpy(),
            "module": net_modules,
            "members": np.asarray(binary.sum(axis=0)).ravel().astype(int),
            "c": nc,
            "z": nz,
            "role": _role(nc, nz),
        },
        index=pd.Index(network_ids, name="network_id"),
    )
    return (
        cities.sort_values(["brokerage", "seats", "name"], ascending=[False, False, True]),
        networks.sort_values(["c", "members"], ascending=[False, False]),
    )
