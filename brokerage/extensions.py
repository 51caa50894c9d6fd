"""Ports for the apps above brokerage: ``funding`` commits an engagement's cost when it is
commissioned and releases what was not spent when it ends, and shows its money on the
engagement's page (``engagement_page_part_register``), without brokerage importing it.

Each hook runs inside the brokerage service's transaction, with the engagement row locked; a
hook that raises ``ValidationError`` refuses the action and nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CommissionHook = Callable[..., None]  # hook(*, engagement, by, decision=None)
EndHook = Callable[..., None]  # hook(*, engagement, by)
ExtendHook = Callable[..., None]  # hook(*, engagement, variation, by, decision=None)

_COMMISSION_HOOKS: list[CommissionHook] = []
_END_HOOKS: list[EndHook] = []
_EXTEND_HOOKS: list[ExtendHook] = []


def on_engagement_commission(hook: CommissionHook) -> None:
    """Call ``hook`` when an engagement is commissioned (e.g. commit its cost in the fund)."""
    if hook not in _COMMISSION_HOOKS:
        _COMMISSION_HOOKS.append(hook)


def on_engagement_end(hook: EndHook) -> None:
    """Call ``hook`` when a commissioned engagement ends (e.g. release its unspent money)."""
    if hook not in _END_HOOKS:
        _END_HOOKS.append(hook)


def on_engagement_extend(hook: ExtendHook) -> None:
    """Call ``hook`` when a commissioned engagement is extended by a variation (e.g. commit
    ``variation.extra_cost`` in the fund). It runs before the engagement's days and cost grow;
    raising ``ValidationError`` refuses the extension."""
    if hook not in _EXTEND_HOOKS:
        _EXTEND_HOOKS.append(hook)


def commission_hooks() -> tuple[CommissionHook, ...]:
    return tuple(_COMMISSION_HOOKS)


def end_hooks() -> tuple[EndHook, ...]:
    return tuple(_END_HOOKS)


def extend_hooks() -> tuple[ExtendHook, ...]:
    return tuple(_EXTEND_HOOKS)


@dataclass(frozen=True)
class EngagementPagePart:
    key: str
    order: int
    context: Callable[..., dict | None]  # (user=, engagement=) -> the template's context, or None
    template: str


_PAGE_PARTS: dict[str, EngagementPagePart] = {}


def engagement_page_part_register(key: str, *, order: int, context, template: str) -> None:
    """Show ``template`` on every engagement's page (e.g. the fund's money for it), with the
    context ``context(user=, engagement=)`` returns; nothing when it returns None (the viewer
    may not see it)."""
    _PAGE_PARTS[key] = EngagementPagePart(key, order, context, template)


def engagement_page_parts() -> list[EngagementPagePart]:
    return sorted(_PAGE_PARTS.values(), key=lambda part: part.order)
