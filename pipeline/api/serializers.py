"""Pipeline API serializers: runs as the API shows them, and the upload that starts one."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.choices import LoadMode
from pipeline.models import PipelineRun, SourceFile
from pipeline.services.uploads import UploadRequest, parse_keys


class KeyListField(serializers.ListField):
    """Key columns given as ``key=a,b`` or as repeated ``key=a&key=b``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(child=serializers.CharField(max_length=1000, allow_blank=True), **kwargs)

    def to_internal_value(self, data) -> list[str]:
        if isinstance(data, str):
            data = [data]
        return parse_keys(super().to_internal_value(data))


class UploadSerializer(serializers.Serializer):
    """A file (or a kept file's id) to load into a dataset; the dataset is created on first use."""

    file = serializers.FileField(
        required=False, help_text="CSV, JSON Lines, Parquet or Excel (.xlsx); gzip allowed."
    )
    source_file = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Instead of `file`: the id of a kept file (e.g. from a 409 answer), to load it anyway.",
    )
    dataset = serializers.CharField(max_length=200, help_text="The dataset's name (created on first use).")
    key = KeyListField(required=False, help_text="Key column(s): comma-separated or repeated.")
    mode = serializers.ChoiceField(
        choices=LoadMode.choices,
        required=False,
        allow_blank=True,
        help_text="How navigate is updated; the dataset's mode when omitted.",
    )
    force = serializers.BooleanField(
        required=False, default=False, help_text="Load even if the same content was already ingested."
    )
    delimiter = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4,
        trim_whitespace=False,
        help_text="CSV delimiter; sniffed when omitted.",
    )
    sheet = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Excel sheet name; the first sheet when omitted.",
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("file") and not attrs.get("source_file"):
            raise serializers.ValidationError({"file": "Choose a file to upload."})
        if attrs.get("delimiter") == "\\t":
            attrs["delimiter"] = "\t"
        return attrs

    def to_upload_request(self) -> UploadRequest:
        data = self.validated_data
        return UploadRequest(
            dataset=data["dataset"],
            file=data.get("file"),
            source_file_id=data.get("source_file"),
            key=data.get("key") or [],
            mode=data.get("mode") or None,
            force=data.get("force", False),
            delimiter=data.get("delimiter", ""),
            sheet=data.get("sheet", ""),
        )


class SourceFileSerializer(serializers.ModelSerializer):
    """The kept file a run reads."""

    class Meta:
        model = SourceFile
        fields = ("id", "original_name", "sha256", "size", "format", "created")


class RunCountsSerializer(serializers.Serializer):
    """Rows at each step of the run."""

    received = serializers.IntegerField(source="rows_received")
    explore = serializers.IntegerField(source="rows_explore")
    chart = serializers.IntegerField(source="rows_chart")
    rejected = serializers.IntegerField(source="rows_rejected")
    navigate = serializers.IntegerField(source="rows_navigate")


class PipelineRunSerializer(serializers.ModelSerializer):
    """A run in brief, as lists show it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:pipeline-run-detail")
    web_url = serializers.SerializerMethodField(help_text="The run's page.")
    dataset_name = serializers.CharField(source="dataset.name", read_only=True)
    counts = RunCountsSerializer(source="*", read_only=True)
    timings = serializers.DictField(
        child=serializers.FloatField(), read_only=True, help_text="Seconds per stage."
    )
    duration = serializers.FloatField(read_only=True, allow_null=True, help_text="Seconds from start to end.")
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PipelineRun
        fields = (
            "id",
            "url",
            "web_url",
            "dataset",
            "dataset_name",
            "status",
            "stage",
            "percent",
            "message",
            "load_mode",
            "key_columns",
            "source_kind",
            "source_description",
            "counts",
            "timings",
            "duration",
            "error",
            "retry_of",
            "started_by",
            "created",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, run: PipelineRun) -> str:
        request = self.context.get("request")
        url = run.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class PipelineRunDetailSerializer(PipelineRunSerializer):
    """A run in full: options, warnings, the kept file and the report of DESIGN.md."""

    source_file = SourceFileSerializer(read_only=True)
    report = serializers.JSONField(read_only=True)
    can_retry = serializers.BooleanField(read_only=True)
    can_cancel = serializers.BooleanField(read_only=True)

    class Meta(PipelineRunSerializer.Meta):
        fields = (
            *PipelineRunSerializer.Meta.fields,
            "options",
            "source_file",
            "warnings",
            "cancel_requested",
            "can_retry",
            "can_cancel",
            "task_id",
            "report",
        )
        read_only_fields = fields


class DuplicateUploadSerializer(serializers.Serializer):
    """The answer to an upload whose content this dataset already holds (409)."""

    detail = serializers.CharField()
    previous_run = serializers.IntegerField(help_text="The run that already ingested this content.")
    source_file = serializers.IntegerField(
        help_text="The kept file: post it back with force=true to load anyway."
    )


class SubmitErrorSerializer(serializers.Serializer):
    """A request that could not start a run (400, 409, 413)."""

    detail = serializers.CharField()
    source_file = serializers.IntegerField(required=False, help_text="The kept file, when it was stored.")


class RejectedRowSerializer(serializers.Serializer):
    """One row set aside in ``chart.<table>__rejected``, with the reason."""

    _atlas_row = serializers.IntegerField(allow_null=True, help_text="The row's number in the file.")
    original_column = serializers.CharField(allow_null=True, help_text="The column whose value failed.")
    value = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    record = serializers.JSONField(allow_null=True, help_text="The whole row as received.")
