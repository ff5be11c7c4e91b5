"""The PII stages of a run.

``PiiStage`` (after profile, before quality and navigate) scans the run's
chart rows, records the findings in the inventory, fills ``context.pii``
for the run report, and plans the masking: structured columns get SQL
expressions in ``context.navigate_expressions`` (or go to
``context.navigate_dropped``), so navigate is written masked in one insert.

``NavigateMaskingStage`` (right after navigate) finishes what SQL cannot:
free-text spans through presidio-anonymizer, and Fernet encryption.
"""
from __future__ import annotations

from compliance import conf
from compliance.choices import MaskingAction
from compliance.models import PiiFinding
from compliance.services import engine, inventory
from compliance.services.masking import build_plan
from compliance.services.masking.expressions import expression, set_hmac_keys
from compliance.services.masking.publish import apply_column
from compliance.services.scanning import ScanTarget, scan
from pipeline.stages.base import RunContext, Stage

PLAN_KEY = "pii_masking_plan"


def scan_targets(context: RunContext) -> list[ScanTarget]:
    """This run's columns with their non-null counts from the profile."""
    targets = []
    for column in context.present_columns():
        stats = context.profile.get(column.warehouse_name, {})
        targets.append(ScanTarget(column.name, column.warehouse_name, column.data_type,
                                  int(stats.get("non_null", 0))))
    return targets


class PiiStage(Stage):
    """Finds personal data in the run's columns, keeps the inventory, and plans masking for navigate."""

    name = "pii"
    label = "Detecting personal data"
    weight = 1.0

    def warm_up(self, context: RunContext):
        return engine.warm_up()

    def run(self, context: RunContext) -> None:
        columns = {c.warehouse_name: c for c in context.dataset.columns.all()}
        targets = scan_targets(context)
        findings: list[PiiFinding] = []
        if any(t.non_null for t in targets):
            context.progress.update(0.02, "loading the detector")
            detector = engine.detector()
            scans = scan(context.cursor, detector, context.table, context.run_id, targets, conf.sample_size(),
                         progress=lambda share, message: context.progress.update(0.05 + 0.8 * share, message))
            findings = inventory.record_scan(context.dataset, context.run, scans, columns)
        present = [columns[t.warehouse_name] for t in targets if t.warehouse_name in columns]
        # Confirmed findings of present columns mask even when this scan no longer found them.
        seen = [f.pk for f in findings]
        findings += PiiFinding.objects.filter(column__in=present).exclude(pk__in=seen).select_related(
            "column")
        self._plan_masking(context, findings)
        context.pii = inventory.report_entries(findings)
        found = sum(len(v) for v in context.pii.values())
        context.progress.update(1.0, f"{found} finding(s) in {len(context.pii)} column(s)")

    def _plan_masking(self, context: RunContext, findings: list[PiiFinding]) -> None:
        plan = build_plan(context.dataset, context.present_columns(), findings)
        if any(m.action == MaskingAction.HASH and not m.free_text for m in plan.columns.values()):
            set_hmac_keys(context.cursor)
        for name, mask in plan.columns.items():
            if not mask.masked:
                continue
            context.masking[name] = mask.label
            if mask.action == MaskingAction.DROP:
                context.navigate_dropped.add(name)
                continue
            planned = expression(mask)
            if planned is not None:
                context.navigate_expressions[name] = planned
        context.extra[PLAN_KEY] = plan
        for finding in findings:
            finding.masking = plan.action_for(finding)
        PiiFinding.objects.bulk_update(findings, ["masking"])


class NavigateMaskingStage(Stage):
    """After the navigate insert: anonymizes flagged free-text cells and encrypts encrypt-policy columns."""

    name = "pii_masking"
    label = "Masking free text in navigate"
    weight = 0.3

    def able_to_run(self, context: RunContext) -> bool:
        plan = context.extra.get(PLAN_KEY)
        return bool(plan and plan.python_columns() and context.counts.get("published", 0))

    def run(self, context: RunContext) -> None:
        masks = context.extra[PLAN_KEY].python_columns()
        detector = engine.detector() if any(m.free_text for m in masks) else None
        for number, mask in enumerate(masks, start=1):
            changed = apply_column(context.cursor, context.table, context.run_id, mask, detector)
            context.progress.update(number / len(masks), f"{mask.warehouse_name}: {changed:,} values masked")
