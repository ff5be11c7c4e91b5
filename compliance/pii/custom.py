"""Steward-defined recognizers: a regex, context words and an optional checksum."""
from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from .findings import CustomRecognizerSpec
from .validators import VALIDATORS, get_validator

_ENTITY_NAME = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")


def spec_errors(spec: CustomRecognizerSpec) -> list[str]:
    """What is wrong with a spec, in words a steward can act on (empty when it is fine)."""
    errors = []
    if not _ENTITY_NAME.match(spec.entity):
        errors.append("The entity name must be UPPER_SNAKE_CASE, e.g. EMPLOYEE_ID.")
    try:
        compiled = re.compile(spec.regex)
    except re.error as exc:
        errors.append(f"The regex does not compile: {exc}.")
    else:
        if compiled.match(""):
            errors.append("The regex matches the empty string; it would match every value.")
    if not 0 < spec.score <= 1:
        errors.append("The score must be above 0 and at most 1.")
    if spec.validator and spec.validator not in VALIDATORS:
        known = ", ".join(sorted(VALIDATORS))
        errors.append(f"Unknown validator {spec.validator!r}; choose one of: {known}.")
    return errors


class CustomPatternRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer built from a ``CustomRecognizerSpec``."""

    def __init__(self, spec: CustomRecognizerSpec) -> None:
        errors = spec_errors(spec)
        if errors:
            raise ValueError(f"Custom recognizer {spec.entity!r}: " + " ".join(errors))
        self._validator = get_validator(spec.validator) if spec.validator else None
        super().__init__(
            supported_entity=spec.entity,
            name=f"custom:{spec.entity}",
            patterns=[Pattern(spec.entity.lower(), spec.regex, spec.score)],
            context=[word.lower() for word in spec.context] or None,
            # Case-sensitive as written, and never across values (no DOTALL).
            global_regex_flags=re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:  # noqa: D102
        return None if self._validator is None else self._validator(pattern_text)
