"""Quality services on their own: semantic types, gates, messages, the trend chart."""
from __future__ import annotations

import pytest

from catalog.models import Dataset
from quality.choices import CheckKind, CheckOutcome, GateMode, GateOutcome
from quality.engine.spec import DEFAULT_THRESHOLDS
from quality.models import QualityRuleSet
from quality.presentation import score_tone, trend_svg
from quality.services.checks import CheckRecord
from quality.services.config import semantic_type
from quality.services.gates import blocked_message, decide
from quality.services.history import TrendPoint
from quality.services.rules import KnownColumn, validate_rules

EMAIL = KnownColumn("E-mail", "e_mail", "text")


@pytest.mark.parametrize(("entity", "expected"), [
    ("EMAIL_ADDRESS", "email"), ("PHONE_NUMBER", "phone"), ("IBAN_CODE", "iban"), ("URL", "url"),
    ("IP_ADDRESS", "ip"), ("PERSON", None), ("LOCATION", None),
])
def test_pii_findings_choose_the_semantic_type(entity, expected):
    assert semantic_type(EMAIL, {}, [{"entity": entity, "confidence": 0.9}]) == expected


def test_most_confident_mappable_finding_wins_and_stewards_override():
    findings = [{"entity": "PERSON", "confidence": 0.99}, {"entity": "PHONE_NUMBER", "confidence": 0.4},
                {"entity": "EMAIL_ADDRESS", "confidence": 0.8}]
    assert semantic_type(EMAIL, {}, findings) == "email"
    assert semantic_type(EMAIL, {"E-mail": "url"}, findings) == "url"  # by original name
    assert semantic_type(EMAIL, {"e_mail": ""}, findings) is None  # switched off by warehouse name


def dims(**scores) -> dict:
    return {name: {"score": scores.get(name, 1.0), "threshold": t, "passed": scores.get(name, 1.0) >= t}
            for name, t in DEFAULT_THRESHOLDS.items()}


def rules(**fields) -> QualityRuleSet:
    return QualityRuleSet(dataset=Dataset(name="d", table_name="d"), **fields)


def test_gate_modes_per_dimension_and_check():
    checks = [CheckRecord(CheckKind.SODA, "a", CheckOutcome.FAIL, 3.0),
              CheckRecord(CheckKind.SODA, "b", CheckOutcome.WARN, 1.0),
              CheckRecord(CheckKind.HISTORY, "row_count", CheckOutcome.FAIL, 9.0,
                          message="9 is outside 1 .. 2"),
              CheckRecord(CheckKind.SODA, "c", CheckOutcome.ERROR, message="column x does not exist")]
    decision = decide(dims(completeness=0.9, validity=0.5),
                      checks, rules(completeness_gate=GateMode.BLOCK, check_gates={"c": GateMode.BLOCK}))
    assert decision.outcome == GateOutcome.BLOCKED
    assert decision.blocking == ["completeness 0.900 < 0.95",
                                 "SodaCL check 'c' could not be evaluated (column x does not exist)"]
    assert decision.warnings == ["validity 0.500 < 0.9", "SodaCL check 'a' failed (value 3)",
                                 "SodaCL check 'b' warned (value 1)",
                                 "History check 'row_count' failed (value 9): 9 is outside 1 .. 2"]
    assert [c.gate for c in checks] == ["warn", "", "warn", "block"]
    message = blocked_message("orders", decision)
    assert message.startswith("Quality gate blocked publishing: completeness 0.900 < 0.95; SodaCL check 'c'")
    assert "quality rules of orders" in message


def test_a_clean_run_passes_the_gate():
    assert decide(dims(), [CheckRecord(CheckKind.SODA, "a", CheckOutcome.PASS)], rules()).outcome == "passed"


def test_scores_just_under_the_threshold_do_not_print_as_passing():
    assert decide(dims(completeness=0.9499), [], rules()).warnings == ["completeness 0.950 < 0.95"]


def test_rule_validation_messages():
    columns = [KnownColumn("qty", "qty", "integer"), KnownColumn("price", "price", "decimal")]
    errors = validate_rules([
        {"name": "ok", "kind": "equation", "expression": "price = qty * price"},
        {"name": "bad op", "kind": "order", "left": "qty", "op": "=>", "right": "price"},
        {"name": "ok"},
        {"kind": "order"},
        {"name": "extra", "kind": "order", "colour": "red"},
    ], columns)
    assert errors[0].startswith("Rule 'bad op': operator must be one of")
    assert errors[1].startswith("Rule 'ok': another rule has the same name")
    assert errors[2] == "Rule 'ok': kind must be order, equation or sql."
    assert errors[3] == "Rule 4: give it a name."
    assert errors[4].startswith("Rule 'extra': unknown key(s) colour")


def test_score_tones():
    assert score_tone(0.99) == "good" and score_tone(0.85) == "warn" and score_tone(0.2) == "bad"
    assert score_tone(0.91, 0.9) == "good" and score_tone(0.85, 0.9) == "warn" and score_tone(None) == ""


def test_trend_svg_is_an_inline_chart():
    points = [TrendPoint(i, i, f"2025-01-0{i}T00:00:00", 0.9, {"completeness": 0.8 + i / 100})
              for i in (1, 2)]
    svg = trend_svg(points)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2 and "completeness" in svg
    assert trend_svg([]) == ""
