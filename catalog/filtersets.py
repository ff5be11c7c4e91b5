"""Catalog filtersets: one per model, shared by the pages and the API."""
from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from catalog.choices import ColumnType, TagKind
from catalog.models import Column, Dataset, Tag
from catalog.services.search import search_datasets


class MultiValueTextInput(forms.TextInput):
    """A text input that also accepts the parameter repeated: ``?tag=a&tag=b`` as well as ``?tag=a,b``."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)


class NameListField(forms.Field):
    """A list of names from repeated or comma-separated values."""

    widget = MultiValueTextInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [part.strip() for item in values for part in str(item).split(",") if part.strip()]


class NameListFilter(filters.Filter):
    field_class = NameListField


def _tagged(tag_name: str) -> Q:
    """Datasets carrying the tag themselves (set by people or Atlas) or on one of their columns."""
    columns = Column.objects.filter(dataset=OuterRef("pk")).filter(
        Q(tags__name__iexact=tag_name) | Q(system_tags__name__iexact=tag_name)
    )
    return Q(tags__name__iexact=tag_name) | Q(system_tags__name__iexact=tag_name) | Q(Exists(columns))


class DatasetFilterSet(filters.FilterSet):
    """``?search=`` (ranked, typo-tolerant), ``?tag=`` (all of), owner, PII, quality, breaking change."""

    search = filters.CharFilter(method="filter_search", label="Search")
    tag = NameListFilter(method="filter_tag", label="Tag")
    owner = filters.CharFilter(method="filter_owner", label="Owner (username)")
    pii = filters.BooleanFilter(method="filter_pii", label="Holds personal data")
    pii_entity = filters.CharFilter(method="filter_pii_entity", label="PII entity")
    quality_min = filters.NumberFilter(
        field_name="quality_score", lookup_expr="gte", label="Quality at least"
    )
    quality_max = filters.NumberFilter(field_name="quality_score", lookup_expr="lte", label="Quality at most")
    breaking = filters.BooleanFilter(field_name="breaking_change", label="Breaking schema change")

    class Meta:
        model = Dataset
        fields = ("load_mode",)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_datasets(queryset, value)

    def filter_tag(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        for tag_name in value:
            ids = Dataset.objects.filter(_tagged(tag_name)).values("pk")
            queryset = queryset.filter(pk__in=ids)
        return queryset

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=Dataset.objects.filter(owners__username=value).values("pk"))

    def filter_pii(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        holding = Column.objects.filter(dataset=OuterRef("pk"), present=True).exclude(pii_entity="")
        return queryset.filter(Exists(holding)) if value else queryset.exclude(Exists(holding))

    def filter_pii_entity(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        holding = Column.objects.filter(dataset=OuterRef("pk"), present=True, pii_entity__iexact=value)
        return queryset.filter(Exists(holding))


class ColumnFilterSet(filters.FilterSet):
    """Columns by dataset, name, type, tag and PII."""

    search = filters.CharFilter(method="filter_search", label="Name or description")
    dataset = filters.ModelChoiceFilter(queryset=Dataset.objects.all())
    dataset_name = filters.CharFilter(field_name="dataset__name", label="Dataset name")
    data_type = filters.ChoiceFilter(choices=ColumnType.choices)
    tag = NameListFilter(method="filter_tag", label="Tag")
    pii = filters.BooleanFilter(method="filter_pii", label="Holds personal data")
    pii_entity = filters.CharFilter(field_name="pii_entity", lookup_expr="iexact")
    present = filters.BooleanFilter()

    class Meta:
        model = Column
        fields = ("is_key",)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_tag(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        for tag_name in value:
            ids = Column.objects.filter(
                Q(tags__name__iexact=tag_name) | Q(system_tags__name__iexact=tag_name)
            ).values("pk")
            queryset = queryset.filter(pk__in=ids)
        return queryset

    def filter_pii(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.exclude(pii_entity="") if value else queryset.filter(pii_entity="")


class TagFilterSet(filters.FilterSet):
    """Tags by kind and name."""

    search = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    kind = filters.ChoiceFilter(choices=TagKind.choices)

    class Meta:
        model = Tag
        fields = ("name",)
