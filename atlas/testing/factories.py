"""factory_boy factories for what every app's tests need: users, with roles and API tokens."""
from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from atlas.choices import Role

ALL_ROLES: tuple[str, ...] = tuple(Role.values)
TEST_PASSWORD = "atlas-test-password-7f3c"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can sign in; ``UserFactory(roles=[Role.STEWARD])`` puts them in role groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_active = True
    is_staff = False
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted, **kwargs) -> None:
        if not create or not extracted:
            return
        for name in extracted:
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        self.__dict__.pop("_atlas_roles", None)  # atlas.roles caches roles on the instance


def role_user(role: str | None, **kwargs):
    """A user holding ``role`` (a ``Role`` value), named after it; ``None`` gives a user with no role.

    Role users are staff, so the admin opens for them with their group's permissions.
    """
    kwargs.setdefault("username", role or "norole")
    kwargs.setdefault("is_staff", bool(role))
    return UserFactory(roles=(role,) if role else (), **kwargs)


def token_for(user) -> str:
    """The user's API token, created on first use."""
    return Token.objects.get_or_create(user=user)[0].key
