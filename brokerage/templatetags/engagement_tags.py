"""Template filters for engagement pages and emails: money as GOV.UK writes it, RAG tags."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from kernel.money import pounds as money_pounds

register = template.Library()

RAG_TAG = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}
RAG_SHORT = {"red": "Red", "amber": "Amber", "green": "Green"}


@register.filter
def pounds(value) -> str:
    """ "£1,250.50"."""
    return money_pounds(value)


@register.filter
def rag_tag(rating: str) -> str:
    """A GOV.UK tag coloured for a Red/Amber/Green rating."""
    if not rating:
        return ""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', RAG_TAG.get(rating, ""), RAG_SHORT[rating]
    )


@register.filter
def measure_value(value) -> str:
    """A school's value of a measure with its unit and year: "65% (2022-2023)"."""
    if value is None:
        return "No data"
    if value.value is None:
        shown = value.text or value.get_missing_reason_display() or "No data"
    else:
        number = f"{value.value:,.2f}".rstrip("0").rstrip(".")
        shown = f"{number}%" if value.measure.unit == "percent" else number
    return f"{shown} ({value.academic_year})"
