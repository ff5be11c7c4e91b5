"""Catalog API serializers."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from catalog.choices import TagKind
from catalog.models import Column, Dataset, SchemaVersion, Tag
from catalog.services import editing
from catalog.services.tags import TagError, clean_tag_names


class TagSerializer(serializers.ModelSerializer):
    """A tag; system tags are Atlas's and cannot be created or changed through the API."""

    class Meta:
        model = Tag
        fields = ("id", "name", "kind", "description")
        read_only_fields = ("kind",)

    def validate_name(self, value: str) -> str:
        try:
            names = clean_tag_names([value])
        except TagError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        if not names:
            raise serializers.ValidationError("A tag needs a name.")
        clash = Tag.objects.filter(name__iexact=names[0])
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(f"The tag '{clash.first().name}' already exists.")
        return names[0]

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None and self.instance.kind == TagKind.SYSTEM:
            raise serializers.ValidationError("System tags are applied by Atlas and cannot be changed.")
        return attrs


class TagNamesField(serializers.ListField):
    """Tags as a list of names; on write, new names become free-form tags."""

    child = serializers.CharField(max_length=100)

    def to_representation(self, manager) -> list[str]:
        return sorted(t.name for t in manager.all())


class SchemaVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemaVersion
        fields = ("version", "run", "created", "breaking", "changes", "columns")


class ColumnSerializer(serializers.ModelSerializer):
    """A column: original and warehouse names, type, people's and Atlas's tags, PII, statistics."""

    url = serializers.HyperlinkedIdentityField(view_name="api:catalog-column-detail")
    dataset_name = serializers.CharField(source="dataset.name", read_only=True)
    tags = TagNamesField(required=False)
    system_tags = TagNamesField(read_only=True)

    class Meta:
        model = Column
        fields = (
            "id", "url", "dataset", "dataset_name", "name", "warehouse_name", "position", "data_type",
            "description", "tags", "system_tags", "is_key", "present", "pii_entity", "pii_confidence",
            "stats", "updated",
        )
        read_only_fields = tuple(f for f in fields if f not in ("description", "tags"))

    def update(self, instance: Column, validated_data: dict) -> Column:
        try:
            return editing.update_column(
                instance, description=validated_data.get("description"), tags=validated_data.get("tags")
            )
        except editing.EditError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc


class DatasetSerializer(serializers.ModelSerializer):
    """A dataset as the catalog keeps it; stewards may change description, owners and tags."""

    url = serializers.HyperlinkedIdentityField(view_name="api:catalog-dataset-detail")
    owners = serializers.SlugRelatedField(
        slug_field="username", many=True, required=False, queryset=get_user_model().objects.all()
    )
    tags = TagNamesField(required=False)
    system_tags = TagNamesField(read_only=True)
    tables = serializers.DictField(source="layer_tables", read_only=True)
    last_run = serializers.PrimaryKeyRelatedField(read_only=True)
    last_run_at = serializers.DateTimeField(source="last_run.finished_at", read_only=True, default=None)
    search_score = serializers.FloatField(read_only=True, required=False)

    class Meta:
        model = Dataset
        fields = (
            "id",
            "url",
            "name",
            "description",
            "owners",
            "tags",
            "system_tags",
            "source",
            "load_mode",
            "key_columns",
            "tables",
            "explore_rows",
            "chart_rows",
            "rejected_rows",
            "navigate_rows",
            "last_run",
            "last_run_at",
            "quality_score",
            "pii_summary",
            "breaking_change",
            "created",
            "updated",
            "search_score",
        )
        read_only_fields = tuple(f for f in fields if f not in ("description", "owners", "tags"))

    def update(self, instance: Dataset, validated_data: dict) -> Dataset:
        try:
            return editing.update_dataset(
                instance,
                description=validated_data.get("description"),
                owners=validated_data.get("owners"),
                tags=validated_data.get("tags"),
            )
        except editing.EditError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc


class DatasetDetailSerializer(DatasetSerializer):
    """A dataset with its columns."""

    columns = ColumnSerializer(many=True, read_only=True)

    class Meta(DatasetSerializer.Meta):
        fields = (*DatasetSerializer.Meta.fields, "columns")


class TagChangeSerializer(serializers.Serializer):
    """``POST /api/datasets/{id}/tags/``: add and/or remove people's tags, on the dataset or one column."""

    add = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list,
                                 help_text="The same as 'add'.")
    remove = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    column = serializers.CharField(required=False, allow_blank=True,
                                   help_text="A column's original name; the dataset itself when omitted.")

    def validate(self, attrs: dict) -> dict:
        attrs["add"] = [*attrs.get("add", []), *attrs.pop("tags", [])]
        if not attrs["add"] and not attrs.get("remove"):
            raise serializers.ValidationError("Send tag names in 'add' (or 'tags') and/or 'remove'.")
        return attrs
