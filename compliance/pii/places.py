"""How much a short text looks like a street address or a city.

Street addresses are recognised by their structure in the languages Atlas
meets (a house number next to a street word: "12 Main Street", "Hørsholmsvej
6", "56, rue Dumont", "ul. Klonowa 38"); cities by the GeoNames list and by
the affixes place names are built from ("Port ...", "...ville", "...borough").
Countries, states, counties and provinces score zero: alone they do not
locate a person.
"""
from __future__ import annotations

import functools

import regex

from .lexicon import cities, fold, place_key, regions, subdivisions

# Street-type words, standalone ("Main Street", "rue Dumont", "ul. Klonowa").
STREET_WORDS = frozenset("""
street st str road rd avenue ave av lane ln drive dr boulevard blvd bd way court ct place pl square sq terrace
ter crescent cres close parkway pkwy highway hwy circle cir trail trl path alley row gardens garden grove hill
hills park ridge point plaza loop pike run crossing landing estates manor meadow meadows valley harbor harbour
creek falls field fields forest glen green haven heights knoll mill mills mount oval pass pines port prairie
ranch rapids shore shores springs station stream summit trace track villa villas village vista wells woods
junction bypass causeway center centre common commons corner corners course cove dale divide expressway
extension ferry flat flats ford fork forks freeway gateway hollow inlet island islands key lock locks lodge
motorway orchard overpass radial ramp route shoal spur turnpike underpass viaduct bridge brook burg canyon
cape
cliff cliffs crest curve bend bluff bluffs branch arcade camp walk mews wharf rise vale
apt apartment suite ste unit floor fl flat po box
rue avenue chemin impasse allée allee quai cours voie passage rond-point lieu-dit
calle avenida avda paseo plaza camino carretera callejón callejon pasaje ronda rambla glorieta travesía
travesia urbanización urbanizacion piso puerta
via viale piazza piazzale corso largo vicolo borgo contrada strada lungomare località localita appartamento
interno étage etage
rua travessa praça praca estrada alameda beco
ul ulica al aleja os osiedle pl
straße strasse gasse platz allee weg ring damm ufer chaussee
vej gade allé stræde vænget plads torv
vägen gatan stigen gränd torget backen
straat laan plein gracht kade steeg singel dijk
""".split())

# Street words glued to the name in Germanic languages ("Hørsholmsvej", "Müllerstr.").
STREET_SUFFIXES = (
    "straße", "strasse", "str", "gasse", "platz", "allee", "weg", "ring", "damm", "ufer", "chaussee", "pfad",
    "steig", "vej", "gade", "allé", "stræde", "vænget", "plads", "torv", "vangen", "parken", "bakken",
    "vägen", "gatan", "stigen", "gränd", "torget", "backen", "straat", "laan", "plein", "gracht", "kade",
    "steeg", "singel", "dijk", "hof", "pad", "baan", "markt", "stieg",
)

TOPONYM_PREFIXES = frozenset(
    "new north south east west port lake mount mt saint st sankt san santa santo fort glen bad great little "
    "upper lower nieuw nord sud sainte le la los las el castel villa porto monte".split()
)
TOPONYM_SUFFIXES = (
    "ville", "burg", "burgh", "borough", "bury", "ton", "town", "mouth", "port", "fort", "furt", "haven",
    "view", "side", "land", "stad", "berg", "by", "holm", "heim", "hausen", "dorf", "stadt", "field", "ford",
    "chester",
    "wick", "worth", "ham", "dale", "bridge", "minster", "caster", "pool", "ingen", "feld", "rode",
    "hagen", "sted", "lev", "rup", "strup", "købing", "borg", "bjerg", "vik", "sund", "fjord", "näs", "hamn",
    "köping", "drecht", "dam", "wijk", "veen", "hoven", "horst", "zijl", "bourg", "court", "mont", "ac", "ec",
    "nec", "dan", "ów", "owo", "ewo", "sk", "grad", "pol", "sur-mer", "les-bains", "la-forêt",
)

# Words that make a place name a region ("Stockholms län", "Cork County").
REGION_WORDS = frozenset(
    "län lan county province provincia provincie region regione región regio kommune amt landkreis kreis "
    "département departement voivodeship województwo oblast canton kanton state".split()
)

_HOUSE_NUMBER = regex.compile(r"^\d{1,5}\p{L}?(?:[-/]\d{1,4}\p{L}?)?,?$")
# "85905 Maureen Gardens": a house number, then proper words (not codes like "2455 ZL").
_NUMBER_FIRST = regex.compile(r"^\d{1,6}\p{L}?,?[ \t]+\p{Lu}\p{Ll}{2,}(?:[ \t]+\p{Lu}[\p{L}'’.\-]*){0,3}")
_PLACE_WORD = regex.compile(r"^\p{Lu}[\p{L}'’.\-]*$")


def _bare(word: str) -> str:
    return word.lower().strip(".,;:()")


@functools.lru_cache(maxsize=65536)
def is_street_word(word: str) -> bool:
    """A street-type word, alone ("Street", "rue") or glued on ("Hørsholmsvej")."""
    bare = _bare(word)
    if bare in STREET_WORDS:
        return True
    return any(bare.endswith(suffix) and len(bare) >= len(suffix) + 3 for suffix in STREET_SUFFIXES)


def street_score(value: str) -> float:
    """0..1 for a street address (with or without postcode and city)."""
    words = value.replace(",", ", ").split()
    if len(words) < 2 or len(words) > 16 or "@" in value:
        return 0.0
    numbers = [w for w in words if _HOUSE_NUMBER.match(w)]
    if not numbers or not any(ch.isalpha() for ch in value):
        return 0.0
    street_words = [w for w in words if is_street_word(w)]
    lower = [w for w in words if w[:1].islower() and not is_street_word(w) and _bare(w) not in _CONNECTORS]
    if len(lower) > max(1, len(words) // 4):
        return 0.0  # a sentence that happens to contain a number
    if street_words:
        return 0.9
    if _NUMBER_FIRST.match(value):
        return 0.6
    return 0.0


_CONNECTORS = frozenset("de del la le du di da des of the und van von der dos".split())


def toponym_shaped(value: str) -> bool:
    """Built like a place name: a place prefix ("Port", "Saint") or suffix ("-ville", "-borough")."""
    words = value.split()
    if not words or len(words) > 4 or not all(_PLACE_WORD.match(w) or _bare(w) in _CONNECTORS for w in words):
        return False
    if len(words) > 1 and _bare(words[0]) in TOPONYM_PREFIXES:
        return True
    last = words[-1].lower()
    return any(last.endswith(suffix) and len(last) > len(suffix) + 1 for suffix in TOPONYM_SUFFIXES)


def is_region(value: str) -> bool:
    """A country, state, county or province (and not also a city): too coarse to locate a person."""
    text = value.strip()
    key = place_key(text)
    if fold(text) in regions():
        return True
    words = [_bare(w) for w in text.split()]
    if any(w in REGION_WORDS for w in words) or (words and words[-1].endswith("shire")):
        return True
    return key in subdivisions() and key not in cities()


def city_score(value: str) -> float:
    """0..1 for a city or town name."""
    text = value.strip()
    if not text or len(text) > 50 or any(ch.isdigit() for ch in text) or is_region(text):
        return 0.0
    if len(text) <= 4 and text.isupper():
        return 0.0  # codes (currencies, airports), not town names
    if fold(text) in cities():
        return 0.6
    if toponym_shaped(text):
        return 0.45
    return 0.0


def location_score(value: str) -> float:
    """0..1: how much ``value`` alone looks like a street address or a city."""
    return max(street_score(value), city_score(value))


# Inside free text: a house number before or after a few words.
_NUMBER_THEN_WORDS = regex.compile(r"(?<![\p{L}\p{N}])\d{1,5}\p{L}?,?(?:[ \t]+[\p{L}][\p{L}'’.\-]*){1,5}")
_WORDS_THEN_NUMBER = regex.compile(r"(?:[\p{L}][\p{L}'’.\-]*,?[ \t]+){1,4}\d{1,5}\p{L}?(?![\p{L}\p{N}])")
_WORD = regex.compile(r"\S+")


def _trim(text: str, start: int, number_first: bool) -> tuple[int, int] | None:
    # Keep the words from the number up to the last street word (or from the
    # first capitalised/street word up to the number), dropping the sentence
    # around them.
    words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD.finditer(text)]
    marks = [i for i, (_, _, w) in enumerate(words) if is_street_word(w)]
    if not marks:
        return None
    if number_first:
        last = marks[-1]
        return words[0][0], words[last][1]
    first = marks[0]
    while first > 0 and words[first - 1][2][:1].isupper():
        first -= 1
    return words[first][0], words[-1][1]


def address_spans(text: str) -> list[tuple[int, int, float]]:
    """Spans of ``text`` that read as street addresses."""
    found = []
    for pattern, number_first in ((_NUMBER_THEN_WORDS, True), (_WORDS_THEN_NUMBER, False)):
        for match in pattern.finditer(text):
            trimmed = _trim(match.group(), match.start(), number_first)
            if trimmed:
                found.append(trimmed)
    # "Piazza Lombardi, 858" and "858 Appartamento 8" are one address.
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1] + 2 and not text[merged[-1][1]:start].strip(" ,"):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end, 0.6) for start, end in merged]
