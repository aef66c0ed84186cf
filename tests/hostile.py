"""A landscape whose every string tries to break out: HTML, script, formulas, odd Unicode."""

from __future__ import annotations

import pandas as pd

from citynet import Landscape

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '" onmouseover="alert(3)" x="',
    "<a href='javascript:alert(4)'>href</a>",
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd",
    "-2+3",
    "\tTabbed",
    "<!-- comment --> \u2028 line separator",
    "مدينة 🌍 עיר",
    "{{ 7*7 }} ${alert(5)}",
]


def hostile_landscape() -> Landscape:
    cities = pd.DataFrame(
        {
            "city_id": [f"h{i:02d}" for i in range(len(HOSTILE))],
            "name": HOSTILE,
            "country": "NA",
            "region": ["Africa", "Asia", "Europe", "North America", "South America", "Oceania"] * 2,
            "latitude": [float(-33.92 + i) for i in range(len(HOSTILE))],
            "longitude": [float(18.42 + i) for i in range(len(HOSTILE))],
            "notes": HOSTILE[::-1],
        }
    )
    networks = pd.DataFrame(
        {
            "network_id": ["evil-net", "other"],
            "name": ["<script>alert('net')</script>", "=1+1"],
            "acronym": ["<b onmouseover=alert(6)>X</b>", "@x"],
            "scope": ["international", "regional"],
            "themes": ["climate_change;culture", "peace_building"],
            "source_url": ["https://example.org/<script>", "https://example.org/a"],
        }
    )
    memberships = pd.DataFrame(
        {
            "city_id": [f"h{i:02d}" for i in range(len(HOSTILE))] + ["h00", "h01"],
            "network_id": ["evil-net"] * len(HOSTILE) + ["other", "other"],
            "role": ["executive" if i % 3 == 0 else "member" for i in range(len(HOSTILE))]
            + ["member", "executive"],
            "role_title": [*HOSTILE, "=cmd", "<i>chair</i>"],
            "source_url": "https://example.org/members?a=1&b=<x>",
        }
    )
    return Landscape.from_frames(cities, networks, memberships)
