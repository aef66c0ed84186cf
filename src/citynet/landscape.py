"""The :class:`Landscape`: one validated, immutable model of cities, networks and memberships.

Conventions
-----------
* ``cities`` is indexed by ``city_id`` and ``networks`` by ``network_id``, in file order;
  ``memberships`` (one row per fact) and ``capacity`` have a plain 0..n-1 index.
* Column dtypes follow :mod:`citynet.schema`: ``string`` (missing = ``<NA>``), ``Int64``,
  ``Float64``, ``boolean``. Columns outside the contract are kept, as ``string``, after the
  contract's columns, and are written back by :meth:`Landscape.save`.
* A blank ``evidence`` is read as ``listed``, the contract's default.
* Facts aggregate to **one edge per city-network pair** (:attr:`Landscape.edges`).
* Matrices and graphs list cities and networks in sorted id order; graph nodes are
  ``"city:<id>"`` and ``"network:<id>"`` so that a city and a network never collide.
* Everything handed out is a copy or read-only: a Landscape never changes after it is built.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import DataError, Problem
from citynet.io import read_table_fast, read_table_text, write_csv
from citynet.schema import CAPACITY, CITIES, EVIDENCE, MEMBERSHIPS, NETWORKS, TABLES, Table
from citynet.validate import cell_text, validate_tables

__all__ = ["Landscape", "load", "shipped_data_path"]

_EVIDENCE_RANK = {name: rank for rank, name in enumerate(EVIDENCE)}


def shipped_data_path() -> Path:
    """Return the folder of the dataset shipped with citynet.

    Examples
    --------
    >>> (shipped_data_path() / "cities.csv").is_file()
    True
    """
    packaged = Path(str(resources.files("citynet"))) / "data"
    if (packaged / "cities.csv").is_file():
        return packaged
    # An editable install or a source checkout: the data live at the repository root.
    return Path(__file__).resolve().parents[2] / "data"


def _freeze(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a view that the caller may modify without touching ours (copy-on-write)."""
    return frame.copy(deep=False)


def _to_text(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Turn an in-memory frame into contract text cells with spreadsheet row numbers."""
    if frame.index.name in table.names and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    text = pd.DataFrame(
        {str(col): [cell_text(v) for v in frame[col].tolist()] for col in frame.columns},
        dtype=object,
    )
    text.index = pd.RangeIndex(2, len(text) + 2, name="row")
    return text


class Landscape:
    """Cities, networks and the sourced facts that tie them, validated and immutable.

    Build one with :func:`citynet.load`, :meth:`Landscape.from_frames` or
    :func:`citynet.read_wide`; the constructor itself is internal.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> land.cities.loc["paris", "name"]
    'Paris'
    >>> land.incidence.shape == (len(land.cities), len(land.networks))
    True
    """

    __slots__ = ("__dict__", "_capacity", "_cities", "_memberships", "_networks", "_year")

    def __init__(self, tables: Mapping[str, pd.DataFrame], *, year: int | None = None) -> None:
        cities = tables["cities"].set_index("city_id")
        networks = tables["networks"].set_index("network_id")
        memberships = tables["memberships"].reset_index(drop=True)
        memberships["evidence"] = memberships["evidence"].fillna("listed")
        self._cities: pd.DataFrame = cities
        self._networks: pd.DataFrame = networks
        self._memberships: pd.DataFrame = memberships
        capacity = tables.get("capacity")
        self._capacity: pd.DataFrame | None = (
            None if capacity is None else capacity.reset_index(drop=True)
        )
        self._year = year

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        cities: pd.DataFrame,
        networks: pd.DataFrame,
        memberships: pd.DataFrame,
        capacity: pd.DataFrame | None = None,
    ) -> Landscape:
        """Validate in-memory tables and build a Landscape.

        Cells may be text or typed (numbers, booleans, missing values). Problems name the table's
        file name and the row the frame would have as a CSV file (first data row = row 2).

        Parameters
        ----------
        cities, networks, memberships, capacity
            Frames with the columns of the data contract (``docs/data-format.md``); ``city_id``
            and ``network_id`` may be the index.

        Returns
        -------
        Landscape

        Raises
        ------
        DataError
            Listing every problem found.

        Examples
        --------
        >>> import pandas as pd
        >>> land = Landscape.from_frames(
        ...     pd.DataFrame({"city_id": ["windhoek"], "name": ["Windhoek"], "country": ["NA"]}),
        ...     pd.DataFrame({"network_id": ["iclei"], "name": ["ICLEI"],
        ...                   "scope": ["international"]}),
        ...     pd.DataFrame({"city_id": ["windhoek"], "network_id": ["iclei"], "role": ["member"],
        ...                   "source_url": ["https://example.org/members"]}),
        ... )
        >>> land.cities.loc["windhoek", "country"]
        'NA'
        """
        raw: dict[str, pd.DataFrame | None] = {
            "cities": _to_text(CITIES, cities),
            "networks": _to_text(NETWORKS, networks),
            "memberships": _to_text(MEMBERSHIPS, memberships),
        }
        if capacity is not None:
            raw["capacity"] = _to_text(CAPACITY, capacity)
        return cls(validate_tables(raw))

    # -- tables ---------------------------------------------------------------------------
    @property
    def cities(self) -> pd.DataFrame:
        """Cities, indexed by ``city_id`` (see ``docs/data-format.md`` for the columns)."""
        return _freeze(self._cities)

    @property
    def networks(self) -> pd.DataFrame:
        """Networks, indexed by ``network_id``; ``themes`` is a ``;``-separated string."""
        return _freeze(self._networks)

    @property
    def memberships(self) -> pd.DataFrame:
        """Membership facts, one row per piece of evidence."""
        return _freeze(self._memberships)

    @property
    def capacity(self) -> pd.DataFrame | None:
        """Capacity facts (``capacity.csv``), or ``None`` when the landscape has none."""
        return None if self._capacity is None else _freeze(self._capacity)

    @property
    def year(self) -> int | None:
        """The snapshot year given to :meth:`as_of`, or ``None`` for the whole record."""
        return self._year

    @functools.cached_property
    def city_ids(self) -> pd.Index:
        """Sorted city ids: the row order of :attr:`incidence`."""
        ids: pd.Index = pd.Index(sorted(self._cities.index), name="city_id", dtype="string")
        return ids

    @functools.cached_property
    def network_ids(self) -> pd.Index:
        """Sorted network ids: the column order of :attr:`incidence`."""
        ids: pd.Index = pd.Index(sorted(self._networks.index), name="network_id", dtype="string")
        return ids

    @functools.cached_property
    def network_themes(self) -> dict[str, frozenset[str]]:
        """Themes of each network as a set (empty set when the network lists none)."""
        return {
            str(nid): frozenset() if pd.isna(t) else frozenset(str(t).split(";"))
            for nid, t in self._networks["themes"].items()
        }

    # -- edges and matrices ---------------------------------------------------------------
    @functools.cached_property
    def _edges(self) -> pd.DataFrame:
        facts = self._memberships
        keys = ["city_id", "network_id"]
        if facts.empty:
            columns = {
                "city_id": "string",
                "network_id": "string",
                "role": "string",
                "executive_facts": "Int64",
                "n_facts": "Int64",
                "n_sources": "Int64",
                "since": "Int64",
                "until": "Int64",
                "evidence": "string",
                "role_titles": "string",
            }
            return pd.DataFrame({k: pd.Series(dtype=v) for k, v in columns.items()})
        work = pd.DataFrame(
            {
                "city_id": facts["city_id"],
                "network_id": facts["network_id"],
                "executive": facts["role"] == "executive",
                "since": facts["since"],
                "until": facts["until"],
                "open": facts["until"].isna(),
                "rank": facts["evidence"].map(_EVIDENCE_RANK).astype("int64"),
                "source_url": facts["source_url"],
            }
        )
        grouped = work.groupby(keys, sort=True)
        edges = pd.DataFrame(
            {
                "executive_facts": grouped["executive"].sum().astype("Int64"),
                "n_facts": grouped.size().astype("Int64"),
                "n_sources": grouped["source_url"].nunique().astype("Int64"),
                "since": grouped["since"].min(),
                "until": grouped["until"].max().where(~grouped["open"].any(), pd.NA),
                "rank": grouped["rank"].min(),
            }
        )
        edges.insert(
            0,
            "role",
            pd.Series(
                np.where(edges["executive_facts"] > 0, "executive", "member"),
                index=edges.index,
                dtype="string",
            ),
        )
        edges["evidence"] = pd.Series(
            np.asarray(EVIDENCE, dtype=object)[edges.pop("rank").to_numpy()],
            index=edges.index,
            dtype="string",
        )
        titled = facts[facts["role_title"].notna()]
        titles = titled.groupby(keys, sort=True)["role_title"].agg(
            lambda s: "; ".join(sorted(set(s)))
        )
        edges["role_titles"] = titles.reindex(edges.index).astype("string")
        edges = edges.reset_index()
        edges["city_id"] = edges["city_id"].astype("string")
        edges["network_id"] = edges["network_id"].astype("string")
        return edges

    @property
    def edges(self) -> pd.DataFrame:
        """One row per city-network pair, aggregated from its facts.

        Columns: ``city_id``, ``network_id``, ``role`` (``executive`` if any executive fact
        applies), ``executive_facts``, ``n_facts``, ``n_sources`` (distinct source URLs),
        ``since`` (earliest stated), ``until`` (latest stated; ``<NA>`` if any fact is open or
        undated at its end), ``evidence`` (the strongest kind among the facts:
        listed > derived > participation), ``role_titles`` (distinct titles joined by ``"; "``).
        Sorted by city, then network.

        Examples
        --------
        >>> import citynet
        >>> e = citynet.load().edges
        >>> bool(e.duplicated(["city_id", "network_id"]).any())
        False
        """
        return _freeze(self._edges)

    def _matrix(self, values: np.ndarray) -> sp.csr_array:
        edges = self._edges
        rows = pd.Categorical(edges["city_id"], categories=self.city_ids).codes
        cols = pd.Categorical(edges["network_id"], categories=self.network_ids).codes
        matrix = sp.csr_array(
            (values, (rows.astype(np.int64), cols.astype(np.int64))),
            shape=(len(self.city_ids), len(self.network_ids)),
        )
        for arr in (matrix.data, matrix.indices, matrix.indptr):
            arr.flags.writeable = False
        return matrix

    @functools.cached_property
    def incidence(self) -> sp.csr_array:
        """Binary city x network membership matrix (``scipy.sparse.csr_array`` of ``int8``).

        Rows follow :attr:`city_ids`, columns :attr:`network_ids`; the arrays are read-only.

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> int(land.incidence.sum()) == len(land.edges)
        True
        """
        return self._matrix(np.ones(len(self._edges), dtype=np.int8))

    @functools.cached_property
    def executive_incidence(self) -> sp.csr_array:
        """Like :attr:`incidence`, with 1 only where the city holds an executive seat."""
        values = (self._edges["role"] == "executive").to_numpy(dtype=np.int8)
        matrix = self._matrix(values)
        pruned = matrix.copy()
        pruned.eliminate_zeros()
        for arr in (pruned.data, pruned.indices, pruned.indptr):
            arr.flags.writeable = False
        return pruned

    @functools.cached_property
    def _graph(self) -> nx.Graph:
        graph = nx.Graph()
        for kind, frame, part in (("city", self._cities, 0), ("network", self._networks, 1)):
            ids = sorted(frame.index)
            records = frame.loc[ids].to_dict("index")
            for node_id in ids:
                attrs = {str(k): _plain(v) for k, v in records[node_id].items() if not pd.isna(v)}
                graph.add_node(
                    f"{kind}:{node_id}", kind=kind, id=str(node_id), bipartite=part, **attrs
                )
        for row in self._edges.to_dict("records"):
            attrs = {
                str(k): _plain(v)
                for k, v in row.items()
                if k not in ("city_id", "network_id") and not pd.isna(v)
            }
            graph.add_edge(f"city:{row['city_id']}", f"network:{row['network_id']}", **attrs)
        return nx.freeze(graph)

    def graph(self) -> nx.Graph:
        """Return the bipartite graph (frozen; copy it with ``nx.Graph(g)`` to modify).

        Nodes are ``"city:<id>"`` (``bipartite=0``) and ``"network:<id>"`` (``bipartite=1``)
        with their table's attributes, ``kind`` and ``id``; edges carry the columns of
        :attr:`edges`. Missing values are left out, so the graph exports cleanly.

        Examples
        --------
        >>> import citynet
        >>> g = citynet.load().graph()
        >>> g.nodes["city:paris"]["bipartite"], g.nodes["network:c40"]["bipartite"]
        (0, 1)
        """
        return self._graph

    # -- snapshots --------------------------------------------------------------------------
    def as_of(self, year: int, *, strict: bool = False) -> Landscape:
        """Return the landscape of the facts valid in ``year``.

        A fact is valid when ``since <= year <= until``, a missing bound being open: an undated
        fact counts as valid every year unless ``strict`` is true, in which case a fact must carry
        evidence for that year (``since``/``until`` bracketing it with at least one of them known,
        or ``as_of == year``). Cities and networks are kept, members or not.

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> len(land.as_of(2010).memberships) <= len(land.memberships)
        True
        """
        facts = self._memberships
        year_value = int(year)
        after_start = facts["since"].isna() | (facts["since"] <= year_value)
        before_end = facts["until"].isna() | (facts["until"] >= year_value)
        keep = (after_start & before_end).fillna(False)
        if strict:
            dated = facts["since"].notna() | facts["until"].notna()
            keep = (keep & dated).fillna(False) | (facts["as_of"] == year_value).fillna(False)
        tables = self._tables()
        tables["memberships"] = facts[keep.to_numpy(dtype=bool)]
        return Landscape(tables, year=year_value)

    def current(self, year: int | None = None) -> Landscape:
        """Return the landscape of current memberships (cached).

        With ``year`` (or on a snapshot, its year): the facts valid that year, as :meth:`as_of`.
        Without: the facts of the city-network pairs that have no stated end (``until``), i.e.
        memberships not known to have ended. Analyses for city staff count these.

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> ended = int(land.edges["until"].notna().sum())
        >>> len(land.current().edges) == len(land.edges) - ended
        True
        """
        year = self._year if year is None else int(year)
        key = ("current", year)
        cache: dict[Any, Any] = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            if year is not None:
                cache[key] = self if year == self._year else self.as_of(year)
            else:
                open_pairs = self._edges.loc[
                    self._edges["until"].isna().to_numpy(dtype=bool), ["city_id", "network_id"]
                ]
                pairs = pd.MultiIndex.from_frame(open_pairs.astype(object))
                facts = self._memberships
                keep = pd.MultiIndex.from_frame(
                    facts[["city_id", "network_id"]].astype(object)
                ).isin(pairs)
                tables = self._tables()
                tables["memberships"] = facts[keep]
                cache[key] = Landscape(tables)
        result: Landscape = cache[key]
        return result

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Compute a value derived from this (immutable) landscape once and keep it.

        For analyses that reuse matrices across calls (e.g. the join check of many cities).

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> land.memo("answer", lambda: 42), land.memo("answer", lambda: 0)
        (42, 42)
        """
        cache: dict[Any, Any] = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _tables(self) -> dict[str, pd.DataFrame]:
        tables = {
            "cities": self._cities.reset_index(),
            "networks": self._networks.reset_index(),
            "memberships": self._memberships,
        }
        if self._capacity is not None:
            tables["capacity"] = self._capacity
        return tables

    # -- output -----------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the landscape as a folder of CSV files (each written atomically).

        Contract columns come first, in contract order, then the extra columns; ``load(path)``
        gives back an equal landscape.

        Parameters
        ----------
        path
            Folder to write; created if needed.

        Returns
        -------
        Path
            The folder.

        Examples
        --------
        >>> import citynet, tempfile
        >>> land = citynet.load()
        >>> citynet.load(land.save(tempfile.mkdtemp())).equals(land)
        True
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            frame = self._tables().get(table.name)
            if frame is None:
                continue
            text = pd.DataFrame(
                {col: [cell_text(v) for v in frame[col].tolist()] for col in frame.columns}
            )
            write_csv(text, folder / table.file)
        return folder

    def equals(self, other: object) -> bool:
        """Whether ``other`` holds the same tables (values, dtypes, column and row order).

        Examples
        --------
        >>> import citynet
        >>> citynet.load().equals(citynet.load())
        True
        """
        if not isinstance(other, Landscape) or self._year != other._year:
            return False
        mine, theirs = self._tables(), other._tables()
        return mine.keys() == theirs.keys() and all(
            mine[k].reset_index(drop=True).equals(theirs[k].reset_index(drop=True)) for k in mine
        )

    def __repr__(self) -> str:
        when = "" if self._year is None else f" as of {self._year}"
        return (
            f"<Landscape{when}: {len(self._cities)} cities, {len(self._networks)} networks, "
            f"{len(self._edges)} memberships from {len(self._memberships)} facts>"
        )


def _plain(value: Any) -> Any:
    """Turn numpy/pandas scalars into Python ones (JSON and GraphML writers need them)."""
    return value.item() if isinstance(value, np.generic) else value


def load(path: str | os.PathLike[str] | None = None) -> Landscape:
    """Load a landscape from a folder of CSV files, or the shipped dataset.

    Parameters
    ----------
    path
        Folder holding ``cities.csv``, ``networks.csv``, ``memberships.csv`` and, optionally,
        ``capacity.csv``. ``None`` loads the dataset shipped with citynet.

    Returns
    -------
    Landscape

    Raises
    ------
    DataError
        Listing every problem in every file (file, row, column, value).

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> "toward-city-diplomacy-2018" in land.cities.loc["paris", "groups"]
    True
    """
    folder = shipped_data_path() if path is None else Path(path)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), "is not a folder (expected the landscape's CSVs)")])
    files = {
        t.name: folder / t.file
        for t in TABLES
        if not (t.optional and not (folder / t.file).exists())
    }
    # Clean files go through pandas' C parser; at the first problem, everything is read again
    # with the strict reader, which names rows exactly as a spreadsheet numbers them.
    fast = {name: read_table_fast(file) for name, file in files.items()}
    if all(frame is not None for frame in fast.values()):
        try:
            return Landscape(validate_tables(fast))
        except DataError:
            pass
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame | None] = {}
    for name, file in files.items():
        frame, found = read_table_text(file)
        problems.extend(found)
        raw[name] = frame
    return Landscape(validate_tables(raw, problems))
