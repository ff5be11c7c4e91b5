"""The PII inventory: turning a scan into ``PiiFinding`` rows, with stewards' decisions kept.

A decision (confirmed, rejected) sticks across scans while the column's
content stays the same in substance. It goes back to *suggested* when the
content changes materially, compared with what the column held when the
decision was made (``reviewed_fingerprint``):

- the column's winning entity changed (e-mails became phone numbers);
- the column changed from structured values to free text or back;
- its type changed;
- the share of matching values moved by ``ATLAS_PII_MATERIAL_CHANGE``
  (default 0.2) or more.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from catalog.models import Column, Dataset
from catalog.services import pii as catalog_pii
from compliance import conf
from compliance.choices import AuditAction, FindingStatus
from compliance.models import PiiFinding
from compliance.services import audit
from compliance.services.scanning import ColumnScan


def fingerprint(scan: ColumnScan, entity: str) -> dict:
    """What the column held at this scan, as far as ``entity`` is concerned."""
    finding = next((f for f in scan.findings if f.entity == entity), None)
    return {
        "winner": scan.winner,
        "share": round(finding.share, 4) if finding else 0.0,
        "free_text": bool(finding.free_text if finding else (scan.findings and scan.findings[0].free_text)),
        "type": scan.target.data_type,
    }


def material_change(before: dict, after: dict) -> str | None:
    """Why the content changed materially between two fingerprints, or None when it did not."""
    if not before:
        return None
    if before.get("winner") != after.get("winner"):
        old, new = before.get("winner") or "none", after.get("winner") or "none"
        return f"the column's main entity changed from {old} to {new}"
    if before.get("type") != after.get("type"):
        return f"the column's type changed from {before.get('type')} to {after.get('type')}"
    if bool(before.get("free_text")) != bool(after.get("free_text")):
        return "the column changed between structured values and free text"
    old, new = float(before.get("share") or 0), float(after.get("share") or 0)
    if abs(new - old) >= conf.material_share_change():
        return f"the share of matching values moved from {old:.0%} to {new:.0%}"
    return None


def _apply(finding: PiiFinding, result, scan: ColumnScan, run) -> None:
    finding.confidence = round(float(result.confidence), 4)
    finding.share = round(float(result.share), 4)
    finding.sample_size = result.sample_size
    finding.sample_matches = result.sample_matches
    finding.rows_non_null = scan.target.non_null
    finding.rows_matching = round(result.share * scan.target.non_null)
    finding.free_text = bool(result.free_text)
    finding.explanation = result.explanation
    finding.current = True
    if run is not None:
        finding.last_run = run


def _resuggest(finding: PiiFinding, reason: str) -> None:
    previous = finding.status
    finding.status = FindingStatus.SUGGESTED
    finding.review_note = f"Re-suggested: {reason}."[:500]
    audit.record(AuditAction.RESUGGEST, f"{finding.entity} in {finding.column}: {reason} (was {previous})",
                 dataset=finding.dataset, column=finding.column, finding=finding.pk, was=previous,
                 reason=reason)


@transaction.atomic
def record_scan(dataset: Dataset, run, scans: Iterable[ColumnScan],
                columns: dict[str, Column]) -> list[PiiFinding]:
    """Create or update findings for the scanned columns; returns every finding of those columns."""
    scans = list(scans)
    scanned = [columns[s.target.warehouse_name] for s in scans if s.target.warehouse_name in columns]
    existing: dict[tuple[int, str], PiiFinding] = {
        (f.column_id, f.entity): f
        for f in PiiFinding.objects.filter(column__in=scanned).select_related("column", "dataset")
    }
    kept: list[PiiFinding] = []
    for scan in scans:
        column = columns.get(scan.target.warehouse_name)
        if column is None:
            continue
        found = {f.entity: f for f in scan.findings}
        for entity, result in found.items():
            finding = existing.pop((column.pk, entity), None)
            if finding is None:
                finding = PiiFinding(dataset=dataset, column=column, entity=entity, first_run=run)
            _apply(finding, result, scan, run)
            finding.fingerprint = fingerprint(scan, entity)
            if finding.status != FindingStatus.SUGGESTED:
                reason = material_change(finding.reviewed_fingerprint, finding.fingerprint)
                if reason:
                    _resuggest(finding, reason)
            finding.save()
            kept.append(finding)
        for (column_id, entity), finding in list(existing.items()):
            if column_id != column.pk:
                continue
            existing.pop((column_id, entity))
            finding.current = False
            finding.fingerprint = fingerprint(scan, entity)
            if finding.status != FindingStatus.SUGGESTED:
                reason = material_change(finding.reviewed_fingerprint, finding.fingerprint)
                if reason:
                    _resuggest(finding, reason)
            finding.save()
            kept.append(finding)
    return kept


def report_entries(findings: Iterable[PiiFinding]) -> dict[str, list[dict]]:
    """``context.pii``: per warehouse column, its current findings that a steward has not rejected."""
    entries: dict[str, list[dict]] = {}
    for f in findings:
        if not f.current or f.status == FindingStatus.REJECTED:
            continue
        entries.setdefault(f.column.warehouse_name, []).append({
            "entity": f.entity, "confidence": f.confidence, "share": f.share, "status": f.status,
            "free_text": f.free_text, "masking": f.masking, "explanation": f.explanation,
        })
    for items in entries.values():
        items.sort(key=lambda item: -item["confidence"])
    return entries


def refresh_catalog(dataset: Dataset, columns: Iterable[Column] | None = None) -> None:
    """Bring ``Column.pii_entity``/``pii_confidence`` and the dataset's PII summary in line with findings."""
    columns = list(columns) if columns is not None else list(dataset.columns.filter(present=True))
    findings = PiiFinding.objects.filter(column__in=columns, current=True) \
        .exclude(status=FindingStatus.REJECTED)
    by_column: dict[int, list[dict]] = {}
    for f in findings:
        by_column.setdefault(f.column_id, []).append({"entity": f.entity, "confidence": f.confidence})
    for column in columns:
        catalog_pii.classify_column(column, by_column.get(column.pk, []))
        column.save(update_fields=["pii_entity", "pii_confidence", "updated"])
    dataset.pii_summary = catalog_pii.summarize(dataset)
    dataset.save(update_fields=["pii_summary", "updated"])
