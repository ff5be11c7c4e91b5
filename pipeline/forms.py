"""Pipeline page forms."""

from __future__ import annotations

from django import forms

from catalog.choices import LoadMode
from pipeline.services.uploads import UploadRequest, parse_keys


class UploadForm(forms.Form):
    """The Upload page: a file (or, to load anyway, the kept file's id), the dataset and how to load it."""

    file = forms.FileField(
        required=False, help_text="CSV, JSON Lines, Parquet or Excel (.xlsx); gzip allowed."
    )
    source_file = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    dataset = forms.CharField(
        max_length=200,
        help_text="An existing dataset to add to, or a new name.",
        widget=forms.TextInput(attrs={"list": "atlas-datasets", "autocomplete": "off"}),
    )
    key = forms.CharField(
        required=False,
        max_length=2000,
        label="Key column(s)",
        help_text="Comma-separated; needed for merge unless one column is unique and never empty.",
    )
    mode = forms.ChoiceField(
        required=False,
        choices=[("", "The dataset's mode (append for a new one)"), *LoadMode.choices],
        label="Load mode",
    )
    delimiter = forms.CharField(
        required=False, max_length=4, strip=False, help_text="CSV only; sniffed when empty."
    )
    sheet = forms.CharField(
        required=False, max_length=100, help_text="Excel only; the first sheet when empty."
    )
    force = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("file") and not data.get("source_file"):
            self.add_error("file", "Choose a file to upload, or drop one on the area above.")
        if data.get("delimiter") == "\\t":
            data["delimiter"] = "\t"
        return data

    def to_upload_request(self) -> UploadRequest:
        data = self.cleaned_data
        return UploadRequest(
            dataset=data["dataset"],
            file=data.get("file"),
            source_file_id=data.get("source_file"),
            key=parse_keys(data.get("key")),
            mode=data.get("mode") or None,
            force=bool(data.get("force")),
            delimiter=data.get("delimiter") or "",
            sheet=data.get("sheet") or "",
        )

    def kept_file_fields(self, source_file_id: int, *, force: bool) -> dict:
        """Fields that post the same request again for the kept file (with force to load a duplicate)."""
        data = self.cleaned_data
        return {
            "source_file": source_file_id,
            "dataset": data.get("dataset", ""),
            "key": data.get("key", ""),
            "mode": data.get("mode", ""),
            "delimiter": data.get("delimiter", ""),
            "sheet": data.get("sheet", ""),
            "force": "on" if force else "",
        }
