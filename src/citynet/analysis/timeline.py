"""The landscape's history: memberships by year, changes between two years, a city's story.

Every count here comes from the same snapshots as :meth:`~citynet.Landscape.as_of`: a
membership is in year ``y`` exactly when ``land.as_of(y, certainty=...)`` has its edge, with the
same role and certainty (``docs/time.md``). So a growth curve, an entry count and a join check of
the same year never disagree.

* :func:`timeline`: a tidy table per year and network (or city, or scope): members, how sure
  (known / presumed / undated), executive seats, entries, exits, churn and mean tenure.
* :func:`changes`: who joined and left, which networks appeared or ended, which seats were
  gained and lost between two years.
* :func:`membership_history`: one city's memberships with their dates, seats and sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from citynet._errors import CitynetError
from citynet.landscape import Landscape
from citynet.lookup import resolve_city
from citynet.validity import LEVEL_NAMES, check_certainty, this_year, valid_facts

__all__ = ["Changes", "changes", "membership_history", "timeline"]

_BY = {"network": "network_id", "city": "city_id", "scope": "scope"}


def _pairs_by_year(
    record: Landscape, years: range, level: int
) -> tuple[pd.DataFrame, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """For each year: the pair codes valid, their certainty level and whether a seat is held."""
    facts = record.memberships
    pair_labels = pd.MultiIndex.from_arrays(
        [facts["city_id"].astype(str), facts["network_id"].astype(str)]
    )
    codes, uniques = pd.factorize(pair_labels)
    pairs = pd.DataFrame(
        {"city_id": uniques.get_level_values(0), "network_id": uniques.get_level_values(1)}
    )
    segments = record._segments
    out = []
    for year in years:
        valid = valid_facts(segments, year, level)
        pair = codes[valid.index.to_numpy(dtype=np.int64)]
        frame = pd.DataFrame(
            {
                "pair": pair,
                "level": valid["level"].to_numpy(),
                "executive": valid["executive"].to_numpy(),
            }
        )
        grouped = frame.groupby("pair", sort=True)
        out.append(
            (
                grouped.size().index.to_numpy(dtype=np.int64),
                grouped["level"].min().to_numpy(dtype=np.int64),
                grouped["executive"].any().to_numpy(dtype=bool),
            )
        )
    return pairs, out


def _year_range(record: Landscape, start: int | None, end: int | None) -> range:
    if start is None:
        segments = record._segments
        known = segments.loc[segments["level"] <= 1, "start"]
        start = int(max(known.min(), 1800)) if len(known) else this_year()
    end = this_year() if end is None else int(end)
    start = int(start)
    if start > end:
        raise CitynetError(f"the first year ({start}) is after the last ({end})")
    return range(start, end + 1)


def timeline(
    land: Landscape,
    *,
    by: str = "network",
    start: int | None = None,
    end: int | None = None,
    certainty: str = "undated",
    networks: list[str] | None = None,
    cities: list[str] | None = None,
) -> pd.DataFrame:
    """Count memberships year by year, by network, city or scope.

    Parameters
    ----------
    land
        A landscape (its record is used).
    by
        ``"network"``, ``"city"`` or ``"scope"``.
    start, end
        First and last year (default: the first year any fact is known to hold, and now).
    certainty
        The weakest certainty counted, as in :meth:`~citynet.Landscape.as_of`.
    networks, cities
        Restrict the counts to these ids.

    Returns
    -------
    pandas.DataFrame
        One row per year and key (``network_id``, ``city_id`` or ``scope``) with at least one
        membership that year or the year before: ``year``, the key, ``members`` (memberships
        valid that year), ``known``, ``presumed``, ``undated`` (their certainty),
        ``executive`` (seats held), ``entries`` (memberships valid this year and not the year
        before), ``exits`` (the reverse), ``churn`` ((entries + exits) / last year's members;
        NaN when there were none) and ``mean_tenure`` (mean run of consecutive years so far
        of this year's memberships, counted from ``start``).

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> t = timeline(land, by="network", start=2010, end=2020, networks=["100rc"])
    >>> t.set_index("year").loc[[2013, 2019, 2020], "members"].tolist()
    [33, 96, 0]
    >>> int(t.set_index("year").loc[2020, "exits"])
    96
    """
    if by not in _BY:
        raise CitynetError(f"by must be one of {', '.join(_BY)}, not {by!r}")
    level = check_certainty(certainty)
    record = land.record
    years = _year_range(record, start, end)
    window = range(years.start - 1, years.stop)
    pairs, per_year = _pairs_by_year(record, window, level)
    keep = np.ones(len(pairs), dtype=bool)
    if networks is not None:
        keep &= pairs["network_id"].isin(networks).to_numpy(dtype=bool)
    if cities is not None:
        keep &= pairs["city_id"].isin(cities).to_numpy(dtype=bool)
    key_name = _BY[by]
    if by == "scope":
        keys = pairs["network_id"].map(record.networks["scope"]).astype(str)
    else:
        keys = pairs[key_name].astype(str)
    key_codes, key_values = pd.factorize(keys)
    n_keys = len(key_values)

    run = np.zeros(len(pairs), dtype=np.int64)
    previous = np.zeros(len(pairs), dtype=bool)
    rows = []
    for year, (valid, levels, seats) in zip(window, per_year, strict=True):
        mask = np.zeros(len(pairs), dtype=bool)
        mask[valid] = True
        mask &= keep
        run = np.where(mask, run + 1, 0)
        if year >= years.start:
            entered = mask & ~previous
            left = previous & ~mask
            level_of = np.full(len(pairs), -1)
            level_of[valid] = levels
            seat_of = np.zeros(len(pairs), dtype=bool)
            seat_of[valid] = seats
            table: dict[str, Any] = {
                "members": np.bincount(key_codes[mask], minlength=n_keys),
                **{
                    name: np.bincount(key_codes[mask & (level_of == i)], minlength=n_keys)
                    for i, name in enumerate(LEVEL_NAMES[:3])
                },
                "executive": np.bincount(key_codes[mask & seat_of], minlength=n_keys),
                "entries": np.bincount(key_codes[entered], minlength=n_keys),
                "exits": np.bincount(key_codes[left], minlength=n_keys),
                "before": np.bincount(key_codes[previous], minlength=n_keys),
                "tenure": np.bincount(key_codes[mask], weights=run[mask], minlength=n_keys),
            }
            # undated facts taken as "any year" count as undated
            table["undated"] = table["undated"] + np.bincount(
                key_codes[mask & (level_of == 3)], minlength=n_keys
            )
            frame = pd.DataFrame(table)
            frame.insert(0, key_name, key_values)
            frame.insert(0, "year", year)
            rows.append(frame[(frame["members"] > 0) | (frame["before"] > 0)])
        previous = mask
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if out.empty:
        columns = ["year", key_name, "members", "known", "presumed", "undated", "executive"]
        return pd.DataFrame(columns=[*columns, "entries", "exits", "churn", "mean_tenure"]).astype(
            {"year": "int64"}
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["churn"] = np.where(
            out["before"] > 0, (out["entries"] + out["exits"]) / out["before"], np.nan
        )
        out["mean_tenure"] = np.where(
            out["members"] > 0, out["tenure"] / out["members"].clip(lower=1), np.nan
        )
    out = out.drop(columns=["before", "tenure"])
    for column in ("members", "known", "presumed", "undated", "executive", "entries", "exits"):
        out[column] = out[column].astype("int64")
    return out.sort_values(["year", key_name]).reset_index(drop=True)


@dataclass(frozen=True)
class Changes:
    """What changed between two years (:func:`changes`); every table is sorted by id.

    Attributes
    ----------
    start, end
        The two years.
    joined, left
        Memberships valid at ``end`` and not at ``start`` (and the reverse): ``city_id``,
        ``network_id``, ``role``, ``certainty`` (in the year they are valid).
    networks_appeared, networks_ended
        Networks existing at ``end`` and not at ``start`` (founded in between), and the reverse
        (closed, merged or suspended): ``network_id``, ``name``, ``founded``, ``status``,
        ``closed``.
    seats_gained, seats_lost
        Executive seats held at ``end`` and not at ``start``, and the reverse: ``city_id``,
        ``network_id``.
    """

    start: int
    end: int
    joined: pd.DataFrame
    left: pd.DataFrame
    networks_appeared: pd.DataFrame
    networks_ended: pd.DataFrame
    seats_gained: pd.DataFrame
    seats_lost: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Return the number of rows of each table."""
        return {
            name: len(getattr(self, name))
            for name in (
                "joined",
                "left",
                "networks_appeared",
                "networks_ended",
                "seats_gained",
                "seats_lost",
            )
        }

    def to_dict(self) -> dict[str, Any]:
        """Return plain data (lists of records) for JSON."""
        out: dict[str, Any] = {"start": self.start, "end": self.end, "counts": self.counts()}
        for name in self.counts():
            frame: pd.DataFrame = getattr(self, name)
            out[name] = [
                {k: (None if pd.isna(v) else v) for k, v in r.items()}
                for r in frame.astype(object).to_dict("records")
            ]
        return out


def _pair_frame(edges: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    chosen = edges.loc[mask, ["city_id", "network_id", "role", "certainty"]]
    return chosen.sort_values(["city_id", "network_id"]).reset_index(drop=True)


def changes(land: Landscape, start: int, end: int, *, certainty: str = "undated") -> Changes:
    """Compare two snapshots: who joined and left, networks that appeared or ended, seats.

    Examples
    --------
    >>> import citynet
    >>> diff = changes(citynet.load(), 2018, 2020)
    >>> "100rc" in set(diff.networks_ended["network_id"])
    True
    """
    if start > end:
        raise CitynetError(f"start ({start}) is after end ({end})")
    record = land.record
    first = record.as_of(start, certainty=certainty)
    last = record.as_of(end, certainty=certainty)
    a, b = first.edges, last.edges
    key_a = a["city_id"].astype(str) + "|" + a["network_id"].astype(str)
    key_b = b["city_id"].astype(str) + "|" + b["network_id"].astype(str)
    joined = _pair_frame(b, ~key_b.isin(key_a).to_numpy(dtype=bool))
    left = _pair_frame(a, ~key_a.isin(key_b).to_numpy(dtype=bool))
    seats_a = set(key_a[(a["role"] == "executive").to_numpy(dtype=bool)])
    seats_b = set(key_b[(b["role"] == "executive").to_numpy(dtype=bool)])

    def seat_frame(keys: set[str]) -> pd.DataFrame:
        split = [k.split("|", 1) for k in sorted(keys)]
        return pd.DataFrame(split, columns=["city_id", "network_id"], dtype="string")

    networks = record.networks
    columns = ["name", "founded", "status", "closed"]

    def network_frame(mask: pd.Series) -> pd.DataFrame:
        chosen = networks.loc[mask.to_numpy(dtype=bool), columns].copy()
        chosen.index.name = "network_id"
        return chosen.sort_index().reset_index()

    alive_a, alive_b = first.alive, last.alive
    return Changes(
        start=int(start),
        end=int(end),
        joined=joined,
        left=left,
        networks_appeared=network_frame(alive_b & ~alive_a),
        networks_ended=network_frame(alive_a & ~alive_b),
        seats_gained=seat_frame(seats_b - seats_a),
        seats_lost=seat_frame(seats_a - seats_b),
    )


def _rows_by(frame: pd.DataFrame, column: str) -> dict[str, list[int]]:
    """Positions of each value's rows in ``frame`` (in table order)."""
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    positions = order.tolist()
    return {str(value): positions[bounds[i] : bounds[i + 1]] for i, value in enumerate(uniques)}


def _complete_lists(record: Landscape) -> dict[str, list[tuple[int, frozenset[str]]]]:
    """Each network's complete lists: (date, the cities named), oldest first."""

    def build() -> dict[str, list[tuple[int, frozenset[str]]]]:
        facts = record.memberships
        listed = facts[facts["complete_list"].fillna(False).astype(bool)]
        out: dict[str, list[tuple[int, frozenset[str]]]] = {}
        for (network, _url), rows in listed.groupby(["network_id", "source_url"], sort=True):
            dates = rows["as_of"].dropna()
            read = rows["accessed"].dropna()
            date = int(dates.max()) if len(dates) else int(read.max()) if len(read) else this_year()
            cities = frozenset(rows["city_id"].astype(str))
            out.setdefault(str(network), []).append((date, cities))
        return {k: sorted(v, key=lambda pair: pair[0]) for k, v in out.items()}

    lists: dict[str, list[tuple[int, frozenset[str]]]] = record.memo(
        "complete-lists", build, lasting=True
    )
    return lists


def _end_reasons(
    record: Landscape, mine: pd.DataFrame, status: list[str], year: int | None
) -> list[tuple[str | None, int | None]]:
    """Why and when each fact of a city stopped holding: (reason kind, year), or (None, None).

    Kinds: ``until`` (the fact's stated end), ``seat term`` (a seat presumed for one term after
    its last observation), ``network closed`` (merged, suspended), ``complete list`` (a
    complete list of that year leaves the city out), ``horizon`` (no observation for the
    presumption horizon), ``suspended`` (the network suspended the city).
    """
    from citynet.rules import horizon_years, term_years
    from citynet.validity import DEFAULT_HORIZON_YEARS

    now = this_year() if year is None else year
    networks = record.networks
    closed = networks["closed"].astype("Float64")
    terms = record.memo("term-years", lambda: term_years(record.rules))
    horizons = record.memo("horizon-years", lambda: horizon_years(record.rules))
    lists = _complete_lists(record)
    suspended = mine[mine["status"].astype(object) == "suspended"]
    suspensions = {
        str(network): int(dates.min())
        for network, dates in suspended["as_of"]
        .astype("Float64")
        .dropna()
        .groupby(suspended["network_id"].astype(str))
    }
    out: list[tuple[str | None, int | None]] = []
    rows = zip(
        mine["city_id"].astype(str),
        mine["network_id"].astype(str),
        mine["since"].astype("Float64"),
        mine["until"].astype("Float64"),
        mine["as_of"].astype("Float64"),
        status,
        strict=True,
    )
    for city, network, since, until, as_of, state in rows:
        seen = [v for v in (since, until, as_of) if not pd.isna(v)]
        observed = int(max(seen)) if seen else None
        if state.startswith("network "):
            when = closed.get(network)
            out.append(("network closed", None if pd.isna(when) else int(when)))
        elif state == "suspended":
            out.append(("suspended", suspensions.get(network)))
        elif state == "seat ended":
            if not pd.isna(until):
                out.append(("until", int(until)))
            elif observed is not None:
                out.append(("seat term", observed + max(1, math.ceil(terms.get(network, 2.0)))))
            else:
                out.append(("seat term", None))
        elif state in ("ended", "not current", "lapsed (beyond the horizon)"):
            gone = next(
                (
                    date
                    for date, named in lists.get(network, [])
                    if city not in named and (observed is None or observed < date) and date <= now
                ),
                None,
            )
            if not pd.isna(until) and (gone is None or until < gone):
                out.append(("until", int(until)))
            elif gone is not None:
                out.append(("complete list", gone))
            elif observed is not None:
                horizon = horizons.get(network, DEFAULT_HORIZON_YEARS)
                out.append(("horizon", observed + int(horizon)))
            else:
                out.append((None, None))
        else:
            out.append((None, None))
    return out


def membership_history(land: Landscape, city: str, *, year: int | None = None) -> pd.DataFrame:
    """One city's memberships through time, with dates, seats, certainty and sources.

    Parameters
    ----------
    city
        Id or name.
    year
        The year "now" refers to (default: the landscape's year, or this year).

    Returns
    -------
    pandas.DataFrame
        One row per fact of the city (all its networks, current or not), sorted by network and
        start: ``network_id``, ``network``, ``role``, ``role_title``, ``since``, ``until``,
        ``as_of``, ``evidence``, ``source_url``, ``source_title``, and, for ``year``:
        ``status`` ("current", "seat ended", "ended", "network closed", "not yet" ...),
        ``role_now`` and ``certainty_now`` of the membership that fact belongs to, and for a
        fact that no longer holds, why and when: ``end_reason`` (``until``: its stated end;
        ``seat term``: one executive term after its last observation; ``network closed``;
        ``complete list``: a complete list of ``ended_in`` leaves the city out; ``horizon``:
        no new observation within the presumption horizon; ``suspended``) and ``ended_in``
        (the last year it held; for a complete list or a suspension, the year of the list or
        the suspension).

    Examples
    --------
    >>> import citynet
    >>> history = membership_history(citynet.load(), "Helsinki")
    >>> row = history[(history["network_id"] == "iclei") & (history["role"] == "executive")]
    >>> row[["until", "status", "role_now", "end_reason", "ended_in"]].values.tolist()
    [[2015, 'seat ended', 'member', 'until', 2015]]
    """
    record = land.record
    city_id = resolve_city(record, city)
    now = land.current(year)
    facts = record.memberships
    # rows of each city, found once per landscape: a join check of many cities reads them
    fact_rows = record.memo("fact-rows-by-city", lambda: _rows_by(facts, "city_id"), lasting=True)
    edge_rows = now.memo("edge-rows-by-city", lambda: _rows_by(now.edges, "city_id"), lasting=True)
    mine = facts.iloc[fact_rows.get(city_id, [])].copy()
    edges = now.edges.iloc[edge_rows.get(city_id, [])].set_index("network_id")
    alive = now.alive
    names = record.networks["name"].astype(str)
    role_now = mine["network_id"].map(edges["role"])
    certainty_now = mine["network_id"].map(edges["certainty"])
    status = []
    assert now.year is not None
    founded, lifecycle = record.memo(
        "network-founded-status",
        lambda: (
            record.networks["founded"].astype("Float64").to_dict(),
            record.networks["status"].astype(str).to_dict(),
        ),
    )
    states = now.pair_states()
    for fact_role, until, network, current in zip(
        mine["role"], mine["until"], mine["network_id"], role_now, strict=True
    ):
        state = states.get((city_id, str(network)))
        if not bool(alive.get(network, True)):
            first = founded.get(network)
            later = first is not None and not pd.isna(first) and float(first) > now.year
            status.append("not founded yet" if later else f"network {lifecycle[network]}")
        elif pd.isna(current) and state is not None:
            status.append("suspended" if state[0] == "suspended" else "lapsed (beyond the horizon)")
        elif pd.isna(current):
            status.append("ended" if not pd.isna(until) and until < now.year else "not current")
        elif fact_role == "executive" and current != "executive":
            status.append("seat ended")
        else:
            status.append("current")
    out = pd.DataFrame(
        {
            "network_id": mine["network_id"].astype(str),
            "network": mine["network_id"].map(names).astype(str),
            "role": mine["role"]
            .astype(object)
            .where(mine["status"].astype(object) != "suspended", "suspended"),
            "role_title": mine["role_title"],
            "since": mine["since"],
            "until": mine["until"],
            "as_of": mine["as_of"],
            "evidence": mine["evidence"],
            "source_url": mine["source_url"],
            "source_title": mine["source_title"],
            "status": pd.Series(status, index=mine.index, dtype="string"),
            "role_now": role_now.astype("string"),
            "certainty_now": certainty_now.astype("string"),
        }
    )
    reasons = _end_reasons(record, mine, out["status"].astype(str).tolist(), now.year)
    out["end_reason"] = pd.Series([r[0] for r in reasons], index=mine.index, dtype="string")
    out["ended_in"] = pd.Series([r[1] for r in reasons], index=mine.index, dtype="Int64")
    start = out["since"].fillna(out["as_of"]).fillna(out["until"])
    return (
        out.assign(_start=start)
        .sort_values(["network_id", "_start", "role"], na_position="last")
        .drop(columns="_start")
        .reset_index(drop=True)
    )
