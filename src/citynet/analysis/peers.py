"""Peer groups and tie-aware percentiles, shared by over-commitment and the join check.

A city's load means little on its own; compared with the wrong peers it misleads. The shipped
data document European cities from one set of lists (ETMUN) and others from another
(ClimActor), and big, famous cities far better than small ones, so the default peers are
**comparable** ones: the city's own group when it carries a group tag (the 27 surveyed cities
were researched alike), otherwise the cities of its region (documented from the same sources)
and population band; a group smaller than :data:`MIN_PEERS` widens to the region, then to all.

Percentiles are **mid-rank**: the share of peers below a value plus half the share equal to it.
Where most cities have one membership, one membership is then about the 45th percentile, not
the 91st (the "at or below" rule).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from citynet._errors import CitynetError

__all__ = [
    "MIN_PEERS",
    "PEER_CHOICES",
    "group_members",
    "midrank_percentile",
    "peer_groups",
    "population_band",
]

MIN_PEERS = 10
"""Fewest cities a comparable peer group may have before it widens (region, then all)."""
PEER_CHOICES = ("comparable", "all", "region", "population", "group:TAG")

_BANDS = ((300_000, "under 300k"), (1_000_000, "300k-1M"), (5_000_000, "1M-5M"))


def population_band(population: float | None) -> str:
    """Return the population band used for peer groups.

    Examples
    --------
    >>> population_band(250_000), population_band(2_000_000), population_band(None)
    ('under 300k', '1M-5M', 'unknown')
    """
    if population is None or pd.isna(population):
        return "unknown"
    for limit, label in _BANDS:
        if population < limit:
            return label
    return "5M and more"


def midrank_percentile(sample: np.ndarray, values: np.ndarray | float) -> np.ndarray:
    """Percent of ``sample`` below each value, plus half the percent equal to it (0-100).

    Examples
    --------
    >>> midrank_percentile(np.array([1.0, 1.0, 1.0, 4.0]), np.array([1.0, 4.0, 0.5]))
    array([37.5, 87.5,  0. ])
    """
    ordered = np.sort(np.asarray(sample, dtype=float))
    value = np.asarray(values, dtype=float)
    below = np.searchsorted(ordered, value, side="left")
    at_or_below = np.searchsorted(ordered, value, side="right")
    result: np.ndarray = 100.0 * (below + 0.5 * (at_or_below - below)) / max(len(ordered), 1)
    return result


def _tags(cities: pd.DataFrame) -> pd.Series:
    return (
        cities["groups"].fillna("").astype(str).map(lambda text: [t for t in text.split(";") if t])
    )


def group_members(cities: pd.DataFrame, tag: str) -> pd.Index:
    """Return the ids of the cities tagged ``tag`` (in their ``groups``), in table order.

    Examples
    --------
    >>> import citynet
    >>> len(group_members(citynet.load().cities, "toward-city-diplomacy-2018"))
    27
    """
    groups = cities["groups"]
    tagged = groups[groups.notna() & (groups.astype(str) != "")]  # most cities have no group
    text = tagged.astype(str).str.replace(r"\s*;\s*", ";", regex=True)
    wrapped = ";" + text.str.strip() + ";"
    hit = wrapped.str.contains(f";{tag.strip()};", regex=False).to_numpy(dtype=bool)
    return cities.index[cities.index.isin(tagged.index[hit])]


_BAND_ORDER = ("unknown", "under 300k", "300k-1M", "1M-5M", "5M and more")


def _merge(sizes: dict[str, int], order: Sequence[str], min_peers: int) -> dict[str, str]:
    """Merge neighbouring keys (in ``order``) until every merged group has ``min_peers``."""
    groups: list[list[str]] = []
    for key in order:
        if sizes.get(key, 0) == 0:
            continue
        if groups and sum(sizes[k] for k in groups[-1]) < min_peers:
            groups[-1].append(key)
        else:
            groups.append([key])
    if len(groups) > 1 and sum(sizes[k] for k in groups[-1]) < min_peers:
        last = groups.pop()
        groups[-1] += last
    return {key: " + ".join(group) for group in groups for key in group}


_LOW = {"under 300k": "", "300k-1M": "300k", "1M-5M": "1M", "5M and more": "5M"}
_HIGH = {"under 300k": "300k", "300k-1M": "1M", "1M-5M": "5M", "5M and more": ""}


def _band_label(group: str) -> str:
    """Return a label for merged neighbouring bands ("1M-5M + 5M and more": "1M and more")."""
    bands = group.split(" + ")
    sized = [b for b in bands if b != "unknown"]
    if not sized:
        return "size unknown"
    low, high = _LOW[sized[0]], _HIGH[sized[-1]]
    text = (
        sized[0]
        if len(sized) == 1
        else f"{low}-{high}"
        if low and high
        else f"under {high}"
        if high
        else f"{low} and more"
    )
    return text + (" or unknown size" if "unknown" in bands else "")


def _comparable(cities: pd.DataFrame, pool: pd.Index, min_peers: int) -> pd.Series:
    """Region x population band, neighbouring bands and small regions merged (module doc)."""
    region = cities["region"].astype(object).fillna("unknown region")
    band = cities["population"].map(population_band).astype(object)
    active = cities.index.isin(pool)
    region_sizes = region[active].value_counts()
    order = [str(r) for r in region_sizes.sort_values(ascending=True).index]
    region_label = _merge({str(k): int(v) for k, v in region_sizes.items()}, order, min_peers)
    every_region = len(set(region_label.values())) == 1
    area = region.map(lambda r: "all cities" if every_region else region_label.get(str(r), str(r)))
    labels = pd.Series("", index=cities.index, dtype=object)
    for name in pd.unique(area):
        inside = (area == name).to_numpy()
        sizes = band[inside & active].value_counts()
        merged = _merge({str(k): int(v) for k, v in sizes.items()}, _BAND_ORDER, min_peers)
        if int(sizes.sum()) < min_peers or len(set(merged.values())) == 1:
            labels[inside] = name
            continue
        labels[inside] = np.asarray(
            [f"{name}, {_band_label(merged.get(str(b), str(b)))}" for b in band[inside]],
            dtype=object,
        )
    return labels


def peer_groups(
    cities: pd.DataFrame,
    peers: str | Sequence[str],
    *,
    active: pd.Index | None = None,
    min_peers: int = MIN_PEERS,
) -> pd.Series:
    """Label every city with its peer group.

    Parameters
    ----------
    cities
        The cities table (indexed by ``city_id``).
    peers
        ``"comparable"`` (default of the analyses: the city's first group tag with at least
        ``min_peers`` cities, else its region and population band; neighbouring bands and the
        smallest regions are merged until every group has ``min_peers``), ``"all"``, ``"region"``,
        ``"population"``, ``"group:TAG"`` (the cities tagged TAG; others are "not in the
        group") or a list of city ids (others: "not in the list").
    active
        The cities that count as peers (those with a membership in the year analysed); group
        sizes for widening are counted among them. Default: all cities.

    Returns
    -------
    pandas.Series
        The peer group label of each city (e.g. "Europe, 300k-1M",
        "group toward-city-diplomacy-2018").

    Examples
    --------
    >>> import citynet
    >>> groups = peer_groups(citynet.load().cities, "comparable")
    >>> groups["paris"], groups["lyon"]
    ('group toward-city-diplomacy-2018', 'Europe, 300k-1M')
    """
    index = cities.index
    pool = index if active is None else active
    if isinstance(peers, str):
        if peers == "all":
            return pd.Series("all cities", index=index, dtype=object)
        if peers == "region":
            return cities["region"].astype(object).fillna("unknown region")
        if peers == "population":
            return cities["population"].map(population_band).astype(object)
        if peers.startswith("group:"):
            tag = peers.removeprefix("group:").strip()
            if not tag:
                raise CitynetError(
                    "peers 'group:' needs a tag, e.g. group:toward-city-diplomacy-2018"
                )
            members = cities.index.isin(group_members(cities, tag))
            if not members.any():
                known = sorted({t for tags in _tags(cities) for t in tags})
                hint = f"; tags in this landscape: {', '.join(known)}" if known else ""
                raise CitynetError(f"no city carries the group tag {tag!r}{hint}")
            return pd.Series(
                np.where(members, f"group {tag}", "not in the group"), index=index, dtype=object
            )
        if peers != "comparable":
            raise CitynetError(
                "peers must be 'comparable', 'all', 'region', 'population', 'group:TAG' or a "
                f"list of city ids, not {peers!r}"
            )
        in_pool = index.isin(pool)
        first_tag = (
            cities["groups"].fillna("").astype(str).str.split(";").str[0].fillna("").str.strip()
        )
        tagged = first_tag != ""
        tag_sizes = first_tag[in_pool & tagged.to_numpy()].value_counts()
        big_enough = first_tag.map(tag_sizes).fillna(0).to_numpy() >= min_peers
        use_tag = tagged.to_numpy(dtype=bool) & big_enough
        labels = _comparable(cities, index[in_pool & ~use_tag], min_peers)
        return pd.Series(
            np.where(use_tag, "group " + first_tag.astype(str), labels), index=index, dtype=object
        )
    chosen = set(peers)
    unknown = chosen - set(index)
    if unknown:
        raise CitynetError(f"peer list names unknown city ids: {sorted(unknown)}")
    return pd.Series(
        np.where(index.isin(list(chosen)), "given list", "not in the list"),
        index=index,
        dtype=object,
    )
