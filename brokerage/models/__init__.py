"""Brokerage's models: the directory of support providers, and support cases with their
engagements."""

from .cases import CaseEvent, Diagnosis, StatutoryAction, StatutoryRoute, SupportCase, Urgency
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
from .providers import ConflictDeclaration, Expertise, Provider, ProviderKind

__all__ = [
    "CaseEvent",
    "Diagnosis",
    "StatutoryAction",
    "StatutoryRoute",
    "Urgency",
    "ConflictDeclaration",
    "Engagement",
    "ImpactDecision",
    "Expertise",
    "Provider",
    "ProviderKind",
    "SupportCase",
    "NotificationPreference",
    "Objective",
    "ObjectiveRating",
    "ProgressNote",
    "ProgressReview",
    "Rating",
    "Variation",
]
