"""Test support shared by every Atlas app.

- ``atlas.testing.factories``: factory_boy factories (users with roles).
- ``atlas.testing.api``: ``APIViewTestCases``, NetBox-style generic API tests.
- ``atlas.testing.views``: ``ViewTestCases``, generic page tests.
- ``atlas.testing.processes``: running ``manage.py`` in a subprocess against the test database.

The fixtures these rely on (``role_user``, ``role_client``, ``role_api_client``,
``api_client``) live in the repository's root ``conftest.py``.
"""
