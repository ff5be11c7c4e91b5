"""Who may do what: roles are Django groups, checked by pages, the API and the admin."""
from __future__ import annotations

from collections.abc import Iterable

from atlas.choices import Role

ALL_ROLES: frozenset[str] = frozenset(Role.values)

# Model permissions each role gets in the admin, per app label: the verbs
# beyond "view", which every role has on every Atlas app.
ROLE_MODEL_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.OPERATOR: {
        "pipeline": ("add", "change"),
        "connectors": ("add", "change"),
        "django_celery_beat": ("add", "change", "delete"),
    },
    Role.STEWARD: {
        "catalog": ("add", "change"),
        "quality": ("add", "change", "delete"),
        "compliance:piifinding": ("change",),
        "compliance:customrecognizer": ("add", "change", "delete"),
        "features": ("add", "change"),
    },
    Role.PRIVACY_OFFICER: {
        "compliance": ("add", "change"),
    },
}
# Explore, chart and rejected rows hold unmasked data: only these roles (and admins) see them in Atlas.
RAW_DATA_ROLES: tuple[str, ...] = (Role.OPERATOR, Role.STEWARD, Role.PRIVACY_OFFICER)
ATLAS_APPS = ("connectors", "pipeline", "quality", "compliance", "catalog", "features", "lineage")


def user_roles(user) -> frozenset[str]:
    """The roles ``user`` holds; a superuser holds them all, an anonymous user none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    cached = getattr(user, "_atlas_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._atlas_roles = cached
    return cached


def has_role(user, roles: Iterable[str] | None = None) -> bool:
    """True when ``user`` holds any of ``roles`` (any role at all when None); admin holds every role."""
    held = user_roles(user)
    if not held:
        return False
    if roles is None or Role.ADMIN in held:
        return True
    return bool(held & set(roles))
