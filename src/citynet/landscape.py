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
* A landscape is either the **record** (every fact ever, as loaded) or a **snapshot** of one
  year (:meth:`Landscape.as_of`, :meth:`Landscape.current`), whose memberships are the facts
  valid that year under the validity model of :mod:`citynet.validity` and whose edges say how
  sure each membership is (``certainty``). Analyses work on snapshots; "now" is this year.
* Where ``networks.csv`` leaves a network's ``status``, ``closed``, ``successor`` or
  ``part_of`` empty and ``network_rules.csv`` states them, the rules' values are used
  (:func:`citynet.rules.lifecycle`).
* Matrices and graphs list cities and networks in sorted id order; graph nodes are
  ``"city:<id>"`` and ``"network:<id>"`` so that a city and a network never collide.
* Everything handed out is a copy or read-only: a Landscape never changes after it is built.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from citynet._errors import CitynetError, DataError, Problem

if TYPE_CHECKING:  # imported where used: most commands need neither
    import networkx as nx
    import scipy.sparse as sp
from citynet.io import read_table_fast, read_table_text, write_csv
from citynet.rules import NetworkRules, horizon_years, lifecycle, network_rules, term_years
from citynet.schema import (
    CAPACITY,
    CERTAINTIES,
    CITIES,
    EVIDENCE,
    MEMBERSHIPS,
    NETWORK_RULES,
    NETWORKS,
    TABLES,
    Table,
)
from citynet.validate import cell_text, validate_tables
from citynet.validity import (
    LAPSED,
    LEVEL_NAMES,
    check_certainty,
    fact_segments,
    this_year,
    valid_facts,
)

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


_EDGE_COLUMNS = {
    "city_id": "string",
    "network_id": "string",
    "role": "string",
    "certainty": "string",
    "seat_certainty": "string",
    "observed": "Int64",
    "executive_facts": "Int64",
    "n_facts": "Int64",
    "n_sources": "Int64",
    "since": "Int64",
    "until": "Int64",
    "evidence": "string",
    "role_titles": "string",
}
_OPTIONAL = (CAPACITY, NETWORK_RULES)


@dataclass(frozen=True)
class _Snapshot:
    """What makes a landscape a snapshot: its year and the validity of its facts then."""

    year: int
    certainty: str
    evidence: tuple[str, ...] | None
    record: Landscape
    validity: pd.DataFrame  # aligned with the snapshot's memberships: level, executive, observed


def _fill_lifecycle(networks: pd.DataFrame, rules: pd.DataFrame | None) -> pd.DataFrame:
    """Fill empty lifecycle columns of ``networks`` from the rule facts (never overwrite)."""
    if rules is None or rules.empty:
        return networks
    derived = lifecycle(rules)
    out = networks.copy()
    for column in ("status", "closed", "successor", "part_of"):
        values = derived[column].reindex(out.index)
        empty = out[column].isna() & values.notna()
        if empty.any():
            out.loc[empty, column] = values[empty].astype(out[column].dtype)
    return out


class Landscape:
    """Cities, networks and the sourced facts that tie them, validated and immutable.

    Build one with :func:`citynet.load`, :meth:`Landscape.from_frames` or
    :func:`citynet.read_wide`; the constructor itself is internal. What you load is the
    **record**; :meth:`current` and :meth:`as_of` cut it to the memberships valid in one year.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> land.cities.loc["paris", "name"]
    'Paris'
    >>> land.incidence.shape == (len(land.cities), len(land.networks))
    True
    >>> land.as_of(2015).year
    2015
    """

    __slots__ = ("__dict__", "_cities", "_memberships", "_networks", "_optional", "_snapshot")

    def __init__(
        self, tables: Mapping[str, pd.DataFrame], *, snapshot: _Snapshot | None = None
    ) -> None:
        cities = tables["cities"]
        networks = tables["networks"]
        if "city_id" in cities.columns:
            cities = cities.set_index("city_id")
        if "network_id" in networks.columns:
            networks = networks.set_index("network_id")
        memberships = tables["memberships"].reset_index(drop=True)
        if snapshot is None:
            memberships["evidence"] = memberships["evidence"].fillna("listed")
            networks = _fill_lifecycle(networks, tables.get("network_rules"))
        self._cities: pd.DataFrame = cities
        self._networks: pd.DataFrame = networks
        self._memberships: pd.DataFrame = memberships
        self._optional: dict[str, pd.DataFrame] = {
            t.name: tables[t.name].reset_index(drop=True)
            for t in _OPTIONAL
            if tables.get(t.name) is not None
        }
        self._snapshot = snapshot

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        cities: pd.DataFrame,
        networks: pd.DataFrame,
        memberships: pd.DataFrame,
        capacity: pd.DataFrame | None = None,
        network_rules: pd.DataFrame | None = None,
    ) -> Landscape:
        """Validate in-memory tables and build a Landscape.

        Cells may be text or typed (numbers, booleans, missing values). Problems name the table's
        file name and the row the frame would have as a CSV file (first data row = row 2).

        Parameters
        ----------
        cities, networks, memberships, capacity, network_rules
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
        if network_rules is not None:
            raw["network_rules"] = _to_text(NETWORK_RULES, network_rules)
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
        """Membership facts, one row per piece of evidence (in a snapshot: those valid then)."""
        return _freeze(self._memberships)

    @property
    def capacity(self) -> pd.DataFrame | None:
        """Capacity facts (``capacity.csv``), or ``None`` when the landscape has none."""
        frame = self._optional.get("capacity")
        return None if frame is None else _freeze(frame)

    @property
    def network_rules(self) -> pd.DataFrame | None:
        """Rule facts (``network_rules.csv``), or ``None`` when the landscape has none."""
        frame = self._optional.get("network_rules")
        return None if frame is None else _freeze(frame)

    @functools.cached_property
    def rules(self) -> dict[str, NetworkRules]:
        """The rules of every network, read from ``network_rules`` (see :mod:`citynet.rules`).

        Examples
        --------
        >>> import citynet
        >>> citynet.load().rules["100rc"].status
        'closed'
        """
        if self._snapshot is not None:  # a snapshot has its record's networks and rules
            return self._snapshot.record.rules
        return network_rules(self._networks, self._optional.get("network_rules"))

    @property
    def year(self) -> int | None:
        """The snapshot year (:meth:`as_of`, :meth:`current`), or ``None`` for the record."""
        return None if self._snapshot is None else self._snapshot.year

    @property
    def certainty(self) -> str | None:
        """The weakest certainty a snapshot admits (``None`` for the record)."""
        return None if self._snapshot is None else self._snapshot.certainty

    @property
    def record(self) -> Landscape:
        """The whole record this landscape was cut from (itself, for the record).

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> land.current().record is land
        True
        """
        return self if self._snapshot is None else self._snapshot.record

    @functools.cached_property
    def city_ids(self) -> pd.Index:
        """Sorted city ids: the row order of :attr:`incidence`."""
        if self._snapshot is not None:  # a snapshot keeps its record's cities
            return self._snapshot.record.city_ids
        ids: pd.Index = pd.Index(sorted(self._cities.index), name="city_id", dtype="string")
        return ids

    @functools.cached_property
    def network_ids(self) -> pd.Index:
        """Sorted network ids: the column order of :attr:`incidence`."""
        if self._snapshot is not None:
            return self._snapshot.record.network_ids
        ids: pd.Index = pd.Index(sorted(self._networks.index), name="network_id", dtype="string")
        return ids

    @functools.cached_property
    def network_themes(self) -> dict[str, frozenset[str]]:
        """Themes of each network as a set (empty set when the network lists none)."""
        return {
            str(nid): frozenset() if pd.isna(t) else frozenset(str(t).split(";"))
            for nid, t in self._networks["themes"].items()
        }

    @functools.cached_property
    def alive(self) -> pd.Series:
        """Whether each network exists in the snapshot year (record: whether it exists now).

        A network exists from its ``founded`` year (if stated) to its ``closed`` year. One
        that closed, merged or was suspended in an unknown year exists up to the last year a
        fact observes it (a membership or a rule fact), as far as the data can tell.

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> bool(land.current().alive["100rc"]), bool(land.as_of(2015).alive["100rc"])
        (False, True)
        """
        networks = self._networks
        year = this_year() if self._snapshot is None else self._snapshot.year
        founded = networks["founded"].astype("Float64").fillna(-np.inf)
        ended = networks["status"].isin(["closed", "merged", "suspended"]).fillna(False)
        closed = networks["closed"].astype("Float64").fillna(self.record._last_seen)
        gone = ended & (closed.isna() | (closed < year)).fillna(True)
        alive = (founded <= year) & ~gone
        return pd.Series(alive.to_numpy(dtype=bool), index=networks.index, name="alive")

    @functools.cached_property
    def _last_seen(self) -> pd.Series:
        """The last year a fact observes each network (memberships and rules)."""
        segments = self._segments
        facts = self._memberships
        observed = (
            pd.Series(segments["observed"].to_numpy(), index=segments["fact"].to_numpy())
            .groupby(level=0)
            .max()
        )
        by_network = pd.Series(observed.to_numpy(), index=facts["network_id"].iloc[observed.index])
        seen = by_network[by_network > 0].groupby(level=0).max().astype("Float64")
        rules = self._optional.get("network_rules")
        if rules is not None and len(rules):
            stated = rules.dropna(subset=["year"]).groupby("network_id")["year"].max()
            seen = pd.concat([seen, stated.astype("Float64")]).groupby(level=0).max()
        return seen.reindex(self._networks.index)

    # -- validity ------------------------------------------------------------------------
    @functools.cached_property
    def _segments(self) -> pd.DataFrame:
        record = self.record
        if record is not self:
            return record._segments
        return fact_segments(
            self._memberships,
            self._networks,
            term_years(self.rules),
            present=this_year(),
            horizons=horizon_years(self.rules),
        )

    def as_of(
        self,
        year: int,
        *,
        certainty: str = "undated",
        evidence: Sequence[str] | None = None,
    ) -> Landscape:
        """Return the snapshot of ``year``: the memberships valid then, and how sure each is.

        Validity follows the model of :mod:`citynet.validity` (``docs/time.md``): a fact holds
        over its stated or observed span (``known``); a membership is carried forward from its
        last observation until the network closes or a fact says it ended, a seat for one
        executive term (``presumed``); a fact without any year is taken to describe the year
        its source was read (``undated``). Nothing holds before a network was founded or after
        it closed. Cities and networks are kept, members or not.

        Parameters
        ----------
        year
            The year.
        certainty
            The weakest certainty to admit: ``"known"``, ``"presumed"``, ``"undated"``
            (default) or ``"any"`` (undated facts also in every year of their network's life).
        evidence
            Kinds of evidence to keep (``listed``, ``derived``, ``participation``); default all.

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> y2010 = land.as_of(2010)
        >>> founded = land.networks["founded"]
        >>> bool((y2010.edges["network_id"].map(founded) <= 2010).all())
        True
        >>> bool(land.as_of(2010, certainty="known").edges["certainty"].eq("known").all())
        True
        """
        level = check_certainty(certainty)
        kinds: tuple[str, ...] | None = None
        if evidence is not None:
            kinds = tuple(evidence)
            unknown = set(kinds) - set(EVIDENCE)
            if unknown:
                raise CitynetError(
                    f"evidence must name kinds of {', '.join(EVIDENCE)}, not {sorted(unknown)}"
                )
        record = self.record
        year_value = int(year)
        valid = valid_facts(record._segments, year_value, level)
        facts = record._memberships
        positions = valid.index.to_numpy(dtype=np.int64)
        if kinds is not None:
            keep = facts["evidence"].iloc[positions].isin(kinds).to_numpy(dtype=bool)
            positions, valid = positions[keep], valid[keep]
        # the snapshot shares the record's city and network frames (already indexed, never
        # changed in place): one copy in memory and in the cache entry
        tables = {
            "cities": record._cities,
            "networks": record._networks,
            "memberships": facts.iloc[positions],
            **record._optional,
        }
        snapshot = _Snapshot(
            year=year_value,
            certainty=certainty,
            evidence=kinds,
            record=record,
            validity=valid.reset_index(drop=True),
        )
        return Landscape(tables, snapshot=snapshot)

    def current(
        self,
        year: int | None = None,
        *,
        certainty: str = "undated",
        evidence: Sequence[str] | None = None,
    ) -> Landscape:
        """Return the snapshot of ``year``, by default of this landscape's year or of now (cached).

        On a snapshot without arguments this is the snapshot itself, so analyses can take
        either a record or a snapshot: ``land.current()`` is "the year this is about".

        Examples
        --------
        >>> import citynet
        >>> from citynet.validity import this_year
        >>> land = citynet.load()
        >>> land.current().year == this_year()
        True
        >>> land.as_of(2015).current() is not None
        True
        """
        if self._snapshot is not None and year is None and evidence is None:
            if certainty == self._snapshot.certainty:
                return self
            year = self._snapshot.year
        target = this_year() if year is None else int(year)
        key = ("current", target, certainty, None if evidence is None else tuple(evidence))
        cache: dict[Any, Any] = self.record.__dict__.setdefault("_derived", {})
        if key not in cache:
            cache[key] = self.as_of(target, certainty=certainty, evidence=evidence)
        result: Landscape = cache[key]
        return result

    def periods(self, *, certainty: str = "undated") -> pd.DataFrame:
        """When each city-network pair holds, as merged year intervals of the validity model.

        Returns
        -------
        pandas.DataFrame
            One row per interval: ``city_id``, ``network_id``, ``start``, ``end`` (inclusive;
            ``<NA>`` when it goes on), ``certainty`` (the weakest certainty inside it).
            A pair whose facts hold in no year at this certainty has no row.

        Examples
        --------
        >>> import citynet
        >>> p = citynet.load().periods().set_index(["city_id", "network_id"])
        >>> p.loc[[("accra", "100rc")], ["start", "end"]].values.tolist()
        [[2014, 2019]]
        """
        level = check_certainty(certainty)
        record = self.record
        segments = record._segments
        segments = segments[(segments["level"] <= level).to_numpy(dtype=bool)]
        facts = record._memberships
        fact = segments["fact"].to_numpy()
        work = pd.DataFrame(
            {
                "city_id": facts["city_id"].to_numpy(dtype=object)[fact],
                "network_id": facts["network_id"].to_numpy(dtype=object)[fact],
                "start": segments["start"].to_numpy(),
                "end": segments["end"].to_numpy(),
                "level": segments["level"].to_numpy(),
            }
        ).sort_values(["city_id", "network_id", "start", "end"], kind="stable")
        rows: list[tuple[str, str, int, int, int]] = []
        current: list[Any] | None = None
        for city, network, start, end, lvl in work.itertuples(index=False, name=None):
            if (
                current is not None
                and (current[0], current[1]) == (city, network)
                and start <= current[3] + 1
            ):
                current[3] = max(current[3], end)
                current[4] = max(current[4], lvl)
                continue
            if current is not None:
                rows.append((current[0], current[1], current[2], current[3], current[4]))
            current = [city, network, start, end, lvl]
        if current is not None:
            rows.append((current[0], current[1], current[2], current[3], current[4]))
        out = pd.DataFrame(rows, columns=["city_id", "network_id", "start", "end", "level"])
        out["end"] = out["end"].astype("Int64").mask(out["end"] >= 9999)
        out["start"] = out["start"].astype("Int64")
        out["certainty"] = pd.Series(
            np.asarray(LEVEL_NAMES, dtype=object)[out.pop("level").to_numpy(dtype=np.int64)],
            index=out.index,
            dtype="string",
        )
        out["city_id"] = out["city_id"].astype("string")
        out["network_id"] = out["network_id"].astype("string")
        return out.reset_index(drop=True)

    def certainty_counts(self, *, stale_after: int = 5) -> dict[str, Any]:
        """How many memberships of a snapshot are known, presumed or undated, and how fresh.

        Returns
        -------
        dict
            ``year``, ``memberships``, ``known``, ``presumed``, ``undated``, ``stale``
            (presumed from an observation more than ``stale_after`` years before the year),
            ``recent`` (resting on a dated observation of the last ``stale_after`` years),
            ``lapsed`` (city-network pairs beyond their presumption horizon, not counted) and
            ``suspended`` (pairs the network has suspended, not counted).

        Examples
        --------
        >>> import citynet
        >>> counts = citynet.load().as_of(2015).certainty_counts()
        >>> counts["known"] + counts["presumed"] + counts["undated"] == counts["memberships"]
        True
        """
        snapshot = self.current()
        edges = snapshot._edges
        year = snapshot.year
        certainty = edges["certainty"].astype(object)
        presumed = (certainty == "presumed").to_numpy(dtype=bool)
        observed = edges["observed"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        assert year is not None
        with np.errstate(invalid="ignore"):
            stale = presumed & (observed < year - stale_after)
            recent = ~np.isnan(observed) & (observed >= year - stale_after)
        lapsed, suspended = snapshot._not_counted()
        return {
            "year": year,
            "memberships": len(edges),
            **{c: int((certainty == c).sum()) for c in CERTAINTIES},
            "stale": int(stale.sum()),
            "stale_after": stale_after,
            "recent": int(recent.sum()),
            "lapsed": lapsed,
            "suspended": suspended,
        }

    def not_counted(self) -> pd.DataFrame:
        """Return the city-network pairs of the snapshot's year that hold no membership, and why.

        Returns
        -------
        pandas.DataFrame
            One row per pair: ``city_id``, ``network_id``, ``state`` (``lapsed``: beyond the
            presumption horizon of its last observation; ``suspended``: the network suspended
            the city) and ``observed`` (the latest year a dated fact of the pair observed it).

        Examples
        --------
        >>> import citynet
        >>> set(citynet.load().current().not_counted()["state"]) <= {"lapsed", "suspended"}
        True
        """
        snapshot = self.current()
        year = snapshot.year
        assert year is not None
        record = snapshot.record
        segments = record._segments
        hit = (
            (segments["start"] <= year) & (segments["end"] >= year) & (segments["level"] >= LAPSED)
        ).to_numpy(dtype=bool)
        chosen = segments[hit]
        facts = record._memberships
        positions = chosen["fact"].to_numpy(dtype=np.int64)
        out = pd.DataFrame(
            {
                "city_id": facts["city_id"].iloc[positions].to_numpy(dtype=object),
                "network_id": facts["network_id"].iloc[positions].to_numpy(dtype=object),
                "state": np.where(chosen["level"].to_numpy() == LAPSED, "lapsed", "suspended"),
                "observed": chosen["observed"].to_numpy(),
            }
        )
        counted = pd.MultiIndex.from_frame(
            snapshot._edges[["city_id", "network_id"]].astype(object)
        )
        out = out[~pd.MultiIndex.from_frame(out[["city_id", "network_id"]]).isin(counted)]
        out = out.sort_values(["city_id", "network_id", "state"], ascending=[True, True, False])
        out = out.drop_duplicates(["city_id", "network_id"]).reset_index(drop=True)
        return out.astype({"city_id": "string", "network_id": "string", "state": "string"})

    def _not_counted(self) -> tuple[int, int]:
        states = [state for state, _ in self.pair_states().values()]
        return states.count("lapsed"), states.count("suspended")

    def pair_states(self) -> dict[tuple[str, str], tuple[str, int]]:
        """``(city_id, network_id) -> (state, observed)`` of :meth:`not_counted` (kept)."""

        def build() -> dict[tuple[str, str], tuple[str, int]]:
            frame = self.not_counted()
            return {
                (str(c), str(n)): (str(s), int(o))
                for c, n, s, o in zip(
                    frame["city_id"],
                    frame["network_id"],
                    frame["state"],
                    frame["observed"],
                    strict=True,
                )
            }

        states: dict[tuple[str, str], tuple[str, int]] = self.current().memo(
            "pair-states", build, lasting=True
        )
        return states

    # -- edges and matrices ---------------------------------------------------------------
    @functools.cached_property
    def _edges(self) -> pd.DataFrame:
        facts = self._memberships
        keys = ["city_id", "network_id"]
        if facts.empty:
            return pd.DataFrame({k: pd.Series(dtype=v) for k, v in _EDGE_COLUMNS.items()})
        snapshot = self._snapshot
        if snapshot is None:
            first = self._segments.drop_duplicates("fact").set_index("fact")
            executive = (facts["role"] == "executive").to_numpy(dtype=bool)
            level = np.full(len(facts), -1, dtype=np.int64)
            observed = first["observed"].reindex(range(len(facts))).to_numpy()
        else:
            executive = snapshot.validity["executive"].to_numpy(dtype=bool)
            level = snapshot.validity["level"].to_numpy(dtype=np.int64)
            observed = snapshot.validity["observed"].to_numpy(dtype=np.int64)
        # Titles of the roles held: a former seat's title is not shown on a member edge.
        same_role = executive == (facts["role"] == "executive").to_numpy(dtype=bool)
        work = pd.DataFrame(
            {
                "city_id": facts["city_id"],
                "network_id": facts["network_id"],
                "executive": executive,
                "level": level,
                "seat_level": np.where(executive, level, 99),
                "observed": np.where(observed < 0, np.nan, observed),
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
                "level": grouped["level"].min(),
                "seat_level": grouped["seat_level"].min(),
                "observed": grouped["observed"].max().round().astype("Int64"),
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
        names = np.asarray([pd.NA, *LEVEL_NAMES], dtype=object)
        edges.insert(
            1,
            "certainty",
            pd.Series(names[edges.pop("level").to_numpy() + 1], index=edges.index, dtype="string"),
        )
        seat = edges.pop("seat_level").to_numpy()
        seat = np.where((seat == 99) | (seat < 0), -1, seat)
        edges.insert(
            2, "seat_certainty", pd.Series(names[seat + 1], index=edges.index, dtype="string")
        )
        edges["evidence"] = pd.Series(
            np.asarray(EVIDENCE, dtype=object)[edges.pop("rank").to_numpy()],
            index=edges.index,
            dtype="string",
        )
        titled = facts[facts["role_title"].notna().to_numpy(dtype=bool) & same_role]
        titles = titled.groupby(keys, sort=True)["role_title"].agg(
            lambda s: "; ".join(sorted(set(s)))
        )
        edges["role_titles"] = titles.reindex(edges.index).astype("string")
        edges = edges.reset_index()
        edges["city_id"] = edges["city_id"].astype("string")
        edges["network_id"] = edges["network_id"].astype("string")
        return edges[list(_EDGE_COLUMNS)]

    @property
    def edges(self) -> pd.DataFrame:
        """One row per city-network pair, aggregated from its facts.

        In a snapshot, the pairs valid that year: ``role`` is ``executive`` if a seat is held
        that year (known or presumed), ``certainty`` the strongest certainty among the facts
        (``known``, ``presumed``, ``undated``), ``seat_certainty`` that of the seat (executive
        edges only) and ``observed`` the latest year a dated fact observed the pair (empty when
        only undated facts support it). In the record, every pair ever documented: ``role`` is
        ``executive`` if a seat was ever recorded and the certainties are empty.

        Other columns: ``executive_facts`` (facts giving a seat), ``n_facts``, ``n_sources``
        (distinct source URLs), ``since`` (earliest stated), ``until`` (latest stated;
        ``<NA>`` if any fact is open), ``evidence`` (the strongest kind among the facts:
        listed > derived > participation), ``role_titles`` (titles of the roles held, joined by
        ``"; "``). Sorted by city, then network.

        Examples
        --------
        >>> import citynet
        >>> e = citynet.load().current().edges
        >>> bool(e.duplicated(["city_id", "network_id"]).any())
        False
        >>> sorted(set(e["certainty"]))
        ['known', 'presumed', 'undated']
        """
        return _freeze(self._edges)

    def _matrix(self, values: np.ndarray) -> sp.csr_array:
        edges = self._edges
        rows = pd.Categorical(edges["city_id"], categories=self.city_ids).codes
        cols = pd.Categorical(edges["network_id"], categories=self.network_ids).codes
        import scipy.sparse as sp

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
        import networkx as nx

        graph = nx.Graph()
        for kind, frame, part in (("city", self._cities, 0), ("network", self._networks, 1)):
            ids = sorted(frame.index)
            records = frame.loc[ids].astype(object).to_dict("index")  # object: fast to iterate
            for node_id in ids:
                attrs = {
                    # an extra column named like a node key of its own is kept as data_<name>
                    (f"data_{k}" if k in ("kind", "id", "bipartite") else str(k)): _plain(v)
                    for k, v in records[node_id].items()
                    if not pd.isna(v)
                }
                graph.add_node(
                    f"{kind}:{node_id}", kind=kind, id=str(node_id), bipartite=part, **attrs
                )
        for row in self._edges.astype(object).to_dict("records"):
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

    def memo(self, key: Any, compute: Callable[[], Any], *, lasting: bool = False) -> Any:
        """Compute a value derived from this (immutable) landscape once and keep it.

        For analyses that reuse matrices across calls (e.g. the join check of many cities).
        With ``lasting``, a landscape read through the command line's cache
        (:func:`citynet.cache.load_cached`) also keeps the value on disk beside its entry, so
        that the next command on the same files reads it instead of computing it; the value
        must not hold the landscape itself.

        Examples
        --------
        >>> import citynet
        >>> land = citynet.load()
        >>> land.memo("answer", lambda: 42), land.memo("answer", lambda: 0)
        (42, 42)
        """
        cache: dict[Any, Any] = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            store = self.record.__dict__.get("_store") if lasting else None
            if store is None:
                cache[key] = compute()
            else:
                snapshot = self._snapshot
                which = (
                    None
                    if snapshot is None
                    else (snapshot.year, snapshot.certainty, snapshot.evidence)
                )
                cache[key] = store.get_or_compute((which, key), compute)
        return cache[key]

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Warnings about the record that keep the contract but need a look (kept once computed).

        Facts no year can count (outside the network's life), probable duplicate cities and
        aliases that are another city's name (:mod:`citynet.checks`); each names the file, row,
        column and value. ``citynet validate`` prints them; ``--strict`` makes them errors.

        Examples
        --------
        >>> import citynet
        >>> [str(w)[:60] for w in citynet.load().warnings]
        ["memberships.csv:1241: since '2015' starts before Global Cove"]
        """
        from citynet.checks import landscape_warnings

        record = self.record
        found: tuple[Problem, ...] = record.memo(
            "warnings", lambda: landscape_warnings(record), lasting=True
        )
        return found

    def _tables(self) -> dict[str, pd.DataFrame]:
        tables = {
            "cities": self._cities.reset_index(),
            "networks": self._networks.reset_index(),
            "memberships": self._memberships,
        }
        tables.update(self._optional)
        return tables

    # -- output -----------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the landscape as a folder of CSV files, replaced as one unit.

        Contract columns come first, in contract order, then the extra columns; ``load(path)``
        gives back an equal landscape. The folder gets exactly the landscape's tables (a
        ``capacity.csv`` left from an older landscape goes), keeps the other files it held, and
        is never a mix of two landscapes, even if the process is killed mid-save
        (:func:`citynet.io.replace_folder`).

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
        from citynet.io import replace_folder

        return replace_folder(path, self._write_tables, [t.file for t in TABLES])

    def _write_tables(self, folder: Path) -> None:
        """Write each table the landscape has as CSV text into ``folder``; remove the others."""
        tables = self._tables()
        for table in TABLES:
            frame = tables.get(table.name)
            if frame is None:
                (folder / table.file).unlink(missing_ok=True)
                continue
            text = pd.DataFrame(
                {col: [cell_text(v) for v in frame[col].tolist()] for col in frame.columns}
            )
            write_csv(text, folder / table.file)

    def save_files(self, path: str | os.PathLike[str]) -> Path:
        """Write the landscape's CSV files into a folder one by one, each whole.

        For a folder that holds other things (the table an import read, a project): nothing in
        it is copied or moved, each file is written to a temporary file and renamed, and a
        table file the landscape does not have (a stale ``capacity.csv``) is removed. Unlike
        :meth:`save`, a reader may see new and old files side by side while it runs.

        Examples
        --------
        >>> import citynet, tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "mine.txt").write_text("x")
        >>> sorted(p.name for p in citynet.load().save_files(d).iterdir())[:3]
        ['capacity.csv', 'cities.csv', 'memberships.csv']
        """
        folder = Path(path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CitynetError(f"cannot write {folder}: {error.strerror or error}") from None
        self._write_tables(folder)
        return folder

    def equals(self, other: object) -> bool:
        """Whether ``other`` holds the same tables (values, dtypes, column and row order).

        Examples
        --------
        >>> import citynet
        >>> citynet.load().equals(citynet.load())
        True
        """
        if not isinstance(other, Landscape) or (self.year, self.certainty) != (
            other.year,
            other.certainty,
        ):
            return False
        mine, theirs = self._tables(), other._tables()
        return mine.keys() == theirs.keys() and all(
            mine[k].reset_index(drop=True).equals(theirs[k].reset_index(drop=True)) for k in mine
        )

    def __repr__(self) -> str:
        when = "" if self.year is None else f" as of {self.year}"
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
