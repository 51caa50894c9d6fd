"""Brokerage's models: the directory of support providers, and support cases with their
engagements."""

from .cases import SupportCase
from .engagements import Engagement, ImpactDecision
from .providers import ConflictDeclaration, Expertise, Provider, ProviderKind

__all__ = [
    "ConflictDeclaration",
    "Engagement",
    "ImpactDecision",
    "Expertise",
    "Provider",
    "ProviderKind",
    "SupportCase",
]
