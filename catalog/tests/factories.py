"""Catalog factories: tags (datasets come from the pipeline's factories or from real runs)."""
from __future__ import annotations

import factory

from catalog.choices import TagKind
from catalog.models import Tag


class TagFactory(factory.django.DjangoModelFactory):
    """A free-form tag."""

    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")
    kind = TagKind.FREE
    description = ""
