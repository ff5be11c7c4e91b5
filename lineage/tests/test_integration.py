"""The whole default chain (real PII detection, masking and quality): the catalog and lineage see it all."""
from __future__ import annotations

import pytest

from catalog.models import Dataset
from lineage.models import LineageEdge, LineageEvent
from lineage.services.validation import validate_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]
NAMES = ["Anna", "Bent", "Carla", "Dorte", "Erik"]
PEOPLE = [{"id": i, "name": n, "email": f"{n.lower()}@example.com"} for i, n in enumerate(NAMES)]


def test_real_pii_findings_become_system_tags_and_masked_column_lineage(load):
    report = load("people", PEOPLE, key=["id"])
    dataset = Dataset.objects.get(name="people")
    assert dataset.pii_summary["columns"]["email"]["entity"] == "EMAIL_ADDRESS"
    assert {"PII", "PII:EMAIL_ADDRESS"} <= set(dataset.system_tags.values_list("name", flat=True))
    assert dataset.quality_score == pytest.approx(report["quality"]["overall_score"])
    complete = LineageEvent.objects.get(event_type="COMPLETE")
    validate_event(complete.payload)
    navigate = next(o for o in complete.payload["outputs"] if ".navigate." in o["name"])
    email = navigate["facets"]["columnLineage"]["fields"]["email"]["inputFields"][0]["transformations"][0]
    assert email["masking"] is True and email["description"].startswith("masked: ")
    chart = next(o for o in complete.payload["outputs"] if ".chart." in o["name"])
    assert "dataQualityAssertions" in chart["facets"]
    edge = LineageEdge.objects.get(kind="derived", target__layer="navigate")
    assert edge.label.startswith("masked: ")
