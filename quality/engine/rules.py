"""Cross-field rules: declared ones compiled to SQL, plus automatic pairs.

Every rule becomes one boolean SQL predicate. The measurement counts, in the
same pass as everything else, the rows where the predicate is FALSE
(violations) and where it is not NULL (applicable rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql

from .expressions import compile_arith, compile_condition, split_equation
from .spec import ColumnIndex, ColumnSpec, CrossFieldRule, QualityConfigError

ORDER_OPERATORS = ("<", "<=", ">", ">=", "=", "<>")

# Token pairs that name the two ends of an interval. Only temporal columns
# are paired: numeric "from_account"/"to_account" are not an order.
_PAIR_TOKENS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("created", ("updated", "modified", "changed")),
    ("start", ("end",)),
    ("starts", ("ends",)),
    ("started", ("ended", "finished", "completed")),
    ("begin", ("end",)),
    ("from", ("to", "until")),
)


@dataclass
class CompiledRule:
    """A rule ready to be counted: its predicate and the columns it reads."""

    rule: CrossFieldRule
    predicate: sql.Composable
    columns: list[str]


def compile_rule(rule: CrossFieldRule, index: ColumnIndex) -> CompiledRule:
    """Turn a rule into a predicate; raises QualityConfigError with the rule's name."""
    try:
        if rule.kind == "order":
            if not rule.left or not rule.right:
                raise QualityConfigError("an order rule needs left and right")
            if rule.op not in ORDER_OPERATORS:
                raise QualityConfigError(f"operator must be one of {' '.join(ORDER_OPERATORS)}")
            left = compile_arith(rule.left, index)
            right = compile_arith(rule.right, index)
            predicate = sql.SQL("({} {} {})").format(left.sql, sql.SQL(rule.op), right.sql)
            columns = _merge(left.columns, right.columns)
        elif rule.kind == "equation":
            if rule.expression:
                lhs_text, rhs_text = split_equation(rule.expression)
            elif rule.left and rule.right:
                lhs_text, rhs_text = rule.left, rule.right
            else:
                raise QualityConfigError("an equation rule needs an expression 'lhs = rhs'")
            lhs = compile_arith(lhs_text, index)
            rhs = compile_arith(rhs_text, index)
            predicate = sql.SQL("(abs({} - {}) <= {})").format(lhs.sql, rhs.sql, sql.Literal(rule.tolerance))
            columns = _merge(lhs.columns, rhs.columns)
        else:
            if not rule.expression:
                raise QualityConfigError("an sql rule needs an expression")
            cond = compile_condition(rule.expression, index)
            predicate, columns = cond.sql, cond.columns
    except QualityConfigError as exc:
        raise QualityConfigError(f"rule {rule.name!r}: {exc}") from None
    if not columns:
        raise QualityConfigError(f"rule {rule.name!r}: refers to no column")
    return CompiledRule(rule, predicate, columns)


def _column_of(index: ColumnIndex, ref: str | None) -> str | None:
    spec = index.get(ref) if ref else None
    return spec.column if spec else ref


def _merge(a: list[str], b: list[str]) -> list[str]:
    return a + [c for c in b if c not in a]


def automatic_rules(columns: list[ColumnSpec]) -> list[CrossFieldRule]:
    """Find interval pairs among temporal columns by name (created/updated, start/end...).

    Names are compared token by token (split on ``_``), so ``created_at``
    pairs with ``updated_at`` and ``date_start`` with ``date_end``, while
    ``restart_at`` pairs with nothing.
    """
    temporal = [c for c in columns if c.is_temporal]
    by_column = {c.column: c for c in temporal}
    rules: list[CrossFieldRule] = []
    seen: set[tuple[str, str]] = set()
    for spec in temporal:
        tokens = spec.column.lower().split("_")
        for first, seconds in _PAIR_TOKENS:
            first_tokens = first.split("_")
            width = len(first_tokens)
            for pos in range(len(tokens) - width + 1):
                if tokens[pos : pos + width] != first_tokens:
                    continue
                for second in seconds:
                    candidate = "_".join(tokens[:pos] + second.split("_") + tokens[pos + width :])
                    other = by_column.get(candidate)
                    if other is None or (spec.column, other.column) in seen:
                        continue
                    seen.add((spec.column, other.column))
                    rules.append(
                        CrossFieldRule(
                            name=f"{spec.name} <= {other.name}",
                            kind="order",
                            left=spec.column,
                            right=other.column,
                            op="<=",
                            automatic=True,
                        )
                    )
    return rules


def collect_rules(
    columns: list[ColumnSpec], declared: list[CrossFieldRule], include_automatic: bool
) -> tuple[list[CompiledRule], dict[str, str]]:
    """Compile declared and automatic rules; return them with per-rule errors.

    A rule that does not compile is reported under its name and left out of
    the score rather than failing the whole measurement: one typo in a rule
    should not hide the other five dimensions.
    """
    index = ColumnIndex(columns)
    compiled: list[CompiledRule] = []
    errors: dict[str, str] = {}
    names: set[str] = set()
    candidates = list(declared)
    if include_automatic:
        declared_pairs = {
            (_column_of(index, r.left), _column_of(index, r.right)) for r in declared if r.kind == "order"
        }
        for auto in automatic_rules(columns):
            if (auto.left, auto.right) not in declared_pairs and auto.name not in {r.name for r in declared}:
                candidates.append(auto)
    for rule in candidates:
        if rule.name in names:
            errors[rule.name] = "another rule has the same name"
            continue
        names.add(rule.name)
        try:
            compiled.append(compile_rule(rule, index))
        except QualityConfigError as exc:
            errors[rule.name] = str(exc)
    return compiled, errors
