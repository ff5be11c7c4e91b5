"""Services alone: keys and HMAC in SQL, sampling, material change, the masking rule, recognizers."""
from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.test import override_settings
from psycopg import sql

from atlas import warehouse
from compliance.choices import FindingStatus, MaskingAction
from compliance.models import CustomRecognizer, PiiFinding
from compliance.services import crypto
from compliance.services.inventory import material_change
from compliance.services.masking.expressions import hmac_sha256, partial_mask, set_hmac_keys
from compliance.services.masking.plan import masks, strictest
from compliance.services.masking.publish import mask_value
from compliance.services.scanning import ScanTarget, count_matches, sample_values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["jane@example.com", "Søren Kierkegaard", "", "x" * 500])
def test_hmac_in_postgresql_equals_python(value):
    cursor = warehouse.raw_cursor()
    set_hmac_keys(cursor)
    cursor.execute(sql.SQL("SELECT {}").format(hmac_sha256(sql.Literal(value))))
    expected = hmac.new(crypto.conf.pseudonym_key(), value.encode(), hashlib.sha256).hexdigest()
    assert cursor.fetchone()[0] == expected == crypto.pseudonym(value)


@override_settings(ATLAS_PSEUDONYM_KEY="k" * 100)
def test_a_long_pseudonym_key_is_hashed_first_as_hmac_requires():
    cursor = warehouse.raw_cursor()
    set_hmac_keys(cursor)
    cursor.execute(sql.SQL("SELECT {}").format(hmac_sha256(sql.Literal("value"))))
    assert cursor.fetchone()[0] == hmac.new(b"k" * 100, b"value", hashlib.sha256).hexdigest()


def test_the_pseudonym_key_changes_the_pseudonym():
    with override_settings(ATLAS_PSEUDONYM_KEY="one"):
        first = crypto.pseudonym("jane@example.com")
    with override_settings(ATLAS_PSEUDONYM_KEY="two"):
        assert crypto.pseudonym("jane@example.com") != first


@pytest.mark.parametrize(("value", "visible", "masked"), [
    ("4111111111111111", 4, "****1111"), ("12345678", 4, "****"), ("abc", 4, "****"), ("secret", 0, "****"),
])
def test_partial_mask_in_sql_and_python_agree(value, visible, masked):
    cursor = warehouse.raw_cursor()
    cursor.execute(sql.SQL("SELECT {}").format(partial_mask(sql.Literal(value), visible)))
    assert cursor.fetchone()[0] == mask_value(value, visible) == masked


def test_encryption_keys_rotate():
    old, new = Fernet.generate_key().decode(), "a passphrase, not a Fernet key"
    with override_settings(ATLAS_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt("DK12 3456")
    with override_settings(ATLAS_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(token) == "DK12 3456"
        assert crypto.decrypt(crypto.encrypt("x")) == "x"
    with override_settings(ATLAS_ENCRYPTION_KEYS=[new]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


@pytest.fixture
def chart_table():
    """chart.pii_sampling: 5,000 rows of one run; "dense" always set, "sparse" on every 50th row."""
    cursor = warehouse.raw_cursor()
    cursor.execute("CREATE TABLE chart.pii_sampling (_atlas_run_id bigint, _atlas_row bigint, dense text, "
                   "sparse text)")
    cursor.execute("INSERT INTO chart.pii_sampling SELECT 7, n, 'value ' || n, "
                   "CASE WHEN n % 50 = 0 THEN 'rare ' || n END FROM generate_series(1, 5000) n")
    return cursor


def test_sampling_is_reproducible_and_fills_sparse_columns(chart_table):
    targets = [ScanTarget("dense", "dense", "text", 5000), ScanTarget("sparse", "sparse", "text", 100)]
    first = sample_values(chart_table, "pii_sampling", 7, targets, 60)
    assert first == sample_values(chart_table, "pii_sampling", 7, targets, 60)
    assert len(first["dense"]) == 60 and len(set(first["dense"])) == 60
    assert len(first["sparse"]) == 60 and all(v.startswith("rare ") for v in first["sparse"])
    rows = sorted(int(v.split()[1]) for v in first["dense"])
    assert rows[0] < 1000 and rows[-1] > 4000  # spread over the whole run, not its first rows


def test_counting_takes_patterns_with_percent_signs(chart_table):
    checks = [("dense", "^value [0-9]+$"), ("dense", "%")]
    assert count_matches(chart_table, "pii_sampling", 7, checks) == [5000, 0]


@pytest.mark.parametrize(("before", "after", "changed"), [
    ({}, {"winner": "EMAIL_ADDRESS", "share": 1.0}, None),
    ({"winner": "EMAIL_ADDRESS", "share": 1.0, "type": "text"}, {"winner": "EMAIL_ADDRESS", "share": 0.9,
                                                                  "type": "text"}, None),
    ({"winner": "EMAIL_ADDRESS", "share": 1.0}, {"winner": "EMAIL_ADDRESS", "share": 0.7}, "share"),
    ({"winner": "EMAIL_ADDRESS", "share": 1.0}, {"winner": "PHONE_NUMBER", "share": 0.0}, "main entity"),
    ({"winner": "URL", "type": "text"}, {"winner": "URL", "type": "integer"}, "type"),
    ({"winner": "URL", "free_text": False}, {"winner": "URL", "free_text": True}, "free text"),
])
def test_material_change(before, after, changed):
    reason = material_change(before, after)
    assert (reason is None) if changed is None else (changed in reason)


@pytest.mark.parametrize(("status", "confidence", "current", "masked"), [
    (FindingStatus.CONFIRMED, 0.3, False, True),
    (FindingStatus.REJECTED, 0.99, True, False),
    (FindingStatus.SUGGESTED, 0.8, True, True),
    (FindingStatus.SUGGESTED, 0.79, True, False),
    (FindingStatus.SUGGESTED, 0.95, False, False),
])
def test_which_findings_mask(status, confidence, current, masked):
    assert masks(PiiFinding(status=status, confidence=confidence, current=current, share=1)) is masked


def test_the_strictest_action_wins():
    assert strictest([MaskingAction.MASK, MaskingAction.HASH, MaskingAction.KEEP]) == MaskingAction.HASH
    assert strictest([MaskingAction.ENCRYPT, MaskingAction.DROP]) == MaskingAction.DROP
    assert strictest([]) == MaskingAction.KEEP


@pytest.mark.parametrize(("regex", "message"), [
    ("EMP-[0-9", "not a valid regular expression"),
    ("a*", "empty"),
    ("x" * 501, "under 500 characters"),
])
def test_custom_recognizers_are_validated_on_save(regex, message):
    with pytest.raises(ValidationError, match=message):
        CustomRecognizer.objects.create(name="bad", entity="EMPLOYEE_ID", regex=regex)


def test_custom_recognizer_entities_are_upper_case():
    with pytest.raises(ValidationError, match="upper-case"):
        CustomRecognizer.objects.create(name="bad", entity="employee id", regex="EMP-[0-9]{6}")
