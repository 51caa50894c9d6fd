"""Brokerage's models: the directory of support providers, and support cases with their
engagements."""

from .cases import SupportCase
from .engagement_progress import (
    NotificationPreference,
    Objective,
    ObjectiveRating,
    ProgressNote,
    ProgressReview,
    Rating,
    Variation,
)
from .engagements import Engagement, ImpactDecision
from .providers import Expertise, Provider, ProviderKind

__all__ = [
    "Engagement",
    "ImpactDecision",
    "Expertise",
    "NotificationPreference",
    "Objective",
    "ObjectiveRating",
    "ProgressNote",
    "ProgressReview",
    "Provider",
    "ProviderKind",
    "Rating",
    "SupportCase",
    "Variation",
]
