"""PipelineRunFilterSet: the filters the Runs page and /api/runs/ share."""

from __future__ import annotations

import pytest

from catalog.choices import LoadMode
from pipeline.choices import RunStatus
from pipeline.filtersets import PipelineRunFilterSet
from pipeline.models import PipelineRun
from pipeline.tests.factories import DatasetFactory
from pipeline.tests.run_factories import PipelineRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs() -> dict[str, PipelineRun]:
    sales, hr = DatasetFactory(name="Sales"), DatasetFactory(name="hr")
    made = {
        "sales_ok": PipelineRunFactory(dataset=sales, load_mode=LoadMode.MERGE),
        "sales_failed": PipelineRunFactory(
            dataset=sales, status=RunStatus.FAILED, error="Merge needs a key."
        ),
        "hr_queued": PipelineRunFactory(dataset=hr, status=RunStatus.QUEUED),
        "hr_old": PipelineRunFactory(dataset=hr, source_description="people-2019.csv"),
    }
    PipelineRun.objects.filter(pk=made["hr_old"].pk).update(created="2019-06-30T23:30:00Z")
    return made


def names(runs: dict[str, PipelineRun], **query: str) -> set[str]:
    filterset = PipelineRunFilterSet(query, queryset=PipelineRun.objects.all())
    assert filterset.is_valid(), filterset.errors
    found = set(filterset.qs.values_list("pk", flat=True))
    return {name for name, run in runs.items() if run.pk in found}


def test_no_filter_keeps_every_run(runs):
    assert names(runs) == set(runs)


def test_dataset_by_name_ignores_case(runs):
    assert names(runs, dataset="sales") == {"sales_ok", "sales_failed"}
    assert names(runs, dataset=" SALES ") == {"sales_ok", "sales_failed"}


def test_dataset_by_id(runs):
    assert names(runs, dataset=str(runs["hr_queued"].dataset_id)) == {"hr_queued", "hr_old"}


def test_a_dataset_named_with_digits_is_found_by_its_name(runs):
    numbered = PipelineRunFactory(dataset=DatasetFactory(name="2024"))
    assert names({**runs, "numbered": numbered}, dataset="2024") == {"numbered"}


def test_unknown_dataset_matches_nothing(runs):
    assert names(runs, dataset="nope") == set()


def test_status_and_mode(runs):
    assert names(runs, status=RunStatus.FAILED) == {"sales_failed"}
    assert names(runs, mode=LoadMode.MERGE) == {"sales_ok"}
    assert names(runs, dataset="hr", status=RunStatus.QUEUED) == {"hr_queued"}


def test_created_before_a_date_includes_that_whole_day(runs):
    assert names(runs, created_before="2019-06-30") == {"hr_old"}
    assert names(runs, created_before="2019-06-29") == set()


def test_created_with_iso_datetimes(runs):
    assert names(runs, created_before="2019-06-30T23:00:00Z") == set()
    assert names(runs, created_before="2019-06-30T23:45:00+00:00") == {"hr_old"}
    assert names(runs, created_after="2019-06-30T23:00:00Z") == set(runs)
    assert names(runs, created_after="2019-07-01") == set(runs) - {"hr_old"}


def test_search_words_in_dataset_file_or_error(runs):
    assert names(runs, q="people-2019") == {"hr_old"}
    assert names(runs, q="needs a key") == {"sales_failed"}
    assert names(runs, q="SAL") == {"sales_ok", "sales_failed"}


@pytest.mark.parametrize(("field", "value"), [("status", "exploded"), ("created_after", "yesterday")])
def test_invalid_values_are_form_errors(field, value):
    filterset = PipelineRunFilterSet({field: value}, queryset=PipelineRun.objects.all())
    assert not filterset.is_valid()
    assert field in filterset.errors
