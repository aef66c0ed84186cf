"""The licence of each source the shipped dataset cites (build time; ``data/sources.csv``).

A row of ``data/`` is one fact with its source. What the dataset may reuse from a source
depends on what was taken from it:

* a **dataset** read in bulk (the JRC Covenant release, GeoNames, SimpleMaps World Cities
  Basic, UN DESA's World Urbanization Prospects) is reused under its own licence, which must be
  open (CC BY and alike);
* a **single fact read from a public page** (a member list, a news item, an encyclopaedia
  article) is a fact, which no licence covers; the row says it in our words and quotes at most
  a short passage as a citation (``fact-citation``);
* a dataset **without an open licence** (no licence at all, or non-commercial only) is not a
  source the CC BY dataset may rest on: its rows are left out (:data:`NOT_OPEN`).
"""

from __future__ import annotations

import re

NOT_OPEN = {
    "pgourdongeo/Chap3_LocationalAnalysis": (
        "none",
        "ETMUN database (Gourdon 2019): published without a licence; it draws on a "
        "proprietary yearbook of international organisations",
    ),
    "datadrivenenvirolab/ClimActor": (
        "non-commercial",
        "ClimActor (Hsu et al. 2020): licensed for non-commercial use only",
    ),
}
"""Datasets the shipped data may not rest on: a fragment of the URL -> (licence, why)."""

OPEN_DATASETS = (
    (r"LisaMarieKauck/OfflineMARLCityNetworkClimate", "CC-BY-4.0",
     "JRC GCoM - MyCovenant release (January 2024), (c) European Union, CC BY 4.0"),
    (r"geonames\.org|cities15000", "CC-BY-4.0", "GeoNames gazetteer, CC BY 4.0"),
    (r"worldcities", "CC-BY-4.0", "SimpleMaps World Cities Basic, CC BY 4.0"),
    (r"WUP2018|WPP2018", "CC-BY-3.0-IGO",
     "UN DESA World Urbanization Prospects 2018, CC BY 3.0 IGO"),
)  # fmt: skip
OPEN = frozenset({"CC-BY-4.0", "CC-BY-3.0-IGO", "fact-citation"})
"""Licences a shipped row's source may have."""


def not_open(url: str) -> bool:
    """Whether a source URL is a dataset without an open licence."""
    return any(fragment in url for fragment in NOT_OPEN)


def licence_of(url: str) -> tuple[str, str]:
    """Return ``(licence, what the source is)`` for a source URL."""
    for fragment, (licence, what) in NOT_OPEN.items():
        if fragment in url:
            return licence, what
    for pattern, licence, what in OPEN_DATASETS:
        if re.search(pattern, url):
            return licence, what
    return "fact-citation", "a public page, read for the fact it states"
