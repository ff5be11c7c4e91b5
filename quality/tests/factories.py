"""Factories for quality reports that pages, API and admin tests show without running the chain."""

from __future__ import annotations

import factory

from pipeline.tests.run_factories import PipelineRunFactory
from quality.choices import CheckKind, CheckOutcome, GateOutcome
from quality.engine import DIMENSIONS
from quality.engine.spec import DEFAULT_THRESHOLDS
from quality.models import CheckResult, QualityReport


def dimensions_for(scores: dict[str, float], columns: tuple[str, ...] = ("id", "email")) -> dict:
    """The ``dimensions`` JSON of a report with these scores (1.0 where not given)."""
    result = {}
    for name in DIMENSIONS:
        score = scores.get(name, 1.0)
        threshold = DEFAULT_THRESHOLDS[name]
        result[name] = {
            "score": score,
            "threshold": threshold,
            "passed": score >= threshold,
            "columns": {c: score for c in columns},
            "rules": {},
            "details": {},
        }
    return result


class QualityReportFactory(factory.django.DjangoModelFactory):
    """A report of a succeeded run; ``scores={"completeness": 0.5}`` sets dimension scores."""

    class Meta:
        model = QualityReport

    class Params:
        scores: dict = {}

    run = factory.SubFactory(PipelineRunFactory)
    dataset = factory.LazyAttribute(lambda r: r.run.dataset)
    dimensions = factory.LazyAttribute(lambda r: dimensions_for(r.scores))
    overall_score = factory.LazyAttribute(lambda r: sum(d["score"] for d in r.dimensions.values()) / 6)
    passed = factory.LazyAttribute(lambda r: all(d["passed"] for d in r.dimensions.values()))
    gate = factory.LazyAttribute(lambda r: GateOutcome.PASSED if r.passed else GateOutcome.WARNED)
    measured_rows = 10
    completeness_score = factory.LazyAttribute(lambda r: r.dimensions["completeness"]["score"])
    uniqueness_score = factory.LazyAttribute(lambda r: r.dimensions["uniqueness"]["score"])
    timeliness_score = factory.LazyAttribute(lambda r: r.dimensions["timeliness"]["score"])
    validity_score = factory.LazyAttribute(lambda r: r.dimensions["validity"]["score"])
    accuracy_score = factory.LazyAttribute(lambda r: r.dimensions["accuracy"]["score"])
    consistency_score = factory.LazyAttribute(lambda r: r.dimensions["consistency"]["score"])


class CheckResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckResult

    report = factory.SubFactory(QualityReportFactory)
    kind = CheckKind.SODA
    name = factory.Sequence(lambda n: f"row_count > {n}")
    outcome = CheckOutcome.PASS
    value = 10.0
    definition = factory.LazyAttribute(lambda c: c.name)
