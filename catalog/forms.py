"""Catalog forms: what stewards edit on the dataset page."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from catalog.models import Column, Dataset
from catalog.services.tags import TagError, clean_tag_names


class TagListField(forms.CharField):
    """Comma-separated tag names (``finance, GDPR``) → a list of clean names."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Comma-separated, e.g. finance, GDPR.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value) -> list[str]:
        value = super().clean(value)
        try:
            return clean_tag_names(value or "")
        except TagError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DatasetEditForm(forms.Form):
    """Description, owners and people's tags of a dataset."""

    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    owners = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"), required=False,
        to_field_name="username", widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    tags = TagListField()

    @classmethod
    def for_dataset(cls, dataset: Dataset, data=None) -> DatasetEditForm:
        initial = {
            "description": dataset.description,
            "owners": list(dataset.owners.values_list("username", flat=True)),
            "tags": [t.name for t in dataset.tags.all()],
        }
        return cls(data=data, initial=initial)


class ColumnEditForm(forms.Form):
    """Description and people's tags of a column."""

    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    tags = TagListField()

    @classmethod
    def for_column(cls, column: Column, data=None) -> ColumnEditForm:
        initial = {"description": column.description, "tags": [t.name for t in column.tags.all()]}
        return cls(data=data, initial=initial, prefix=f"column-{column.pk}")
