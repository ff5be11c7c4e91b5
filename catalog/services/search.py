"""Catalog search: PostgreSQL full-text search, plus trigram similarity for typos where pg_trgm exists.

Each dataset keeps a weighted ``search_vector`` and a plain ``search_text``
(``index_dataset``): its name weighs most, then its tags and description, then
its columns' names and tags, then their descriptions. A query matches by
full-text search (ranked by ``SearchRank``) or, when the server has
``pg_trgm``, by word similarity, so ``custmer`` still finds ``customers``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest

from catalog.models import Dataset

SEARCH_CONFIG = "english"
# word_similarity above this counts as a match: "custmer" ~ "customers" is about 0.7,
# unrelated words stay well below.
TRIGRAM_THRESHOLD = 0.5
# How much a perfect trigram match adds to the full-text rank when ordering results.
TRIGRAM_WEIGHT = 0.5
_SEPARATORS = re.compile(r"[_.\-/]+")
_trigram_cache: dict[str, bool] = {}


def trigram_available(using: str = "default") -> bool:
    """Whether the database has the pg_trgm extension installed (checked once per database)."""
    connection = connections[using]
    key = f"{using}:{connection.settings_dict.get('NAME')}"
    if key not in _trigram_cache:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
            _trigram_cache[key] = bool(cursor.fetchone()[0])
    return _trigram_cache[key]


def words(text: str) -> str:
    """``customer_orders.csv`` → ``customer_orders.csv customer orders csv``: identifiers split into words."""
    text = text or ""
    split = _SEPARATORS.sub(" ", text)
    return text if split == text else f"{text} {split}"


def _join(parts: Iterable[str]) -> str:
    return " ".join(p for p in parts if p)


def index_dataset(dataset: Dataset) -> None:
    """Recompute the dataset's ``search_vector`` and ``search_text`` from its current catalog entry."""
    tags = [t.name for t in dataset.tags.all()] + [t.name for t in dataset.system_tags.all()]
    columns = list(dataset.columns.prefetch_related("tags", "system_tags"))
    column_names = _join(words(c.name) for c in columns)
    column_tags = _join(t.name for c in columns for t in [*c.tags.all(), *c.system_tags.all()])
    column_descriptions = _join(c.description for c in columns)
    weighted = {
        "A": _join([words(dataset.name)]),
        "B": _join([_join(words(t) for t in tags), dataset.description]),
        "C": _join([column_names, column_tags]),
        "D": column_descriptions,
    }
    vector = None
    for weight, text in weighted.items():
        part = SearchVector(Value(text), weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    Dataset.objects.filter(pk=dataset.pk).update(
        search_vector=vector,
        search_text=_join([dataset.name, _join(tags), column_names, column_tags, dataset.description,
                           column_descriptions]),
    )


def index_datasets(queryset: QuerySet[Dataset] | None = None) -> int:
    """Re-index many datasets (all by default); returns how many."""
    count = 0
    for dataset in (queryset if queryset is not None else Dataset.objects.all()).iterator(chunk_size=200):
        index_dataset(dataset)
        count += 1
    return count


def has_operators(text: str) -> bool:
    """Whether the query uses web-search syntax (a phrase, an exclusion, ``or``): then no typo matching."""
    return (
        '"' in text
        or re.search(r"(^|\s)-\w", text) is not None
        or re.search(r"\sor\s", text, re.I) is not None
    )


def search_datasets(queryset: QuerySet[Dataset], text: str) -> QuerySet[Dataset]:
    """Datasets matching ``text``, best first, annotated with ``search_score``.

    Accepts web-search syntax (``"exact phrase"``, ``-excluded``, ``or``). Full-text
    matches come first, ranked; with pg_trgm, near misses (typos) follow them,
    unless the query uses that syntax. Without pg_trgm only full-text matches are found.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    queryset = queryset.annotate(
        search_rank=Coalesce(SearchRank(F("search_vector"), query), Value(0.0), output_field=FloatField()),
        full_text=Case(
            When(search_vector=query, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )
    matches = Q(full_text=1)
    score = F("search_rank")
    if trigram_available(queryset.db) and not has_operators(text):
        queryset = queryset.annotate(
            similarity=Greatest(
                TrigramWordSimilarity(text, "name"), TrigramWordSimilarity(text, "search_text"),
                output_field=FloatField(),
            )
        )
        matches |= Q(similarity__gte=TRIGRAM_THRESHOLD)
        score = score + F("similarity") * TRIGRAM_WEIGHT
    return (
        queryset.filter(matches).annotate(search_score=score).order_by("-full_text", "-search_score", "name")
    )
