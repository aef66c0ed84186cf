"""Finding cities and networks by id, name or acronym, the way people type them.

Matching ignores case, accents and punctuation: ``"sao paulo"`` finds São Paulo, ``"c40"`` finds
C40, ``"zurich"`` finds Zürich. An unknown name raises :class:`UnknownNameError` with the closest
candidates; a name shared by several entries raises it with each of their ids.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from citynet._errors import CitynetError
from citynet.landscape import Landscape

__all__ = ["UnknownNameError", "normalize_name", "resolve_city", "resolve_network"]


class UnknownNameError(CitynetError, LookupError):
    """No city or network (or more than one) answers to the name given."""


def normalize_name(text: str) -> str:
    """Fold case, accents and punctuation so that names compare as people read them.

    Examples
    --------
    >>> normalize_name("São Paulo"), normalize_name("Zürich"), normalize_name("new-york")
    ('sao paulo', 'zurich', 'new york')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", stripped.casefold()).strip()


_Index = tuple[dict[str, set[str]], dict[str, str]]


def _build(candidates: Iterable[tuple[str, Iterable[str], str]]) -> _Index:
    index: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for entry_id, names, label in candidates:
        labels[entry_id] = label
        for name in names:
            index.setdefault(normalize_name(name), set()).add(entry_id)
    return index, labels


def _resolve(kind: str, query: str, built: _Index) -> str:
    index, labels = built
    if query in labels:
        return query
    key = normalize_name(query)
    hits = index.get(key, set())
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        options = ", ".join(f"{h} ({labels[h]})" for h in sorted(hits))
        raise UnknownNameError(f"{kind} {query!r} is ambiguous: use one of the ids {options}")
    close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    ids = sorted({i for name in close for i in index[name]})
    hint = f"; did you mean {', '.join(f'{i} ({labels[i]})' for i in ids)}?" if ids else ""
    raise UnknownNameError(f"no {kind} called {query!r} in this landscape{hint}")


def resolve_city(land: Landscape, query: str) -> str:
    """Return the ``city_id`` that ``query`` (an id or a name) names.

    Examples
    --------
    >>> import citynet
    >>> resolve_city(citynet.load(), "sao paulo")
    'sao-paulo'
    """
    if query in land.cities.index:
        return query

    def build() -> _Index:
        cities = land.cities
        return _build(
            (str(cid), (str(cid), str(name)), f"{name}, {country}")
            for cid, name, country in zip(
                cities.index, cities["name"], cities["country"], strict=True
            )
        )

    return _resolve("city", query, land.memo(("lookup", "city"), build))


def resolve_network(land: Landscape, query: str) -> str:
    """Return the ``network_id`` that ``query`` (an id, a name or an acronym) names.

    Examples
    --------
    >>> import citynet
    >>> resolve_network(citynet.load(), "C40")
    'c40'
    """

    def build() -> _Index:
        networks = land.networks
        return _build(
            (
                str(nid),
                tuple(str(x) for x in (nid, name, acronym) if isinstance(x, str)),
                str(name),
            )
            for nid, name, acronym in zip(
                networks.index, networks["name"], networks["acronym"], strict=True
            )
        )

    return _resolve("network", query, land.memo(("lookup", "network"), build))
