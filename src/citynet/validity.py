"""When a fact holds: the validity model behind every snapshot (see ``docs/time.md``).

A membership fact is evidence about some years and silent about the others. This module turns
each fact into **segments**, year intervals with a role and a *certainty level*, and answers
"which memberships hold in year Y, and how sure are we" from them.

The model
---------
* A fact is **known** to hold from ``since`` (else the earliest of ``as_of`` and ``until``) to
  ``until`` (else the latest of ``as_of`` and ``since``): its known span.
* After its known span a membership is **presumed** to go on until the network closes, or until
  another fact of the same city and network states that the membership ended (a member fact's
  ``until``). A fact with a stated ``until`` is not carried forward.
* An executive seat is presumed to last one executive term after its last observation (the
  network's longest stated term, else :data:`~citynet.rules.DEFAULT_TERM_YEARS`); then, and
  after a seat's stated ``until``, the city is presumed to remain a member.
* A fact with no year at all is **undated**: it is taken as an observation in the year its
  source was read (``accessed``, else the current year) and carried forward as above; before
  that year it holds only when asked for with ``certainty="any"`` (then: in every year of the
  network's life).
* Nothing holds before the network was founded or after it closed, merged or was suspended;
  where a network ended in an unknown year, nothing is carried beyond an observation.
* Presumption has a **horizon**: a membership is carried forward at most
  :data:`DEFAULT_HORIZON_YEARS` after its last observation (a network's own
  ``membership_term_years``, e.g. a phase, where its rules state one), or up to a later dated
  observation of the same city and network, however far. Beyond it the membership is
  *lapsed*: not counted, but reported as such.
* A **complete list** (a fact with ``complete_list``) of a network, dated ``as_of`` (else the
  year it was read), ends the membership of every city it does not name: no fact of a pair
  absent from it is carried to its date or beyond.
* A ``suspended`` fact (``status``) is no membership: from its date the city is *suspended*
  (reported, not counted), and facts observed before it are not carried past it.

Levels, strongest first: ``known`` (0), ``presumed`` (1), ``undated`` (2), ``any`` (3). A
snapshot with ``certainty=c`` keeps the segments of level up to ``c``. Two more levels are
never counted as memberships: ``lapsed`` (4, beyond the horizon) and ``suspended`` (5).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from citynet._errors import CitynetError

__all__ = [
    "CERTAINTY_LEVELS",
    "DEFAULT_HORIZON_YEARS",
    "LAPSED",
    "SUSPENDED",
    "check_certainty",
    "fact_segments",
    "this_year",
    "valid_facts",
]

CERTAINTY_LEVELS: Mapping[str, int] = {"known": 0, "presumed": 1, "undated": 2, "any": 3}
"""Certainty levels a snapshot can ask for; each includes the ones before it."""
LEVEL_NAMES = ("known", "presumed", "undated", "undated", "lapsed", "suspended")
LAPSED = 4
"""Level of the years after a membership's horizon (never counted)."""
SUSPENDED = 5
"""Level of the years a network has suspended the city (never counted)."""
DEFAULT_HORIZON_YEARS = 10
"""How long a membership is presumed after its last observation, where a network states no
membership term: twice the five years after which outputs call an observation old
(docs/time.md)."""
_ENDED = ("closed", "merged", "suspended")
_OPEN = 10_000  # "no end": beyond any year of the contract


def this_year() -> int:
    """Return the current calendar year: "now" for :meth:`~citynet.Landscape.current`.

    Examples
    --------
    >>> this_year() >= 2026
    True
    """
    return datetime.date.today().year


def check_certainty(certainty: str) -> int:
    """Return the level of a certainty name, or raise a clear error.

    Examples
    --------
    >>> check_certainty("presumed")
    1
    """
    if certainty not in CERTAINTY_LEVELS:
        raise CitynetError(
            f"certainty must be one of {', '.join(CERTAINTY_LEVELS)}, not {certainty!r}"
        )
    return CERTAINTY_LEVELS[certainty]


def _floats(series: pd.Series) -> np.ndarray:
    values: np.ndarray = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
    return values


def fact_segments(
    facts: pd.DataFrame,
    networks: pd.DataFrame,
    terms: Mapping[str, float],
    *,
    present: int | None = None,
    horizons: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Turn membership facts into validity segments.

    Parameters
    ----------
    facts
        Membership facts with ``city_id``, ``network_id``, ``role``, ``since``, ``until``,
        ``as_of`` and ``accessed`` (missing values as ``<NA>``); optionally ``status``
        (``suspended``), ``complete_list`` (bool) and ``source_url``.
    networks
        Indexed by ``network_id``, with ``founded``, ``status`` and ``closed``.
    terms
        Executive term in years per network.
    present
        Year an undated fact without ``accessed`` is taken to describe (default: this year).
    horizons
        Years a membership is presumed after its last observation, per network (default:
        :data:`DEFAULT_HORIZON_YEARS`).

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``fact`` (row position in ``facts``), ``start`` and ``end``
        (inclusive years; open ends are very large), ``level`` (0 known, 1 presumed,
        2 undated, 3 any, 4 lapsed, 5 suspended) and ``executive`` (the city holds a seat in
        those years); plus the fact's ``observed`` year (the end of its known span; -1 for
        undated facts).

    Examples
    --------
    >>> import pandas as pd
    >>> facts = pd.DataFrame({"city_id": ["a"], "network_id": ["n"], "role": ["executive"],
    ...     "since": [pd.NA], "until": [pd.NA], "as_of": [2012], "accessed": [pd.NA]})
    >>> nets = pd.DataFrame({"founded": [1990], "status": [pd.NA], "closed": [pd.NA]},
    ...                     index=pd.Index(["n"], name="network_id"))
    >>> fact_segments(facts, nets, {"n": 3})[["start", "end", "level", "executive"]].values.tolist()
    [[2012, 2012, 0, True], [2013, 2015, 1, True], [2016, 2022, 1, False], [2023, 10000, 4, False]]
    """
    n = len(facts)
    columns = ["fact", "start", "end", "level", "executive", "observed"]
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in columns}).astype(
            {"executive": bool}
        )
    present = this_year() if present is None else int(present)
    since, until = _floats(facts["since"]), _floats(facts["until"])
    as_of, accessed = _floats(facts["as_of"]), _floats(facts["accessed"])
    # per network once, then spread to the facts by their network's code
    net_codes, net_ids = pd.factorize(facts["network_id"].astype(object))
    per_network = networks.reindex(pd.Index(net_ids, dtype=object))
    founded = _floats(per_network["founded"])[net_codes]
    ended = per_network["status"].isin(_ENDED).to_numpy(dtype=bool)[net_codes]
    closed = np.where(ended, _floats(per_network["closed"])[net_codes], np.inf)
    ended_unknown = ended & np.isnan(closed)
    closed = np.where(np.isnan(closed), np.inf, closed)
    term = np.asarray(
        [max(1, math.ceil(terms.get(str(nid), 2.0))) for nid in net_ids], dtype=float
    )[net_codes]
    executive = (facts["role"] == "executive").to_numpy(dtype=bool)
    suspended = _flags(facts, "status", "suspended")
    horizon = np.asarray(
        [float((horizons or {}).get(str(nid), DEFAULT_HORIZON_YEARS)) for nid in net_ids],
        dtype=float,
    )[net_codes]

    dated = ~(np.isnan(since) & np.isnan(until) & np.isnan(as_of))
    with np.errstate(invalid="ignore"):
        known_from = np.where(np.isnan(since), np.fmin(as_of, until), since)
        known_to = np.where(np.isnan(until), np.fmax(as_of, since), until)
    read = np.where(np.isnan(accessed), float(present), accessed)
    known_from = np.where(dated, known_from, read)
    known_to = np.where(dated, known_to, read)
    stated_end = ~np.isnan(until)

    # "Until stated otherwise": a member fact's `until` ends what other facts of the same pair
    # carry forward, when it comes at or after their last observation.
    city_codes = pd.factorize(facts["city_id"].astype(object))[0].astype(np.int64)
    pair_codes = pd.factorize(city_codes * max(len(net_ids), 1) + net_codes)[0]
    ends = ~executive & stated_end
    cut = np.full(n, np.inf)
    if ends.any():
        stated = pd.DataFrame({"pair": pair_codes[ends], "end": until[ends]})
        cut = _cut_by(cut, pair_codes, known_to, stated)
    # A suspension ends what facts observed before it carry forward (from its year on).
    if suspended.any():
        stops = pd.DataFrame({"pair": pair_codes[suspended], "end": known_from[suspended] - 1})
        cut = _cut_by(cut, pair_codes, known_to, stops)
    # A complete list ends, at its date, the membership of every pair it does not name.
    cut = _cut_by_lists(cut, facts, pair_codes, net_codes, known_to, dated, read)
    ends_at = np.minimum(cut, closed)
    ends_at = np.where(ended_unknown, known_to, ends_at)
    # A later dated observation of the same pair bridges the gap: presumed until it, however long.
    later = pd.Series(np.where(dated & ~suspended, known_from, -np.inf)).groupby(pair_codes).max()
    bridge = later.reindex(pair_codes).to_numpy(dtype=float)
    carry_end = np.minimum(ends_at, np.maximum(known_to + horizon, bridge - 1))
    lower = np.where(np.isnan(founded), -np.inf, founded)

    base = np.where(dated, 0, 2)
    carried = np.where(dated, 1, 2)
    parts = []

    def add(
        mask: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        level: np.ndarray,
        seat: bool | np.ndarray,
    ) -> None:
        idx = np.flatnonzero(mask)
        s = np.maximum(start[idx], lower[idx])
        e = np.minimum(end[idx], closed[idx])
        keep = s <= e
        seats = np.broadcast_to(np.asarray(seat), (n,))[idx]
        parts.append(
            pd.DataFrame(
                {
                    "fact": idx[keep],
                    "start": s[keep],
                    "end": e[keep],
                    "level": np.broadcast_to(level, (n,))[idx][keep],
                    "executive": seats[keep],
                }
            )
        )

    member = ~suspended
    everything = member
    add(everything, known_from, np.minimum(known_to, cut), base, executive)
    open_seat = executive & ~stated_end
    add(open_seat, known_to + 1, np.minimum(known_to + term, carry_end), carried, True)
    member_from = np.where(
        executive, np.where(stated_end, until + 1, known_to + term + 1), known_to + 1
    )
    carries = ~(~executive & stated_end) & member
    add(carries, member_from, carry_end, carried, False)
    # beyond the horizon: lapsed, until the membership would have ended otherwise
    add(carries, np.maximum(member_from, carry_end + 1), ends_at, np.full(n, LAPSED), False)
    add(~dated & member, np.full(n, -np.inf), np.minimum(cut, np.inf), np.full(n, 3), executive)
    # a suspension holds until a later suspension, a list or the network's end says otherwise
    add(suspended, known_from, cut, np.full(n, SUSPENDED), False)

    table = pd.concat(parts, ignore_index=True)
    table["start"] = np.clip(table["start"].to_numpy(), -_OPEN, _OPEN).astype(np.int64)
    table["end"] = np.clip(table["end"].to_numpy(), -_OPEN, _OPEN).astype(np.int64)
    table["level"] = table["level"].astype(np.int64)
    table["executive"] = table["executive"].astype(bool)
    # Undated facts have no observation year of their own (-1); `accessed` only bounds it.
    table["observed"] = np.where(dated, known_to, -1)[table["fact"].to_numpy()].astype(np.int64)
    return table.sort_values(["fact", "start", "level"], kind="stable").reset_index(drop=True)


def _flags(facts: pd.DataFrame, column: str, value: object) -> np.ndarray:
    if column not in facts.columns:
        return np.zeros(len(facts), dtype=bool)
    flags: np.ndarray = (facts[column].astype(object) == value).to_numpy(dtype=bool)
    return flags


def _cut_by(
    cut: np.ndarray, pair_codes: np.ndarray, known_to: np.ndarray, stops: pd.DataFrame
) -> np.ndarray:
    """Lower ``cut`` of each fact to the first stop of its pair at or after its observation."""
    left = pd.DataFrame({"fact": np.arange(len(cut)), "pair": pair_codes, "kt": known_to})
    joined = left.merge(stops, on="pair")
    joined = joined[joined["end"] >= joined["kt"]]
    if joined.empty:
        return cut
    first = joined.groupby("fact")["end"].min()
    out = cut.copy()
    idx = first.index.to_numpy()
    out[idx] = np.minimum(out[idx], first.to_numpy())
    return out


def _cut_by_lists(
    cut: np.ndarray,
    facts: pd.DataFrame,
    pair_codes: np.ndarray,
    net_codes: np.ndarray,
    known_to: np.ndarray,
    dated: np.ndarray,
    read: np.ndarray,
) -> np.ndarray:
    """End at a complete list's date every fact of a pair the list does not name.

    A list is the set of ``complete_list`` facts of one network and source, dated by the
    latest ``as_of`` among them (else the year they were read). A fact observed at or after
    the list's date (by a dated fact) is not cut; an undated fact of an absent pair is.
    """
    listed = _flags(facts, "complete_list", True)
    if not listed.any() or "source_url" not in facts.columns:
        return cut
    urls = pd.factorize(facts["source_url"].astype(object))[0]
    as_of = _floats(facts["as_of"])
    date = np.where(np.isnan(as_of), read, as_of)
    lists = (
        pd.DataFrame({"net": net_codes[listed], "url": urls[listed], "date": date[listed]})
        .groupby(["net", "url"], as_index=False)["date"]
        .max()
    )
    on_list = pd.DataFrame({"pair": pair_codes[listed], "url": urls[listed]}).drop_duplicates()
    facts_t = pd.DataFrame(
        {
            "fact": np.arange(len(cut)),
            "pair": pair_codes,
            "net": net_codes,
            "kt": np.where(dated, known_to, -np.inf),
        }
    )
    joined = facts_t.merge(lists, on="net")
    joined = joined.merge(on_list.assign(named=True), on=["pair", "url"], how="left")
    absent = joined[joined["named"].isna() & (joined["kt"] < joined["date"])]
    if absent.empty:
        return cut
    first = (absent["date"] - 1).groupby(absent["fact"]).min()
    out = cut.copy()
    idx = first.index.to_numpy()
    out[idx] = np.minimum(out[idx], first.to_numpy())
    return out


def valid_facts(segments: pd.DataFrame, year: int, level: int) -> pd.DataFrame:
    """Which facts hold in ``year`` at certainty up to ``level``, with their role and certainty.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``fact`` (row position): ``level`` (the strongest segment covering the
        year), ``executive`` (a seat is held that year) and ``observed``.

    Examples
    --------
    >>> import pandas as pd
    >>> segs = pd.DataFrame({"fact": [0, 0], "start": [2012, 2013], "end": [2012, 2015],
    ...     "level": [0, 1], "executive": [True, True], "observed": [2012, 2012]})
    >>> valid_facts(segs, 2014, 1)["level"].tolist()
    [1]
    """
    hit = (segments["start"] <= year) & (segments["end"] >= year) & (segments["level"] <= level)
    # A fact's segments overlap only where an undated fact's "any" segment lies under its
    # others: the strongest segment decides the role.
    chosen = segments[hit.to_numpy(dtype=bool)].sort_values(["fact", "level"], kind="stable")
    first = chosen.drop_duplicates("fact").set_index("fact")
    return first[["level", "executive", "observed"]]
