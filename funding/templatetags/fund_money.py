"""``{{ amount|pounds }}``: money as GOV.UK writes it (£1,250.50)."""

from django import template

from kernel.money import pounds as as_pounds

register = template.Library()


@register.filter
def pounds(value) -> str:
    return as_pounds(value if value is not None else 0)


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0
