"""Seeded synthetic landscapes with the heavy tails of real ones, for benchmarks and tests.

Real landscapes are lopsided: a few giant networks (the Global Covenant of Mayors has more than
10,000 signatories) beside many small ones, and a few cities in dozens of networks beside many
in one. :func:`synthetic_landscape` draws network sizes and city activity from power laws and
places memberships accordingly. **Synthetic data are never shipped as real**: ids say so
(``syn-city-00001``), every fact's source is ``https://example.org/synthetic``, and each table's
``notes`` column says "synthetic".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from citynet.landscape import Landscape
from citynet.schema import REGIONS, SCOPES, THEMES

__all__ = ["SIZES", "synthetic_frames", "synthetic_landscape"]

_SOURCE = "https://example.org/synthetic"

SIZES: dict[str, dict[str, float | int | bool]] = {
    "S": {"n_cities": 1_000, "n_networks": 100, "n_memberships": 5_000},
    "M": {"n_cities": 10_000, "n_networks": 500, "n_memberships": 60_000},
    "L": {"n_cities": 50_000, "n_networks": 2_000, "n_memberships": 400_000},
    "XL": {"n_cities": 500_000, "n_networks": 5_000, "n_memberships": 5_000_000},
    # the shape of a real compiled landscape (14,774 cities x 59 networks x 17,280 memberships):
    # every city in at least one network, most in exactly one, one network of about 10,000
    # members, and no themes
    "R": {
        "n_cities": 15_000,
        "n_networks": 60,
        "n_memberships": 17_000,
        "every_city": True,
        "themes": False,
        "network_exponent": 2.2,
    },
}
"""Named sizes for benchmarks and tests: ``synthetic_landscape(**SIZES["R"])``."""


def synthetic_frames(
    n_cities: int = 1_000,
    n_networks: int = 100,
    n_memberships: int = 5_000,
    *,
    seed: int = 0,
    executive_share: float = 0.1,
    dated_share: float = 0.3,
    network_exponent: float = 1.1,
    city_exponent: float = 1.6,
    every_city: bool = False,
    themes: bool = True,
) -> dict[str, pd.DataFrame]:
    """Return the tables of a synthetic landscape (``cities``, ``networks``, ``memberships``).

    Parameters
    ----------
    n_cities, n_networks, n_memberships
        Sizes; the number of memberships is met exactly (distinct city-network pairs).
    seed
        Same seed, same tables.
    executive_share
        Share of memberships that are executive seats.
    dated_share
        Share of memberships with a ``since`` year; a third of those also ended (``until``).
    network_exponent, city_exponent
        Zipf exponents of network size and city activity: the larger, the heavier the head.
    every_city
        Give every city at least one membership first (as in compiled member lists, where a
        city appears because it is a member); needs ``n_memberships >= n_cities``.
    themes
        Give networks one to three themes (False: no themes at all).

    Examples
    --------
    >>> tables = synthetic_frames(200, 20, 600, seed=1)
    >>> len(tables["memberships"]), tables["memberships"]["source_url"].iloc[0]
    (600, 'https://example.org/synthetic')
    """
    if n_memberships > n_cities * n_networks:
        raise ValueError("more memberships than city-network pairs")
    rng = np.random.default_rng(seed)
    city_ids = np.array([f"syn-city-{i:06d}" for i in range(n_cities)], dtype=object)
    network_ids = np.array([f"syn-net-{j:05d}" for j in range(n_networks)], dtype=object)
    net_weight = 1.0 / np.arange(1, n_networks + 1) ** network_exponent
    city_weight = 1.0 / np.arange(1, n_cities + 1) ** (1.0 / city_exponent)
    net_weight, city_weight = net_weight / net_weight.sum(), city_weight / city_weight.sum()
    rng.shuffle(city_weight)

    # Draw pairs in rounds until enough distinct ones exist (giant networks saturate).
    codes = np.empty(0, dtype=np.int64)
    if every_city:
        if n_memberships < n_cities:
            raise ValueError("every_city needs at least as many memberships as cities")
        first = rng.choice(n_networks, size=n_cities, p=net_weight)
        codes = np.arange(n_cities, dtype=np.int64) * n_networks + first
    while len(codes) < n_memberships:
        need = int((n_memberships - len(codes)) * 1.3) + 16
        nets = rng.choice(n_networks, size=need, p=net_weight)
        drawn = rng.choice(n_cities, size=need, p=city_weight)
        codes = np.unique(np.concatenate([codes, drawn.astype(np.int64) * n_networks + nets]))
        if len(codes) >= n_memberships:
            break
        # Flatten the weights a little so that saturated giants stop absorbing draws.
        net_weight = np.sqrt(net_weight) / np.sqrt(net_weight).sum()
    if every_city:
        # keep each city's first membership; trim only the extra ones
        base = np.arange(n_cities, dtype=np.int64) * n_networks + first
        extra = np.setdiff1d(codes, base)
        codes = np.concatenate([base, rng.permutation(extra)[: n_memberships - n_cities]])
    else:
        codes = rng.permutation(codes)[:n_memberships]
    codes.sort()
    pair_city, pair_net = np.divmod(codes, n_networks)

    roles = np.where(rng.random(n_memberships) < executive_share, "executive", "member")
    dated = rng.random(n_memberships) < dated_share
    since = np.where(dated, rng.integers(1985, 2020, n_memberships), 0)
    ended = dated & (rng.random(n_memberships) < 1 / 3)
    until = np.where(ended, since + rng.integers(0, 8, n_memberships), 0)
    memberships = pd.DataFrame(
        {
            "city_id": city_ids[pair_city],
            "network_id": network_ids[pair_net],
            "role": roles,
            "since": pd.array(np.where(dated, since, 0), dtype="Int64").astype(object),
            "until": pd.array(until, dtype="Int64").astype(object),
            "source_url": _SOURCE,
            "notes": "synthetic",
        }
    )
    memberships.loc[~dated, "since"] = None
    memberships.loc[~ended, "until"] = None

    regions = np.array(REGIONS, dtype=object)
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
    cities = pd.DataFrame(
        {
            "city_id": city_ids,
            "name": [f"Synthetic City {i}" for i in range(n_cities)],
            "country": letters[rng.integers(0, 26, n_cities)]
            + letters[rng.integers(0, 26, n_cities)],
            "region": regions[rng.integers(0, len(regions), n_cities)],
            "latitude": np.round(rng.uniform(-60, 70, n_cities), 4),
            "longitude": np.round(rng.uniform(-180, 180, n_cities), 4),
            "population": rng.lognormal(12, 1.3, n_cities).astype(np.int64),
            # the 27 most active cities form a group, standing in for the surveyed ones
            "groups": pd.Series(np.argsort(np.argsort(-city_weight)) < 27).map(
                {True: "synthetic", False: None}
            ),
            "notes": "synthetic",
        }
    )
    theme_names = np.array(THEMES, dtype=object)
    chosen = [
        ";".join(sorted(set(theme_names[rng.integers(0, len(THEMES), rng.integers(1, 4))])))
        for _ in range(n_networks)
    ]
    networks = pd.DataFrame(
        {
            "network_id": network_ids,
            "name": [f"Synthetic Network {j}" for j in range(n_networks)],
            "scope": np.array(SCOPES, dtype=object)[rng.choice(3, n_networks, p=[0.3, 0.3, 0.4])],
            "themes": chosen if themes else None,
            "coverage": "full",
            "notes": "synthetic",
        }
    )
    return {"cities": cities, "networks": networks, "memberships": memberships}


def synthetic_landscape(
    n_cities: int = 1_000,
    n_networks: int = 100,
    n_memberships: int = 5_000,
    *,
    seed: int = 0,
    **options: Any,
) -> Landscape:
    """Return a validated synthetic :class:`~citynet.Landscape` (see :func:`synthetic_frames`).

    Examples
    --------
    >>> land = synthetic_landscape(300, 30, 900, seed=2)
    >>> len(land.edges)
    900
    """
    tables = synthetic_frames(n_cities, n_networks, n_memberships, seed=seed, **options)
    return Landscape.from_frames(tables["cities"], tables["networks"], tables["memberships"])
