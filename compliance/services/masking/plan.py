"""Which columns are masked in navigate, and how.

Safe by default: a finding masks its column when a steward **confirmed** it,
or when it is still **suggested** with a confidence at or above
``ATLAS_PII_MASK_SUGGESTED_CONFIDENCE`` (0.8), so a new column holding card
numbers is masked before anyone has looked at it. A **rejected** finding
never masks. A confirmed finding keeps masking even when a later scan no
longer finds it, until a material change sends it back to review.

The action comes from the column's override when it has one (an override
may also mask a column with no finding, or keep one unmasked), otherwise
from the entity's ``MaskingPolicy`` (``DEFAULT_POLICIES`` when none exists).
When several findings mask one structured column, the strictest action
wins. In a free-text column each entity keeps its own action, applied to
the matching spans only.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from catalog.models import Dataset
from compliance import conf
from compliance.choices import DEFAULT_POLICIES, FindingStatus, MaskingAction
from compliance.models import ColumnMaskingOverride, CustomRecognizer, MaskingPolicy, PiiFinding

# Least to most protective; the strictest action of a column's findings wins.
STRICTNESS = (MaskingAction.KEEP, MaskingAction.MASK, MaskingAction.HASH, MaskingAction.ENCRYPT,
              MaskingAction.REDACT, MaskingAction.DROP)
DEFAULT_ACTION = MaskingAction.HASH  # an entity with no policy (a new custom one) is pseudonymised
DEFAULT_VISIBLE = 4


@dataclass
class ColumnMask:
    """What publishing does to one column: one action, or per-entity actions on free-text spans."""

    warehouse_name: str
    data_type: str
    action: str
    visible_chars: int = DEFAULT_VISIBLE
    reason: str = ""
    free_text: bool = False
    # Free text: entity → (action, visible characters).
    entities: dict[str, tuple[str, int]] = field(default_factory=dict)
    patterns: list[str | None] = field(default_factory=list)  # free text: rows worth reading

    @property
    def masked(self) -> bool:
        return self.action != MaskingAction.KEEP

    @property
    def in_python(self) -> bool:
        """Done after the navigate insert: free-text spans, and encryption (Fernet is not SQL)."""
        return self.free_text or self.action == MaskingAction.ENCRYPT

    @property
    def label(self) -> str:
        """The policy name recorded for lineage (``context.masking``)."""
        if self.free_text:
            return "free text: " + ", ".join(f"{e} {a}" for e, (a, _) in sorted(self.entities.items()))
        return str(self.action)


@dataclass
class MaskingPlan:
    """The masks of one publish, by warehouse column (``keep`` entries record a deliberate no-mask)."""

    columns: dict[str, ColumnMask] = field(default_factory=dict)

    def python_columns(self) -> list[ColumnMask]:
        return [m for m in self.columns.values()
                if m.masked and m.in_python and m.action != MaskingAction.DROP]

    def action_for(self, finding: PiiFinding) -> str:
        """What the publish did to ``finding``'s values ('' = nothing)."""
        mask = self.columns.get(finding.column.warehouse_name)
        if mask is None:
            return ""
        if mask.free_text and mask.action != MaskingAction.DROP:
            return mask.entities.get(finding.entity, ("", 0))[0]
        return mask.action


def masks(finding: PiiFinding) -> bool:
    """Whether ``finding`` masks its column (see the module docstring)."""
    if finding.status == FindingStatus.CONFIRMED:
        return True
    if finding.status == FindingStatus.REJECTED or not finding.current:
        return False
    return finding.confidence >= conf.mask_suggested_confidence()


def masking_findings(findings: Iterable[PiiFinding]) -> list[PiiFinding]:
    return [f for f in findings if masks(f)]


def strictest(actions: Iterable[str]) -> str:
    return max(actions, key=STRICTNESS.index, default=MaskingAction.KEEP)


def _policies() -> dict[str, tuple[str, int]]:
    return {p.entity: (p.action, p.visible_chars) for p in MaskingPolicy.objects.all()}


def policy_for(entity: str, policies: dict[str, tuple[str, int]]) -> tuple[str, int]:
    """The entity's (action, visible characters): its policy, the shipped default, or hash."""
    return policies.get(entity) or (DEFAULT_POLICIES.get(entity, DEFAULT_ACTION), DEFAULT_VISIBLE)


def _text_patterns(entities: Iterable[str]) -> list[str | None]:
    from compliance.pii.patterns import pg_pattern

    custom = dict(CustomRecognizer.objects.filter(active=True).values_list("entity", "regex"))
    return [pg_pattern(e, free_text=True, custom_regex=custom.get(e)) for e in sorted(entities)]


def _column_mask(warehouse_name: str, data_type: str, findings: Sequence[PiiFinding],
                 policies: dict[str, tuple[str, int]]) -> ColumnMask:
    structured = [f for f in findings if not f.free_text]
    if structured:
        chosen = {f.entity: policy_for(f.entity, policies) for f in structured}
        action = strictest(a for a, _ in chosen.values())
        entity = next(e for e, (a, _) in chosen.items() if a == action)
        return ColumnMask(warehouse_name, data_type, action, chosen[entity][1], reason=f"{entity} policy")
    entities = {f.entity: policy_for(f.entity, policies) for f in findings}
    entities = {e: p for e, p in entities.items() if p[0] != MaskingAction.KEEP}
    if not entities:
        return ColumnMask(warehouse_name, data_type, MaskingAction.KEEP, reason="entity policies keep")
    action = strictest(a for a, _ in entities.values())
    return ColumnMask(warehouse_name, data_type, action, reason="entity policies on free text",
                      free_text=True, entities=entities, patterns=_text_patterns(entities))


def build_plan(dataset: Dataset, columns: Sequence, findings: Iterable[PiiFinding]) -> MaskingPlan:
    """The masks for publishing ``columns`` (with ``warehouse_name``, ``data_type``) of ``dataset``."""
    overrides = {
        o.column.warehouse_name: o
        for o in ColumnMaskingOverride.objects.filter(column__dataset=dataset).select_related("column")
    }
    policies = _policies()
    by_column: dict[str, list[PiiFinding]] = {}
    for finding in masking_findings(findings):
        by_column.setdefault(finding.column.warehouse_name, []).append(finding)
    plan = MaskingPlan()
    for column in columns:
        name = column.warehouse_name
        override = overrides.get(name)
        if override is not None:
            plan.columns[name] = ColumnMask(name, column.data_type, override.action, override.visible_chars,
                                            reason="column override")
        elif name in by_column:
            plan.columns[name] = _column_mask(name, column.data_type, by_column[name], policies)
    return plan
