"""The Presidio recognizers Atlas registers, built explicitly (no defaults).

Stock Presidio recognizers are used where they fit (IBAN, US SSN, URL, IP);
the others are small subclasses: e-mail validated against the bundled suffix
list (no network), payment cards that must fit an issuer, IPs that are not
version strings, phone numbers scored by how they are written, Danish CPR
numbers, dates near birth words, and names and places from word lists.
"""
from __future__ import annotations

import re

from presidio_analyzer import (
    AnalysisExplanation,
    LocalRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)
from stdnum.dk import cpr

from .dates import DATE_PATTERN, parse_date
from .offline import registered_domain
from .people import name_spans, part_of_street, person_score
from .phones import CANDIDATE, DEFAULT_REGIONS, phone_evidence
from .places import address_spans, city_score, is_street_word, location_score
from .validators import is_payment_card

# No DOTALL: a pattern must never run from one value (line) into the next.
REGEX_FLAGS = re.MULTILINE | re.IGNORECASE

BIRTH_WORDS = ["birth", "born", "dob", "birthday", "birthdate", "bday", "foedselsdato", "fødselsdato", "født",
               "geburtsdatum", "geboren", "naissance", "nacimiento", "nascita", "födelsedatum", "urodzenia"]


def _result(recognizer: LocalRecognizer, entity: str, start: int, end: int, score: float,
            why: str) -> RecognizerResult:
    return RecognizerResult(
        entity_type=entity, start=start, end=end, score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=recognizer.name, original_score=score, textual_explanation=why),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains against the bundled suffix list."""

    def __init__(self) -> None:
        super().__init__(context=["email", "e-mail", "mail", "emailadresse", "courriel", "epost",
                                  "mailadresse"])

    def validate_result(self, pattern_text: str) -> bool:  # noqa: D102
        return registered_domain(pattern_text) != ""


class PaymentCardRecognizer(CreditCardRecognizer):
    """Card numbers that pass Luhn *and* fit a real issuer's prefix and length.

    Luhn alone passes one random number in ten, so 16-digit ids would flood
    a Luhn-only check.
    """

    # 12-19 digits in groups; Presidio's own pattern misses 2-series
    # Mastercard and 19-digit cards. The issuer check does the real work.
    PATTERNS = [Pattern("card digits", r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])", 0.3)]

    def __init__(self) -> None:
        super().__init__(patterns=self.PATTERNS,
                         context=["credit", "card", "visa", "mastercard", "amex", "cc", "pan", "kort",
                                  "kortnummer", "karte", "kreditkarte", "carte"])

    def validate_result(self, pattern_text: str) -> bool:  # noqa: D102
        return is_payment_card(pattern_text)


_VERSION_BEFORE = re.compile(r"(?:[/vV]|version\s?|ver\.?\s?|build\s?)$", re.IGNORECASE)


class VersionAwareIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer, minus dotted quads written as versions ("Chrome/61.0.8.0", "v1.2.3.4")."""

    def __init__(self) -> None:
        super().__init__(context=["ip", "ipv4", "ipv6", "ip_address", "ipaddress", "remote_addr",
                                  "client_ip"])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:  # noqa: D102
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not _VERSION_BEFORE.search(text[max(0, r.start - 9):r.start])]


class PhoneNumberRecognizer(PhoneRecognizer):
    """Phone numbers found by shape and scored with phonenumbers (see ``phones``)."""

    def __init__(self, regions: tuple[str, ...] = DEFAULT_REGIONS) -> None:
        super().__init__(
            context=["phone", "telephone", "tel", "mobile", "cell", "cellphone", "mobil", "telefon", "tlf",
                     "fax", "call", "handy", "telefonnummer", "mobilnummer", "phone_number", "msisdn"],
            supported_regions=regions,
        )

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:  # noqa: D102
        results = []
        for match in CANDIDATE.finditer(text):
            evidence = phone_evidence(match.group(), self.supported_regions)
            if evidence.score > 0:
                why = f"{evidence.reason} ({evidence.region})"
                results.append(_result(self, "PHONE_NUMBER", match.start(), match.end(), evidence.score, why))
        return results


class DkCprRecognizer(PatternRecognizer):
    """Danish CPR numbers, DDMMYY-XXXX or DDMMYYXXXX, whose date exists and is not in the future."""

    PATTERNS = [
        Pattern("CPR with dash",
                r"(?<![\w-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-\d{4}(?![\w-])", 0.6),
        Pattern("CPR digits", r"(?<![\w-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{6}(?![\w-])", 0.3),
    ]

    def __init__(self) -> None:
        super().__init__(supported_entity="DK_CPR", patterns=self.PATTERNS, global_regex_flags=REGEX_FLAGS,
                         context=["cpr", "cpr-nr", "cprnr", "cpr_nr", "personnummer", "cpr-nummer",
                                  "cprnummer"])

    def invalidate_result(self, pattern_text: str) -> bool:  # noqa: D102
        return not cpr.is_valid(pattern_text)


class BirthDateRecognizer(PatternRecognizer):
    """Dates, weakly: only near a birth word (or in a birth-date column) do they mean a date of birth."""

    def __init__(self) -> None:
        super().__init__(supported_entity="DATE_OF_BIRTH", patterns=[Pattern("date", DATE_PATTERN, 0.05)],
                         global_regex_flags=REGEX_FLAGS, context=BIRTH_WORDS)

    def invalidate_result(self, pattern_text: str) -> bool:  # noqa: D102
        return parse_date(pattern_text) is None


_LINE = re.compile(r"[^\n]+")


class NamePlaceRecognizer(LocalRecognizer):
    """Person names and places from word lists and shapes, no NLP model needed.

    Each line is judged whole (a structured value is one line). When the
    text was tokenized (free text, not a joined structured column) full
    names and street addresses are also found as spans inside lines.
    """

    def __init__(self) -> None:
        # No context words: "product_name" must not lift product names; the
        # column-level rules read the header instead.
        super().__init__(supported_entities=["PERSON", "LOCATION"], name="NamePlaceRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:  # noqa: D102
        results: list[RecognizerResult] = []
        want_person, want_place = "PERSON" in entities, "LOCATION" in entities
        free_text = nlp_artifacts is not None and bool(nlp_artifacts.tokens)
        for line in _LINE.finditer(text):
            value = line.group()
            stripped = value.strip()
            # In free text only a short line may be a value on its own; a
            # sentence holding an address is left to the span search below.
            if not stripped or len(stripped) > 120 or (free_text and len(stripped.split()) > 5):
                continue
            start = line.start() + (len(value) - len(value.lstrip()))
            end = start + len(stripped)
            if want_person:
                score = person_score(stripped)
                if score > 0:
                    results.append(_result(self, "PERSON", start, end, score, "name words"))
            if want_place:
                score = location_score(stripped)
                if score > 0:
                    results.append(_result(self, "LOCATION", start, end, score, "address or place"))
        if not free_text:
            return results  # a structured column: one value per line, judged whole above
        if want_person:
            results += [_result(self, "PERSON", s, e, sc, "full name in text")
                        for s, e, sc in name_spans(text)]
        if want_place:
            results += [_result(self, "LOCATION", s, e, sc, "street address in text")
                        for s, e, sc in address_spans(text)]
        return results


class StrictUrlRecognizer(UrlRecognizer):
    """Presidio's URL recognizer without abbreviations that end in a TLD ("B.Sc", "Univ.Prof")."""

    def __init__(self) -> None:
        super().__init__(context=["url", "website", "homepage", "link", "web", "site", "blog", "profile"])

    def invalidate_result(self, pattern_text: str) -> bool:  # noqa: D102
        text = pattern_text.strip("\"'")
        if "://" in text or text.lower().startswith("www"):
            return False
        host = text.split("/", 1)[0]
        labels = host.split(".")
        # A bare host needs a real registered domain, a label of 2+ characters
        # before the suffix, and lower case (capitals mean an abbreviation).
        return registered_domain(host) == "" or len(labels[-2]) < 2 or host != host.lower()


class CheckedSpacyRecognizer(SpacyRecognizer):
    """spaCy NER for PERSON and LOCATION, kept only where the words agree.

    A small English model tags capitalised German or Danish nouns as people
    and places; a name must also be shaped like one, and a place must be a
    known town or hold a street word.
    """

    def __init__(self) -> None:
        super().__init__(supported_language="en", supported_entities=["PERSON", "LOCATION"])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:  # noqa: D102
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            span = text[result.start:result.end]
            if result.entity_type == "PERSON" and (
                    person_score(span) < (0.2 if " " in span.strip() else 0.4)
                    or part_of_street(text, result.start, result.end)):
                continue
            if result.entity_type == "LOCATION" and not (
                    city_score(span) > 0 or any(is_street_word(w) for w in span.split())):
                continue
            kept.append(result)
        return kept


def builtin_recognizers(phone_regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[LocalRecognizer]:
    """Fresh instances of every built-in recognizer."""
    recognizers: list[LocalRecognizer] = [
        OfflineEmailRecognizer(),
        PaymentCardRecognizer(),
        IbanRecognizer(context=["iban", "bank", "account", "konto", "kontonummer", "bankkonto"]),
        VersionAwareIpRecognizer(),
        UsSsnRecognizer(context=["ssn", "social", "security", "ssns", "ssn#", "socialsecurity", "soc"]),
        StrictUrlRecognizer(),
        PhoneNumberRecognizer(phone_regions),
        DkCprRecognizer(),
        BirthDateRecognizer(),
        NamePlaceRecognizer(),
    ]
    for recognizer in recognizers:
        if isinstance(recognizer, PatternRecognizer):
            recognizer.global_regex_flags = REGEX_FLAGS
    return recognizers
