"""Shared fixtures: small landscapes written in the test, never read from the shipped data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import citynet

CITIES = """city_id,name,country,region,latitude,longitude,population
paris,Paris,FR,Europe,48.8566,2.3522,2148000
windhoek,Windhoek,NA,Africa,-22.5594,17.0832,
sao-paulo,São Paulo,BR,South America,-23.55,-46.63,12300000
beijing,北京,CN,Asia,39.9,116.4,
"""
NETWORKS = """network_id,name,acronym,scope,themes
c40,C40 Cities,C40,international,climate_change;environment
iclei,ICLEI,ICLEI,international,environment
eurocities,Eurocities,,regional,culture
"""
MEMBERSHIPS = """city_id,network_id,role,role_title,since,until,as_of,source_url
paris,c40,member,,2005,,,https://example.org/c40
paris,c40,executive,Vice Chair,2016,2019,,https://example.org/c40-board
paris,eurocities,member,,,,,https://example.org/eurocities
windhoek,iclei,member,,,,2019,https://example.org/iclei
sao-paulo,c40,member,,,,,https://example.org/c40
"""


@pytest.fixture
def write_folder(tmp_path: Path) -> Callable[..., Path]:
    """Write a landscape folder; each table defaults to the small one above."""

    def write(
        *,
        cities: str | bytes | None = CITIES,
        networks: str | bytes | None = NETWORKS,
        memberships: str | bytes | None = MEMBERSHIPS,
        capacity: str | bytes | None = None,
        folder: str = "land",
    ) -> Path:
        target = tmp_path / folder
        target.mkdir(exist_ok=True)
        for name, content in (
            ("cities", cities),
            ("networks", networks),
            ("memberships", memberships),
            ("capacity", capacity),
        ):
            if content is None:
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
            (target / f"{name}.csv").write_bytes(data)
        return target

    return write


@pytest.fixture
def small(write_folder: Callable[..., Path]) -> citynet.Landscape:
    return citynet.load(write_folder())


def frames(**overrides: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The small landscape as in-memory frames."""
    import io

    base = {
        "cities": pd.read_csv(io.StringIO(CITIES), dtype=str, keep_default_na=False),
        "networks": pd.read_csv(io.StringIO(NETWORKS), dtype=str, keep_default_na=False),
        "memberships": pd.read_csv(io.StringIO(MEMBERSHIPS), dtype=str, keep_default_na=False),
    }
    base.update(overrides)
    return base


@pytest.fixture(scope="session")
def shipped() -> citynet.Landscape:
    """The shipped dataset, loaded once per test session."""
    return citynet.load()


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The explorer site of the shipped dataset, built once per test session (~35 s)."""
    from citynet.export.site import write_site

    return write_site(citynet.load(), tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session", autouse=True)
def _private_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the landscape cache of the commands run by the tests out of the user's home."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(scope="session")
def shipped_small(shipped: citynet.Landscape) -> citynet.Landscape:
    """The shipped dataset without the Covenant chapters' signatories (about 1,000 cities).

    For tests of what a map or page shows, which need real names and networks but not the
    10,000 Covenant signatories (a map of those opens on an overview: tests/test_maps.py).
    """
    chapters = {"com-europe", "com-east", "com-med"}
    facts = shipped.memberships
    facts = facts[~facts["network_id"].isin(chapters)]
    cities = shipped.cities
    keep = set(facts["city_id"]) | set(cities.index[cities["groups"].notna()])
    capacity = shipped.capacity
    if capacity is not None:
        keep |= set(capacity["city_id"])
    return citynet.Landscape.from_frames(
        cities.loc[sorted(keep)].reset_index(),
        shipped.networks.drop(index=sorted(chapters)).reset_index(),
        facts.reset_index(drop=True),
        capacity,
        shipped.network_rules[~shipped.network_rules["network_id"].isin(chapters)]
        if shipped.network_rules is not None
        else None,
    )
