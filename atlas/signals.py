"""Keeps each role group's admin permissions in step with the models that exist."""
from django.contrib.auth.models import Group, Permission

from atlas.choices import Role
from atlas.roles import ATLAS_APPS, ROLE_MODEL_PERMISSIONS


def _permissions(target: str, verbs: tuple[str, ...]):
    app_label, _, model = target.partition(":")
    query = Permission.objects.filter(content_type__app_label=app_label)
    if model:
        query = query.filter(content_type__model=model)
    wanted = [p for p in query.select_related("content_type") if p.codename.split("_", 1)[0] in verbs]
    return wanted


def sync_role_permissions(sender=None, **kwargs) -> None:
    """Give every role "view" on all Atlas apps, plus the verbs ROLE_MODEL_PERMISSIONS names."""
    viewing = list(
        Permission.objects.filter(content_type__app_label__in=ATLAS_APPS, codename__startswith="view_")
    )
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        if role == Role.ADMIN:
            group.permissions.set(Permission.objects.all())
            continue
        granted = set(viewing)
        for target, verbs in ROLE_MODEL_PERMISSIONS.get(role, {}).items():
            granted.update(_permissions(target, verbs))
        group.permissions.set(granted)
