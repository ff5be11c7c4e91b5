"""Lineage API serializers."""
from __future__ import annotations

from rest_framework import serializers

from lineage.models import LineageEvent, LineageNode


class LineageEventSerializer(serializers.ModelSerializer):
    """A stored event: the fields Atlas pulled out, its forwarding state and the event itself."""

    class Meta:
        model = LineageEvent
        fields = (
            "id", "kind", "event_type", "event_time", "run_id", "job_namespace", "job_name", "producer",
            "schema_url", "origin", "received_at", "pipeline_run", "forward_status", "forward_attempts",
            "forward_error", "forwarded_at", "payload",
        )
        read_only_fields = fields


class LineageNodeSerializer(serializers.ModelSerializer):
    """A dataset or job of the graph."""

    class Meta:
        model = LineageNode
        fields = ("id", "kind", "namespace", "name", "layer", "label", "dataset", "schema", "first_seen",
                  "last_seen")
        read_only_fields = fields


class ReceivedSerializer(serializers.Serializer):
    """The answer to an accepted event."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    run_id = serializers.UUIDField(allow_null=True)
