"""Finding cities and networks by id, name, acronym or alias, the way people type them.

Matching ignores case, accents and punctuation: ``"sao paulo"`` finds São Paulo, ``"c40"`` finds
C40, ``"zurich"`` finds Zürich. Besides ids and names, a city answers to the alternate names of
its ``aliases`` column ("Kapstadt", "京都", "NYC"), and a network to its acronym, to each part of
a name written as "A (B)" or "A / B", and to the aliases of its rules ("CGLU", "Kuntaliitto").

An exact match on an id or a name wins over a part of a name, which wins over an alias. A query
whose words all occur, as whole words, in the names of exactly one entry finds it
("Kuntaliitto", "Climate Alliance"); matching several entries, it is ambiguous and the error
lists them ("Covenant of Mayors"). Otherwise :class:`UnknownNameError` suggests close names,
whole-word matches and acronyms.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

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
    if text.isascii():  # most names: nothing to decompose
        return _PUNCTUATION.sub(" ", text.casefold()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _PUNCTUATION.sub(" ", stripped.casefold()).strip()


_PUNCTUATION = re.compile(r"[\W_]+")


_PARTS = re.compile(r"\s*(?:\(|\)|/|;| - | – )\s*")
_SPLITS = re.compile(r"[()/;]| - | – ")
_STOP = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "di",
        "del",
        "of",
        "der",
        "und",
        "et",
        "y",
        "e",
    ]
)


def name_parts(name: str) -> list[str]:
    """Return the parts of a name people type alone: "A (B / C)" gives A, B and C.

    Examples
    --------
    >>> name_parts("Association of Finnish Cities (Kuntaliitto / Kommunförbundet)")
    ['Association of Finnish Cities', 'Kuntaliitto', 'Kommunförbundet']
    """
    return [p for p in _PARTS.split(name) if p.strip() and p.strip() != name]


def _acronym(name: str, key: str | None = None) -> str:
    words = [
        w for w in (key if key is not None else normalize_name(name)).split() if w not in _STOP
    ]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


SUGGEST_LIMIT = 3000
"""At most this many names are compared with a misspelt query."""


class _Index:
    """Names of one kind of entry, by priority: 0 ids and names, 1 name parts, 2 aliases.

    Each level, and the words and acronyms used for partial names and suggestions, is built on
    first use: resolving an exact name normalises only the ids and names.
    """

    def __init__(
        self,
        kind: str,
        entries: Iterable[tuple[str, str, list[str], list[str], list[str] | str]],
    ):
        self.kind = kind
        self._entries = list(entries)
        self.labels: dict[str, str] = {e[0]: e[1] for e in self._entries}
        self._levels: dict[int, dict[str, set[str]]] = {}

    def level(self, number: int) -> dict[str, set[str]]:
        """Return the names of one priority level, normalised (built once)."""
        if number not in self._levels:
            keys: dict[str, set[str]] = {}
            for entry in self._entries:
                texts = entry[2 + number]
                for text in _aliases(texts) if isinstance(texts, str) else texts:
                    key = normalize_name(text)
                    if key:
                        keys.setdefault(key, set()).add(entry[0])
            self._levels[number] = keys
        return self._levels[number]

    @functools.cached_property
    def keys(self) -> list[dict[str, set[str]]]:
        """Every level."""
        return [self.level(i) for i in range(3)]

    @functools.cached_property
    def words(self) -> dict[str, list[frozenset[str]]]:
        """The words of each entry's names, parts and aliases."""
        words: dict[str, list[frozenset[str]]] = {}
        for keys in self.keys:
            for key, ids in keys.items():
                for entry in ids:
                    words.setdefault(entry, []).append(frozenset(key.split()))
        return words

    @functools.cached_property
    def acronyms(self) -> dict[str, set[str]]:
        """Initials of the names and parts of several words."""
        acronyms: dict[str, set[str]] = {}
        for keys in self.keys[:2]:
            for key, ids in keys.items():
                acronym = _acronym(key, key)
                if acronym:
                    for entry in ids:
                        acronyms.setdefault(acronym, set()).add(entry)
        return acronyms

    def options(self, ids: Iterable[str]) -> str:
        return ", ".join(f"{i} ({self.labels[i]})" for i in sorted(ids))

    def resolve(self, query: str) -> str:
        if query in self.labels:
            return query
        key = normalize_name(query)
        for number in range(3):
            hits = self.level(number).get(key, set())
            if len(hits) == 1:
                return next(iter(hits))
            if len(hits) > 1:
                raise UnknownNameError(
                    f"{self.kind} {query!r} is ambiguous: use one of the ids {self.options(hits)}"
                )
        words = frozenset(key.split()) - _STOP
        if words:
            containing = {
                entry for entry, names in self.words.items() if any(words <= n for n in names)
            }
            if len(containing) == 1:
                return next(iter(containing))
            if 1 < len(containing) <= 8:
                raise UnknownNameError(
                    f"{self.kind} {query!r} is ambiguous: use one of the ids "
                    f"{self.options(containing)}"
                )
        raise UnknownNameError(
            f"no {self.kind} called {query!r} in this landscape{self.suggest(key)}"
        )

    def suggest(self, key: str) -> str:
        ids: list[str] = []
        compact = key.replace(" ", "")
        ids += sorted(self.acronyms.get(compact, set()))
        everything = {k: v for level in self.keys for k, v in level.items()}
        # difflib compares the query with each name: keep it to names of about its length,
        # and on large landscapes to those sharing its first letter (typing is rarely wrong
        # there), so that a typo costs milliseconds, not seconds
        low, high = 0.6 * len(key), 1.6 * len(key) + 2
        candidates = [k for k in everything if low <= len(k) <= high]
        if len(candidates) > SUGGEST_LIMIT:
            candidates = [k for k in candidates if k[:1] == key[:1]][:SUGGEST_LIMIT]
        for name in difflib.get_close_matches(key, candidates, n=3, cutoff=0.6):
            ids += sorted(everything[name])
        words = set(key.split()) - _STOP
        if words and len(ids) < 3:
            scored = sorted(
                (
                    (-max(len(words & n) for n in names), entry)
                    for entry, names in self.words.items()
                    if any(words & n for n in names)
                ),
            )
            ids += [entry for _, entry in scored[:3]]
        unique = list(dict.fromkeys(ids))[:4]
        if not unique:
            return ""
        return f"; did you mean {', '.join(f'{i} ({self.labels[i]})' for i in unique)}?"


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]


def _aliases(value: object) -> list[str]:
    text = _text(value)
    return [a.strip() for a in text.split(";") if a.strip()] if text else []


def resolve_city(land: Landscape, query: str) -> str:
    """Return the ``city_id`` that ``query`` (an id, a name or an alias) names.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> resolve_city(land, "sao paulo")
    'sao-paulo'
    """
    if query in land.city_ids:
        return query
    return _city_index(land).resolve(query)


def _city_index(land: Landscape) -> _Index:
    """Return the names of the landscape's cities (built once per record)."""

    def build() -> _Index:
        cities = land.record.cities
        ids = [str(c) for c in cities.index]
        names = cities["name"].astype(str).tolist()
        countries = cities["country"].astype(object).tolist()
        aliases = (
            cities["aliases"].astype(object).tolist()
            if "aliases" in cities.columns
            else [None] * len(ids)
        )
        return _Index(
            "city",
            (
                (
                    cid,
                    f"{name}, {country}",
                    [cid, name],
                    name_parts(name) if _SPLITS.search(name) else [],
                    alias if isinstance(alias, str) else [],  # split when first asked for
                )
                for cid, name, country, alias in zip(ids, names, countries, aliases, strict=True)
            ),
        )

    index: _Index = land.record.memo(("lookup", "city"), build)
    return index


def resolve_network(land: Landscape, query: str) -> str:
    """Return the ``network_id`` that ``query`` (an id, name, acronym or alias) names.

    Examples
    --------
    >>> import citynet
    >>> land = citynet.load()
    >>> [resolve_network(land, n) for n in ("C40", "CGLU", "Kuntaliitto")]
    ['c40', 'uclg', 'afcm']
    """
    return _network_index(land).resolve(query)


def _network_index(land: Landscape) -> _Index:
    """Return the names of the landscape's networks (built once per record)."""

    def build() -> _Index:
        networks = land.record.networks
        rules = land.record.rules
        entries = []
        for nid, name, acronym in zip(
            networks.index, networks["name"], networks["acronym"], strict=True
        ):
            names = [str(nid), str(name)] + ([str(acronym)] if _text(acronym) else [])
            parts = name_parts(str(name)) + (name_parts(str(acronym)) if _text(acronym) else [])
            aliases: list[str] = []
            for alias in rules[str(nid)].aliases:
                aliases += [alias, *name_parts(alias)]
            entries.append((str(nid), str(name), names, parts, aliases))
        return _Index("network", entries)

    index: _Index = land.record.memo(("lookup", "network"), build)
    return index
