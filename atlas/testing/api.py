"""NetBox-style generic API tests: a model's whole API test is a class listing what differs.

These are **pytest classes** (not ``django.test.TestCase``): they use the
fixtures from the root ``conftest.py`` (``role_api_client``, ``api_client``) and
run every check once per role, so a role matrix comes for free::

    from atlas.testing.api import APIViewTestCases

    class TestTagAPI(APIViewTestCases.APIViewTestCase):
        model = Tag
        api_base = "api:catalog-tag"            # router basename, with the namespace
        factory = TagFactory                    # or override make_objects()
        brief_fields = ("id", "name")
        create_data = ({"name": "finance"}, {"name": "hr"})
        update_data = {"description": "Money"}
        roles_allowed_to_write = (Role.STEWARD,)   # admin may always write

Pick the mixins a view supports instead of ``APIViewTestCase`` when it is not
a full CRUD viewset: ``GetObject``, ``ListObjects``, ``CreateObject``,
``UpdateObject``, ``DeleteObject``. Anonymous callers must get 401 or 403,
never a redirect to the login page.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
from django.db import models
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.factories import ALL_ROLES

ROLES_AND_NOBODY: tuple[str | None, ...] = (*ALL_ROLES, None)
DENIED = (401, 403)


def allowed(role: str | None, roles: Sequence[str]) -> bool:
    """Whether a user holding only ``role`` passes a check for ``roles`` (admin passes every check)."""
    return role is not None and (role == Role.ADMIN or role in roles)


def assert_instance_matches(instance: models.Model, data: dict[str, Any]) -> None:
    """Each key of ``data`` equals the instance's value (foreign keys by pk, many-to-many as a set)."""
    for name, expected in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            actual = set(getattr(instance, name).values_list("pk", flat=True))
            assert actual == set(expected), f"{name}: {actual!r} != {expected!r}"
        elif field.is_relation:
            actual = getattr(instance, field.attname)
            assert actual == expected, f"{name}: {actual!r} != {expected!r}"
        else:
            actual = getattr(instance, name)
            assert actual == expected or str(actual) == str(expected), f"{name}: {actual!r} != {expected!r}"


class APIViewTestCases:
    """Namespace for the generic API test mixins (NetBox's ``utilities.testing.APIViewTestCases``)."""

    class Base:
        """What every mixin needs: the model, its URL names, and how to make objects."""

        pytestmark = pytest.mark.django_db

        model: ClassVar[type[models.Model]]
        api_base: ClassVar[str] = ""
        factory: ClassVar[Any] = None
        lookup_field: ClassVar[str] = "pk"
        brief_fields: ClassVar[Sequence[str]] = ()
        create_data: ClassVar[Sequence[dict[str, Any]]] = ()
        update_data: ClassVar[dict[str, Any]] = {}
        roles_allowed_to_read: ClassVar[Sequence[str]] = ALL_ROLES
        roles_allowed_to_write: ClassVar[Sequence[str]] = ()
        # Roles allowed to delete, when they differ from those allowed to write.
        roles_allowed_to_delete: ClassVar[Sequence[str] | None] = None

        def make_objects(self) -> list[models.Model]:
            """Three saved objects to read, change and delete; override when ``factory`` is not enough."""
            if self.factory is None:
                raise NotImplementedError(
                    f"{type(self).__name__} sets neither `factory` nor `make_objects()`."
                )
            return list(self.factory.create_batch(3))

        def get_create_data(self) -> list[dict[str, Any]]:
            """Payloads for POST; override when they refer to objects made at test time."""
            return [dict(item) for item in self.create_data]

        def get_update_data(self) -> dict[str, Any]:
            return dict(self.update_data)

        def list_url(self) -> str:
            return reverse(f"{self.api_base}-list")

        def detail_url(self, instance: models.Model) -> str:
            lookup = getattr(instance, self.lookup_field)
            return reverse(f"{self.api_base}-detail", kwargs={self.lookup_field: lookup})

        def assert_brief_fields(self, payload: dict[str, Any]) -> None:
            missing = set(self.brief_fields) - set(payload)
            assert not missing, f"response lacks {sorted(missing)}: {sorted(payload)}"

    class GetObject(Base):
        def test_get_object_anonymous(self, api_client):
            instance = self.make_objects()[0]
            assert api_client.get(self.detail_url(instance)).status_code in DENIED

        @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
        def test_get_object(self, role, role_api_client):
            instance = self.make_objects()[0]
            response = role_api_client(role).get(self.detail_url(instance))
            if allowed(role, self.roles_allowed_to_read):
                assert response.status_code == 200, response.content
                self.assert_brief_fields(response.json())
            else:
                assert response.status_code == 403, response.content

    class ListObjects(Base):
        def test_list_objects_anonymous(self, api_client):
            self.make_objects()
            assert api_client.get(self.list_url()).status_code in DENIED

        @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
        def test_list_objects(self, role, role_api_client):
            instances = self.make_objects()
            response = role_api_client(role).get(self.list_url())
            if not allowed(role, self.roles_allowed_to_read):
                assert response.status_code == 403, response.content
                return
            assert response.status_code == 200, response.content
            body = response.json()
            results = body["results"] if isinstance(body, dict) and "results" in body else body
            if isinstance(body, dict) and "count" in body:
                assert body["count"] >= len(instances)
            assert len(results) >= min(len(instances), 1)
            for item in results:
                self.assert_brief_fields(item)

    class CreateObject(Base):
        @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
        def test_create_object(self, role, role_api_client):
            data = self.get_create_data()
            assert data, f"{type(self).__name__}.create_data is empty"
            before = self.model.objects.count()
            response = role_api_client(role).post(self.list_url(), data[0], format="json")
            if not allowed(role, self.roles_allowed_to_write):
                assert response.status_code == 403, response.content
                assert self.model.objects.count() == before
                return
            assert response.status_code == 201, response.content
            assert self.model.objects.count() == before + 1
            self.assert_brief_fields(response.json())
            created = self.model.objects.get(pk=response.json().get("id", response.json().get("pk")))
            assert_instance_matches(created, data[0])

        def test_create_objects(self, role_api_client):
            """Every payload in ``create_data`` is accepted, one after another."""
            client = role_api_client(Role.ADMIN)
            before = self.model.objects.count()
            data = self.get_create_data()
            for item in data:
                response = client.post(self.list_url(), item, format="json")
                assert response.status_code == 201, response.content
            assert self.model.objects.count() == before + len(data)

    class UpdateObject(Base):
        @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
        def test_update_object(self, role, role_api_client):
            instance = self.make_objects()[0]
            data = self.get_update_data()
            assert data, f"{type(self).__name__}.update_data is empty"
            response = role_api_client(role).patch(self.detail_url(instance), data, format="json")
            if not allowed(role, self.roles_allowed_to_write):
                assert response.status_code == 403, response.content
                return
            assert response.status_code == 200, response.content
            instance.refresh_from_db()
            assert_instance_matches(instance, data)

    class DeleteObject(Base):
        @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
        def test_delete_object(self, role, role_api_client):
            instance = self.make_objects()[0]
            roles = self.roles_allowed_to_delete
            if roles is None:
                roles = self.roles_allowed_to_write
            response = role_api_client(role).delete(self.detail_url(instance))
            exists = self.model.objects.filter(pk=instance.pk).exists()
            if not allowed(role, roles):
                assert response.status_code == 403, response.content
                assert exists
                return
            assert response.status_code == 204, response.content
            assert not exists

    class APIViewTestCase(GetObject, ListObjects, CreateObject, UpdateObject, DeleteObject):
        """All five: a full CRUD viewset."""
