"""The Dashboard's stat cards and panels; each app registers its own in ``AppConfig.ready``."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StatCard:
    """One number on the Dashboard, with where to click for more."""

    label: str
    value: str
    url: str | None = None
    hint: str = ""
    tone: str = ""  # "", "good", "warn" or "bad": colours the card


@dataclass(frozen=True)
class Panel:
    """A block below the cards, rendered from its own template."""

    title: str
    template: str
    context: dict


CardProvider = Callable[[object], Iterable[StatCard]]
PanelProvider = Callable[[object], Iterable[Panel]]
_card_providers: list[tuple[int, CardProvider]] = []
_panel_providers: list[tuple[int, PanelProvider]] = []


def register_cards(order: int, provider: CardProvider) -> None:
    if all(p is not provider for _, p in _card_providers):
        _card_providers.append((order, provider))


def register_panel(order: int, provider: PanelProvider) -> None:
    if all(p is not provider for _, p in _panel_providers):
        _panel_providers.append((order, provider))


def cards(request) -> list[StatCard]:
    return [card for _, provider in sorted(_card_providers, key=lambda p: p[0]) for card in provider(request)]


def panels(request) -> list[Panel]:
    providers = sorted(_panel_providers, key=lambda p: p[0])
    return [panel for _, provider in providers for panel in provider(request)]
