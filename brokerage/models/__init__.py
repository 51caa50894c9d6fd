"""Brokerage's models: the directory of support providers, and support cases with their
engagements."""

from .cases import Engagement, SupportCase
from .providers import Expertise, Provider, ProviderKind

__all__ = ["Engagement", "Expertise", "Provider", "ProviderKind", "SupportCase"]
