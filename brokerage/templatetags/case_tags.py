"""Template helpers of the support case pages."""

from django import template

from kernel.money import pounds

register = template.Library()


@register.filter
def case_pounds(value) -> str:
    """Money as GOV.UK writes it: £1,250.50."""
    return pounds(value)
