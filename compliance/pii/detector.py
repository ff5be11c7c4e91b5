"""Column-level PII detection on Presidio, with no model download and no network.

    detector = get_detector()
    findings = detector.detect(ColumnSample("field_3", values))
    finding = detector.finalize(findings[0], rows_matching=9910, rows_non_null=10000, column_name="field_3")

Pure Python (no Django): the pipeline builds samples and runs the SQL counts.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import gc
from collections import Counter
from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

from . import lexicon
from .analysis import (
    candidate_entities,
    is_free_text,
    join_values,
    one_line,
    phone_probe_fails,
    resolve_overlaps,
    value_hits,
)
from .context import FastContextEnhancer
from .custom import CustomPatternRecognizer
from .findings import ColumnFinding, ColumnSample, CustomRecognizerSpec
from .headers import header_words, suggests
from .nlp import LightSpacyNlpEngine
from .offline import ensure_offline
from .patterns import pg_pattern
from .phones import DEFAULT_REGIONS
from .recognizers import CheckedSpacyRecognizer, builtin_recognizers
from .rules import NOUNS, Tally, combine, judge, priority

__all__ = ["ColumnFinding", "ColumnSample", "CustomRecognizerSpec", "PiiDetector", "get_detector"]


DEFAULT_MIN_SHARE = 0.6
DEFAULT_FREE_TEXT_MIN_SHARE = 0.02
WORD_LIST_FREE_TEXT_SHARE = 0.05
WORD_LIST_ENTITIES = ("PERSON", "LOCATION")
# Longer cells are cut for detection: a sample of huge blobs must not stall a run.
MAX_VALUE_LENGTH = 2000


class PiiDetector:
    """Classifies columns (and free-text cells) by the personal data they hold.

    Building one loads word lists and a spaCy pipeline (about two seconds);
    build it once per process with ``get_detector`` and reuse it.

    ``min_share`` is the share of sampled values that must match an entity
    for a structured column to be labelled with it (a header that names the
    entity lowers it to 0.35); ``free_text_min_share`` is the share of cells
    that must contain the entity in a free-text column.
    """

    def __init__(self, *, spacy_model: str | None = None, custom: Sequence[CustomRecognizerSpec] = (),
                 min_share: float = DEFAULT_MIN_SHARE,
                 free_text_min_share: float = DEFAULT_FREE_TEXT_MIN_SHARE,
                 phone_regions: tuple[str, ...] = DEFAULT_REGIONS) -> None:
        ensure_offline()
        lexicon.preload()
        self.min_share = min_share
        self.free_text_min_share = free_text_min_share
        self._custom = {spec.entity: spec for spec in custom}
        self._phone_regions = phone_regions
        self._nlp = LightSpacyNlpEngine(spacy_model)
        self._nlp.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in builtin_recognizers(phone_regions):
            registry.add_recognizer(recognizer)
        for spec in custom:
            registry.add_recognizer(CustomPatternRecognizer(spec))
        if self._nlp.has_ner:
            registry.add_recognizer(CheckedSpacyRecognizer())
        self._analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=self._nlp, supported_languages=["en"],
            context_aware_enhancer=FastContextEnhancer(context_matching_mode="whole_word"),
        )
        self._entities = set(self._analyzer.get_supported_entities("en"))
        self._warm_up()

    def _warm_up(self) -> None:
        # Presidio compiles each pattern on first use (the URL one takes most
        # of a second); pay that here rather than on the first column.
        self._analyzer.analyze("mail a@b.com, call +45 12 34 56 78, visit www.example.com on 1.2.3.4",
                               language="en")

    @property
    def uses_ner(self) -> bool:
        """True when a spaCy model with NER is loaded."""
        return self._nlp.has_ner

    def detect(self, column: ColumnSample) -> list[ColumnFinding]:
        """Findings for one column sample, strongest first; empty when it holds no PII."""
        values = [one_line(str(v).strip())[:MAX_VALUE_LENGTH] for v in column.values
                  if v is not None and str(v).strip()]
        if len(values) < 2:
            return []  # a single value never labels a column
        if is_free_text(values):
            return self._detect_free_text(column.name, values)
        return self._detect_structured(column.name, values)

    def _detect_structured(self, header: str, values: list[str]) -> list[ColumnFinding]:
        counts = Counter(values)
        distinct = list(counts)
        entities = candidate_entities(distinct, self._entities)
        if "PHONE_NUMBER" in entities and phone_probe_fails(
                distinct, suggests("PHONE_NUMBER", header), self._phone_regions):
            entities.remove("PHONE_NUMBER")
        if not entities:
            return []
        text, starts = join_values(distinct)
        results = self._analyzer.analyze(
            text, language="en", entities=entities, context=header_words(header),
            nlp_artifacts=self._nlp.empty_artifacts(),
        )
        tallies: dict[str, Tally] = {}
        for value, hits in zip(distinct, value_hits(results, distinct, starts), strict=True):
            for entity, score in hits.items():
                tallies.setdefault(entity, Tally(entity)).add(value, counts[value], score)
        ranked = sorted(tallies.values(), key=lambda t: (-t.matches, -t.mean_score, priority(t.entity)))
        shares = {t.entity: t.matches / len(values) for t in ranked}
        for tally in ranked:
            verdict = judge(tally.entity, tally, len(values), header, self.min_share, shares)
            if verdict:
                return [self._finding(tally.entity, verdict.evidence, verdict.summary, len(values),
                                      tally.matches, header, free_text=False)]
        return []

    def _detect_free_text(self, header: str, values: list[str]) -> list[ColumnFinding]:
        text, starts = join_values(values)
        results = resolve_overlaps(self._analyzer.analyze(text, language="en", context=header_words(header)))
        n = len(values)
        recurring = _recurring_words(text, results, n)
        cells: dict[str, set[int]] = {}
        scores: dict[str, list[float]] = {}
        for result in results:
            if (result.entity_type, text[result.start:result.end].lower()) in recurring:
                continue
            index = max(0, _index(starts, result.start))
            cells.setdefault(result.entity_type, set()).add(index)
            scores.setdefault(result.entity_type, []).append(result.score)
        findings = []
        for entity, hit_cells in cells.items():
            matches = len(hit_cells)
            if matches < self._free_text_required(entity, n):
                continue
            evidence = sum(scores[entity]) / len(scores[entity])
            noun = NOUNS.get(entity, f"matches of the {entity} pattern")
            summary = f"{matches} of {n} sampled cells contain {noun}"
            findings.append(self._finding(entity, evidence, summary, n, matches, header, free_text=True))
        return sorted(findings, key=lambda f: -f.sample_matches)

    def _free_text_share(self, entity: str) -> float:
        # Names and places come from word lists, which capitalised prose
        # (German nouns, sentence starts) trips now and then: they need more cells.
        if entity in WORD_LIST_ENTITIES:
            return max(self.free_text_min_share, WORD_LIST_FREE_TEXT_SHARE)
        return self.free_text_min_share

    def _free_text_required(self, entity: str, n: int) -> float:
        return max(5 if entity in WORD_LIST_ENTITIES else 3, self._free_text_share(entity) * n)

    def _finding(self, entity: str, evidence: float, summary: str, size: int, matches: int, header: str,
                 *, free_text: bool) -> ColumnFinding:
        named = suggests(entity, header)
        share = matches / size
        custom = self._custom.get(entity)
        pattern = pg_pattern(entity, free_text=free_text, custom_regex=custom.regex if custom else None)
        return ColumnFinding(
            entity=entity,
            confidence=combine(evidence, _confidence_share(share, free_text), named),
            sample_size=size,
            sample_matches=matches,
            share=round(share, 4),
            free_text=free_text,
            pg_pattern=pattern,
            explanation=summary + (f"; column name '{header}'" if named else ""),
            evidence=round(evidence, 4),
            summary=summary,
        )

    def finalize(self, finding: ColumnFinding, *, rows_matching: int, rows_non_null: int,
                 column_name: str) -> ColumnFinding:
        """The finding with confidence and explanation recomputed from the all-rows share.

        ``rows_matching`` comes from counting ``pg_pattern`` over the whole
        column; a share below what the sample needed scales confidence down.
        """
        share = rows_matching / rows_non_null if rows_non_null else 0.0
        named = suggests(finding.entity, column_name)
        confidence = combine(finding.evidence, _confidence_share(share, finding.free_text), named)
        if finding.free_text:
            required = self._free_text_share(finding.entity)
        else:
            required = min(self.min_share, 0.35) if named else self.min_share
        if share < required:
            confidence = round(confidence * share / required, 3)
        summary = finding.summary or finding.explanation.split("; ")[0]
        explanation = f"{summary}; {share * 100:.1f}% of all rows match"
        if named:
            explanation += f"; column name '{column_name}'"
        return dataclasses.replace(finding, confidence=confidence, share=round(share, 4),
                                   explanation=explanation)

    def cell_entities(self, text: str) -> list[tuple[str, int, int, float]]:
        """PII spans in one free-text cell: (entity, start, end, score), for masking."""
        if not text or not text.strip():
            return []
        results = resolve_overlaps(self._analyzer.analyze(text, language="en"))
        return [(r.entity_type, r.start, r.end, round(r.score, 3)) for r in results]


def _recurring_words(text: str, results: list, n: int) -> set[tuple[str, str]]:
    """Names and places that recur in many cells: vocabulary of the text, not data subjects.

    ("Der Kunde" in every other German remark is not a person.)
    """
    seen = Counter((r.entity_type, text[r.start:r.end].lower()) for r in results
                   if r.entity_type in ("PERSON", "LOCATION"))
    limit = max(3, 0.05 * n)
    return {key for key, count in seen.items() if count > limit}


def _index(starts: list[int], position: int) -> int:
    return bisect.bisect_right(starts, position) - 1


def _confidence_share(share: float, free_text: bool) -> float:
    # A quarter of comments holding e-mails is as telling as all values of a column.
    return min(1.0, share / 0.25) if free_text else share


@functools.lru_cache(maxsize=8)
def _cached_detector(spacy_model: str | None, custom: tuple[CustomRecognizerSpec, ...], min_share: float,
                     free_text_min_share: float) -> PiiDetector:
    detector = PiiDetector(spacy_model=spacy_model, custom=custom, min_share=min_share,
                           free_text_min_share=free_text_min_share)
    _out_of_the_collectors_sight()
    return detector


def _out_of_the_collectors_sight() -> None:
    """Move what the process holds now, the detector included, out of the garbage collector's walks.

    The detector's word lists, Presidio and spaCy are a few million objects that
    live as long as the process. Left in the oldest generation, each full
    collection walks them all again: over a second of a one-million-row ingest,
    half of it at exit. The young generations' garbage is collected first, so that
    what is frozen is live: a full collection walks the whole heap (0.08 s) and,
    measured after a build, finds nothing more.
    """
    gc.collect(1)
    gc.freeze()


def get_detector(*, spacy_model: str | None = None, custom: Sequence[CustomRecognizerSpec] = (),
                 min_share: float = DEFAULT_MIN_SHARE,
                 free_text_min_share: float = DEFAULT_FREE_TEXT_MIN_SHARE) -> PiiDetector:
    """A shared detector for these settings, built on first use and reused after.

    Custom specs are part of the cache key, so editing them in the admin
    gives a new detector on the next call.
    """
    return _cached_detector(spacy_model, tuple(custom), min_share, free_text_min_share)
