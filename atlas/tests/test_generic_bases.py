"""The generic test bases, exercised the way an app uses them (and thereby tested themselves)."""
import factory
import pytest
from django.contrib.auth.models import Group

from atlas.choices import Role
from atlas.testing.api import APIViewTestCases
from atlas.testing.views import ViewTestCases


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"team-{n}")


@pytest.mark.urls("atlas.tests.urls")
class TestGroupAPI(APIViewTestCases.APIViewTestCase):
    model = Group
    api_base = "atlas_test:test-group"
    factory = GroupFactory
    brief_fields = ("id", "name")
    create_data = ({"name": "analysts"}, {"name": "auditors"}, {"name": "data platform"})
    update_data = {"name": "renamed"}
    roles_allowed_to_write = (Role.STEWARD,)


class TestDashboardPage(ViewTestCases.ListView):
    url_name = "dashboard"
    expected_text = "Dashboard"
