"""How much a short text looks like a person's name.

Works without any NLP model: the shape of the words (capitalised, no digits,
no company suffix) and whether the first word is a known first name and the
last a known surname. Scores are graded so a column of full names, of first
names or of surnames each ends up clearly above a column of product or
company names.
"""
from __future__ import annotations

import regex

from .lexicon import common_first_name, first_names, fold, function_words, surnames
from .places import is_street_word

TITLES = frozenset(
    "mr mrs ms miss mx dr prof sir dame madam lady lord herr frau hr fr mme mlle m sr sra srta dott dottssa "
    "ing dipl rev fr".split()
)
GENERATIONAL = frozenset("jr sr ii iii iv phd md dds esq msc bsc mba".split())
PARTICLES = frozenset(
    "van von de der den da di del della dello des du la le lo dos das do ter ten af al bin ibn y e st".split()
)
COMPANY_WORDS = frozenset(
    "inc incorporated llc llp lp ltd limited plc gmbh ag kg ohg gbr ug kgaa ev mbh sa sas sarl srl spa bv nv "
    "ab as aps oy oyj asa sl slu sat sc sp zoo coop co corp corporation company group holding holdings "
    "partners associates associati sons brothers bros industries international solutions services systems "
    "technologies "
    "consulting enterprises ventures labs studio foundation stiftung spolka spółka spółdzielnia cia ltda "
    "and und og och et".split()
)

# A name word: letters, inner hyphens/apostrophes, an optional final dot (initials).
_NAME_WORD = regex.compile(r"^\p{L}+(?:['’\-]\p{L}+)*\.?$")
# Mixed case inside a word ("GmbH", "iPhone") is not how names are written,
# except for the Mc/Mac/O'/D' prefixes.
_ODD_CASE = regex.compile(r"^(?!(?:Mc|Mac|O'|D'|De|Di|Le|La|Van|Von))\p{Lu}\p{Ll}+\p{Lu}")


def _reorder(text: str) -> str | None:
    """"Last, First" becomes "First Last"; more than one comma is not a name."""
    commas = text.count(",")
    if commas == 0:
        return text
    if commas > 1:
        return None
    last, first = (part.strip() for part in text.split(","))
    if not last or not first:
        return None
    return f"{first} {last}"


def _core_words(text: str) -> list[str] | None:
    words = text.split()
    lowered = [w.lower().rstrip(".") for w in words]
    if any(w in COMPANY_WORDS for w in lowered) or "&" in text:
        return None
    start, end = 0, len(words)
    while start < end and lowered[start] in TITLES:
        start += 1
    while end > start and lowered[end - 1] in GENERATIONAL:
        end -= 1
    return [w for w, low in zip(words[start:end], lowered[start:end], strict=True) if low not in PARTICLES]


def _shaped_like_name(core: list[str], all_upper: bool) -> bool:
    for word in core:
        if not _NAME_WORD.match(word):
            return False
        if not all_upper and (not word[0].isupper() or _ODD_CASE.match(word)):
            return False
    return True


def _parts(word: str) -> list[str]:
    return [fold(p) for p in regex.split(r"[-'’]", word.rstrip(".")) if len(p) > 1]


def _known(word: str, *lists: frozenset[str]) -> bool:
    parts = _parts(word)
    return bool(parts) and all(any(p in lst for lst in lists) for p in parts)


def person_score(value: str) -> float:
    """0..1: how much ``value`` alone looks like a person's name (or first/last name)."""
    text = value.strip()
    if not text or len(text) > 70 or any(ch.isdigit() for ch in text) or "@" in text:
        return 0.0
    text = _reorder(text)
    if text is None:
        return 0.0
    core = _core_words(text)
    if not core or len(core) > 4:
        return 0.0
    if not _shaped_like_name(core, text.isupper()):
        return 0.0
    first_known = _known(core[0], first_names())
    if len(core) == 1:
        hyphenated = "-" in core[0]
        if first_known and not hyphenated:
            return 0.5
        return 0.45 if _known(core[0], surnames(), first_names()) else 0.1
    last_known = _known(core[-1], surnames(), first_names())
    if first_known and last_known:
        return 0.85
    if first_known:
        return 0.65
    if last_known and len(core[0].rstrip(".")) == 1:
        return 0.5  # "J. Smith"
    if last_known:
        return 0.35  # "Sleek Leather Car": a surname-like last word alone is weak
    return 0.2


# Inside free text: two to four capitalised words, optionally with particles.
NAME_SPAN = regex.compile(
    r"(?<![\p{L}\p{N}@.])\p{Lu}[\p{Ll}'’\-]+(?:[ \t]+(?:(?:van|von|de|der|den|da|di|del|la|le|du|dos)[ \t]+)?"
    r"\p{Lu}[\p{Ll}'’\-]+){1,3}(?![\p{L}\p{N}@])"
)


_AFTER_NUMBER = regex.compile(r"\d[\p{L}]?,?[ \t]*$")


def part_of_street(text: str, start: int, end: int) -> bool:
    """The span holds a street word or follows a house number: a street named after someone."""
    words = text[start:end].split()
    following = text[end:end + 12].split()[:1]
    return (any(is_street_word(w) for w in words + following)
            or bool(_AFTER_NUMBER.search(text[max(0, start - 8):start])))


def name_spans(text: str) -> list[tuple[int, int, float]]:
    """Spans of ``text`` that read as full names: a known first name plus a surname-like word.

    Street names are often made of person names ("975 Joshua Causeway"): a
    span right after a house number or holding a street word is not a person.
    """
    spans = []
    for match in NAME_SPAN.finditer(text):
        # A sentence may start with a capitalised word before the name
        # ("Call Maria Jensen"): try the span from each word on.
        words = list(regex.finditer(r"\S+", match.group()))
        if _plain_word(words[-1].group(), last=True):
            continue
        for word in words[:-1]:
            start = match.start() + word.start()
            if part_of_street(text, start, match.end()):
                break
            if _plain_word(word.group(), last=False):
                continue
            score = person_score(text[start:match.end()])
            if score >= 0.65:
                spans.append((start, match.end(), score))
                break
    return spans


def _plain_word(word: str, *, last: bool) -> bool:
    """A capitalised word that is more likely language than a name ("Alle", "Will", "Frau").

    Sentence starts and German nouns are capitalised too; a function word
    only opens a name when it is also a common first name ("Hans", "Per").
    """
    lower = word.lower().rstrip(".")
    if last and lower in TITLES:
        return True
    if lower not in function_words():
        return False
    return last or len(lower) < 3 or not common_first_name(fold(lower))
