"""Every rule of the data contract, each with a small fixture that breaks it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import citynet
from citynet import DataError, Landscape
from tests.conftest import CITIES, MEMBERSHIPS, NETWORKS, frames


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        citynet.load(folder)
    return [str(p) for p in err.value.problems]


def test_small_landscape_is_valid(small: Landscape) -> None:
    assert len(small.cities) == 4
    assert len(small.memberships) == 5


@pytest.mark.parametrize(
    ("table", "text", "expected"),
    [
        (
            "cities",
            CITIES.replace("city_id,", "cityid,"),
            "cities.csv:1: required column 'city_id' is missing (did you mean 'cityid'?)",
        ),
        (
            "cities",
            CITIES + "paris,Paris again,FR,,,,\n",
            "cities.csv:6: city_id 'paris' is not unique (also on row 2)",
        ),
        (
            "cities",
            CITIES + "Rome,Rome,IT,,,,\n",
            "cities.csv:6: city_id 'Rome' must be a lower-case slug of a-z, 0-9 and '-' (e.g. 'rome')",
        ),
        (
            "cities",
            CITIES + "new york,New York,US,,,,\n",
            "cities.csv:6: city_id 'new york' must be a lower-case slug of a-z, 0-9 and '-' "
            "(e.g. 'new-york')",
        ),
        (
            "cities",
            CITIES + " rome,Rome,IT,,,,\n",
            "cities.csv:6: city_id ' rome' has spaces at the start or end",
        ),
        ("cities", CITIES + "rome,,IT,,,,\n", "cities.csv:6: name is required but empty"),
        (
            "cities",
            CITIES + "rome,Rome,ITA,,,,\n",
            "cities.csv:6: country 'ITA' is not an ISO 3166-1 alpha-2 code (two capital letters)",
        ),
        (
            "cities",
            CITIES + "rome,Rome,IT,Europa,,,\n",
            "cities.csv:6: region 'Europa' is not one of Africa, Asia, Europe, North America, "
            "South America, Oceania (did you mean 'Europe'?)",
        ),
        (
            "cities",
            CITIES + "rome,Rome,IT,,91,12,\n",
            "cities.csv:6: latitude '91' is outside [-90, 90]",
        ),
        (
            "cities",
            CITIES + "rome,Rome,IT,,41.9,-181,\n",
            "cities.csv:6: longitude '-181' is outside [-180, 180]",
        ),
        (
            "cities",
            CITIES + "rome,Rome,IT,,41°54',12,\n",
            "cities.csv:6: latitude \"41°54'\" is not a number (use '.' as the decimal point)",
        ),
        (
            "cities",
            CITIES + 'rome,Rome,IT,,"41,9",12,\n',
            "cities.csv:6: latitude '41,9' is not a number (use '.' as the decimal point)",
        ),
        (
            "cities",
            CITIES + "rome,Rome,IT,,nan,12,\n",
            "cities.csv:6: latitude 'nan' is not a number (use '.' as the decimal point)",
        ),
        (
            "cities",
            CITIES + 'rome,Rome,IT,,,,"2,800,000"\n',
            "cities.csv:6: population '2,800,000' is not a whole number >= 0 "
            "(no separators or decimals)",
        ),
        (
            "networks",
            NETWORKS + "ucci,UCCI,,Regional,\n",
            "networks.csv:5: scope 'Regional' is not one of international, regional, national "
            "(did you mean 'regional'?)",
        ),
        (
            "networks",
            NETWORKS + "ucci,UCCI,,regional,culture;tourisme\n",
            "networks.csv:5: themes 'culture;tourisme' item 'tourisme' is not in the vocabulary "
            "(did you mean 'tourism'?) (see docs/data-format.md)",
        ),
        (
            "networks",
            NETWORKS + "ucci,UCCI,,regional,culture;culture\n",
            "networks.csv:5: themes 'culture;culture' lists an item twice",
        ),
        (
            "networks",
            "network_id,name,scope,founded\nucci,UCCI,regional,86\n",
            "networks.csv:2: founded '86' is not a year between 1800 and 2100",
        ),
        (
            "networks",
            "network_id,name,scope,founded\nucci,UCCI,regional,1986.0\n",
            "networks.csv:2: founded '1986.0' is not a year (a whole number such as 2017)",
        ),
        (
            "memberships",
            MEMBERSHIPS + "rome,c40,member,,,,,https://example.org\n",
            "memberships.csv:7: city_id 'rome' is not in cities.csv",
        ),
        (
            "memberships",
            MEMBERSHIPS + "sao-paolo,c40,member,,,,,https://example.org\n",
            "memberships.csv:7: city_id 'sao-paolo' is not in cities.csv (did you mean 'sao-paulo'?)",
        ),
        (
            "memberships",
            MEMBERSHIPS + "paris,icleii,member,,,,,https://example.org\n",
            "memberships.csv:7: network_id 'icleii' is not in networks.csv (did you mean 'iclei'?)",
        ),
        (
            "memberships",
            MEMBERSHIPS + "paris,iclei,Member,,,,,https://example.org\n",
            "memberships.csv:7: role 'Member' is not one of member, executive (did you mean 'member'?)",
        ),
        (
            "memberships",
            MEMBERSHIPS + "paris,iclei,member,,2019,2015,,https://example.org\n",
            "memberships.csv:7: since '2019' is later than until 2015 (since must be <= until)",
        ),
        (
            "memberships",
            MEMBERSHIPS + "paris,iclei,member,,,,,www.iclei.org\n",
            "memberships.csv:7: source_url 'www.iclei.org' is not an http(s):// address",
        ),
        (
            "memberships",
            MEMBERSHIPS + "paris,iclei,member,,,,,\n",
            "memberships.csv:7: source_url is required but empty",
        ),
        (
            "memberships",
            MEMBERSHIPS + "paris,c40,member,,2005,,,https://example.org/c40\n",
            "memberships.csv:7: repeats row 2 exactly (identical duplicate fact)",
        ),
    ],
)
def test_rule(write_folder: Callable[..., Path], table: str, text: str, expected: str) -> None:
    assert expected in problems_of(write_folder(**{table: text}))


def test_evidence_vocabulary(write_folder: Callable[..., Path]) -> None:
    text = "city_id,network_id,role,evidence,source_url\nparis,c40,member,derivd,https://x.org\n"
    found = problems_of(write_folder(memberships=text))
    assert any(
        "evidence 'derivd' is not one of listed, derived, participation "
        "(did you mean 'derived'?)" in m
        for m in found
    )


def test_capacity_rules(write_folder: Callable[..., Path]) -> None:
    capacity = (
        "city_id,attribute,value,year,source_url\n"
        "paris,office_placement,mayors office,2017,https://example.org\n"
        "paris,budgett,1 EUR,2017,https://example.org\n"
        "rome,staff,12,2017,https://example.org\n"
        "paris,staff,,2017,https://example.org\n"
    )
    found = problems_of(write_folder(capacity=capacity))
    assert found == [
        "capacity.csv:2: value 'mayors office' is not an office placement (mayors_office, "
        "integrated, independent_department, other) (did you mean 'mayors_office'?)",
        "capacity.csv:3: attribute 'budgett' is not one of international_office, "
        "office_placement, senior_official, international_strategy, strategy_public, budget, "
        "staff, sister_cities, training (did you mean 'budget'?)",
        "capacity.csv:4: city_id 'rome' is not in cities.csv",
        "capacity.csv:5: value is required but empty",
    ]


def test_all_problems_gathered_across_files(write_folder: Callable[..., Path]) -> None:
    """A folder with a dozen different mistakes lists every one, in file and row order."""
    found = problems_of(
        write_folder(
            cities=CITIES + "Rome,Rome,ITA,Europa,91,x,\nparis,Paris,FR,,,,\n",
            networks=NETWORKS + "ucci,UCCI,,Regional,tourisme\n",
            memberships=MEMBERSHIPS + "sao-paolo,c40,membre,,2019,2015,,ftp://x\n"
            "paris,c40,member,,2005,,,https://example.org/c40\n",
        )
    )
    assert [m.split(" ")[0] for m in found] == [
        "cities.csv:6:",
        "cities.csv:6:",
        "cities.csv:6:",
        "cities.csv:6:",
        "cities.csv:6:",
        "cities.csv:7:",
        "networks.csv:5:",
        "networks.csv:5:",
        "memberships.csv:7:",
        "memberships.csv:7:",
        "memberships.csv:7:",
        "memberships.csv:7:",
        "memberships.csv:8:",
    ]
    columns = [m.split(" ")[1] for m in found]
    assert columns == [
        "city_id",
        "country",
        "region",
        "latitude",
        "longitude",
        "city_id",
        "scope",
        "themes",
        "role",
        "source_url",
        "since",
        "city_id",
        "repeats",
    ]


def test_from_frames_accepts_typed_values() -> None:
    base = frames()
    cities = base["cities"].copy()
    cities["latitude"] = cities["latitude"].astype(float)
    cities["population"] = pd.array([2148000, None, 12300000, None], dtype="Int64")
    land = Landscape.from_frames(cities.set_index("city_id"), base["networks"], base["memberships"])
    assert land.cities.loc["paris", "population"] == 2148000
    assert pd.isna(land.cities.loc["windhoek", "population"])
    assert land.cities.loc["windhoek", "country"] == "NA"


def test_from_frames_reports_rows_as_csv_rows() -> None:
    base = frames()
    memberships = base["memberships"].copy()
    memberships.loc[2, "network_id"] = "nowhere"
    with pytest.raises(DataError) as err:
        Landscape.from_frames(base["cities"], base["networks"], memberships)
    assert [str(p) for p in err.value.problems] == [
        "memberships.csv:4: network_id 'nowhere' is not in networks.csv"
    ]


def test_data_error_is_a_value_error() -> None:
    assert issubclass(DataError, ValueError)
    assert issubclass(DataError, citynet.CitynetError)


def test_matching_distinct_values_at_once_agrees_with_one_by_one() -> None:
    """The one-pass check of every distinct value (joined by newlines) never differs."""
    import re

    import numpy as np
    import pandas as pd

    from citynet import validate as v

    rng = np.random.default_rng(5)
    alphabet = [*"ab-1Z. :/\n\té", "https://", "x", ""]
    for pattern in (v._SLUG, v._URL, v._COUNTRY, v._SMALL_WHOLE, v._DECIMAL, v._ASCII):
        for _ in range(200):
            cells = ["".join(rng.choice(alphabet, size=rng.integers(0, 6))) for _ in range(5)]
            if rng.random() < 0.5:  # often all valid, so that the one-pass path is taken
                cells = [c for c in cells if pattern.fullmatch(c)] or ["ab"]
            expected = [re.fullmatch(pattern, c) is not None for c in cells]
            assert v._matches(pd.Series(cells), pattern).tolist() == expected, (pattern, cells)
