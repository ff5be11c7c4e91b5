"""Stand-ins for other apps' stages (PII detection, masking, quality) with fixed, known outputs.

They fill ``RunContext`` exactly as the real stages' contract says, so the
catalog and lineage can be tested without Presidio or Soda in the loop.
"""
from __future__ import annotations

from psycopg import sql

from pipeline.stages.base import RunContext, Stage

BASE_CHAIN = [
    "pipeline.stages.explore.ExploreStage",
    "pipeline.stages.chart.ChartStage",
    "pipeline.stages.profile.ProfileStage",
]
TAIL = [
    "pipeline.stages.navigate.NavigateStage",
    "catalog.stages.CatalogStage",
    "lineage.stages.LineageStage",
]
FAKES = [
    "catalog.tests.stages.FakePiiStage",
    "catalog.tests.stages.FakeQualityStage",
    "catalog.tests.stages.FakeMaskingStage",
]
CHAIN_WITH_FAKES = [*BASE_CHAIN, *FAKES, *TAIL]


class FakePiiStage(Stage):
    """Finds an e-mail address in every column whose name mentions "email", and nothing else."""

    name = "pii"
    label = "Detecting PII (test stand-in)"

    def run(self, context: RunContext) -> None:
        context.pii = {
            c.warehouse_name: [{"entity": "EMAIL_ADDRESS", "confidence": 0.97}]
            for c in context.present_columns() if "email" in c.name.lower()
        }


class FakeMaskingStage(Stage):
    """Masks every PII column in navigate with md5, naming the policy ``hash_email``."""

    name = "mask"
    label = "Masking (test stand-in)"

    def run(self, context: RunContext) -> None:
        for column in context.pii:
            context.masking[column] = "hash_email"
            context.navigate_expressions[column] = (
                sql.SQL("md5({}::text)").format(sql.Identifier("c", column)), "text"
            )


class FakeQualityStage(Stage):
    """A quality report shaped as DESIGN.md says, with completeness failing on purpose."""

    name = "quality"
    label = "Checking quality (test stand-in)"

    def run(self, context: RunContext) -> None:
        columns = {c.name: 1.0 for c in context.present_columns()}
        dimensions = {
            name: {"score": 1.0, "threshold": 0.9, "passed": True, "columns": dict(columns), "rules": {}}
            for name in ("uniqueness", "timeliness", "validity", "accuracy", "consistency")
        }
        dimensions["completeness"] = {
            "score": 0.5,
            "threshold": 0.9,
            "passed": False,
            "columns": dict(columns),
            "rules": {"email_or_phone": 0.5},
        }
        context.quality = {"overall_score": 0.917, "dimensions": dimensions}
