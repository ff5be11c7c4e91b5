"""Generic page tests: who may open a page, the login redirect, and the HTMX partial.

Like ``atlas.testing.api`` these are **pytest classes** using the root
``conftest.py`` fixtures (``client``, ``role_client``)::

    from atlas.testing.views import ViewTestCases

    class TestDatasetListPage(ViewTestCases.ListView):
        url_name = "catalog:dataset_list"
        make_objects = lambda self: DatasetFactory.create_batch(3)
        expected_text = "Datasets"

    class TestDatasetPage(ViewTestCases.DetailView):
        make_object = lambda self: DatasetFactory()   # its get_absolute_url() is opened

Every role is tried (and a signed-in user with no role, who gets 403); an
anonymous visitor is sent to the sign-in page with ``?next=``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import quote

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from atlas.testing.api import ROLES_AND_NOBODY, allowed
from atlas.testing.factories import ALL_ROLES


class ViewTestCases:
    """Namespace for the generic page test mixins."""

    class Base:
        pytestmark = pytest.mark.django_db

        roles_allowed: ClassVar[Sequence[str]] = ALL_ROLES
        # Text the rendered page must contain for an allowed role.
        expected_text: ClassVar[str | None] = None

        def make_objects(self) -> list[Any]:
            """Objects the page should show; none by default."""
            return []

        def url(self) -> str:
            raise NotImplementedError

        def test_anonymous_is_sent_to_login(self, client):
            self.make_objects()
            url = self.url()
            response = client.get(url)
            assert response.status_code == 302, response.content[:500]
            login = resolve_url(settings.LOGIN_URL)
            assert response["Location"] == f"{login}?next={quote(url)}"

        @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
        def test_page_for_role(self, role, role_client):
            self.make_objects()
            response = role_client(role).get(self.url())
            if not allowed(role, self.roles_allowed):
                assert response.status_code == 403
                return
            assert response.status_code == 200, response.content[:500]
            body = response.content.decode()
            assert "<html" in body
            if self.expected_text:
                assert self.expected_text in body

    class ListView(Base):
        """A list page (``atlas.generic.ObjectListView``); with ``htmx_partial`` an HTMX request
        gets its partial only."""

        url_name: ClassVar[str] = ""
        url_kwargs: ClassVar[dict[str, Any]] = {}
        htmx_partial: ClassVar[bool] = True

        def url(self) -> str:
            return reverse(self.url_name, kwargs=self.url_kwargs)

        def test_htmx_request_gets_the_partial(self, role_client):
            """With ``htmx_partial`` an HTMX request gets the fragment only; without, the whole page."""
            self.make_objects()
            role = next(iter(self.roles_allowed))
            response = role_client(role).get(self.url(), HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            body = response.content.decode()
            if self.htmx_partial:
                assert "<html" not in body and "<body" not in body, "an HTMX request got the whole page"
                assert body.strip(), "the partial is empty"
            else:
                assert "<html" in body, "a page without a partial must still answer HTMX with the page"

    class DetailView(Base):
        """One object's page, opened at its ``get_absolute_url()``."""

        def make_object(self) -> Any:
            raise NotImplementedError(f"{type(self).__name__} must define make_object()")

        def make_objects(self) -> list[Any]:
            self._object = self.make_object()
            return [self._object]

        def url(self) -> str:
            if not hasattr(self, "_object"):
                self.make_objects()
            return self._object.get_absolute_url()
